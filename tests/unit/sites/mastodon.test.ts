import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { adapterForPage, adapterForUrl, extractPage } from '../../../src/sites';
import { mastodonAdapter } from '../../../src/sites/mastodon';
import { xAdapter } from '../../../src/sites/x';
import { fixtureLoader, itExtractsEachPage, itReadsPageKinds, listedPages, requireElement } from './fixture-pages';

const { load } = fixtureLoader('mastodon');
const PAGES = await listedPages('mastodon');
const POST_URL = new URL('https://mastodon.example/@gazt/113500000000000002');
const FEED_URL = new URL('https://mastodon.example/home');
const PROFILE_URL = new URL('https://mastodon.example/@gazt');

function status(doc: Document, id: string): Element {
  const found = doc.querySelector(`.status[data-id="${id}"]`);
  if (!found) throw new Error(`fixture has no status ${id}`);
  return found;
}

describe('mastodon adapter on the fixture pages', () => {
  itExtractsEachPage('mastodon', PAGES);
});

describe('recognising Mastodon by markup', () => {
  it('adapterForUrl never picks Mastodon; adapterForPage does, from the document', () => {
    const doc = load('feed.html', FEED_URL);
    expect(adapterForUrl(FEED_URL)).toBeNull();
    expect(adapterForPage(doc, FEED_URL)).toBe(mastodonAdapter);
  });

  it('a host another adapter claims stays with that adapter, whatever its markup', () => {
    const url = new URL('https://x.com/home');
    expect(adapterForPage(load('feed.html', url), url)).toBe(xAdapter);
  });

  it.each([
    ['<div id="mastodon" class="app-holder" data-props="{}"></div>', true],
    ['<div class="status" data-id="1"></div><a href="https://joinmastodon.org">About Mastodon</a>', true],
    ['<div class="status" data-id="1"></div>', false],
    ['<div id="root"><article>Some blog</article></div>', false],
  ])('matchesDocument(%s) is %s', (html, matches) => {
    expect(mastodonAdapter.matchesDocument?.(new JSDOM(html).window.document)).toBe(matches);
  });

  it('a page neither claims is generic', () => {
    const url = new URL('https://news.example/article');
    expect(extractPage(new JSDOM('<p>hello</p>').window.document, url)).toEqual({
      platform: 'generic',
      pageKind: 'unknown',
      posts: [],
      profile: null,
    });
  });
});

describe('extractPost', () => {
  it('writes a local account’s handle with the instance, and keeps a remote one’s', () => {
    const doc = load('post.html', POST_URL);
    expect(mastodonAdapter.extractPost(status(doc, '113500000000000004'), POST_URL).author.handle).toBe(
      'ann@mastodon.example',
    );
    expect(mastodonAdapter.extractPost(status(doc, '113500000000000003'), POST_URL)).toMatchObject({
      author: { handle: 'leemarsh@social.example', profileUrl: 'https://social.example/@leemarsh' },
      permalink: 'https://social.example/@leemarsh/112233445566778899',
    });
  });

  it('takes the author of a boost, not the booster', () => {
    const doc = load('feed.html', FEED_URL);
    expect(mastodonAdapter.extractPost(status(doc, '113500000000000002'), FEED_URL).author.handle).toBe(
      'gazt@mastodon.example',
    );
  });

  it('reads an "In reply to" prepend as a reply without inventing the replied post', () => {
    const doc = load('feed.html', FEED_URL);
    expect(mastodonAdapter.extractPost(status(doc, '113505000000000020'), FEED_URL)).toMatchObject({
      isReply: true,
      replyToUrl: null,
    });
  });

  it('lists the full-size media links, not the thumbnails or avatars', () => {
    const doc = load('profile.html', PROFILE_URL);
    expect(mastodonAdapter.extractPost(status(doc, '113490000000000030'), PROFILE_URL).mediaUrls).toEqual([
      'https://files.mastodon.example/media_attachments/files/gazt/original/council-meeting.png',
    ]);
  });

  it('gives null time and permalink when the post shows no time, and null author without a name link', () => {
    const doc = load('feed.html', FEED_URL);
    const post = status(doc, '113510000000000010');
    requireElement(post, 'a.status__relative-time').remove();
    requireElement(post, 'a.status__display-name').remove();
    expect(mastodonAdapter.extractPost(post, FEED_URL)).toMatchObject({
      permalink: null,
      postId: '113510000000000010',
      shownTime: { raw: null, iso: null },
      author: { displayName: null, handle: null, profileUrl: null },
    });
  });
});

describe('threads', () => {
  it('the focal post answers the ancestor above it; the first reply answers the focal post', () => {
    const [focal, ancestor, first, second] = extractPage(load('post.html', POST_URL), POST_URL).posts;
    expect(focal).toMatchObject({
      postId: '113500000000000002',
      isReply: true,
      replyToUrl: 'https://mastodon.example/@priya/113500000000000001',
    });
    expect(ancestor).toMatchObject({ isReply: false, replyToUrl: null });
    expect(first?.replyToUrl).toBe('https://mastodon.example/@gazt/113500000000000002');
    expect(second).toMatchObject({ isReply: true, replyToUrl: null });
  });

  it('postContaining climbs from a mention to its status, and is null outside statuses', () => {
    const doc = load('post.html', POST_URL);
    const reply = status(doc, '113500000000000004');
    expect(mastodonAdapter.postContaining(requireElement(reply, 'a.mention'))).toBe(reply);
    expect(mastodonAdapter.postContaining(requireElement(doc, '.column-header'))).toBeNull();
    expect(mastodonAdapter.postContaining(requireElement(doc, '.detailed-status .status__content__text p'))).toBe(
      requireElement(doc, '.detailed-status'),
    );
  });
});

describe('pageKind', () => {
  const doc = new JSDOM('').window.document;
  itReadsPageKinds(mastodonAdapter, doc, [
    ['https://mastodon.example/@gazt/113500000000000002', 'post'],
    ['https://mastodon.example/@leemarsh@social.example/112233445566778899', 'post'],
    ['https://mastodon.example/users/gazt/statuses/113500000000000002', 'post'],
    ['https://mastodon.example/@gazt', 'profile'],
    ['https://mastodon.example/@gazt/with_replies', 'profile'],
    ['https://mastodon.example/@leemarsh@social.example', 'profile'],
    ['https://mastodon.example/home', 'timeline'],
    ['https://mastodon.example/public/local', 'timeline'],
    ['https://mastodon.example/tags/HolbeckVotes', 'timeline'],
    ['https://mastodon.example/notifications', 'timeline'],
    ['https://mastodon.example/@gazt/followers', 'unknown'],
    ['https://mastodon.example/settings/profile', 'unknown'],
  ]);
});

describe('extractProfile', () => {
  it('is null off profile pages', () => {
    expect(mastodonAdapter.extractProfile(load('post.html', POST_URL), POST_URL)).toBeNull();
  });

  it('reads a lock icon as protected', () => {
    const doc = load('profile.html', PROFILE_URL);
    const lock = doc.createElement('span');
    lock.className = 'icon-lock';
    requireElement(doc, '.account__header__tabs__name h1 small').append(lock);
    expect(mastodonAdapter.extractProfile(doc, PROFILE_URL)?.state).toBe('protected');
  });

  it.each([
    ['<div id="mastodon"><div class="empty-column-indicator">Account suspended</div></div>', 'suspended'],
    ['<div id="mastodon"><div class="empty-column-indicator">Profile unavailable</div></div>', 'not-found'],
    ['<div id="mastodon"><a href="/auth/sign_in">Login</a></div>', 'login-wall'],
    ['<div id="mastodon"></div>', 'unknown'],
  ])('reads %s as %s', (html, state) => {
    expect(mastodonAdapter.extractProfile(new JSDOM(html).window.document, PROFILE_URL)).toMatchObject({
      state,
      handle: 'gazt@mastodon.example',
      displayName: null,
    });
  });
});
