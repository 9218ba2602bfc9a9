import type { Platform, PostInfo } from './types';

/**
 * How an adapter read each key field of a post: the strategy that found it
 * ("testid", "time[datetime]", "URL pattern", …) or "not found". Platforms
 * change their markup without notice; recording which way a field was read
 * (and that it was not) lets a capture say at once when the reading failed,
 * and lets whoever fixes the adapter see which hook stopped working.
 */

/** The fields whose strategy is recorded in every capture's `adapter` block. */
export const READ_FIELDS = ['author', 'handle', 'text', 'shownTime', 'permalink'] as const;
export type ReadField = (typeof READ_FIELDS)[number];

export const NOT_FOUND = 'not found';

/** For each key field: the strategy that read it, or "not found". */
export type FieldSources = Record<ReadField, string>;

/** A post as an adapter read it, with how each key field was read. */
export interface ReadPost {
  post: PostInfo;
  via: FieldSources;
}

/** One way to read a field: its name, as recorded, and the reader (null, undefined or "" when it finds nothing). */
export type Strategy<T> = readonly [via: string, read: () => T | null | undefined];

export interface Found<T> {
  value: T | null;
  /** The strategy that read `value`, or "not found". */
  via: string;
}

/** Tries each strategy in order, most stable first, and keeps the first value found and the strategy that found it. */
export function readFirst<T>(strategies: readonly Strategy<T>[]): Found<T> {
  for (const [via, read] of strategies) {
    const value = read();
    if (value !== null && value !== undefined && value !== '') return { value, via };
  }
  return { value: null, via: NOT_FOUND };
}

/** Whether the post carries a value for `field`. */
export function hasField(post: PostInfo, field: ReadField): boolean {
  switch (field) {
    case 'author':
      return post.author.displayName !== null;
    case 'handle':
      return post.author.handle !== null;
    case 'text':
      return post.text !== null;
    case 'shownTime':
      return post.shownTime.raw !== null || post.shownTime.iso !== null;
    case 'permalink':
      return post.permalink !== null;
  }
}

/**
 * The strategy record of `post`: `known[field]` for a field it has,
 * `fallback` for one it has without a recorded strategy, "not found" for one
 * it lacks. Built from the values themselves, so the record cannot claim a
 * field was read that the post does not carry, or the reverse.
 */
export function sourcesOf(post: PostInfo, known: Partial<FieldSources>, fallback: string): FieldSources {
  const via = (field: ReadField) => (hasField(post, field) ? (known[field] ?? fallback) : NOT_FOUND);
  return {
    author: via('author'),
    handle: via('handle'),
    text: via('text'),
    shownTime: via('shownTime'),
    permalink: via('permalink'),
  };
}

/** What a capture records about the reading: which adapter, which version of it, and how each key field was read. */
export interface AdapterReading {
  adapter: Platform;
  version: number;
  fields: FieldSources;
  /** Key fields that came back empty where the post should have them: what the page's toast warned about. */
  unread: ReadField[];
}

export interface ReadExpectations {
  /** The captured element shows words of its own (see `hasProse`), so an empty text is a failure to read them. */
  elementHasText: boolean;
  /** The platform gives every post a permalink, and this is not a direct message. */
  permalinkExpected: boolean;
}

/**
 * Key fields missing where the post should have them: no author (neither
 * name nor handle), no time, no text where the element shows words, no
 * permalink where the platform always has one. Empty when the reading looks whole.
 */
export function unreadFields(post: PostInfo, expect: ReadExpectations): ReadField[] {
  const unread: ReadField[] = [];
  if (!hasField(post, 'author') && !hasField(post, 'handle')) unread.push('author');
  if (!hasField(post, 'text') && expect.elementHasText) unread.push('text');
  if (!hasField(post, 'shownTime')) unread.push('shownTime');
  if (!hasField(post, 'permalink') && expect.permalinkExpected) unread.push('permalink');
  return unread;
}

const FIELD_WORDS: Record<ReadField, string> = {
  author: 'author',
  handle: 'handle',
  text: 'text',
  shownTime: 'time',
  permalink: 'link to the post',
};

/**
 * The page's warning for a capture whose key fields could not be read, in
 * plain words: "The author and time could not be read from this page. …".
 * Null when nothing is missing.
 */
export function unreadWarning(unread: readonly ReadField[]): string | null {
  if (unread.length === 0) return null;
  const words = unread.map((field) => FIELD_WORDS[field]);
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
  return `The ${list} could not be read from this page. The screenshot is saved: check it, or use Pick element.`;
}
