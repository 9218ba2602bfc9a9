import type { CustodyLogEntry } from './custody-chain';
import type { ArtifactName, ArtifactRef, Capture, CustodyEvent, MissingArtifact } from './model';

/**
 * A capture's artifacts as they stand now. The stored record is never
 * rewritten, so artifacts that arrive (or fail) after it was stored live in
 * custody events; this folds them back in, for the UI and the bundle alike.
 */
export interface EffectiveArtifacts {
  artifacts: ArtifactRef[];
  missing: MissingArtifact[];
  /** Still being made: listed as pending when stored, and no event has settled them yet. */
  pending: ArtifactName[];
}

/** A Record, not an array, so the compiler insists every ArtifactName is listed. */
const KNOWN_ARTIFACTS: Record<ArtifactName, true> = {
  'post.png': true,
  'post-render.png': true,
  'viewport.png': true,
  'fullpage.png': true,
  'page.mhtml': true,
  'post.html': true,
  'page.html': true,
  'timestamp.tsr': true,
};

export function isArtifactName(value: unknown): value is ArtifactName {
  return typeof value === 'string' && Object.hasOwn(KNOWN_ARTIFACTS, value);
}

export function isArtifactRef(value: unknown): value is ArtifactRef {
  if (!isRecord(value)) return false;
  const { name, mime, bytes, sha256, hashedAt } = value;
  return (
    isArtifactName(name) &&
    typeof mime === 'string' &&
    typeof bytes === 'number' &&
    Number.isSafeInteger(bytes) &&
    bytes >= 0 &&
    typeof sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(sha256) &&
    typeof hashedAt === 'string'
  );
}

export function isMissingArtifact(value: unknown): value is MissingArtifact {
  return isRecord(value) && isArtifactName(value.name) && typeof value.reason === 'string';
}

export function isArrayOf<T>(value: unknown, guard: (item: unknown) => item is T): value is T[] {
  return Array.isArray(value) && value.every(guard);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `capture.artifacts` plus its `artifact-added` events; `capture.missing` plus
 * its `artifact-failed` events. Artifacts are immutable, so the first record of
 * a name wins, and a name that later arrived is no longer missing.
 * Stand-ins (a bundle's redacted events) concern other captures and are skipped.
 * Throws if an event's detail is malformed: corrupt history must be seen, not skipped.
 */
export function effectiveArtifacts(capture: Capture, custody: readonly CustodyLogEntry[]): EffectiveArtifacts {
  const artifacts = new Map<ArtifactName, ArtifactRef>(capture.artifacts.map((a) => [a.name, a]));
  const missing = new Map<ArtifactName, MissingArtifact>();
  for (const m of capture.missing) if (!missing.has(m.name)) missing.set(m.name, m);

  const events = custody
    .filter((e): e is CustodyEvent => 'captureId' in e && e.captureId === capture.id)
    .sort((a, b) => a.seq - b.seq);
  for (const event of events) {
    if (event.action === 'artifact-added') {
      const ref = event.detail.artifact;
      if (!isArtifactRef(ref)) throw malformed(event, 'an artifact record {name, mime, bytes, sha256, hashedAt}');
      if (!artifacts.has(ref.name)) artifacts.set(ref.name, ref);
    } else if (event.action === 'artifact-failed') {
      const { name, reason } = event.detail;
      const failure = { name, reason };
      if (!isMissingArtifact(failure)) throw malformed(event, 'an artifact name and a reason');
      if (!missing.has(failure.name)) missing.set(failure.name, failure);
    }
  }

  const settled = (name: ArtifactName): boolean => artifacts.has(name) || missing.has(name);
  return {
    artifacts: [...artifacts.values()],
    missing: [...missing.values()].filter((m) => !artifacts.has(m.name)),
    pending: capture.pending.filter((name) => !settled(name)),
  };
}

function malformed(event: CustodyEvent, expected: string): Error {
  return new Error(
    `Custody event ${event.seq} (${event.action}) for capture ${event.captureId} does not hold ${expected}; the custody log may be damaged.`,
  );
}
