import { existsSync, readFileSync } from 'node:fs';
import { JSDOM, VirtualConsole } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../src/sites';
import { facebookAdapter } from '../../../src/sites/facebook';
import type { PageExtract } from '../../../src/sites/types';
import {
  blankPost,
  fixtureLoader,
  itExtractsEachPage,
  itIsPickedByUrl,
  itMatchesUrls,
  itReadsPageKinds,
  listedPages,
  postWithId,
  requireElement,
  realworldPage,
} from './fixture-pages';

const { load } = fixtureLoader('facebook');
// The Messenger page is checked with the rest of the messages, in facebook-messenger.test.ts.
const PAGES = await listedPages('facebook', { except: ['messages.html', 'messages-2025.html'] });
const POST_URL = new URL('https://www.facebook.com/priya.natarajan.holbeck/posts/872340915528471');
const M_POST_URL = new URL('https://m.facebook.com/story.php?story_fbid=872340915528471&id=100064512345678');
const FEED_URL = new URL('https://www.facebook.com/');
const PROFILE_URL = new URL('https://www.facebook.com/gary.thornbury.77');

const itemById = (doc: Document, url: URL, id: string): Element => postWithId(facebookAdapter, doc, url, id);

describe('facebook adapter on the fixture pages', () => {
  itExtractsEachPage('facebook', PAGES);

  it('reads the same post and comments alike on www and m, apart from permalink spelling and what m hides logged out', () => {
    const www = extractPage(load('post.html', POST_URL), POST_URL).posts;
    const m = extractPage(load('m-post.html', M_POST_URL), M_POST_URL).posts;
    const strip = (posts: PageExtract['posts']) =>
      posts.map((post) => [post.postId, post.author.displayName, post.text]);
    // The www page also shows a comment from an account that is gone.
    expect(strip(www).slice(0, 4)).toEqual(strip(m));
  });
});

describe('comments', () => {
  it.each([
    ['post.html', POST_URL],
    ['m-post.html', M_POST_URL],
  ])('%s: postContaining gives the comment the click was in, not the post', (file, url) => {
    const doc = load(file, url);
    const reply = itemById(doc, url, '1190530018');
    const target = requireElement(reply, '[data-sigil="comment-body"], div[dir="auto"]');
    expect(facebookAdapter.postContaining(target)).toBe(reply);
    const parent = itemById(doc, url, '1190422335');
    expect(facebookAdapter.postContaining(requireElement(parent, '[data-sigil="comment-body"], div[dir="auto"]'))).toBe(
      parent,
    );
    const story = facebookAdapter.listPosts(doc)[0];
    expect(facebookAdapter.postContaining(requireElement(doc, '[data-ad-preview="message"], [data-gt*="*s"]'))).toBe(
      story,
    );
  });

  it('a parent comment on m keeps its nested reply out of its text and time', () => {
    const post = facebookAdapter.extractPost(
      itemById(load('m-post.html', M_POST_URL), M_POST_URL, '1190422335'),
      M_POST_URL,
    );
    expect(post.text).toBe("Nobody in Holbeck wants you. Stay in your office and we'll know where to find you 😡");
    expect(post.shownTime).toEqual({ raw: '2 hrs', iso: null });
  });

  it.each([
    ['post.html', POST_URL, 'https://www.facebook.com/priya.natarajan.holbeck/posts/872340915528471'],
    ['m-post.html', M_POST_URL, 'https://www.facebook.com/story.php?story_fbid=872340915528471&id=100064512345678'],
  ])('%s: a reply links the comment it answers; a comment links the post', (file, url, postUrl) => {
    const doc = load(file, url);
    expect(facebookAdapter.extractPost(itemById(doc, url, '1190530018'), url)).toMatchObject({
      isReply: true,
      permalink: `${postUrl}${postUrl.includes('?') ? '&' : '?'}comment_id=1190422335&reply_comment_id=1190530018`,
      replyToUrl: `${postUrl}${postUrl.includes('?') ? '&' : '?'}comment_id=1190422335`,
    });
    expect(facebookAdapter.extractPost(itemById(doc, url, '1190618872'), url).replyToUrl).toBe(postUrl);
  });

  it('a comment from an account that is gone has its shown name and no profile', () => {
    const post = facebookAdapter.extractPost(itemById(load('post.html', POST_URL), POST_URL, '1190700045'), POST_URL);
    expect(post.author).toEqual({ displayName: 'Facebook user', handle: null, profileUrl: null });
  });

  it('logged out on m, a commenter without a name link gets the account id from the avatar ring', () => {
    const post = facebookAdapter.extractPost(
      itemById(load('m-post.html', M_POST_URL), M_POST_URL, '1190422335'),
      M_POST_URL,
    );
    expect(post.author).toEqual({
      displayName: 'Gary Thornbury',
      handle: null,
      profileUrl: 'https://www.facebook.com/profile.php?id=100087654321098',
    });
  });

  it('mainPost is the comment a comment_id URL names, else the post', () => {
    const doc = load('post.html', POST_URL);
    const commentUrl = new URL(`${POST_URL.href}?comment_id=1190422335&reply_comment_id=1190530018`);
    expect(facebookAdapter.mainPost(doc, commentUrl)).toBe(itemById(doc, POST_URL, '1190530018'));
    expect(extractPage(doc, commentUrl).posts[0]?.postId).toBe('1190530018');
    expect(facebookAdapter.mainPost(doc, POST_URL)).toBe(facebookAdapter.listPosts(doc)[0]);
    expect(facebookAdapter.mainPost(load('feed.html', FEED_URL), FEED_URL)).toBeNull();
  });

  it('without the post on the page or in the URL, a comment has no permalink rather than a guessed one', () => {
    const doc = new JSDOM(
      `<div role="article" aria-label="Comment by Gary Thornbury"><a href="/gary.thornbury.77"><span dir="auto">Gary Thornbury</span></a><div dir="auto">Go home</div><span>2h</span></div>`,
    ).window.document;
    const post = facebookAdapter.extractPost(requireElement(doc, '[role="article"]'), FEED_URL);
    expect(post).toMatchObject({ permalink: null, postId: null, replyToUrl: null, isReply: true, text: 'Go home' });
    expect(post.author.handle).toBe('gary.thornbury.77');
  });
});

describe('posts', () => {
  it('drops tracking parameters from permalinks and profile links', () => {
    const [post] = extractPage(load('feed.html', FEED_URL), FEED_URL).posts;
    expect(post?.permalink).toBe('https://www.facebook.com/gary.thornbury.77/posts/pfbid02Kx7mQeN4aTz9hV3cL8');
    expect(post?.author.profileUrl).toBe('https://www.facebook.com/gary.thornbury.77');
  });

  it('a group post names its author by account id', () => {
    const post = extractPage(load('feed.html', FEED_URL), FEED_URL).posts[1];
    expect(post?.author).toEqual({
      displayName: 'Lee Marsh',
      handle: null,
      profileUrl: 'https://www.facebook.com/profile.php?id=100071234567890',
    });
  });

  it('a sponsored post has no permalink or time', () => {
    const post = extractPage(load('feed.html', FEED_URL), FEED_URL).posts[2];
    expect(post).toMatchObject({ permalink: null, postId: null, shownTime: { raw: null, iso: null } });
  });

  it('m: the ISO time is the story’s publish_time; without data-ft, only the shown text', () => {
    const doc = load('m-post.html', M_POST_URL);
    const story = facebookAdapter.listPosts(doc)[0];
    if (!story) throw new Error('no story');
    expect(facebookAdapter.extractPost(story, M_POST_URL).shownTime).toEqual({
      raw: '21 November at 09:12',
      iso: '2025-11-21T09:12:00.000Z',
    });
    story.removeAttribute('data-ft');
    expect(facebookAdapter.extractPost(story, M_POST_URL)).toMatchObject({
      shownTime: { raw: '21 November at 09:12', iso: null },
      // The time link still names the post.
      postId: '872340915528471',
    });
  });

  it('lists post photos, not avatars or emoji', () => {
    const doc = load('post.html', POST_URL);
    const story = facebookAdapter.listPosts(doc)[0];
    if (!story) throw new Error('no story');
    requireElement(story, '[data-ad-preview="message"] div').insertAdjacentHTML(
      'beforeend',
      '<img src="https://static.xx.fbcdn.net/images/emoji.php/v9/t2d/1/16/2615.png" alt="☕" height="16" width="16">',
    );
    expect(facebookAdapter.extractPost(story, POST_URL).mediaUrls).toEqual([
      'https://scontent.xx.fbcdn.net/v/t39.30808-6/holbeck_library_office_n.jpg',
    ]);
  });

  it('a post without author, text or time gives nulls, not a crash', () => {
    const doc = new JSDOM('<div role="article"><div>This content isn\'t available right now</div></div>').window
      .document;
    expect(facebookAdapter.extractPost(requireElement(doc, '[role="article"]'), FEED_URL)).toEqual(
      blankPost('facebook'),
    );
  });
});

describe('pageKind and matchesUrl', () => {
  const doc = new JSDOM('').window.document;
  itReadsPageKinds(facebookAdapter, doc, [
    [POST_URL.href, 'post'],
    [M_POST_URL.href, 'post'],
    ['https://www.facebook.com/permalink.php?story_fbid=pfbid0abc&id=100064512345678', 'post'],
    ['https://www.facebook.com/groups/holbeckresidents/posts/771234509876543/', 'post'],
    ['https://www.facebook.com/groups/holbeckresidents/permalink/771234509876543/', 'post'],
    ['https://www.facebook.com/photo/?fbid=872340702195159&set=a.1', 'post'],
    ['https://www.facebook.com/photo.php?fbid=872340702195159', 'post'],
    ['https://www.facebook.com/watch/?v=1234567890', 'post'],
    ['https://www.facebook.com/reel/1234567890', 'post'],
    ['https://www.facebook.com/gary.thornbury.77/videos/1234567890/', 'post'],
    [PROFILE_URL.href, 'profile'],
    ['https://www.facebook.com/gary.thornbury.77/about', 'profile'],
    ['https://www.facebook.com/profile.php?id=100087654321098', 'profile'],
    ['https://www.facebook.com/profile.php?id=100087654321098&sk=photos', 'profile'],
    ['https://www.facebook.com/people/Gary-Thornbury/100087654321098/', 'profile'],
    ['https://m.facebook.com/gary.thornbury.77', 'profile'],
    ['https://www.facebook.com/', 'timeline'],
    ['https://m.facebook.com/home.php', 'timeline'],
    ['https://www.facebook.com/groups/feed/', 'timeline'],
    ['https://www.facebook.com/groups/holbeckresidents', 'timeline'],
    ['https://www.facebook.com/watch', 'timeline'],
    ['https://www.facebook.com/search/top?q=holbeck', 'timeline'],
    ['https://www.facebook.com/settings', 'unknown'],
    ['https://www.facebook.com/messages/t/123', 'conversation'],
    ['https://www.facebook.com/messages/', 'unknown'],
    ['https://www.facebook.com/gary.thornbury.77/posts', 'profile'],
    ['https://www.facebook.com/gary.thornbury.77/likes/extra', 'unknown'],
  ]);

  itMatchesUrls(facebookAdapter, [
    ['https://www.facebook.com/', true],
    ['https://m.facebook.com/', true],
    ['https://www.messenger.com/', true],
    ['https://facebook.com/', false],
    ['https://web.facebook.com/', false],
    ['https://scontent.xx.fbcdn.net/a.jpg', false],
    ['https://notfacebook.com/', false],
  ]);

  itIsPickedByUrl(facebookAdapter, 'Facebook', doc, POST_URL, [
    'https://www.facebook.com/*',
    'https://m.facebook.com/*',
    'https://www.messenger.com/*',
  ]);
});

describe('extractProfile', () => {
  it('is null off profile pages', () => {
    expect(facebookAdapter.extractProfile(load('post.html', POST_URL), POST_URL)).toBeNull();
  });

  it('reads a profile.php?id= profile: no handle, the id from the URL, a verified badge', () => {
    const url = new URL('https://www.facebook.com/profile.php?id=100064512345678');
    const doc = new JSDOM(
      `<div role="main"><h1>Priya Natarajan <svg aria-label="Verified account" role="img"></svg></h1>
       <a href="https://www.facebook.com/profile.php?id=100064512345678&amp;sk=followers">3,410 followers</a></div>`,
      { url: url.href },
    ).window.document;
    expect(facebookAdapter.extractProfile(doc, url)).toMatchObject({
      displayName: 'Priya Natarajan',
      handle: null,
      profileUrl: 'https://www.facebook.com/profile.php?id=100064512345678',
      accountId: '100064512345678',
      followersShown: '3,410',
      verified: true,
      state: 'public',
    });
  });

  it.each([
    [
      "<div role='main'><h2>This content isn't available right now</h2><p>When this happens, it's usually because the owner only shared it with a small group of people.</p></div>",
      'not-found',
    ],
    ["<div role='main'><h1>Gary Thornbury</h1><p>Gary Thornbury locked his profile</p></div>", 'protected'],
    [
      "<div><h2>You must log in to continue.</h2><form id='login_form'><input name='email'><input name='pass'></form></div>",
      'login-wall',
    ],
    ['<div role="main"></div>', 'unknown'],
  ])('reads %s as %s', (html, state) => {
    expect(facebookAdapter.extractProfile(new JSDOM(html).window.document, PROFILE_URL)).toMatchObject({
      state,
      handle: 'gary.thornbury.77',
    });
  });
});

// Guards against drift from Facebook's real markup; the saved page lives beside the project, not in it.
const REAL_M_POST = realworldPage('facebook-mobile-post-2021.html');

describe('facebook adapter on a real saved page (when present)', () => {
  it.skipIf(!existsSync(REAL_M_POST))('reads the story and comments of a real m.facebook.com post page', () => {
    const url = new URL('https://m.facebook.com/story.php?story_fbid=3065154550235644&id=119240841493711');
    const dom = new JSDOM(readFileSync(REAL_M_POST, 'utf8'), { url: url.href, virtualConsole: new VirtualConsole() });
    const page = extractPage(dom.window.document, url);
    expect(page.pageKind).toBe('post');
    expect(page.posts[0]).toMatchObject({
      permalink: 'https://www.facebook.com/story.php?story_fbid=3065154550235644&id=119240841493711',
      postId: '3065154550235644',
      author: { displayName: 'Nintendo', handle: 'Nintendo', profileUrl: 'https://www.facebook.com/Nintendo' },
      shownTime: { raw: '13 May 2020 at 01:01', iso: '2020-05-13T01:01:18.000Z' },
      isReply: false,
    });
    expect(page.posts[0]?.text).toMatch(/^Check out these themed wallpapers/);
    expect(page.posts[0]?.mediaUrls).toHaveLength(4);
    // Other stories ("More from Nintendo") follow the comments.
    const comments = page.posts.filter((post) => post.isReply);
    expect(comments.length).toBeGreaterThan(20);
    expect(comments[0]).toMatchObject({
      postId: '3154024434681988',
      author: { displayName: 'Yusof Elmahboub', profileUrl: 'https://www.facebook.com/profile.php?id=100004071004949' },
      shownTime: { raw: '12 mths', iso: null },
      isReply: true,
      replyToUrl: 'https://www.facebook.com/story.php?story_fbid=3065154550235644&id=119240841493711',
    });
    expect(comments.every((comment) => comment.text !== null && comment.author.displayName !== null)).toBe(true);
  });
});
