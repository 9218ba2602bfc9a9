import {
  absoluteUrl,
  field,
  leadingCount,
  parseJson,
  pathSegments,
  shownTimeOf,
  uniqueUrls,
  visibleText,
  visibleTextOrNull,
} from './dom';
import { defineAdapter, matchesHosts, postsIn } from './define';
import { readFirst, sourcesOf, type FieldSources, type ReadPost } from './read';
import { X_HOST_PATTERNS } from './hosts';
import { conversationIdOfUrl, DM_MESSAGE, extractMessage } from './x-messages';
import type { AuthorInfo, PageKind, PostInfo, ProfileInfo, SiteAdapter } from './types';

/**
 * X (Twitter). Markup hooks are X's own test ids (`tweet`, `User-Name`,
 * `tweetText`, `UserName`...), `time[datetime]` and URL shapes, checked
 * against saved pages of x.com from 2025 and 2026. Direct messages
 * (`/messages/<conversation id>`) are read by `x-messages.ts`.
 */

/** Permalinks are rewritten to this origin so twitter.com and x.com captures of one post compare equal. */
const ORIGIN = 'https://x.com';
const X_HOSTS = new Set(['x.com', 'www.x.com', 'mobile.x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com']);

/**
 * A post, and a long-form Article's read view when X draws it outside one
 * (https://help.x.com/en/using-x/articles): the Article's author and time
 * sit in the post around the read view when there is one.
 */
const POST = 'article[data-testid="tweet"], [data-testid="twitterArticleReadView"]:not(article[data-testid="tweet"] *)';
const POST_AUTHOR = '[data-testid="User-Name"]';
const POST_TEXT = '[data-testid="tweetText"]';
/** An Article's title and its body, Draft.js blocks (`[data-block]`, headings and paragraphs). */
const ARTICLE_TITLE = '[data-testid="twitter-article-title"]';
const ARTICLE_BODY = '[data-testid="twitterArticleRichTextView"], [data-testid="longformRichTextComponent"]';
const PROFILE_NAME = '[data-testid="UserName"]';
const TIMELINE_CELL = '[data-testid="cellInnerDiv"]';
const STATUS_LINK = 'a[href*="/status/"]';

// X caps new handles at 15 characters; the slack keeps older or future ones from reading as "not a profile".
const HANDLE = /^[A-Za-z0-9_]{1,50}$/;
const SHOWN_HANDLE = /^@([A-Za-z0-9_]{1,50})$/;
const DIGITS = /^\d+$/;

/** First path segments that are X's own pages, never a user's handle. */
const RESERVED_PATHS = new Set([
  'home',
  'explore',
  'notifications',
  'messages',
  'search',
  'settings',
  'i',
  'compose',
  'login',
  'logout',
  'signup',
  'tos',
  'privacy',
  'hashtag',
  'intent',
  'share',
  'account',
  'jobs',
  'lists',
  'bookmarks',
  'communities',
  'premium',
  'download',
  'about',
  'help',
  'rules',
  'display',
  'keyboard_shortcuts',
  'who_to_follow',
  'connect_people',
  'search-advanced',
  'verified-choose',
]);
/** Pages that are lists of posts (`/notifications` because mentions are where abuse is usually read). */
const TIMELINE_PATHS = new Set(['home', 'explore', 'search', 'hashtag', 'notifications']);
/** `/i/<name>/...` pages that are lists of posts. */
const I_TIMELINE_PATHS = new Set(['lists', 'bookmarks', 'communities', 'topics', 'timeline', 'trending']);
/** Profile tabs that still show the profile header. */
const PROFILE_TABS = new Set(['with_replies', 'media', 'likes', 'highlights', 'articles']);

// Numeric constants, because the globals `Node` and `NodeFilter` do not exist in the CLI's Node.js realm.
const SHOW_TEXT = 4;
const DOCUMENT_POSITION_FOLLOWING = 4;

export const xAdapter: SiteAdapter = defineAdapter({
  platform: 'x',
  version: 1,
  everyPostLinked: true,
  hostPatterns: X_HOST_PATTERNS,
  matchesUrl: matchesHosts(X_HOSTS),
  postSelector: `${POST}, ${DM_MESSAGE}`,
  kindOfUrl,
  focalPost: focalPost,
  readPost: (item, pageUrl) => (item.matches(DM_MESSAGE) ? readMessage(item, pageUrl) : readPost(item, pageUrl)),
  extractProfile,
});

function listPosts(doc: Document): Element[] {
  return postsIn(doc, POST);
}

// ---- URLs ----

function isHandle(segment: string | undefined): segment is string {
  return segment !== undefined && HANDLE.test(segment) && !RESERVED_PATHS.has(segment.toLowerCase());
}

/** The status id a URL names: `/<handle>/status/<id>[/photo/1...]`, `/i/status/<id>` or `/i/web/status/<id>`. */
function statusIdOfUrl(url: URL): string | null {
  const [first, second, third, fourth] = pathSegments(url);
  if (second === 'status' && third && DIGITS.test(third) && (isHandle(first) || first === 'i')) return third;
  if (first === 'i' && second === 'web' && third === 'status' && fourth && DIGITS.test(fourth)) return fourth;
  return null;
}

function profileHandleOfUrl(url: URL): string | null {
  const [handle, tab, ...rest] = pathSegments(url);
  if (!isHandle(handle) || rest.length > 0) return null;
  return tab === undefined || PROFILE_TABS.has(tab) ? handle : null;
}

function kindOfUrl(url: URL): PageKind {
  if (statusIdOfUrl(url)) return 'post';
  if (conversationIdOfUrl(url)) return 'conversation';
  if (profileHandleOfUrl(url)) return 'profile';
  const [first, second] = pathSegments(url);
  if (first === undefined) return 'unknown';
  if (TIMELINE_PATHS.has(first)) return 'timeline';
  if (first === 'i' && second !== undefined && I_TIMELINE_PATHS.has(second)) return 'timeline';
  return 'unknown';
}

interface StatusRef {
  handle: string;
  id: string;
}

/** The post a link points at (`/<handle>/status/<id>`, also with `/photo/1` etc. after it), when it is an X link. */
function statusRefOfLink(link: Element, base: URL): StatusRef | null {
  const href = absoluteUrl(link.getAttribute('href'), base);
  if (!href) return null;
  const url = new URL(href);
  if (!X_HOSTS.has(url.hostname.toLowerCase())) return null;
  const [handle, status, id] = pathSegments(url);
  return isHandle(handle) && status === 'status' && id !== undefined && DIGITS.test(id) ? { handle, id } : null;
}

function permalinkOf(ref: StatusRef): string {
  return `${ORIGIN}/${ref.handle}/status/${ref.id}`;
}

function profileUrlOf(handle: string): string {
  return `${ORIGIN}/${handle}`;
}

// ---- posts ----

/**
 * A post's own elements, apart from the post it quotes. X draws a quoted post
 * inside the article as a `div[role="link"]` with its own User-Name, time,
 * text and media, so every lookup must skip that block.
 */
interface PostParts {
  quote: Element | null;
  isOwn(element: Element): boolean;
  own(selector: string): Element[];
}

function partsOf(post: Element): PostParts {
  // Other div[role="link"]s (affiliate badges) hold no User-Name.
  const quotes = Array.from(post.querySelectorAll('div[role="link"]')).filter((el) => el.querySelector(POST_AUTHOR));
  const isOwn = (element: Element) => !quotes.some((quote) => quote.contains(element));
  return {
    quote: quotes[0] ?? null,
    isOwn,
    own: (selector) => Array.from(post.querySelectorAll(selector)).filter(isOwn),
  };
}

/** The post's own time element and the status link around it: the link to the post itself, unlike photo, reply-to or quoted-post links. */
function ownTime(post: Element, parts: PostParts): { time: Element | null; link: Element | null } {
  const times = parts.own('time');
  for (const time of times) {
    const link = time.closest(STATUS_LINK);
    if (link && post.contains(link)) return { time, link };
  }
  return { time: times[0] ?? null, link: null };
}

function ownStatusRef(post: Element, base: URL): StatusRef | null {
  const { link } = ownTime(post, partsOf(post));
  return link ? statusRefOfLink(link, base) : null;
}

/** The post a status URL names, found by id only (no fallback, unlike `mainPost`). */
function focalPost(doc: Document, url: URL): Element | null {
  const id = statusIdOfUrl(url);
  if (!id) return null;
  return listPosts(doc).find((post) => ownStatusRef(post, url)?.id === id) ?? null;
}

const DM_STRATEGIES: Partial<FieldSources> = {
  author: 'message sender label',
  text: 'messageEntry text',
  shownTime: 'time[datetime]',
};

function readMessage(item: Element, pageUrl: URL): ReadPost {
  const post = extractMessage(item, pageUrl);
  return { post, via: sourcesOf(post, DM_STRATEGIES, 'structure') };
}

function readPost(post: Element, pageUrl: URL): ReadPost {
  const parts = partsOf(post);
  const { time, link } = ownTime(post, parts);
  const ref = link ? statusRefOfLink(link, pageUrl) : null;
  const conversation = conversationPlace(post, pageUrl);
  const parentRef = conversation.parent ? ownStatusRef(conversation.parent, pageUrl) : null;
  const text = readFirst([
    ['tweetText test id', () => visibleTextOrNull(parts.own(POST_TEXT)[0])],
    ['Article rich text test id', () => articleTextOf(parts)],
  ]);
  const info: PostInfo = {
    platform: 'x',
    permalink: ref ? permalinkOf(ref) : null,
    postId: ref?.id ?? null,
    author: authorOf(parts.own(POST_AUTHOR)[0] ?? null),
    text: text.value,
    shownTime: shownTimeOf(time),
    mediaUrls: mediaUrlsOf(parts, pageUrl),
    isReply: showsReplyingTo(post, parts) || conversation.isReply,
    replyToUrl: parentRef ? permalinkOf(parentRef) : null,
    quotedPostUrl: quotedPostUrlOf(parts, pageUrl),
  };
  return {
    post: info,
    via: sourcesOf(
      info,
      {
        author: 'User-Name test id',
        handle: 'User-Name test id',
        text: text.via,
        shownTime: 'time[datetime]',
        permalink: 'status link around the time',
      },
      'structure',
    ),
  };
}

/**
 * A long-form Article's words: its title, then each Draft.js block (heading,
 * paragraph, list item) on its own line; X draws blocks as divs, which
 * `visibleText` does not break on. Empty blocks (`<br data-text>`) are the
 * blank lines between paragraphs.
 */
function articleTextOf(parts: PostParts): string | null {
  const body = parts.own(ARTICLE_BODY)[0];
  if (!body) return null;
  const blocks = Array.from(body.querySelectorAll('[data-block="true"]'));
  const lines = blocks.length > 0 ? blocks.map((block) => visibleText(block)) : [visibleText(body)];
  const title = visibleTextOrNull(parts.own(ARTICLE_TITLE)[0]);
  const text = [title, lines.join('\n')].filter(Boolean).join('\n\n');
  return text.replace(/\n{3,}/g, '\n\n').trim() || null;
}

/** Photos, and video posters and sources; avatars and emoji sit outside tweetPhoto so never match. */
function mediaUrlsOf(parts: PostParts, base: URL): string[] {
  const raw = parts
    .own('[data-testid="tweetPhoto"] img, video, video source')
    .flatMap((el) =>
      el.tagName.toUpperCase() === 'VIDEO'
        ? [el.getAttribute('poster'), el.getAttribute('src')]
        : [el.getAttribute('src')],
    );
  // absoluteUrl drops the blob: sources of X's video player, which name nothing outside the tab; a
  // saved page's local copy ("./Home _ X_files/…") is not the media's address either: X serves it from twimg.com.
  return uniqueUrls(raw, base, (url) => url.hostname.toLowerCase().endsWith('.twimg.com'));
}

/**
 * X's quoted-post block is not a link element, but the quoted post's photo
 * links (`/<handle>/status/<id>/photo/1`) name it; without one the page does
 * not say which post was quoted.
 */
function quotedPostUrlOf(parts: PostParts, base: URL): string | null {
  if (!parts.quote) return null;
  for (const link of Array.from(parts.quote.querySelectorAll(STATUS_LINK))) {
    const ref = statusRefOfLink(link, base);
    if (ref) return permalinkOf(ref);
  }
  return null;
}

/** X's "Replying to @someone" line (English UI only), outside the text and the quoted post. */
function showsReplyingTo(post: Element, parts: PostParts): boolean {
  const walker = post.ownerDocument.createTreeWalker(post, SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !/^\s*Replying to\b/.test(node.nodeValue ?? '')) continue;
    if (parts.isOwn(parent) && !parent.closest(POST_TEXT)) return true;
  }
  return false;
}

/**
 * Reply facts from a status page's layout. X lists the conversation one post
 * per timeline cell: the focal post's ancestors above it, each answering the
 * one in the cell above, and replies below it. The first post below answers
 * the focal post; later ones answer someone in the thread, not necessarily
 * the post above, so they get no parent. A heading cell ("Discover more")
 * ends the conversation.
 */
function conversationPlace(post: Element, pageUrl: URL): { isReply: boolean; parent: Element | null } {
  const none = { isReply: false, parent: null };
  const focal = focalPost(post.ownerDocument, pageUrl);
  const cell = post.closest(TIMELINE_CELL);
  const focalCell = focal?.closest(TIMELINE_CELL);
  if (!focal || !cell || !focalCell || cell.parentElement !== focalCell.parentElement) return none;
  const above = cell.previousElementSibling?.querySelector(POST) ?? null;
  const belowFocal = (focalCell.compareDocumentPosition(cell) & DOCUMENT_POSITION_FOLLOWING) !== 0;
  if (!belowFocal) return above ? { isReply: true, parent: above } : none;
  if (above === focal) return { isReply: true, parent: focal };
  return { isReply: !headingCellBetween(focalCell, cell), parent: null };
}

function headingCellBetween(from: Element, to: Element): boolean {
  for (let cell = from.nextElementSibling; cell && cell !== to; cell = cell.nextElementSibling) {
    if (cell.querySelector('h1, h2, h3, [role="heading"]')) return true;
  }
  return false;
}

// ---- names (shared by posts' User-Name and the profile's UserName) ----

interface ShownName {
  displayName: string | null;
  handle: string | null;
}

/** The "@handle" line and the display name above it; on a suspended profile only the handle is shown. */
function shownNameOf(block: Element): ShownName {
  const spans = Array.from(block.querySelectorAll('span'));
  let handleSpan: Element | null = null;
  let handle: string | null = null;
  for (const span of spans) {
    const match = SHOWN_HANDLE.exec(visibleText(span));
    if (match?.[1]) {
      handleSpan = span;
      handle = match[1];
      break;
    }
  }
  const nameSpan = spans.find(
    (span) => !(handleSpan && (span.contains(handleSpan) || handleSpan.contains(span))) && visibleText(span) !== '',
  );
  // A display name is one line on X; a break in it is a saved page's re-indentation.
  const displayName = nameSpan ? visibleText(nameSpan).replace(/\s*\n\s*/g, ' ') || null : null;
  return { displayName, handle: handle ?? handleFromProfileLink(block) };
}

function handleFromProfileLink(block: Element): string | null {
  for (const link of Array.from(block.querySelectorAll('a[href]'))) {
    const [handle, ...rest] = (link.getAttribute('href') ?? '').split('/').filter(Boolean);
    if (rest.length === 0 && isHandle(handle)) return handle;
  }
  return null;
}

function authorOf(block: Element | null): AuthorInfo {
  const { displayName, handle } = block ? shownNameOf(block) : { displayName: null, handle: null };
  return { displayName, handle, profileUrl: handle ? profileUrlOf(handle) : null };
}

// ---- profiles ----

function extractProfile(doc: Document, url: URL): ProfileInfo | null {
  const urlHandle = profileHandleOfUrl(url);
  if (!urlHandle) return null;
  const column = doc.querySelector('[data-testid="primaryColumn"]') ?? doc.documentElement;
  const nameBlock = doc.querySelector(PROFILE_NAME);
  const shown = nameBlock ? shownNameOf(nameBlock) : null;
  // The page's own "@handle" wins: X handles are case-insensitive, so the URL may differ in case.
  const handle = shown?.handle ?? urlHandle;
  return {
    platform: 'x',
    displayName: shown?.displayName ?? null,
    handle,
    profileUrl: profileUrlOf(handle),
    bio: visibleTextOrNull(doc.querySelector('[data-testid="UserDescription"]')),
    // Logged out, X links the follower count to /verified_followers.
    followersShown: countLinkedAs(column, ['verified_followers', 'followers']),
    followingShown: countLinkedAs(column, ['following']),
    postsShown: postsCountOf(column),
    joinedShown: visibleTextOrNull(doc.querySelector('[data-testid="UserJoinDate"]')),
    accountId: accountIdFromSchema(doc, handle) ?? accountIdFromFollowButton(column, handle),
    verified: nameBlock ? nameBlock.querySelector('[data-testid="icon-verified"]') !== null : null,
    state: profileStateOf(doc, column, nameBlock),
  };
}

function outsidePosts(column: Element, selector: string): Element[] {
  return Array.from(column.querySelectorAll(selector)).filter((el) => !el.closest(POST));
}

function countLinkedAs(column: Element, pathEnds: string[]): string | null {
  for (const end of pathEnds) {
    const link = outsidePosts(column, `a[href$="/${end}"]`)[0];
    // The count has its own span ahead of the label's; reading it alone does not depend on a space between them.
    if (link) return leadingCount(visibleText(link.querySelector('span') ?? link));
  }
  return null;
}

/** The "23.9K posts" line under the name in the profile's top bar. */
function postsCountOf(column: Element): string | null {
  const heading = column.querySelector('h2[role="heading"]');
  return leadingCount(visibleTextOrNull(heading?.nextElementSibling));
}

/** X's schema.org ProfilePage JSON: mainEntity.identifier is the numeric user id. */
function accountIdFromSchema(doc: Document, handle: string): string | null {
  for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    const entity = field(parseJson(script.textContent ?? ''), 'mainEntity');
    const name = field(entity, 'additionalName');
    const id = field(entity, 'identifier');
    const idText = typeof id === 'number' ? String(id) : id;
    if (typeof name === 'string' && sameHandle(name, handle) && typeof idText === 'string' && DIGITS.test(idText)) {
      return idText;
    }
  }
  return null;
}

/** The header's follow button is test-id'd `<user id>-follow` (`-unfollow` once followed) and labelled "Follow @handle". */
function accountIdFromFollowButton(column: Element, handle: string): string | null {
  for (const button of outsidePosts(column, '[data-testid$="-follow"], [data-testid$="-unfollow"]')) {
    const label = button.getAttribute('aria-label') ?? '';
    const id = /^(\d+)-(?:un)?follow$/.exec(button.getAttribute('data-testid') ?? '')?.[1];
    if (id && label.toLowerCase().endsWith(`@${handle.toLowerCase()}`)) return id;
  }
  return null;
}

function profileStateOf(doc: Document, column: Element, nameBlock: Element | null): ProfileInfo['state'] {
  const notice = outsidePosts(column, '[data-testid="emptyState"]')
    .map((el) => visibleText(el))
    .join('\n')
    .replace(/\u2019/g, "'")
    .toLowerCase();
  if (notice.includes('account suspended')) return 'suspended';
  if (notice.includes("account doesn't exist")) return 'not-found';
  if (nameBlock?.querySelector('[data-testid="icon-lock"]') || notice.includes('these posts are protected')) {
    return 'protected';
  }
  if (nameBlock) return 'public';
  const loginPrompt = doc.querySelector(
    '[data-testid="loginButton"], [data-testid="login"], a[href="/login"], a[href^="/i/flow/login"], input[name="password"]',
  );
  return loginPrompt ? 'login-wall' : 'unknown';
}

function sameHandle(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
