import {
  absoluteUrl,
  field,
  isoFromEpochSeconds,
  leadingCount,
  noticeText,
  ownElements,
  parseJson,
  pathSegments,
  uniqueUrls,
  visibleText,
  visibleTextOrNull,
} from './dom';
import { defineAdapter, matchesHosts, postsIn } from './define';
import { TIKTOK_HOST_PATTERNS } from './hosts';
import type { AuthorInfo, PageKind, PostInfo, ProfileInfo, ShownTime, SiteAdapter } from './types';

/**
 * TikTok (www.tiktok.com, the desktop web app). Hooks are its `data-e2e`
 * test attributes, the player's `id="xgwrapper-<n>-<video id>"` and URL
 * shapes (`/@<handle>/video/<id>`, `/@<handle>/photo/<id>`):
 * - videos in the one-column list of a video page and of the For You feed:
 *   `article[data-e2e="recommend-list-item-container"]`, the one whose
 *   player id is the URL's being the video it names. The creator link (its
 *   text is the handle) sits in the creator info with the time after it
 *   (" · 11-12"), the avatar is `a[data-e2e="video-author-avatar"]`, the caption
 *   `[data-e2e="video-desc"]`, which also holds TikTok's AI summary
 *   (`[data-e2e^="v2t-"]`), left out of the text. The older feed's
 *   `video-author-uniqueid` / `video-author-nickname` are read too.
 * - the "browse" view a video opens in from a profile grid: the modal
 *   (component `DivBrowserModeContainer`) with `browse-username`,
 *   `browser-nickname` (name · time), `browse-video-desc`, `browse-video-link`;
 * - comments: `[data-comment-ui-enabled]` (browse view, `id` = the comment
 *   id) or, in the side panel of the one-column page, the component
 *   `DivCommentItemWrapper` (no id); inside either `comment-username-<level>`,
 *   `comment-level-<level>` (level 2 is a reply) and `comment-time-<level>`
 *   (browse view; the side panel has an unmarked "2d ago" span);
 * - profile grid tiles: `[data-e2e="user-post-item"]`;
 * - profiles: `user-title` (handle), `user-subtitle` (name), `user-bio`,
 *   `following-count`, `followers-count`, and the account id from the page's
 *   `__UNIVERSAL_DATA_FOR_REHYDRATION__` JSON when it is for the same handle.
 * The two component names are matched as class substrings
 * (`css-<hash>-7937d88b--DivCommentItemWrapper`): the hash changes, the name
 * has not; every field inside is read from `data-e2e` hooks. The one-column
 * list was checked against a saved video page from December 2025 (its
 * comment panel closed); the comments, the browse view, profiles and their
 * notices follow other projects' descriptions of the 2024-2026 DOM.
 *
 * Times: videos show "5h ago", "11-12" or "2024-11-12". TikTok video ids
 * carry their creation time in the top 32 bits (id >> 32 = Unix seconds), so
 * a video's `iso` is computed from its id, with `rule` saying so. Comment
 * times keep `iso` null (the capture path resolves relative ones). TikTok
 * web has no link to a single comment: a comment's permalink is null and
 * `replyToUrl` is the video, for replies too. The profile's likes count has
 * no field in ProfileInfo and is not read. Reposts show the original video,
 * which is what is captured, so `quotedPostUrl` stays null.
 */

const ORIGIN = 'https://www.tiktok.com';
// Exactly the hosts in TIKTOK_HOST_PATTERNS: elsewhere the content script is not there to read the page.
const HOSTS = new Set(['www.tiktok.com']);
const LINK_HOSTS = new Set(['www.tiktok.com', 'tiktok.com', 'm.tiktok.com']);

// The list is virtualised: items far from the viewport are empty placeholders.
const FEED_ITEM = 'article[data-e2e="recommend-list-item-container"]:not(:empty)';
const BROWSE_VIDEO = '[class*="--DivBrowserModeContainer"]';
const VIDEO = `${FEED_ITEM}, ${BROWSE_VIDEO}`;
const TILE = '[data-e2e="user-post-item"]';
const COMMENT = '[data-comment-ui-enabled="true"], [class*="--DivCommentItemWrapper"]';
const ITEM = `${VIDEO}, ${TILE}, ${COMMENT}`;

const CAPTION = '[data-e2e="video-desc"], [data-e2e="browse-video-desc"]';
const AI_SUMMARY = '[data-e2e^="v2t-"]';
const COMMENT_TEXT = '[data-e2e^="comment-level-"]';
const COMMENT_NAME = '[data-e2e^="comment-username-"]';
const VERIFIED_BADGE = '[id*="Verified_Badge"], [clip-path*="Verified_Badge"]';

/** Letters, digits, "_" and "."; TikTok allows 24 characters, the slack keeps older handles readable. */
const HANDLE = /^[A-Za-z0-9._]{1,30}$/;
const ITEM_ID = /^\d{19}$/;
const PLAYER_ID = /^xgwrapper-\d+-(\d{19})$/;
/** A time as TikTok shows it where it has no hook of its own: "5h ago", "1w ago", "11-12", "2024-11-12". */
const SHOWN_TIME =
  /^(?:just now|now|\d+\s*(?:s|m|min|h|d|w|mo|y)\s+ago|\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago|today|yesterday|\d{1,2}-\d{1,2}|\d{4}-\d{1,2}-\d{1,2})$/i;
const TIMELINE_PATHS = new Set(['foryou', 'following', 'friends', 'explore', 'search']);

export const tiktokAdapter: SiteAdapter = defineAdapter({
  platform: 'tiktok',
  version: 1,
  hostPatterns: TIKTOK_HOST_PATTERNS,
  matchesUrl: matchesHosts(HOSTS),
  postSelector: ITEM,
  kindOfUrl,
  focalPost,
  extractPost,
  extractProfile,
});

function own(item: Element, selector: string): Element[] {
  return ownElements(item, selector, ITEM);
}

// ---- URLs ----

interface VideoRef {
  handle: string | null;
  kind: 'video' | 'photo';
  id: string;
}

function handleOf(segment: string | undefined): string | null {
  // Handles are ASCII, so a percent-encoded segment is not one and needs no decoding.
  const handle = segment?.startsWith('@') ? segment.slice(1) : null;
  return handle && HANDLE.test(handle) ? handle : null;
}

/** `/@<handle>/video/<id>` or `/@<handle>/photo/<id>`. */
function videoRefOfUrl(url: URL): VideoRef | null {
  const [first, second, third, fourth] = pathSegments(url);
  if (
    !first?.startsWith('@') ||
    (second !== 'video' && second !== 'photo') ||
    !third ||
    !ITEM_ID.test(third) ||
    fourth !== undefined
  ) {
    return null;
  }
  return { handle: handleOf(first), kind: second, id: third };
}

/** `/@<handle>`. */
function profileHandleOfUrl(url: URL): string | null {
  const segments = pathSegments(url);
  return segments.length === 1 ? handleOf(segments[0]) : null;
}

function kindOfUrl(url: URL): PageKind {
  if (videoRefOfUrl(url)) return 'post';
  if (profileHandleOfUrl(url)) return 'profile';
  const [first, second] = pathSegments(url);
  if (first === undefined || TIMELINE_PATHS.has(first)) return 'timeline';
  if ((first === 'tag' || first === 'music') && second !== undefined) return 'timeline';
  return 'unknown';
}

function tiktokUrl(href: string | null | undefined, base: URL): URL | null {
  const absolute = absoluteUrl(href, base);
  if (!absolute) return null;
  const url = new URL(absolute);
  return LINK_HOSTS.has(url.hostname.toLowerCase()) ? url : null;
}

function profileUrl(handle: string): string {
  return `${ORIGIN}/@${handle}`;
}

function videoUrl(ref: VideoRef, handle: string | null): string | null {
  return handle ? `${ORIGIN}/@${handle}/${ref.kind}/${ref.id}` : null;
}

/** The handle a link to a profile names, or null for any other link. */
function linkedHandle(link: Element | null | undefined, base: URL): string | null {
  const url = link ? tiktokUrl(link.getAttribute('href'), base) : null;
  return url ? profileHandleOfUrl(url) : null;
}

function isImageHost(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return host.endsWith('.tiktokcdn.com') || host.endsWith('.tiktokcdn-eu.com') || host.endsWith('.tiktokcdn-us.com');
}

// ---- which post a URL names ----

function focalPost(doc: Document, url: URL): Element | null {
  const ref = videoRefOfUrl(url);
  const videos = postsIn(doc, VIDEO);
  return videos.find((video) => videoRefOf(video, url)?.id === ref?.id) ?? null;
}

// ---- videos ----

function extractPost(item: Element, pageUrl: URL): PostInfo {
  if (item.matches(COMMENT)) return extractComment(item, pageUrl);
  if (item.matches(TILE)) return extractTile(item, pageUrl);
  return extractVideo(item, pageUrl);
}

const NOT_A_REPLY = { isReply: false, replyToUrl: null, quotedPostUrl: null } as const;

/**
 * The video an item shows: its player's id, or the browse view's copy-link
 * box. The browse view is a modal for the URL's video, so without either it
 * is that one; a list item without a player is not guessed at.
 */
function videoRefOf(video: Element, pageUrl: URL): VideoRef | null {
  const playerId = own(video, '[id^="xgwrapper-"]')
    .map((el) => PLAYER_ID.exec(el.id)?.[1])
    .find((id): id is string => id !== undefined);
  const pageRef = videoRefOfUrl(pageUrl);
  if (playerId) return pageRef?.id === playerId ? pageRef : { handle: null, kind: 'video', id: playerId };
  for (const box of own(video, '[data-e2e="browse-video-link"]')) {
    const url = tiktokUrl(visibleText(box), pageUrl);
    const ref = url ? videoRefOfUrl(url) : null;
    if (ref) return ref;
  }
  return video.matches(BROWSE_VIDEO) ? pageRef : null;
}

function extractVideo(video: Element, pageUrl: URL): PostInfo {
  const ref = videoRefOf(video, pageUrl);
  const author = videoAuthor(video, pageUrl);
  return {
    platform: 'tiktok',
    permalink: ref ? videoUrl(ref, author.handle ?? ref.handle) : null,
    postId: ref?.id ?? null,
    author,
    text: captionOf(video),
    shownTime: { raw: videoTimeText(video, pageUrl), ...timeFromId(ref?.id) },
    mediaUrls: mediaOf(video, pageUrl),
    ...NOT_A_REPLY,
  };
}

/**
 * The link with the creator's name: in the one-column list it shows the
 * handle, in the browse view it holds `browse-username`; not the avatar and
 * not a mention in the caption.
 */
function creatorLink(video: Element, base: URL): Element | null {
  return (
    own(video, 'a[href]').find(
      (a) =>
        linkedHandle(a, base) !== null &&
        !a.matches('[data-e2e$="avatar"]') &&
        !a.closest(CAPTION) &&
        visibleText(a) !== '',
    ) ?? null
  );
}

function videoAuthor(video: Element, base: URL): AuthorInfo {
  const handleEl = own(video, '[data-e2e="browse-username"], [data-e2e="video-author-uniqueid"]')[0] ?? null;
  const nameEl =
    own(video, '[data-e2e="browser-nickname"] > :first-child, [data-e2e="video-author-nickname"]')[0] ?? null;
  const link = creatorLink(video, base);
  const avatar = own(video, 'a[data-e2e="video-author-avatar"], a[data-e2e="browse-user-avatar"]')[0];
  const shownHandle = visibleTextOrNull(handleEl)?.replace(/^@/, '') ?? null;
  const handle =
    linkedHandle(handleEl?.closest('a[href]'), base) ??
    linkedHandle(link, base) ??
    linkedHandle(avatar, base) ??
    (shownHandle && HANDLE.test(shownHandle) ? shownHandle : null);
  const shownName = visibleTextOrNull(nameEl) ?? (nameEl ? null : visibleTextOrNull(link));
  // The one-column list shows the handle where a name would be: that is no display name.
  const displayName =
    shownName && shownName.replace(/^@/, '').toLowerCase() !== handle?.toLowerCase() ? shownName : null;
  return { displayName, handle, profileUrl: handle ? profileUrl(handle) : null };
}

/** The last part of the browse view's "name · time", or " · 11-12" after the creator link. */
function videoTimeText(video: Element, base: URL): string | null {
  const nickname = own(video, '[data-e2e="browser-nickname"]')[0];
  const parts = nickname ? Array.from(nickname.children) : [];
  if (parts.length > 1) return withoutSeparator(parts[parts.length - 1]);
  for (let el = creatorLink(video, base)?.nextElementSibling ?? null; el; el = el.nextElementSibling) {
    const text = withoutSeparator(el);
    if (text && SHOWN_TIME.test(text)) return text;
  }
  // Without a creator link, the " · " TikTok puts before the time still marks it.
  for (const el of own(video, 'span, p, div')) {
    if (el.children.length > 0 || el.closest(CAPTION)) continue;
    const text = visibleText(el);
    const time = withoutSeparator(el);
    if (/^[·•]/.test(text) && time && SHOWN_TIME.test(time)) return time;
  }
  return null;
}

function withoutSeparator(el: Element | undefined): string | null {
  return (el ? visibleText(el) : '').replace(/^[·•\s]+/, '') || null;
}

/** The upload time a video id carries, with the rule that read it: a computed time, never the page's own. */
function timeFromId(id: string | null | undefined): Pick<ShownTime, 'iso' | 'rule'> {
  if (!id || !ITEM_ID.test(id)) return { iso: null };
  const seconds = String(BigInt(id) >> 32n);
  const iso = isoFromEpochSeconds(seconds);
  if (!iso) return { iso: null };
  return {
    iso,
    rule: `computed from the video id: TikTok ids carry their creation time in the top 32 bits (${id} >> 32 = ${seconds} Unix seconds); accurate to a few seconds, whatever time the page showed`,
  };
}

/**
 * The caption as written. TikTok draws hashtags and mentions as `<p>` in
 * links, styled inline, so they are unwrapped before reading; the AI summary
 * TikTok puts inside the caption element is left out.
 */
function captionOf(video: Element): string | null {
  const caption = own(video, CAPTION)[0];
  if (!caption) return null;
  const clone = caption.cloneNode(true) as Element;
  for (const part of Array.from(clone.querySelectorAll(AI_SUMMARY))) {
    const box = part.parentElement && part.parentElement !== clone ? part.parentElement : part;
    box.remove();
  }
  for (const p of Array.from(clone.querySelectorAll('a p'))) p.replaceWith(...Array.from(p.childNodes));
  return visibleTextOrNull(clone);
}

/** The poster and photos on TikTok's CDN, not avatars (which link to a profile). */
function mediaOf(item: Element, base: URL): string[] {
  const values = own(item, 'img, video').flatMap((el) => {
    if (el.tagName.toUpperCase() === 'VIDEO') return [el.getAttribute('poster')];
    if (el.closest('span[shape="circle"], [data-e2e$="avatar"]') || linkedHandle(el.closest('a[href]'), base))
      return [];
    return [el.getAttribute('src')];
  });
  return uniqueUrls(values, base, isImageHost);
}

// ---- profile grid tiles ----

function extractTile(tile: Element, pageUrl: URL): PostInfo {
  const ref =
    own(tile, 'a[href]')
      .map((a) => tiktokUrl(a.getAttribute('href'), pageUrl))
      .map((url) => (url ? videoRefOfUrl(url) : null))
      .find((r): r is VideoRef => r !== null) ?? null;
  const handle = ref?.handle ?? null;
  return {
    platform: 'tiktok',
    permalink: ref ? videoUrl(ref, handle) : null,
    postId: ref?.id ?? null,
    author: { displayName: null, handle, profileUrl: handle ? profileUrl(handle) : null },
    text: visibleTextOrNull(own(tile, '[data-e2e="user-post-item-desc"]')[0]),
    // Tiles show no time; the id still carries it.
    shownTime: { raw: null, ...timeFromId(ref?.id) },
    mediaUrls: mediaOf(tile, pageUrl),
    ...NOT_A_REPLY,
  };
}

// ---- comments ----

/** The video a comment is under: the browse view around it, else the video the page URL names. */
function commentVideoUrl(comment: Element, pageUrl: URL): string | null {
  const browse = comment.parentElement?.closest(BROWSE_VIDEO);
  if (browse) {
    const ref = videoRefOf(browse, pageUrl);
    return ref ? videoUrl(ref, videoAuthor(browse, pageUrl).handle ?? ref.handle) : null;
  }
  const ref = videoRefOfUrl(pageUrl);
  return ref ? videoUrl(ref, ref.handle) : null;
}

function extractComment(comment: Element, pageUrl: URL): PostInfo {
  const id = comment.matches('[data-comment-ui-enabled]') && ITEM_ID.test(comment.id) ? comment.id : null;
  return {
    platform: 'tiktok',
    permalink: null,
    postId: id,
    author: commentAuthor(comment, pageUrl),
    text: visibleTextOrNull(own(comment, COMMENT_TEXT)[0]),
    shownTime: { raw: visibleTextOrNull(commentTime(comment)), iso: null },
    mediaUrls: uniqueUrls(
      own(comment, 'img[data-e2e="comment-thumbnail"]').map((img) => img.getAttribute('src')),
      pageUrl,
      isImageHost,
    ),
    isReply: true,
    replyToUrl: commentVideoUrl(comment, pageUrl),
    quotedPostUrl: null,
  };
}

/**
 * The name block holds the profile link (side panel) or sits inside it
 * (browse view), next to badges such as "· Creator" that are not the name.
 */
function commentAuthor(comment: Element, base: URL): AuthorInfo {
  const nameEl = own(comment, COMMENT_NAME)[0] ?? null;
  const outer = nameEl?.closest('a[href]');
  const link = (outer && comment.contains(outer) ? outer : nameEl?.querySelector('a[href]')) ?? null;
  const fallback = own(comment, 'a[href]').find((a) => !a.closest(COMMENT_TEXT) && linkedHandle(a, base) !== null);
  const handle = linkedHandle(link, base) ?? linkedHandle(fallback, base);
  let shown: Element | null = nameEl;
  if (link && !link.contains(nameEl)) shown = link;
  else if (!link) shown = nameEl?.firstElementChild ?? nameEl;
  return { displayName: visibleTextOrNull(shown), handle, profileUrl: handle ? profileUrl(handle) : null };
}

function commentTime(comment: Element): Element | null {
  const marked = own(comment, '[data-e2e^="comment-time-"]')[0];
  if (marked) return marked;
  return (
    own(comment, 'span, p, div').find(
      (el) =>
        el.children.length === 0 &&
        !el.closest(`${COMMENT_TEXT}, ${COMMENT_NAME}, a`) &&
        SHOWN_TIME.test(visibleText(el)),
    ) ?? null
  );
}

// ---- profiles ----

const PROFILE_TEXT = '[data-e2e="user-title"], [data-e2e="user-subtitle"], [data-e2e="user-bio"]';

function extractProfile(doc: Document, url: URL): ProfileInfo | null {
  const urlHandle = profileHandleOfUrl(url);
  if (!urlHandle) return null;
  const title = doc.querySelector('[data-e2e="user-title"]');
  const shownHandle = visibleTextOrNull(title)?.replace(/^@/, '');
  const handle = shownHandle && HANDLE.test(shownHandle) ? shownHandle : urlHandle;
  const bio = visibleTextOrNull(doc.querySelector('[data-e2e="user-bio"]'));
  return {
    platform: 'tiktok',
    displayName: visibleTextOrNull(doc.querySelector('[data-e2e="user-subtitle"]')),
    handle,
    profileUrl: profileUrl(handle),
    // TikTok fills an empty bio with this placeholder.
    bio: bio && !/^no bio yet\.?$/i.test(bio) ? bio : null,
    followersShown: countOf(doc, 'followers-count'),
    followingShown: countOf(doc, 'following-count'),
    postsShown: null,
    joinedShown: null,
    accountId: accountIdOf(doc, handle),
    verified: title ? (title.parentElement ?? title).querySelector(VERIFIED_BADGE) !== null : null,
    state: profileState(doc, title),
  };
}

function countOf(doc: Document, hook: string): string | null {
  return leadingCount(visibleTextOrNull(doc.querySelector(`[data-e2e="${hook}"]`)));
}

/**
 * The numeric user id from the page's rehydration data. The data is from the
 * page's first load, and the app navigates without reloading, so it counts
 * only when it is about the handle on screen.
 */
function accountIdOf(doc: Document, handle: string): string | null {
  const data = parseJson(doc.getElementById('__UNIVERSAL_DATA_FOR_REHYDRATION__')?.textContent ?? '');
  const user = field(field(field(field(data, '__DEFAULT_SCOPE__'), 'webapp.user-detail'), 'userInfo'), 'user');
  const id = field(user, 'id');
  const uniqueId = field(user, 'uniqueId');
  if (typeof id !== 'string' || !/^\d{1,25}$/.test(id) || typeof uniqueId !== 'string') return null;
  return uniqueId.toLowerCase() === handle.toLowerCase() ? id : null;
}

function profileState(doc: Document, title: Element | null): ProfileInfo['state'] {
  const notice = noticeText(doc, `${ITEM}, ${PROFILE_TEXT}`);
  if (/couldn't find this account/.test(notice)) return 'not-found';
  if (/\baccount (?:has been |was )?(?:banned|suspended)\b|\bthis account is (?:banned|suspended)\b/.test(notice))
    return 'suspended';
  if (/this account is private/.test(notice)) return 'protected';
  if (title) return 'public';
  return /log in to (?:tiktok|continue|see)/.test(notice) ? 'login-wall' : 'unknown';
}
