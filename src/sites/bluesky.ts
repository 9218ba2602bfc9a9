import { absoluteUrl, leadingCount, pathSegments, visibleText, visibleTextOrNull, withoutBidiMarks } from './dom';
import { defineAdapter, matchesHosts, postsIn } from './define';
import { BLUESKY_HOST_PATTERNS } from './hosts';
import type { AuthorInfo, PageKind, PostInfo, ProfileInfo, ShownTime, SiteAdapter } from './types';

/**
 * Bluesky (bsky.app). Hooks are the app's test ids (`feedItem-by-<handle>`,
 * `postThreadItem-by-<handle>`, `postText`, `profileHeaderDisplayName`...),
 * the time link's `data-tooltip`, and URL shapes (`/profile/<handle or
 * DID>/post/<rkey>`), checked against a saved bsky.app profile from 2026.
 *
 * Bluesky draws no `<time>` element: a post's time is a link whose text is
 * relative ("20h") and whose tooltip and label give the local date and time
 * ("January 26, 2026 at 7:50 PM"). The tooltip is taken as the shown time,
 * being the more precise of the two; neither has a zone, so `iso` stays null
 * until `resolveShownTime` reads it in the browser's time zone.
 */

const ORIGIN = 'https://bsky.app';
const HOSTS = new Set(['bsky.app']);

const FEED_ITEM = '[data-testid^="feedItem-by-"]';
const THREAD_ITEM = '[data-testid^="postThreadItem-by-"]';
const POST = `${FEED_ITEM}, ${THREAD_ITEM}`;
const POST_TEXT = '[data-testid="postText"]';
/** The text block of a post in the 2026 thread view, which dropped the `postText` test id. */
const WORD_WRAPPED = 'div[data-word-wrap="1"]';
const POST_LINK = 'a[href*="/post/"]';

/** A handle (a domain name) or a DID; both name an account in `/profile/<actor>`. */
const ACTOR =
  /^(?:did:[a-z]+:[A-Za-z0-9._:%-]+|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)$/;
const RKEY = /^[A-Za-z0-9._:~-]{1,512}$/;
/**
 * The focal post of a thread shows its full local time as text, not as a
 * link: "January 26, 2026 at 7:50 PM" (2025), "1:03 PM · Jan 26, 2026" (2026).
 */
const LONG_TIME =
  /^(?:[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2}\s?[AP]M|\d{1,2}:\d{2}\s?[AP]M · [A-Z][a-z]+ \d{1,2}, \d{4})$/;
const TIMELINE_PATHS = new Set(['search', 'notifications', 'hashtag', 'feeds']);

export const blueskyAdapter: SiteAdapter = defineAdapter({
  platform: 'bluesky',
  version: 1,
  everyPostLinked: true,
  hostPatterns: BLUESKY_HOST_PATTERNS,
  matchesUrl: matchesHosts(HOSTS),
  postSelector: POST,
  kindOfUrl,
  focalPost: focalPost,
  extractPost,
  extractProfile,
});

function listPosts(doc: Document): Element[] {
  return postsIn(doc, POST);
}

// ---- URLs ----

interface PostRef {
  actor: string;
  rkey: string;
}

function isActor(segment: string | undefined): segment is string {
  return segment !== undefined && ACTOR.test(segment);
}

function postRefOfPath(url: URL): PostRef | null {
  const [profile, actor, post, rkey, ...rest] = pathSegments(url);
  if (profile !== 'profile' || post !== 'post' || !isActor(actor) || !rkey || !RKEY.test(rkey) || rest.length > 0) {
    return null;
  }
  return { actor: decodeURIComponent(actor), rkey };
}

function profileActorOfUrl(url: URL): string | null {
  const [profile, actor, ...rest] = pathSegments(url);
  return profile === 'profile' && isActor(actor) && rest.length === 0 ? actor : null;
}

function kindOfUrl(url: URL): PageKind {
  if (postRefOfPath(url)) return 'post';
  if (profileActorOfUrl(url)) return 'profile';
  const [first, , third] = pathSegments(url);
  if (first === undefined) return 'timeline';
  if (TIMELINE_PATHS.has(first)) return 'timeline';
  // A custom feed or a list: /profile/<actor>/feed/<name>, /profile/<actor>/lists/<id>.
  if (first === 'profile' && (third === 'feed' || third === 'lists')) return 'timeline';
  return 'unknown';
}

function postRefOfLink(link: Element, base: URL): PostRef | null {
  const href = absoluteUrl(link.getAttribute('href'), base);
  if (!href) return null;
  const url = new URL(href);
  return HOSTS.has(url.hostname.toLowerCase()) ? postRefOfPath(url) : null;
}

function permalinkOf(ref: PostRef): string {
  return `${ORIGIN}/profile/${ref.actor}/post/${ref.rkey}`;
}

function profileUrlOf(actor: string): string {
  return `${ORIGIN}/profile/${actor}`;
}

// ---- posts ----

/**
 * A post's own elements, apart from a quoted post. Bluesky draws a quoted
 * post as a nested `role="link"` block (not an anchor) with its own author
 * links, time link and text.
 */
interface PostParts {
  quote: Element | null;
  own(selector: string): Element[];
}

function partsOf(post: Element): PostParts {
  const quotes = Array.from(post.querySelectorAll('[role="link"]')).filter(
    (el) => el.tagName.toUpperCase() !== 'A' && el.querySelector('a[href^="/profile/"], a[href*="bsky.app/profile/"]'),
  );
  const isOwn = (element: Element) => !quotes.some((quote) => quote.contains(element));
  return {
    quote: quotes[0] ?? null,
    own: (selector) => Array.from(post.querySelectorAll(selector)).filter(isOwn),
  };
}

/** The link to the post itself: the time link in the post's header. */
function ownPostLink(parts: PostParts, base: URL): { link: Element; ref: PostRef } | null {
  for (const link of parts.own(POST_LINK)) {
    const ref = postRefOfLink(link, base);
    if (ref) return { link, ref };
  }
  return null;
}

function focalPost(doc: Document, url: URL): Element | null {
  const target = postRefOfPath(url);
  if (!target) return null;
  const items = Array.from(doc.querySelectorAll(THREAD_ITEM));
  const byLink = items.find((item) => ownPostLink(partsOf(item), url)?.ref.rkey === target.rkey);
  // The focal post has no time link of its own; it is the thread item that shows its time in full.
  return byLink ?? items.find((item) => !ownPostLink(partsOf(item), url) && longTimeOf(partsOf(item))) ?? null;
}

function isFocal(post: Element, pageUrl: URL): boolean {
  return post.matches(THREAD_ITEM) && focalPost(post.ownerDocument, pageUrl) === post;
}

function longTimeOf(parts: PostParts): Element | null {
  return (
    parts
      .own('div, span')
      .find((el) => el.children.length === 0 && LONG_TIME.test(withoutBidiMarks(visibleText(el)))) ?? null
  );
}

function extractPost(post: Element, pageUrl: URL): PostInfo {
  const parts = partsOf(post);
  const own = ownPostLink(parts, pageUrl);
  const focal = !own && isFocal(post, pageUrl);
  const ref = own?.ref ?? (focal ? postRefOfPath(pageUrl) : null);
  const author = authorOf(post, parts, ref?.actor ?? null);
  const conversation = conversationPlace(post, pageUrl);
  const parentRef = conversation.parent ? refOfPost(conversation.parent, pageUrl) : null;
  return {
    platform: 'bluesky',
    permalink: ref ? permalinkOf(ref) : null,
    postId: ref?.rkey ?? null,
    author,
    text: textOf(parts),
    shownTime: shownTimeOf(own?.link ?? null, parts),
    mediaUrls: mediaUrlsOf(parts, pageUrl),
    isReply: showsReplyTo(parts) || conversation.isReply,
    replyToUrl: parentRef ? permalinkOf(parentRef) : null,
    quotedPostUrl: quotedPostUrlOf(parts, pageUrl),
  };
}

/** The `postText` block; without it (the 2026 thread view), the word-wrapped block outside any link card. */
function textOf(parts: PostParts): string | null {
  const byTestId = parts.own(POST_TEXT)[0];
  if (byTestId) return visibleTextOrNull(byTestId);
  return visibleTextOrNull(parts.own(WORD_WRAPPED).find((el) => !el.closest('a')));
}

function refOfPost(post: Element, pageUrl: URL): PostRef | null {
  const own = ownPostLink(partsOf(post), pageUrl);
  if (own) return own.ref;
  return isFocal(post, pageUrl) ? postRefOfPath(pageUrl) : null;
}

function shownTimeOf(link: Element | null, parts: PostParts): ShownTime {
  if (link) {
    const full = link.getAttribute('data-tooltip') ?? link.getAttribute('aria-label');
    const shown = withoutBidiMarks(visibleText(link)).replace(/^·\s*/, '');
    return { raw: full?.trim() || shown || null, iso: null };
  }
  const long = longTimeOf(parts);
  return { raw: long ? withoutBidiMarks(visibleText(long)) : null, iso: null };
}

/**
 * Author from the post's own profile links: the one reading "@handle" and the
 * one with the display name. A repost's "Reposted by" link names the
 * reposter, so the handle the time link (or the item's test id) names wins.
 */
function authorOf(post: Element, parts: PostParts, actorFromLink: string | null): AuthorInfo {
  const testIdHandle =
    /^(?:feedItem|postThreadItem)-by-(.+)$/.exec(post.getAttribute('data-testid') ?? '')?.[1] ?? null;
  const links = parts.own('a[href^="/profile/"], a[href^="https://bsky.app/profile/"]').filter((link) => {
    const url = absoluteUrl(link.getAttribute('href'), ORIGIN);
    return url !== null && profileActorOfUrl(new URL(url)) !== null;
  });
  const actorOfLink = (link: Element) =>
    profileActorOfUrl(new URL(absoluteUrl(link.getAttribute('href'), ORIGIN) ?? ORIGIN));
  let handle: string | null = null;
  for (const link of links) {
    const text = withoutBidiMarks(visibleText(link));
    const match = /^@(\S+)$/.exec(text);
    if (match?.[1] && (!testIdHandle || sameActor(match[1], testIdHandle))) {
      handle = match[1];
      break;
    }
  }
  handle ??= testIdHandle ?? (actorFromLink && !actorFromLink.startsWith('did:') ? actorFromLink : null);
  const linkActor = handle ?? actorFromLink;
  const nameLink = links.find((link) => {
    const text = withoutBidiMarks(visibleText(link));
    const actor = actorOfLink(link);
    return text !== '' && !text.startsWith('@') && (!linkActor || (actor !== null && sameActor(actor, linkActor)));
  });
  const profileActor = handle ?? actorFromLink;
  return {
    displayName: nameLink ? nameOfLink(nameLink, handle) : null,
    handle,
    profileUrl: profileActor ? profileUrlOf(profileActor) : null,
  };
}

/** A name link's text; the 2026 focal post draws the "@handle" line inside the same link, which is not part of the name. */
function nameOfLink(link: Element, handle: string | null): string | null {
  const text = withoutBidiMarks(visibleText(link));
  const suffix = handle ? `@${handle}` : null;
  const name = suffix && text.toLowerCase().endsWith(suffix.toLowerCase()) ? text.slice(0, -suffix.length) : text;
  return withoutBidiMarks(name) || null;
}

function sameActor(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Photos and video posters from Bluesky's CDN; avatars live under /img/avatar* and never match. */
function mediaUrlsOf(parts: PostParts, base: URL): string[] {
  const raw = parts.own('img, video').flatMap((el) => {
    if (el.tagName.toUpperCase() === 'VIDEO') return [el.getAttribute('poster')];
    const src = el.getAttribute('src') ?? '';
    return /\/img\/feed_(?:thumbnail|fullsize)\//.test(src) ? [src] : [];
  });
  const urls = raw.map((src) => absoluteUrl(src, base)).filter((url): url is string => url !== null);
  return [...new Set(urls)];
}

function quotedPostUrlOf(parts: PostParts, base: URL): string | null {
  if (!parts.quote) return null;
  for (const link of Array.from(parts.quote.querySelectorAll(POST_LINK))) {
    const ref = postRefOfLink(link, base);
    if (ref) return permalinkOf(ref);
  }
  return null;
}

/**
 * The "Reply to <name>" (2025) or "Replied to <name>" (2026) line a feed
 * draws over a reply (English UI): an element whose own first words say so,
 * the name being a link inside it, outside the post's text.
 */
function showsReplyTo(parts: PostParts): boolean {
  return parts
    .own('div, span')
    .some(
      (el) =>
        !el.closest(`${POST_TEXT}, ${WORD_WRAPPED}`) && /^Repl(?:y|ied) to\b/.test(withoutBidiMarks(ownTextOf(el))),
    );
}

/** The text directly inside `el`, not in its child elements. */
function ownTextOf(el: Element): string {
  return Array.from(el.childNodes)
    .filter((node) => node.nodeType === 3)
    .map((node) => node.nodeValue ?? '')
    .join('');
}

/**
 * A thread page lists the focal post's ancestors above it, each answering the
 * one above, and replies below it. The first reply answers the focal post;
 * later ones answer someone in the thread, not necessarily the item above.
 */
function conversationPlace(post: Element, pageUrl: URL): { isReply: boolean; parent: Element | null } {
  const none = { isReply: false, parent: null };
  if (!post.matches(THREAD_ITEM)) return none;
  const focal = focalPost(post.ownerDocument, pageUrl);
  if (!focal) return none;
  const items = Array.from(post.ownerDocument.querySelectorAll(THREAD_ITEM));
  const index = items.indexOf(post);
  const focalIndex = items.indexOf(focal);
  const above = items[index - 1] ?? null;
  if (index <= focalIndex) return above ? { isReply: true, parent: above } : none;
  const line = parentLineOf(post);
  if (line === 'line' && above) return { isReply: true, parent: above };
  if (line === 'none') return { isReply: true, parent: focal };
  return { isReply: true, parent: above === focal ? focal : null };
}

/**
 * The 2026 thread view draws, above each reply's avatar, an empty strip that
 * holds a line when the reply continues the one above it (a reply chain)
 * and nothing when it answers the focal post directly: `line`, `none`, or
 * `unknown` when the item has no such strip (older markup).
 */
function parentLineOf(post: Element): 'line' | 'none' | 'unknown' {
  const strip = post.firstElementChild;
  const rest = strip?.nextElementSibling;
  if (!strip || !rest || strip.textContent?.trim() || strip.querySelector('a, img, svg, video')) return 'unknown';
  if (!rest.querySelector('[data-testid="userAvatarImage"], a[aria-label]')) return 'unknown';
  const spacer = strip.firstElementChild;
  if (!spacer) return 'unknown';
  return spacer.firstElementChild ? 'line' : 'none';
}

// ---- profiles ----

function extractProfile(doc: Document, url: URL): ProfileInfo | null {
  const urlActor = profileActorOfUrl(url);
  if (!urlActor) return null;
  const header = doc.querySelector('[data-testid="profileView"]') ?? doc.querySelector('[data-testid="profileScreen"]');
  const nameEl = doc.querySelector('[data-testid="profileHeaderDisplayName"]');
  const shownHandle = header ? handleShownIn(header) : null;
  const handle = shownHandle ?? (urlActor.startsWith('did:') ? null : urlActor);
  const followers = doc.querySelector('[data-testid="profileHeaderFollowersButton"]');
  const follows = doc.querySelector('[data-testid="profileHeaderFollowsButton"]');
  return {
    platform: 'bluesky',
    displayName: nameEl ? withoutBidiMarks(visibleText(nameEl)) || null : null,
    handle,
    profileUrl: profileUrlOf(handle ?? urlActor),
    bio: visibleTextOrNull(doc.querySelector('[data-testid="profileHeaderDescription"]')),
    followersShown: leadingCount(visibleTextOrNull(followers?.querySelector('span') ?? followers)),
    followingShown: leadingCount(visibleTextOrNull(follows?.querySelector('span') ?? follows)),
    postsShown: postsCountNear(follows ?? followers),
    joinedShown: null,
    accountId: urlActor.startsWith('did:') ? urlActor : null,
    verified: nameEl ? nameEl.querySelector('[aria-label*="verification" i]') !== null : null,
    state: profileStateOf(doc, nameEl),
  };
}

/** The "@handle" line under the display name, outside any post. */
function handleShownIn(header: Element): string | null {
  for (const el of Array.from(header.querySelectorAll('div, span'))) {
    if (el.closest(POST) || el.children.length > 0) continue;
    const match = /^@(\S+)$/.exec(withoutBidiMarks(visibleText(el)));
    if (match?.[1] && isActor(match[1])) return match[1];
  }
  return null;
}

/** "329 posts" sits beside the follower and following links. */
function postsCountNear(link: Element | null): string | null {
  const row = link?.parentElement;
  if (!row) return null;
  for (const child of Array.from(row.children)) {
    const text = visibleText(child);
    if (/^\S+\s+posts?$/i.test(text)) return leadingCount(text);
  }
  return null;
}

function profileStateOf(doc: Document, nameEl: Element | null): ProfileInfo['state'] {
  const screen = (doc.querySelector('[data-testid="profileScreen"]') ?? doc.body ?? doc.documentElement).cloneNode(
    true,
  ) as Element;
  // What posts say is not a notice about the account.
  for (const post of Array.from(screen.querySelectorAll(POST))) post.remove();
  const notice = visibleText(screen)
    .replace(/\u2019/g, "'")
    .toLowerCase();
  if (/account has been (?:suspended|taken down)|account is suspended/.test(notice)) return 'suspended';
  if (/profile not found|unable to resolve handle|account has been deactivated|account is deactivated/.test(notice)) {
    return 'not-found';
  }
  if (notice.includes('only be shown to signed-in users') || notice.includes('sign in to view')) return 'login-wall';
  return nameEl ? 'public' : 'unknown';
}
