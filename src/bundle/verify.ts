import JSZip from 'jszip';
import { isCustodyEvent, verifyCustodyChain } from '../evidence/custody-chain';
import { isArtifactRef, isRecord } from '../evidence/effective';
import type { CustodyEvent } from '../evidence/model';
import { canonicalJson, sha256Hex } from '../evidence/sha256';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  CUSTODY_LOG_PATH,
  MANIFEST_PATH,
  METADATA_NAME,
  SUMS_PATH,
  type BundleFileEntry,
} from './export';
import { parseSha256Sums, Sha256SumsError, type Sha256SumsEntry } from './sha256sums';

/**
 * Checks a bundle the way an officer would with `sha256sum -c`, and more:
 * the manifest, each artifact's hash from capture time, and the custody chain.
 * Never extracts anything, and reports every problem it finds rather than the first.
 */

export type VerifyProblemKind =
  | 'hash-mismatch'
  | 'missing-file'
  | 'unlisted-file'
  | 'bad-sha256sums'
  | 'bad-manifest'
  | 'custody-chain'
  | 'unsafe-path'
  /** The file is not a zip that can be read at all; nothing else was checked. */
  | 'unreadable-zip';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  path?: string;
  seq?: number;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Files whose bytes were read and hashed. */
  filesChecked: number;
  problems: VerifyProblem[];
}

interface ActualFile {
  bytes: number;
  sha256: string;
}

/** Files read as text for checking; artifacts are only hashed, never kept. */
const isTextToRead = (path: string): boolean =>
  path === SUMS_PATH || path === MANIFEST_PATH || path === CUSTODY_LOG_PATH || path.endsWith(`/${METADATA_NAME}`);

export async function verifyBundle(zip: Blob | Uint8Array): Promise<VerifyResult> {
  const problems = new Problems();
  const archive = await openZip(zip);
  if (typeof archive === 'string') {
    return { ok: false, filesChecked: 0, problems: [{ kind: 'unreadable-zip', message: archive }] };
  }
  const { actual, texts } = await hashEntries(archive, problems);

  checkSha256Sums(texts.get(SUMS_PATH), actual, problems);
  const manifest = readManifest(texts.get(MANIFEST_PATH), problems);
  if (manifest) checkManifestFiles(manifest, actual, texts, problems);
  await checkCustody(texts.get(CUSTODY_LOG_PATH), manifest?.custody ?? null, problems);

  return { ok: problems.list.length === 0, filesChecked: actual.size, problems: problems.list };
}

/** One problem per kind and file: a changed file named by both SHA256SUMS and the manifest is one finding. */
class Problems {
  readonly list: VerifyProblem[] = [];
  private readonly seen = new Set<string>();

  add(problem: VerifyProblem): void {
    if (problem.path !== undefined) {
      const key = `${problem.kind}\u0000${problem.path}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    this.list.push(problem);
  }
}

async function openZip(zip: Blob | Uint8Array): Promise<JSZip | string> {
  try {
    // jszip reads Blobs through FileReader, which workers and Node lack; bytes work everywhere.
    const bytes = zip instanceof Uint8Array ? zip : new Uint8Array(await zip.arrayBuffer());
    return await JSZip.loadAsync(bytes);
  } catch (err) {
    return `This file could not be opened as a zip, so nothing in it could be checked (${errorText(err)}).`;
  }
}

/** Why an entry name could write outside the folder it is unzipped into, or null if it is safe. */
export function unsafePathReason(path: string): string | null {
  if (path === '') return 'it has no name';
  if (path.includes('\\')) return 'it contains a backslash, which Windows treats as a folder separator';
  if (path.startsWith('/')) return 'it is an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'it starts with a drive letter';
  if (path.includes(':')) return 'it contains a colon, which Windows treats as a drive or hidden stream';
  if (path.split('/').includes('..')) return 'it climbs out of the folder with ".."';
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'it contains control characters';
  return null;
}

function unsafePathProblem(path: string, reason: string, where: string): VerifyProblem {
  return {
    kind: 'unsafe-path',
    path,
    message: `${where} names ${JSON.stringify(path)}, which is not a safe file name: ${reason}. It was not read or unzipped. A genuine Witness Box bundle never contains such names.`,
  };
}

async function hashEntries(
  archive: JSZip,
  problems: Problems,
): Promise<{ actual: Map<string, ActualFile>; texts: Map<string, string> }> {
  const actual = new Map<string, ActualFile>();
  const texts = new Map<string, string>();
  for (const entry of Object.values(archive.files)) {
    if (entry.dir) continue;
    // jszip quietly rewrites "../x" to "x" on load; judge the name as stored in the zip.
    const stored = entry.unsafeOriginalName ?? entry.name;
    const unsafe = unsafePathReason(stored);
    if (unsafe) {
      problems.add(unsafePathProblem(stored, unsafe, 'The zip has an entry that'));
      continue;
    }
    // jszip returns a view on a plain ArrayBuffer (never a shared one); its typings just do not say so.
    const bytes = (await entry.async('uint8array')) as Uint8Array<ArrayBuffer>;
    actual.set(stored, { bytes: bytes.byteLength, sha256: await sha256Hex(bytes) });
    if (isTextToRead(stored)) texts.set(stored, new TextDecoder().decode(bytes));
  }
  return { actual, texts };
}

interface Claim {
  path: string;
  sha256: string;
  bytes?: number;
  /** The file that makes the claim, for the message. */
  source: string;
}

function checkClaim(claim: Claim, actual: ReadonlyMap<string, ActualFile>, problems: Problems): void {
  const unsafe = unsafePathReason(claim.path);
  if (unsafe) return problems.add(unsafePathProblem(claim.path, unsafe, claim.source));
  const file = actual.get(claim.path);
  if (!file) {
    return problems.add({
      kind: 'missing-file',
      path: claim.path,
      message: `${claim.path} is listed in ${claim.source} but is not in the bundle: it may have been removed.`,
    });
  }
  const sizeDiffers = claim.bytes !== undefined && claim.bytes !== file.bytes;
  if (claim.sha256 !== file.sha256 || sizeDiffers) {
    const recorded = claim.bytes === undefined ? '' : ` (${claim.bytes} bytes)`;
    problems.add({
      kind: 'hash-mismatch',
      path: claim.path,
      message:
        `${claim.path} has changed: ${claim.source} records SHA-256 ${claim.sha256}${recorded}, ` +
        `but the file in the bundle has SHA-256 ${file.sha256} (${file.bytes} bytes).`,
    });
  }
}

/** Files in the zip that `source` should list but does not: nothing vouches for them. */
function checkCoverage(
  actual: ReadonlyMap<string, ActualFile>,
  listed: ReadonlySet<string>,
  exempt: readonly string[],
  source: string,
  problems: Problems,
): void {
  for (const path of actual.keys()) {
    if (listed.has(path) || exempt.includes(path)) continue;
    problems.add({
      kind: 'unlisted-file',
      path,
      message: `${path} is in the bundle but not listed in ${source}, so nothing vouches for it: it may have been added after export.`,
    });
  }
}

function missingRequired(path: string, what: string): VerifyProblem {
  return { kind: 'missing-file', path, message: `${path} is missing from the bundle, so ${what} could not be checked.` };
}

function checkSha256Sums(text: string | undefined, actual: ReadonlyMap<string, ActualFile>, problems: Problems): void {
  if (text === undefined) return problems.add(missingRequired(SUMS_PATH, 'the files'));
  let entries: Sha256SumsEntry[];
  try {
    entries = parseSha256Sums(text);
  } catch (err) {
    if (!(err instanceof Sha256SumsError)) throw err;
    return problems.add({ kind: 'bad-sha256sums', path: SUMS_PATH, message: `${err.message}. The files could not be checked against it.` });
  }
  for (const e of entries) checkClaim({ ...e, source: SUMS_PATH }, actual, problems);
  checkCoverage(actual, new Set(entries.map((e) => e.path)), [SUMS_PATH], SUMS_PATH, problems);
}

// ---------------------------------------------------------------------------
// manifest.json

interface ManifestCapture {
  id: string;
  folder: string;
  files: BundleFileEntry[];
}

/** The parts of the manifest verification relies on, shape-checked. */
interface CheckedManifest {
  files: BundleFileEntry[];
  captures: ManifestCapture[];
  custody: CustodyEvent[];
}

function readManifest(text: string | undefined, problems: Problems): CheckedManifest | null {
  if (text === undefined) {
    problems.add(missingRequired(MANIFEST_PATH, 'the list of captures'));
    return null;
  }
  const parsed = parseManifest(text);
  if (typeof parsed === 'string') {
    problems.add({ kind: 'bad-manifest', path: MANIFEST_PATH, message: `${MANIFEST_PATH} ${parsed}.` });
    return null;
  }
  return parsed;
}

/** The manifest, or what is wrong with it. */
function parseManifest(text: string): CheckedManifest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `is not valid JSON (${errorText(err)})`;
  }
  if (!isRecord(value) || value.format !== BUNDLE_FORMAT) return 'is not a Witness Box bundle manifest';
  if (value.formatVersion !== BUNDLE_FORMAT_VERSION) {
    return `has format version ${String(value.formatVersion)}; this version of Witness Box reads version ${BUNDLE_FORMAT_VERSION}`;
  }
  const { files, captures, custody } = value;
  if (!isArrayOf(files, isFileEntry)) return 'has a "files" list that is not a list of {path, bytes, sha256}';
  if (!isArrayOf(captures, isManifestCapture)) return 'has a "captures" list with a capture lacking its id, folder or files';
  if (!isArrayOf(custody, isCustodyEvent)) return 'has a "custody" list with an entry that is not a custody event';
  return { files, captures, custody };
}

function isArrayOf<T>(value: unknown, guard: (item: unknown) => item is T): value is T[] {
  return Array.isArray(value) && value.every(guard);
}

function isFileEntry(value: unknown): value is BundleFileEntry {
  return (
    isRecord(value) &&
    typeof value.path === 'string' &&
    typeof value.bytes === 'number' &&
    typeof value.sha256 === 'string'
  );
}

function isManifestCapture(value: unknown): value is ManifestCapture {
  return isRecord(value) && typeof value.id === 'string' && typeof value.folder === 'string' && isArrayOf(value.files, isFileEntry);
}

function checkManifestFiles(
  manifest: CheckedManifest,
  actual: ReadonlyMap<string, ActualFile>,
  texts: ReadonlyMap<string, string>,
  problems: Problems,
): void {
  const captureFiles = manifest.captures.flatMap((c) => c.files);
  for (const f of [...manifest.files, ...captureFiles]) checkClaim({ ...f, source: MANIFEST_PATH }, actual, problems);
  checkCoverage(actual, new Set(manifest.files.map((f) => f.path)), [MANIFEST_PATH, SUMS_PATH], MANIFEST_PATH, problems);
  for (const c of manifest.captures) checkCaptureTimeHashes(c, actual, texts, problems);
}

/**
 * Each artifact against the hash taken when it was captured (metadata.json):
 * catches a file swapped in with SHA256SUMS and the manifest rewritten to match.
 */
function checkCaptureTimeHashes(
  capture: ManifestCapture,
  actual: ReadonlyMap<string, ActualFile>,
  texts: ReadonlyMap<string, string>,
  problems: Problems,
): void {
  const path = `${capture.folder}/${METADATA_NAME}`;
  const text = texts.get(path);
  if (text === undefined) return; // Already reported as missing against the manifest's list.
  let artifacts: unknown;
  try {
    artifacts = (JSON.parse(text) as { artifacts?: unknown }).artifacts;
  } catch (err) {
    return problems.add({ kind: 'bad-manifest', path, message: `${path} is not valid JSON (${errorText(err)}).` });
  }
  if (!isArrayOf(artifacts, isArtifactRef)) {
    return problems.add({ kind: 'bad-manifest', path, message: `${path} has no valid list of the capture's artifacts and their hashes.` });
  }
  const source = `${path} (the fingerprint taken when it was captured)`;
  for (const ref of artifacts) checkClaim({ path: `${capture.folder}/${ref.name}`, sha256: ref.sha256, bytes: ref.bytes, source }, actual, problems);
}

// ---------------------------------------------------------------------------
// custody-log.jsonl

async function checkCustody(text: string | undefined, manifestCustody: CustodyEvent[] | null, problems: Problems): Promise<void> {
  if (text === undefined) return problems.add(missingRequired(CUSTODY_LOG_PATH, 'the custody log'));
  const events = parseCustodyLog(text, problems);
  if (!events) return;
  const chain = await verifyCustodyChain(events, { partial: true });
  if (!chain.ok) problems.add({ kind: 'custody-chain', path: CUSTODY_LOG_PATH, seq: chain.seq, message: chain.message });
  if (manifestCustody) compareCustodyCopies(events, manifestCustody, problems);
}

function parseCustodyLog(text: string, problems: Problems): CustodyEvent[] | null {
  const events: CustodyEvent[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (!isCustodyEvent(value)) {
      problems.add({
        kind: 'custody-chain',
        path: CUSTODY_LOG_PATH,
        message: `Line ${i + 1} of ${CUSTODY_LOG_PATH} is not a custody event, so the custody log could not be checked.`,
      });
      return null;
    }
    events.push(value);
  }
  return events;
}

/** The manifest carries a second copy of the log; the two must agree event for event. */
function compareCustodyCopies(log: readonly CustodyEvent[], manifest: readonly CustodyEvent[], problems: Problems): void {
  const length = Math.max(log.length, manifest.length);
  for (let i = 0; i < length; i++) {
    const a = log[i];
    const b = manifest[i];
    if (a && b && canonicalJson(a) === canonicalJson(b)) continue;
    const seq = (a ?? b)?.seq;
    problems.add({
      kind: 'custody-chain',
      path: MANIFEST_PATH,
      ...(seq === undefined ? {} : { seq }),
      message: `${CUSTODY_LOG_PATH} and ${MANIFEST_PATH} disagree about custody event ${seq ?? i + 1}: one of them has been changed.`,
    });
    return;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
