import { existsSync, readFileSync } from 'node:fs';
import { JSDOM, VirtualConsole } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { adapterForPage, extractPage } from '../../../src/sites';
import { redditAdapter } from '../../../src/sites/reddit';
import type { PageExtract } from '../../../src/sites/types';
import {
  fixtureLoader,
  itExtractsEachPage,
  itMatchesUrls,
  itReadsPageKinds,
  listedPages,
  requireElement,
  realworldPage,
} from './fixture-pages';

const { load } = fixtureLoader('reddit');
const PAGES = await listedPages('reddit');
const PATH = '/r/Leeds/comments/1h2k3m4/priya_natarajan_opens_holbeck_office_again/';
const POST_URL = new URL(`https://www.reddit.com${PATH}`);
const OLD_POST_URL = new URL(`https://old.reddit.com${PATH}`);
const FEED_URL = new URL('https://www.reddit.com/r/Leeds/');

function item(doc: Document, fullname: string): Element {
  const found = doc.querySelector(
    `shreddit-comment[thingid="${fullname}"], shreddit-post[id="${fullname}"], .thing[data-fullname="${fullname}"]`,
  );
  if (!found) throw new Error(`fixture has no ${fullname}`);
  return found;
}

describe('reddit adapter on the fixture pages', () => {
  itExtractsEachPage('reddit', PAGES);

  it('reads the same thread alike on new and old Reddit, apart from the comment permalink spelling', () => {
    const fresh = extractPage(load('post.html', POST_URL), POST_URL).posts;
    const old = extractPage(load('old-post.html', OLD_POST_URL), OLD_POST_URL).posts;
    const strip = (posts: PageExtract['posts']) => posts.map(({ permalink: _p, replyToUrl: _r, ...rest }) => rest);
    expect(strip(old)).toEqual(strip(fresh));
  });
});

describe('comments', () => {
  it.each([
    ['post.html', POST_URL],
    ['old-post.html', OLD_POST_URL],
  ])('%s: postContaining gives the innermost comment the click was in', (file, url) => {
    const doc = load(file, url);
    const reply = item(doc, 't1_m1g7h8j');
    const inReplyText = requireElement(reply, 'p');
    expect(redditAdapter.postContaining(inReplyText)).toBe(reply);
    const parentText = requireElement(item(doc, 't1_m1a2b3c'), 'p');
    expect(redditAdapter.postContaining(parentText)).toBe(item(doc, 't1_m1a2b3c'));
  });

  it.each([
    ['post.html', POST_URL],
    ['old-post.html', OLD_POST_URL],
  ])('%s: a parent comment’s text and time leave out its replies', (file, url) => {
    const post = redditAdapter.extractPost(item(load(file, url), 't1_m1a2b3c'), url);
    expect(post.text).toBe(
      'Bit much mate. Disagree with her by all means but "we know where the office is" is a threat.',
    );
    expect(post.shownTime.iso).toBe('2026-11-20T18:55:10.000Z');
  });

  it('a nested reply links the comment it answers; a top-level comment links the post', () => {
    const doc = load('post.html', POST_URL);
    expect(redditAdapter.extractPost(item(doc, 't1_m1g7h8j'), POST_URL)).toMatchObject({
      isReply: true,
      replyToUrl: 'https://www.reddit.com/r/Leeds/comments/1h2k3m4/comment/m1a2b3c/',
    });
    expect(redditAdapter.extractPost(item(doc, 't1_m1d4e5f'), POST_URL).replyToUrl).toBe(POST_URL.href);
  });

  it('leaves the parent unlinked when the page does not hold the parent comment', () => {
    const doc = load('post.html', POST_URL);
    const reply = item(doc, 't1_m1g7h8j');
    requireElement(doc, 'shreddit-comment-tree').append(reply);
    item(doc, 't1_m1a2b3c').remove();
    expect(redditAdapter.extractPost(reply, POST_URL)).toMatchObject({ isReply: true, replyToUrl: null });
  });

  it('a comment by a deleted account has no author', () => {
    const post = redditAdapter.extractPost(item(load('post.html', POST_URL), 't1_m1k9l0n'), POST_URL);
    expect(post.author).toEqual({ displayName: null, handle: null, profileUrl: null });
  });

  it('mainPost is the comment a comment permalink names, else the post', () => {
    const doc = load('post.html', POST_URL);
    const commentUrl = new URL('https://www.reddit.com/r/Leeds/comments/1h2k3m4/comment/m1d4e5f/');
    expect(redditAdapter.mainPost(doc, commentUrl)).toBe(item(doc, 't1_m1d4e5f'));
    expect(extractPage(doc, commentUrl).posts[0]?.postId).toBe('t1_m1d4e5f');
    const oldDoc = load('old-post.html', OLD_POST_URL);
    const oldCommentUrl = new URL(`https://old.reddit.com${PATH}m1g7h8j/`);
    expect(redditAdapter.mainPost(oldDoc, oldCommentUrl)).toBe(item(oldDoc, 't1_m1g7h8j'));
    expect(redditAdapter.mainPost(doc, POST_URL)).toBe(item(doc, 't3_1h2k3m4'));
    expect(redditAdapter.mainPost(load('feed.html', FEED_URL), FEED_URL)).toBeNull();
  });
});

describe('posts', () => {
  it('lists media posted to Reddit, not avatars or community icons', () => {
    const doc = load('feed.html', FEED_URL);
    expect(redditAdapter.extractPost(item(doc, 't3_1h2m7q9'), FEED_URL).mediaUrls).toEqual([
      'https://i.redd.it/holbeckofficefront.jpeg',
    ]);
  });

  it('skips promoted posts', () => {
    const doc = load('feed.html', FEED_URL);
    expect(redditAdapter.postContaining(requireElement(doc, 'shreddit-ad-post h2'))).toBeNull();
  });

  it('before faceplate-timeago renders, keeps the ISO time from ts and no shown text', () => {
    const doc = load('post.html', POST_URL);
    const post = item(doc, 't3_1h2k3m4');
    requireElement(post, 'faceplate-timeago time').remove();
    expect(redditAdapter.extractPost(post, POST_URL).shownTime).toEqual({ raw: null, iso: '2026-11-20T18:42:07.000Z' });
  });

  it('gives null times when the post shows none', () => {
    const doc = load('post.html', POST_URL);
    const post = item(doc, 't3_1h2k3m4');
    requireElement(post, 'faceplate-timeago').remove();
    post.removeAttribute('created-timestamp');
    expect(redditAdapter.extractPost(post, POST_URL).shownTime).toEqual({ raw: null, iso: null });
  });

  it('falls back to post-title when the title slot is missing', () => {
    const doc = load('feed.html', FEED_URL);
    const post = item(doc, 't3_1h2m7q9');
    requireElement(post, '[slot="title"]').remove();
    expect(redditAdapter.extractPost(post, FEED_URL).text).toBe('This is her office apparently');
  });
});

describe('pageKind and matchesUrl', () => {
  const doc = new JSDOM('').window.document;
  itReadsPageKinds(redditAdapter, doc, [
    [POST_URL.href, 'post'],
    ['https://www.reddit.com/r/Leeds/comments/1h2k3m4/comment/m1d4e5f/', 'post'],
    [`https://old.reddit.com${PATH}m1d4e5f/`, 'post'],
    ['https://www.reddit.com/comments/1h2k3m4', 'post'],
    ['https://www.reddit.com/user/GazT_1977/', 'profile'],
    ['https://www.reddit.com/u/GazT_1977', 'profile'],
    ['https://old.reddit.com/user/GazT_1977/submitted/', 'profile'],
    ['https://www.reddit.com/user/GazT_1977/saved/', 'unknown'],
    ['https://www.reddit.com/', 'timeline'],
    ['https://www.reddit.com/r/Leeds/', 'timeline'],
    ['https://www.reddit.com/r/Leeds/new/', 'timeline'],
    ['https://www.reddit.com/search/?q=holbeck', 'timeline'],
    ['https://www.reddit.com/r/Leeds/wiki/index', 'unknown'],
    ['https://www.reddit.com/settings/', 'unknown'],
  ]);

  itMatchesUrls(redditAdapter, [
    ['https://www.reddit.com/r/Leeds/', true],
    ['https://old.reddit.com/r/Leeds/', true],
    ['https://reddit.com/r/Leeds/', false],
    ['https://www.redditmedia.com/', false],
    ['https://i.redd.it/x.jpeg', false],
    ['https://notreddit.com/', false],
  ]);

  it('adapterForPage picks Reddit by URL', () => {
    expect(adapterForPage(doc, POST_URL)).toBe(redditAdapter);
  });
});

describe('extractProfile', () => {
  it('is null off profile pages', () => {
    expect(redditAdapter.extractProfile(load('post.html', POST_URL), POST_URL)).toBeNull();
  });

  it('reads old Reddit’s sidebar', () => {
    const url = new URL('https://old.reddit.com/user/GazT_1977');
    const doc = new JSDOM(
      `<body class="profile-page"><div class="side"><div class="titlebox"><h1>GazT_1977</h1>
       <span class="karma">1,482</span> post karma <span class="age">redditor for <time datetime="2012-03-14T09:12:44+00:00">14 years</time></span></div></div>
       <div class="thing link" data-fullname="t3_1gz8c4d" data-author="GazT_1977" data-author-fullname="t2_5x8k2m9q" data-permalink="/r/x/comments/1gz8c4d/y/"></div></body>`,
      { url: url.href },
    ).window.document;
    expect(redditAdapter.extractProfile(doc, url)).toMatchObject({
      handle: 'GazT_1977',
      joinedShown: 'redditor for 14 years',
      accountId: 't2_5x8k2m9q',
      state: 'public',
    });
  });

  it.each([
    ['<main><h1>u/GoneGary</h1><p>This account has been suspended</p></main>', 'suspended'],
    ['<main><p>Sorry, nobody on Reddit goes by that name.</p></main>', 'not-found'],
    ['<main><p>You must be 18+ to view this community</p><a>Log in to view</a></main>', 'login-wall'],
    ['<main></main>', 'unknown'],
  ])('reads %s as %s', (html, state) => {
    const url = new URL('https://www.reddit.com/user/GoneGary/');
    expect(redditAdapter.extractProfile(new JSDOM(html).window.document, url)).toMatchObject({
      state,
      handle: 'GoneGary',
    });
  });
});

// Guards against drift from Reddit's real markup; the saved page lives beside the project, not in it.
const REAL_POST = realworldPage('reddit-shreddit-post-2024.html');

describe('reddit adapter on a real saved page (when present)', () => {
  it.skipIf(!existsSync(REAL_POST))('reads the post of a real shreddit post page', () => {
    const url = new URL(
      'https://www.reddit.com/r/investing/comments/7pfpeq/buffett_on_cyrptocurrencies_i_can_say_almost_with/',
    );
    // A silent console: the saved page carries CSS jsdom cannot parse.
    const dom = new JSDOM(readFileSync(REAL_POST, 'utf8'), { url: url.href, virtualConsole: new VirtualConsole() });
    const page = extractPage(dom.window.document, url);
    expect(page.pageKind).toBe('post');
    expect(page.posts[0]).toMatchObject({
      permalink: url.href,
      postId: 't3_7pfpeq',
      author: { handle: 'dennisrieves' },
      shownTime: { iso: '2018-01-10T13:56:05.174Z' },
      isReply: false,
    });
    expect(page.posts[0]?.text).toMatch(/^Buffett on cyrptocurrencies: 'I can say almost with certainty/);
  });
});
