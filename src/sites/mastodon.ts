import { absoluteUrl, leadingCount, pathSegments, shownTimeOf, visibleText, visibleTextOrNull } from './dom';
import { defineAdapter, postsIn } from './define';
import type { AuthorInfo, PageKind, PostInfo, ProfileInfo, SiteAdapter } from './types';

/**
 * Mastodon, on any instance. Instances have their own host names, so the
 * adapter never claims a URL: `matchesDocument` recognises the web app by its
 * markup (the `#mastodon` app root, or statuses drawn as `.status[data-id]`
 * beside a joinmastodon.org link). Hooks are the web UI's long-standing
 * class names (`status__relative-time`, `display-name__account`,
 * `status__content__text`, `account__header`…), which are written by hand in
 * Mastodon's source, not hashed, plus `time[datetime]` and URL shapes.
 *
 * Handles are written in full, `user@instance`: a bare "@gary" means
 * different people on different instances, so the instance is taken from
 * the author's profile link.
 */

const POST = '.status[data-id], .detailed-status';
const TIME_LINK = 'a.status__relative-time, a.detailed-status__datetime';
const NAME_LINK = 'a.status__display-name, a.detailed-status__display-name';
const TEXT = '.status__content__text, .status__content .e-content';
const MEDIA =
  '.media-gallery img, .media-gallery a.media-gallery__item-thumbnail, video, .video-player video, .audio-player img';

const ACCOUNT = /^@([A-Za-z0-9_]{1,30})(?:@([A-Za-z0-9.-]+\.[A-Za-z]{2,}))?$/;
const STATUS_ID = /^\d{1,20}$/;
const TIMELINE_PATHS = new Set([
  'home',
  'public',
  'tags',
  'explore',
  'notifications',
  'lists',
  'bookmarks',
  'favourites',
  'conversations',
  'deck',
]);
const PROFILE_TABS = new Set(['with_replies', 'media', 'tagged']);

export const mastodonAdapter: SiteAdapter = defineAdapter({
  platform: 'mastodon',
  version: 1,
  everyPostLinked: true,
  // Injected on demand (activeTab): thousands of instances, no host list.
  hostPatterns: [],
  matchesUrl: () => false,
  matchesDocument,
  postSelector: POST,
  kindOfUrl,
  focalPost: focalPost,
  extractPost,
  extractProfile,
});

function matchesDocument(doc: Document): boolean {
  if (doc.querySelector('#mastodon[data-props], .app-holder#mastodon')) return true;
  return (
    doc.querySelector('.status[data-id]') !== null && doc.querySelector('a[href^="https://joinmastodon.org"]') !== null
  );
}

function listPosts(doc: Document): Element[] {
  return postsIn(doc, POST);
}

// ---- URLs ----

interface AccountRef {
  user: string;
  domain: string | null;
}

function accountOfSegment(segment: string | undefined): AccountRef | null {
  const match = segment ? ACCOUNT.exec(decodeURIComponent(segment)) : null;
  return match?.[1] ? { user: match[1], domain: match[2]?.toLowerCase() ?? null } : null;
}

/** `/@user/<id>`, `/@user@host/<id>` or `/users/<user>/statuses/<id>`. */
function statusIdOfUrl(url: URL): string | null {
  const [first, second, third, fourth] = pathSegments(url);
  if (accountOfSegment(first) && second && STATUS_ID.test(second) && third === undefined) return second;
  if (first === 'users' && third === 'statuses' && fourth && STATUS_ID.test(fourth)) return fourth;
  return null;
}

function profileOfUrl(url: URL): AccountRef | null {
  const [first, tab, ...rest] = pathSegments(url);
  const account = accountOfSegment(first);
  if (!account || rest.length > 0 || (tab !== undefined && !PROFILE_TABS.has(tab))) return null;
  return account;
}

function kindOfUrl(url: URL): PageKind {
  if (statusIdOfUrl(url)) return 'post';
  if (profileOfUrl(url)) return 'profile';
  const [first] = pathSegments(url);
  return first !== undefined && TIMELINE_PATHS.has(first) ? 'timeline' : 'unknown';
}

/** "user@instance" from the handle shown and the profile link it sits in. */
function fullHandle(shown: string | null, profileUrl: string | null): string | null {
  const account = shown ? ACCOUNT.exec(shown.trim()) : null;
  if (!account?.[1]) return null;
  const domain = account[2] ?? (profileUrl ? new URL(profileUrl).hostname.toLowerCase() : null);
  return domain ? `${account[1]}@${domain.toLowerCase()}` : account[1];
}

// ---- posts ----

function ownOf(post: Element, selector: string): Element[] {
  // A detailed status holds no nested statuses, but a timeline status may hold a quoted one.
  return Array.from(post.querySelectorAll(selector)).filter((el) => el.parentElement?.closest(POST) === post);
}

function focalPost(doc: Document, url: URL): Element | null {
  const id = statusIdOfUrl(url);
  if (!id) return null;
  return (
    doc.querySelector('.detailed-status') ?? listPosts(doc).find((post) => post.getAttribute('data-id') === id) ?? null
  );
}

function extractPost(post: Element, pageUrl: URL): PostInfo {
  const timeLink = ownOf(post, TIME_LINK)[0] ?? null;
  const permalink = absoluteUrl(timeLink?.getAttribute('href'), pageUrl);
  const isDetailed = post.matches('.detailed-status');
  const dataId = post.getAttribute('data-id');
  const conversation = conversationPlace(post, pageUrl);
  return {
    platform: 'mastodon',
    permalink,
    postId: dataId && STATUS_ID.test(dataId) ? dataId : isDetailed ? statusIdOfUrl(pageUrl) : null,
    author: authorOf(post, pageUrl),
    text: visibleTextOrNull(ownOf(post, TEXT)[0]),
    shownTime: shownTimeOf(timeLink?.querySelector('time') ?? ownOf(post, 'time')[0]),
    mediaUrls: mediaUrlsOf(post, pageUrl),
    isReply: conversation.isReply || post.closest('[data-in-reply-to]') !== null || showsInReplyTo(post),
    replyToUrl: conversation.parent
      ? absoluteUrl(ownOf(conversation.parent, TIME_LINK)[0]?.getAttribute('href'), pageUrl)
      : null,
    quotedPostUrl: null,
  };
}

function authorOf(post: Element, base: URL): AuthorInfo {
  const link = ownOf(post, NAME_LINK)[0] ?? null;
  if (!link) return { displayName: null, handle: null, profileUrl: null };
  const profileUrl = absoluteUrl(link.getAttribute('href'), base);
  const shownHandle = visibleTextOrNull(link.querySelector('.display-name__account')) ?? link.getAttribute('title');
  return {
    displayName: visibleTextOrNull(link.querySelector('.display-name__html')),
    handle: fullHandle(shownHandle, profileUrl),
    profileUrl,
  };
}

/** Full-size links of the gallery first, then images and video posters; avatars sit outside the gallery. */
function mediaUrlsOf(post: Element, base: URL): string[] {
  const raw = ownOf(post, MEDIA).flatMap((el) => {
    const tag = el.tagName.toUpperCase();
    if (tag === 'A') return [el.getAttribute('href')];
    if (tag === 'VIDEO') return [el.getAttribute('poster'), el.getAttribute('src')];
    return el.closest('a.media-gallery__item-thumbnail') ? [] : [el.getAttribute('src')];
  });
  const urls = raw.map((src) => absoluteUrl(src, base)).filter((url): url is string => url !== null);
  return [...new Set(urls)];
}

/** The "In reply to" / "Replied to" line newer versions draw over a reply (English UI). */
function showsInReplyTo(post: Element): boolean {
  const wrapper = post.closest('.status__wrapper') ?? post;
  return Array.from(wrapper.querySelectorAll('.status__prepend, .status__in-reply-to, .reply-indicator')).some((el) =>
    /\b(?:in reply to|replied to)\b/i.test(visibleText(el)),
  );
}

/**
 * A status page lists the focal post's ancestors above it (each answering
 * the one above) and descendants below it. The first descendant answers the
 * focal post; later ones answer someone in the thread.
 */
function conversationPlace(post: Element, pageUrl: URL): { isReply: boolean; parent: Element | null } {
  const none = { isReply: false, parent: null };
  const focal = focalPost(post.ownerDocument, pageUrl);
  if (!focal || !focal.matches('.detailed-status')) return none;
  const posts = listPosts(post.ownerDocument);
  const index = posts.indexOf(post);
  const focalIndex = posts.indexOf(focal);
  const above = posts[index - 1] ?? null;
  if (index <= focalIndex) return above ? { isReply: true, parent: above } : none;
  return { isReply: true, parent: above === focal ? focal : null };
}

// ---- profiles ----

function extractProfile(doc: Document, url: URL): ProfileInfo | null {
  const account = profileOfUrl(url);
  if (!account) return null;
  const header = doc.querySelector('.account__header');
  const nameBlock = header?.querySelector('.account__header__tabs__name h1') ?? null;
  const shownHandle = visibleTextOrNull(nameBlock?.querySelector('small span, small'));
  const handle =
    fullHandle(shownHandle?.split(/\s/)[0] ?? null, url.href) ??
    `${account.user}@${account.domain ?? url.hostname.toLowerCase()}`;
  const displayName = nameBlock?.querySelector(':scope > span') ?? null;
  return {
    platform: 'mastodon',
    displayName: visibleTextOrNull(displayName),
    handle,
    profileUrl: new URL(`/@${pathSegments(url)[0]?.slice(1) ?? account.user}`, url).href,
    bio: visibleTextOrNull(header?.querySelector('.account__header__content')),
    followersShown: countLinkedAs(header, 'followers'),
    followingShown: countLinkedAs(header, 'following'),
    postsShown: postsCountOf(header),
    joinedShown: fieldValue(header, /^joined$/i),
    accountId: null,
    verified: null,
    state: profileStateOf(doc, header, nameBlock),
  };
}

/** Counts are `<strong title="1,204">1.2K</strong> Followers`; the title holds the exact number, the text what was shown. */
function countLinkedAs(header: Element | null | undefined, end: string): string | null {
  const link = header?.querySelector(`.account__header__extra__links a[href$="/${end}"]`);
  return leadingCount(visibleTextOrNull(link?.querySelector('strong') ?? link));
}

function postsCountOf(header: Element | null | undefined): string | null {
  for (const link of Array.from(header?.querySelectorAll('.account__header__extra__links a') ?? [])) {
    if (/\bposts?\b/i.test(visibleText(link)))
      return leadingCount(visibleTextOrNull(link.querySelector('strong') ?? link));
  }
  return null;
}

function fieldValue(header: Element | null | undefined, label: RegExp): string | null {
  for (const dt of Array.from(header?.querySelectorAll('dl dt, .account__header__joined dt') ?? [])) {
    if (label.test(visibleText(dt))) return visibleTextOrNull(dt.nextElementSibling);
  }
  return null;
}

function profileStateOf(doc: Document, header: Element | null, nameBlock: Element | null): ProfileInfo['state'] {
  const clone = (doc.body ?? doc.documentElement).cloneNode(true) as Element;
  for (const post of Array.from(clone.querySelectorAll(POST))) post.remove();
  const notice = visibleText(clone)
    .replace(/\u2019/g, "'")
    .toLowerCase();
  if (notice.includes('account suspended') || notice.includes('has been suspended')) return 'suspended';
  if (!header && /profile unavailable|account not found|could not be found/.test(notice)) return 'not-found';
  if (nameBlock?.querySelector('.icon-lock, .fa-lock, [title="Locked"]')) return 'protected';
  if (header) return 'public';
  return doc.querySelector('a[href="/auth/sign_in"], a[href$="/auth/sign_in"]') ? 'login-wall' : 'unknown';
}
