import { existsSync, readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../src/sites';
import { xAdapter } from '../../../src/sites/x';
import {
  documentAt,
  fixtureLoader,
  itExtractsEachPage,
  itMatchesUrls,
  itReadsPageKinds,
  listedPages,
  requireElement,
  realworldPage,
} from './fixture-pages';

const { load } = fixtureLoader('x');
// The direct-message page is checked with the rest of the messages, in x-messages.test.ts.
const PAGES = await listedPages('x', { except: ['messages.html'] });
const STATUS_URL = new URL('https://x.com/GazT_1977/status/1991234567890123456');
const HOME_URL = new URL('https://x.com/home');

function postById(doc: Document, id: string): Element {
  const post = doc.querySelector(`a[href$="/status/${id}"]`)?.closest('article');
  if (!post) throw new Error(`fixture has no post ${id}`);
  return post;
}

describe('x adapter on the fixture pages', () => {
  itExtractsEachPage('x', PAGES);
});

describe('extractPost', () => {
  it('leaves the quoted post out of the text and media, and links it', () => {
    const doc = load('status.html', STATUS_URL);
    const post = xAdapter.extractPost(postById(doc, '1991234567890123456'), STATUS_URL);
    expect(post.text).not.toContain('constituency office');
    expect(post.mediaUrls).toEqual([]);
    expect(post.author.handle).toBe('GazT_1977');
    expect(post.quotedPostUrl).toBe('https://x.com/PriyaForHolbeck/status/1990987654321098765');
  });

  it('keeps emoji drawn as images as their alt text', () => {
    const doc = load('status.html', STATUS_URL);
    expect(xAdapter.extractPost(postById(doc, '1991234567890123456'), STATUS_URL).text).toMatch(/office is 😡$/);
  });

  it('keeps line breaks X renders from newlines in the text', () => {
    const doc = load('timeline.html', HOME_URL);
    expect(xAdapter.extractPost(postById(doc, '1990800000000000005'), HOME_URL).text).toBe(
      "Candidates' hustings this Thursday\n7pm, Holbeck Library\nAll welcome, free entry #HolbeckVotes",
    );
  });

  it('gives null time, permalink and id when the post shows no time', () => {
    const doc = load('timeline.html', HOME_URL);
    const article = postById(doc, '1991100000000000001');
    requireElement(article, 'time').closest('a')?.remove();
    const post = xAdapter.extractPost(article, HOME_URL);
    expect(post.shownTime).toEqual({ raw: null, iso: null });
    expect(post.permalink).toBeNull();
    expect(post.postId).toBeNull();
    expect(post.author.handle).toBe('PriyaForHolbeck');
  });

  it('keeps the shown time but no ISO time when datetime is missing or not a zoned time', () => {
    const doc = load('timeline.html', HOME_URL);
    const article = postById(doc, '1991100000000000001');
    const time = requireElement(article, 'time');
    time.setAttribute('datetime', '2026-11-20');
    expect(xAdapter.extractPost(article, HOME_URL).shownTime).toEqual({ raw: 'Nov 20', iso: null });
    time.removeAttribute('datetime');
    expect(xAdapter.extractPost(article, HOME_URL).shownTime).toEqual({ raw: 'Nov 20', iso: null });
  });

  it('gives a null author when the post shows none', () => {
    const doc = load('timeline.html', HOME_URL);
    const article = postById(doc, '1990700000000000006');
    requireElement(article, '[data-testid="User-Name"]').remove();
    expect(xAdapter.extractPost(article, HOME_URL).author).toEqual({
      displayName: null,
      handle: null,
      profileUrl: null,
    });
  });

  it('takes the author from a repost, not the reposter', () => {
    const doc = load('timeline.html', HOME_URL);
    expect(xAdapter.extractPost(postById(doc, '1990900000000000004'), HOME_URL).author.handle).toBe('NorthernTruthUK');
  });

  it('writes permalinks on the x.com origin when the page was twitter.com', () => {
    const url = new URL('https://twitter.com/GazT_1977/status/1991234567890123456');
    const post = xAdapter.extractPost(postById(load('status.html', url), '1991234567890123456'), url);
    expect(post.permalink).toBe('https://x.com/GazT_1977/status/1991234567890123456');
    expect(post.author.profileUrl).toBe('https://x.com/GazT_1977');
  });

  it('lists video posters but not blob: sources', () => {
    const doc = load('timeline.html', HOME_URL);
    const article = postById(doc, '1990700000000000006');
    const player = doc.createElement('div');
    player.innerHTML =
      '<div data-testid="videoPlayer"><video poster="https://pbs.twimg.com/ext_tw_video_thumb/1/pu/img/clip.jpg" src="blob:https://x.com/5a1c"></video></div>';
    requireElement(article, '[data-testid="tweetText"]').after(player);
    expect(xAdapter.extractPost(article, HOME_URL).mediaUrls).toEqual([
      'https://pbs.twimg.com/ext_tw_video_thumb/1/pu/img/clip.jpg',
    ]);
  });
});

describe('long-form Articles', () => {
  const ARTICLE_URL = new URL('https://x.com/HolbeckTruth/status/1993456789012345678');

  it("reads an Article's title and body blocks as its text, one block a line, and records how", () => {
    const doc = load('article.html', ARTICLE_URL);
    const main = xAdapter.mainPost(doc, ARTICLE_URL);
    if (!main) throw new Error('no main post');
    const { post, via } = xAdapter.readPost(main, ARTICLE_URL);
    expect(post.text?.split('\n')).toEqual([
      "What the candidate won't tell you",
      '',
      'Everyone in Holbeck has a right to know who is asking for their vote.',
      '',
      'Her office',
      'She keeps the office on the high street open till late. Someone should go and ask her about it.',
    ]);
    expect(via.text).toBe('Article rich text test id');
  });

  it('a read view drawn outside a post is a post of its own, and one inside a post is not listed twice', () => {
    const inside = load('article.html', ARTICLE_URL);
    expect(xAdapter.listPosts(inside)).toHaveLength(1);
    const alone = documentAt(
      `<div data-testid="twitterArticleReadView"><div data-testid="twitter-article-title">Title</div>
       <div data-testid="twitterArticleRichTextView"><div data-block="true">Body</div></div></div>`,
      ARTICLE_URL,
    );
    const [view, ...rest] = xAdapter.listPosts(alone);
    expect(rest).toEqual([]);
    expect(view && xAdapter.extractPost(view, ARTICLE_URL).text).toBe('Title\n\nBody');
  });

  it('a post with tweetText reads it, not an Article body', () => {
    const doc = load('status.html', STATUS_URL);
    expect(xAdapter.readPost(postById(doc, '1991234567890123456'), STATUS_URL).via.text).toBe('tweetText test id');
  });
});

describe('reply detection', () => {
  it('reads "Replying to" on a timeline, without inventing the replied post', () => {
    const doc = load('timeline.html', HOME_URL);
    const post = xAdapter.extractPost(postById(doc, '1991120000000000003'), HOME_URL);
    expect(post.isReply).toBe(true);
    expect(post.replyToUrl).toBeNull();
  });

  it('on a status page, links the first reply to the focal post and marks later ones as replies only', () => {
    const doc = load('status.html', STATUS_URL);
    const first = xAdapter.extractPost(postById(doc, '1991239876543210987'), STATUS_URL);
    const second = xAdapter.extractPost(postById(doc, '1991251234567890123'), STATUS_URL);
    expect(first).toMatchObject({ isReply: true, replyToUrl: 'https://x.com/GazT_1977/status/1991234567890123456' });
    expect(second).toMatchObject({ isReply: true, replyToUrl: null });
  });

  it('on a status page, links the focal post to the ancestor drawn above it', () => {
    const doc = load('status.html', STATUS_URL);
    const ancestor = postById(load('timeline.html', HOME_URL), '1991100000000000001');
    const cell = doc.createElement('div');
    cell.setAttribute('data-testid', 'cellInnerDiv');
    cell.innerHTML = ancestor.outerHTML;
    postById(doc, '1991234567890123456').closest('[data-testid="cellInnerDiv"]')?.before(cell);

    const [focal, parent] = extractPage(doc, STATUS_URL).posts;
    expect(focal).toMatchObject({
      postId: '1991234567890123456',
      isReply: true,
      replyToUrl: 'https://x.com/PriyaForHolbeck/status/1991100000000000001',
    });
    expect(parent).toMatchObject({ postId: '1991100000000000001', isReply: false });
  });

  it('stops at a heading cell such as "Discover more"', () => {
    const doc = load('status.html', STATUS_URL);
    const lastCell = postById(doc, '1991251234567890123').closest('[data-testid="cellInnerDiv"]');
    const heading = doc.createElement('div');
    heading.setAttribute('data-testid', 'cellInnerDiv');
    heading.innerHTML = '<h2 role="heading">Discover more</h2>';
    const unrelated = doc.createElement('div');
    unrelated.setAttribute('data-testid', 'cellInnerDiv');
    unrelated.innerHTML = postById(load('timeline.html', HOME_URL), '1990800000000000005').outerHTML;
    lastCell?.after(heading, unrelated);
    expect(xAdapter.extractPost(postById(doc, '1990800000000000005'), STATUS_URL).isReply).toBe(false);
  });

  it('ignores "Replying to" inside the quoted post', () => {
    const doc = load('timeline.html', HOME_URL);
    const article = postById(doc, '1991234567890123456');
    const note = doc.createElement('div');
    note.innerHTML = '<div dir="ltr">Replying to <span dir="ltr"><span>@LeeMarsh88</span></span></div>';
    requireElement(article, 'div[role="link"] [data-testid="tweetText"]').before(note);
    expect(xAdapter.extractPost(article, HOME_URL).isReply).toBe(false);
  });
});

describe('finding posts', () => {
  it('postContaining climbs from a deep click target in the text to the article', () => {
    const doc = load('timeline.html', HOME_URL);
    const mention = requireElement(postById(doc, '1990700000000000006'), '[data-testid="tweetText"] a');
    expect(xAdapter.postContaining(mention)).toBe(postById(doc, '1990700000000000006'));
  });

  it('postContaining from inside a quoted post gives the quoting post', () => {
    const doc = load('status.html', STATUS_URL);
    const quotedText = requireElement(doc, 'div[role="link"] [data-testid="tweetText"] span');
    expect(xAdapter.postContaining(quotedText)).toBe(postById(doc, '1991234567890123456'));
  });

  it('postContaining outside any post is null', () => {
    const doc = load('status.html', STATUS_URL);
    expect(xAdapter.postContaining(requireElement(doc, 'h2'))).toBeNull();
  });

  it('mainPost is the post the status URL names, else the first post; none off status pages', () => {
    const doc = load('status.html', STATUS_URL);
    expect(xAdapter.mainPost(doc, STATUS_URL)).toBe(postById(doc, '1991234567890123456'));
    const replyUrl = new URL('https://x.com/LeeMarsh88/status/1991239876543210987');
    expect(xAdapter.mainPost(doc, replyUrl)).toBe(postById(doc, '1991239876543210987'));
    const elsewhere = new URL('https://x.com/Someone/status/42');
    expect(xAdapter.mainPost(doc, elsewhere)).toBe(xAdapter.listPosts(doc)[0]);
    expect(xAdapter.mainPost(load('timeline.html', HOME_URL), HOME_URL)).toBeNull();
  });

  it('extractPage puts the main post first even when replies come before it', () => {
    const doc = load('status.html', STATUS_URL);
    const replyUrl = new URL('https://x.com/AnnWhitfield_Hx/status/1991251234567890123');
    expect(extractPage(doc, replyUrl).posts.map((post) => post.postId)).toEqual([
      '1991251234567890123',
      '1991234567890123456',
      '1991239876543210987',
    ]);
  });
});

describe('pageKind and matchesUrl', () => {
  const doc = new JSDOM('').window.document;
  itReadsPageKinds(xAdapter, doc, [
    ['https://x.com/GazT_1977/status/1991234567890123456', 'post'],
    ['https://twitter.com/GazT_1977/status/1991234567890123456/photo/1', 'post'],
    ['https://x.com/i/web/status/1991234567890123456', 'post'],
    ['https://x.com/home', 'timeline'],
    ['https://x.com/search?q=holbeck&f=live', 'timeline'],
    ['https://x.com/explore/tabs/trending', 'timeline'],
    ['https://x.com/notifications/mentions', 'timeline'],
    ['https://x.com/hashtag/HolbeckVotes', 'timeline'],
    ['https://x.com/i/lists/1234567890', 'timeline'],
    ['https://x.com/GazT_1977', 'profile'],
    ['https://mobile.twitter.com/GazT_1977/with_replies', 'profile'],
    ['https://x.com/GazT_1977/media', 'profile'],
    ['https://x.com/GazT_1977/likes', 'profile'],
    ['https://x.com/GazT_1977/followers', 'unknown'],
    ['https://x.com/messages', 'unknown'],
    ['https://x.com/settings/account', 'unknown'],
    ['https://x.com/tos', 'unknown'],
    ['https://x.com/i/flow/login', 'unknown'],
    ['https://x.com/compose/post', 'unknown'],
    ['https://x.com/', 'unknown'],
  ]);

  itMatchesUrls(xAdapter, [
    ['https://x.com/home', true],
    ['https://www.x.com/GazT_1977', true],
    ['https://mobile.x.com/GazT_1977', true],
    ['https://twitter.com/GazT_1977', true],
    ['https://www.twitter.com/GazT_1977', true],
    ['https://mobile.twitter.com/GazT_1977', true],
    ['https://api.x.com/2/tweets', false],
    ['https://x.company.com/', false],
    ['https://notx.com/', false],
    ['https://bsky.app/profile/someone', false],
  ]);
});

describe('extractProfile', () => {
  it('is null off profile pages', () => {
    expect(xAdapter.extractProfile(load('status.html', STATUS_URL), STATUS_URL)).toBeNull();
  });

  it('prefers the handle as the page shows it to the URL spelling', () => {
    const url = new URL('https://x.com/gazt_1977');
    expect(xAdapter.extractProfile(load('profile.html', url), url)).toMatchObject({
      handle: 'GazT_1977',
      profileUrl: 'https://x.com/GazT_1977',
      accountId: '512398764',
    });
  });

  it('reads "This account doesn’t exist" as not-found', () => {
    const url = new URL('https://x.com/NoSuchPerson');
    const doc = new JSDOM(
      `<div data-testid="primaryColumn"><div data-testid="UserName"><div dir="ltr"><span>@NoSuchPerson</span></div></div>
       <div data-testid="emptyState"><div data-testid="empty_state_header_text">This account doesn’t exist</div></div></div>`,
    ).window.document;
    expect(xAdapter.extractProfile(doc, url)).toMatchObject({ handle: 'NoSuchPerson', state: 'not-found' });
  });

  it('reads a page with only a login prompt as a login wall, keeping the handle from the URL', () => {
    const url = new URL('https://x.com/GazT_1977');
    const doc = new JSDOM('<main><h1>Sign in to X</h1><a href="/i/flow/login" role="link">Sign in</a></main>').window
      .document;
    expect(xAdapter.extractProfile(doc, url)).toMatchObject({
      handle: 'GazT_1977',
      displayName: null,
      verified: null,
      state: 'login-wall',
    });
  });

  it('says unknown when the page shows neither a profile nor a known notice', () => {
    const url = new URL('https://x.com/GazT_1977');
    expect(xAdapter.extractProfile(new JSDOM('<main></main>').window.document, url)?.state).toBe('unknown');
  });
});

// Guards against drift from X's real markup; the saved pages live beside the project, not in it.
const REAL_STATUS = realworldPage('x-status-page-2026.html');
const REAL_PROFILE = realworldPage('x-profile-2025.html');

describe('x adapter on real saved X pages (when present)', () => {
  const loadReal = (path: string, url: URL) => documentAt(readFileSync(path, 'utf8'), url);

  it.skipIf(!existsSync(REAL_STATUS))('reads the focal post of a real status page', () => {
    const url = new URL('https://x.com/UaSmart/status/934106870834454529');
    const page = extractPage(loadReal(REAL_STATUS, url), url);
    expect(page.pageKind).toBe('post');
    expect(page.posts[0]).toMatchObject({
      permalink: 'https://x.com/UaSmart/status/934106870834454529',
      author: { handle: 'UaSmart', displayName: 'SmartUA' },
      shownTime: { iso: '2017-11-24T17:10:07.000Z' },
    });
    expect(page.posts[0]?.text).toMatch(/^Y terminamos el dia/);
    expect(page.posts[0]?.mediaUrls).toHaveLength(1);
  });

  it.skipIf(!existsSync(REAL_PROFILE))('reads the header and posts of a real profile page', () => {
    const url = new URL('https://x.com/kikobeats');
    const page = extractPage(loadReal(REAL_PROFILE, url), url);
    expect(page.profile).toMatchObject({
      handle: 'Kikobeats',
      displayName: 'Kiko Beats',
      state: 'public',
      accountId: '101198215',
    });
    expect(page.profile?.followersShown).toMatch(/^\d/);
    expect(page.profile?.postsShown).toMatch(/^\d/);
    expect(page.posts.length).toBeGreaterThan(0);
    for (const post of page.posts) {
      expect(post.permalink).toMatch(/^https:\/\/x\.com\/Kikobeats\/status\/\d+$/);
      expect(post.shownTime.iso).not.toBeNull();
      expect(post.text).toBeTruthy();
    }
  });
});
