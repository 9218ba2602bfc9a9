import { absoluteUrl, noticeText, ownElements, pathSegments, shownTimeOf, visibleText, visibleTextOrNull } from './dom';
import { defineAdapter, matchesHosts, postsIn } from './define';
import { THREADS_HOST_PATTERNS } from './hosts';
import {
  countShownAs,
  inControl,
  inRepostLabel,
  META_HANDLE,
  metaMediaUrls,
  metaProfileState,
  titledProfileName,
  within,
} from './meta-shared';
import type { AuthorInfo, PageKind, PostInfo, ProfileInfo, SiteAdapter } from './types';

/**
 * Threads (www.threads.com, formerly www.threads.net). Its class names are
 * hashed, so the hooks are attributes, elements and URLs:
 * - posts: `div[data-pressable-container="true"]`, in feeds, on profiles
 *   and on a post page (`/@<handle>/post/<code>`); the permalink and time
 *   are the link to `/@<handle>/post/<code>` around `time[datetime]`, the
 *   author the first `/@<handle>` link, the text the first
 *   `span[dir="auto"]` outside links and buttons;
 * - a quoted post is a pressable container inside the quoting one; a
 *   repost carries a "<handle> reposted" line above the original author;
 * - profiles (`/@<handle>`): the name in `h1`, the page title
 *   "Name (@handle) • Threads, Say more", "1,024 followers", the badge
 *   `svg[aria-label="Verified"]`.
 * Threads shows usernames only on posts, so a post's display name is null.
 * Permalinks are written on www.threads.com, so captures from either host
 * compare equal.
 */

const ORIGIN = 'https://www.threads.com';
// Exactly the hosts in THREADS_HOST_PATTERNS: elsewhere the content script is not there to read the page.
const HOSTS = new Set(['www.threads.com', 'www.threads.net']);
const LINK_HOSTS = new Set(['www.threads.com', 'threads.com', 'www.threads.net', 'threads.net']);

const POST = 'div[data-pressable-container="true"]';
const CODE = /^[A-Za-z0-9_-]{5,64}$/;
/** What may follow a post's address and still name that post (its media viewer). */
const POST_TABS = new Set(['media']);
/** Profile tabs that still show the profile header. */
const PROFILE_TABS = new Set(['replies', 'media', 'reposts']);
const TIMELINE_PATHS = new Set(['search', 'activity', 'saved', 'liked', 'following']);

export const threadsAdapter: SiteAdapter = defineAdapter({
  platform: 'threads',
  version: 1,
  hostPatterns: THREADS_HOST_PATTERNS,
  matchesUrl: matchesHosts(HOSTS),
  postSelector: POST,
  kindOfUrl,
  focalPost,
  extractPost,
  extractProfile,
});

function listPosts(doc: Document): Element[] {
  return postsIn(doc, POST);
}

function own(post: Element, selector: string): Element[] {
  return ownElements(post, selector, POST);
}

// ---- URLs ----

interface PostRef {
  handle: string;
  code: string;
}

/** `@handle` as a path segment: the handle without its "@", when it is one. */
function handleOfSegment(segment: string | undefined): string | null {
  const handle = segment?.startsWith('@') ? segment.slice(1) : null;
  return handle && META_HANDLE.test(handle) ? handle : null;
}

/** `/@<handle>/post/<code>`, optionally followed by `/media`. */
function postRefOfUrl(url: URL): PostRef | null {
  const [first, post, code, tab, ...rest] = pathSegments(url);
  const handle = handleOfSegment(first);
  if (!handle || post !== 'post' || !code || !CODE.test(code) || rest.length > 0) return null;
  return tab === undefined || POST_TABS.has(tab) ? { handle, code } : null;
}

function profileHandleOfUrl(url: URL, allowTabs = true): string | null {
  const [first, tab, ...rest] = pathSegments(url);
  const handle = handleOfSegment(first);
  if (!handle || rest.length > 0) return null;
  return tab === undefined || (allowTabs && PROFILE_TABS.has(tab)) ? handle : null;
}

function threadsUrl(link: Element, base: URL): URL | null {
  const absolute = absoluteUrl(link.getAttribute('href'), base);
  if (!absolute) return null;
  const url = new URL(absolute);
  return LINK_HOSTS.has(url.hostname.toLowerCase()) ? url : null;
}

function postRefOfLink(link: Element, base: URL): PostRef | null {
  const url = threadsUrl(link, base);
  return url ? postRefOfUrl(url) : null;
}

function handleOfLink(link: Element, base: URL): string | null {
  const url = threadsUrl(link, base);
  return url ? profileHandleOfUrl(url, false) : null;
}

function permalinkOf(ref: PostRef): string {
  return `${ORIGIN}/@${ref.handle}/post/${ref.code}`;
}

function profileUrlOf(handle: string): string {
  return `${ORIGIN}/@${handle}`;
}

function kindOfUrl(url: URL): PageKind {
  if (postRefOfUrl(url)) return 'post';
  if (profileHandleOfUrl(url)) return 'profile';
  const [first] = pathSegments(url);
  if (first === undefined || TIMELINE_PATHS.has(first)) return 'timeline';
  return 'unknown';
}

// ---- posts ----

interface TimeLink {
  ref: PostRef;
  time: Element | null;
}

/** The post's link to itself: the one around its `time`, else any own link naming a post. */
function timeLinkOf(post: Element, base: URL): TimeLink | null {
  const links = own(post, 'a[href]').flatMap((link) => {
    const ref = postRefOfLink(link, base);
    return ref ? [{ ref, time: link.querySelector('time') }] : [];
  });
  return links.find((link) => link.time) ?? links[0] ?? null;
}

function focalPost(doc: Document, url: URL): Element | null {
  const ref = postRefOfUrl(url);
  if (!ref) return null;
  return listPosts(doc).find((post) => timeLinkOf(post, url)?.ref.code === ref.code) ?? null;
}

function extractPost(post: Element, pageUrl: URL): PostInfo {
  const link = timeLinkOf(post, pageUrl);
  const place = threadPlace(post, pageUrl);
  const parentRef = place.parent ? timeLinkOf(place.parent, pageUrl)?.ref : null;
  return {
    platform: 'threads',
    permalink: link ? permalinkOf(link.ref) : null,
    postId: link?.ref.code ?? null,
    author: authorOf(post, link, pageUrl),
    text: textOf(post),
    shownTime: shownTimeOf(link?.time ?? own(post, 'time')[0]),
    mediaUrls: metaMediaUrls(own(post, 'img, video'), pageUrl, (a) => handleOfLink(a, pageUrl) !== null),
    isReply: place.isReply,
    replyToUrl: parentRef ? permalinkOf(parentRef) : null,
    quotedPostUrl: quotedPostUrlOf(post, pageUrl),
  };
}

/**
 * A post's words: its `span[dir="auto"]` blocks that are not a control, a
 * repost label or the span Threads (2025) wraps around the permalink and
 * its `time`, one line each — Threads draws each paragraph in its own span.
 */
function textOf(post: Element): string | null {
  const lines = own(post, 'span[dir="auto"]')
    .filter((span) => !span.parentElement || !within(span.parentElement, post, 'span[dir="auto"]'))
    .filter((span) => !inControl(span, post) && !inRepostLabel(span, post) && !wrapsControlOnly(span))
    .map((span) => visibleText(withoutSourceIndentation(span)))
    .filter(Boolean);
  return lines.length > 0 ? lines.join('\n') : null;
}

/** A span whose only content is a link, a time or a button (the 2025 markup's time link), so no words of its own. */
function wrapsControlOnly(span: Element): boolean {
  if (span.querySelector('time')) return true;
  const children = Array.from(span.children);
  return (
    children.length > 0 &&
    children.every((child) => child.matches('a, button, [role="button"]')) &&
    Array.from(span.childNodes).every((node) => node.nodeType !== 3 || !node.nodeValue?.trim())
  );
}

/**
 * A copy of `el` without the line breaks a saved page's pretty-printer wrote
 * inside its text (a line break followed by indentation): Threads draws
 * paragraphs as separate spans, so such a break is never one a reader saw.
 */
function withoutSourceIndentation(el: Element): Element {
  const copy = el.cloneNode(true) as Element;
  const walker = copy.ownerDocument.createTreeWalker(copy, 4);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeValue) node.nodeValue = node.nodeValue.replace(/\n[ \t]{2,}/g, ' ');
  }
  return copy;
}

/** The first profile link that is not the reposter's; without one, the handle the permalink names. */
function authorOf(post: Element, link: TimeLink | null, base: URL): AuthorInfo {
  const handle =
    own(post, 'a[href]')
      .filter((a) => !inRepostLabel(a, post))
      .map((a) => handleOfLink(a, base))
      .find((h): h is string => h !== null) ??
    link?.ref.handle ??
    null;
  return { displayName: null, handle, profileUrl: handle ? profileUrlOf(handle) : null };
}

function quotedPostUrlOf(post: Element, base: URL): string | null {
  const quoted = Array.from(post.querySelectorAll(POST)).find((inner) => inner.parentElement?.closest(POST) === post);
  const ref = quoted ? timeLinkOf(quoted, base)?.ref : null;
  return ref ? permalinkOf(ref) : null;
}

// ---- replies on a post page ----

/**
 * Who answers whom, from a post page's layout: the posts above the one the
 * URL names are its ancestors, each answering the one above it. Below it,
 * each reply chain sits in its own block: the first post of a block
 * answers the page's post, the next ones the post above them in the block.
 * Quoted posts and other pages give nothing.
 */
function threadPlace(post: Element, pageUrl: URL): { isReply: boolean; parent: Element | null } {
  const none = { isReply: false, parent: null };
  if (post.parentElement?.closest(POST)) return none;
  const focal = focalPost(post.ownerDocument, pageUrl);
  if (!focal) return none;
  const posts = listPosts(post.ownerDocument).filter((el) => !el.parentElement?.closest(POST));
  const index = posts.indexOf(post);
  const above = posts[index - 1] ?? null;
  if (index <= posts.indexOf(focal)) return above ? { isReply: true, parent: above } : none;
  const block = blockOf(post, focal);
  return { isReply: true, parent: above && block.contains(above) ? above : focal };
}

/** The largest element holding `post` but not `focal`: the reply chain `post` belongs to. */
function blockOf(post: Element, focal: Element): Element {
  let block = post;
  while (block.parentElement && !block.parentElement.contains(focal)) block = block.parentElement;
  return block;
}

// ---- profiles ----

function extractProfile(doc: Document, url: URL): ProfileInfo | null {
  const handle = profileHandleOfUrl(url);
  if (!handle) return null;
  const name = doc.querySelector('h1');
  const header = name ? headerOf(name) : null;
  return {
    platform: 'threads',
    displayName: titledProfileName(doc, handle) ?? visibleTextOrNull(name),
    handle,
    profileUrl: profileUrlOf(handle),
    bio: header ? bioOf(header, handle) : null,
    followersShown: header ? countShownAs(header, 'followers?') : null,
    // Threads profiles show no following or post counts.
    followingShown: null,
    postsShown: null,
    joinedShown: null,
    // The page carries no account id outside the app's own scripts.
    accountId: null,
    verified: header ? header.querySelector('svg[aria-label="Verified"]') !== null : null,
    state: metaProfileState(doc, noticeText(doc, POST), header !== null),
  };
}

/** The profile header: the largest block around the name that holds no post. */
function headerOf(name: Element): Element {
  let header = name;
  while (
    header.parentElement &&
    !header.parentElement.matches('main, [role="main"], body') &&
    !header.parentElement.querySelector(POST)
  ) {
    header = header.parentElement;
  }
  return header;
}

/** The first text in the header that is not the name, the handle or a control (the follower count is a button). */
function bioOf(header: Element, handle: string): string | null {
  const bio = Array.from(header.querySelectorAll('span[dir="auto"]')).find(
    (span) =>
      !within(span, header, 'h1') &&
      !inControl(span, header) &&
      visibleText(span).toLowerCase() !== handle.toLowerCase(),
  );
  return visibleTextOrNull(bio);
}
