import {
  absoluteUrl,
  isoFromDatetime,
  leadingCount,
  noticeText,
  ownElements,
  pathSegments,
  uniqueUrls,
  visibleText,
  visibleTextOrNull,
} from './dom';
import { defineAdapter, matchesHosts, postsIn } from './define';
import { YOUTUBE_HOST_PATTERNS } from './hosts';
import type { AuthorInfo, PageKind, PostInfo, ProfileInfo, SiteAdapter } from './types';

/**
 * YouTube (www.youtube.com, the Polymer desktop app). Markup hooks are its
 * custom element names and long-lived ids:
 * - the video as a post: `ytd-watch-metadata` (title `#title h1`, channel
 *   `ytd-video-owner-renderer #channel-name a`, description
 *   `#description-inline-expander`), its upload time from the page's
 *   schema.org microdata (`meta[itemprop="uploadDate"|"datePublished"]`);
 * - comments: `ytd-comment-view-model` (2024 on) or `ytd-comment-renderer`,
 *   inside `ytd-comment-thread-renderer`, replies under
 *   `ytd-comment-replies-renderer`; `#author-text`, `#content-text`, and
 *   `#published-time-text a`, whose `&lc=<id>` (`&lc=<parent>.<reply>` for a
 *   reply) is the comment's permalink and names what it answers;
 * - community posts: `ytd-backstage-post-renderer`, linked `/post/<id>`;
 * - video tiles in feeds and search: `ytd-rich-grid-media`, `ytd-video-renderer`;
 * - channel pages: `yt-page-header-view-model` (2024 on) or
 *   `ytd-c4-tabbed-header-renderer`, the channel id from the canonical link.
 * Comment and tile times are relative ("3 days ago"), so their `iso` stays null.
 */

const ORIGIN = 'https://www.youtube.com';
// Exactly the hosts in YOUTUBE_HOST_PATTERNS: elsewhere the content script is not there to read the page.
const HOSTS = new Set(['www.youtube.com']);
const LINK_HOSTS = new Set(['www.youtube.com', 'youtube.com', 'm.youtube.com']);

const VIDEO = 'ytd-watch-metadata';
const COMMENT = 'ytd-comment-view-model, ytd-comment-renderer';
const COMMUNITY_POST = 'ytd-backstage-post-renderer';
const TILE = 'ytd-rich-grid-media, ytd-video-renderer, ytd-grid-video-renderer';
const ITEM = `${VIDEO}, ${COMMENT}, ${COMMUNITY_POST}, ${TILE}`;

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
const COMMENT_ID = /^[A-Za-z0-9_-]{10,60}(?:\.[A-Za-z0-9_-]{10,60})?$/;
const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
const HANDLE = /^@([A-Za-z0-9._-]{3,30})$/;
/** Channel tabs that still show the channel header. */
const CHANNEL_TABS = new Set([
  'featured',
  'videos',
  'shorts',
  'streams',
  'playlists',
  'community',
  'posts',
  'about',
  'podcasts',
  'releases',
]);

export const youtubeAdapter: SiteAdapter = defineAdapter({
  platform: 'youtube',
  version: 1,
  everyPostLinked: true,
  hostPatterns: YOUTUBE_HOST_PATTERNS,
  matchesUrl: matchesHosts(HOSTS),
  postSelector: ITEM,
  kindOfUrl,
  focalPost: mainPost,
  extractPost,
  extractProfile,
});

function listPosts(doc: Document): Element[] {
  return postsIn(doc, ITEM);
}

function own(item: Element, selector: string): Element[] {
  return ownElements(item, selector, ITEM);
}

// ---- URLs ----

interface ChannelRef {
  url: string;
  handle: string | null;
  id: string | null;
}

/** The video a URL names: `/watch?v=<id>`, `/shorts/<id>`, `/live/<id>`. */
function videoIdOfUrl(url: URL): string | null {
  const [first, second] = pathSegments(url);
  const id = first === 'watch' ? url.searchParams.get('v') : first === 'shorts' || first === 'live' ? second : null;
  return id && VIDEO_ID.test(id) ? id : null;
}

function communityPostIdOfUrl(url: URL): string | null {
  const [first, second, third] = pathSegments(url);
  return first === 'post' && second && /^[A-Za-z0-9_-]{10,60}$/.test(second) && third === undefined ? second : null;
}

/** `/@handle`, `/channel/UC…`, `/c/<name>`, `/user/<name>`, each with an optional tab. */
function channelOfUrl(url: URL, allowTabs = true): ChannelRef | null {
  const segments = pathSegments(url).map((s) => decodeURIComponent(s));
  const [first, second, third] = segments;
  let ref: ChannelRef | null = null;
  let rest: string[] = [];
  const handle = first ? HANDLE.exec(first)?.[1] : undefined;
  if (handle) {
    ref = { url: `${ORIGIN}/@${handle}`, handle, id: null };
    rest = segments.slice(1);
  } else if (first === 'channel' && second && CHANNEL_ID.test(second)) {
    ref = { url: `${ORIGIN}/channel/${second}`, handle: null, id: second };
    rest = segments.slice(2);
  } else if ((first === 'c' || first === 'user') && second && /^[A-Za-z0-9._-]{1,100}$/.test(second)) {
    ref = { url: `${ORIGIN}/${first}/${second}`, handle: null, id: null };
    rest = segments.slice(2);
  }
  if (!ref) return null;
  if (rest.length === 0) return ref;
  return allowTabs && rest.length === 1 && CHANNEL_TABS.has(rest[0] ?? '') && third !== '' ? ref : null;
}

function kindOfUrl(url: URL): PageKind {
  if (videoIdOfUrl(url) || communityPostIdOfUrl(url)) return 'post';
  if (channelOfUrl(url)) return 'profile';
  const [first, second] = pathSegments(url);
  if (first === undefined || first === 'results') return 'timeline';
  if (first === 'feed' && second !== undefined && ['subscriptions', 'trending', 'explore', 'history'].includes(second))
    return 'timeline';
  return 'unknown';
}

function youtubeUrl(href: string | null | undefined, base: URL): URL | null {
  const absolute = absoluteUrl(href, base);
  if (!absolute) return null;
  const url = new URL(absolute);
  return LINK_HOSTS.has(url.hostname.toLowerCase()) ? url : null;
}

function videoUrl(id: string): string {
  return `${ORIGIN}/watch?v=${id}`;
}

function channelAuthor(link: Element | null, shownName: string | null, base: URL): AuthorInfo {
  const url = link ? youtubeUrl(link.getAttribute('href'), base) : null;
  const ref = url ? channelOfUrl(url, false) : null;
  // Since 2023 comments show "@handle" where a name used to be: that is a handle, not a display name.
  const shownHandle = shownName ? HANDLE.exec(shownName.trim())?.[1] : undefined;
  return {
    displayName: shownHandle ? null : shownName,
    handle: ref?.handle ?? shownHandle ?? null,
    profileUrl: ref?.url ?? (shownHandle ? `${ORIGIN}/@${shownHandle}` : null),
  };
}

// ---- which post a URL names ----

function mainPost(doc: Document, url: URL): Element | null {
  const items = listPosts(doc);
  const lc = url.searchParams.get('lc');
  if (lc) {
    const comment = items.find((item) => item.matches(COMMENT) && commentRefOf(item, url)?.id === lc);
    if (comment) return comment;
  }
  const postId = communityPostIdOfUrl(url);
  if (postId)
    return items.find((item) => item.matches(COMMUNITY_POST) && communityPostId(item, url) === postId) ?? null;
  return items.find((item) => item.matches(VIDEO)) ?? null;
}

// ---- posts ----

function extractPost(item: Element, pageUrl: URL): PostInfo {
  if (item.matches(COMMENT)) return extractComment(item, pageUrl);
  if (item.matches(COMMUNITY_POST)) return extractCommunityPost(item, pageUrl);
  if (item.matches(TILE)) return extractTile(item, pageUrl);
  return extractVideo(item, pageUrl);
}

const NO_REPLY = { isReply: false, replyToUrl: null, quotedPostUrl: null } as const;

/**
 * The watched video. Its id comes from the page URL (the metadata block
 * has no link to itself); its upload time and thumbnail from the page's
 * schema.org microdata when it is there.
 */
function extractVideo(item: Element, pageUrl: URL): PostInfo {
  const doc = item.ownerDocument;
  const id = videoIdOfUrl(pageUrl);
  const owner = own(item, 'ytd-video-owner-renderer')[0] ?? item;
  const channelLink =
    owner.querySelector('#channel-name a[href], ytd-channel-name a[href]') ?? owner.querySelector('a[href]');
  const title = visibleTextOrNull(own(item, '#title h1, h1')[0]);
  // In order of preference: #description also holds the views-and-date line.
  const description = visibleTextOrNull(
    own(item, '#description-inline-expander')[0] ?? own(item, '#description yt-attributed-string')[0] ?? null,
  );
  const uploaded = doc.querySelector('[itemprop="uploadDate"], [itemprop="datePublished"]');
  const thumbnail = doc.querySelector('link[itemprop="thumbnailUrl"], [itemprop="thumbnailUrl"] link[itemprop="url"]');
  return {
    platform: 'youtube',
    permalink: id ? videoUrl(id) : null,
    postId: id,
    author: channelAuthor(channelLink, visibleTextOrNull(channelLink), pageUrl),
    text: [title, description].filter(Boolean).join('\n\n') || null,
    shownTime: {
      raw: visibleTextOrNull(own(item, '#info-container #info span:last-child, #info-strings yt-formatted-string')[0]),
      iso: isoFromDatetime(uploaded?.getAttribute('content')),
    },
    mediaUrls: uniqueUrls([thumbnail?.getAttribute('href')], pageUrl, isImageHost),
    ...NO_REPLY,
  };
}

function isImageHost(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return (
    host === 'i.ytimg.com' ||
    /^i\d\.ytimg\.com$/.test(host) ||
    host === 'yt3.ggpht.com' ||
    host.endsWith('.googleusercontent.com')
  );
}

interface CommentRef {
  /** `lc` of the comment: `<id>`, or `<parent>.<reply>` for a reply. */
  id: string;
  videoId: string | null;
  postId: string | null;
}

/** The comment's `#published-time-text a`: `/watch?v=<video>&lc=<id>` under a video, `/post/<id>?lc=<id>` under a community post. */
function commentRefOf(comment: Element, base: URL): CommentRef | null {
  const link = own(comment, '#published-time-text a[href], #header-author a[href*="lc="]')[0];
  const url = link ? youtubeUrl(link.getAttribute('href'), base) : null;
  const lc = url?.searchParams.get('lc');
  if (!url || !lc || !COMMENT_ID.test(lc)) return null;
  return { id: lc, videoId: videoIdOfUrl(url), postId: communityPostIdOfUrl(url) };
}

function commentUrl(ref: CommentRef, lc: string | null): string | null {
  const url = ref.videoId
    ? new URL(videoUrl(ref.videoId))
    : ref.postId
      ? new URL(`${ORIGIN}/post/${ref.postId}`)
      : null;
  if (url && lc) url.searchParams.set('lc', lc);
  return url?.href ?? null;
}

function extractComment(comment: Element, pageUrl: URL): PostInfo {
  const ref = commentRefOf(comment, pageUrl);
  const authorLink = own(comment, 'a#author-text, #author-text a, #author-text')[0] ?? null;
  const link = authorLink?.matches('a') ? authorLink : (authorLink?.querySelector('a') ?? null);
  const time = own(comment, '#published-time-text a, #published-time-text')[0] ?? null;
  const parentId = ref?.id.includes('.') ? (ref.id.split('.')[0] ?? null) : null;
  const inReplies = comment.closest('ytd-comment-replies-renderer') !== null;
  const pageVideo = videoIdOfUrl(pageUrl);
  return {
    platform: 'youtube',
    permalink: ref ? commentUrl(ref, ref.id) : null,
    postId: ref?.id ?? null,
    author: channelAuthor(link, visibleTextOrNull(authorLink), pageUrl),
    text: visibleTextOrNull(own(comment, '#content-text')[0]),
    shownTime: { raw: visibleTextOrNull(time), iso: null },
    mediaUrls: [],
    isReply: true,
    // A reply answers its thread's comment; a top-level comment answers the video (or community post).
    replyToUrl: ref ? commentUrl(ref, parentId) : !inReplies && pageVideo ? videoUrl(pageVideo) : null,
    quotedPostUrl: null,
  };
}

function communityPostId(post: Element, base: URL): string | null {
  for (const link of own(post, '#published-time-text a[href], a[href^="/post/"]')) {
    const url = youtubeUrl(link.getAttribute('href'), base);
    const id = url ? communityPostIdOfUrl(url) : null;
    if (id) return id;
  }
  return null;
}

function extractCommunityPost(post: Element, pageUrl: URL): PostInfo {
  const id = communityPostId(post, pageUrl);
  const authorLink = own(post, 'a#author-text, #author-text a')[0] ?? null;
  return {
    platform: 'youtube',
    permalink: id ? `${ORIGIN}/post/${id}` : null,
    postId: id,
    author: channelAuthor(authorLink, visibleTextOrNull(authorLink), pageUrl),
    text: visibleTextOrNull(own(post, '#content-text')[0]),
    shownTime: { raw: visibleTextOrNull(own(post, '#published-time-text')[0]), iso: null },
    mediaUrls: uniqueUrls(
      own(post, '#content-attachment img, #image-container img').map((img) => img.getAttribute('src')),
      pageUrl,
      isImageHost,
    ),
    ...NO_REPLY,
  };
}

/** A video tile in a feed or search results: title link, channel, "3 days ago" in the metadata line. */
function extractTile(tile: Element, pageUrl: URL): PostInfo {
  const titleLink = own(tile, 'a#video-title-link, a#video-title')[0] ?? null;
  const url = titleLink ? youtubeUrl(titleLink.getAttribute('href'), pageUrl) : null;
  const id = url ? videoIdOfUrl(url) : null;
  const channel = own(tile, 'ytd-channel-name a[href], #channel-name a[href]')[0] ?? null;
  const metadata = own(tile, '#metadata-line span');
  const time = metadata.find((span) => /\bago$|^streamed\b|^premiered?\b/i.test(visibleText(span))) ?? null;
  return {
    platform: 'youtube',
    permalink: id ? videoUrl(id) : null,
    postId: id,
    author: channelAuthor(channel, visibleTextOrNull(channel), pageUrl),
    text: visibleTextOrNull(own(tile, '#video-title')[0]),
    shownTime: { raw: visibleTextOrNull(time), iso: null },
    mediaUrls: uniqueUrls(
      own(tile, 'ytd-thumbnail img').map((img) => img.getAttribute('src')),
      pageUrl,
      isImageHost,
    ),
    ...NO_REPLY,
  };
}

// ---- channels (profiles) ----

const NEW_HEADER = 'yt-page-header-view-model, yt-page-header-renderer';
const OLD_HEADER = 'ytd-c4-tabbed-header-renderer';

function extractProfile(doc: Document, url: URL): ProfileInfo | null {
  const ref = channelOfUrl(url);
  if (!ref) return null;
  const header = doc.querySelector(`${NEW_HEADER}, ${OLD_HEADER}`);
  const nameEl = header?.querySelector('h1, #channel-name #text, #channel-name') ?? null;
  const metadata = Array.from(
    header?.querySelectorAll(
      'yt-content-metadata-view-model span, #channel-header-links span, #channel-handle, #subscriber-count, #videos-count',
    ) ?? [],
  )
    .filter((el) => el.children.length === 0)
    .map((el) => visibleText(el))
    .flatMap((text) => text.split(/\s*[•·]\s*/))
    .filter(Boolean);
  const shownHandle = metadata.map((text) => HANDLE.exec(text)?.[1]).find((h): h is string => Boolean(h));
  const handle = shownHandle ?? ref.handle;
  const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute('href');
  const canonicalId = canonical ? (/\/channel\/(UC[A-Za-z0-9_-]{22})$/.exec(canonical)?.[1] ?? null) : null;
  const metaId = doc.querySelector('meta[itemprop="identifier"], meta[itemprop="channelId"]')?.getAttribute('content');
  const accountId = ref.id ?? canonicalId ?? (metaId && CHANNEL_ID.test(metaId) ? metaId : null);
  return {
    platform: 'youtube',
    displayName: visibleTextOrNull(nameEl),
    handle,
    profileUrl: handle ? `${ORIGIN}/@${handle}` : ref.url,
    bio: visibleTextOrNull(
      header?.querySelector('yt-description-preview-view-model, #channel-tagline, #description') ?? null,
    ),
    followersShown: countLabelled(metadata, /subscribers?$/i),
    followingShown: null,
    postsShown: countLabelled(metadata, /videos?$/i),
    joinedShown: null,
    accountId,
    verified: nameEl ? header?.querySelector('[aria-label="Verified"], .badge-style-type-verified') != null : null,
    state: channelState(doc, header),
  };
}

function countLabelled(parts: string[], label: RegExp): string | null {
  for (const part of parts) if (label.test(part)) return leadingCount(part);
  return null;
}

function channelState(doc: Document, header: Element | null): ProfileInfo['state'] {
  const notice = noticeText(doc, ITEM);
  if (/this account has been terminated|channel was terminated|has been terminated for/.test(notice))
    return 'suspended';
  if (!header && /this channel does not exist|this page isn't available|404 not found/.test(notice)) return 'not-found';
  if (header) return 'public';
  return /sign in to confirm|sign in to continue/.test(notice) ? 'login-wall' : 'unknown';
}
