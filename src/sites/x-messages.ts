import {
  pathSegments,
  previousSiblingWhere,
  shownTimeOf,
  timeUnderDay,
  uniqueUrls,
  visibleText,
  visibleTextOrNull,
} from './dom';
import type { AuthorInfo, ConversationInfo, PostInfo, ShownTime } from './types';

/**
 * X direct messages (`x.com/messages/<conversation id>`): what `x.ts` hands
 * over for a conversation page. Hooks are X's test ids:
 * - `[data-testid="DmScrollerContainer"]` holds the thread, one timeline cell
 *   (`cellInnerDiv`) per message or day separator ("Today", "Nov 19, 2026");
 * - a message is `div[data-testid="messageEntry"]`, its text `tweetText`;
 *   an incoming one carries its sender's avatar link
 *   (`a[data-testid="DM_Conversation_Avatar"][href="/<handle>"]`), but X
 *   draws it beside the last of a run of messages only, and marks sent ones
 *   by colour alone, so an entry without it has no sender shown;
 * - the time: a `time[datetime]` when X gives one, else the time printed
 *   under the message ("9:41 PM"), read under the day separator above it;
 * - `[data-testid="DM-conversation-header"]` (or the `h2` atop
 *   `DmActivityContainer`) shows the other party's name and @handle, or a
 *   group's name.
 * X gives messages no permalink and no id in the page.
 */

export const DM_MESSAGE = 'div[data-testid="messageEntry"]';

const ORIGIN = 'https://x.com';
const HEADER = '[data-testid="DM-conversation-header"]';
const AVATAR_LINK = 'a[data-testid="DM_Conversation_Avatar"][href]';
const TEXT = '[data-testid="tweetText"]';
const CELL = '[data-testid="cellInnerDiv"]';

/** `<user id>-<user id>` for a one-to-one conversation, a single id for a group. */
const CONVERSATION_ID = /^\d{1,25}(?:-\d{1,25})?$/;
const HANDLE = /^[A-Za-z0-9_]{1,50}$/;
const SHOWN_HANDLE = /^@([A-Za-z0-9_]{1,50})$/;
/** A time X prints under a message: "9:41 PM", or with its date "Nov 19, 2026, 9:41 PM". */
const MESSAGE_TIME = /^(?:[A-Z][a-z]{2,8},? )?(?:[A-Z][a-z]{2,8} \d{1,2}(?:, \d{4})?, )?\d{1,2}:\d{2}(?:\s?[AP]M)?$/;
/** The day separators between messages: "Today", "Yesterday", "Thu, Nov 19", "Nov 19, 2026". */
const DAY =
  /^(?:today|yesterday|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*(?:, [a-z]{3,9} \d{1,2})?|[a-z]{3,9} \d{1,2}(?:, \d{4})?)$/i;

/** The conversation a `/messages/<id>` URL names (not its `/info` page). */
export function conversationIdOfUrl(url: URL): string | null {
  const [first, id, ...rest] = pathSegments(url);
  return first === 'messages' && id !== undefined && CONVERSATION_ID.test(id) && rest.length === 0 ? id : null;
}

export function extractMessage(entry: Element, pageUrl: URL): PostInfo {
  const header = headerOf(entry.ownerDocument);
  return {
    platform: 'x',
    permalink: null,
    postId: null,
    author: senderOf(entry, header),
    text: visibleTextOrNull(entry.querySelector(TEXT)),
    shownTime: timeOf(entry),
    mediaUrls: mediaOf(entry, pageUrl),
    isReply: false,
    replyToUrl: null,
    quotedPostUrl: null,
    conversation: conversationOf(entry, pageUrl, header),
  };
}

// ---- the conversation header ----

interface Header {
  name: string | null;
  handle: string | null;
}

function headerOf(doc: Document): Header {
  const block =
    doc.querySelector(HEADER) ?? doc.querySelector('[data-testid="DmActivityContainer"] h2')?.parentElement ?? null;
  if (!block) return { name: null, handle: null };
  const texts = Array.from(block.querySelectorAll('h2, span'))
    .filter((el) => el.children.length === 0)
    .map((el) => visibleText(el))
    .filter(Boolean);
  const handle = texts.map((text) => SHOWN_HANDLE.exec(text)?.[1]).find((found) => found !== undefined) ?? null;
  return { name: texts.find((text) => !SHOWN_HANDLE.test(text)) ?? null, handle };
}

function handleOfLink(link: Element | null): string | null {
  const [handle, ...rest] = (link?.getAttribute('href') ?? '').split('/').filter(Boolean);
  return handle !== undefined && rest.length === 0 && HANDLE.test(handle) ? handle : null;
}

/** The sender whose avatar is beside the message; their name is shown only as the header's, in a one-to-one conversation. */
function senderOf(entry: Element, header: Header): AuthorInfo {
  const handle = handleOfLink(entry.querySelector(AVATAR_LINK));
  if (!handle) return { displayName: null, handle: null, profileUrl: null };
  const displayName = header.handle?.toLowerCase() === handle.toLowerCase() ? header.name : null;
  return { displayName, handle, profileUrl: `${ORIGIN}/${handle}` };
}

/**
 * The conversation's title and people: the other party of a one-to-one
 * conversation, or in a group the senders whose avatars the loaded thread shows.
 */
function conversationOf(entry: Element, pageUrl: URL, header: Header): ConversationInfo {
  const id = conversationIdOfUrl(pageUrl);
  const title = header.name ?? (header.handle ? `@${header.handle}` : null);
  let participants: string[];
  if (id?.includes('-')) {
    const other = header.handle ?? header.name;
    participants = other ? [other] : [];
  } else {
    const scroller = entry.closest('[data-testid="DmScrollerContainer"]') ?? entry.ownerDocument;
    const handles = Array.from(scroller.querySelectorAll(`${DM_MESSAGE} ${AVATAR_LINK}`)).map(handleOfLink);
    participants = [...new Set(handles.filter((handle): handle is string => handle !== null))];
  }
  return { title, url: id ? `${ORIGIN}/messages/${id}` : null, participants };
}

// ---- time and media ----

function timeOf(entry: Element): ShownTime {
  const time = entry.querySelector('time');
  if (time) return shownTimeOf(time);
  return { raw: timeUnderDay(printedTime(entry), daySeparatorAbove(entry)), iso: null };
}

function printedTime(entry: Element): string | null {
  for (const span of Array.from(entry.querySelectorAll('span'))) {
    if (span.children.length > 0 || span.closest(TEXT)) continue;
    const text = visibleText(span);
    if (MESSAGE_TIME.test(text)) return text;
  }
  return null;
}

function daySeparatorAbove(entry: Element): string | null {
  const cell = entry.closest(CELL);
  if (!cell) return null;
  const separator = previousSiblingWhere(
    cell,
    (sibling) => !sibling.querySelector(`${DM_MESSAGE}, a`) && DAY.test(visibleText(sibling)),
  );
  return visibleTextOrNull(separator);
}

/** Photos and GIF posters sent in the message: on X's media hosts, never a profile picture. */
function mediaOf(entry: Element, pageUrl: URL): string[] {
  const values = Array.from(entry.querySelectorAll('img, video')).flatMap((el) =>
    el.tagName.toUpperCase() === 'VIDEO'
      ? [el.getAttribute('poster'), el.getAttribute('src')]
      : [el.getAttribute('src')],
  );
  return uniqueUrls(values, pageUrl, (url) => {
    const host = url.hostname.toLowerCase();
    return (host === 'pbs.twimg.com' && !url.pathname.startsWith('/profile_images/')) || host === 'ton.twitter.com';
  });
}
