import {
  pathSegments,
  previousSiblingWhere,
  timeUnderDay,
  visibleText,
  visibleTextOrNull,
  withoutBidiMarks,
} from './dom';
import { parseSenderLabel, senderLabelIn } from './meta-shared';
import type { AuthorInfo, ConversationInfo, PageKind, PostInfo, ShownTime } from './types';

/**
 * Messenger conversations, for `facebook.ts`: www.facebook.com/messages/t/<thread>
 * and www.messenger.com/t/<thread> (`/e2ee/t/<thread>` for end-to-end
 * encrypted ones), and the chat windows docked over other Facebook pages.
 * Hooks are the app's ARIA roles and labels:
 * - the thread is `[role="grid"]` (`[role="log"]` in 2025) labelled
 *   "Messages in conversation with <Name>" (or "… titled <Name>");
 * - each `div[role="row"]` in it is a message, or a separator row showing
 *   the time of the messages below it ("Today at 14:05", "Fri 22:41");
 * - a message row names its sender in an `h4`/`h5` ("You sent", or the
 *   name), its text is `div[dir="auto"]`, and its own time is in a hover
 *   tooltip (`[data-tooltip-content]`) or an "At 14:05, <Name>: …" label;
 * - the conversation header's `h2` links to the other party's profile.
 * Messages have no permalink and no id in the page. Times have no zone, so
 * `iso` stays null until `resolveShownTime` reads them.
 */

const ORIGIN = 'https://www.facebook.com';
export const MESSENGER_HOST = 'www.messenger.com';

export const MESSENGER_THREAD =
  '[role="grid"][aria-label^="Messages in conversation"], [role="log"][aria-label^="Messages in conversation"]';
const MESSAGE_PARTS = 'h4, h5, h6, div[dir="auto"], [aria-roledescription="message"]';
/** A run's sender heading: `h4`/`h5` in the 2024 thread, `h6` in the 2025 message table Instagram direct shares. */
const SENDER_HEADINGS = 'h4, h5, h6';
/** A row of a conversation's thread that holds a message rather than a time separator. */
export const MESSENGER_MESSAGE = MESSENGER_THREAD.split(', ')
  .map((thread) => `${thread} div[role="row"]:has(${MESSAGE_PARTS})`)
  .join(', ');

const THREAD_ID = /^\d{1,25}$/;
const TITLE_LABEL = /^Messages in conversation (?:with|titled) (.+)$/;
const AT_LABEL = /^At (.*?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?), ([^:]+):/i;

/** What `facebook.ts` knows about Facebook links and media, lent so the two files do not import each other. */
export interface FacebookReaders {
  authorFrom(displayName: string | null, link: Element | null, base: URL): AuthorInfo;
  /** Facebook-CDN media among `elements`, which are the row's own. */
  mediaOf(item: Element, base: URL, elements: Element[]): string[];
}

interface ThreadRef {
  id: string;
  e2ee: boolean;
}

/** `/messages/[e2ee/]t/<id>` on facebook.com, `/[e2ee/]t/<id>` on messenger.com. */
function threadOfUrl(url: URL): ThreadRef | null {
  const segments = pathSegments(url);
  const onMessenger = url.hostname.toLowerCase() === MESSENGER_HOST;
  const rest = onMessenger ? segments : segments[0] === 'messages' ? segments.slice(1) : null;
  if (!rest) return null;
  const e2ee = rest[0] === 'e2ee';
  const [t, id, ...more] = e2ee ? rest.slice(1) : rest;
  return t === 't' && id !== undefined && THREAD_ID.test(id) && more.length === 0 ? { id, e2ee } : null;
}

/** 'conversation' on a thread URL; on messenger.com everything else is 'unknown'; null leaves the URL to `facebook.ts`. */
export function messengerKindOfUrl(url: URL): PageKind | null {
  if (threadOfUrl(url)) return 'conversation';
  return url.hostname.toLowerCase() === MESSENGER_HOST ? 'unknown' : null;
}

export function extractMessage(row: Element, pageUrl: URL, facebook: FacebookReaders): PostInfo {
  const header = headerOf(row);
  const label = atLabel(row);
  const blocks = textBlocksOf(row);
  const sender = senderLabelIn(row, SENDER_HEADINGS, blocks[0] ?? null);
  const author = senderOf(row, pageUrl, facebook, header, sender?.name ?? (label ? parseSenderLabel(label.sender).name : null));
  const text = blocks
    .map((el) => visibleText(el))
    .filter(Boolean)
    .join('\n');
  return {
    platform: 'facebook',
    permalink: null,
    postId: null,
    author,
    text: text || null,
    shownTime: timeOf(row, label?.time ?? null),
    mediaUrls: facebook.mediaOf(row, pageUrl, picturesOf(row, [author.displayName, header.title])),
    // "You replied to Gary" over a bubble quoting the message it answers, which has no address to give.
    isReply: sender?.replied ?? false,
    replyToUrl: null,
    quotedPostUrl: null,
    conversation: conversationOf(pageUrl, facebook, header),
  };
}

// ---- the conversation ----

interface Header {
  title: string | null;
  link: Element | null;
}

/** The thread's title from its label, else the header's; and the header's link to the other party's profile. */
function headerOf(row: Element): Header {
  const thread = row.closest(MESSENGER_THREAD);
  const labelled = TITLE_LABEL.exec(thread?.getAttribute('aria-label') ?? '')?.[1];
  const pane = thread?.closest('[role="main"]') ?? row.ownerDocument;
  const heading = Array.from(pane.querySelectorAll('h2')).find((h2) => !h2.closest(MESSENGER_THREAD)) ?? null;
  const link = heading?.closest('a[href]') ?? heading?.querySelector('a[href]') ?? null;
  const title = labelled ? withoutBidiMarks(labelled) : visibleTextOrNull(heading);
  return { title: title || null, link };
}

/** A one-to-one conversation's header links to the other party; a group's does not, and its members are not listed. */
function conversationOf(pageUrl: URL, facebook: FacebookReaders, header: Header): ConversationInfo {
  const thread = threadOfUrl(pageUrl);
  const other = header.link ? facebook.authorFrom(header.title, header.link, pageUrl) : null;
  const participant = other?.profileUrl ? (other.handle ?? other.displayName) : null;
  return {
    title: header.title,
    url: thread ? `${ORIGIN}/messages/${thread.e2ee ? 'e2ee/' : ''}t/${thread.id}` : null,
    participants: participant ? [participant] : [],
  };
}

// ---- a message ----

/** The screen-reader label "At 14:05, Gary Thornbury: …" some messages carry. */
function atLabel(row: Element): { time: string; sender: string } | null {
  for (const el of [row, ...Array.from(row.querySelectorAll('[aria-label^="At "]'))]) {
    const match = AT_LABEL.exec(el.getAttribute('aria-label') ?? '');
    if (match?.[1] && match[2]) return { time: match[1].trim(), sender: match[2].trim() };
  }
  return null;
}

/**
 * The sender's label ("You sent" is this account); their profile from a link
 * in the row, or, for the person a one-to-one conversation is with, the
 * header's link.
 */
function senderOf(
  row: Element,
  base: URL,
  facebook: FacebookReaders,
  header: Header,
  shown: string | null,
): AuthorInfo {
  if (shown === null) return { displayName: null, handle: null, profileUrl: null };
  if (shown === 'You') return { displayName: 'You', handle: null, profileUrl: null };
  const link = Array.from(row.querySelectorAll('a[href]')).find((a) => !a.closest('div[dir="auto"]')) ?? null;
  const author = facebook.authorFrom(shown, link, base);
  if (author.profileUrl || shown !== header.title || !header.link) return author;
  return facebook.authorFrom(shown, header.link, base);
}

/** The message's text blocks, outside the sender heading and links. */
function textBlocksOf(row: Element): Element[] {
  return Array.from(row.querySelectorAll('div[dir="auto"]')).filter(
    (el) => !el.parentElement?.closest('div[dir="auto"]') && !el.closest(`${SENDER_HEADINGS}, a`),
  );
}

/** The row's images and videos, without avatars, which Messenger labels with the person's name. */
function picturesOf(row: Element, names: (string | null)[]): Element[] {
  return Array.from(row.querySelectorAll('img, video')).filter(
    (el) => !names.includes(el.getAttribute('alt')?.trim() ?? ''),
  );
}

/** The message's own time (its hover tooltip, else its label) under the time separator above it. */
function timeOf(row: Element, labelledTime: string | null): ShownTime {
  const tooltip = row.querySelector('[data-tooltip-content]')?.getAttribute('data-tooltip-content')?.trim() || null;
  const separator = previousSiblingWhere(
    row,
    (sibling) =>
      sibling.matches('div[role="row"]') && !sibling.querySelector(MESSAGE_PARTS) && visibleText(sibling) !== '',
  );
  return { raw: timeUnderDay(tooltip ?? labelledTime, visibleTextOrNull(separator)), iso: null };
}
