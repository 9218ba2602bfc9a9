import {
  previousSiblingWhere,
  timeUnderDay,
  uniqueUrls,
  visibleText,
  visibleTextOrNull,
  withoutBidiMarks,
} from './dom';
import { defineAdapter, matchesHosts } from './define';
import { NOT_FOUND, readFirst, sourcesOf, type ReadPost } from './read';
import { WHATSAPP_HOST_PATTERNS } from './hosts';
import type { AuthorInfo, ConversationInfo, PageKind, PostInfo, ProfileInfo, SiteAdapter } from './types';

/**
 * WhatsApp Web (web.whatsapp.com). The app has one URL ("/") for everything,
 * so what a page is comes from its markup: an open chat is `#main` with a
 * `header`, the chat list is `#pane-side`. Hooks, as the 2025 app draws them:
 * - a message is `div[data-id="<true|false>_<chat jid>_<message id>[_<sender jid>]"]`
 *   (true: sent from this account; the sender jid is there in groups), in a
 *   `div[role="row"]` of the message list (`div[role="application"]`), drawn
 *   as `.message-in` / `.message-out`;
 * - `.copyable-text[data-pre-plain-text="[14:05, 20/11/2026] Gary Thornbury: "]`
 *   is the sender as shown and the local time and date; WhatsApp gives no
 *   zone, so `iso` stays null until `resolveShownTime` reads it in the
 *   browser's zone. Messages without it (deleted, media without a caption)
 *   show only a time of day, read under the day separator row above them;
 * - the text is `span.selectable-text`; a reply carries the quoted message,
 *   whose text is `.quoted-mention`; a deleted message shows `data-icon="recalled"`;
 * - the chat's title is `[data-testid="conversation-info-header-chat-title"]`
 *   or the first `span[dir="auto"]` of `#main header`; a group's subtitle
 *   `span[title]` lists its members;
 * - the contact info drawer (`[data-testid="contact-info-drawer"]`, or the
 *   panel headed "Contact info") is the nearest thing to a profile: name,
 *   phone number as shown, about.
 * WhatsApp has no permalinks, and media are drawn from `blob:` URLs that
 * name nothing outside the tab, so messages rarely have media URLs.
 */

const HOSTS = new Set(['web.whatsapp.com']);

const MAIN = '#main';
const MESSAGE = `${MAIN} div[data-id^="true_"], ${MAIN} div[data-id^="false_"]`;
const ROW = 'div[role="row"]';
const QUOTE = '.quoted-mention, [aria-label="Quoted message"]';

/**
 * `<fromMe>_<chat jid>_<message id>[_<sender jid in a group>]`; a jid is
 * `<user>@<server>` (`c.us`, `g.us`, or since 2025 the privacy `lid`). Late
 * 2025 builds append the bubble's side (`_out`, `_in`).
 */
const DATA_ID = /^(true|false)_([^_@\s]+@[a-z.]+)_([A-Za-z0-9]+)(?:_([^_@\s]+@[a-z.]+))?(?:_(?:in|out))?$/;
/** The sender's profile photo beside a group message, a button to their details. */
const SENDER_AVATAR = '[aria-label^="Open chat details for "]';
/** The message text: `span.selectable-text` until 2025, a `data-testid` since. */
const TEXT = 'span.selectable-text, span[data-testid="selectable-text"]';
const PRE_PLAIN_TEXT = /^\[([^\]]+)\]\s*([\s\S]*?):\s*$/;
const TIME_OF_DAY = /^\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?$/i;
/** The day separator rows WhatsApp draws between days: "Today", "Friday", "20/11/2026". */
const DAY =
  /^(?:today|yesterday|(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2} [a-z]+ \d{4}|[a-z]+ \d{1,2}, \d{4})$/i;
/** A phone number as WhatsApp prints it: "+44 7700 900123". */
const PHONE = /^\+\d[\d\s().-]{4,}\d$/;
/** Jids whose user part is a phone number (not a group, nor a privacy "lid"). */
const PHONE_JID = /^(\d{5,20})@(?:c\.us|s\.whatsapp\.net)$/;

const base = defineAdapter({
  platform: 'whatsapp',
  version: 1,
  hostPatterns: WHATSAPP_HOST_PATTERNS,
  matchesUrl: matchesHosts(HOSTS),
  postSelector: MESSAGE,
  // The URL never names a chat or a post; `pageKind` below reads the markup.
  kindOfUrl: () => 'unknown',
  focalPost: () => null,
  readPost,
  extractProfile,
});

export const whatsappAdapter: SiteAdapter = { ...base, pageKind };

function pageKind(doc: Document): PageKind {
  if (doc.querySelector(`${MAIN} header`)) return 'conversation';
  return doc.querySelector('#pane-side') ? 'timeline' : 'unknown';
}

// ---- messages ----

interface MessageId {
  fromMe: boolean;
  chat: string;
  id: string;
  /** The sender's jid, given in groups only. */
  sender: string | null;
}

function messageIdOf(message: Element): MessageId | null {
  const match = DATA_ID.exec(message.getAttribute('data-id') ?? '');
  if (!match?.[2] || !match[3]) return null;
  return { fromMe: match[1] === 'true', chat: match[2], id: match[3], sender: match[4] ?? null };
}

function isGroup(chat: string): boolean {
  return chat.endsWith('@g.us');
}

/** "[14:05, 20/11/2026] Gary Thornbury: " → the time as shown and the sender's name. */
function prePlainText(message: Element): { time: string; sender: string } | null {
  const value = message.querySelector('[data-pre-plain-text]')?.getAttribute('data-pre-plain-text') ?? '';
  const match = PRE_PLAIN_TEXT.exec(value);
  if (!match?.[1]) return null;
  return { time: match[1].trim(), sender: withoutBidiMarks(match[2] ?? '') };
}

function readPost(message: Element, pageUrl: URL): ReadPost {
  const ids = messageIdOf(message);
  const shown = prePlainText(message);
  const conversation = conversationOf(message.ownerDocument, ids);
  const author = authorOf(message, ids, shown?.sender ?? null, conversation);
  const text = readFirst([['selectable-text span', () => textOf(message)]]);
  const time = readFirst([
    ['data-pre-plain-text', () => shown?.time],
    ['bubble time under the day separator', () => timeUnderDay(ownTimeOfDay(message), daySeparatorAbove(message))],
  ]);
  const post: PostInfo = {
    platform: 'whatsapp',
    permalink: null,
    postId: ids?.id ?? null,
    author: author.value,
    text: text.value,
    shownTime: { raw: time.value, iso: null },
    mediaUrls: mediaOf(message, pageUrl),
    isReply: message.querySelector(QUOTE) !== null,
    replyToUrl: null,
    quotedPostUrl: null,
    conversation,
  };
  return {
    post,
    via: sourcesOf(post, { author: author.via, handle: author.handleVia, text: text.via, shownTime: time.via }, ''),
  };
}

/**
 * The sender as shown; the phone number when the page gives one, either as
 * the name itself (a number not in the contacts) or in the sender's jid.
 * Without a shown name, the data-id still says whose message it is: this
 * account's ("You"), or in a one-to-one chat the other party's, the chat title.
 */
function authorOf(
  message: Element,
  ids: MessageId | null,
  shownName: string | null,
  conversation: ConversationInfo,
): { value: AuthorInfo; via: string; handleVia: string } {
  if (ids?.fromMe) {
    const name = readFirst([
      ['data-pre-plain-text', () => shownName],
      ['data-id (sent from this account)', () => 'You'],
    ]);
    return { value: { displayName: name.value, handle: null, profileUrl: null }, via: name.via, handleVia: NOT_FOUND };
  }
  const senderJid = ids ? (isGroup(ids.chat) ? ids.sender : ids.chat) : null;
  const jidPhone = senderJid ? PHONE_JID.exec(senderJid)?.[1] : undefined;
  const name = readFirst([
    ['data-pre-plain-text', () => shownName],
    ['group sender label', () => groupSenderName(message)],
    ['sender aria-label', () => senderLabel(message)],
    ['chat details button label', () => chatDetailsName(message)],
    [
      'name of the sender jid, shown on the bubble',
      () => (senderJid && isGroup(ids?.chat ?? '') ? shownSenderName(message, senderJid) : null),
    ],
    ['chat title (one-to-one chat)', () => (ids && !isGroup(ids.chat) ? conversation.title : null)],
  ]);
  const handle = readFirst([
    ['phone number shown as the name', () => (name.value && PHONE.test(name.value) ? name.value : null)],
    ['data-id sender jid', () => (jidPhone ? `+${jidPhone}` : null)],
  ]);
  return {
    value: { displayName: name.value, handle: handle.value, profileUrl: null },
    via: name.via,
    handleVia: handle.via,
  };
}

/** In a group, the first message of a run shows its sender's name above the text. */
function groupSenderName(message: Element): string | null {
  const label = Array.from(message.querySelectorAll('span[aria-label][dir="auto"]')).find(
    (span) => !span.closest(`${TEXT}, ${QUOTE}`),
  );
  const name = label?.getAttribute('aria-label');
  return name ? withoutBidiMarks(name) || null : null;
}

/** "Gary Thornbury:" — since 2025 the bubble labels its sender for screen readers ("You:" on this account's own). */
function senderLabel(message: Element): string | null {
  const label = message.querySelector('span[aria-label$=":"]')?.getAttribute('aria-label') ?? '';
  const name = withoutBidiMarks(label.slice(0, -1));
  return name && name !== 'You' ? name : null;
}

/** In a group, the sender's avatar beside the first message of a run is a button "Open chat details for <name>". */
function chatDetailsName(message: Element): string | null {
  const label = message.querySelector(SENDER_AVATAR)?.getAttribute('aria-label') ?? '';
  const name = withoutBidiMarks(label.replace(/^Open chat details for /, ''));
  // A number not in the contacts is labelled "<name> <phone>"; the phone is the handle, not the name.
  return name.replace(/\s\+\d[\d\s().-]{4,}\d$/, '').trim() || null;
}

/**
 * The sender's name as the bubble's header shows it when nothing labels it
 * (2023 groups: a bare `span[dir="auto"]`): the name another message of the
 * same sender jid gives, kept only when this bubble shows exactly that text
 * outside its message text, so a bubble without a visible name gets none.
 */
function shownSenderName(message: Element, senderJid: string): string | null {
  for (const other of Array.from(message.ownerDocument.querySelectorAll(MESSAGE))) {
    if (other === message || messageIdOf(other)?.sender !== senderJid) continue;
    const name = prePlainText(other)?.sender || groupSenderName(other) || chatDetailsName(other);
    if (!name) continue;
    const shown = Array.from(message.querySelectorAll('span[dir="auto"]')).some(
      (span) => !span.closest(`${TEXT}, ${QUOTE}`) && withoutBidiMarks(visibleText(span)) === name,
    );
    return shown ? name : null;
  }
  return null;
}

function textOf(message: Element): string | null {
  const text = Array.from(message.querySelectorAll(TEXT)).find((span) => !span.closest(QUOTE));
  return visibleTextOrNull(text);
}

/**
 * The time of day printed in the bubble's corner: the last one outside the
 * text, any quoted message and any button (a voice message's length,
 * "3:30", is drawn in its play button).
 */
function ownTimeOfDay(message: Element): string | null {
  let found: string | null = null;
  for (const span of Array.from(message.querySelectorAll('span'))) {
    if (span.children.length > 0 || span.closest(`${TEXT}, ${QUOTE}, button, [role="slider"]`)) continue;
    const text = withoutBidiMarks(visibleText(span));
    if (TIME_OF_DAY.test(text)) found = text;
  }
  return found;
}

function daySeparatorAbove(message: Element): string | null {
  const row = message.closest(ROW);
  if (!row) return null;
  const separator = previousSiblingWhere(
    row,
    (sibling) => !sibling.querySelector('[data-id]') && DAY.test(visibleText(sibling)),
  );
  return visibleTextOrNull(separator);
}

/** Photos and videos with an http(s) address; profile pictures (pps.whatsapp.net) and emoji (static.whatsapp.net) are not media. */
function mediaOf(message: Element, pageUrl: URL): string[] {
  // A voice message carries no picture: the one beside its play button is the sender's profile photo.
  if (message.querySelector('[aria-label="Play voice message"]')) return [];
  const pictures = Array.from(message.querySelectorAll('img, video')).filter((el) => !el.closest(SENDER_AVATAR));
  const values = pictures.flatMap((el) =>
    el.tagName.toUpperCase() === 'VIDEO'
      ? [el.getAttribute('poster'), el.getAttribute('src')]
      : [el.getAttribute('src')],
  );
  return uniqueUrls(
    values,
    pageUrl,
    (url) => !['pps.whatsapp.net', 'static.whatsapp.net'].includes(url.hostname.toLowerCase()),
  );
}

// ---- the open chat ----

function chatHeader(doc: Document): Element | null {
  return doc.querySelector(`${MAIN} header`);
}

function chatTitle(doc: Document): string | null {
  const header = chatHeader(doc);
  const title =
    header?.querySelector('[data-testid="conversation-info-header-chat-title"]') ??
    header?.querySelector('span[dir="auto"]');
  const text = visibleTextOrNull(title);
  return text ? withoutBidiMarks(text) : null;
}

/**
 * The chat a message is in. A one-to-one chat's other party is its title; a
 * group's members are listed in the header's subtitle (its `title`
 * attribute, "Dean Pollard, Gary Thornbury, You") when WhatsApp shows it
 * there rather than "online" or "typing…".
 */
function conversationOf(doc: Document, ids: MessageId | null): ConversationInfo {
  const title = chatTitle(doc);
  if (!ids || !isGroup(ids.chat)) return { title, url: null, participants: title ? [title] : [] };
  const subtitle = Array.from(chatHeader(doc)?.querySelectorAll('span[title]') ?? [])
    .map((span) => span.getAttribute('title') ?? '')
    .find((value) => value.includes(','));
  const members = (subtitle ?? '')
    .split(',')
    .map((name) => withoutBidiMarks(name))
    .filter((name) => name !== '' && name !== 'You');
  return { title, url: null, participants: members };
}

// ---- the contact info drawer ----

function contactDrawer(doc: Document): Element | null {
  const tagged = doc.querySelector('[data-testid="contact-info-drawer"]');
  if (tagged) return tagged;
  const heading = Array.from(doc.querySelectorAll('header h1, header [role="heading"]')).find((el) =>
    /^contact info$/i.test(visibleText(el)),
  );
  return heading?.closest('header')?.parentElement ?? null;
}

function extractProfile(doc: Document): ProfileInfo | null {
  const drawer = contactDrawer(doc);
  if (!drawer) return null;
  const body = Array.from(drawer.querySelectorAll('h2, span')).filter((el) => !el.closest('header'));
  const nameElement = body.find((el) => el.tagName.toUpperCase() === 'H2') ?? null;
  const displayName = nameElement ? withoutBidiMarks(visibleText(nameElement)) || null : null;
  const phone =
    body
      .map((el) => (el.children.length === 0 || el === nameElement ? withoutBidiMarks(visibleText(el)) : ''))
      .find((text) => PHONE.test(text)) ?? null;
  return {
    platform: 'whatsapp',
    displayName,
    handle: phone,
    profileUrl: null,
    bio: aboutOf(drawer),
    followersShown: null,
    followingShown: null,
    postsShown: null,
    joinedShown: null,
    accountId: accountIdOf(doc, phone),
    verified: null,
    state: 'public',
  };
}

/** The text under the drawer's "About" label. */
function aboutOf(drawer: Element): string | null {
  const label = Array.from(drawer.querySelectorAll('span, div')).find(
    (el) => el.children.length === 0 && /^about$/i.test(visibleText(el)),
  );
  const section = label?.closest('section') ?? label?.parentElement?.parentElement ?? null;
  if (!label || !section) return null;
  const about = Array.from(section.querySelectorAll('span.selectable-text, span[dir="auto"]')).find(
    (el) => !el.contains(label) && visibleText(el) !== '',
  );
  return visibleTextOrNull(about);
}

/**
 * The open one-to-one chat's jid (`447700900123@c.us`), which does not change
 * when the contact is renamed, when it is the number the drawer shows.
 */
function accountIdOf(doc: Document, phone: string | null): string | null {
  if (!phone) return null;
  const chat = Array.from(doc.querySelectorAll(MESSAGE))
    .map((message) => messageIdOf(message)?.chat)
    .find((jid): jid is string => jid !== undefined);
  const user = chat ? PHONE_JID.exec(chat)?.[1] : undefined;
  return chat && user === phone.replace(/\D/g, '') ? chat : null;
}
