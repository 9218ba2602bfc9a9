import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../src/sites';
import { tiktokAdapter } from '../../../src/sites/tiktok';
import {
  documentAt,
  fixtureLoader,
  itExtractsEachPage,
  itIsPickedByUrl,
  itMatchesUrls,
  itReadsPageKinds,
  listedPages,
  requireElement,
  realworldPage,
} from './fixture-pages';

const { load } = fixtureLoader('tiktok');
const PAGES = await listedPages('tiktok');
const POST_URL = new URL('https://www.tiktok.com/@priyaforholbeck/video/7707354062859449400');
const BROWSE_URL = new URL('https://www.tiktok.com/@gazt_1977/video/7710749168467660260');
const FEED_URL = new URL('https://www.tiktok.com/foryou');
const PROFILE_URL = new URL('https://www.tiktok.com/@gazt_1977');

/** The comment or video whose text starts with `start`. */
function itemByText(doc: Document, url: URL, start: string): Element {
  const item = tiktokAdapter.listPosts(doc).find((el) => tiktokAdapter.extractPost(el, url).text?.startsWith(start));
  if (!item) throw new Error(`fixture has no item starting "${start}"`);
  return item;
}

describe('tiktok adapter on the fixture pages', () => {
  itExtractsEachPage('tiktok', PAGES);
});

describe('the video', () => {
  it('mainPost is the list item the URL names, not the recommended video after it', () => {
    const doc = load('post.html', POST_URL);
    expect(tiktokAdapter.mainPost(doc, POST_URL)).toBe(requireElement(doc, '#one-column-item-0'));
    const next = new URL('https://www.tiktok.com/@leemarsh88/video/7709856838007336755');
    expect(tiktokAdapter.mainPost(doc, next)).toBe(requireElement(doc, '#one-column-item-1'));
    expect(tiktokAdapter.mainPost(load('feed.html', FEED_URL), FEED_URL)).toBeNull();
  });

  it('takes ISO time from the video id, keeps the shown partial date, and says how', () => {
    const video = tiktokAdapter.extractPost(
      requireElement(load('post.html', POST_URL), '#one-column-item-0'),
      POST_URL,
    );
    expect(video.shownTime.raw).toBe('11-12');
    expect(video.shownTime.iso).toBe('2026-11-12T18:30:07.000Z');
    expect(video.shownTime.rule).toContain('7707354062859449400 >> 32 = 1794508207 Unix seconds');
  });

  it('the id time matches TikTok’s own createTime for a real video to within seconds', () => {
    // 7571863205253778710: createTime 1762961788 in the saved page's data; the id gives 1762961783.
    const url = new URL('https://www.tiktok.com/@illojuan/video/7571863205253778710');
    const doc = documentAt(
      `<article data-e2e="recommend-list-item-container"><div id="xgwrapper-0-7571863205253778710"></div></article>`,
      url,
    );
    expect(tiktokAdapter.extractPost(requireElement(doc, 'article'), url).shownTime.iso).toBe(
      '2025-11-12T15:36:23.000Z',
    );
  });

  it('leaves TikTok’s AI summary out of the caption and keeps hashtags inline', () => {
    const video = tiktokAdapter.extractPost(
      requireElement(load('post.html', POST_URL), '#one-column-item-0'),
      POST_URL,
    );
    expect(video.text).toBe(
      'Holbeck open days: every Saturday, 10 till 2 at the library. Come and ask me anything #holbeck #leeds',
    );
  });

  it('the creator line shows the handle, which is no display name; a different name is one', () => {
    const posts = extractPage(load('feed.html', FEED_URL), FEED_URL).posts;
    expect(posts[0]?.author).toEqual({
      displayName: null,
      handle: 'gazt_1977',
      profileUrl: 'https://www.tiktok.com/@gazt_1977',
    });
    expect(posts[1]?.author).toEqual({
      displayName: 'Leeds Bike Shop',
      handle: 'leedsbikeshop',
      profileUrl: 'https://www.tiktok.com/@leedsbikeshop',
    });
  });

  it('lists the poster, not avatars', () => {
    const video = tiktokAdapter.extractPost(
      requireElement(load('post.html', POST_URL), '#one-column-item-0'),
      POST_URL,
    );
    expect(video.mediaUrls).toEqual([
      'https://p16-pu-sign-no.tiktokcdn-eu.com/tos-no1a-p-0037-no/oQpriyaOpenDays7707354062~tplv-tiktokx-origin.image',
    ]);
  });

  it('reads the older feed markup (video-author-uniqueid / -nickname)', () => {
    const doc = documentAt(
      `<article data-e2e="recommend-list-item-container">
        <a href="/@gazt_1977"><h3 data-e2e="video-author-uniqueid">gazt_1977</h3><h4 data-e2e="video-author-nickname">Gary Thornbury</h4></a>
        <div data-e2e="video-desc"><span>Ask her</span></div>
        <div id="xgwrapper-0-7710749168467660260"><video></video></div></article>`,
      FEED_URL,
    );
    expect(tiktokAdapter.extractPost(requireElement(doc, 'article'), FEED_URL)).toMatchObject({
      permalink: 'https://www.tiktok.com/@gazt_1977/video/7710749168467660260',
      author: { displayName: 'Gary Thornbury', handle: 'gazt_1977' },
      text: 'Ask her',
    });
  });
});

describe('malformed and unusual items', () => {
  it('an ad shows no time: raw is null, ISO still comes from its id', () => {
    const [, ad] = extractPage(load('feed.html', FEED_URL), FEED_URL).posts;
    expect(ad?.shownTime).toMatchObject({ raw: null, iso: '2026-11-02T09:00:00.000Z' });
  });

  it('a video without a creator link keeps its id, time and text; author and permalink are null', () => {
    const [, , orphan] = extractPage(load('feed.html', FEED_URL), FEED_URL).posts;
    expect(orphan).toMatchObject({
      permalink: null,
      postId: '7710155610201990926',
      author: { displayName: null, handle: null, profileUrl: null },
      shownTime: { raw: '11-20', iso: '2026-11-20T07:41:33.000Z' },
    });
  });

  it('a list item whose player has not loaded has no id, and its id is not guessed from the page URL', () => {
    const doc = load('feed.html', FEED_URL);
    const item = requireElement(doc, '#one-column-item-3');
    expect(tiktokAdapter.extractPost(item, FEED_URL)).toMatchObject({
      permalink: null,
      postId: null,
      shownTime: { raw: '3d ago', iso: null },
    });
    expect(tiktokAdapter.extractPost(item, POST_URL).postId).toBeNull();
  });

  it('empty placeholders of the virtualised list are not posts', () => {
    const doc = load('feed.html', FEED_URL);
    expect(tiktokAdapter.listPosts(doc)).toHaveLength(4);
    expect(tiktokAdapter.postContaining(requireElement(doc, 'article[data-scroll-index="4"]'))).toBeNull();
  });

  it('a removed video’s page has no posts and nothing throws', () => {
    const doc = documentAt(
      `<div id="main-content-video_detail"><div><p>Video currently unavailable</p><p>This video has been removed.</p></div></div>`,
      POST_URL,
    );
    expect(extractPage(doc, POST_URL)).toEqual({ platform: 'tiktok', pageKind: 'post', posts: [], profile: null });
  });
});

describe('the browse view', () => {
  it('reads the name and time from browser-nickname and the handle from browse-username', () => {
    const doc = load('browse-post.html', BROWSE_URL);
    const video = tiktokAdapter.mainPost(doc, BROWSE_URL);
    expect(video?.matches('[class*="DivBrowserModeContainer"]')).toBe(true);
    expect(tiktokAdapter.extractPost(video as Element, BROWSE_URL)).toMatchObject({
      author: { displayName: 'Gary Thornbury', handle: 'gazt_1977' },
      shownTime: { raw: '2d ago', iso: '2026-11-21T22:04:51.000Z' },
    });
  });

  it('without a player, takes the id from the copy-link box, dropping its tracking parameters', () => {
    const doc = load('browse-post.html', BROWSE_URL);
    requireElement(doc, '[id^="xgwrapper-"]').remove();
    const video = requireElement(doc, '[class*="DivBrowserModeContainer"]');
    expect(tiktokAdapter.extractPost(video, PROFILE_URL).permalink).toBe(BROWSE_URL.href);
  });

  it('a photo post opened in the view is linked as a photo', () => {
    const url = new URL('https://www.tiktok.com/@gazt_1977/photo/7710749168467660260');
    const doc = documentAt(
      `<div class="css-1qjw4dg-7937d88b--DivBrowserModeContainer e11s2kul0"><a href="/@gazt_1977"><span data-e2e="browse-username">gazt_1977</span></a>
       <div data-e2e="browse-video-desc">Leaflets, 3 of 5</div></div>`,
      url,
    );
    expect(extractPage(doc, url).posts[0]).toMatchObject({ permalink: url.href, postId: '7710749168467660260' });
  });
});

describe('comments', () => {
  it('postContaining gives the reply the click was in, its thread’s comment, or the video', () => {
    const doc = load('post.html', POST_URL);
    const reply = itemByText(doc, POST_URL, 'Wasn');
    expect(tiktokAdapter.postContaining(requireElement(reply, '[data-e2e="comment-level-2"] span'))).toBe(reply);
    const top = itemByText(doc, POST_URL, 'Enjoy');
    expect(tiktokAdapter.postContaining(requireElement(top, '[data-e2e="comment-username-1"] p'))).toBe(top);
    expect(tiktokAdapter.postContaining(requireElement(doc, '#one-column-item-0 [data-e2e="video-desc"] a p'))).toBe(
      requireElement(doc, '#one-column-item-0'),
    );
    expect(tiktokAdapter.postContaining(requireElement(doc, '.TUXTabBar-list'))).toBeNull();
    expect(tiktokAdapter.postContaining(requireElement(doc, '[class*="DivViewRepliesContainer"] span'))).toBeNull();
  });

  it('in the browse view a click in a comment is the comment, not the video around it', () => {
    const doc = load('browse-post.html', BROWSE_URL);
    const reply = requireElement(doc, '[id="7711235460177935911"]');
    expect(tiktokAdapter.postContaining(requireElement(reply, '[data-e2e="comment-level-2"] span'))).toBe(reply);
    expect(
      tiktokAdapter
        .postContaining(requireElement(doc, '[data-e2e="browse-video-desc"] strong'))
        ?.matches('[class*="DivBrowserModeContainer"]'),
    ).toBe(true);
  });

  it('comments and replies answer the video (TikTok has no link to a comment); ids only in the browse view', () => {
    const post = load('post.html', POST_URL);
    expect(tiktokAdapter.extractPost(itemByText(post, POST_URL, 'Wasn'), POST_URL)).toMatchObject({
      permalink: null,
      postId: null,
      isReply: true,
      replyToUrl: POST_URL.href,
    });
    const browse = load('browse-post.html', BROWSE_URL);
    expect(tiktokAdapter.extractPost(requireElement(browse, '[id="7710996120144529740"]'), BROWSE_URL)).toMatchObject({
      permalink: null,
      postId: '7710996120144529740',
      replyToUrl: BROWSE_URL.href,
      shownTime: { raw: '20h ago', iso: null },
    });
  });

  it('a comment read off a page with no video in its URL answers nothing known', () => {
    const doc = load('post.html', POST_URL);
    expect(tiktokAdapter.extractPost(itemByText(doc, POST_URL, 'Enjoy'), FEED_URL).replyToUrl).toBeNull();
  });

  it('the "Creator" badge is not part of the name, in either layout', () => {
    const post = load('post.html', POST_URL);
    expect(tiktokAdapter.extractPost(itemByText(post, POST_URL, 'Thank you Ann'), POST_URL).author.displayName).toBe(
      'Priya Natarajan',
    );
    const browse = load('browse-post.html', BROWSE_URL);
    expect(tiktokAdapter.extractPost(requireElement(browse, '[id="7711235460177935911"]'), BROWSE_URL).author).toEqual({
      displayName: 'Gary Thornbury',
      handle: 'gazt_1977',
      profileUrl: 'https://www.tiktok.com/@gazt_1977',
    });
  });

  it('a mention link in the text is not taken for the author', () => {
    const doc = load('post.html', POST_URL);
    const reply = itemByText(doc, POST_URL, '@gazt_1977 that');
    requireElement(reply, '[data-e2e="comment-username-2"] a').remove();
    requireElement(reply, '[class*="DivAvatarWrapper"] a').remove();
    expect(tiktokAdapter.extractPost(reply, POST_URL).author.handle).toBeNull();
  });

  it('a comment without an author link or a time records them as missing', () => {
    const comment = tiktokAdapter.extractPost(
      itemByText(load('post.html', POST_URL), POST_URL, 'Ask her about'),
      POST_URL,
    );
    expect(comment).toMatchObject({
      author: { displayName: 'Holbeck Truth', handle: null, profileUrl: null },
      shownTime: { raw: null, iso: null },
    });
  });

  it('a sticker is the comment’s media', () => {
    const comment = tiktokAdapter.extractPost(itemByText(load('post.html', POST_URL), POST_URL, 'Nobody'), POST_URL);
    expect(comment.mediaUrls).toEqual([
      'https://p16-pu-sign-no.tiktokcdn-eu.com/tos-no1a-i-0063-no/sticker_clown_lee~tplv-tiktokx-origin.image',
    ]);
  });

  it('text a commenter typed that looks like a time is not the comment’s time', () => {
    const doc = load('post.html', POST_URL);
    const comment = itemByText(doc, POST_URL, 'Ask her about');
    requireElement(comment, '[data-e2e="comment-level-1"] span').textContent = '2d ago';
    expect(tiktokAdapter.extractPost(comment, POST_URL).shownTime.raw).toBeNull();
  });
});

describe('profile grid tiles', () => {
  it('link the video, name the profile owner, and carry the id time with no shown time', () => {
    const [pinned] = extractPage(load('profile.html', PROFILE_URL), PROFILE_URL).posts;
    expect(pinned).toMatchObject({
      permalink: 'https://www.tiktok.com/@gazt_1977/video/7680891874812133328',
      author: { displayName: null, handle: 'gazt_1977' },
      text: null,
      shownTime: { raw: null, iso: '2026-09-02T11:03:19.000Z' },
    });
  });
});

describe('pageKind and matchesUrl', () => {
  const doc = documentAt('', FEED_URL);
  itReadsPageKinds(tiktokAdapter, doc, [
    [POST_URL.href, 'post'],
    [`${POST_URL.href}?is_from_webapp=1&sender_device=pc`, 'post'],
    ['https://www.tiktok.com/@gazt_1977/photo/7710749168467660260', 'post'],
    ['https://www.tiktok.com/@gazt_1977/video/123', 'unknown'],
    ['https://www.tiktok.com/@gazt_1977/video/7710749168467660260/extra', 'unknown'],
    [PROFILE_URL.href, 'profile'],
    ['https://www.tiktok.com/@holbeck.truth/', 'profile'],
    ['https://www.tiktok.com/@gazt_1977/live', 'unknown'],
    ['https://www.tiktok.com/@', 'unknown'],
    ['https://www.tiktok.com/', 'timeline'],
    [FEED_URL.href, 'timeline'],
    ['https://www.tiktok.com/following', 'timeline'],
    ['https://www.tiktok.com/explore', 'timeline'],
    ['https://www.tiktok.com/search?q=holbeck', 'timeline'],
    ['https://www.tiktok.com/tag/holbeck', 'timeline'],
    ['https://www.tiktok.com/messages', 'unknown'],
  ]);

  itMatchesUrls(tiktokAdapter, [
    ['https://www.tiktok.com/foryou', true],
    ['https://tiktok.com/foryou', false],
    ['https://m.tiktok.com/v/1.html', false],
    ['https://vm.tiktok.com/ZMabc/', false],
    ['https://p16-pu-sign-no.tiktokcdn-eu.com/a.image', false],
  ]);

  itIsPickedByUrl(tiktokAdapter, 'TikTok', doc, POST_URL, ['https://www.tiktok.com/*']);
});

describe('extractProfile', () => {
  it('is null off profile pages', () => {
    expect(tiktokAdapter.extractProfile(load('post.html', POST_URL), POST_URL)).toBeNull();
  });

  const header = (extra = '') =>
    `<div class="css-1o9t6sm-7937d88b--DivShareTitleContainer"><h1 data-e2e="user-title">gazt_1977${extra}</h1><h2 data-e2e="user-subtitle">Gary Thornbury</h2></div>`;

  it('a verified badge (TikTok’s Verified_Badge icon) makes verified true', () => {
    const badge =
      '<svg viewBox="0 0 48 48"><g clip-path="url(#Icon_Color-Verified_Badge_svg__a)"><path d="M0 24"></path></g></svg>';
    const profile = tiktokAdapter.extractProfile(documentAt(header(badge), PROFILE_URL), PROFILE_URL);
    expect(profile).toMatchObject({
      handle: 'gazt_1977',
      displayName: 'Gary Thornbury',
      verified: true,
      state: 'public',
    });
  });

  it('"No bio yet." is TikTok’s placeholder, not a bio', () => {
    const doc = documentAt(`${header()}<h2 data-e2e="user-bio">No bio yet.</h2>`, PROFILE_URL);
    expect(tiktokAdapter.extractProfile(doc, PROFILE_URL)?.bio).toBeNull();
  });

  it('takes the account id only from rehydration data about the same handle', () => {
    const data = (uniqueId: string) =>
      `<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" type="application/json">{"__DEFAULT_SCOPE__":{"webapp.user-detail":{"userInfo":{"user":{"id":"6702453454727090317","uniqueId":"${uniqueId}"}}}}}</script>`;
    expect(
      tiktokAdapter.extractProfile(documentAt(header() + data('GazT_1977'), PROFILE_URL), PROFILE_URL)?.accountId,
    ).toBe('6702453454727090317');
    expect(
      tiktokAdapter.extractProfile(documentAt(header() + data('leemarsh88'), PROFILE_URL), PROFILE_URL)?.accountId,
    ).toBeNull();
  });

  it.each([
    [
      `${header()}<div><p>This account is private</p><p>Follow this account to see their content and likes</p></div>`,
      'protected',
    ],
    [
      '<main><p>Couldn’t find this account</p><p>Looking for videos? Try browsing our trending creators, hashtags, and sounds.</p></main>',
      'not-found',
    ],
    [
      '<main><p>Account banned</p><p>This account was banned due to multiple violations of TikTok’s Community Guidelines.</p></main>',
      'suspended',
    ],
    [
      '<main><h2>Log in to TikTok</h2><p>Manage your account, check notifications, comment on videos, and more.</p></main>',
      'login-wall',
    ],
    ['<main><button>Log in</button></main>', 'unknown'],
  ])('reads %s as %s', (body, state) => {
    expect(tiktokAdapter.extractProfile(documentAt(body, PROFILE_URL), PROFILE_URL)).toMatchObject({
      state,
      handle: 'gazt_1977',
      profileUrl: 'https://www.tiktok.com/@gazt_1977',
    });
  });

  it('a bio or a video caption that quotes a notice does not change the state', () => {
    const doc = load('profile.html', PROFILE_URL);
    requireElement(doc, '[data-e2e="user-bio"]').textContent =
      "Couldn't find this account? This account is private. Account banned.";
    expect(tiktokAdapter.extractProfile(doc, PROFILE_URL)?.state).toBe('public');
  });
});

const REAL_VIDEO = realworldPage('tiktok-video-2025.html');

describe('tiktok adapter on a real saved video page (when present)', () => {
  it.skipIf(!existsSync(REAL_VIDEO))(
    'reads the video the page is about: id, creator, caption, time from the id, thumbnail',
    () => {
      const url = new URL('https://www.tiktok.com/@illojuan/video/7571863205253778710');
      const page = extractPage(documentAt(readFileSync(REAL_VIDEO, 'utf8'), url), url);
      expect(page.pageKind).toBe('post');
      expect(page.posts[0]).toMatchObject({
        permalink: 'https://www.tiktok.com/@illojuan/video/7571863205253778710',
        postId: '7571863205253778710',
        author: { displayName: null, handle: 'illojuan', profileUrl: 'https://www.tiktok.com/@illojuan' },
        shownTime: { raw: '11-12', iso: '2025-11-12T15:36:23.000Z' },
      });
      expect(page.posts[0]?.text).toMatch(/^La nueva locurilla de fin de año/);
      expect(page.posts[0]?.mediaUrls[0]).toMatch(/^https:\/\/p16-pu-sign-no\.tiktokcdn-eu\.com\//);
    },
  );
});
