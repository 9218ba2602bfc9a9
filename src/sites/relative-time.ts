/**
 * Turns a time as a platform showed it ("2h", "3 days ago", "Yesterday at
 * 14:05", "Nov 20") into an instant, given the moment the page was captured.
 *
 * Pure: the capture time, locale and time zone are arguments, never read from
 * the environment (the time zone defaults to the runtime's, which in the
 * extension is the browser's: the zone the page drew its local times in).
 * Every answer carries `rule`, a sentence saying what was computed from which
 * capture time and how precise it is, because a report must not present an
 * inference as an observation. Text it cannot read gives `{ iso: null, rule: null }`.
 *
 * English wording only (what the platforms show in an English UI); `locale`
 * decides only the order of all-number dates (en-US: month first).
 */

export interface ResolvedTime {
  iso: string | null;
  rule: string | null;
}

const NONE: ResolvedTime = { iso: null, rule: null };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Unit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

const UNIT_WORDS: Record<string, Unit> = {
  s: 'second',
  sec: 'second',
  secs: 'second',
  second: 'second',
  seconds: 'second',
  m: 'minute',
  min: 'minute',
  mins: 'minute',
  minute: 'minute',
  minutes: 'minute',
  h: 'hour',
  hr: 'hour',
  hrs: 'hour',
  hour: 'hour',
  hours: 'hour',
  d: 'day',
  day: 'day',
  days: 'day',
  w: 'week',
  wk: 'week',
  wks: 'week',
  week: 'week',
  weeks: 'week',
  mo: 'month',
  mos: 'month',
  mth: 'month',
  mths: 'month',
  month: 'month',
  months: 'month',
  y: 'year',
  yr: 'year',
  yrs: 'year',
  year: 'year',
  years: 'year',
};

const UNIT_MS: Partial<Record<Unit, number>> = {
  second: 1000,
  minute: MINUTE,
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const RELATIVE = /^(\d+|an?|one)\s*([a-z]+)\.?(?:\s+ago)?$/;
const NOW = /^(?:just now|now|a moment ago|moments ago|a few seconds ago|seconds ago)$/;
const TIME_OF_DAY = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/;

/**
 * The instant `raw` names, read against `capturedAt`.
 * @param locale  BCP 47 tag; only "en-US" style locales read 1/2/2025 as January 2.
 * @param timeZone IANA zone the page showed local times in; defaults to the runtime's.
 */
export function resolveShownTime(
  raw: string,
  capturedAt: Date,
  locale = 'en-GB',
  timeZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone,
): ResolvedTime {
  if (Number.isNaN(capturedAt.getTime())) return NONE;
  const text = clean(raw);
  if (!text) return NONE;
  try {
    return (
      fromNow(text, raw, capturedAt) ??
      fromRelative(text, raw, capturedAt) ??
      fromNamedDay(text, raw, capturedAt, timeZone) ??
      fromDate(text, raw, capturedAt, locale, timeZone) ??
      NONE
    );
  } catch {
    // An unknown time zone name: nothing can be said about local times.
    return NONE;
  }
}

/** Lower case, single spaces, without the separators and "edited" marks platforms put around times. */
function clean(raw: string): string {
  return raw
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\u00a0|\u202f/g, ' ')
    .toLowerCase()
    .replace(/\((?:edited)\)|\bedited\b/g, '')
    .replace(/^[\s·•.-]+|[\s·•]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function quote(raw: string): string {
  return `'${raw.trim()}'`;
}

function fromNow(text: string, raw: string, capturedAt: Date): ResolvedTime | null {
  if (!NOW.test(text)) return null;
  return {
    iso: capturedAt.toISOString(),
    rule: `relative ${quote(raw)} taken as the capture time ${capturedAt.toISOString()}; accurate to about a minute`,
  };
}

function fromRelative(text: string, raw: string, capturedAt: Date): ResolvedTime | null {
  const match = RELATIVE.exec(text);
  if (!match) return null;
  const [, count = '', word = ''] = match;
  const unit = UNIT_WORDS[word];
  if (!unit) return null;
  const n = /^\d+$/.test(count) ? Number(count) : 1;
  const base = `relative ${quote(raw)} resolved against capture time ${capturedAt.toISOString()}`;
  const ms = UNIT_MS[unit];
  if (ms !== undefined) {
    const iso = new Date(capturedAt.getTime() - n * ms).toISOString();
    return { iso, rule: `${base}: ${n} ${unit}${n === 1 ? '' : 's'} earlier; accurate to the ${unit}` };
  }
  // Months and years have no fixed length: step the calendar back in UTC.
  const then = new Date(capturedAt.getTime());
  if (unit === 'month') then.setUTCMonth(then.getUTCMonth() - n);
  else then.setUTCFullYear(then.getUTCFullYear() - n);
  return {
    iso: then.toISOString(),
    rule: `${base}: ${n} calendar ${unit}${n === 1 ? '' : 's'} earlier; accurate only to the ${unit}`,
  };
}

// ---- local calendar arithmetic in a named time zone ----

interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  weekday: number; // 0 = Sunday
}

function localParts(instant: Date, timeZone: string): LocalParts {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  });
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf((parts.weekday ?? '').slice(0, 3).toLowerCase()),
  };
}

/** Offset of `timeZone` from UTC at `instant`, in ms. */
function zoneOffset(instant: number, timeZone: string): number {
  const p = localParts(new Date(instant), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - Math.floor(instant / MINUTE) * MINUTE;
}

/** The instant a wall-clock time in `timeZone` names (the earlier one when clocks go back). */
function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, 0, 0);
  const guess = wall.getTime();
  let utc = guess - zoneOffset(guess, timeZone);
  utc = guess - zoneOffset(utc, timeZone);
  return new Date(utc);
}

/** Calendar date `days` before the local date of `p` (may cross months and years). */
function daysBefore(p: LocalParts, days: number): { year: number; month: number; day: number } {
  const d = new Date(0);
  d.setUTCFullYear(p.year, p.month - 1, p.day - days);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

interface TimeOfDay {
  hour: number;
  minute: number;
}

function parseTimeOfDay(text: string): TimeOfDay | null {
  const match = TIME_OF_DAY.exec(text.trim());
  if (!match) return null;
  const [, h = '', m, meridiem] = match;
  let hour = Number(h);
  const minute = m === undefined ? 0 : Number(m);
  if (m === undefined && !meridiem) return null;
  if (minute > 59) return null;
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem.startsWith('p') ? 12 : 0);
  } else if (hour > 23) {
    return null;
  }
  return { hour, minute };
}

/** Splits "<day part> at <time>" / "<day part>, <time>" / "<time> · <day part>"; time may be absent. */
function splitTime(text: string): { day: string; time: TimeOfDay | null } | null {
  const at = /^(.*?)(?:,?\s+at\s+|,\s*)(\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?)$/.exec(text);
  if (at?.[1] && at[2]) {
    const time = parseTimeOfDay(at[2]);
    if (time) return { day: at[1].trim(), time };
  }
  const leading = /^(\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?)\s*[·•,]\s*(.+)$/.exec(text);
  if (leading?.[1] && leading[2]) {
    const time = parseTimeOfDay(leading[1]);
    if (time) return { day: leading[2].trim(), time };
  }
  return { day: text, time: null };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function describeLocal(date: { year: number; month: number; day: number }, time: TimeOfDay | null): string {
  const day = `${date.year}-${pad(date.month)}-${pad(date.day)}`;
  return time ? `${day} ${pad(time.hour)}:${pad(time.minute)}` : day;
}

function localResult(
  raw: string,
  date: { year: number; month: number; day: number },
  time: TimeOfDay | null,
  timeZone: string,
  how: string,
): ResolvedTime {
  const instant = zonedToUtc(date.year, date.month, date.day, time?.hour ?? 0, time?.minute ?? 0, timeZone);
  const precision = time
    ? 'accurate to the minute'
    : 'accurate to the day (no time of day shown; ISO is the start of that day)';
  return {
    iso: instant.toISOString(),
    rule: `${quote(raw)} ${how}: local ${describeLocal(date, time)} in ${timeZone}; ${precision}`,
  };
}

function fromNamedDay(text: string, raw: string, capturedAt: Date, timeZone: string): ResolvedTime | null {
  const split = splitTime(text);
  if (!split) return null;
  const { day, time } = split;
  const local = localParts(capturedAt, timeZone);
  const against = `against capture time ${capturedAt.toISOString()}`;
  if (day === 'today' || day === 'yesterday') {
    const back = day === 'today' ? 0 : 1;
    return localResult(raw, daysBefore(local, back), time, timeZone, `read as ${day} ${against}`);
  }
  const weekday = WEEKDAYS.indexOf(day.slice(0, 3));
  if (weekday >= 0 && /^(?:sun|mon|tues?|wed|wednes|thu|thur|thurs|fri|sat|satur)(?:day)?$/.test(day)) {
    // A weekday name stands for a day in the past week; the capture's own weekday would read "Today".
    const back = (local.weekday - weekday + 7) % 7 || 7;
    return localResult(
      raw,
      daysBefore(local, back),
      time,
      timeZone,
      `read as the last ${capitalise(day)} before the capture date ${against}`,
    );
  }
  return null;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function monthOf(word: string): number | null {
  if (!/^[a-z]{3,9}\.?$/.test(word)) return null;
  const index = MONTHS.indexOf(word.slice(0, 3));
  if (index < 0) return null;
  const full =
    [
      'january',
      'february',
      'march',
      'april',
      'may',
      'june',
      'july',
      'august',
      'september',
      'october',
      'november',
      'december',
    ][index] ?? '';
  const bare = word.replace(/\.$/, '');
  return full.startsWith(bare) || bare === 'sept' ? index + 1 : null;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 1970 || year > 2999) return false;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function fromDate(text: string, raw: string, capturedAt: Date, locale: string, timeZone: string): ResolvedTime | null {
  const split = splitTime(text);
  if (!split) return null;
  const { time } = split;
  const day = split.day.replace(/^(?:sun|mon|tue|wed|thu|fri|sat)[a-z]*,?\s+/, '');
  const parsed = parseDay(day, locale);
  if (!parsed) return null;
  let { year } = parsed;
  const { month, day: dayOfMonth } = parsed;
  let how = 'read as a local date';
  if (year === null) {
    // The platform left the year out because it is the current one; a date after the capture belongs to last year.
    const local = localParts(capturedAt, timeZone);
    year = local.year;
    const afterCapture = month > local.month || (month === local.month && dayOfMonth > local.day);
    if (afterCapture) year -= 1;
    how = `read as a local date in ${year}, the latest year that puts it on or before the capture date (capture time ${capturedAt.toISOString()})`;
  }
  if (!validDate(year, month, dayOfMonth)) return null;
  return localResult(raw, { year, month, day: dayOfMonth }, time, timeZone, how);
}

interface DayParts {
  year: number | null;
  month: number;
  day: number;
}

function parseDay(text: string, locale: string): DayParts | null {
  const t = text.replace(/(\d)(?:st|nd|rd|th)\b/g, '$1');
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  // TikTok shows "11-20" for a date earlier this year.
  m = /^(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return { year: null, month: Number(m[1]), day: Number(m[2]) };
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(t);
  if (m) {
    const monthFirst = /^en-us\b/i.test(locale);
    const a = Number(m[1]);
    const b = Number(m[2]);
    return { year: Number(m[3]), month: monthFirst ? a : b, day: monthFirst ? b : a };
  }
  // "Nov 20", "November 20, 2025", "Nov 20 2025"
  m = /^([a-z]+\.?)\s+(\d{1,2}),?(?:\s+(\d{4}))?$/.exec(t);
  if (m) {
    const month = monthOf(m[1] ?? '');
    return month ? { year: m[3] ? Number(m[3]) : null, month, day: Number(m[2]) } : null;
  }
  // "20 Nov", "20 November 2025"
  m = /^(\d{1,2})\s+([a-z]+\.?),?(?:\s+(\d{4}))?$/.exec(t);
  if (m) {
    const month = monthOf(m[2] ?? '');
    return month ? { year: m[3] ? Number(m[3]) : null, month, day: Number(m[1]) } : null;
  }
  return null;
}
