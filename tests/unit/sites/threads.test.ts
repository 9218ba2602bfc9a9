import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../src/sites';
import { threadsAdapter } from '../../../src/sites/threads';
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

const { load, expected } = fixtureLoader('threads');
const PAGES = await listedPages('threads');
const POST_URL = new URL('https://www.threads.com/@priya.natarajan.mp/post/DCc1AbCdEfG');
const FEED_URL = new URL('https://www.threads.com/');
const PROFILE_URL = new URL('https://www.threads.com/@gary.thornbury77');
const POST_PERMALINK = 'https://www.threads.com/@priya.natarajan.mp/post/DCc1AbCdEfG';
const SUE_REPLY = 'DCc2XyZaBcD';
const GARY_ANSWER = 'DCe5MnOpQrS';
const GARY_REPLY = 'DCf7UvWxYzA';

const html = (body: string, url: URL = FEED_URL): Document => documentAt(body, url);
const postById = (doc: Document, id: string, url: URL): Element => postWithId(threadsAdapter, doc, url, id);
const onlyPost = (doc: Document, url: URL = FEED_URL) => extractOnlyPost(threadsAdapter, doc, url);

describe('threads adapter on the fixture pages', () => {
  itExtractsEachPage('threads', PAGES);

  it('reads a threads.net page the same, with permalinks on threads.com', () => {
    const net = new URL('https://www.threads.net/@priya.natarajan.mp/post/DCc1AbCdEfG');
    expect(extractPage(load('post.html', net), net).posts).toEqual(expected('post').posts);
  });
});

describe('replies on a post page', () => {
  it('the first reply of a chain answers the post; the next answers the reply above it', () => {
    const posts = extractPage(load('post.html', POST_URL), POST_URL).posts;
    const byId = (id: string) => posts.find((post) => post.postId === id);
    expect(posts[0]).toMatchObject({ postId: 'DCc1AbCdEfG', isReply: false, replyToUrl: null });
    expect(byId(SUE_REPLY)).toMatchObject({ isReply: true, replyToUrl: POST_PERMALINK });
    expect(byId(GARY_ANSWER)).toMatchObject({
      isReply: true,
      replyToUrl: `https://www.threads.com/@sue.holbeck/post/${SUE_REPLY}`,
    });
    // Its own chain: it answers the post, not the reply in the chain above.
    expect(byId(GARY_REPLY)).toMatchObject({ isReply: true, replyToUrl: POST_PERMALINK });
  });

  it('on a reply’s own page, the posts above it are its ancestors', () => {
    const url = new URL(`https://www.threads.com/@gary.thornbury77/post/${GARY_ANSWER}`);
    const doc = load('post.html', url);
    expect(threadsAdapter.mainPost(doc, url)).toBe(postById(doc, GARY_ANSWER, url));
    const posts = extractPage(doc, url).posts;
    expect(posts[0]).toMatchObject({
      postId: GARY_ANSWER,
      replyToUrl: `https://www.threads.com/@sue.holbeck/post/${SUE_REPLY}`,
    });
    expect(posts.find((post) => post.postId === 'DCc1AbCdEfG')).toMatchObject({ isReply: false, replyToUrl: null });
    expect(posts.find((post) => post.postId === SUE_REPLY)?.replyToUrl).toBe(POST_PERMALINK);
  });

  it('postContaining gives the reply the click was in', () => {
    const doc = load('post.html', POST_URL);
    const reply = postById(doc, GARY_ANSWER, POST_URL);
    expect(threadsAdapter.postContaining(requireElement(reply, 'span[dir="auto"] a'))).toBe(reply);
    expect(threadsAdapter.postContaining(requireElement(doc, 'nav'))).toBeNull();
  });

  it('mainPost is the post the URL names, and null off post pages', () => {
    const doc = load('post.html', POST_URL);
    expect(threadsAdapter.mainPost(doc, POST_URL)).toBe(postById(doc, 'DCc1AbCdEfG', POST_URL));
    expect(threadsAdapter.mainPost(load('feed.html', FEED_URL), FEED_URL)).toBeNull();
  });

  it('a deleted reply is recorded with nothing but its place', () => {
    const posts = extractPage(load('post.html', POST_URL), POST_URL).posts;
    expect(posts[4]).toMatchObject({
      permalink: null,
      postId: null,
      author: { handle: null },
      text: null,
      shownTime: { raw: null, iso: null },
    });
  });

  it('a feed gives no reply facts', () => {
    expect(
      extractPage(load('feed.html', FEED_URL), FEED_URL).posts.every(
        (post) => !post.isReply && post.replyToUrl === null,
      ),
    ).toBe(true);
  });
});

describe('quotes and reposts', () => {
  it('a click inside a quoted post gives the quoted post; outside it, the quoting one', () => {
    const doc = load('feed.html', FEED_URL);
    const quoting = postById(doc, 'DCg9HjKlMnB', FEED_URL);
    const quoted = postById(doc, 'DCc1AbCdEfG', FEED_URL);
    expect(quoted.parentElement?.closest('[data-pressable-container]')).toBe(quoting);
    expect(threadsAdapter.postContaining(requireElement(quoted, 'picture img'))).toBe(quoted);
    expect(threadsAdapter.postContaining(requireElement(quoting, 'span[dir="auto"] span'))).toBe(quoting);
  });

  it('the quoting post names the quoted one and keeps its text, time and media out', () => {
    const post = extractPage(load('feed.html', FEED_URL), FEED_URL).posts[0];
    expect(post).toMatchObject({
      postId: 'DCg9HjKlMnB',
      quotedPostUrl: POST_PERMALINK,
      text: "Look at this clown 🤡 Holbeck doesn't want you, love. Time someone paid that office a visit.",
      shownTime: { raw: '3h', iso: '2026-11-23T06:41:00.000Z' },
      mediaUrls: [],
    });
  });

  it('a repost is the original post, by its author, not the account that reposted it', () => {
    const post = extractPage(load('feed.html', FEED_URL), FEED_URL).posts[2];
    expect(post).toMatchObject({
      permalink: 'https://www.threads.com/@holbeck.truth/post/DCZ7pLmKq2w',
      author: { displayName: null, handle: 'holbeck.truth', profileUrl: 'https://www.threads.com/@holbeck.truth' },
      text: "What the candidate won't tell you 👇 Share before it's deleted",
    });
  });
});

describe('posts', () => {
  it('a sponsored post has its author and text but no permalink or time', () => {
    expect(extractPage(load('feed.html', FEED_URL), FEED_URL).posts[3]).toMatchObject({
      permalink: null,
      postId: null,
      author: { handle: 'holbeck_kitchens' },
      text: 'Winter sale: 30% off fitted kitchens across Leeds.',
      shownTime: { raw: null, iso: null },
    });
  });

  it('lists photos, video posters and videos, not profile pictures', () => {
    const posts = extractPage(load('feed.html', FEED_URL), FEED_URL).posts;
    expect(posts[1]?.mediaUrls).toEqual([
      'https://scontent-lhr8-1.cdninstagram.com/v/t51.29350-15/465123987_holbeck_library_n.jpg',
    ]);
    expect(posts[2]?.mediaUrls).toEqual([
      'https://scontent-lhr8-1.cdninstagram.com/v/t51.71878-15/468700001_reel_poster_n.jpg',
      'https://scontent-lhr8-1.cdninstagram.com/o1/v/t16/f2/m86/holbeck_truth_clip.mp4',
    ]);
  });

  it('without an author link, the handle is the one its permalink names', () => {
    const post = onlyPost(
      html(`<div data-pressable-container="true"><a href="/@gary.thornbury77/post/DCg9HjKlMnB"><time datetime="2026-11-23T06:41:00.000Z">3h</time></a>
        <span dir="auto">Go home</span></div>`),
    );
    expect(post.author).toEqual({
      displayName: null,
      handle: 'gary.thornbury77',
      profileUrl: 'https://www.threads.com/@gary.thornbury77',
    });
    expect(post.text).toBe('Go home');
  });

  it('a post without time, author, text or link gives nulls, not a crash', () => {
    expect(onlyPost(html('<div data-pressable-container="true"><span>Post unavailable</span></div>'))).toEqual(
      blankPost('threads'),
    );
  });
});

describe('pageKind and matchesUrl', () => {
  const doc = html('');
  itReadsPageKinds(threadsAdapter, doc, [
    [POST_URL.href, 'post'],
    ['https://www.threads.net/@priya.natarajan.mp/post/DCc1AbCdEfG', 'post'],
    ['https://www.threads.com/@priya.natarajan.mp/post/DCc1AbCdEfG/media', 'post'],
    [PROFILE_URL.href, 'profile'],
    ['https://www.threads.com/@gary.thornbury77/replies', 'profile'],
    ['https://www.threads.com/@gary.thornbury77/reposts', 'profile'],
    [FEED_URL.href, 'timeline'],
    ['https://www.threads.com/search?q=holbeck', 'timeline'],
    ['https://www.threads.com/activity', 'timeline'],
    ['https://www.threads.com/settings', 'unknown'],
    ['https://www.threads.com/gary.thornbury77', 'unknown'],
    ['https://www.threads.com/@gary.thornbury77/post/DCc1AbCdEfG/likes/x', 'unknown'],
    ['https://www.threads.com/@gary.thornbury77/unknown-tab', 'unknown'],
  ]);

  itMatchesUrls(threadsAdapter, [
    ['https://www.threads.com/', true],
    ['https://www.threads.net/', true],
    ['https://threads.com/', false],
    ['https://www.instagram.com/', false],
  ]);

  itIsPickedByUrl(threadsAdapter, 'Threads', doc, POST_URL, ['https://www.threads.com/*', 'https://www.threads.net/*']);
});

describe('extractProfile', () => {
  it('is null off profile pages', () => {
    expect(threadsAdapter.extractProfile(load('post.html', POST_URL), POST_URL)).toBeNull();
  });

  it('without a title naming the handle, the display name is the header’s h1', () => {
    const doc = html(
      '<div role="main"><div><h1>Priya Natarajan</h1><span dir="auto">priya.natarajan.mp</span><svg aria-label="Verified"></svg><div role="button"><span>1 follower</span></div></div></div>',
    );
    const url = new URL('https://www.threads.com/@priya.natarajan.mp');
    expect(threadsAdapter.extractProfile(doc, url)).toMatchObject({
      displayName: 'Priya Natarajan',
      handle: 'priya.natarajan.mp',
      bio: null,
      followersShown: '1',
      verified: true,
      state: 'public',
    });
  });

  it.each([
    [
      '<div role="main"><div><h1>Gary Thornbury</h1><span>1,024 followers</span></div><div><span>This profile is private.</span></div></div>',
      'protected',
    ],
    ['<div role="main"><h2>Sorry, this page isn\'t available</h2></div>', 'not-found'],
    ['<div role="main"><span>Log in or sign up for Threads</span><input type="password"></div>', 'login-wall'],
    ['<div role="main"></div>', 'unknown'],
  ])('reads %s as %s', (body, state) => {
    expect(threadsAdapter.extractProfile(html(body, PROFILE_URL), PROFILE_URL)).toMatchObject({
      state,
      handle: 'gary.thornbury77',
    });
  });
});
