import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import {
  isCaptureReport,
  type Capture,
  type CaptureReport,
  type CaptureSummary,
  type Case,
  type CustodyEvent,
  type CustodyEventBody,
  type StoredArtifact,
} from './model';
import { nextCustodyEvent } from './custody-chain';
import { partitionRecords, type DamagedRecord } from './capture-schema';
import type { TrustedKey } from './fingerprint';
import { effectiveArtifacts } from './effective';
import { profileStatusOf } from './profile-status';

/**
 * The evidence store. Artifact bytes live apart from capture metadata so a
 * list reads only small records. Every write that changes evidence commits
 * together with its custody event, in one transaction: either both are
 * stored or neither is.
 */

export const DB_NAME = 'witness-box';
/** 1: captures, artifacts, custody, cases. 2: keys (the installation's signing key). 3: trustedKeys. */
export const DB_VERSION = 3;

export interface EvidenceSchema extends DBSchema {
  captures: { key: string; value: Capture; indexes: { capturedAt: string; caseId: string; parentId: string } };
  artifacts: { key: [string, string]; value: StoredArtifact; indexes: { captureId: string } };
  custody: { key: number; value: CustodyEvent; indexes: { captureId: string } };
  cases: { key: string; value: Case };
  keys: { key: string; value: StoredSigningKey };
  /** Other installations' keys the user confirmed by fingerprint; each change is also a custody event. */
  trustedKeys: { key: string; value: TrustedKey };
}

/** The installation's signing key pair; the private half cannot be exported, even by the extension. */
export interface StoredSigningKey {
  id: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  createdAt: string;
}

export type EvidenceDb = IDBPDatabase<EvidenceSchema>;
type WriteTx = IDBPTransaction<EvidenceSchema, StoreNames<EvidenceSchema>[], 'readwrite'>;

export function openEvidenceDb(name = DB_NAME): Promise<EvidenceDb> {
  return openDB<EvidenceSchema>(name, DB_VERSION, {
    // Each step upgrades from the version before it, so a store of any age reaches this one with nothing lost.
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const captures = db.createObjectStore('captures', { keyPath: 'id' });
        captures.createIndex('capturedAt', 'capturedAt');
        captures.createIndex('caseId', 'caseId');
        captures.createIndex('parentId', 'parentId');
        const artifacts = db.createObjectStore('artifacts', { keyPath: ['captureId', 'name'] });
        artifacts.createIndex('captureId', 'captureId');
        const custody = db.createObjectStore('custody', { keyPath: 'seq' });
        custody.createIndex('captureId', 'captureId');
        db.createObjectStore('cases', { keyPath: 'id' });
      }
      if (oldVersion < 2) db.createObjectStore('keys', { keyPath: 'id' });
      if (oldVersion < 3) db.createObjectStore('trustedKeys', { keyPath: 'fingerprint' });
    },
  });
}

export class StorageFullError extends Error {
  constructor() {
    super(
      'Storage is full: this capture was not saved. Export and then delete older captures, or free disk space, and try again. Nothing already saved was changed.',
    );
    this.name = 'StorageFullError';
  }
}

async function lastCustodyEvent(db: EvidenceDb): Promise<CustodyEvent | undefined> {
  const cursor = await db.transaction('custody').store.openCursor(null, 'prev');
  return cursor?.value;
}

const HEAD_MOVED = 'custody head moved';

/**
 * Commits `write` and the custody event `body` in one transaction. The
 * event's hash is computed before the transaction opens (IndexedDB commits a
 * transaction that waits on anything else), so the transaction re-reads the
 * chain head and starts over if another writer got in first.
 */
export async function commitWithCustody(
  db: EvidenceDb,
  body: CustodyEventBody,
  stores: StoreNames<EvidenceSchema>[],
  write: (tx: WriteTx) => Promise<unknown>[],
): Promise<CustodyEvent> {
  const [event] = await commitEventsWithCustody(db, async () => [body], stores, write);
  if (!event) throw new Error('No custody event was written.');
  return event;
}

/**
 * Commits `write` and the custody events `plan` returns, in order, in one
 * transaction. `plan` runs again on every attempt, after the chain head was
 * read, so events worked out from the store (the next exhibit number) are
 * never computed from a state another writer has since changed.
 */
export async function commitEventsWithCustody(
  db: EvidenceDb,
  plan: () => Promise<CustodyEventBody[]>,
  stores: StoreNames<EvidenceSchema>[],
  write: (tx: WriteTx) => Promise<unknown>[],
): Promise<CustodyEvent[]> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const head = (await lastCustodyEvent(db)) ?? null;
    const bodies = await plan();
    const events: CustodyEvent[] = [];
    let prev = head;
    for (const body of bodies) {
      prev = await nextCustodyEvent(prev, withClockNote(prev, body));
      events.push(prev);
    }
    const tx = db.transaction([...new Set<StoreNames<EvidenceSchema>>([...stores, 'custody'])], 'readwrite');
    try {
      const current = await tx.objectStore('custody').openCursor(null, 'prev');
      if ((current?.value.seq ?? 0) !== (head?.seq ?? 0)) throw new Error(HEAD_MOVED);
      const custody = tx.objectStore('custody');
      await Promise.all([...write(tx), ...events.map((e) => custody.add(e)), tx.done]);
      return events;
    } catch (error) {
      if (!tx.error) tx.abort();
      await tx.done.catch(() => undefined);
      if (error instanceof Error && error.message === HEAD_MOVED) continue;
      throw isQuotaError(error) || isQuotaError(tx.error) ? new StorageFullError() : error;
    }
  }
  throw new Error('Could not append to the custody log: too many writers at once. Try again.');
}

/**
 * Order is by sequence, never by clock; but a clock that reads earlier than the
 * event before it (set back by hand, a time-zone or NTP correction, a flat
 * battery) is worth saying out loud, so the event records it.
 */
function withClockNote(prev: CustodyEvent | null, body: CustodyEventBody): CustodyEventBody {
  if (!prev || !(Date.parse(body.at) < Date.parse(prev.at))) return body;
  const clockNote = {
    previousSeq: prev.seq,
    previousAt: prev.at,
    note: `This computer's clock read ${body.at}, earlier than event ${prev.seq} at ${prev.at}: the clock was set back or jumped. Events are ordered by sequence number, not by time.`,
  };
  return { ...body, detail: { ...body.detail, clockNote } };
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

export function storeCapture(
  db: EvidenceDb,
  capture: Capture,
  artifacts: StoredArtifact[],
  actor: string,
): Promise<CustodyEvent> {
  const body: CustodyEventBody = {
    at: new Date().toISOString(),
    actor,
    action: 'captured',
    captureId: capture.id,
    detail: {
      kind: capture.kind,
      url: capture.url,
      artifacts: capture.artifacts.map(({ name, sha256 }) => ({ name, sha256 })),
      missing: capture.missing,
    },
  };
  return commitWithCustody(db, body, ['captures', 'artifacts'], (tx) => [
    tx.objectStore('captures').add(capture),
    ...artifacts.map((a) => tx.objectStore('artifacts').add(a)),
  ]);
}

/** Records an artifact made after its capture was stored; its bytes are never replaced. */
export function addLateArtifact(
  db: EvidenceDb,
  artifact: StoredArtifact,
  ref: Capture['artifacts'][number],
  actor: string,
  extraDetail: Record<string, unknown> = {},
): Promise<CustodyEvent> {
  const body: CustodyEventBody = {
    at: new Date().toISOString(),
    actor,
    action: 'artifact-added',
    captureId: artifact.captureId,
    detail: { artifact: ref, ...extraDetail },
  };
  return commitWithCustody(db, body, ['artifacts'], (tx) => [tx.objectStore('artifacts').add(artifact)]);
}

export function recordArtifactFailure(
  db: EvidenceDb,
  captureId: string,
  name: StoredArtifact['name'],
  reason: string,
  actor: string,
): Promise<CustodyEvent> {
  const body: CustodyEventBody = {
    at: new Date().toISOString(),
    actor,
    action: 'artifact-failed',
    captureId,
    detail: { name, reason },
  };
  return commitWithCustody(db, body, [], () => []);
}

export async function getCapture(db: EvidenceDb, id: string): Promise<Capture | undefined> {
  return db.get('captures', id);
}

export async function readArtifact(db: EvidenceDb, captureId: string, name: string): Promise<Blob> {
  const stored = await db.get('artifacts', [captureId, name]);
  if (!stored) throw new Error(`Artifact ${name} of capture ${captureId} is not in storage.`);
  return stored.blob;
}

export async function custodyFor(db: EvidenceDb, captureId: string): Promise<CustodyEvent[]> {
  return db.getAllFromIndex('custody', 'captureId', captureId);
}

export async function allCustody(db: EvidenceDb): Promise<CustodyEvent[]> {
  return db.getAll('custody');
}

/**
 * The newest top-level captures, newest first, read through the capturedAt
 * index without touching artifact bytes. A profile captured for a post is
 * listed with its post, not on its own.
 */
export async function listCaptures(
  db: EvidenceDb,
  limit: number,
): Promise<{ captures: Capture[]; damaged: DamagedRecord[] }> {
  const out: Capture[] = [];
  const damaged: DamagedRecord[] = [];
  let cursor = await db.transaction('captures').store.index('capturedAt').openCursor(null, 'prev');
  while (cursor && out.length < limit) {
    const checked = partitionRecords([cursor.value]);
    damaged.push(...checked.damaged);
    for (const c of checked.captures) if (c.parentId === null) out.push(c);
    cursor = await cursor.continue();
  }
  return { captures: out, damaged };
}

export async function summarize(db: EvidenceDb, capture: Capture, profileRunning = false): Promise<CaptureSummary> {
  const events = await custodyFor(db, capture.id);
  const { artifacts, missing, pending } = effectiveArtifacts(capture, events);
  const children = await db.getAllFromIndex('captures', 'parentId', capture.id);
  const linked = new Map<string, Capture>();
  for (const event of events) {
    const id = event.action === 'profile-linked' ? event.detail.profileCaptureId : undefined;
    const found = typeof id === 'string' ? await db.get('captures', id) : undefined;
    if (found) linked.set(found.id, found);
  }
  return {
    id: capture.id,
    caseId: capture.caseId,
    kind: capture.kind,
    parentId: capture.parentId,
    platform: capture.platform,
    url: capture.url,
    permalink: capture.permalink,
    author: capture.author,
    text: capture.text,
    shownTime: capture.shownTime,
    capturedAt: capture.capturedAt,
    status: pending.length > 0 ? 'in-progress' : missing.length > 0 ? 'incomplete' : 'complete',
    artifactCount: artifacts.length,
    missing,
    unread: capture.adapter?.unread ?? [],
    profile: profileStatusOf(capture, children, events, profileRunning, (id) => linked.get(id)),
  };
}

// ---------------------------------------------------------------------------
// Cases, annotations and the manager's queries. Every write commits with its
// custody event through commitWithCustody; reads never touch artifact bytes
// unless a single artifact is asked for.

function now(): string {
  return new Date().toISOString();
}

export async function listCases(db: EvidenceDb): Promise<Case[]> {
  return (await db.getAll('cases')).sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name),
  );
}

/** Opens a case, recorded by a `case-created` event. */
export async function createCase(
  db: EvidenceDb,
  input: { name: string; onBehalfOf: string },
  actor: string,
): Promise<Case> {
  const name = input.name.trim();
  if (!name) throw new Error('A case needs a name.');
  const created: Case = { id: crypto.randomUUID(), name, onBehalfOf: input.onBehalfOf.trim(), createdAt: now() };
  await commitWithCustody(
    db,
    { at: created.createdAt, actor, action: 'case-created', captureId: null, detail: { case: created } },
    ['cases'],
    (tx) => [tx.objectStore('cases').add(created)],
  );
  return created;
}

async function requireCapture(db: EvidenceDb, captureId: string): Promise<Capture> {
  const capture = await db.get('captures', captureId);
  if (!capture) throw new Error('That capture is no longer stored.');
  return capture;
}

/** A note about a capture: a `noted` event; notes are never edited, only added. */
export async function addNote(db: EvidenceDb, captureId: string, note: string, actor: string): Promise<CustodyEvent> {
  const text = note.trim();
  if (!text) throw new Error('The note is empty.');
  await requireCapture(db, captureId);
  return commitWithCustody(db, { at: now(), actor, action: 'noted', captureId, detail: { note: text } }, [], () => []);
}

/** Adds or removes a tag: a `tagged` event {tag, op}. The current tags are the fold of these events. */
export async function tagCapture(
  db: EvidenceDb,
  captureId: string,
  tag: string,
  op: 'add' | 'remove',
  actor: string,
): Promise<CustodyEvent> {
  const name = tag.trim().toLowerCase();
  if (!name) throw new Error('The tag is empty.');
  await requireCapture(db, captureId);
  return commitWithCustody(
    db,
    { at: now(), actor, action: 'tagged', captureId, detail: { tag: name, op } },
    [],
    () => [],
  );
}

/** Records (or, with an existing reportId, updates) a report made about a capture: a `reported` event. */
export async function recordReport(
  db: EvidenceDb,
  captureId: string,
  report: CaptureReport,
  actor: string,
): Promise<CustodyEvent> {
  if (!isCaptureReport(report) || !report.recipient.trim() || !report.reportedAt.trim()) {
    throw new Error('A report needs who it went to and when.');
  }
  await requireCapture(db, captureId);
  return commitWithCustody(db, { at: now(), actor, action: 'reported', captureId, detail: { report } }, [], () => []);
}

/** The capture and the profile captures filed under it (its children). */
async function withChildren(db: EvidenceDb, capture: Capture): Promise<Capture[]> {
  return [capture, ...(await db.getAllFromIndex('captures', 'parentId', capture.id))];
}

/**
 * Files a capture, with its profile captures, under another case: one
 * transaction rewrites their `caseId` and records a `moved` event with the
 * case before and after. `caseId` is where the evidence is filed, not part
 * of what was observed; keeping it on the record keeps the caseId index
 * (exports and the manager's lists) right without replaying events.
 */
export async function moveCapture(
  db: EvidenceDb,
  captureId: string,
  toCaseId: string,
  actor: string,
): Promise<CustodyEvent> {
  const capture = await requireCapture(db, captureId);
  if (capture.caseId === toCaseId) throw new Error('The capture is already in that case.');
  const moving = await withChildren(db, capture);
  return commitWithCustody(
    db,
    {
      at: now(),
      actor,
      action: 'moved',
      captureId,
      detail: { fromCaseId: capture.caseId, toCaseId, captureIds: moving.map((c) => c.id) },
    },
    ['captures'],
    (tx) => moving.map((c) => tx.objectStore('captures').put({ ...c, caseId: toCaseId })),
  );
}

/**
 * Deletes a capture, and the profile captures filed under it, for good: one
 * transaction removes their records and every stored artifact byte and adds a
 * `deleted` event that keeps what was deleted (kind, addresses, author, capture
 * time) and every artifact's name, size and SHA-256. The record goes rather
 * than staying as a tombstone, so no export, list or search can ever meet a
 * capture whose bytes are gone; the custody log is the tombstone.
 */
export async function deleteCapture(
  db: EvidenceDb,
  captureId: string,
  actor: string,
  reason = '',
): Promise<CustodyEvent> {
  const capture = await requireCapture(db, captureId);
  const doomed = await withChildren(db, capture);
  const deleted = await Promise.all(
    doomed.map(async (c) => {
      const { artifacts } = effectiveArtifacts(c, await custodyFor(db, c.id));
      return {
        captureId: c.id,
        kind: c.kind,
        caseId: c.caseId,
        url: c.url,
        permalink: c.permalink,
        author: c.author,
        capturedAt: c.capturedAt,
        artifacts: artifacts.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
      };
    }),
  );
  return commitWithCustody(
    db,
    {
      at: now(),
      actor,
      action: 'deleted',
      captureId,
      detail: { reason: reason.trim(), captureIds: doomed.map((c) => c.id), deleted },
    },
    ['captures', 'artifacts'],
    (tx) =>
      doomed.flatMap((c) => [
        tx.objectStore('captures').delete(c.id),
        // Every [captureId, name] key of this capture: arrays sort after strings, so [id, []] bounds them all.
        tx.objectStore('artifacts').delete(IDBKeyRange.bound([c.id], [c.id, []])),
      ]),
  );
}

/** What the manager's list can be narrowed to; every field is optional. */
export interface CaptureFilter {
  caseId?: string;
  platform?: string;
  /** Matches the display name or handle, case-insensitively, anywhere in it. */
  author?: string;
  /** Matches the captured text, case-insensitively. */
  text?: string;
  /** UTC dates, YYYY-MM-DD, both inclusive. */
  from?: string;
  to?: string;
  /** Only posts whose author's profile was captured (or a recent capture linked). */
  hasProfile?: boolean;
}

/** Where the next page starts: the last capture shown. */
export interface PageCursor {
  capturedAt: string;
  id: string;
}

export interface CapturePage {
  captures: Capture[];
  /** Records met on the way that fail the schema: named, never shown as captures, never stopping the rest. */
  damaged: DamagedRecord[];
  /** Null when there is nothing after this page. */
  next: PageCursor | null;
}

export const MANAGER_PAGE_SIZE = 50;

/** Whether a capture's own fields match the filter (hasProfile needs the store; see queryCaptures). */
export function matchesFilter(capture: Capture, filter: CaptureFilter): boolean {
  if (filter.caseId !== undefined && capture.caseId !== filter.caseId) return false;
  if (filter.platform && capture.platform !== filter.platform) return false;
  if (filter.from && capture.capturedAt < `${filter.from}T00:00:00.000Z`) return false;
  if (filter.to && capture.capturedAt > `${filter.to}T23:59:59.999Z`) return false;
  const contains = (value: string | null, needle: string) =>
    (value ?? '').toLocaleLowerCase().includes(needle.toLocaleLowerCase());
  if (filter.author) {
    const needle = filter.author.trim().replace(/^@/, '');
    if (!contains(capture.author.displayName, needle) && !contains(capture.author.handle, needle)) return false;
  }
  if (filter.text && !contains(capture.text, filter.text.trim())) return false;
  return true;
}

/**
 * One page of top-level captures, newest first, read through the capturedAt
 * index: the cursor stops as soon as the page is full, so the cost follows the
 * page, not the store. Keyset paging (the last capture's time and id) stays
 * right while captures are added or deleted between pages.
 */
export async function queryCaptures(
  db: EvidenceDb,
  filter: CaptureFilter,
  after: PageCursor | null = null,
  limit = MANAGER_PAGE_SIZE,
): Promise<CapturePage> {
  const tx = db.transaction(['captures', 'custody'], 'readonly');
  const index = tx.objectStore('captures').index('capturedAt');
  const upper = after?.capturedAt ?? (filter.to ? `${filter.to}T23:59:59.999Z` : undefined);
  const lower = filter.from ? `${filter.from}T00:00:00.000Z` : undefined;
  const range =
    upper !== undefined && lower !== undefined
      ? upper < lower
        ? null
        : IDBKeyRange.bound(lower, upper)
      : upper !== undefined
        ? IDBKeyRange.upperBound(upper)
        : lower !== undefined
          ? IDBKeyRange.lowerBound(lower)
          : undefined;
  const captures: Capture[] = [];
  const damaged: DamagedRecord[] = [];
  let more = false;
  if (range !== null) {
    let cursor = await index.openCursor(range, 'prev');
    while (cursor) {
      const [c] = partitionRecords([cursor.value]).captures;
      if (!c) {
        damaged.push(...partitionRecords([cursor.value]).damaged);
        cursor = await cursor.continue();
        continue;
      }
      // Same time as the last one shown: the index orders those by id, descending.
      const seen = after !== null && c.capturedAt === after.capturedAt && c.id >= after.id;
      if (
        !seen &&
        c.parentId === null &&
        matchesFilter(c, filter) &&
        (filter.hasProfile === undefined || (await hasProfile(tx, c)) === filter.hasProfile)
      ) {
        if (captures.length === limit) {
          more = true;
          break;
        }
        captures.push(c);
      }
      cursor = await cursor.continue();
    }
  }
  await tx.done;
  const last = captures[captures.length - 1];
  return { captures, damaged, next: more && last ? { capturedAt: last.capturedAt, id: last.id } : null };
}

async function hasProfile(
  tx: IDBPTransaction<EvidenceSchema, ('captures' | 'custody')[], 'readonly'>,
  capture: Capture,
): Promise<boolean> {
  if ((await tx.objectStore('captures').index('parentId').count(capture.id)) > 0) return true;
  const events = await tx.objectStore('custody').index('captureId').getAll(capture.id);
  return events.some((e) => e.action === 'profile-linked');
}

/** Every capture's metadata (never artifact bytes): for the per-author view, which must see all of an account. */
export async function allCaptureRecords(db: EvidenceDb): Promise<{ captures: Capture[]; damaged: DamagedRecord[] }> {
  return partitionRecords(await db.getAll('captures'));
}
