import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../src/sites';
import { youtubeAdapter } from '../../../src/sites/youtube';
import {
  fixtureLoader,
  itExtractsEachPage,
  itIsPickedByUrl,
  itMatchesUrls,
  itReadsPageKinds,
  listedPages,
  postWithId,
  requireElement,
} from './fixture-pages';

const { load } = fixtureLoader('youtube');
const PAGES = await listedPages('youtube');
const POST_URL = new URL('https://www.youtube.com/watch?v=Pn7hOlbk3Cq');
const FEED_URL = new URL('https://www.youtube.com/');
const PROFILE_URL = new URL('https://www.youtube.com/@gary-thornbury/community');
const TOP_COMMENT = 'UgzK8pQwE2mRt5vNxY14AaABAg';
const REPLY = `${TOP_COMMENT}.AB3xQ9kLm2pAB3xR7tTn4w`;

const itemById = (doc: Document, id: string): Element => postWithId(youtubeAdapter, doc, POST_URL, id);

describe('youtube adapter on the fixture pages', () => {
  itExtractsEachPage('youtube', PAGES);
});

describe('the video', () => {
  it('is the post: title and description, the channel, upload time from the microdata, the thumbnail', () => {
    const doc = load('post.html', POST_URL);
    const video = youtubeAdapter.mainPost(doc, POST_URL);
    expect(video?.tagName.toLowerCase()).toBe('ytd-watch-metadata');
    expect(youtubeAdapter.extractPost(video as Element, POST_URL)).toMatchObject({
      permalink: 'https://www.youtube.com/watch?v=Pn7hOlbk3Cq',
      author: { displayName: 'Priya Natarajan', handle: 'PriyaForHolbeck' },
      shownTime: { raw: '3 days ago', iso: '2026-11-20T09:12:04.000Z' },
      mediaUrls: ['https://i.ytimg.com/vi/Pn7hOlbk3Cq/maxresdefault.jpg'],
      isReply: false,
    });
  });

  it('without microdata keeps the shown time and no ISO time', () => {
    const doc = load('post.html', POST_URL);
    requireElement(doc, '#microformat').remove();
    const video = youtubeAdapter.extractPost(requireElement(doc, 'ytd-watch-metadata'), POST_URL);
    expect(video.shownTime).toEqual({ raw: '3 days ago', iso: null });
    expect(video.mediaUrls).toEqual([]);
  });

  it('the views line is not part of the text', () => {
    const video = youtubeAdapter.extractPost(
      requireElement(load('post.html', POST_URL), 'ytd-watch-metadata'),
      POST_URL,
    );
    expect(video.text).not.toContain('views');
  });
});

describe('comments', () => {
  it('postContaining gives the reply the click was in, not its thread’s comment', () => {
    const doc = load('post.html', POST_URL);
    const reply = itemById(doc, REPLY);
    expect(youtubeAdapter.postContaining(requireElement(reply, '#content-text span'))).toBe(reply);
    const top = itemById(doc, TOP_COMMENT);
    expect(youtubeAdapter.postContaining(requireElement(top, '#content-text'))).toBe(top);
    expect(youtubeAdapter.postContaining(requireElement(doc, '#comments #count'))).toBeNull();
  });

  it('a reply links its thread’s comment; a top-level comment links the video', () => {
    const doc = load('post.html', POST_URL);
    expect(youtubeAdapter.extractPost(itemById(doc, REPLY), POST_URL)).toMatchObject({
      permalink: `https://www.youtube.com/watch?v=Pn7hOlbk3Cq&lc=${REPLY}`,
      isReply: true,
      replyToUrl: `https://www.youtube.com/watch?v=Pn7hOlbk3Cq&lc=${TOP_COMMENT}`,
    });
    expect(youtubeAdapter.extractPost(itemById(doc, TOP_COMMENT), POST_URL).replyToUrl).toBe(POST_URL.href);
  });

  it('an "@handle" author line is a handle, not a display name; a channel-id link gives no handle', () => {
    const doc = load('post.html', POST_URL);
    expect(youtubeAdapter.extractPost(itemById(doc, TOP_COMMENT), POST_URL).author).toEqual({
      displayName: null,
      handle: 'gary-thornbury',
      profileUrl: 'https://www.youtube.com/@gary-thornbury',
    });
    expect(youtubeAdapter.extractPost(itemById(doc, 'UgyR4nTq9Lp2XcVb7Mk14AaABAg'), POST_URL).author).toEqual({
      displayName: 'Holbeck Truth',
      handle: null,
      profileUrl: 'https://www.youtube.com/channel/UCq3vT9xKp2LmN8bR4sW7yZa',
    });
  });

  it('keeps "(edited)" in the raw time and leaves ISO null', () => {
    const post = youtubeAdapter.extractPost(itemById(load('post.html', POST_URL), REPLY), POST_URL);
    expect(post.shownTime).toEqual({ raw: '2 days ago (edited)', iso: null });
  });

  it('mainPost is the comment &lc= names (a highlighted comment link), else the video', () => {
    const doc = load('post.html', POST_URL);
    const lcUrl = new URL(`${POST_URL.href}&lc=${REPLY}`);
    expect(youtubeAdapter.mainPost(doc, lcUrl)).toBe(itemById(doc, REPLY));
    expect(extractPage(doc, lcUrl).posts[0]?.postId).toBe(REPLY);
    expect(youtubeAdapter.mainPost(doc, new URL(`${POST_URL.href}&lc=UgxNotOnThisPage0000000`))).toBe(
      requireElement(doc, 'ytd-watch-metadata'),
    );
    expect(youtubeAdapter.mainPost(load('feed.html', FEED_URL), FEED_URL)).toBeNull();
  });

  it('a comment without a time link still answers the video on the page, with no permalink', () => {
    const doc = load('post.html', POST_URL);
    const top = itemById(doc, 'UgyR4nTq9Lp2XcVb7Mk14AaABAg');
    requireElement(top, '#published-time-text').remove();
    expect(youtubeAdapter.extractPost(top, POST_URL)).toMatchObject({
      permalink: null,
      postId: null,
      shownTime: { raw: null, iso: null },
      replyToUrl: POST_URL.href,
    });
  });

  it('reads the older ytd-comment-renderer markup too', () => {
    const doc = new JSDOM(
      `<ytd-comment-thread-renderer><ytd-comment-renderer id="comment"><div id="header-author">
       <a id="author-text" href="/@gary-thornbury"><span>@gary-thornbury</span></a>
       <yt-formatted-string id="published-time-text"><a href="/watch?v=Pn7hOlbk3Cq&amp;lc=UgzK8pQwE2mRt5vNxY14AaABAg">2 days ago</a></yt-formatted-string></div>
       <yt-formatted-string id="content-text">Leave.</yt-formatted-string></ytd-comment-renderer></ytd-comment-thread-renderer>`,
      { url: POST_URL.href },
    ).window.document;
    const [comment] = youtubeAdapter.listPosts(doc);
    expect(youtubeAdapter.extractPost(comment as Element, POST_URL)).toMatchObject({
      postId: TOP_COMMENT,
      author: { handle: 'gary-thornbury' },
      text: 'Leave.',
      replyToUrl: POST_URL.href,
    });
  });
});

describe('feed tiles and community posts', () => {
  it('drops tracking parameters from a tile’s video link', () => {
    const [, tile] = extractPage(load('feed.html', FEED_URL), FEED_URL).posts;
    expect(tile?.permalink).toBe('https://www.youtube.com/watch?v=Pn7hOlbk3Cq');
  });

  it('a community post is linked by its /post/ id and its image is listed, not the avatar', () => {
    const [post] = extractPage(load('profile.html', PROFILE_URL), PROFILE_URL).posts;
    expect(post).toMatchObject({
      permalink: 'https://www.youtube.com/post/UgkxH7bRt2qWn9LmZ4pXc8sVd1kEy3oJtA5f',
      mediaUrls: ['https://yt3.ggpht.com/post_image_leaflet=s640-c-fcrop64'],
    });
  });
});

describe('pageKind and matchesUrl', () => {
  const doc = new JSDOM('').window.document;
  itReadsPageKinds(youtubeAdapter, doc, [
    [POST_URL.href, 'post'],
    ['https://www.youtube.com/watch?v=Pn7hOlbk3Cq&lc=UgzK8pQwE2mRt5vNxY14AaABAg', 'post'],
    ['https://www.youtube.com/shorts/Pn7hOlbk3Cq', 'post'],
    ['https://www.youtube.com/live/Pn7hOlbk3Cq', 'post'],
    ['https://www.youtube.com/post/UgkxH7bRt2qWn9LmZ4pXc8sVd1kEy3oJtA5f', 'post'],
    ['https://www.youtube.com/watch?v=short', 'unknown'],
    ['https://www.youtube.com/@gary-thornbury', 'profile'],
    [PROFILE_URL.href, 'profile'],
    ['https://www.youtube.com/@gary-thornbury/videos', 'profile'],
    ['https://www.youtube.com/channel/UCg4ryTh0rnBuRy77xLq2mNw', 'profile'],
    ['https://www.youtube.com/c/GaryThornbury', 'profile'],
    ['https://www.youtube.com/user/garyt1977/about', 'profile'],
    ['https://www.youtube.com/@gary-thornbury/nonsense', 'unknown'],
    ['https://www.youtube.com/', 'timeline'],
    ['https://www.youtube.com/results?search_query=holbeck', 'timeline'],
    ['https://www.youtube.com/feed/subscriptions', 'timeline'],
    ['https://www.youtube.com/feed/library', 'unknown'],
    ['https://www.youtube.com/account', 'unknown'],
  ]);

  itMatchesUrls(youtubeAdapter, [
    ['https://www.youtube.com/', true],
    ['https://youtube.com/', false],
    ['https://m.youtube.com/', false],
    ['https://youtu.be/Pn7hOlbk3Cq', false],
    ['https://i.ytimg.com/vi/a/hq.jpg', false],
  ]);

  itIsPickedByUrl(youtubeAdapter, 'YouTube', doc, POST_URL, ['https://www.youtube.com/*']);
});

describe('extractProfile', () => {
  it('is null off channel pages', () => {
    expect(youtubeAdapter.extractProfile(load('post.html', POST_URL), POST_URL)).toBeNull();
  });

  it('reads the older c4 header, and the id from a /channel/ URL', () => {
    const url = new URL('https://www.youtube.com/channel/UCq3vT9xKp2LmN8bR4sW7yZa');
    const doc = new JSDOM(
      `<ytd-c4-tabbed-header-renderer><div id="channel-name"><div id="text">Holbeck Truth</div>
       <ytd-badge-supported-renderer><div class="badge badge-style-type-verified" aria-label="Verified"></div></ytd-badge-supported-renderer></div>
       <yt-formatted-string id="channel-handle">@holbecktruth</yt-formatted-string>
       <yt-formatted-string id="subscriber-count">812 subscribers</yt-formatted-string>
       <yt-formatted-string id="videos-count"><span>14</span> videos</yt-formatted-string></ytd-c4-tabbed-header-renderer>`,
      { url: url.href },
    ).window.document;
    expect(youtubeAdapter.extractProfile(doc, url)).toMatchObject({
      displayName: 'Holbeck Truth',
      handle: 'holbecktruth',
      profileUrl: 'https://www.youtube.com/@holbecktruth',
      followersShown: '812',
      accountId: 'UCq3vT9xKp2LmN8bR4sW7yZa',
      verified: true,
      state: 'public',
    });
  });

  it.each([
    ["<div><p>This account has been terminated for a violation of YouTube's Terms of Service.</p></div>", 'suspended'],
    ['<div><p>This channel does not exist.</p></div>', 'not-found'],
    ['<div><p>Sign in to confirm you’re not a bot</p></div>', 'login-wall'],
    ['<div></div>', 'unknown'],
  ])('reads %s as %s', (html, state) => {
    const url = new URL('https://www.youtube.com/@gary-thornbury');
    expect(youtubeAdapter.extractProfile(new JSDOM(html).window.document, url)).toMatchObject({
      state,
      handle: 'gary-thornbury',
      profileUrl: 'https://www.youtube.com/@gary-thornbury',
    });
  });
});
