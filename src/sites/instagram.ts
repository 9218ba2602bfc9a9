import {
  absoluteUrl,
  noticeText,
  ownElements,
  pathSegments,
  previousSiblingWhere,
  shownTimeOf,
  timeUnderDay,
  visibleText,
  visibleTextOrNull,
} from './dom';
import { defineAdapter, matchesHosts, postsIn } from './define';
import { INSTAGRAM_HOST_PATTERNS } from './hosts';
import {
  countShownAs,
  DOCUMENT_POSITION_FOLLOWING,
  senderLabelIn,
  inRepostLabel,
  META_HANDLE,
  metaMediaUrls,
  metaProfileState,
  inControl,
  titledProfileName,
  within,
} from './meta-shared';
import type { AuthorInfo, ConversationInfo, PageKind, PostInfo, ProfileInfo, ShownTime, SiteAdapter } from './types';

/**
 * Instagram (www.instagram.com, the desktop web app). Its class names are
 * hashed and change often, so the hooks are elements, roles, labels and URLs:
 * - posts: `article` (feed items, and the post on `/p/<code>/`,
 *   `/reel/<code>/`, `/<handle>/p/<code>/`); the permalink and time are the
 *   link to the post around `time[datetime]` (title "Nov 20, 2026"), the
 *   author the first link to `/<handle>/`; the caption is the post page's
 *   `h1`, or in the feed the text after the actions row (the "Like" button);
 *   a repost carries a "<handle> reposted" line above the original author;
 * - comments: the `li` holding a comment permalink `/p/<code>/c/<id>/` (a
 *   reply's is `/p/<code>/c/<parent>/r/<id>/`, which names what it answers)
 *   around the comment's `time`; the author is its `h3` link;
 * - direct messages (`/direct/t/<thread>/`): `div[role="grid"]` labelled
 *   "Messages in conversation with <name>", one `div[role="row"]` per
 *   bubble (`[role="gridcell"]`); a hidden `h5`/`h6` ("You sent" or the
 *   sender's name) opens each run of one sender's bubbles, rows without a
 *   gridcell are the date separators ("20 Nov 2026, 21:14");
 * - profiles: the `header` with the handle in `h2`, the bio in `h1`, counts
 *   "48 posts", "1,204 followers", "312 following", the badge
 *   `svg[aria-label="Verified"]`; the display name from the page title
 *   "Name (@handle) • Instagram photos and videos"; the account id from
 *   the page's `"page_id":"profilePage_<id>"`.
 * Feed and comment times are relative ("2h"), but every `time` carries a
 * zoned `datetime`, which gives the ISO time.
 */

const ORIGIN = 'https://www.instagram.com';
// Exactly the hosts in INSTAGRAM_HOST_PATTERNS: elsewhere the content script is not there to read the page.
const HOSTS = new Set(['www.instagram.com']);
const LINK_HOSTS = new Set(['www.instagram.com', 'instagram.com', 'm.instagram.com']);

const ARTICLE = 'article';
// The innermost `li` with a comment permalink: a list item that only wraps a comment's replies holds more `li`s.
const COMMENT = 'li:has(a[href*="/c/"]):not(:has(li))';
const MESSAGE = 'div[role="row"]:has([role="gridcell"])';
const ITEM = `${ARTICLE}, ${COMMENT}, ${MESSAGE}`;
const MESSAGE_GRID = 'div[role="grid"]';
const SENDER_HEADING = 'h5, h6';

const SHORTCODE = /^[A-Za-z0-9_-]{5,64}$/;
const COMMENT_ID = /^\d{5,25}$/;
const THREAD_ID = /^[A-Za-z0-9_-]{5,64}$/;
/** What the post URL's first segment is called: `/reels/<code>/` is the reels viewer showing that reel. */
const POST_KINDS: ReadonlyMap<string, string> = new Map([
  ['p', 'p'],
  ['reel', 'reel'],
  ['reels', 'reel'],
  ['tv', 'tv'],
]);
/** First path segments that are Instagram's own pages, never a username. */
const RESERVED_PATHS = new Set([
  'p',
  'reel',
  'reels',
  'tv',
  'stories',
  'explore',
  'direct',
  'accounts',
  'about',
  'legal',
  'developer',
  'web',
  'api',
  'graphql',
  'static',
  'challenge',
  'emails',
  'session',
  'oauth',
  'privacy',
  'terms',
  'press',
  'topics',
  'locations',
  'notifications',
  'nametag',
  'ar',
  'lite',
  'your_activity',
  'create',
  'threads',
  'meta_verified',
]);
/** Profile tabs and dialogs that still show the profile header. */
const PROFILE_TABS = new Set(['reels', 'tagged', 'saved', 'followers', 'following', 'feed']);
/** A separator row names a day or a time; other rows without a bubble are notices ("Gary unsent a message"). */
const SEPARATOR_TEXT = /\d|today|yesterday|day$/i;
const CONVERSATION_LABEL = /^messages in conversation with\s+/i;

export const instagramAdapter: SiteAdapter = defineAdapter({
  platform: 'instagram',
  version: 1,
  hostPatterns: INSTAGRAM_HOST_PATTERNS,
  matchesUrl: matchesHosts(HOSTS),
  postSelector: ITEM,
  kindOfUrl,
  focalPost,
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

interface PostRef {
  /** `p`, `reel` or `tv`, as the link spelled it. */
  kind: string;
  code: string;
  /** The comment a `/c/<id>/` URL names, and the comment it answers for `/c/<parent>/r/<id>/`. */
  commentId: string | null;
  parentCommentId: string | null;
}

function instagramUrl(href: string | null | undefined, base: URL): URL | null {
  const absolute = absoluteUrl(href, base);
  if (!absolute) return null;
  const url = new URL(absolute);
  return LINK_HOSTS.has(url.hostname.toLowerCase()) ? url : null;
}

function isHandle(segment: string | undefined): segment is string {
  return segment !== undefined && META_HANDLE.test(segment) && !RESERVED_PATHS.has(segment.toLowerCase());
}

/** `/p/<code>/`, `/reel/<code>/`, `/<handle>/p/<code>/`, each optionally followed by `c/<id>/` or `c/<parent>/r/<id>/`. */
function postRefOfUrl(url: URL): PostRef | null {
  let segments = pathSegments(url);
  if (isHandle(segments[0]) && POST_KINDS.has(segments[1] ?? '')) segments = segments.slice(1);
  const [kindSegment = '', code, c, commentId, r, replyId, ...rest] = segments;
  const kind = POST_KINDS.get(kindSegment);
  if (!kind || !code || !SHORTCODE.test(code) || rest.length > 0) return null;
  if (c === undefined) return { kind, code, commentId: null, parentCommentId: null };
  if (c !== 'c' || !commentId || !COMMENT_ID.test(commentId)) return null;
  if (r === undefined) return { kind, code, commentId, parentCommentId: null };
  if (r !== 'r' || !replyId || !COMMENT_ID.test(replyId)) return null;
  return { kind, code, commentId: replyId, parentCommentId: commentId };
}

function postUrlOf(ref: PostRef): string {
  return `${ORIGIN}/${ref.kind}/${ref.code}/`;
}

function commentUrlOf(ref: PostRef, commentId: string, parentId: string | null): string {
  return parentId ? `${postUrlOf(ref)}c/${parentId}/r/${commentId}/` : `${postUrlOf(ref)}c/${commentId}/`;
}

/** `/<handle>/`, and its tabs. */
function profileHandleOfUrl(url: URL, allowTabs = true): string | null {
  const [handle, tab, ...rest] = pathSegments(url);
  if (!isHandle(handle) || rest.length > 0) return null;
  return tab === undefined || (allowTabs && PROFILE_TABS.has(tab)) ? handle : null;
}

function profileUrlOf(handle: string): string {
  return `${ORIGIN}/${handle}/`;
}

function threadIdOfUrl(url: URL): string | null {
  const [direct, t, id, ...rest] = pathSegments(url);
  return direct === 'direct' && t === 't' && id && THREAD_ID.test(id) && rest.length === 0 ? id : null;
}

function kindOfUrl(url: URL): PageKind {
  if (postRefOfUrl(url)) return 'post';
  if (threadIdOfUrl(url)) return 'conversation';
  if (profileHandleOfUrl(url)) return 'profile';
  const [first] = pathSegments(url);
  if (first === undefined || first === 'explore') return 'timeline';
  return 'unknown';
}

function postRefOfLink(link: Element, base: URL): PostRef | null {
  const url = instagramUrl(link.getAttribute('href'), base);
  return url ? postRefOfUrl(url) : null;
}

function handleOfLink(link: Element, base: URL): string | null {
  const url = instagramUrl(link.getAttribute('href'), base);
  return url ? profileHandleOfUrl(url, false) : null;
}

function isProfileLink(base: URL): (link: Element) => boolean {
  return (link) => handleOfLink(link, base) !== null;
}

// ---- which post a URL names ----

function focalPost(doc: Document, url: URL): Element | null {
  const ref = postRefOfUrl(url);
  if (!ref) return null;
  const items = listPosts(doc);
  if (ref.commentId) {
    const comment = items.find(
      (item) => item.matches(COMMENT) && commentLinkOf(item, url)?.ref.commentId === ref.commentId,
    );
    if (comment) return comment;
  }
  return items.find((item) => item.matches(ARTICLE) && articleLinkOf(item, url)?.ref.code === ref.code) ?? null;
}

function extractPost(item: Element, pageUrl: URL): PostInfo {
  if (item.matches(MESSAGE)) return extractMessage(item, pageUrl);
  if (item.matches(COMMENT)) return extractComment(item, pageUrl);
  return extractArticle(item, pageUrl);
}

/** The first link to a profile that is not the reposter's, a mention in `text`, or a name in the likes line. */
function authorOf(item: Element, text: Element | null, base: URL): AuthorInfo {
  const link = own(item, 'a[href]').find(
    (a) =>
      handleOfLink(a, base) !== null && !inRepostLabel(a, item) && !text?.contains(a) && !within(a, item, 'section'),
  );
  const handle = link ? handleOfLink(link, base) : null;
  // Posts and comments show the username only; the display name is not on the page.
  return { displayName: null, handle, profileUrl: handle ? profileUrlOf(handle) : null };
}

// ---- posts ----

interface TimeLink {
  ref: PostRef;
  time: Element | null;
}

/** The article's link to itself: the one around its `time`, else any own link naming a post and no comment. */
function articleLinkOf(article: Element, base: URL): TimeLink | null {
  const links = own(article, 'a[href]').flatMap((link) => {
    const ref = postRefOfLink(link, base);
    return ref && !ref.commentId ? [{ ref, time: link.querySelector('time') }] : [];
  });
  return links.find((link) => link.time) ?? links[0] ?? null;
}

function extractArticle(article: Element, pageUrl: URL): PostInfo {
  const link = articleLinkOf(article, pageUrl);
  const text = captionOf(article);
  const time = link?.time ?? own(article, 'time')[0] ?? null;
  return {
    platform: 'instagram',
    permalink: link ? postUrlOf(link.ref) : null,
    postId: link?.ref.code ?? null,
    author: authorOf(article, text, pageUrl),
    text: visibleTextOrNull(text),
    shownTime: shownTimeOf(time),
    mediaUrls: metaMediaUrls(own(article, 'img, video'), pageUrl, isProfileLink(pageUrl)),
    isReply: false,
    replyToUrl: null,
    // Instagram has no quote posts; a repost is the original post, read as such.
    quotedPostUrl: null,
  };
}

/**
 * The caption: the post page's `h1`; in the feed the first text a person
 * wrote after the actions row (Like, Comment, Share), which comes below the
 * photo and above the caption. Without an actions row, the first such text.
 */
function captionOf(article: Element): Element | null {
  const heading = own(article, 'h1')[0];
  if (heading) return heading;
  const like = own(article, 'svg[aria-label="Like"], svg[aria-label="Unlike"]')[0];
  const spans = own(article, 'span[dir="auto"]').filter(
    (span) => !inControl(span, article) && !inRepostLabel(span, article),
  );
  return (
    (like
      ? spans.find((span) => (like.compareDocumentPosition(span) & DOCUMENT_POSITION_FOLLOWING) !== 0)
      : spans[0]) ?? null
  );
}

// ---- comments ----

function commentLinkOf(comment: Element, base: URL): TimeLink | null {
  for (const link of own(comment, 'a[href*="/c/"]')) {
    const ref = postRefOfLink(link, base);
    if (ref?.commentId) return { ref, time: link.querySelector('time') };
  }
  return null;
}

function extractComment(comment: Element, pageUrl: URL): PostInfo {
  const link = commentLinkOf(comment, pageUrl);
  const ref = link?.ref ?? null;
  const text = own(comment, 'span[dir="auto"]').find((span) => !inControl(span, comment)) ?? null;
  return {
    platform: 'instagram',
    permalink: ref?.commentId ? commentUrlOf(ref, ref.commentId, ref.parentCommentId) : null,
    postId: ref?.commentId ?? null,
    author: authorOf(comment, text, pageUrl),
    text: visibleTextOrNull(text),
    shownTime: shownTimeOf(link?.time ?? own(comment, 'time')[0]),
    mediaUrls: metaMediaUrls(own(comment, 'img, video'), pageUrl, isProfileLink(pageUrl)),
    isReply: true,
    replyToUrl: ref ? replyToOf(comment, ref) : null,
    quotedPostUrl: null,
  };
}

/**
 * A reply's permalink names the comment it answers. A comment whose link
 * names no parent answers the post, unless it sits in a list of replies
 * (a `ul` inside another comment thread's `li`): then the page does not say
 * which comment, so none is given.
 */
function replyToOf(comment: Element, ref: PostRef): string | null {
  if (ref.parentCommentId) return commentUrlOf(ref, ref.parentCommentId, null);
  const inReplies = comment.parentElement?.closest('ul')?.parentElement?.closest('li') != null;
  return inReplies ? null : postUrlOf(ref);
}

// ---- direct messages ----

function extractMessage(row: Element, pageUrl: URL): PostInfo {
  const grid = row.closest(MESSAGE_GRID);
  const bubble = own(row, '[role="gridcell"]')[0] ?? row;
  const text = Array.from(bubble.querySelectorAll('div[dir="auto"]')).find((el) => !el.closest(SENDER_HEADING)) ?? null;
  const sender = senderOf(row, grid, text, pageUrl);
  return {
    platform: 'instagram',
    // Instagram gives a message no address of its own.
    permalink: null,
    postId: null,
    author: sender.author,
    text: visibleTextOrNull(text),
    shownTime: messageTimeOf(row),
    mediaUrls: metaMediaUrls(Array.from(bubble.querySelectorAll('img, video')), pageUrl, isProfileLink(pageUrl)),
    // "You replied to Gary" over a bubble quoting the message it answers, which has no address to give.
    isReply: sender.replied,
    replyToUrl: null,
    quotedPostUrl: null,
    conversation: conversationOf(grid, pageUrl),
  };
}

function opensRun(row: Element): boolean {
  return row.querySelector(SENDER_HEADING) !== null;
}

/**
 * The sender as the thread names them: the row's own label (every bubble of
 * the 2025 message table carries one), else the hidden heading that opens
 * the run of bubbles the row belongs to ("You sent" for your own), with the
 * handle from the avatar link Instagram draws beside the row or its run.
 */
function senderOf(
  row: Element,
  grid: Element | null,
  text: Element | null,
  base: URL,
): { author: AuthorInfo; replied: boolean } {
  const first = opensRun(row) ? row : previousSiblingWhere(row, opensRun);
  const label = senderLabelIn(row, SENDER_HEADING, text) ?? (first ? senderLabelIn(first, SENDER_HEADING, null) : null);
  if (!label) return { author: { displayName: null, handle: null, profileUrl: null }, replied: false };
  const you = { displayName: 'You', handle: null, profileUrl: null };
  if (label.you) return { author: you, replied: label.replied };
  const name = label.name;
  let handle = profileHandleIn(row, base);
  for (let el = first; el && handle === null; el = el.nextElementSibling) {
    if (el !== first && opensRun(el)) break;
    handle = profileHandleIn(el, base);
  }
  // A run without an avatar: the conversation header links the person of that name.
  handle ??= headerLinks(grid, base).find((link) => visibleText(link.element) === name)?.handle ?? null;
  return {
    author: { displayName: name, handle, profileUrl: handle ? profileUrlOf(handle) : null },
    replied: label.replied,
  };
}

function profileHandleIn(el: Element, base: URL): string | null {
  return (
    Array.from(el.querySelectorAll('a[href]'))
      .map((a) => handleOfLink(a, base))
      .find((h): h is string => h !== null) ?? null
  );
}

/**
 * Instagram prints times in the separators between runs of messages ("20
 * Nov 2026, 21:14", "Today 09:02"), and a message's own time only while it
 * is hovered: the two are combined when both are there. Without its own, a
 * message's time is its separator's, which is when its run began.
 */
function messageTimeOf(row: Element): ShownTime {
  const ownTime = shownTimeOf(own(row, 'time')[0]);
  const separator = previousSiblingWhere(
    row,
    (sibling) => !sibling.matches(MESSAGE) && SEPARATOR_TEXT.test(visibleText(sibling)),
  );
  return { raw: timeUnderDay(ownTime.raw, visibleTextOrNull(separator)), iso: ownTime.iso };
}

interface HeaderLink {
  element: Element;
  handle: string;
}

/** Profile links in the conversation's header: the pane around the grid, outside the grid itself. */
function headerLinks(grid: Element | null, base: URL): HeaderLink[] {
  for (let pane = grid?.parentElement ?? null; pane; pane = pane.parentElement) {
    const links = Array.from(pane.querySelectorAll('a[href]')).flatMap((element) => {
      const handle = grid?.contains(element) ? null : handleOfLink(element, base);
      return handle ? [{ element, handle }] : [];
    });
    if (links.length > 0 || pane.matches('[role="main"], main, body')) return links;
  }
  return [];
}

function conversationOf(grid: Element | null, pageUrl: URL): ConversationInfo {
  const threadId = threadIdOfUrl(pageUrl);
  const links = headerLinks(grid, pageUrl);
  const label = grid?.getAttribute('aria-label') ?? '';
  const named =
    links.map((link) => visibleTextOrNull(link.element)).find((text): text is string => text !== null) ?? null;
  return {
    title: CONVERSATION_LABEL.test(label) ? label.replace(CONVERSATION_LABEL, '').trim() || null : named,
    url: threadId ? `${ORIGIN}/direct/t/${threadId}/` : null,
    participants: [...new Set(links.map((link) => link.handle))],
  };
}

// ---- profiles ----

function extractProfile(doc: Document, url: URL): ProfileInfo | null {
  const urlHandle = profileHandleOfUrl(url);
  if (!urlHandle) return null;
  const header = doc.querySelector('main header') ?? doc.querySelector('header');
  const shownHandle = visibleTextOrNull(header?.querySelector('h2'));
  // The page's own spelling wins: usernames are case-insensitive, so the URL may differ in case.
  const handle =
    shownHandle && META_HANDLE.test(shownHandle) && sameHandle(shownHandle, urlHandle) ? shownHandle : urlHandle;
  return {
    platform: 'instagram',
    displayName: titledProfileName(doc, handle) ?? (header ? headerNameOf(header, handle) : null),
    handle,
    profileUrl: profileUrlOf(handle),
    bio: visibleTextOrNull(header?.querySelector('h1')) ?? (header ? headerBioOf(header) : null),
    followersShown: header ? countShownAs(header, 'followers?') : null,
    followingShown: header ? countShownAs(header, 'following') : null,
    postsShown: header ? countShownAs(header, 'posts?') : null,
    // Instagram shows when an account joined only in its "About this account" dialog.
    joinedShown: null,
    accountId: accountIdOf(doc),
    verified: header ? header.querySelector('svg[aria-label="Verified"]') !== null : null,
    state: metaProfileState(doc, noticeText(doc, ITEM), header !== null),
  };
}

/**
 * The 2026 header has no `h1`: its text blocks (`span[dir="auto"]`) are, in
 * order, the name, pronouns, the counts and, after the "following" link,
 * the bio (inside the button that expands it). Blocks inside links, the
 * handle's `h2` or another block are not one of them.
 */
function headerBlocks(header: Element): Element[] {
  return Array.from(header.querySelectorAll('span[dir="auto"]')).filter(
    (span) => !span.closest('a[href], h2') && !span.parentElement?.closest('span[dir="auto"]'),
  );
}

function followingLinkOf(header: Element): Element | null {
  return header.querySelector('a[href$="/following/"], a[href$="/following"]');
}

/** The first block before the counts that is not the handle and not a count: the name the account gave. */
function headerNameOf(header: Element, handle: string): string | null {
  const counts = followingLinkOf(header);
  const name = headerBlocks(header).find((span) => {
    const text = visibleText(span);
    const before = !counts || (span.compareDocumentPosition(counts) & DOCUMENT_POSITION_FOLLOWING) !== 0;
    return before && text !== '' && !sameHandle(text, handle) && !/^\d[\d.,]*\s?[KMB]?\s+\S+$/i.test(text);
  });
  return visibleTextOrNull(name);
}

/** The first block after the "following" count. */
function headerBioOf(header: Element): string | null {
  const counts = followingLinkOf(header);
  if (!counts) return null;
  const bio = headerBlocks(header).find(
    (span) => (counts.compareDocumentPosition(span) & DOCUMENT_POSITION_FOLLOWING) !== 0,
  );
  return visibleTextOrNull(bio);
}

/** The numeric account id from the page data Instagram embeds ("page_id":"profilePage_<id>"). */
function accountIdOf(doc: Document): string | null {
  for (const script of Array.from(doc.querySelectorAll('script'))) {
    const id = /"page_id"\s*:\s*"profilePage_(\d{1,25})"/.exec(script.textContent ?? '')?.[1];
    if (id) return id;
  }
  return null;
}

function sameHandle(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
