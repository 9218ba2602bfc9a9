import { READ_FIELDS } from '../sites/read';
import type { Platform } from '../sites/types';
import { isArtifactName, isRecord } from './effective';
import type { Capture } from './model';

/**
 * The one strict schema of a capture record read from outside (a bundle's
 * metadata.json) or found damaged in storage: every field's type, length and
 * range, known platform ids and artifact names, no unknown fields. Import
 * runs it before anything is written; the views and the export use it to set
 * a broken record aside, named, and show the rest.
 */

/** A Record, so the compiler insists every Platform is listed. */
const PLATFORMS: Record<Platform, true> = {
  x: true,
  bluesky: true,
  reddit: true,
  mastodon: true,
  facebook: true,
  youtube: true,
  tiktok: true,
  instagram: true,
  threads: true,
  linkedin: true,
  whatsapp: true,
  generic: true,
};

/** Limits: generous for what pages really hold (a 1 MB post text), small enough that no field can swamp a view. */
const LIMITS = { id: 200, short: 1_000, url: 8_192, title: 10_000, text: 1_000_000, list: 1_000 } as const;

type Check = (value: unknown, path: string, problems: string[]) => void;

const shown = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `text of ${value.length} characters`;
  return `${typeof value} ${String(value).slice(0, 40)}`;
};

const text =
  (max: number, { nonEmpty = false } = {}): Check =>
  (value, path, problems) => {
    if (typeof value !== 'string') return void problems.push(`${path} should be text, but is ${shown(value)}`);
    if (value.length > max) problems.push(`${path} is ${value.length} characters long; at most ${max} are accepted`);
    if (nonEmpty && value.length === 0) problems.push(`${path} is empty`);
  };

const time: Check = (value, path, problems) => {
  text(64, { nonEmpty: true })(value, path, problems);
  if (typeof value === 'string' && Number.isNaN(Date.parse(value))) problems.push(`${path} is not a time`);
};

const oneOf =
  (values: readonly string[], what: string): Check =>
  (value, path, problems) => {
    if (typeof value !== 'string' || !values.includes(value))
      problems.push(`${path} should be ${what} (${values.join(', ')}), but is ${shown(value)}`);
  };

const bool: Check = (value, path, problems) => {
  if (typeof value !== 'boolean') problems.push(`${path} should be true or false, but is ${shown(value)}`);
};

const number =
  (min: number, max: number, { integer = false } = {}): Check =>
  (value, path, problems) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
      return void problems.push(`${path} should be ${integer ? 'a whole number' : 'a number'}, but is ${shown(value)}`);
    }
    if (value < min || value > max) problems.push(`${path} is ${value}, outside ${min} to ${max}`);
  };

const nullable =
  (check: Check): Check =>
  (value, path, problems) => {
    if (value !== null) check(value, path, problems);
  };

const listOf =
  (check: Check, max: number = LIMITS.list): Check =>
  (value, path, problems) => {
    if (!Array.isArray(value)) return void problems.push(`${path} should be a list, but is ${shown(value)}`);
    if (value.length > max) return void problems.push(`${path} has ${value.length} items; at most ${max} are accepted`);
    value.forEach((item, i) => check(item, `${path}[${i}]`, problems));
  };

/** An object with exactly these fields; those marked optional may be absent. */
const object =
  (fields: Record<string, Check>, optional: readonly string[] = []): Check =>
  (value, path, problems) => {
    if (!isRecord(value)) return void problems.push(`${path} should be an object, but is ${shown(value)}`);
    const record = value;
    for (const key of Object.keys(record)) {
      if (!Object.hasOwn(fields, key))
        problems.push(`${path} has a field Witness Box does not know: ${key.slice(0, 60)}`);
    }
    for (const [key, check] of Object.entries(fields)) {
      if (!Object.hasOwn(record, key)) {
        if (!optional.includes(key)) problems.push(`${path}.${key} is missing`);
        continue;
      }
      check(record[key], `${path}.${key}`, problems);
    }
  };

const platform = oneOf(Object.keys(PLATFORMS), 'a known platform');
const artifactName: Check = (value, path, problems) => {
  if (!isArtifactName(value)) problems.push(`${path} should be a known artifact name, but is ${shown(value)}`);
};
const hex64: Check = (value, path, problems) => {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value))
    problems.push(`${path} should be a SHA-256 in hex, but is ${shown(value)}`);
};
const url = text(LIMITS.url);
const short = text(LIMITS.short);

const artifactRef = object({
  name: artifactName,
  mime: text(100),
  bytes: number(0, Number.MAX_SAFE_INTEGER, { integer: true }),
  sha256: hex64,
  hashedAt: time,
});

const captureSchema = object(
  {
    id: text(LIMITS.id, { nonEmpty: true }),
    caseId: text(LIMITS.id),
    kind: oneOf(['post', 'page', 'profile', 'message'], 'a kind of capture'),
    parentId: nullable(text(LIMITS.id)),
    platform,
    url,
    pageTitle: text(LIMITS.title),
    permalink: nullable(url),
    postId: nullable(short),
    author: object({ displayName: nullable(short), handle: nullable(short), profileUrl: nullable(url) }),
    text: nullable(text(LIMITS.text)),
    shownTime: object({ raw: nullable(short), iso: nullable(short), rule: nullable(short) }, ['rule']),
    mediaUrls: listOf(url),
    isReply: bool,
    replyToUrl: nullable(url),
    quotedPostUrl: nullable(url),
    conversation: object({ title: nullable(short), url: nullable(url), participants: listOf(short) }),
    selectedText: text(LIMITS.text),
    adapter: object({
      adapter: platform,
      version: number(0, 1_000_000, { integer: true }),
      fields: object(Object.fromEntries(READ_FIELDS.map((f) => [f, text(200)]))),
      unread: listOf(oneOf(READ_FIELDS, 'a field name'), READ_FIELDS.length),
    }),
    profile: nullable(
      object({
        platform,
        displayName: nullable(short),
        handle: nullable(short),
        profileUrl: nullable(url),
        bio: nullable(text(100_000)),
        followersShown: nullable(short),
        followingShown: nullable(short),
        postsShown: nullable(short),
        joinedShown: nullable(short),
        accountId: nullable(short),
        verified: nullable(bool),
        state: oneOf(['public', 'protected', 'suspended', 'not-found', 'login-wall', 'unknown'], 'a profile state'),
      }),
    ),
    capturedAt: time,
    timeZone: text(100),
    capturedAtLocal: text(100),
    capturedBy: short,
    onBehalfOf: short,
    browser: short,
    os: short,
    extensionVersion: text(100),
    postRect: nullable(
      object({
        x: number(-1e7, 1e7),
        y: number(-1e7, 1e7),
        width: number(0, 1e7),
        height: number(0, 1e7),
      }),
    ),
    devicePixelRatio: number(0.01, 100),
    artifacts: listOf(artifactRef, 20),
    missing: listOf(object({ name: artifactName, reason: short }), 20),
    pending: listOf(artifactName, 20),
  },
  ['conversation', 'selectedText', 'adapter'],
);

/** Every way `value` is not a capture record, each naming its field; empty when it is one. */
export function captureProblems(value: unknown, path = 'capture'): string[] {
  const problems: string[] = [];
  captureSchema(value, path, problems);
  return problems;
}

export function isCapture(value: unknown): value is Capture {
  return captureProblems(value).length === 0;
}

/** "capture abc123 (captured 2026-11-20T18:42:07.000Z)": how a broken record is named to the user, from what can be read of it. */
export function nameOfRecord(value: unknown): string {
  const record = isRecord(value) ? value : {};
  const id = typeof record.id === 'string' ? record.id.slice(0, LIMITS.id) : 'with no readable id';
  const at = typeof record.capturedAt === 'string' ? ` (captured ${record.capturedAt.slice(0, 64)})` : '';
  return `capture ${id}${at}`;
}

/** A stored record that fails the schema: set aside, named, so the views and the export carry on with the rest. */
export interface DamagedRecord {
  /** How to name it to the user (`nameOfRecord`). */
  name: string;
  problems: string[];
}

/** Records read from storage, split into sound captures and damaged ones. */
export function partitionRecords(values: readonly unknown[]): { captures: Capture[]; damaged: DamagedRecord[] } {
  const captures: Capture[] = [];
  const damaged: DamagedRecord[] = [];
  for (const value of values) {
    const problems = captureProblems(value);
    if (problems.length === 0 && isCapture(value)) captures.push(value);
    else damaged.push({ name: nameOfRecord(value), problems: problems.slice(0, 5) });
  }
  return { captures, damaged };
}

/** "capture abc (captured …) is damaged and is not shown: capture.text should be text, …": one line per damaged record. */
export function describeDamaged(record: DamagedRecord, what = 'is not shown'): string {
  return `The stored ${record.name} is damaged and ${what}: ${record.problems.join('; ')}.`;
}
