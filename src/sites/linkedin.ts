import {
  absoluteUrl,
  isoFromDatetime,
  leadingCount,
  noticeText,
  ownElements,
  pathSegments,
  previousSiblingWhere,
  timeUnderDay,
  uniqueUrls,
  visibleText,
} from './dom';
import { defineAdapter, matchesHosts, postsIn } from './define';
import { readFirst, sourcesOf, type FieldSources, type ReadPost } from './read';
import { LINKEDIN_HOST_PATTERNS } from './hosts';
import type { AuthorInfo, ConversationInfo, PageKind, PostInfo, ProfileInfo, ShownTime, SiteAdapter } from './types';

/**
 * LinkedIn (www.linkedin.com, the logged-in web app). Hooks, by preference
 * the URN attributes and URL shapes, which outlive LinkedIn's restyles:
 * - feed posts: the update element's `data-urn="urn:li:activity:<id>"`
 *   (`div.feed-shared-update-v2`); its author block `.update-components-actor`
 *   (name in `__title [dir="ltr"]`, `/in/<vanity>/` or `/company/<slug>/`
 *   link, time in `__sub-description`: "2h •", or "Promoted" on an ad, whose
 *   URN is `urn:li:sponsoredContentV2:…` and names no post); text
 *   `.update-components-text`; photos and video posters on media.licdn.com.
 *   A plain repost ("<Name> reposted this" above the author block) is the
 *   original author's post; a repost with thoughts draws the reposted post in
 *   `.update-components-mini-update-v2` with a `/feed/update/urn:li:…` link,
 *   read as its own post when the click was inside it.
 * - comments: `article.comments-comment-entity` (2024 on) or
 *   `article.comments-comment-item`, `data-id="urn:li:comment:(activity:<post>,<comment>)"`,
 *   replies nested inside the comment they answer; a relative `time`.
 * - direct messages (/messaging/thread/<id>/ and the chat overlay):
 *   `li.msg-s-message-list__event`, `data-event-urn`, `.msg-s-event-listitem__body`;
 *   sender and time (`.msg-s-message-group__name`, `time.msg-s-message-group__timestamp`)
 *   only on the first message of a group, the day (`time.msg-s-message-list__time-heading`,
 *   "Today", "Nov 20") only on the first message of a day, so both are looked
 *   up backwards and shown together ("Nov 20 at 9:47 PM"): a local time without
 *   zone, so `iso` stays null until `resolveShownTime` reads it.
 * - profiles (/in/<vanity>/, /company/<slug>/): the `h1` of the top card
 *   section, its `.text-body-medium` headline and the About section
 *   (`#about`); the member id `ACoA…` from the Message button's `profileUrn`.
 * Screen-reader copies (`.visually-hidden`: "View Gary's profile",
 * "hashtag") and "…more" buttons are left out of every text read.
 *
 * Times: LinkedIn shows only relative times ("4h", "1d"), but its activity
 * and comment ids encode their creation time: the top 41 bits of the 64-bit
 * id (id >> 22) are milliseconds since 1970-01-01 UTC. That is the ISO time
 * of posts and comments, with the rule saying so; ugcPost and share ids are
 * not read that way.
 */

const ORIGIN = 'https://www.linkedin.com';
// Exactly the hosts in LINKEDIN_HOST_PATTERNS: elsewhere the content script is not there to read the page.
const HOSTS = new Set(['www.linkedin.com']);

const UPDATE = 'div[data-urn^="urn:li:activity:"], div.feed-shared-update-v2[data-urn]';
/** A feed post in the 2026 markup: hashed class names, no URN anywhere, each post a list item. */
const LIST_UPDATE = 'div[role="listitem"]';
const QUOTE = '.update-components-mini-update-v2, .feed-shared-mini-update-v2';
const COMMENT = 'article.comments-comment-entity, article.comments-comment-item';
const MESSAGE = 'li.msg-s-message-list__event';
const ITEM = `${UPDATE}, ${LIST_UPDATE}, ${QUOTE}, ${COMMENT}, ${MESSAGE}`;

/** The author block: `update-components-actor` since 2023, `feed-shared-actor` before. */
const ACTOR = '.update-components-actor, .feed-shared-actor';
const ACTOR_NAME = '[class*="-actor__title"] [dir="ltr"], [class*="-actor__name"], [class*="-actor__title"]';
const ACTOR_EXTRAS = '[class*="-actor__supplementary-actor-info"]';
const ACTOR_TIME = '[class*="-actor__sub-description"]';
const TEXT = '.update-components-text, .feed-shared-text';
/** The 2026 markup's post text, and its "…more" toggle inside it. */
const TEXT_BOX = '[data-testid="expandable-text-box"]';
const TEXT_BOX_TOGGLE = '[data-testid="expandable-text-button"]';
const COMMENT_BODY = '.comments-comment-item__main-content';
const MESSAGE_BODY = '.msg-s-event-listitem__body';
const GROUP_NAME = '.msg-s-message-group__name';
const GROUP_TIME = '.msg-s-message-group__timestamp';
const DAY_HEADING = '.msg-s-message-list__time-heading';
const CONVERSATION = '.msg-convo-wrapper, .msg-overlay-conversation-bubble';
const OVERLAY = '.msg-overlay-conversation-bubble';
/** Copies of the text for screen readers, and "…more" toggles: not what a reader sees. */
const UNSEEN = '.visually-hidden, .a11y-text, button';
/** Where avatars, logos and reaction icons are drawn, never a post's media. */
const NOT_MEDIA = `${ACTOR}, .update-components-header, .comments-comment-meta__container, .comments-post-meta, .msg-s-message-group__meta, .social-details-social-counts`;

type ContentKind = 'activity' | 'ugcPost' | 'share';
const CONTENT_KINDS: ReadonlySet<string> = new Set<ContentKind>(['activity', 'ugcPost', 'share']);
const CONTENT_URN = /^urn:li:(activity|ugcPost|share):(\d{1,20})$/;
const COMMENT_URN = /^urn:li:comment:\((?:urn:li:)?(activity|ugcPost|share):(\d{1,20}),(\d{1,20})\)$/;
/** `/posts/<vanity>_<words>-activity-<id>-<code>/`, the shape of LinkedIn's share links. */
const POSTS_SLUG = /-(activity|ugcPost|share)-(\d{1,20})(?:-[A-Za-z0-9_-]{1,8})?$/;
const SLUG = /^[A-Za-z0-9_.%-]{2,200}$/;
/** A member named by id rather than vanity name (`/in/ACoAAB…`): not a handle. */
const MEMBER_ID = /^ACoA[A-Za-z0-9_-]{10,}$/;
const THREAD_ID = /^[A-Za-z0-9_=%+-]{4,300}$/;
const ORG_PATHS = new Set(['company', 'school', 'showcase']);
/** Company page tabs that still show the company's header. */
const ORG_TABS = new Set(['about', 'posts', 'people', 'jobs', 'life', 'videos', 'events']);

export const linkedinAdapter: SiteAdapter = defineAdapter({
  platform: 'linkedin',
  version: 1,
  hostPatterns: LINKEDIN_HOST_PATTERNS,
  matchesUrl: matchesHosts(HOSTS),
  postSelector: ITEM,
  kindOfUrl,
  focalPost,
  readPost,
  extractProfile,
});

function listPosts(doc: Document): Element[] {
  return postsIn(doc, ITEM);
}

function own(item: Element, selector: string): Element[] {
  return ownElements(item, selector, ITEM);
}

/** Text as a sighted reader sees it: without the screen-reader copies LinkedIn puts beside names, times and hashtags. */
function shownText(root: Element, skip = UNSEEN): string {
  const clone = root.cloneNode(true) as Element;
  for (const hidden of Array.from(clone.querySelectorAll(skip))) hidden.remove();
  return visibleText(clone);
}

function shownTextOrNull(root: Element | null | undefined, skip?: string): string | null {
  return root ? shownText(root, skip) || null : null;
}

// ---- ids and times ----

interface PostRef {
  kind: ContentKind;
  id: string;
}

function refOf(kind: string | undefined, id: string | undefined): PostRef | null {
  return kind && id && CONTENT_KINDS.has(kind) ? { kind: kind as ContentKind, id } : null;
}

function contentRef(urn: string | null | undefined): PostRef | null {
  const match = CONTENT_URN.exec(urn?.trim() ?? '');
  return match ? refOf(match[1], match[2]) : null;
}

interface CommentRef {
  post: PostRef;
  id: string;
}

function commentRef(urn: string | null | undefined): CommentRef | null {
  const match = COMMENT_URN.exec(urn?.trim() ?? '');
  const post = match ? refOf(match[1], match[2]) : null;
  return post && match?.[3] ? { post, id: match[3] } : null;
}

/**
 * The creation time LinkedIn writes into an activity or comment id: its top
 * 41 bits are milliseconds since the Unix epoch. Only 19-digit ids decoding
 * to a plausible year count, so a short legacy id is not read as 1970.
 */
export function isoFromLinkedInId(id: string): string | null {
  if (!/^\d{19}$/.test(id)) return null;
  const date = new Date(Number(BigInt(id) >> 22n));
  return date.getUTCFullYear() >= 2014 && date.getUTCFullYear() <= 2999 ? date.toISOString() : null;
}

/** The time shown, with the ISO time from the item's id when it encodes one, else from a zoned `datetime`. */
function timeOf(
  raw: string | null,
  id: { what: string; value: string } | null,
  time: Element | null = null,
): ShownTime {
  const decoded = id ? isoFromLinkedInId(id.value) : null;
  if (!decoded || !id) return { raw, iso: isoFromDatetime(time?.getAttribute('datetime')) };
  return {
    raw,
    iso: decoded,
    rule: `decoded from the LinkedIn ${id.what} id ${id.value}: its top 41 bits (id >> 22) are the milliseconds since 1970-01-01 UTC at which LinkedIn created it; accurate to the millisecond, by LinkedIn's clock`,
  };
}

// ---- URLs ----

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function linkedinUrl(href: string | null | undefined, base: URL): URL | null {
  const absolute = absoluteUrl(href, base);
  if (!absolute) return null;
  const url = new URL(absolute);
  const host = url.hostname.toLowerCase();
  // Country subdomains (uk.linkedin.com) serve the same public pages.
  return host === 'linkedin.com' || host.endsWith('.linkedin.com') ? url : null;
}

/** The post a URL names: `/feed/update/urn:li:<kind>:<id>/` or `/posts/<slug>-<kind>-<id>-<code>/`. */
function postRefOfUrl(url: URL): PostRef | null {
  const [first, second, third, fourth] = pathSegments(url).map(decoded);
  if (first === 'feed' && second === 'update' && third && fourth === undefined) return contentRef(third);
  if (first === 'posts' && second && third === undefined) {
    const match = POSTS_SLUG.exec(second);
    return match ? refOf(match[1], match[2]) : null;
  }
  return null;
}

function postUrl(ref: PostRef): string {
  return `${ORIGIN}/feed/update/urn:li:${ref.kind}:${ref.id}/`;
}

/** LinkedIn's link to a comment: the post's URL with `commentUrn`, and `replyUrn` for a reply. */
function commentUrl(post: PostRef, commentId: string, replyId: string | null): string {
  const urn = (id: string) => `urn:li:comment:(${post.kind}:${post.id},${id})`;
  const url = new URL(postUrl(post));
  url.searchParams.set('commentUrn', urn(commentId));
  if (replyId) url.searchParams.set('replyUrn', urn(replyId));
  return url.href;
}

/** The comment a post URL points at (`?commentUrn=…&replyUrn=…`), by its id. */
function commentIdOfUrl(url: URL): string | null {
  return commentRef(url.searchParams.get('replyUrn'))?.id ?? commentRef(url.searchParams.get('commentUrn'))?.id ?? null;
}

interface ProfileRef {
  url: string;
  handle: string | null;
  /** The member id, when the URL names the member by it. */
  memberId: string | null;
}

/** `/in/<vanity>/`, `/company/<slug>/` (also `/school/`, `/showcase/`, and their tabs). */
function profileRefOfUrl(url: URL): ProfileRef | null {
  const [first, second, third, ...rest] = pathSegments(url);
  if (!first || !second || !SLUG.test(second) || rest.length > 0) return null;
  if (first === 'in' && third === undefined) {
    const memberId = MEMBER_ID.test(second) ? second : null;
    return { url: `${ORIGIN}/in/${second}/`, handle: memberId ? null : second, memberId };
  }
  if (ORG_PATHS.has(first) && (third === undefined || ORG_TABS.has(third))) {
    // A numeric company path is an id LinkedIn redirects from, not the page's name.
    return { url: `${ORIGIN}/${first}/${second}/`, handle: /^\d+$/.test(second) ? null : second, memberId: null };
  }
  return null;
}

/** Logged out, LinkedIn redirects a profile to `/authwall?sessionRedirect=<profile URL>`. */
function authwallProfileRef(url: URL): ProfileRef | null {
  if (pathSegments(url)[0] !== 'authwall') return null;
  const target = linkedinUrl(url.searchParams.get('sessionRedirect'), url);
  return target ? profileRefOfUrl(target) : null;
}

function profileOfLink(link: Element, base: URL): ProfileRef | null {
  const url = linkedinUrl(link.getAttribute('href'), base);
  return url ? profileRefOfUrl(url) : null;
}

function authorFrom(displayName: string | null, link: Element | null | undefined, base: URL): AuthorInfo {
  const ref = link ? profileOfLink(link, base) : null;
  return { displayName, handle: ref?.handle ?? null, profileUrl: ref?.url ?? null };
}

function threadIdOf(url: URL): string | null {
  const [first, second, third, fourth] = pathSegments(url);
  return first === 'messaging' && second === 'thread' && third && THREAD_ID.test(third) && fourth === undefined
    ? third
    : null;
}

function kindOfUrl(url: URL): PageKind {
  if (postRefOfUrl(url)) return 'post';
  if (profileRefOfUrl(url) ?? authwallProfileRef(url)) return 'profile';
  const [first, second, third] = pathSegments(url);
  if (first === 'messaging' && (second === undefined || threadIdOf(url))) return 'conversation';
  if (first === 'feed' && (second === undefined || second === 'hashtag')) return 'timeline';
  // A member's posts and comments, where a pile-on's authors are usually looked up.
  if (first === 'in' && third === 'recent-activity') return 'timeline';
  if ((first === 'search' && second === 'results') || first === 'notifications') return 'timeline';
  return 'unknown';
}

// ---- which post a URL names ----

function focalPost(doc: Document, url: URL): Element | null {
  const items = listPosts(doc);
  const commentId = commentIdOfUrl(url);
  const comment = commentId
    ? items.find((item) => item.matches(COMMENT) && commentRefOf(item)?.id === commentId)
    : undefined;
  if (comment) return comment;
  const ref = postRefOfUrl(url);
  const updates = items.filter((item) => item.matches(UPDATE));
  // A ugcPost or share URL shows the post under its activity URN, a different id: then the page's first post is it.
  return updates.find((update) => ref && sameRef(updateRefOf(update), ref)) ?? updates[0] ?? null;
}

function sameRef(a: PostRef | null, b: PostRef): boolean {
  return a !== null && a.kind === b.kind && a.id === b.id;
}

function readPost(item: Element, pageUrl: URL): ReadPost {
  if (item.matches(MESSAGE)) return recorded(extractMessage(item, pageUrl), MESSAGE_STRATEGIES);
  if (item.matches(COMMENT)) return recorded(extractComment(item, pageUrl), COMMENT_STRATEGIES);
  if (item.matches(QUOTE)) return recorded(extractQuote(item, pageUrl), UPDATE_STRATEGIES);
  if (item.matches(UPDATE)) return recorded(extractUpdate(item, pageUrl), UPDATE_STRATEGIES);
  return readListUpdate(item, pageUrl);
}

function recorded(post: PostInfo, strategies: Partial<FieldSources>): ReadPost {
  return { post, via: sourcesOf(post, strategies, 'structure') };
}

const UPDATE_STRATEGIES: Partial<FieldSources> = {
  author: 'actor block name',
  handle: 'actor block /in/ or /company/ link',
  text: 'update text block',
  shownTime: 'actor block sub-description',
  permalink: 'data-urn',
};
const COMMENT_STRATEGIES: Partial<FieldSources> = {
  author: 'comment meta name',
  handle: 'comment meta profile link',
  text: 'comment body',
  shownTime: 'comment time',
  permalink: 'comment data-id URN',
};
const MESSAGE_STRATEGIES: Partial<FieldSources> = {
  author: 'message group sender',
  handle: 'message group sender link',
  text: 'message body',
  shownTime: 'message group time under the day heading',
};

// ---- posts ----

/** An ad's URN (`urn:li:sponsoredContentV2:…`) names no post, so it gives no permalink. */
function updateRefOf(update: Element): PostRef | null {
  return contentRef(update.getAttribute('data-urn'));
}

function extractUpdate(update: Element, pageUrl: URL): PostInfo {
  const quote = own(update, QUOTE)[0] ?? null;
  const quoted = quote ? quoteRefOf(quote, pageUrl) : null;
  return extractActivity(update, updateRefOf(update), pageUrl, quoted ? postUrl(quoted) : null);
}

/** The reposted post inside a repost with thoughts; a deleted one is drawn without link or author. */
function extractQuote(quote: Element, pageUrl: URL): PostInfo {
  return extractActivity(quote, quoteRefOf(quote, pageUrl), pageUrl, null);
}

/** A feed update or the post quoted inside one: both draw an actor block, text and media the same way. */
function extractActivity(activity: Element, ref: PostRef | null, pageUrl: URL, quotedPostUrl: string | null): PostInfo {
  const actor = own(activity, ACTOR)[0] ?? null;
  return {
    platform: 'linkedin',
    permalink: ref ? postUrl(ref) : null,
    postId: ref?.id ?? null,
    author: actorAuthor(actor, pageUrl),
    text: postText(activity),
    shownTime: actorTime(actor, ref),
    mediaUrls: mediaOf(activity, pageUrl),
    isReply: false,
    replyToUrl: null,
    quotedPostUrl,
  };
}

function quoteRefOf(quote: Element, base: URL): PostRef | null {
  const fromUrn = contentRef(quote.getAttribute('data-urn'));
  if (fromUrn) return fromUrn;
  for (const link of own(quote, 'a[href]')) {
    const url = linkedinUrl(link.getAttribute('href'), base);
    const ref = url ? postRefOfUrl(url) : null;
    if (ref) return ref;
  }
  return null;
}

function postText(item: Element): string | null {
  const text =
    own(item, TEXT)[0] ?? own(item, '.feed-shared-inline-show-more-text, .update-components-update-v2__commentary')[0];
  return shownTextOrNull(text);
}

function actorAuthor(actor: Element | null, base: URL): AuthorInfo {
  if (!actor) return { displayName: null, handle: null, profileUrl: null };
  // The title also holds the connection degree (" • 3rd+"), outside its dir="ltr" name.
  const name = actor.querySelector(ACTOR_NAME);
  const link = Array.from(actor.querySelectorAll('a[href]')).find((a) => profileOfLink(a, base) !== null);
  return authorFrom(shownTextOrNull(name, `${UNSEEN}, ${ACTOR_EXTRAS}`), link, base);
}

/** "4h • Edited" as shown, without the trailing separator; an ad shows "Promoted" there, which is no time. */
function actorTime(actor: Element | null, ref: PostRef | null): ShownTime {
  const sub = actor?.querySelector(ACTOR_TIME) ?? null;
  return timeOf(timeLabel(shownTextOrNull(sub)), ref?.kind === 'activity' ? { what: 'activity', value: ref.id } : null);
}

/** A relative time label as LinkedIn prints it under the author, "4h • Edited •" → "4h • Edited"; "Promoted" is none. */
function timeLabel(shown: string | null): string | null {
  const label = shown?.replace(/[\s•·]+$/, '') || null;
  return label && RELATIVE_LABEL.test(label) ? label : null;
}

/** "now", "5m", "4h", "3d", "2w", "1mo", "1yr", optionally followed by "• Edited". */
const RELATIVE_LABEL =
  /^(?:now|just now|\d{1,3}\s?(?:s|m|h|d|w|mo|y|yr|yrs)|\d{1,3} (?:second|minute|hour|day|week|month|year)s? ago)(?:\s?[•·]\s?\S.*)?$/i;

// ---- 2026 markup: no URNs, hashed classes ----

/**
 * A post in the 2026 feed markup. LinkedIn stopped writing URNs and
 * semantic class names into the feed, so what is left are its accessible
 * labels and URL shapes: the control menu is labelled "Open control menu for
 * post by <author>", the avatar "View <author>’s profile", the author links
 * `/in/<vanity>/` or `/company/<slug>/posts/`, the time is the label matching
 * "5d •" beside them, and the text is the `expandable-text-box` test id. No
 * permalink is in the markup (the post's link is made by script on click).
 */
function readListUpdate(item: Element, pageUrl: URL): ReadPost {
  const profileLinks = Array.from(item.querySelectorAll('a[href]')).filter(
    (a) => profileOfLink(a, pageUrl) !== null && !a.closest(TEXT_BOX),
  );
  const labelled = (attribute: string, pattern: RegExp) =>
    Array.from(item.querySelectorAll(`[${attribute}]`))
      .map((el) => pattern.exec(el.getAttribute(attribute) ?? '')?.[1]?.trim())
      .find(Boolean);
  const name = readFirst([
    ['control menu aria-label', () => labelled('aria-label', /^Open control menu for post by (.+)$/)],
    ['avatar alt text', () => labelled('alt', /^View (.+?)[’']s? profile$/)],
    ['company link aria-label', () => labelled('aria-label', /^View company: (.+)$/)],
  ]);
  // The author's own link shows their name; "<connection> likes this" above the post links someone else.
  const authorLink = readFirst([
    [
      'author link showing the name',
      () => profileLinks.find((a) => name.value !== null && shownText(a).startsWith(name.value)),
    ],
    ['avatar link', () => profileLinks.find((a) => a.querySelector('img[alt^="View "]') !== null)],
  ]);
  const box = item.querySelector(TEXT_BOX);
  const text = readFirst([
    ['expandable-text-box test id', () => (box ? shownTextOrNull(box, `${UNSEEN}, ${TEXT_BOX_TOGGLE}`) : null)],
  ]);
  const time = readFirst([['relative time label', () => listTimeLabel(item)]]);
  const post: PostInfo = {
    platform: 'linkedin',
    permalink: null,
    postId: null,
    author: authorFrom(name.value, authorLink.value, pageUrl),
    text: text.value,
    shownTime: { raw: time.value, iso: null },
    mediaUrls: mediaOf(item, pageUrl),
    isReply: false,
    replyToUrl: null,
    quotedPostUrl: null,
  };
  return {
    post,
    via: sourcesOf(
      post,
      { author: name.via, handle: authorLink.via, text: text.via, shownTime: time.via },
      'structure',
    ),
  };
}

/** The first short label outside the text that reads as LinkedIn's relative time ("5d •", "4h • Edited •"). */
function listTimeLabel(item: Element): string | null {
  for (const el of Array.from(item.querySelectorAll('p, span'))) {
    const raw = el.textContent ?? '';
    if (raw.length > 40 || el.closest(TEXT_BOX)) continue;
    const label = timeLabel(shownText(el));
    if (label) return label;
  }
  return null;
}

/** Photos and video posters on LinkedIn's media CDN; not avatars, company logos or reaction icons (static.licdn.com). */
function mediaOf(item: Element, base: URL): string[] {
  const values = own(item, 'img, video')
    .filter((el) => !el.closest(NOT_MEDIA))
    .map((el) => (el.tagName.toUpperCase() === 'VIDEO' ? el.getAttribute('poster') : el.getAttribute('src')));
  return uniqueUrls(values, base, (url) => {
    const host = url.hostname.toLowerCase();
    return (
      host.endsWith('.licdn.com') &&
      host !== 'static.licdn.com' &&
      !/\/(?:profile-displayphoto|profile-framedphoto|profile-displaybackgroundimage|company-logo)/.test(url.pathname)
    );
  });
}

// ---- comments ----

function commentRefOf(comment: Element): CommentRef | null {
  return commentRef(comment.getAttribute('data-id'));
}

function extractComment(comment: Element, pageUrl: URL): PostInfo {
  const ref = commentRefOf(comment);
  const parent = comment.parentElement?.closest(COMMENT) ?? null;
  const parentRef = parent ? commentRefOf(parent) : null;
  const update = comment.closest(UPDATE);
  const post = ref?.post ?? (update ? updateRefOf(update) : null) ?? postRefOfUrl(pageUrl);
  const time = own(comment, 'time')[0] ?? own(comment, '.comments-comment-item__timestamp')[0] ?? null;
  let permalink: string | null = null;
  // A reply is linked through the comment it answers; when that is unknown, so is the link.
  if (ref && !parent) permalink = commentUrl(ref.post, ref.id, null);
  if (ref && parentRef) permalink = commentUrl(ref.post, parentRef.id, ref.id);
  let replyToUrl: string | null = null;
  if (parentRef) replyToUrl = commentUrl(parentRef.post, parentRef.id, null);
  else if (!parent && post) replyToUrl = postUrl(post);
  return {
    platform: 'linkedin',
    permalink,
    postId: ref?.id ?? null,
    author: commentAuthor(comment, pageUrl),
    text: shownTextOrNull(own(comment, COMMENT_BODY)[0] ?? own(comment, TEXT)[0]),
    shownTime: timeOf(shownTextOrNull(time), ref ? { what: 'comment', value: ref.id } : null, time),
    mediaUrls: mediaOf(comment, pageUrl),
    isReply: true,
    replyToUrl,
    quotedPostUrl: null,
  };
}

function commentAuthor(comment: Element, base: URL): AuthorInfo {
  // Mentions in the text link profiles too; the author's links are outside it.
  const links = own(comment, 'a[href]').filter(
    (a) => !a.closest(`${COMMENT_BODY}, ${TEXT}`) && profileOfLink(a, base) !== null,
  );
  const name =
    own(comment, '.comments-comment-meta__description-title')[0] ??
    own(comment, '.comments-post-meta__name-text')[0] ??
    links.find((a) => shownText(a) !== '');
  return authorFrom(shownTextOrNull(name), links[0], base);
}

// ---- direct messages ----

/**
 * The message that opens `message`'s group: itself, or the nearest earlier
 * one with a sender line, not looking past a day heading (a new day always
 * opens a new group).
 */
function groupOf(message: Element): Element | null {
  const opener = message.querySelector(GROUP_NAME)
    ? message
    : previousSiblingWhere(
        message,
        (el) => el.matches(MESSAGE) && el.querySelector(`${GROUP_NAME}, ${DAY_HEADING}`) !== null,
      );
  return opener?.querySelector(GROUP_NAME) ? opener : null;
}

function dayHeadingOf(message: Element): Element | null {
  const holder = message.querySelector(DAY_HEADING)
    ? message
    : previousSiblingWhere(message, (el) => el.matches(MESSAGE) && el.querySelector(DAY_HEADING) !== null);
  return holder?.querySelector(DAY_HEADING) ?? null;
}

function extractMessage(message: Element, pageUrl: URL): PostInfo {
  const group = groupOf(message);
  const time = group?.querySelector(GROUP_TIME) ?? null;
  const senderLink = group
    ? Array.from(group.querySelectorAll('a[href]')).find(
        (a) => !a.closest(MESSAGE_BODY) && profileOfLink(a, pageUrl) !== null,
      )
    : undefined;
  const bodies = own(message, MESSAGE_BODY)
    .map((body) => shownText(body))
    .filter(Boolean);
  return {
    platform: 'linkedin',
    permalink: null,
    postId: messageIdOf(message),
    author: authorFrom(shownTextOrNull(group?.querySelector(GROUP_NAME)), senderLink, pageUrl),
    text: bodies.join('\n') || null,
    shownTime: {
      raw: timeUnderDay(shownTextOrNull(time), shownTextOrNull(dayHeadingOf(message))),
      iso: isoFromDatetime(time?.getAttribute('datetime')),
    },
    mediaUrls: mediaOf(message, pageUrl),
    isReply: false,
    replyToUrl: null,
    quotedPostUrl: null,
    conversation: conversationOf(message, pageUrl),
  };
}

/** `data-event-urn="urn:li:msg_message:(urn:li:fsd_profile:<sender>,<message id>)"` (older: `urn:li:fs_event:(<thread>,<message id>)`). */
function messageIdOf(message: Element): string | null {
  const urn = (own(message, '[data-event-urn]')[0] ?? message).getAttribute('data-event-urn') ?? '';
  return /^urn:li:(?:msg_message|fs_event):\([^,]+,([^,)]+)\)$/.exec(urn.trim())?.[1] ?? null;
}

/** The thread's header: the other person's name and profile link; the thread URL on the messaging page, none in the chat overlay. */
function conversationOf(message: Element, pageUrl: URL): ConversationInfo {
  const box = message.closest(CONVERSATION);
  const header = (box ?? message.ownerDocument).querySelector('.msg-title-bar, .msg-overlay-bubble-header');
  const participants = Array.from(header?.querySelectorAll('a[href]') ?? []).flatMap((link) => {
    const ref = profileOfLink(link, pageUrl);
    const name = ref?.handle ?? shownText(link);
    return ref && name ? [name] : [];
  });
  const thread = box?.matches(OVERLAY) ? null : threadIdOf(pageUrl);
  return {
    title: shownTextOrNull(header?.querySelector('h2')),
    url: thread ? `${ORIGIN}/messaging/thread/${thread}/` : null,
    participants: [...new Set(participants)],
  };
}

// ---- profiles ----

const NOT_FOUND = /this profile is not available|profile is unavailable|this page doesn't exist|page not found/;
const SIGN_IN = /sign in to view|join (?:linkedin )?to view|sign in to see/;

function extractProfile(doc: Document, url: URL): ProfileInfo | null {
  const ref = profileRefOfUrl(url);
  if (!ref) {
    const walled = authwallProfileRef(url);
    return walled ? emptyProfile(walled, 'login-wall') : null;
  }
  const main = doc.querySelector('main') ?? doc.body ?? doc.documentElement;
  const heading = Array.from(main.querySelectorAll('h1')).find((h) => !h.closest(ITEM)) ?? null;
  const card = heading?.closest('section') ?? null;
  const state = profileState(doc, heading);
  if (state === 'not-found') return emptyProfile(ref, state);
  return {
    platform: 'linkedin',
    displayName: shownTextOrNull(heading),
    handle: ref.handle,
    profileUrl: ref.url,
    bio: bioOf(doc, card),
    followersShown: followersOf(main),
    // "500+ connections" is neither followers nor following, so it is not recorded as either.
    followingShown: null,
    postsShown: null,
    joinedShown: null,
    accountId: ref.memberId ?? (card ? memberIdOf(card, url) : null),
    verified: heading ? card?.querySelector('[data-test-icon^="verified"]') != null : null,
    state,
  };
}

function emptyProfile(ref: ProfileRef, state: ProfileInfo['state']): ProfileInfo {
  return {
    platform: 'linkedin',
    displayName: null,
    handle: ref.handle,
    profileUrl: ref.url,
    bio: null,
    followersShown: null,
    followingShown: null,
    postsShown: null,
    joinedShown: null,
    accountId: ref.memberId,
    verified: null,
    state,
  };
}

/** The headline under the name, then the About section: the two places a member describes themself. */
function bioOf(doc: Document, card: Element | null): string | null {
  const headline = card?.querySelector('.text-body-medium, .top-card-layout__headline, .org-top-card-summary__tagline');
  const about = doc.getElementById('about')?.closest('section')?.querySelector('[class*="inline-show-more-text"]');
  return [shownTextOrNull(headline), shownTextOrNull(about)].filter(Boolean).join('\n\n') || null;
}

/** "1,204 followers" in the top card (or the Activity heading, which repeats it). */
function followersOf(main: Element): string | null {
  for (const el of Array.from(main.querySelectorAll('li, p, span'))) {
    const raw = el.textContent ?? '';
    // Cheap test first: profiles have thousands of spans.
    if (raw.length > 80 || !/followers?/i.test(raw) || el.closest(ITEM)) continue;
    const text = shownText(el);
    if (/^[\d.,]+\s?[KMB]?\s+followers?$/i.test(text)) return leadingCount(text);
  }
  return null;
}

/** The Message button links `/messaging/compose/?profileUrn=urn:li:fsd_profile:<member id>`. */
function memberIdOf(card: Element, base: URL): string | null {
  for (const link of Array.from(card.querySelectorAll('a[href*="profileUrn="]'))) {
    const urn = linkedinUrl(link.getAttribute('href'), base)?.searchParams.get('profileUrn') ?? '';
    const id = /^urn:li:fsd_profile:(ACoA[A-Za-z0-9_-]+)$/.exec(urn)?.[1];
    if (id) return id;
  }
  return null;
}

function profileState(doc: Document, heading: Element | null): ProfileInfo['state'] {
  const notice = noticeText(doc, ITEM);
  if (NOT_FOUND.test(notice)) return 'not-found';
  // Outside a member's network LinkedIn hides the name and most of the profile.
  if (heading && /^linkedin member$/i.test(shownText(heading))) return 'protected';
  if (SIGN_IN.test(notice) || doc.querySelector('input[name="session_password"]')) return 'login-wall';
  return heading ? 'public' : 'unknown';
}
