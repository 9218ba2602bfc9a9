import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../src/sites';
import { instagramAdapter } from '../../../src/sites/instagram';
import { countShownAs, titledProfileName } from '../../../src/sites/meta-shared';
import {
  blankPost,
  documentAt,
  extractOnlyPost,
  fixtureLoader,
  itExtractsEachPage,
  itIsPickedByUrl,
  itMatchesUrls,
  itReadsPageKinds,
  listedPages,
  postWithId,
  requireElement,
} from './fixture-pages';

const { load } = fixtureLoader('instagram');
const PAGES = await listedPages('instagram');
const POST_URL = new URL('https://www.instagram.com/p/DBx3kLmN4pQ/');
const FEED_URL = new URL('https://www.instagram.com/');
const PROFILE_URL = new URL('https://www.instagram.com/gary.thornbury77/');
const DM_URL = new URL('https://www.instagram.com/direct/t/340282366841710301244259521048223456/');
const COMMENT = '17912345678901234';
const REPLY = '18034567890123456';
const GARY_COMMENT = '17987654321098765';

const html = (body: string, url: URL = FEED_URL): Document => documentAt(body, url);
const itemById = (doc: Document, id: string, url: URL = POST_URL): Element =>
  postWithId(instagramAdapter, doc, url, id);
const onlyPost = (doc: Document, url: URL = FEED_URL) => extractOnlyPost(instagramAdapter, doc, url);

describe('instagram adapter on the fixture pages', () => {
  itExtractsEachPage('instagram', PAGES);
});

describe('comments', () => {
  it('postContaining gives the comment or reply the click was in, and the post for its caption', () => {
    const doc = load('post.html', POST_URL);
    const reply = itemById(doc, REPLY);
    expect(instagramAdapter.postContaining(requireElement(reply, 'span[dir="auto"] a'))).toBe(reply);
    const comment = itemById(doc, COMMENT);
    expect(instagramAdapter.postContaining(requireElement(comment, 'time'))).toBe(comment);
    const article = requireElement(doc, 'article');
    expect(instagramAdapter.postContaining(requireElement(doc, 'h1'))).toBe(article);
    expect(instagramAdapter.postContaining(requireElement(doc, 'nav'))).toBeNull();
  });

  it('a list item that only holds replies is not a comment', () => {
    const doc = load('post.html', POST_URL);
    const items = instagramAdapter.listPosts(doc);
    expect(items.map((item) => item.tagName)).toEqual(['ARTICLE', 'LI', 'LI', 'LI']);
    expect(items.slice(1).every((item) => item.querySelector('li') === null)).toBe(true);
  });

  it('a reply links the comment its permalink names; a comment links the post', () => {
    const doc = load('post.html', POST_URL);
    expect(instagramAdapter.extractPost(itemById(doc, REPLY), POST_URL)).toMatchObject({
      permalink: `https://www.instagram.com/p/DBx3kLmN4pQ/c/${COMMENT}/r/${REPLY}/`,
      isReply: true,
      replyToUrl: `https://www.instagram.com/p/DBx3kLmN4pQ/c/${COMMENT}/`,
    });
    expect(instagramAdapter.extractPost(itemById(doc, GARY_COMMENT), POST_URL).replyToUrl).toBe(
      'https://www.instagram.com/p/DBx3kLmN4pQ/',
    );
  });

  it('a reply whose permalink names no parent is a reply to a comment the page does not name', () => {
    const doc = load('post.html', POST_URL);
    const link = requireElement(itemById(doc, REPLY), 'a[href*="/r/"]');
    link.setAttribute('href', `/p/DBx3kLmN4pQ/c/${REPLY}/`);
    expect(instagramAdapter.extractPost(itemById(doc, REPLY), POST_URL)).toMatchObject({
      permalink: `https://www.instagram.com/p/DBx3kLmN4pQ/c/${REPLY}/`,
      isReply: true,
      replyToUrl: null,
    });
  });

  it('the comment text leaves out the author link, the time and the Reply and likes buttons', () => {
    const post = instagramAdapter.extractPost(itemById(load('post.html', POST_URL), COMMENT), POST_URL);
    expect(post.text).toBe('Will be there Saturday with my mum 👍');
  });

  it('mainPost is the comment or reply a /c/ URL names, else the post', () => {
    const doc = load('post.html', POST_URL);
    const commentUrl = new URL(`https://www.instagram.com/p/DBx3kLmN4pQ/c/${GARY_COMMENT}/`);
    expect(instagramAdapter.mainPost(doc, commentUrl)).toBe(itemById(doc, GARY_COMMENT));
    const replyUrl = new URL(`https://www.instagram.com/p/DBx3kLmN4pQ/c/${COMMENT}/r/${REPLY}/`);
    expect(extractPage(doc, replyUrl).posts[0]?.postId).toBe(REPLY);
    const article = requireElement(doc, 'article');
    expect(instagramAdapter.mainPost(doc, POST_URL)).toBe(article);
    expect(instagramAdapter.mainPost(doc, new URL('https://www.instagram.com/priya.natarajan.mp/p/DBx3kLmN4pQ/'))).toBe(
      article,
    );
    expect(instagramAdapter.mainPost(load('feed.html', FEED_URL), FEED_URL)).toBeNull();
  });
});

describe('posts', () => {
  it('a repost is the original post, by its author, not the account that reposted it', () => {
    const post = extractPage(load('feed.html', FEED_URL), FEED_URL).posts[1];
    expect(post).toMatchObject({
      permalink: 'https://www.instagram.com/reel/DCZ7pLmKq2w/',
      author: { handle: 'holbeck.truth' },
      text: "What the candidate won't tell you 👇 Share before it's deleted",
    });
  });

  it('the feed caption is the text after the actions row, not the likes line or the author name', () => {
    const post = extractPage(load('feed.html', FEED_URL), FEED_URL).posts[0];
    expect(post?.text).toBe(
      "Where @priya.natarajan.mp's leaflets belong 🗑️ Holbeck doesn't want her. Time someone paid her office a visit.",
    );
  });

  it('a sponsored item has its author and caption but no permalink or time', () => {
    const post = extractPage(load('feed.html', FEED_URL), FEED_URL).posts[2];
    expect(post).toMatchObject({
      permalink: null,
      postId: null,
      author: { handle: 'holbeck_kitchens' },
      shownTime: { raw: null, iso: null },
    });
  });

  it('lists photos and video posters, not profile pictures or blob: video sources', () => {
    const posts = extractPage(load('feed.html', FEED_URL), FEED_URL).posts;
    expect(posts[0]?.mediaUrls).toEqual([
      'https://scontent-lhr8-1.cdninstagram.com/v/t51.29350-15/468801234_leaflet_bin_n.jpg',
    ]);
    expect(posts[1]?.mediaUrls).toEqual([
      'https://scontent-lhr8-1.cdninstagram.com/v/t51.71878-15/468700001_reel_poster_n.jpg',
    ]);
  });

  it('keeps the shown time as raw and the datetime as ISO', () => {
    const post = extractPage(load('feed.html', FEED_URL), FEED_URL).posts[0];
    expect(post?.shownTime).toEqual({ raw: '3h', iso: '2026-11-23T06:41:00.000Z' });
  });

  it('without an author link, a mention in the caption is not taken for the author', () => {
    const post = onlyPost(
      html(`<article><a href="/p/DCa81QwErTy/"><time datetime="2026-11-23T06:41:00.000Z">3h</time></a>
        <section><svg aria-label="Like"></svg></section>
        <div><span dir="auto">Ask <a href="/priya.natarajan.mp/">@priya.natarajan.mp</a> why</span></div></article>`),
    );
    expect(post.author).toEqual({ displayName: null, handle: null, profileUrl: null });
    expect(post.text).toBe('Ask @priya.natarajan.mp why');
    expect(post.permalink).toBe('https://www.instagram.com/p/DCa81QwErTy/');
  });

  it('a post without time, author, text or link gives nulls, not a crash', () => {
    expect(onlyPost(html('<article><div>Post unavailable</div></article>'))).toEqual(blankPost('instagram'));
  });

  it('a time without a zone keeps its text and gets no ISO time', () => {
    const post = onlyPost(
      html('<article><a href="/p/DCa81QwErTy/"><time datetime="2026-11-23">Nov 23</time></a></article>'),
    );
    expect(post.shownTime).toEqual({ raw: 'Nov 23', iso: null });
  });
});

describe('direct messages', () => {
  const messages = () => extractPage(load('dm.html', DM_URL), DM_URL).posts;

  it('lists bubbles, not the time separators', () => {
    expect(messages()).toHaveLength(5);
  });

  it('every message carries the conversation as its header shows it', () => {
    const conversation = {
      title: 'Gary Thornbury',
      url: 'https://www.instagram.com/direct/t/340282366841710301244259521048223456/',
      participants: ['gary.thornbury77'],
    };
    for (const message of messages()) expect(message.conversation).toEqual(conversation);
  });

  it('your own messages are "You" with no handle; the other person’s carry the handle from their avatar', () => {
    const [first, , own, photo] = messages();
    expect(own?.author).toEqual({ displayName: 'You', handle: null, profileUrl: null });
    // The first bubble of a run has no avatar beside it; the run's last one does.
    expect(first?.author).toEqual({
      displayName: 'Gary Thornbury',
      handle: 'gary.thornbury77',
      profileUrl: 'https://www.instagram.com/gary.thornbury77/',
    });
    expect(photo).toMatchObject({
      text: null,
      mediaUrls: ['https://scontent-lhr8-1.cdninstagram.com/v/t51.29350-15/469000001_office_door_n.jpg'],
    });
  });

  it('a run without an avatar takes the handle from the header link of that name', () => {
    const doc = load('dm.html', DM_URL);
    for (const avatar of Array.from(doc.querySelectorAll('[role="grid"] a'))) avatar.remove();
    const message = instagramAdapter.extractPost(instagramAdapter.listPosts(doc)[0] ?? doc.body, DM_URL);
    expect(message.author.handle).toBe('gary.thornbury77');
  });

  it('a message’s time is its separator’s; a time of its own is put under the separator’s day', () => {
    expect(messages().map((message) => message.shownTime.raw)).toEqual([
      '20 Nov 2026, 21:14',
      '20 Nov 2026, 21:14',
      '20 Nov 2026, 21:14',
      '23 Nov 2026, 08:05',
      '23 Nov 2026, 08:05',
    ]);
    const doc = load('dm.html', DM_URL);
    const row = instagramAdapter.listPosts(doc)[1];
    if (!row) throw new Error('no second message');
    requireElement(row, '.bubble').insertAdjacentHTML('beforeend', '<time>21:16</time>');
    expect(instagramAdapter.extractPost(row, DM_URL).shownTime).toEqual({ raw: '20 Nov 2026 at 21:16', iso: null });
  });

  it('a notice row ("… unsent a message") is not taken for a time separator', () => {
    const doc = load('dm.html', DM_URL);
    const row = instagramAdapter.listPosts(doc)[3];
    if (!row) throw new Error('no fourth message');
    row.insertAdjacentHTML('beforebegin', '<div role="row"><span>Gary Thornbury unsent a message</span></div>');
    expect(instagramAdapter.extractPost(row, DM_URL).shownTime.raw).toBe('23 Nov 2026, 08:05');
  });

  it('postContaining gives the message row; locating without a click has every row to choose from', () => {
    const doc = load('dm.html', DM_URL);
    const rows = instagramAdapter.listPosts(doc);
    const text = Array.from(doc.querySelectorAll('[role="grid"] div[dir="auto"]')).find((el) =>
      el.textContent?.startsWith('Found your office'),
    );
    if (!text) throw new Error('no message text');
    expect(instagramAdapter.postContaining(text)).toBe(rows[4]);
    expect(instagramAdapter.mainPost(doc, DM_URL)).toBeNull();
  });
});

describe('pageKind and matchesUrl', () => {
  const doc = html('');
  itReadsPageKinds(instagramAdapter, doc, [
    [POST_URL.href, 'post'],
    ['https://www.instagram.com/p/DBx3kLmN4pQ', 'post'],
    ['https://www.instagram.com/reel/DCZ7pLmKq2w/', 'post'],
    ['https://www.instagram.com/reels/DCZ7pLmKq2w/', 'post'],
    ['https://www.instagram.com/tv/DCZ7pLmKq2w/', 'post'],
    ['https://www.instagram.com/gary.thornbury77/p/DCa81QwErTy/', 'post'],
    ['https://www.instagram.com/gary.thornbury77/reel/DCW9kJhGfDs/', 'post'],
    [`https://www.instagram.com/p/DBx3kLmN4pQ/c/${COMMENT}/`, 'post'],
    [`https://www.instagram.com/p/DBx3kLmN4pQ/c/${COMMENT}/r/${REPLY}/`, 'post'],
    [DM_URL.href, 'conversation'],
    [PROFILE_URL.href, 'profile'],
    ['https://www.instagram.com/gary.thornbury77', 'profile'],
    ['https://www.instagram.com/gary.thornbury77/reels/', 'profile'],
    ['https://www.instagram.com/gary.thornbury77/tagged/', 'profile'],
    [FEED_URL.href, 'timeline'],
    ['https://www.instagram.com/explore/', 'timeline'],
    ['https://www.instagram.com/explore/tags/holbeck/', 'timeline'],
    ['https://www.instagram.com/direct/inbox/', 'unknown'],
    ['https://www.instagram.com/accounts/edit/', 'unknown'],
    ['https://www.instagram.com/stories/gary.thornbury77/3512345678901234567/', 'unknown'],
    ['https://www.instagram.com/p/DBx3kLmN4pQ/liked_by/', 'unknown'],
    ['https://www.instagram.com/gary.thornbury77/likes/extra/', 'unknown'],
    ['https://www.instagram.com/constructor/DBx3kLmN4pQ/', 'unknown'],
  ]);

  itMatchesUrls(instagramAdapter, [
    ['https://www.instagram.com/', true],
    ['https://instagram.com/', false],
    ['https://www.threads.com/', false],
    ['https://scontent-lhr8-1.cdninstagram.com/a.jpg', false],
    ['https://notinstagram.com/', false],
  ]);

  itIsPickedByUrl(instagramAdapter, 'Instagram', doc, POST_URL, ['https://www.instagram.com/*']);
});

describe('extractProfile', () => {
  it('is null off profile pages', () => {
    expect(instagramAdapter.extractProfile(load('post.html', POST_URL), POST_URL)).toBeNull();
    expect(instagramAdapter.extractProfile(load('dm.html', DM_URL), DM_URL)).toBeNull();
  });

  it('reads the profile on one of its tabs, with the handle as the page spells it', () => {
    const url = new URL('https://www.instagram.com/Gary.Thornbury77/reels/');
    expect(instagramAdapter.extractProfile(load('profile.html', PROFILE_URL), url)).toMatchObject({
      handle: 'gary.thornbury77',
      profileUrl: 'https://www.instagram.com/gary.thornbury77/',
      displayName: 'Gary Thornbury',
      state: 'public',
    });
  });

  it('a verified badge in the header is read; counts keep their rounding', () => {
    const doc = html(
      `<main><header><h2>priya.natarajan.mp</h2><svg aria-label="Verified"></svg>
       <ul><li><span>1 post</span></li><li><a href="/priya.natarajan.mp/followers/"><span title="1,204,000">1.2M</span> followers</a></li></ul></header></main>`,
    );
    const url = new URL('https://www.instagram.com/priya.natarajan.mp/');
    expect(instagramAdapter.extractProfile(doc, url)).toMatchObject({
      verified: true,
      postsShown: '1',
      followersShown: '1.2M',
      displayName: null,
    });
  });

  it.each([
    [
      '<main><header><h2>gary.thornbury77</h2><ul><li>48 posts</li></ul></header><div><h2>This account is private</h2><div>Follow to see their photos and videos.</div></div></main>',
      'protected',
    ],
    [
      "<main><div><span>Profile isn't available</span><span>The link may be broken, or the profile may have been removed.</span></div></main>",
      'not-found',
    ],
    ['<main><h2>Sorry, this page isn\u2019t available.</h2></main>', 'not-found'],
    [
      '<div><form id="loginForm"><input name="username"><input name="password" type="password"></form></div>',
      'login-wall',
    ],
    ['<main><div>Log in to see photos and videos from friends.</div></main>', 'login-wall'],
    ['<main></main>', 'unknown'],
  ])('reads %s as %s', (body, state) => {
    expect(instagramAdapter.extractProfile(html(body, PROFILE_URL), PROFILE_URL)).toMatchObject({
      state,
      handle: 'gary.thornbury77',
    });
  });
});

describe('shared Meta profile reading', () => {
  it('takes the display name only from a title that names this handle', () => {
    const doc = html('<title>Gary Thornbury (@gary.thornbury77) • Instagram photos and videos</title>');
    expect(titledProfileName(doc, 'Gary.Thornbury77')).toBe('Gary Thornbury');
    expect(titledProfileName(doc, 'sue.holbeck')).toBeNull();
    const og = html('<head><meta property="og:title" content="@sue.holbeck • Instagram photos and videos"></head>');
    expect(titledProfileName(og, 'sue.holbeck')).toBeNull();
  });

  it('reads a count only where the whole text is the count and its label', () => {
    const root = html('<div><p>I have 40 followers and counting</p><span>1,024 followers</span></div>').body;
    expect(countShownAs(root, 'followers?')).toBe('1,024');
    expect(countShownAs(root, 'following')).toBeNull();
  });
});
