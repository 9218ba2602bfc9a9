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
  'P', 'LI', 'BLOCKQUOTE', 'PRE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TR', 'DT', 'DD', 'FIGCAPTION',
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
      parts.push(isIndentation(child) ? ' ' : (child.nodeValue ?? ''));
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
