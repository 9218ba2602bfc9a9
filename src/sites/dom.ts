/**
 * DOM reading helpers shared by the site adapters. Pure functions of the nodes
 * they are given: no globals, so they behave the same in a content script, in
 * jsdom under vitest and in the extract CLI.
 */

// Numeric node types, because the global `Node` does not exist in the CLI's Node.js realm.
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** `href` resolved against `base` as an absolute http(s) URL; null when empty, unparsable or another scheme (blob:, data:, javascript:). */
export function absoluteUrl(href: string | null | undefined, base: URL | string): string | null {
  const trimmed = href?.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

const SKIPPED_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']);

/**
 * Tags that start a new line. `DIV` is deliberately absent: X (and other
 * React sites) wrap inline mentions and links in divs styled inline, and
 * without computed styles a div cannot be told apart from a paragraph.
 */
const BLOCK_TAGS = new Set([
  'P',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'TR',
  'DT',
  'DD',
  'FIGCAPTION',
]);

/**
 * The text a reader sees in `root`, as one string with line breaks kept:
 * `<br>`, block elements and literal newlines (X renders text with
 * `white-space: pre-wrap`) become `\n`; images contribute their alt text,
 * because inside text they are emoji (`<img alt="😀">`). Runs of spaces
 * collapse, lines are trimmed and at most one blank line is kept, so saved
 * pages that were re-indented read the same as live ones.
 */
export function visibleText(root: Element): string {
  const parts: string[] = [];
  collectText(root, parts);
  return normaliseText(parts.join(''));
}

/** `visibleText`, or null when that is empty: a field the page does not show. */
export function visibleTextOrNull(root: Element | null | undefined): string | null {
  if (!root) return null;
  return visibleText(root) || null;
}

function collectText(node: Node, parts: string[]): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === TEXT_NODE) {
      parts.push(isIndentation(child) ? ' ' : withoutWrappedIndentation(child.nodeValue ?? ''));
      continue;
    }
    if (child.nodeType !== ELEMENT_NODE) continue;
    const element = child as Element;
    const tag = element.tagName.toUpperCase();
    if (SKIPPED_TAGS.has(tag)) continue;
    if (tag === 'BR') {
      parts.push('\n');
    } else if (tag === 'IMG') {
      parts.push(element.getAttribute('alt') ?? '');
    } else if (BLOCK_TAGS.has(tag)) {
      parts.push('\n');
      collectText(element, parts);
      parts.push('\n');
    } else {
      collectText(element, parts);
    }
  }
}

/**
 * A line break plus spaces between two tags is source indentation (saved pages
 * are often re-indented; React never writes it), not a line break a reader
 * saw, even though X's pre-wrap text would draw it as one.
 */
function isIndentation(text: Node): boolean {
  const value = text.nodeValue ?? '';
  if (!value.includes('\n') || value.trim() !== '') return false;
  return text.previousSibling?.nodeType === ELEMENT_NODE || text.nextSibling?.nodeType === ELEMENT_NODE;
}

/**
 * A text a saved page's pretty-printer wrapped one word per line, each
 * break followed by indentation (the real X home timeline of 2024 puts
 * every word of a post on its own line this way), reads as the spaces the
 * printer replaced. A break followed by a line of several words is kept: a
 * page merely re-indented keeps the breaks a person typed that way too.
 */
function withoutWrappedIndentation(value: string): string {
  const lines = value.split(/\n[ \t]+/);
  const wrapped = lines.length > 3 && lines.every((line) => !/\s/.test(line.trim()));
  return wrapped ? lines.join(' ') : value;
}

function normaliseText(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// An HTML "global date and time": a date, a time and an explicit zone.
const ZONED_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/i;

/**
 * A `datetime` attribute as UTC ISO-8601 with milliseconds, or null. Only a
 * full date, time and zone counts: a local time without a zone, or a bare
 * date, would need a guess about which instant the page meant. Impossible
 * values (Feb 30, 25:00) are rejected rather than rolled over to another day
 * the way `Date.parse` does.
 */
export function isoFromDatetime(value: string | null | undefined): string | null {
  const match = value?.trim().match(ZONED_DATETIME);
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '0', fraction = '', zulu, sign, offsetHour, offsetMinute] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  let offsetMinutes = 0;
  if (!zulu) {
    const oh = Number(offsetHour);
    const om = Number(offsetMinute);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  // setUTCFullYear, not Date.UTC, which would read years 0-99 as 1900-1999.
  const utc = new Date(0);
  utc.setUTCFullYear(y, mo - 1, d);
  utc.setUTCHours(h, mi - offsetMinutes, s, ms);
  return utc.toISOString();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A URL's non-empty path segments: `/a/b/` → `['a', 'b']`. */
export function pathSegments(url: URL): string[] {
  return url.pathname.split('/').filter(Boolean);
}

/** A `<time>`'s text as shown and its `datetime` as UTC ISO when that is a zoned time; nulls when there is no element. */
export function shownTimeOf(time: Element | null | undefined): { raw: string | null; iso: string | null } {
  return {
    raw: visibleTextOrNull(time),
    iso: isoFromDatetime(time?.getAttribute('datetime')),
  };
}

/** A count as shown at the start of a label ("1.2K Followers" → "1.2K"), keeping the page's rounding and separators. */
export function leadingCount(text: string | null | undefined): string | null {
  return text?.trim().match(/^\d[\d.,]*(?:\s?[KMB])?(?=\s|$)/i)?.[0] ?? null;
}

/** Removes the bidirectional marks and embeddings some platforms wrap names in (U+202A "‪Name‬"), and turns no-break spaces into spaces. */
export function withoutBidiMarks(text: string): string {
  return text
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\u00a0/g, ' ')
    .trim();
}

/** `JSON.parse`, or undefined for text that is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `value[key]` when `value` is an object, else undefined. */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Elements of `item` matching `selector` that belong to it rather than to
 * another item nested inside it (a reply inside its parent comment, a
 * comment inside a story): their nearest enclosing `itemSelector` is `item`.
 */
export function ownElements(item: Element, selector: string, itemSelector: string): Element[] {
  return Array.from(item.querySelectorAll(selector)).filter((el) => el.parentElement?.closest(itemSelector) === item);
}

/** Each value resolved to an absolute http(s) URL (see `absoluteUrl`), kept when `keep` accepts it, without repeats, in order. */
export function uniqueUrls(
  values: readonly (string | null | undefined)[],
  base: URL | string,
  keep: (url: URL) => boolean = () => true,
): string[] {
  const urls = values
    .map((value) => absoluteUrl(value, base))
    .filter((url): url is string => url !== null && keep(new URL(url)));
  return [...new Set(urls)];
}

/** Seconds since 1970 (a number or digit string, as platforms embed them) as UTC ISO-8601; null for anything else or an implausible year. */
export function isoFromEpochSeconds(value: unknown): string | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{9,11}$/.test(text)) return null;
  const date = new Date(Number(text) * 1000);
  return date.getUTCFullYear() >= 2004 && date.getUTCFullYear() <= 2999 ? date.toISOString() : null;
}

/**
 * What the page says outside its posts, lower-cased, with typographic
 * apostrophes made plain: where notices such as "This account has been
 * suspended" or "Log in to continue" are looked for without a post's text
 * being taken for one.
 */
export function noticeText(doc: Document, itemSelector: string): string {
  const clone = (doc.body ?? doc.documentElement).cloneNode(true) as Element;
  for (const item of Array.from(clone.querySelectorAll(itemSelector))) item.remove();
  return visibleText(clone)
    .replace(/\u2019/g, "'")
    .toLowerCase();
}

/** A time of day alone, as chats print it beside a message ("14:05", "2:05 PM"). */
const TIME_OF_DAY_ONLY = /^\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?$/i;
const TRAILING_TIME_OF_DAY = /(?:,?\s+at\s+|,\s*|\s+)\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?$/i;

/**
 * A direct message's time from what the chat shows: the message's own time
 * and the day separator above it ("Today", "20/11/2026", "Today at 14:02").
 * A bare time of day is put under the separator's day ("Today at 14:05"), a
 * form `resolveShownTime` reads; a fuller own time is kept as it is, and
 * without one the separator is all the page says. Null when it shows neither.
 */
export function timeUnderDay(time: string | null, separator: string | null): string | null {
  if (!time) return separator;
  if (!separator || !TIME_OF_DAY_ONLY.test(time)) return time;
  const day = separator.replace(TRAILING_TIME_OF_DAY, '').trim();
  return day && !TIME_OF_DAY_ONLY.test(day) ? `${day} at ${time}` : time;
}

/** The nearest earlier sibling of `element` that `accept` takes (a chat's day separator above a message), or null. */
export function previousSiblingWhere(element: Element, accept: (sibling: Element) => boolean): Element | null {
  for (let sibling = element.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
    if (accept(sibling)) return sibling;
  }
  return null;
}

/** Where a post's own words are not: links (names, handles, permalinks), buttons, times, and text kept from sight. */
const NOT_PROSE = 'a, button, time, [role="button"], [aria-hidden="true"], script, style, noscript, template';
const PROSE_WORDS = 5;

/**
 * Whether `root` shows a run of words of its own (five or more in one text
 * node outside links, buttons and times): a post's text rather than the
 * names, counts and button labels every post shows. A capture whose adapter
 * read no text from such an element failed to read it.
 */
export function hasProse(root: Element): boolean {
  const walker = root.ownerDocument.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const words = (node.nodeValue ?? '').trim().split(/\s+/).filter(Boolean);
    if (words.length >= PROSE_WORDS && !node.parentElement?.closest(NOT_PROSE)) return true;
  }
  return false;
}
