import { isCustodyLogEntry, isStandIn, verifyCustodyChain, type CustodyLogEntry } from '../evidence/custody-chain';
import { isArrayOf, isArtifactRef, isRecord } from '../evidence/effective';
import type { ArtifactName, ArtifactRef } from '../evidence/model';
import { canonicalJson, sha256Hex } from '../evidence/sha256';
import {
  BUNDLE_FORMAT,
  CAPTURES_DIR,
  CUSTODY_LOG_PATH,
  isExportProfile,
  MANIFEST_PATH,
  METADATA_NAME,
  READABLE_FORMAT_VERSIONS,
  PUBLIC_KEY_PATH,
  SIGNATURE_PATH,
  SUMS_PATH,
  type BundleCustodyLogInfo,
  type BundleFileEntry,
} from './export';
import { parseSha256Sums, Sha256SumsError, type Sha256SumsEntry } from './sha256sums';
import { checkCustodyStory } from './custody-story';
import type { CheckedManifest, ManifestCapture, VerifyProblem, VerifyResult } from './verify-types';
import { pemToSpki, verifyDer } from '../evidence/signing';
import { parseTimeStampResponse, TimestampFormatError, type ParsedTimeStampResponse } from '../evidence/rfc3161';
import {
  DEFAULT_ZIP_LIMITS,
  openZip,
  toSource,
  ZipEntryError,
  ZipRefusedError,
  type ZipLimits,
  type ZipReader,
} from './zip-reader';

/**
 * Checks a bundle the way an officer would with `sha256sum -c`, and more:
 * the manifest, each artifact's hash from capture time, and the custody chain.
 * Never extracts anything, refuses hostile zips before unpacking them, and
 * reports every problem it finds rather than the first.
 */

export interface VerifyOptions {
  limits?: ZipLimits;
}

interface ActualFile {
  bytes: number;
  sha256: string;
}

/** What verifying found, for import to use without opening the zip again. */
export interface InspectedBundle {
  result: VerifyResult;
  zip: ZipReader | null;
  manifest: CheckedManifest | null;
  /** Parsed metadata.json per capture folder. */
  metadata: Map<string, unknown>;
  custody: CustodyLogEntry[] | null;
  /** Hashes of every file read, by path. */
  actual: Map<string, ActualFile>;
}

/** Files read as text for checking; artifacts are only hashed, never kept. */
const isTextToRead = (path: string): boolean =>
  path === SUMS_PATH ||
  path === MANIFEST_PATH ||
  path === CUSTODY_LOG_PATH ||
  path === PUBLIC_KEY_PATH ||
  path.endsWith(`/${METADATA_NAME}`);

const TIMESTAMP_NAME: ArtifactName = 'timestamp.tsr';

/** Files whose exact bytes are kept: a signature covers bytes, not decoded text; a timestamp is parsed. */
const isKeptRaw = (path: string): boolean =>
  path === MANIFEST_PATH || path === SIGNATURE_PATH || path.endsWith(`/${TIMESTAMP_NAME}`);

export async function verifyBundle(zip: Blob | Uint8Array, options: VerifyOptions = {}): Promise<VerifyResult> {
  return (await inspectBundle(zip, options)).result;
}

export async function inspectBundle(zip: Blob | Uint8Array, options: VerifyOptions = {}): Promise<InspectedBundle> {
  const problems = new Problems();
  let archive: ZipReader;
  try {
    archive = await openZip(toSource(zip), options.limits ?? DEFAULT_ZIP_LIMITS);
  } catch (err) {
    if (!(err instanceof ZipRefusedError)) throw err;
    const kind = err.reason === 'not-a-zip' ? 'unreadable-zip' : 'unsafe-zip';
    const result: VerifyResult = {
      ok: false,
      filesChecked: 0,
      problems: [{ kind, message: err.message }],
      profile: null,
      custodyEvents: 0,
      standIns: 0,
      signedBy: null,
      timestamps: [],
    };
    return { result, zip: null, manifest: null, metadata: new Map(), custody: null, actual: new Map() };
  }
  const { actual, texts, raw } = await hashEntries(archive, problems);

  checkSha256Sums(texts.get(SUMS_PATH), actual, problems);
  const manifest = readManifest(texts.get(MANIFEST_PATH), problems);
  const metadata = manifest ? checkManifestFiles(manifest, actual, texts, problems) : new Map<string, unknown>();
  // A platform-report bundle carries no custody log; any other (or one whose manifest is unreadable) must.
  const logRequired = manifest?.profile !== 'platform';
  const custody = await checkCustody(texts.get(CUSTODY_LOG_PATH), logRequired, manifest?.custody ?? null, problems);
  const signedBy = manifest?.signedWith
    ? await checkSignature(manifest.signedWith, texts.get(PUBLIC_KEY_PATH), raw, problems)
    : null;
  const timestamps = manifest && custody ? checkTimestamps(manifest, custody, raw, problems) : [];
  if (manifest && custody) {
    for (const p of checkCustodyStory(manifest, custody, metadata, actual.get(CUSTODY_LOG_PATH)?.sha256))
      problems.add(p);
  }

  const result: VerifyResult = {
    ok: problems.list.length === 0,
    filesChecked: actual.size,
    problems: problems.list,
    profile: manifest?.profile ?? null,
    custodyEvents: custody?.length ?? 0,
    standIns: custody?.filter(isStandIn).length ?? 0,
    signedBy,
    timestamps,
  };
  return { result, zip: archive, manifest, metadata, custody, actual };
}

/** One problem per kind and file: a changed file named by both SHA256SUMS and the manifest is one finding. */
class Problems {
  readonly list: VerifyProblem[] = [];
  private readonly seen = new Set<string>();

  add(problem: VerifyProblem): void {
    if (problem.path !== undefined) {
      // Story findings are about events, several to a file: each is its own.
      const key = `${problem.kind}\u0000${problem.path}${problem.kind === 'custody-story' ? `\u0000${problem.message}` : ''}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    this.list.push(problem);
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
  archive: ZipReader,
  problems: Problems,
): Promise<{ actual: Map<string, ActualFile>; texts: Map<string, string>; raw: Map<string, Uint8Array<ArrayBuffer>> }> {
  const actual = new Map<string, ActualFile>();
  const texts = new Map<string, string>();
  const raw = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const entry of archive.entries) {
    const unsafe = unsafePathReason(entry.name.replace(/\/$/, ''));
    if (unsafe) {
      problems.add(unsafePathProblem(entry.name, unsafe, 'The zip has an entry that'));
      continue;
    }
    if (entry.dir) continue;
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await archive.read(entry);
    } catch (err) {
      if (!(err instanceof ZipEntryError)) throw err;
      problems.add({ kind: 'unreadable-file', path: entry.name, message: err.message });
      continue;
    }
    actual.set(entry.name, { bytes: bytes.byteLength, sha256: await sha256Hex(bytes) });
    if (isTextToRead(entry.name)) texts.set(entry.name, new TextDecoder().decode(bytes));
    if (isKeptRaw(entry.name)) raw.set(entry.name, bytes);
  }
  return { actual, texts, raw };
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
  return {
    kind: 'missing-file',
    path,
    message: `${path} is missing from the bundle, so ${what} could not be checked.`,
  };
}

function checkSha256Sums(text: string | undefined, actual: ReadonlyMap<string, ActualFile>, problems: Problems): void {
  if (text === undefined) return problems.add(missingRequired(SUMS_PATH, 'the files'));
  let entries: Sha256SumsEntry[];
  try {
    entries = parseSha256Sums(text);
  } catch (err) {
    if (!(err instanceof Sha256SumsError)) throw err;
    return problems.add({
      kind: 'bad-sha256sums',
      path: SUMS_PATH,
      message: `${err.message}. The files could not be checked against it.`,
    });
  }
  for (const e of entries) checkClaim({ ...e, source: SUMS_PATH }, actual, problems);
  checkCoverage(actual, new Set(entries.map((e) => e.path)), [SUMS_PATH], SUMS_PATH, problems);
}

// ---------------------------------------------------------------------------
// manifest.json

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
  const { formatVersion } = value;
  if (typeof formatVersion !== 'number' || !READABLE_FORMAT_VERSIONS.includes(formatVersion)) {
    return `has format version ${String(formatVersion)}; this version of Witness Box reads versions ${READABLE_FORMAT_VERSIONS.join(' and ')}`;
  }
  // Version 1 had only what is now the police profile.
  const profile = formatVersion === 1 && value.profile === undefined ? 'police' : value.profile;
  if (!isExportProfile(profile)) return `names an unknown export profile ${JSON.stringify(profile)}`;
  const { files, captures, custody } = value;
  if (!isArrayOf(files, isFileEntry)) return 'has a "files" list that is not a list of {path, bytes, sha256}';
  if (!isArrayOf(captures, isManifestCapture))
    return 'has a "captures" list with a capture lacking its id, folder or files';
  if (!isArrayOf(custody, isCustodyLogEntry)) return 'has a "custody" list with an entry that is not a custody event';
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const fingerprint = isRecord(value.signature) ? value.signature.publicKeyFingerprint : undefined;
  const signedWith = typeof fingerprint === 'string' ? fingerprint : null;
  const custodyLog = value.custodyLog ?? null;
  if (custodyLog !== null && !isCustodyLogInfo(custodyLog))
    return 'has a "custodyLog" that is not {path, entries, sha256, lastHash}';
  return {
    custodyLog,
    formatVersion,
    profile,
    case: str(value.case),
    exportedBy: str(value.exportedBy),
    exportedAt: str(value.exportedAt),
    files,
    captures,
    custody,
    signedWith,
  };
}

/**
 * manifest.sig against manifest.json's exact bytes, with the bundle's public
 * key, which must be the key the manifest names. Returns the fingerprint when
 * the signature holds. A forger can re-sign with a key of their own, so the
 * fingerprint is what a reader compares with the one the exporter gave.
 */
async function checkSignature(
  claimedFingerprint: string,
  publicKeyPem: string | undefined,
  raw: ReadonlyMap<string, Uint8Array<ArrayBuffer>>,
  problems: Problems,
): Promise<string | null> {
  const manifest = raw.get(MANIFEST_PATH);
  const signature = raw.get(SIGNATURE_PATH);
  const fail = (message: string) => {
    problems.add({ kind: 'bad-signature', path: SIGNATURE_PATH, message });
    return null;
  };
  if (!publicKeyPem) return fail(`${MANIFEST_PATH} says it is signed, but ${PUBLIC_KEY_PATH} is missing.`);
  if (!manifest || !signature) return fail(`${MANIFEST_PATH} says it is signed, but ${SIGNATURE_PATH} is missing.`);
  let fingerprint: string;
  try {
    fingerprint = await sha256Hex(pemToSpki(publicKeyPem));
  } catch {
    return fail(`${PUBLIC_KEY_PATH} is not a public key.`);
  }
  if (fingerprint !== claimedFingerprint) {
    return fail(
      `${PUBLIC_KEY_PATH} (fingerprint ${fingerprint}) is not the key ${MANIFEST_PATH} names (${claimedFingerprint}).`,
    );
  }
  const valid = await verifyDer(publicKeyPem, manifest, signature).catch(() => false);
  if (!valid)
    return fail(
      `${SIGNATURE_PATH} does not match ${MANIFEST_PATH}: the manifest was changed after it was signed, or the signature was replaced.`,
    );
  return fingerprint;
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
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.folder === 'string' &&
    isArrayOf(value.files, isFileEntry) &&
    (value.capturedEvent === undefined || value.capturedEvent === null || isHex64(value.capturedEvent))
  );
}

const isHex64 = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);

function isCustodyLogInfo(value: unknown): value is BundleCustodyLogInfo {
  return (
    isRecord(value) &&
    value.path === CUSTODY_LOG_PATH &&
    typeof value.entries === 'number' &&
    Number.isSafeInteger(value.entries) &&
    value.entries >= 0 &&
    isHex64(value.sha256) &&
    (value.lastHash === null || isHex64(value.lastHash))
  );
}

/** Checks every file the manifest lists, and returns each capture's parsed metadata.json by folder. */
function checkManifestFiles(
  manifest: CheckedManifest,
  actual: ReadonlyMap<string, ActualFile>,
  texts: ReadonlyMap<string, string>,
  problems: Problems,
): Map<string, unknown> {
  const captureFiles = manifest.captures.flatMap((c) => c.files);
  for (const f of [...manifest.files, ...captureFiles]) checkClaim({ ...f, source: MANIFEST_PATH }, actual, problems);
  checkCoverage(
    actual,
    new Set(manifest.files.map((f) => f.path)),
    [MANIFEST_PATH, SIGNATURE_PATH, SUMS_PATH],
    MANIFEST_PATH,
    problems,
  );
  const metadata = new Map<string, unknown>();
  for (const c of manifest.captures) {
    const folderProblem =
      unsafePathReason(c.folder) ??
      (c.folder.startsWith(`${CAPTURES_DIR}/`) ? null : `it is not inside ${CAPTURES_DIR}/`);
    if (folderProblem) {
      problems.add(unsafePathProblem(c.folder, folderProblem, `${MANIFEST_PATH} has a capture folder that`));
      continue;
    }
    const parsed = checkCaptureTimeHashes(c, actual, texts, problems);
    if (parsed !== undefined) metadata.set(c.folder, parsed);
  }
  return metadata;
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
): unknown {
  const path = `${capture.folder}/${METADATA_NAME}`;
  const text = texts.get(path);
  if (text === undefined) return undefined; // Already reported as missing against the manifest's list.
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    problems.add({ kind: 'bad-manifest', path, message: `${path} is not valid JSON (${errorText(err)}).` });
    return undefined;
  }
  const artifacts = isRecord(parsed) ? parsed.artifacts : undefined;
  if (!isArrayOf(artifacts, isArtifactRef)) {
    problems.add({
      kind: 'bad-manifest',
      path,
      message: `${path} has no valid list of the capture's artifacts and their hashes.`,
    });
    return undefined;
  }
  const source = `${path} (the fingerprint taken when it was captured)`;
  for (const ref of artifacts as ArtifactRef[]) {
    checkClaim(
      { path: `${capture.folder}/${ref.name}`, sha256: ref.sha256, bytes: ref.bytes, source },
      actual,
      problems,
    );
  }
  return parsed;
}

// ---------------------------------------------------------------------------
// custody-log.jsonl

async function checkCustody(
  text: string | undefined,
  required: boolean,
  manifestCustody: CustodyLogEntry[] | null,
  problems: Problems,
): Promise<CustodyLogEntry[] | null> {
  if (text === undefined) {
    if (required) problems.add(missingRequired(CUSTODY_LOG_PATH, 'the custody log'));
    return null;
  }
  const events = parseCustodyLog(text, problems);
  if (!events) return null;
  const chain = await verifyCustodyChain(events, { partial: true });
  if (!chain.ok)
    problems.add({ kind: 'custody-chain', path: CUSTODY_LOG_PATH, seq: chain.seq, message: chain.message });
  if (manifestCustody) compareCustodyCopies(events, manifestCustody, problems);
  return events;
}

function parseCustodyLog(text: string, problems: Problems): CustodyLogEntry[] | null {
  const events: CustodyLogEntry[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (!isCustodyLogEntry(value)) {
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
function compareCustodyCopies(
  log: readonly CustodyLogEntry[],
  manifest: readonly CustodyLogEntry[],
  problems: Problems,
): void {
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

// ---------------------------------------------------------------------------
// timestamp.tsr

/**
 * Each capture's timestamp.tsr must be a granted RFC 3161 response whose
 * imprint is the SHA-256 of that capture's "captured" custody event, the
 * hash that was sent. The authority's signature needs its certificate, which
 * the officer checks with openssl (README.txt); what is checked here is that
 * the token is about this capture and not another.
 */
function checkTimestamps(
  manifest: CheckedManifest,
  custody: readonly CustodyLogEntry[],
  raw: ReadonlyMap<string, Uint8Array>,
  problems: Problems,
): { folder: string; genTime: string }[] {
  const found: { folder: string; genTime: string }[] = [];
  for (const capture of manifest.captures) {
    const path = `${capture.folder}/${TIMESTAMP_NAME}`;
    const bytes = raw.get(path);
    if (!bytes) continue;
    const captured = custody.find((e) => !isStandIn(e) && e.action === 'captured' && e.captureId === capture.id);
    if (!captured) {
      problems.add({
        kind: 'timestamp',
        path,
        message: `${path} has no "captured" event in ${CUSTODY_LOG_PATH} to be a timestamp of.`,
      });
      continue;
    }
    let parsed: ParsedTimeStampResponse;
    try {
      parsed = parseTimeStampResponse(bytes, { sha256Hex: captured.hash });
    } catch (err) {
      if (!(err instanceof TimestampFormatError)) throw err;
      problems.add({ kind: 'timestamp', path, message: `${path} is not a timestamp: ${err.message}` });
      continue;
    }
    if (!parsed.imprintMatches || parsed.genTime === null) {
      const covers = parsed.digest
        ? `it covers ${parsed.digest}`
        : `the authority granted no timestamp (status ${parsed.status})`;
      problems.add({
        kind: 'timestamp',
        path,
        seq: captured.seq,
        message: `${path} is not a timestamp of this capture: its "captured" event (${captured.seq}) has fingerprint ${captured.hash}, but ${covers}.`,
      });
      continue;
    }
    found.push({ folder: capture.folder, genTime: parsed.genTime });
  }
  return found;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
