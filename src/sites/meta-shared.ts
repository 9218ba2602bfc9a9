import { leadingCount, uniqueUrls, visibleText } from './dom';
import type { ProfileInfo } from './types';

/**
 * What Instagram and Threads draw alike. Threads runs on Instagram accounts
 * and Meta's shared web components, so the two apps spell usernames, page
 * titles, profile counts, photo CDNs, "… reposted" labels and account
 * notices the same way.
 */

/** An Instagram username, which is also the Threads one: letters, digits, `.` and `_`, at most 30. */
export const META_HANDLE = /^[A-Za-z0-9._]{1,30}$/;

/**
 * Elements that are the app's own controls and labels rather than what a
 * person wrote: a post's or comment's text is never inside one of them.
 */
const CONTROLS = 'a, time, button, [role="button"], [role="link"], section, h2, h3, h4, h5, h6';

/**
 * Whether `el` sits in a link, button, time, heading or actions `section`
 * of `item`. Only elements up to `item` count: Instagram wraps whole
 * comments in `div[role="button"]`.
 */
export function inControl(el: Element, item: Element): boolean {
  return within(el, item, CONTROLS);
}

/** Whether `el`, or an element between it and `item`, matches `selector`. */
export function within(el: Element, item: Element, selector: string): boolean {
  return someUpTo(el, item, (node) => node.matches(selector));
}

function someUpTo(el: Element, item: Element, test: (node: Element) => boolean): boolean {
  for (let node: Element | null = el; node && node !== item; node = node.parentElement) {
    if (test(node)) return true;
  }
  return false;
}

/**
 * A profile's display name from the page's title: both apps title a
 * profile "Gary Thornbury (@gary.thornbury77) • Instagram photos and videos"
 * (or "• Threads"), in `<title>` and in `og:title`. The document title is
 * read first because the apps keep it current while navigating; the `og:`
 * tag is what a full page load carries. Only a title naming `handle` counts,
 * so a title left over from another page is never read as this one's.
 */
export function titledProfileName(doc: Document, handle: string): string | null {
  const titles = [doc.title, doc.querySelector('meta[property="og:title"]')?.getAttribute('content') ?? ''];
  for (const title of titles) {
    const match = /^(.*?)\s*\(@([A-Za-z0-9._]{1,30})\)/.exec(title.trim());
    if (match?.[2]?.toLowerCase() === handle.toLowerCase()) return match[1]?.trim() || null;
  }
  return null;
}

/**
 * A count as the profile header shows it beside its label ("1,204
 * followers", "48 posts"): the first element under `root` whose whole text
 * is a count and then `label`, a regular-expression fragment ("followers?"
 * for "1 follower" too). Meta shows a rounded count ("1.2M") with the exact
 * one only on hover, so the shown one is what was observed.
 */
export function countShownAs(root: Element, label: string): string | null {
  const pattern = new RegExp(`^\\d[\\d.,]*\\s?[KMB]?\\s+${label}$`, 'i');
  for (const el of Array.from(root.querySelectorAll('a, li, span, div'))) {
    const text = visibleText(el);
    if (pattern.test(text)) return leadingCount(text);
  }
  return null;
}

/**
 * Photos, video posters and videos on Meta's CDNs (`*.cdninstagram.com`,
 * `*.fbcdn.net`), without profile pictures (alt "<handle>'s profile
 * picture", or an image inside a link to a profile) and without the apps'
 * own icons on `static.cdninstagram.com`.
 */
export function metaMediaUrls(
  elements: readonly Element[],
  base: URL,
  isProfileLink: (link: Element) => boolean,
): string[] {
  const values = elements.flatMap((el) => {
    // A video's own address only when it is one: Instagram plays from blob: URLs, which uniqueUrls drops.
    if (el.tagName.toUpperCase() === 'VIDEO') return [el.getAttribute('poster'), el.getAttribute('src')];
    const link = el.closest('a[href]');
    if (/profile picture$/i.test(el.getAttribute('alt') ?? '') || (link && isProfileLink(link))) return [];
    return [el.getAttribute('src')];
  });
  return uniqueUrls(values, base, (url) => {
    const host = url.hostname.toLowerCase();
    return (host.endsWith('.cdninstagram.com') || host.endsWith('.fbcdn.net')) && !host.startsWith('static.');
  });
}

const REPOST_LABEL = /^\S+ reposted$/i;

/**
 * Whether `el` sits in the "gary.thornbury77 reposted" line above a repost,
 * whose link names the person who reposted, not the author.
 */
export function inRepostLabel(el: Element, item: Element): boolean {
  return someUpTo(el, item, (node) => REPOST_LABEL.test(visibleText(node)));
}

/** Login forms of both apps: a password field. */
const LOGIN_FORM = 'input[name="password"], input[type="password"]';

/**
 * A profile's state from the page's notices (`noticeText`, outside posts)
 * and whether the profile header was drawn. The notices are the apps'
 * English wording. Neither app says an account was suspended: a disabled
 * account shows the same "isn't available" page as one that never existed,
 * so it reads as not-found.
 */
export function metaProfileState(doc: Document, notice: string, headerShown: boolean): ProfileInfo['state'] {
  if (/sorry, this page isn't available|profile isn't available|the link you followed may be broken/.test(notice)) {
    return 'not-found';
  }
  if (/this (?:account|profile) is private/.test(notice)) return 'protected';
  if (headerShown) return 'public';
  if (doc.querySelector(LOGIN_FORM) || /log in to (?:see|continue)|log in or sign up/.test(notice)) return 'login-wall';
  return 'unknown';
}

// A numeric constant, because the global `Node` does not exist in the CLI's Node.js realm.
export const DOCUMENT_POSITION_FOLLOWING = 4;

/** A message's sender as Meta's message table (Instagram direct, Messenger) labels it. */
export interface SenderLabel {
  /** "You" for this account's own messages. */
  name: string;
  you: boolean;
  /** The label says the message answers another ("You replied to Gary", "Gary replied to you"). */
  replied: boolean;
}

const YOU_LABEL = /^you(?: sent)?$/i;
const YOU_REPLIED = /^you replied to\b/i;
const THEY_REPLIED = /^(.+?) replied to (?:you|.+)$/i;

/** Reads a sender label: "You sent", "Gary", "You replied to Gary", "Gary replied to you". */
export function parseSenderLabel(label: string): SenderLabel {
  if (YOU_LABEL.test(label) || YOU_REPLIED.test(label))
    return { name: 'You', you: true, replied: YOU_REPLIED.test(label) };
  const replied = THEY_REPLIED.exec(label)?.[1];
  return replied ? { name: replied, you: false, replied: true } : { name: label, you: false, replied: false };
}

/**
 * The sender label of one message row: the hidden heading that opens a run
 * of one sender's bubbles, or — in the message table Instagram direct and
 * Messenger draw since 2025 — the hidden label every bubble carries before
 * its text (a bare `span` reading "Gary" or "You sent"). Links, buttons (a
 * quoted "Original message"), the text itself and reactions after it are
 * never the label.
 */
export function senderLabelIn(row: Element, headings: string, text: Element | null): SenderLabel | null {
  const heading = Array.from(row.querySelectorAll(headings))
    .map((el) => visibleText(el))
    .find(Boolean);
  if (heading) return parseSenderLabel(heading);
  const label = Array.from(row.querySelectorAll('span')).find(
    (span) =>
      span.children.length === 0 &&
      visibleText(span) !== '' &&
      !span.closest('a[href], [role="button"], [dir="auto"]') &&
      (!text || (span.compareDocumentPosition(text) & DOCUMENT_POSITION_FOLLOWING) !== 0),
  );
  return label ? parseSenderLabel(visibleText(label)) : null;
}
