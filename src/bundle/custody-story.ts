import { fullEvents, type CustodyLogEntry } from '../evidence/custody-chain';
import { isArtifactName, isRecord } from '../evidence/effective';
import type { CustodyEvent } from '../evidence/model';
import { CUSTODY_LOG_PATH, MANIFEST_PATH, METADATA_NAME } from './export';
import type { CheckedManifest, VerifyProblem } from './verify-types';

/**
 * The custody log tells how each capture came to be: its `captured` event
 * holds every artifact's SHA-256 as hashed at capture, and `artifact-added`
 * events the ones that followed. Hashes recomputed over a changed file (in
 * SHA256SUMS, the manifest and metadata.json) still disagree with that story,
 * so each capture's files, metadata.json and events are held to each other
 * here; and the log as a whole to what the manifest (which the signature
 * covers) says it held: how many entries, which bytes, which `captured` events.
 */

/** name → SHA-256, as one source records a capture's artifacts. */
type Hashes = Map<string, string>;

export function checkCustodyStory(
  manifest: CheckedManifest,
  custody: readonly CustodyLogEntry[],
  metadata: ReadonlyMap<string, unknown>,
  logSha256: string | undefined,
): VerifyProblem[] {
  const problems: VerifyProblem[] = [...checkLogAgainstManifest(manifest, custody, logSha256)];
  const events = fullEvents(custody);
  const ids = new Set(manifest.captures.map((c) => c.id));
  for (const capture of manifest.captures) {
    problems.push(...checkCapture(manifest, capture, events, metadata.get(capture.folder)));
  }
  // A genuine bundle shows in full only events about its own captures; others are stand-ins.
  for (const event of events) {
    if (event.captureId === null || ids.has(event.captureId)) continue;
    problems.push(
      story(
        event.seq,
        `Custody event ${event.seq} (${event.action}) is about capture ${event.captureId}, which this bundle does not hold: a capture may have been removed from it.`,
      ),
    );
  }
  return problems;
}

function story(seq: number | undefined, message: string, path = CUSTODY_LOG_PATH): VerifyProblem {
  return { kind: 'custody-story', path, ...(seq === undefined ? {} : { seq }), message };
}

/** Format 3 manifests record the log's length, digest and head; older ones carry a full copy of it instead. */
function checkLogAgainstManifest(
  manifest: CheckedManifest,
  custody: readonly CustodyLogEntry[],
  logSha256: string | undefined,
): VerifyProblem[] {
  const recorded = manifest.custodyLog;
  if (manifest.formatVersion < 3) return [];
  if (!recorded) {
    return [story(undefined, `${MANIFEST_PATH} does not record what ${CUSTODY_LOG_PATH} held when it was exported.`)];
  }
  const problems: VerifyProblem[] = [];
  if (recorded.entries !== custody.length) {
    const fewer = custody.length < recorded.entries;
    problems.push(
      story(
        undefined,
        `${CUSTODY_LOG_PATH} holds ${custody.length} ${custody.length === 1 ? 'event' : 'events'}, but ${MANIFEST_PATH} records ${recorded.entries}: ` +
          (fewer ? 'events were removed from the log.' : 'events were added to the log.'),
      ),
    );
  }
  const head = custody.at(-1)?.hash ?? null;
  if (recorded.lastHash !== head) {
    problems.push(
      story(
        custody.at(-1)?.seq,
        `The last event of ${CUSTODY_LOG_PATH} is not the one ${MANIFEST_PATH} records (${recorded.lastHash ?? 'none'}): the log was cut short, extended or rewritten.`,
      ),
    );
  }
  if (logSha256 !== undefined && recorded.sha256 !== logSha256) {
    problems.push(
      story(
        undefined,
        `${CUSTODY_LOG_PATH} has SHA-256 ${logSha256}, but ${MANIFEST_PATH} records ${recorded.sha256}: the log was changed after export.`,
      ),
    );
  }
  return problems;
}

function checkCapture(
  manifest: CheckedManifest,
  capture: CheckedManifest['captures'][number],
  events: readonly CustodyEvent[],
  metadata: unknown,
): VerifyProblem[] {
  const where = `${capture.folder} (capture ${capture.id})`;
  const mine = events.filter((e) => e.captureId === capture.id);
  const captured = mine.filter((e) => e.action === 'captured');
  const first = captured[0];
  if (!first) {
    return [
      story(
        undefined,
        `${CUSTODY_LOG_PATH} has no "captured" event for ${where}: the record of how it was captured, with each file's hash, is missing. Events may have been removed.`,
      ),
    ];
  }
  const problems: VerifyProblem[] = [];
  const early = mine.find((e) => e.seq < first.seq);
  if (early) {
    problems.push(
      story(
        early.seq,
        `Custody event ${early.seq} (${early.action}) about ${where} comes before the event that recorded its capture (${first.seq}): the log was reordered.`,
      ),
    );
  }
  if (captured.length > 1) {
    problems.push(
      story(
        captured[1]?.seq,
        `${CUSTODY_LOG_PATH} has ${captured.length} "captured" events for ${where} (events ${captured.map((e) => e.seq).join(', ')}); a capture is recorded once.`,
      ),
    );
  }
  if (manifest.formatVersion >= 3 && capture.capturedEvent !== first.hash) {
    problems.push(
      story(
        first.seq,
        `${MANIFEST_PATH} records ${where}'s "captured" event as ${capture.capturedEvent ?? 'none'}, but ${CUSTODY_LOG_PATH} has event ${first.seq} with hash ${first.hash}.`,
      ),
    );
  }
  const metaPath = `${capture.folder}/${METADATA_NAME}`;
  if (!isRecord(metadata)) return problems; // Unreadable metadata.json is reported where it is read.
  const record = isRecord(metadata.capture) ? metadata.capture : null;
  if (!record || record.id !== capture.id) {
    problems.push({
      kind: 'bad-manifest',
      path: metaPath,
      message: `${metaPath} does not describe capture ${capture.id}, which ${MANIFEST_PATH} says is in ${capture.folder}.`,
    });
    return problems;
  }
  for (const field of ['kind', 'url'] as const) {
    const logged = first.detail[field];
    if (logged !== undefined && logged !== record[field]) {
      problems.push(
        story(
          first.seq,
          `${metaPath} gives the capture's ${field} as ${JSON.stringify(record[field])}, but its "captured" event (${first.seq}) recorded ${JSON.stringify(logged)}.`,
          metaPath,
        ),
      );
    }
  }

  // At capture: the event's hashes are the stored record's.
  const atCapture = hashesOf(first.detail.artifacts);
  const recordHashes = hashesOf(record.artifacts);
  if (!atCapture) {
    problems.push(
      story(first.seq, `The "captured" event (${first.seq}) of ${where} holds no list of artifact hashes.`),
    );
    return problems;
  }
  problems.push(
    ...compare(atCapture, recordHashes ?? new Map(), capture.folder, {
      a: `its "captured" event (${first.seq})`,
      b: `${metaPath}'s capture record`,
      seq: first.seq,
    }),
  );

  // Now: every artifact the bundle carries or says it left out is one the log recorded, with the same hash.
  const expected = new Map(atCapture);
  for (const event of mine) {
    if (event.action !== 'artifact-added') continue;
    const added = hashesOf([event.detail.artifact]);
    for (const [name, sha256] of added ?? []) if (!expected.has(name)) expected.set(name, sha256);
  }
  const described = new Map([...(hashesOf(metadata.artifacts) ?? []), ...(hashesOf(metadata.omitted) ?? [])]);
  problems.push(
    ...compare(expected, described, capture.folder, {
      a: `${CUSTODY_LOG_PATH} (the "captured" and "artifact-added" events)`,
      b: metaPath,
      seq: first.seq,
    }),
  );

  // Each file the manifest lists for the capture is its metadata.json or an artifact it describes.
  const carried = hashesOf(metadata.artifacts) ?? new Map();
  for (const file of capture.files) {
    const name = file.path.slice(capture.folder.length + 1);
    if (!file.path.startsWith(`${capture.folder}/`) || (name !== METADATA_NAME && !carried.has(name))) {
      problems.push({
        kind: 'unlisted-file',
        path: file.path,
        message: `${MANIFEST_PATH} lists ${file.path} for ${where}, but neither its metadata.json nor its custody events record such an artifact.`,
      });
    }
  }
  return problems;
}

/** `[{name, sha256}]` as a map, or null when it is not such a list. */
function hashesOf(value: unknown): Hashes | null {
  if (!Array.isArray(value)) return null;
  const out: Hashes = new Map();
  for (const item of value) {
    if (!isRecord(item) || !isArtifactName(item.name) || typeof item.sha256 !== 'string') return null;
    out.set(item.name, item.sha256);
  }
  return out;
}

function compare(a: Hashes, b: Hashes, folder: string, labels: { a: string; b: string; seq: number }): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name);
    const y = b.get(name);
    if (x === y) continue;
    const path = `${folder}/${name}`;
    const message =
      x === undefined
        ? `${path}: ${labels.b} lists it with SHA-256 ${y}, but ${labels.a} never recorded it: it was added after capture.`
        : y === undefined
          ? `${path}: ${labels.a} records it with SHA-256 ${x}, but ${labels.b} does not list it: it was removed.`
          : `${path} is not the file that was captured: ${labels.a} records SHA-256 ${x}, but ${labels.b} has ${y}.`;
    problems.push({ kind: 'custody-story', path, seq: labels.seq, message });
  }
  return problems;
}
