import { existsSync, readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../src/sites';
import { blueskyAdapter } from '../../../src/sites/bluesky';
import {
  documentAt,
  fixtureLoader,
  itExtractsEachPage,
  itMatchesUrls,
  itReadsPageKinds,
  listedPages,
  postWithId,
  requireElement,
  realworldPage,
} from './fixture-pages';

const { load } = fixtureLoader('bluesky');
const PAGES = await listedPages('bluesky');
const POST_URL = new URL('https://bsky.app/profile/gazt1977.bsky.social/post/3lkq2abcxyz2a');
const PROFILE_URL = new URL('https://bsky.app/profile/gazt1977.bsky.social');
const FEED_URL = new URL('https://bsky.app/');

const postByRkey = (doc: Document, rkey: string): Element => postWithId(blueskyAdapter, doc, FEED_URL, rkey);

describe('bluesky adapter on the fixture pages', () => {
  itExtractsEachPage('bluesky', PAGES);
});

describe('extractPost', () => {
  it('keeps the quoted post out of the text and media, and links it', () => {
    const doc = load('feed.html', FEED_URL);
    const post = blueskyAdapter.extractPost(postByRkey(doc, '3lkq4quote7e2'), FEED_URL);
    expect(post.text).not.toContain('constituency office');
    expect(post.mediaUrls).toEqual([]);
    expect(post.author.handle).toBe('gazt1977.bsky.social');
    expect(post.shownTime).toEqual({ raw: 'November 21, 2026 at 8:30 AM', iso: null });
    expect(post.quotedPostUrl).toBe('https://bsky.app/profile/priyaforholbeck.bsky.social/post/3lkpz7vq2xc2b');
  });

  it('takes the author of a repost, not the reposter', () => {
    const doc = load('feed.html', FEED_URL);
    const post = blueskyAdapter.extractPost(postByRkey(doc, '3lkq2abcxyz2a'), FEED_URL);
    expect(post.author).toEqual({
      displayName: 'Gary Thornbury',
      handle: 'gazt1977.bsky.social',
      profileUrl: 'https://bsky.app/profile/gazt1977.bsky.social',
    });
  });

  it('reads "Reply to" in a feed as a reply without inventing the replied post', () => {
    const post = blueskyAdapter.extractPost(postByRkey(load('feed.html', FEED_URL), '3lkq5reply8f2'), FEED_URL);
    expect(post).toMatchObject({ isReply: true, replyToUrl: null });
  });

  it('keeps line breaks in the text', () => {
    const post = blueskyAdapter.extractPost(postByRkey(load('feed.html', FEED_URL), '3lkq6hust9g2f'), FEED_URL);
    expect(post.text).toBe("Candidates' hustings this Thursday\n7pm, Holbeck Library\nAll welcome, free entry");
  });

  it('falls back to the shown relative time when the link has no tooltip or label', () => {
    const doc = load('feed.html', FEED_URL);
    const item = postByRkey(doc, '3lkq6hust9g2f');
    const link = requireElement(item, 'a[data-tooltip]');
    link.removeAttribute('data-tooltip');
    link.removeAttribute('aria-label');
    expect(blueskyAdapter.extractPost(item, FEED_URL).shownTime).toEqual({ raw: '51m', iso: null });
  });

  it('gives null time, permalink and id when the post shows no time link, and keeps the author', () => {
    const doc = load('feed.html', FEED_URL);
    const item = postByRkey(doc, '3lkq6hust9g2f');
    requireElement(item, 'a[data-tooltip]').remove();
    const post = blueskyAdapter.extractPost(item, FEED_URL);
    expect(post).toMatchObject({ permalink: null, postId: null, shownTime: { raw: null, iso: null } });
    expect(post.author.handle).toBe('priyaforholbeck.bsky.social');
  });

  it('gives a null display name and keeps the handle from the test id when the name links are missing', () => {
    const doc = load('feed.html', FEED_URL);
    const item = postByRkey(doc, '3lkq5reply8f2');
    for (const link of Array.from(item.querySelectorAll('a[aria-label="View profile"]'))) link.remove();
    expect(blueskyAdapter.extractPost(item, FEED_URL).author).toEqual({
      displayName: null,
      handle: 'leemarsh88.bsky.social',
      profileUrl: 'https://bsky.app/profile/leemarsh88.bsky.social',
    });
  });

  it('gives null text for a post with only an image', () => {
    const doc = load('profile.html', PROFILE_URL);
    const item = postByRkey(doc, '3lkn8counc1l2');
    requireElement(item, '[data-testid="postText"]').remove();
    const post = blueskyAdapter.extractPost(item, PROFILE_URL);
    expect(post.text).toBeNull();
    expect(post.mediaUrls).toHaveLength(1);
  });
});

describe('threads', () => {
  it('links the focal reply to the parent above it and the first reply to the focal post', () => {
    const page = extractPage(load('post.html', POST_URL), POST_URL);
    const [focal, parent, first, second] = page.posts;
    expect(focal).toMatchObject({
      postId: '3lkq2abcxyz2a',
      isReply: true,
      replyToUrl: 'https://bsky.app/profile/priyaforholbeck.bsky.social/post/3lkpz7vq2xc2b',
    });
    expect(parent).toMatchObject({ isReply: false, replyToUrl: null });
    expect(first?.replyToUrl).toBe('https://bsky.app/profile/gazt1977.bsky.social/post/3lkq2abcxyz2a');
    expect(second).toMatchObject({ isReply: true, replyToUrl: null });
  });

  it('mainPost is the post the URL names, found by its link when it has one', () => {
    const doc = load('post.html', POST_URL);
    const focal = blueskyAdapter.mainPost(doc, POST_URL);
    expect(focal?.getAttribute('data-testid')).toBe('postThreadItem-by-gazt1977.bsky.social');
    const replyUrl = new URL('https://bsky.app/profile/leemarsh88.bsky.social/post/3lkq2ghjk4m2c');
    expect(blueskyAdapter.extractPost(blueskyAdapter.mainPost(doc, replyUrl) as Element, replyUrl).postId).toBe(
      '3lkq2ghjk4m2c',
    );
    expect(blueskyAdapter.mainPost(load('feed.html', FEED_URL), FEED_URL)).toBeNull();
  });

  it('postContaining climbs from a reply’s text to its thread item, and is null outside posts', () => {
    const doc = load('post.html', POST_URL);
    const reply = postByRkey(doc, '3lkq3mnpq5r2d');
    expect(blueskyAdapter.postContaining(requireElement(reply, '[data-testid="postText"] a'))).toBe(reply);
    expect(blueskyAdapter.postContaining(requireElement(doc, '.header'))).toBeNull();
  });

  it('postContaining from inside a quoted post gives the quoting post', () => {
    const doc = load('feed.html', FEED_URL);
    const quoted = requireElement(doc, '.quote [dir="auto"]');
    expect(blueskyAdapter.postContaining(quoted)).toBe(postByRkey(doc, '3lkq4quote7e2'));
  });
});

describe('pageKind and matchesUrl', () => {
  const doc = new JSDOM('').window.document;
  itReadsPageKinds(blueskyAdapter, doc, [
    ['https://bsky.app/profile/gazt1977.bsky.social/post/3lkq2abcxyz2a', 'post'],
    ['https://bsky.app/profile/did:plc:g4r7th0rnbury2x5kq9w3mzn/post/3lkq2abcxyz2a', 'post'],
    ['https://bsky.app/profile/gazt1977.bsky.social', 'profile'],
    ['https://bsky.app/profile/did:plc:g4r7th0rnbury2x5kq9w3mzn', 'profile'],
    ['https://bsky.app/', 'timeline'],
    ['https://bsky.app/search?q=holbeck', 'timeline'],
    ['https://bsky.app/notifications', 'timeline'],
    ['https://bsky.app/hashtag/HolbeckVotes', 'timeline'],
    ['https://bsky.app/profile/bsky.app/feed/whats-hot', 'timeline'],
    ['https://bsky.app/profile/gazt1977.bsky.social/followers', 'unknown'],
    ['https://bsky.app/settings', 'unknown'],
    ['https://bsky.app/messages', 'unknown'],
  ]);

  itMatchesUrls(blueskyAdapter, [
    ['https://bsky.app/', true],
    ['https://bsky.app/profile/someone.bsky.social', true],
    ['https://bsky.social/', false],
    ['https://notbsky.app/', false],
    ['https://x.com/home', false],
  ]);
});

describe('extractProfile', () => {
  it('is null off profile pages', () => {
    expect(blueskyAdapter.extractProfile(load('post.html', POST_URL), POST_URL)).toBeNull();
  });

  it('keeps the DID as the account id when the URL names the account by DID', () => {
    const url = new URL('https://bsky.app/profile/did:plc:g4r7th0rnbury2x5kq9w3mzn');
    expect(blueskyAdapter.extractProfile(load('profile.html', url), url)).toMatchObject({
      handle: 'gazt1977.bsky.social',
      accountId: 'did:plc:g4r7th0rnbury2x5kq9w3mzn',
      profileUrl: 'https://bsky.app/profile/gazt1977.bsky.social',
    });
  });

  it('reads a verification badge in the name', () => {
    const doc = load('profile.html', PROFILE_URL);
    const badge = doc.createElement('button');
    badge.setAttribute('aria-label', "View this user's verifications");
    requireElement(doc, '[data-testid="profileHeaderDisplayName"]').append(badge);
    expect(blueskyAdapter.extractProfile(doc, PROFILE_URL)?.verified).toBe(true);
  });

  it.each([
    ['<div data-testid="profileScreen"><div>Error</div><div>Profile not found</div></div>', 'not-found'],
    ['<div data-testid="profileScreen"><div>This account has been suspended</div></div>', 'suspended'],
    [
      '<div data-testid="profileScreen"><div>This user has requested that their content only be shown to signed-in users.</div></div>',
      'login-wall',
    ],
    ['<div data-testid="profileScreen"></div>', 'unknown'],
  ])('reads %s as %s', (html, state) => {
    const doc = new JSDOM(html).window.document;
    expect(blueskyAdapter.extractProfile(doc, PROFILE_URL)).toMatchObject({
      state,
      handle: 'gazt1977.bsky.social',
      displayName: null,
      verified: null,
    });
  });

  it('does not read a notice inside a post as the account’s state', () => {
    const doc = load('profile.html', PROFILE_URL);
    requireElement(doc, '[data-testid="postText"]').textContent = 'My old account has been suspended, lol';
    expect(blueskyAdapter.extractProfile(doc, PROFILE_URL)?.state).toBe('public');
  });
});

// Guards against drift from Bluesky's real markup; the saved page lives beside the project, not in it.
const REAL_PROFILE = realworldPage('bluesky-profile-2026.html');

describe('bluesky adapter on a real saved page (when present)', () => {
  it.skipIf(!existsSync(REAL_PROFILE))('reads the header and posts of a real profile page', () => {
    const url = new URL('https://bsky.app/profile/stephenking.bsky.social');
    const page = extractPage(documentAt(readFileSync(REAL_PROFILE, 'utf8'), url), url);
    expect(page.profile).toMatchObject({
      displayName: 'Stephen King',
      handle: 'stephenking.bsky.social',
      followersShown: '1.1M',
      followingShown: '3',
      postsShown: '329',
      bio: 'Writer',
      verified: true,
      state: 'public',
    });
    expect(page.posts.length).toBeGreaterThan(20);
    for (const post of page.posts) {
      expect(post.permalink).toMatch(/^https:\/\/bsky\.app\/profile\/[^/]+\/post\/[a-z0-9]+$/);
      expect(post.shownTime.raw).toMatch(/^[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2} [AP]M$/);
      expect(post.author.handle).toBeTruthy();
    }
    expect(page.posts.filter((post) => post.quotedPostUrl !== null).length).toBeGreaterThan(0);
  });
});
