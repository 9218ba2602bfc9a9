import { absoluteUrl, isoFromDatetime, leadingCount, pathSegments, visibleText, visibleTextOrNull } from './dom';
import { defineAdapter, postsIn } from './define';
import { REDDIT_HOST_PATTERNS } from './hosts';
import type { AuthorInfo, PageKind, PostInfo, ProfileInfo, ShownTime, SiteAdapter } from './types';

/**
 * Reddit, both faces:
 * - new Reddit ("shreddit", www.reddit.com): custom elements whose attributes
 *   carry the facts (`<shreddit-post permalink author id created-timestamp>`,
 *   `<shreddit-comment thingid author permalink parentid depth>`), slots for
 *   title and body, `<faceplate-timeago ts>` for times. Checked against a
 *   saved shreddit post page from 2024.
 * - old Reddit (old.reddit.com): `.thing` divs with `data-fullname`,
 *   `data-author`, `data-permalink`, and `time[datetime]` in the tagline.
 *
 * Ids are Reddit "fullnames" (`t3_…` a post, `t1_…` a comment). Permalinks
 * are written on www.reddit.com so old and new captures of one post compare equal.
 */

const ORIGIN = 'https://www.reddit.com';
// Exactly the hosts in REDDIT_HOST_PATTERNS: elsewhere the content script is not there to read the page.
const NEW_HOSTS = new Set(['www.reddit.com']);
const OLD_HOSTS = new Set(['old.reddit.com']);

const NEW_POST = 'shreddit-post';
const NEW_COMMENT = 'shreddit-comment';
const NEW_ITEM = `${NEW_POST}, ${NEW_COMMENT}`;
const OLD_ITEM = '.thing[data-fullname^="t3_"], .thing[data-fullname^="t1_"]';
const ANY_ITEM = `${NEW_ITEM}, ${OLD_ITEM}`;

const USERNAME = /^[A-Za-z0-9_-]{1,40}$/;
/** Hosts of media posted to Reddit itself (avatars and community icons live elsewhere). */
const MEDIA_HOSTS = new Set(['i.redd.it', 'preview.redd.it', 'external-preview.redd.it', 'v.redd.it']);

export const redditAdapter: SiteAdapter = defineAdapter({
  platform: 'reddit',
  version: 1,
  everyPostLinked: true,
  hostPatterns: REDDIT_HOST_PATTERNS,
  matchesUrl: (url) => {
    const host = url.hostname.toLowerCase();
    return NEW_HOSTS.has(host) || OLD_HOSTS.has(host);
  },
  postSelector: ANY_ITEM,
  kindOfUrl,
  focalPost: mainPost,
  extractPost,
  extractProfile,
});

function listPosts(doc: Document): Element[] {
  return postsIn(doc, ANY_ITEM);
}

function isOld(item: Element): boolean {
  return item.matches(OLD_ITEM);
}

// ---- URLs ----

interface PathRef {
  subreddit: string | null;
  postId: string;
  commentId: string | null;
}

/**
 * `/r/<sub>/comments/<id>/<slug>/`, with a comment as `/comment/<cid>/`
 * (new) or `/<slug>/<cid>/` (old); also `/comments/<id>` and user posts
 * `/user/<name>/comments/<id>/…`.
 */
function refOfPath(url: URL): PathRef | null {
  const segments = pathSegments(url);
  const at = segments.indexOf('comments');
  if (at < 0) return null;
  const postId = segments[at + 1];
  if (!postId || !/^[a-z0-9]{1,12}$/i.test(postId)) return null;
  const subreddit = segments[0] === 'r' && at === 2 ? (segments[1] ?? null) : null;
  const rest = segments.slice(at + 2);
  const marked = rest.indexOf('comment');
  const candidate = marked >= 0 ? rest[marked + 1] : rest[1];
  const commentId = candidate && /^[a-z0-9]{1,12}$/i.test(candidate) ? candidate : null;
  return { subreddit, postId: postId.toLowerCase(), commentId: commentId?.toLowerCase() ?? null };
}

function profileNameOfUrl(url: URL): string | null {
  const [first, name, tab, ...rest] = pathSegments(url);
  if ((first !== 'user' && first !== 'u') || !name || !USERNAME.test(name) || rest.length > 0) return null;
  return tab === undefined || ['overview', 'submitted', 'comments', 'posts'].includes(tab) ? name : null;
}

function kindOfUrl(url: URL): PageKind {
  if (refOfPath(url)) return 'post';
  if (profileNameOfUrl(url)) return 'profile';
  const [first, second, third] = pathSegments(url);
  if (first === undefined) return 'timeline';
  if (
    first === 'r' &&
    second &&
    (third === undefined || ['hot', 'new', 'top', 'rising', 'controversial'].includes(third))
  ) {
    return 'timeline';
  }
  if (first === 'search' || ['hot', 'new', 'top', 'rising', 'best'].includes(first)) return 'timeline';
  return 'unknown';
}

/** A site-relative or absolute Reddit permalink rewritten on www.reddit.com, without query or fragment. */
function canonicalPermalink(href: string | null | undefined, base: URL): string | null {
  const absolute = absoluteUrl(href, base);
  if (!absolute) return null;
  const url = new URL(absolute);
  const host = url.hostname.toLowerCase();
  if (!NEW_HOSTS.has(host) && !OLD_HOSTS.has(host)) return null;
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return `${ORIGIN}${path}`;
}

function profileUrlOf(name: string): string {
  return `${ORIGIN}/user/${name}/`;
}

/** A username as Reddit shows it; "[deleted]" and empty mean the page names nobody. */
function usernameOrNull(value: string | null | undefined): string | null {
  const name = value?.trim().replace(/^u\//, '');
  return name && USERNAME.test(name) ? name : null;
}

function authorOf(name: string | null): AuthorInfo {
  // Reddit shows the username; a separate display name appears only on the profile page.
  return { displayName: null, handle: name, profileUrl: name ? profileUrlOf(name) : null };
}

// ---- which item a URL names ----

function fullnameOf(item: Element): string | null {
  const value = isOld(item)
    ? item.getAttribute('data-fullname')
    : item.tagName.toLowerCase() === NEW_COMMENT
      ? item.getAttribute('thingid')
      : item.getAttribute('id');
  return value && /^t[13]_[a-z0-9]+$/i.test(value) ? value.toLowerCase() : null;
}

function mainPost(doc: Document, url: URL): Element | null {
  const ref = refOfPath(url);
  if (!ref) return null;
  const wanted = ref.commentId ? `t1_${ref.commentId}` : `t3_${ref.postId}`;
  const items = listPosts(doc);
  return (
    items.find((item) => fullnameOf(item) === wanted) ??
    items.find((item) => fullnameOf(item) === `t3_${ref.postId}`) ??
    items[0] ??
    null
  );
}

// ---- posts and comments ----

/** Elements of `item` that belong to it, not to a comment nested inside it. */
function own(item: Element, selector: string): Element[] {
  return Array.from(item.querySelectorAll(selector)).filter((el) => el.parentElement?.closest(ANY_ITEM) === item);
}

function extractPost(item: Element, pageUrl: URL): PostInfo {
  return isOld(item) ? extractOld(item, pageUrl) : extractNew(item, pageUrl);
}

function extractNew(item: Element, pageUrl: URL): PostInfo {
  const isComment = item.tagName.toLowerCase() === NEW_COMMENT;
  const fullname = fullnameOf(item);
  const author = usernameOrNull(item.getAttribute('author'));
  const timeago = own(item, 'faceplate-timeago')[0] ?? null;
  let text: string | null;
  if (isComment) {
    text = visibleTextOrNull(own(item, '[slot="comment"]')[0]);
  } else {
    const title = visibleTextOrNull(own(item, '[slot="title"]')[0]) ?? item.getAttribute('post-title')?.trim() ?? null;
    const body = visibleTextOrNull(own(item, '[slot="text-body"]')[0]);
    text = [title, body].filter(Boolean).join('\n\n') || null;
  }
  return {
    platform: 'reddit',
    permalink: canonicalPermalink(item.getAttribute('permalink'), pageUrl),
    postId: fullname,
    author: authorOf(author),
    text,
    shownTime: newShownTime(timeago, isComment ? item.getAttribute('created') : item.getAttribute('created-timestamp')),
    mediaUrls: isComment ? mediaOf(own(item, '[slot="comment"] img'), pageUrl) : newPostMedia(item, pageUrl),
    isReply: isComment,
    replyToUrl: isComment ? newParentUrl(item, pageUrl) : null,
    // Crossposts are not read yet: their card markup was not checked against a saved page.
    quotedPostUrl: null,
  };
}

/** `<faceplate-timeago ts>` renders `<time datetime title>3 hr. ago</time>` once its script runs; before that only `ts` is there. */
function newShownTime(timeago: Element | null, fallbackTs: string | null): ShownTime {
  const time = timeago?.querySelector('time') ?? null;
  return {
    raw: visibleTextOrNull(time) ?? visibleTextOrNull(timeago),
    iso:
      isoFromDatetime(time?.getAttribute('datetime')) ??
      isoFromDatetime(timeago?.getAttribute('ts')) ??
      isoFromDatetime(fallbackTs),
  };
}

function mediaOf(elements: Element[], base: URL): string[] {
  const urls = elements
    .flatMap((el) => [el.getAttribute('src'), el.getAttribute('poster')])
    .map((src) => absoluteUrl(src, base))
    .filter((url): url is string => url !== null && MEDIA_HOSTS.has(new URL(url).hostname.toLowerCase()));
  return [...new Set(urls)];
}

function newPostMedia(item: Element, base: URL): string[] {
  return mediaOf(own(item, 'img, shreddit-player, shreddit-player-2, video'), base);
}

/**
 * A reply's parent is the comment around it (its `parentid`); a top-level
 * comment answers the post. Either is linked only when the page holds it.
 */
function newParentUrl(item: Element, base: URL): string | null {
  const parentId = item.getAttribute('parentid')?.toLowerCase();
  const doc = item.ownerDocument;
  if (parentId) {
    const parent = Array.from(doc.querySelectorAll(NEW_COMMENT)).find((el) => fullnameOf(el) === parentId);
    return parent ? canonicalPermalink(parent.getAttribute('permalink'), base) : null;
  }
  const postId = item.getAttribute('postid')?.toLowerCase();
  const post = Array.from(doc.querySelectorAll(NEW_POST)).find((el) => !postId || fullnameOf(el) === postId);
  return post ? canonicalPermalink(post.getAttribute('permalink'), base) : null;
}

function extractOld(item: Element, pageUrl: URL): PostInfo {
  const isComment = (item.getAttribute('data-fullname') ?? '').startsWith('t1_');
  const time = own(item, '.tagline time[datetime]')[0] ?? null;
  const body = own(item, '.usertext-body .md')[0] ?? null;
  let text: string | null;
  if (isComment) {
    text = visibleTextOrNull(body);
  } else {
    const title = visibleTextOrNull(own(item, 'a.title')[0]);
    text = [title, visibleTextOrNull(body)].filter(Boolean).join('\n\n') || null;
  }
  const linked = isComment ? null : absoluteUrl(item.getAttribute('data-url'), pageUrl);
  const media = mediaOf(own(item, '.expando img, .expando video, .media-preview img'), pageUrl);
  if (linked && MEDIA_HOSTS.has(new URL(linked).hostname.toLowerCase()) && !media.includes(linked))
    media.unshift(linked);
  return {
    platform: 'reddit',
    permalink: canonicalPermalink(item.getAttribute('data-permalink'), pageUrl),
    postId: fullnameOf(item),
    author: authorOf(usernameOrNull(item.getAttribute('data-author'))),
    text,
    shownTime: { raw: visibleTextOrNull(time), iso: isoFromDatetime(time?.getAttribute('datetime')) },
    mediaUrls: media,
    isReply: isComment,
    replyToUrl: isComment ? oldParentUrl(item, pageUrl) : null,
    quotedPostUrl: null,
  };
}

/** Old Reddit nests a reply in its parent's `.child`; a top-level comment answers the post on the page. */
function oldParentUrl(item: Element, base: URL): string | null {
  const parent =
    item.parentElement?.closest(OLD_ITEM) ?? item.ownerDocument.querySelector('.thing[data-fullname^="t3_"]');
  return parent ? canonicalPermalink(parent.getAttribute('data-permalink'), base) : null;
}

// ---- profiles ----

function extractProfile(doc: Document, url: URL): ProfileInfo | null {
  const urlName = profileNameOfUrl(url);
  if (!urlName) return null;
  return doc.querySelector('.side .titlebox, body.profile-page') ? oldProfile(doc, urlName) : newProfile(doc, urlName);
}

/** The account's `t2_` id, from posts on its own profile that carry `author-id` (new) or `data-author-fullname` (old). */
function accountIdFromItems(doc: Document, name: string): string | null {
  for (const item of Array.from(doc.querySelectorAll('[author-id], [data-author-fullname]'))) {
    const author = item.getAttribute('author') ?? item.getAttribute('data-author');
    const id = item.getAttribute('author-id') ?? item.getAttribute('data-author-fullname');
    if (author?.toLowerCase() === name.toLowerCase() && id && /^t2_[a-z0-9]+$/i.test(id)) return id;
  }
  return null;
}

function pageNotice(doc: Document): string {
  const clone = (doc.body ?? doc.documentElement).cloneNode(true) as Element;
  for (const item of Array.from(clone.querySelectorAll(ANY_ITEM))) item.remove();
  return visibleText(clone)
    .replace(/\u2019/g, "'")
    .toLowerCase();
}

function stateFromNotice(notice: string, found: boolean): ProfileInfo['state'] {
  if (notice.includes('this account has been suspended')) return 'suspended';
  if (notice.includes('nobody on reddit goes by that name') || notice.includes('page not found')) return 'not-found';
  if (
    notice.includes('log in to view') ||
    notice.includes('you must be 18+') ||
    notice.includes('sign in to continue')
  ) {
    return 'login-wall';
  }
  return found ? 'public' : 'unknown';
}

/**
 * New Reddit's profile header: the display name as the page heading, the
 * "u/name" line under it, and labelled stats ("Followers", "Cake day").
 */
function newProfile(doc: Document, urlName: string): ProfileInfo {
  const header = doc.querySelector('[data-testid="profile-main"], shreddit-profile-header, main') ?? doc.body;
  const heading = header?.querySelector('h1') ?? null;
  const shownName = header
    ? Array.from(header.querySelectorAll('p, span, div'))
        .filter((el) => !el.closest(ANY_ITEM) && el.children.length === 0)
        .map((el) => /^u\/([A-Za-z0-9_-]{1,40})$/.exec(visibleText(el))?.[1])
        .find((name): name is string => Boolean(name))
    : undefined;
  const name = shownName ?? urlName;
  const displayName = visibleTextOrNull(heading);
  return {
    platform: 'reddit',
    displayName,
    handle: name,
    profileUrl: profileUrlOf(name),
    bio: visibleTextOrNull(doc.querySelector('[data-testid="profile-description"]')),
    followersShown: statLabelled(doc, /^followers?$/i),
    followingShown: null,
    postsShown: null,
    joinedShown: joinedOf(doc),
    accountId: accountIdFromItems(doc, name),
    verified: null,
    state: stateFromNotice(pageNotice(doc), heading !== null),
  };
}

/** A stat as "<value> <label>" pairs: `<p data-testid="…">1,204</p><p>Followers</p>` or "1,204 followers". */
function statLabelled(doc: Document, label: RegExp): string | null {
  for (const el of Array.from(doc.querySelectorAll('p, span, div'))) {
    if (el.closest(ANY_ITEM) || el.children.length > 0 || !label.test(visibleText(el))) continue;
    const value = leadingCount(visibleTextOrNull(el.previousElementSibling));
    if (value) return value;
  }
  return null;
}

function joinedOf(doc: Document): string | null {
  const cake = doc.querySelector('[data-testid="cake-day"]');
  if (cake) return visibleTextOrNull(cake);
  return null;
}

/** Old Reddit's sidebar: `.titlebox h1` is the username, karma and "redditor for …" under it. */
function oldProfile(doc: Document, urlName: string): ProfileInfo {
  const titlebox = doc.querySelector('.side .titlebox');
  const name = usernameOrNull(visibleTextOrNull(titlebox?.querySelector('h1'))) ?? urlName;
  return {
    platform: 'reddit',
    displayName: null,
    handle: name,
    profileUrl: profileUrlOf(name),
    bio: null,
    followersShown: null,
    followingShown: null,
    postsShown: null,
    joinedShown: visibleTextOrNull(titlebox?.querySelector('.age')),
    accountId: accountIdFromItems(doc, name),
    verified: null,
    state: stateFromNotice(pageNotice(doc), titlebox !== null),
  };
}
