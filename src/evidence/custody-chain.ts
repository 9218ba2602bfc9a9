import type { CustodyAction, CustodyEvent, CustodyEventBody } from './model';
import { isRecord } from './effective';
import { canonicalJson, sha256Hex } from './sha256';

/**
 * The custody log is a hash chain: each event's hash covers its own fields and
 * the previous event's hash, so changing, removing or reordering any event
 * breaks every link after it, and verification can say which event it was.
 */

/** The prevHash of the very first event of a log. */
export const GENESIS_HASH = '0'.repeat(64);

export type UnhashedCustodyEvent = CustodyEventBody & { seq: number; prevHash: string };

/** SHA-256 of the canonical JSON of every field but `hash` (a stored event may be passed as is). */
export async function hashCustodyEvent(event: UnhashedCustodyEvent & { hash?: string }): Promise<string> {
  const { hash: _ignored, ...fields } = event;
  return sha256Hex(new TextEncoder().encode(canonicalJson(fields)));
}

/** The event that follows `prev` (or starts a log, when `prev` is null), sealed with its hash. */
export async function nextCustodyEvent(prev: CustodyEvent | null, body: CustodyEventBody): Promise<CustodyEvent> {
  const unhashed: UnhashedCustodyEvent = {
    ...body,
    seq: prev ? prev.seq + 1 : 1,
    prevHash: prev ? prev.hash : GENESIS_HASH,
  };
  return { ...unhashed, hash: await hashCustodyEvent(unhashed) };
}

/**
 * What a bundle carries in place of an event that concerns none of its
 * captures (another case's capture, another case's export): the event's
 * position and links, none of its contents. The chain stays checkable link by
 * link across it, but its own hash cannot be recomputed without the contents.
 */
export interface CustodyStandIn {
  seq: number;
  prevHash: string;
  hash: string;
  redacted: true;
}

/** An entry of a bundle's custody log: an event in full, or a stand-in for one. */
export type CustodyLogEntry = CustodyEvent | CustodyStandIn;

/**
 * Strict: exactly the four fields. An event with `redacted: true` added is not
 * a stand-in, so adding the flag cannot switch off the check of its own hash.
 */
export function isStandIn(entry: CustodyLogEntry): entry is CustodyStandIn {
  return isCustodyStandIn(entry);
}

export function standInFor(event: CustodyLogEntry): CustodyStandIn {
  return { seq: event.seq, prevHash: event.prevHash, hash: event.hash, redacted: true };
}

/** The full events of a bundle log, stand-ins left out. */
export function fullEvents(entries: readonly CustodyLogEntry[]): CustodyEvent[] {
  return entries.filter((e): e is CustodyEvent => !isStandIn(e));
}

/**
 * Whether `event` is about any of `captureIds`: an event on one of them, or an
 * event on no single capture whose detail lists one of them in `captureIds`
 * (an export that included them).
 */
export function concernsCaptures(event: CustodyEvent, captureIds: ReadonlySet<string>): boolean {
  if (event.captureId !== null) return captureIds.has(event.captureId);
  const listed = event.detail.captureIds;
  return Array.isArray(listed) && listed.some((id) => typeof id === 'string' && captureIds.has(id));
}

/**
 * The log for a bundle of `captureIds`: every event, in order, but those that
 * concern none of the captures become stand-ins, so a bundle never shows what
 * else (which other cases, people, notes) the log holds.
 */
export function redactCustody(events: readonly CustodyEvent[], captureIds: ReadonlySet<string>): CustodyLogEntry[] {
  return events.map((e) => (concernsCaptures(e, captureIds) ? e : standInFor(e)));
}

export type ChainResult = { ok: true } | { ok: false; seq: number; message: string };

export interface VerifyChainOptions {
  /**
   * True when `events` is an excerpt (a bundle's log) that may start mid-chain:
   * then the first event need not be seq 1, though if it is, it must carry the genesis prevHash.
   * Numbering, linkage and each event's own hash are checked either way.
   */
  partial?: boolean;
}

/**
 * Checks the chain in order and reports the first event that breaks it. An
 * empty log is intact. A stand-in is checked by its links only: its number
 * and the hashes on either side of it.
 */
export async function verifyCustodyChain(
  events: readonly CustodyLogEntry[],
  options: VerifyChainOptions = {},
): Promise<ChainResult> {
  const first = events[0];
  // An excerpt that begins at event 1 is the log's true start, so it is held to the same rule.
  if (first && (!options.partial || first.seq === 1)) {
    const start = checkStart(first);
    if (start) return start;
  }
  for (const [i, event] of events.entries()) {
    const prev = events[i - 1];
    const linkProblem = prev ? (checkOrder(prev, event, events, i) ?? checkLink(prev, event)) : null;
    const problem = linkProblem ?? (isStandIn(event) ? null : await checkOwnHash(event));
    if (problem) return problem;
  }
  return { ok: true };
}

type Failure = Extract<ChainResult, { ok: false }>;

function fail(seq: number, message: string): Failure {
  return { ok: false, seq, message };
}

function checkStart(first: CustodyLogEntry): Failure | null {
  if (first.seq !== 1) {
    return fail(
      1,
      `The custody log should start at event 1 but starts at event ${first.seq}: the events before it are missing.`,
    );
  }
  if (first.prevHash !== GENESIS_HASH) {
    return fail(
      1,
      'Custody event 1 should be the first event ever recorded, but it claims to follow an earlier event.',
    );
  }
  return null;
}

function checkOrder(
  prev: CustodyLogEntry,
  event: CustodyLogEntry,
  events: readonly CustodyLogEntry[],
  i: number,
): Failure | null {
  const expected = prev.seq + 1;
  if (event.seq === expected) return null;
  const expectedLater = events.slice(i + 1).some((e) => e.seq === expected);
  if (event.seq < expected || expectedLater) {
    return fail(
      event.seq,
      `Custody event ${event.seq} is out of order: it comes after event ${prev.seq}. Events may have been reordered.`,
    );
  }
  const gap =
    expected === event.seq - 1 ? `Custody event ${expected} is` : `Custody events ${expected} to ${event.seq - 1} are`;
  return fail(
    expected,
    `${gap} missing: event ${prev.seq} is followed by event ${event.seq}. Events may have been removed.`,
  );
}

function checkLink(prev: CustodyLogEntry, event: CustodyLogEntry): Failure | null {
  if (event.prevHash === prev.hash) return null;
  return fail(
    event.seq,
    `Custody event ${event.seq} does not link to event ${prev.seq}: it records a different hash for the event before it. ` +
      `Event ${prev.seq} may have been changed, or an event replaced.`,
  );
}

async function checkOwnHash(event: CustodyEvent): Promise<Failure | null> {
  if ((await hashCustodyEvent(event)) === event.hash) return null;
  return fail(
    event.seq,
    `Custody event ${event.seq} (${event.action}${event.captureId ? ` on capture ${event.captureId}` : ''}, at ${event.at}) ` +
      'has been changed since it was recorded: its contents no longer match its hash.',
  );
}

const ACTIONS: Record<CustodyAction, true> = {
  captured: true,
  'artifact-added': true,
  'artifact-failed': true,
  'profile-linked': true,
  'profile-failed': true,
  noted: true,
  tagged: true,
  exported: true,
  imported: true,
  deleted: true,
  verified: true,
  reported: true,
  moved: true,
  'case-created': true,
  'key-trusted': true,
  'key-withdrawn': true,
  'exhibit-assigned': true,
  'exhibit-format-set': true,
  'statement-edited': true,
};

/** Shape check for events read from outside (a bundle's JSON), before the chain is verified. */
export function isCustodyEvent(value: unknown): value is CustodyEvent {
  if (!isRecord(value)) return false;
  const e = value;
  return (
    typeof e.seq === 'number' &&
    Number.isSafeInteger(e.seq) &&
    typeof e.at === 'string' &&
    typeof e.actor === 'string' &&
    typeof e.action === 'string' &&
    Object.hasOwn(ACTIONS, e.action) &&
    (e.captureId === null || typeof e.captureId === 'string') &&
    isRecord(e.detail) &&
    typeof e.prevHash === 'string' &&
    typeof e.hash === 'string'
  );
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Shape check for a stand-in read from outside: exactly its four fields, nothing else hidden beside them. */
export function isCustodyStandIn(value: unknown): value is CustodyStandIn {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value).sort().join(',');
  return (
    keys === 'hash,prevHash,redacted,seq' &&
    value.redacted === true &&
    typeof value.seq === 'number' &&
    Number.isSafeInteger(value.seq) &&
    typeof value.hash === 'string' &&
    HEX64.test(value.hash) &&
    typeof value.prevHash === 'string' &&
    HEX64.test(value.prevHash)
  );
}

export function isCustodyLogEntry(value: unknown): value is CustodyLogEntry {
  return isCustodyEvent(value) || isCustodyStandIn(value);
}
