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
import {
  extractMessage,
  MESSENGER_HOST,
  MESSENGER_MESSAGE,
  MESSENGER_THREAD,
  messengerKindOfUrl,
} from './facebook-messenger';
import { FACEBOOK_HOST_PATTERNS } from './hosts';
import type { AuthorInfo, PageKind, PostInfo, ProfileInfo, ShownTime, SiteAdapter } from './types';

/**
 * Facebook, both faces:
 * - www.facebook.com (the "Comet" React app): posts and comments are
 *   `div[role="article"]`, comments labelled `aria-label="Comment by …"` /
 *   `"Reply by … to …'s comment"`; a post's text is
 *   `[data-ad-preview="message"]` (or `data-ad-comet-preview`), its author
 *   `[data-ad-rendering-role="profile_name"]` or the header's `h2`–`h4` link;
 *   a comment's time is the link carrying `comment_id` (and
 *   `reply_comment_id` for a reply), which names both the comment and what it
 *   answers. Comet shows relative times only ("2h"), so `iso` stays null.
 * - m.facebook.com (touch site): a story is `[data-sigil~="story-div"]` with
 *   its ids and `publish_time` in the `data-ft` JSON; comments are
 *   `[data-sigil~="comment"]` with `data-commentid="<post>_<comment>"`,
 *   replies nested in their parent; times are `<abbr>`. Checked against a
 *   saved m.facebook.com post page from 2021.
 *
 * Messenger conversations (facebook.com/messages/t/…, www.messenger.com/t/…)
 * are read by `facebook-messenger.ts`.
 *
 * Permalinks are written on www.facebook.com without Facebook's tracking
 * parameters (`__cft__`, `__tn__`, `refid`…), so captures from either face
 * compare equal and carry no session tokens.
 */

const ORIGIN = 'https://www.facebook.com';
// Exactly the hosts in FACEBOOK_HOST_PATTERNS: elsewhere the content script is not there to read the page.
const HOSTS = new Set(['www.facebook.com', 'm.facebook.com', MESSENGER_HOST]);
/** Hosts whose links name Facebook pages (links elsewhere on the page may use any of them). */
const LINK_HOSTS = new Set([
  'www.facebook.com',
  'facebook.com',
  'm.facebook.com',
  'web.facebook.com',
  'mbasic.facebook.com',
]);

const WWW_ITEM = 'div[role="article"]';
const M_STORY = '[data-sigil~="story-div"]';
const M_COMMENT = '[data-sigil~="comment"]';
const ITEM = `${WWW_ITEM}, ${M_STORY}, ${M_COMMENT}`;
/**
 * What is listed and clicked: also Messenger's message rows, and not the
 * articles some Messenger threads draw messages in. Kept apart from ITEM,
 * which `own` tests on every element, because these selectors are slow in jsdom.
 */
const POST_OR_MESSAGE = `${WWW_ITEM}:not(${MESSENGER_THREAD.split(', ')
  .map((thread) => `${thread} *`)
  .join(', ')}), ${M_STORY}, ${M_COMMENT}, ${MESSENGER_MESSAGE}`;

/** Query parameters that name content; every other one is tracking or session state and is dropped. */
const KEPT_PARAMS = ['story_fbid', 'fbid', 'id', 'v', 'set', 'comment_id', 'reply_comment_id'];
const ID = /^[A-Za-z0-9]{1,80}$/;
const DIGITS = /^\d{1,25}$/;
const USERNAME = /^[A-Za-z0-9.]{1,80}$/;

/** First path segments that are Facebook's own pages, never a username. */
const RESERVED_PATHS = new Set([
  'home.php',
  'profile.php',
  'story.php',
  'permalink.php',
  'photo.php',
  'photo',
  'photos',
  'watch',
  'groups',
  'events',
  'marketplace',
  'gaming',
  'pages',
  'people',
  'search',
  'hashtag',
  'login',
  'login.php',
  'r.php',
  'reg',
  'help',
  'settings',
  'notifications',
  'messages',
  'friends',
  'bookmarks',
  'saved',
  'reel',
  'reels',
  'stories',
  'share',
  'sharer.php',
  'policies',
  'privacy',
  'legal',
  'business',
  'ads',
  'l.php',
  'comment',
  'browse',
  'ufi',
  'a',
  'memories',
  'fundraisers',
  'feeds',
  'latest',
  'video.php',
  'media',
]);
/** Profile tabs that still show the profile header. */
const PROFILE_TABS = new Set(['about', 'photos', 'videos', 'friends', 'followers', 'following', 'reels', 'posts']);

export const facebookAdapter: SiteAdapter = defineAdapter({
  platform: 'facebook',
  version: 1,
  hostPatterns: FACEBOOK_HOST_PATTERNS,
  matchesUrl: matchesHosts(HOSTS),
  postSelector: POST_OR_MESSAGE,
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

function isComment(item: Element): boolean {
  if (item.matches(M_COMMENT)) return true;
  return /^(?:comment|reply) by\b/i.test(item.getAttribute('aria-label') ?? '');
}

// ---- URLs ----

interface PostRef {
  /** The canonical post URL, without any comment. */
  url: string;
  id: string;
}

function facebookUrl(href: string | null | undefined, base: URL): URL | null {
  const absolute = absoluteUrl(href, base);
  if (!absolute) return null;
  const url = new URL(absolute);
  return LINK_HOSTS.has(url.hostname.toLowerCase()) ? url : null;
}

/** `url` on www.facebook.com with only the parameters that name content, in a fixed order. */
function canonical(url: URL, keep: readonly string[] = KEPT_PARAMS): string {
  const out = new URL(url.pathname.replace(/\/+$/, '') || '/', ORIGIN);
  for (const name of keep) {
    const value = url.searchParams.get(name);
    if (value) out.searchParams.set(name, value);
  }
  return out.href;
}

/**
 * The post a URL names: `/<user>/posts/<id>`, `/groups/<g>/posts|permalink/<id>`,
 * `/<user>/videos/<id>`, `/story.php|permalink.php?story_fbid=<id>&id=<owner>`,
 * `/photo/?fbid=<id>`, `/photo.php?fbid=<id>`, `/watch/?v=<id>`, `/reel/<id>`.
 */
function postRefOfUrl(url: URL): PostRef | null {
  const segments = pathSegments(url);
  const [first, second, third, fourth] = segments;
  const param = (name: string) => url.searchParams.get(name);
  const path = (parts: string[]) => `${ORIGIN}/${parts.join('/')}`;
  if (first === 'story.php' || first === 'permalink.php') {
    const id = param('story_fbid');
    return id && ID.test(id) ? { url: canonical(url, ['story_fbid', 'id']), id } : null;
  }
  if (first === 'photo.php' || (first === 'photo' && second === undefined)) {
    const id = param('fbid');
    return id && DIGITS.test(id) ? { url: canonical(url, ['fbid', 'set']), id } : null;
  }
  if (first === 'watch' && second === undefined) {
    const id = param('v');
    return id && DIGITS.test(id) ? { url: canonical(url, ['v']), id } : null;
  }
  if (first === 'reel' && second && DIGITS.test(second) && third === undefined)
    return { url: path([first, second]), id: second };
  if (first === 'groups' && second && (third === 'posts' || third === 'permalink') && fourth && ID.test(fourth)) {
    return { url: path([first, second, third, fourth]), id: fourth };
  }
  if (
    isUsername(first) &&
    (second === 'posts' || second === 'videos') &&
    third &&
    ID.test(third) &&
    fourth === undefined
  ) {
    return { url: path([first, second, third]), id: third };
  }
  return null;
}

function isUsername(segment: string | undefined): segment is string {
  return segment !== undefined && USERNAME.test(segment) && !RESERVED_PATHS.has(segment.toLowerCase());
}

interface ProfileRef {
  url: string;
  /** The vanity username, when the URL has one. */
  handle: string | null;
  /** The numeric account id, when the URL has one. */
  id: string | null;
}

/** A profile URL: `/<username>` (and its tabs), `/profile.php?id=<n>`, `/people/<name>/<n>`, `/groups/<g>/user/<n>`. */
function profileRefOfUrl(url: URL, allowTabs = true): ProfileRef | null {
  const [first, second, third, fourth] = pathSegments(url);
  if (first === 'profile.php') {
    const id = url.searchParams.get('id');
    return id && DIGITS.test(id) && (allowTabs || !url.searchParams.has('sk')) ? profileOfId(id) : null;
  }
  if (first === 'people' && second && third && DIGITS.test(third) && fourth === undefined) return profileOfId(third);
  if (first === 'groups' && second && third === 'user' && fourth && DIGITS.test(fourth)) return profileOfId(fourth);
  if (!isUsername(first) || third !== undefined) return null;
  if (second !== undefined && !(allowTabs && PROFILE_TABS.has(second))) return null;
  // Numeric paths (`/100064512345678`) are ids that Facebook redirects to the profile.
  if (DIGITS.test(first)) return profileOfId(first);
  return { url: `${ORIGIN}/${first}`, handle: first, id: null };
}

function profileOfId(id: string): ProfileRef {
  return { url: `${ORIGIN}/profile.php?id=${id}`, handle: null, id };
}

function kindOfUrl(url: URL): PageKind {
  const messenger = messengerKindOfUrl(url);
  if (messenger) return messenger;
  if (postRefOfUrl(url)) return 'post';
  if (profileRefOfUrl(url)) return 'profile';
  const [first, second] = pathSegments(url);
  if (first === undefined || first === 'home.php') return 'timeline';
  // `/groups/feed`, and a group's own page `/groups/<g>`, list posts.
  if (first === 'groups' && pathSegments(url).length <= 2) return 'timeline';
  if (first === 'watch' || first === 'search' || first === 'hashtag' || first === 'notifications') return 'timeline';
  return 'unknown';
}

// ---- which post a URL names ----

function mainPost(doc: Document, url: URL): Element | null {
  const ref = postRefOfUrl(url);
  const items = listPosts(doc);
  const stories = items.filter((item) => !isComment(item));
  const commentId = url.searchParams.get('reply_comment_id') ?? url.searchParams.get('comment_id');
  if (commentId) {
    const comment = items.find((item) => isComment(item) && commentIdsOf(item, url)?.comment === commentId);
    if (comment) return comment;
  }
  return (
    (ref ? stories.find((story) => storyRefOf(story, url)?.id === ref.id) : undefined) ?? stories[0] ?? items[0] ?? null
  );
}

// ---- stories (posts) ----

/** The m.facebook.com `data-ft` JSON of a story. */
function storyData(story: Element): unknown {
  return parseJson(story.getAttribute('data-ft') ?? '');
}

function storyRefOf(story: Element, base: URL): PostRef | null {
  for (const link of own(story, 'a[href]')) {
    const url = facebookUrl(link.getAttribute('href'), base);
    if (!url || url.searchParams.has('comment_id')) continue;
    const ref = postRefOfUrl(url);
    // Photo links inside a post name the photo, not the post.
    if (ref && !link.querySelector('img')) return ref;
  }
  // m.facebook.com: the ids are in data-ft even when no link is.
  const data = storyData(story);
  const id = field(data, 'top_level_post_id');
  const owner = field(data, 'content_owner_id_new');
  if (typeof id === 'string' && DIGITS.test(id)) {
    const url = new URL(`${ORIGIN}/story.php`);
    url.searchParams.set('story_fbid', id);
    if (typeof owner === 'string' && DIGITS.test(owner)) url.searchParams.set('id', owner);
    return { url: url.href, id };
  }
  return null;
}

/** The story's time link: the link to the post itself, as opposed to photo, profile or comment links. */
function storyTimeLink(story: Element, base: URL): Element | null {
  return (
    own(story, 'a[href]').find((link) => {
      const url = facebookUrl(link.getAttribute('href'), base);
      return (
        url !== null && !url.searchParams.has('comment_id') && postRefOfUrl(url) !== null && !link.querySelector('img')
      );
    }) ?? null
  );
}

function extractPost(item: Element, pageUrl: URL): PostInfo {
  if (item.matches(MESSENGER_MESSAGE)) return extractMessage(item, pageUrl, { authorFrom, mediaOf });
  return isComment(item) ? extractComment(item, pageUrl) : extractStory(item, pageUrl);
}

function extractStory(story: Element, pageUrl: URL): PostInfo {
  const ref = storyRefOf(story, pageUrl);
  return {
    platform: 'facebook',
    permalink: ref?.url ?? null,
    postId: ref?.id ?? null,
    author: storyAuthor(story, pageUrl),
    text: visibleTextOrNull(
      own(story, '[data-ad-preview="message"], [data-ad-comet-preview="message"], [data-gt*=\'"tn":"*s"\']')[0],
    ),
    shownTime: storyTime(story, pageUrl),
    mediaUrls: mediaOf(story, pageUrl),
    isReply: false,
    replyToUrl: null,
    // Shared posts are not read yet: their card markup was not checked against a saved page.
    quotedPostUrl: null,
  };
}

function storyAuthor(story: Element, base: URL): AuthorInfo {
  const link =
    own(story, '[data-ad-rendering-role="profile_name"] a[href]')[0] ??
    own(story, 'h2 a[href], h3 a[href], h4 a[href], header strong a[href]')[0] ??
    null;
  const name = own(story, '[data-ad-rendering-role="profile_name"]')[0] ?? link;
  return authorFrom(visibleTextOrNull(name?.querySelector('a') ?? name), link, base);
}

function authorFrom(displayName: string | null, link: Element | null, base: URL): AuthorInfo {
  const url = link ? facebookUrl(link.getAttribute('href'), base) : null;
  const profile = url ? profileRefOfUrl(url, false) : null;
  return { displayName, handle: profile?.handle ?? null, profileUrl: profile?.url ?? null };
}

/**
 * The time as shown; ISO only from a machine-readable time: m.facebook.com's
 * `publish_time` (seconds) in the story's `data-ft`, or the classic site's
 * `<abbr data-utime>`.
 */
function storyTime(story: Element, base: URL): ShownTime {
  const link = storyTimeLink(story, base);
  const abbr =
    link?.querySelector('abbr') ?? own(story, '[data-sigil="m-feed-voice-subtitle"] abbr, abbr[data-utime]')[0] ?? null;
  const raw = visibleTextOrNull(abbr) ?? visibleTextOrNull(link) ?? null;
  const insights = field(storyData(story), 'page_insights');
  const publishTime =
    typeof insights === 'object' && insights !== null
      ? Object.values(insights as Record<string, unknown>)
          .map((entry) => field(field(entry, 'post_context'), 'publish_time'))
          .find((value) => value !== undefined)
      : undefined;
  return { raw, iso: isoFromEpochSeconds(abbr?.getAttribute('data-utime')) ?? isoFromEpochSeconds(publishTime) };
}

/**
 * Photos and video posters on Facebook's CDN, not profile pictures or emoji
 * (emoji and icons come from static.xx.fbcdn.net).
 */
function mediaOf(item: Element, base: URL, elements: Element[] = own(item, 'img, video')): string[] {
  const values = elements.flatMap((el) => {
    if (el.tagName.toUpperCase() === 'VIDEO') return [el.getAttribute('poster')];
    const alt = el.getAttribute('alt') ?? '';
    if (
      el.matches('.profpic') ||
      /profile picture$/i.test(alt) ||
      el.closest('[data-ad-rendering-role="profile_name"], h2, h3, h4')
    ) {
      return [];
    }
    return [el.getAttribute('src')];
  });
  return uniqueUrls(values, base, (url) => {
    const host = url.hostname.toLowerCase();
    return host.endsWith('.fbcdn.net') && !host.startsWith('static.');
  });
}

// ---- comments ----

interface CommentIds {
  /** The comment's own id. */
  comment: string;
  /** The comment it answers, for a reply. */
  parent: string | null;
}

/** A comment's ids: from its time link's `comment_id` / `reply_comment_id` (www) or `data-commentid="<post>_<comment>"` (m). */
function commentIdsOf(comment: Element, base: URL): CommentIds | null {
  const link = commentTimeLink(comment, base);
  if (link) {
    const url = facebookUrl(link.getAttribute('href'), base);
    const top = url?.searchParams.get('comment_id');
    const reply = url?.searchParams.get('reply_comment_id');
    if (top && reply) return { comment: reply, parent: top };
    if (top) return { comment: top, parent: null };
  }
  const body = own(comment, '[data-commentid]')[0];
  const id = body?.getAttribute('data-commentid')?.split('_').pop();
  if (id && DIGITS.test(id)) {
    const parent = comment.parentElement?.closest(M_COMMENT) ?? null;
    const parentId = parent
      ? own(parent, '[data-commentid]')[0]?.getAttribute('data-commentid')?.split('_').pop()
      : null;
    return { comment: id, parent: parentId && DIGITS.test(parentId) ? parentId : null };
  }
  return null;
}

function commentTimeLink(comment: Element, base: URL): Element | null {
  return (
    own(comment, 'a[href*="comment_id="]').find((link) => {
      const url = facebookUrl(link.getAttribute('href'), base);
      // The author's name links to their profile with comment_id too; the time link goes to the post.
      return url !== null && postRefOfUrl(url) !== null;
    }) ?? null
  );
}

/** The post the comment is under: the story around it, the post its time link names, or the page's post. */
function commentPost(comment: Element, base: URL): PostRef | null {
  const story = comment.parentElement?.closest(M_STORY) ?? null;
  if (story) return storyRefOf(story, base);
  const link = commentTimeLink(comment, base);
  const fromLink = link ? facebookUrl(link.getAttribute('href'), base) : null;
  const ref = fromLink ? postRefOfUrl(fromLink) : null;
  if (ref) return ref;
  const wwwStory = comment.parentElement?.closest(WWW_ITEM);
  if (wwwStory && !isComment(wwwStory)) return storyRefOf(wwwStory, base);
  const pageRef = postRefOfUrl(base);
  if (pageRef) return pageRef;
  const stories = listPosts(comment.ownerDocument).filter((item) => !isComment(item));
  return stories.length === 1 && stories[0] ? storyRefOf(stories[0], base) : null;
}

function withComment(postUrl: string, ids: CommentIds): string {
  const url = new URL(postUrl);
  url.searchParams.set('comment_id', ids.parent ?? ids.comment);
  if (ids.parent) url.searchParams.set('reply_comment_id', ids.comment);
  return url.href;
}

function extractComment(comment: Element, pageUrl: URL): PostInfo {
  const ids = commentIdsOf(comment, pageUrl);
  const post = commentPost(comment, pageUrl);
  const timeLink = commentTimeLink(comment, pageUrl);
  const time = timeLink ?? own(comment, '[data-sigil="ufi-inline-comment-actions"] abbr, abbr')[0] ?? null;
  let replyToUrl: string | null = null;
  if (post) replyToUrl = ids?.parent ? withComment(post.url, { comment: ids.parent, parent: null }) : post.url;
  return {
    platform: 'facebook',
    permalink: post && ids ? withComment(post.url, ids) : null,
    postId: ids?.comment ?? null,
    author: commentAuthor(comment, pageUrl),
    text: commentText(comment),
    shownTime: { raw: visibleTextOrNull(time), iso: isoFromEpochSeconds(time?.getAttribute('data-utime')) },
    mediaUrls: mediaOf(comment, pageUrl),
    isReply: true,
    replyToUrl,
    quotedPostUrl: null,
  };
}

function commentText(comment: Element): string | null {
  const mBody = own(comment, '[data-sigil="comment-body"]')[0];
  if (mBody) return visibleTextOrNull(mBody);
  // Comet: the text is the comment's dir="auto" blocks outside its author line.
  const blocks = own(comment, 'div[dir="auto"]').filter((el) => !el.closest('a, h2, h3, h4'));
  const text = blocks
    .map((el) => visibleText(el))
    .filter(Boolean)
    .join('\n');
  return text || null;
}

/**
 * www: the first profile link in the comment (`aria-label="Comment by <Name>"`
 * confirms the name). m: the element before the comment body names the
 * author, linked when logged in; logged out only the name and the
 * `feed_story_ring<id>` account id around the avatar are shown.
 */
function commentAuthor(comment: Element, base: URL): AuthorInfo {
  const mBody = own(comment, '[data-sigil="comment-body"]')[0];
  if (mBody) {
    const nameBlock = mBody.previousElementSibling;
    const link = nameBlock?.querySelector('a[href]') ?? null;
    const fromLink = authorFrom(visibleTextOrNull(nameBlock), link, base);
    if (fromLink.profileUrl) return fromLink;
    const ring = own(comment, '[data-sigil^="feed_story_ring"]')[0]?.getAttribute('data-sigil') ?? '';
    const id = /^feed_story_ring(\d+)$/.exec(ring)?.[1];
    return { ...fromLink, profileUrl: id ? profileOfId(id).url : null };
  }
  const label = /^(?:comment|reply) by (.+?)(?: to .+'s comment)?(?: \d.*)?$/i.exec(
    (comment.getAttribute('aria-label') ?? '').replace(/\u2019/g, "'"),
  )?.[1];
  const link =
    own(comment, 'a[href]').find((a) => {
      const url = facebookUrl(a.getAttribute('href'), base);
      return url !== null && profileRefOfUrl(url, false) !== null && visibleText(a) !== '';
    }) ?? null;
  return authorFrom(visibleTextOrNull(link) ?? label ?? null, link, base);
}

// ---- profiles ----

const LOGIN_FORM = '#login_form, form[action*="/login"], input[name="pass"]';

function extractProfile(doc: Document, url: URL): ProfileInfo | null {
  const ref = url.hostname.toLowerCase() === MESSENGER_HOST ? null : profileRefOfUrl(url);
  if (!ref) return null;
  const heading = doc.querySelector('[role="main"] h1, #cover-name-root h3, h1');
  const notice = noticeText(doc, ITEM);
  return {
    platform: 'facebook',
    displayName: visibleTextOrNull(heading),
    handle: ref.handle,
    profileUrl: ref.url,
    bio: introBio(doc),
    followersShown: countLinkedAs(doc, 'followers'),
    followingShown: countLinkedAs(doc, 'following'),
    postsShown: null,
    joinedShown: joinedOf(doc),
    accountId: ref.id ?? accountIdOf(doc),
    verified: heading
      ? heading.querySelector('[aria-label="Verified account"], [title="Verified account"]') !== null
      : null,
    state: profileState(doc, heading, notice),
  };
}

/** "1.2K followers": the link to the tab, outside posts. */
function countLinkedAs(doc: Document, tab: string): string | null {
  for (const link of Array.from(doc.querySelectorAll(`a[href*="/${tab}"], a[href*="sk=${tab}"]`))) {
    if (link.closest(ITEM)) continue;
    const count = leadingCount(visibleText(link));
    if (count) return count;
  }
  return null;
}

/** The "Intro" card: its heading, then the bio as the first block of text under it. */
function introBio(doc: Document): string | null {
  const heading = Array.from(doc.querySelectorAll('h2, h3')).find(
    (h) => !h.closest(ITEM) && /^intro$/i.test(visibleText(h)),
  );
  const card = heading?.closest('section, [role="region"]') ?? heading?.parentElement ?? null;
  const bio = card
    ? Array.from(card.querySelectorAll('[data-profile-bio], div[dir="auto"], span[dir="auto"]')).find(
        (el) => !el.closest('ul'),
      )
    : null;
  return visibleTextOrNull(bio);
}

/** The Intro card's "Joined <month year>" line, when shown. */
function joinedOf(doc: Document): string | null {
  for (const el of Array.from(doc.querySelectorAll('li, span, div'))) {
    if (el.closest(ITEM) || el.children.length > 1) continue;
    const text = visibleText(el);
    if (/^joined (?:on )?[a-z]+ \d{4}$/i.test(text)) return text;
  }
  return null;
}

/** The account id from the app-link meta Facebook puts on profiles (`fb://profile/<id>`, `fb://page/?id=<id>`). */
function accountIdOf(doc: Document): string | null {
  for (const meta of Array.from(doc.querySelectorAll('meta[property="al:android:url"], meta[property="al:ios:url"]'))) {
    const match = /^fb:\/\/(?:profile\/|page\/\?id=)(\d+)/.exec(meta.getAttribute('content') ?? '');
    if (match?.[1]) return match[1];
  }
  return null;
}

function profileState(doc: Document, heading: Element | null, notice: string): ProfileInfo['state'] {
  if (/this (?:content|page) isn't available|the link you followed may be broken|page not found/.test(notice)) {
    return 'not-found';
  }
  if (/locked (?:their|his|her) profile|only .* friends can see/.test(notice)) return 'protected';
  if (heading) return 'public';
  if (
    doc.querySelector(LOGIN_FORM) ||
    /you must log in to continue|log in to facebook|log into facebook/.test(notice)
  ) {
    return 'login-wall';
  }
  return 'unknown';
}
