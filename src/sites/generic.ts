import { absoluteUrl, isoFromDatetime, uniqueUrls, visibleText, visibleTextOrNull } from './dom';
import type { AuthorInfo, Platform, PostInfo } from './types';

/**
 * An element the user picked themselves, on any site: a comment under a news
 * article, a forum post, a review. Only what the markup itself declares is
 * read, in the vocabularies publishers use for exactly this:
 * - microformats2 `h-entry` (`p-author`/`h-card`, `dt-published`, `u-url`,
 *   `e-content`, `u-in-reply-to`), which WordPress themes and the IndieWeb emit;
 * - schema.org microdata (`itemprop="author"`, `datePublished`, `text`, `url`);
 * - `rel="author"` and `rel="in-reply-to"` links, WordPress's `comment-author`
 *   and `comment-content`, and the element's own `<time datetime>`.
 * Anything not declared stays null: the text falls back to everything the
 * element shows, because that is what the user pointed at.
 */

/** Entries that may nest inside the one picked (replies under a comment), whose fields are theirs, not its. */
const ENTRY = '.h-entry, [itemscope], .comment';
const AUTHOR = '.p-author, .h-card, [itemprop="author"], .comment-author, [rel~="author"]';
const AUTHOR_NAME = '.p-name, .fn, [itemprop="name"]';
const AUTHOR_LINK = 'a.u-url[href], a[itemprop="url"][href], a[rel~="author"][href], a.url[href]';
const CONTENT =
  '.e-content, .p-content, [itemprop="text"], [itemprop="articleBody"], [itemprop="reviewBody"], .comment-content';
const PUBLISHED = '.dt-published, [itemprop="datePublished"], [itemprop="dateCreated"], time[datetime]';
const PERMALINK =
  'a.u-url[href]:not(.p-author a), a[itemprop="url"][href]:not([itemprop="author"] a), a[rel~="bookmark"][href]';
const REPLY_TO = 'a.u-in-reply-to[href], a[rel~="in-reply-to"][href]';

/** How a picked element's fields are recorded as read (its `adapter` block), and the version of this reading. */
export const PICKED_STRATEGY = 'picked element: microformats, microdata or its whole text';
export const PICKED_VERSION = 1;

export function extractPickedElement(element: Element, pageUrl: URL, platform: Platform): PostInfo {
  const own = (selector: string) => ownFirst(element, selector);
  const replyToUrl = absoluteUrl(own(REPLY_TO)?.getAttribute('href'), pageUrl);
  return {
    platform,
    permalink: permalinkOf(element, own, pageUrl),
    postId: null,
    author: authorOf(element, own, pageUrl),
    text: visibleTextOrNull(own(CONTENT)) ?? (visibleText(element) || null),
    shownTime: publishedOf(own),
    mediaUrls: uniqueUrls(
      Array.from(element.querySelectorAll('img[src]'), (img) => img.getAttribute('src')),
      pageUrl,
    ),
    isReply: replyToUrl !== null,
    replyToUrl,
    quotedPostUrl: null,
  };
}

/** The first match that belongs to `element` itself rather than to an entry nested inside it. */
function ownFirst(element: Element, selector: string): Element | null {
  for (const match of element.querySelectorAll(selector)) {
    const entry = match.parentElement?.closest(ENTRY);
    if (!entry || entry === element || !element.contains(entry)) return match;
  }
  return null;
}

type Own = (selector: string) => Element | null;

function authorOf(element: Element, own: Own, pageUrl: URL): AuthorInfo {
  const author = element.matches(AUTHOR) ? element : own(AUTHOR);
  if (!author) return { displayName: null, handle: null, profileUrl: null };
  const link = author.matches('a[href]') ? author : author.querySelector(AUTHOR_LINK);
  const name = author.querySelector(AUTHOR_NAME) ?? author;
  return {
    displayName: visibleTextOrNull(name) ?? name.getAttribute('content'),
    handle: null,
    profileUrl: absoluteUrl(link?.getAttribute('href'), pageUrl),
  };
}

/**
 * The element's own link when it declares one; else, when it has an id, the
 * page address pointing at it (`#comment-42`), which browsers scroll to.
 */
function permalinkOf(element: Element, own: Own, pageUrl: URL): string | null {
  const declared = absoluteUrl(own(PERMALINK)?.getAttribute('href'), pageUrl);
  if (declared) return declared;
  const timeLink = own(PUBLISHED)?.closest('a[href]');
  const viaTime = absoluteUrl(timeLink?.getAttribute('href'), pageUrl);
  if (viaTime) return viaTime;
  if (!element.id) return null;
  const url = new URL(pageUrl.href);
  url.hash = element.id;
  return url.href;
}

function publishedOf(own: Own): { raw: string | null; iso: string | null } {
  const published = own(PUBLISHED);
  if (!published) return { raw: null, iso: null };
  // Microdata may carry the time in `content` (on a <meta>, which shows nothing) rather than in a <time>.
  const time = published.matches('time') ? published : published.querySelector('time');
  const machine =
    time?.getAttribute('datetime') ?? published.getAttribute('datetime') ?? published.getAttribute('content');
  return { raw: visibleTextOrNull(published), iso: isoFromDatetime(machine) };
}
