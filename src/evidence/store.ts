import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Capture, CaptureSummary, Case, CustodyEvent, CustodyEventBody, StoredArtifact } from './model';
import { nextCustodyEvent } from './custody-chain';
import { effectiveArtifacts } from './effective';
import { profileStatusOf } from './profile-status';

/**
 * The evidence store. Artifact bytes live apart from capture metadata so a
 * list reads only small records. Every write that changes evidence commits
 * together with its custody event, in one transaction: either both are
 * stored or neither is.
 */

export const DB_NAME = 'witness-box';
/** 1: captures, artifacts, custody, cases. 2: keys (the installation's signing key). */
export const DB_VERSION = 2;

export interface EvidenceSchema extends DBSchema {
  captures: { key: string; value: Capture; indexes: { capturedAt: string; caseId: string; parentId: string } };
  artifacts: { key: [string, string]; value: StoredArtifact; indexes: { captureId: string } };
  custody: { key: number; value: CustodyEvent; indexes: { captureId: string } };
  cases: { key: string; value: Case };
  keys: { key: string; value: StoredSigningKey };
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
  for (let attempt = 0; attempt < 20; attempt++) {
    const event = await nextCustodyEvent((await lastCustodyEvent(db)) ?? null, body);
    const tx = db.transaction([...new Set<StoreNames<EvidenceSchema>>([...stores, 'custody'])], 'readwrite');
    try {
      const head = await tx.objectStore('custody').openCursor(null, 'prev');
      if ((head?.value.seq ?? 0) !== event.seq - 1) throw new Error(HEAD_MOVED);
      await Promise.all([...write(tx), tx.objectStore('custody').add(event), tx.done]);
      return event;
    } catch (error) {
      if (!tx.error) tx.abort();
      await tx.done.catch(() => undefined);
      if (error instanceof Error && error.message === HEAD_MOVED) continue;
      throw isQuotaError(error) || isQuotaError(tx.error) ? new StorageFullError() : error;
    }
  }
  throw new Error('Could not append to the custody log: too many writers at once. Try again.');
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

export function storeCapture(db: EvidenceDb, capture: Capture, artifacts: StoredArtifact[], actor: string): Promise<CustodyEvent> {
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
export async function listCaptures(db: EvidenceDb, limit: number): Promise<Capture[]> {
  const out: Capture[] = [];
  let cursor = await db.transaction('captures').store.index('capturedAt').openCursor(null, 'prev');
  while (cursor && out.length < limit) {
    if (cursor.value.parentId === null) out.push(cursor.value);
    cursor = await cursor.continue();
  }
  return out;
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
    profile: profileStatusOf(capture, children, events, profileRunning, (id) => linked.get(id)),
  };
}
