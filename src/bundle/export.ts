import { effectiveArtifacts } from '../evidence/effective';
import { fullEvents, verifyCustodyChain, type CustodyLogEntry } from '../evidence/custody-chain';
import {
  CLOCKS,
  reportsFromCustody,
  type ArtifactName,
  type ArtifactRef,
  type Capture,
  type CustodyEvent,
  type MissingArtifact,
} from '../evidence/model';
import { canonicalJson, sha256Hex } from '../evidence/sha256';
import type { AuthorInfo, Platform } from '../sites/types';
import { crc32 } from './crc32';
import { annotationsOf } from '../evidence/annotations';
import { exhibitReferences, statementEdits } from '../evidence/exhibits';
import { renderCapturesCsv } from './csv';
import {
  continuityOf,
  countExhibits,
  countsLine,
  exhibitDescription,
  oneLine,
  type BundleCounts,
} from './exhibit-facts';
import { producerStatements, renderStatementText, type ProducerStatement } from './statement';
import { bundleFileName, captureFolderName, safeSegment } from './names';
import { renderReport, type ReportInput } from './report';
import { formatSha256Sums } from './sha256sums';
import { POLICE_ADVICE, platformLabel, reportingForAll } from './where-to-report';
import { StoredZipWriter, type ZipData } from './zip-writer';

/**
 * Writes the evidence bundle: a zip an officer can check with nothing but
 * `unzip` and `sha256sum -c SHA256SUMS`. Every file is hashed from the exact
 * bytes that go into the zip, and every stored artifact is checked against the
 * hash taken when it was captured before it is written.
 */

export const BUNDLE_FORMAT = 'witness-box-bundle';
/**
 * 2: stand-ins in the custody log, export profiles, report.html and captures.csv.
 * 3: the manifest (and so its signature) records the custody log's length and
 * digest and each capture's `captured` event hash.
 */
export const BUNDLE_FORMAT_VERSION = 3;
/** Versions this code can read (verify, import). */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2, 3];
export const README_PATH = 'README.txt';
export const REPORT_PATH = 'report.html';
export const CSV_PATH = 'captures.csv';
export const STATEMENT_PATH = 'statement.txt';
export const MANIFEST_PATH = 'manifest.json';
export const CUSTODY_LOG_PATH = 'custody-log.jsonl';
export const SUMS_PATH = 'SHA256SUMS';
export const PUBLIC_KEY_PATH = 'public-key.pem';
export const SIGNATURE_PATH = 'manifest.sig';
export const CAPTURES_DIR = 'captures';
export const METADATA_NAME = 'metadata.json';

/**
 * `police`: everything captured, with the custody log.
 * `platform`: what a platform's report form asks for: links, authors, times
 * and the browser's screenshots (post.png, viewport.png, fullpage.png), as CSV
 * and images, with report.html, metadata.json and the hashes; no page archives,
 * HTML or DOM render, no custody log.
 */
export type ExportProfile = 'police' | 'platform';

export const EXPORT_PROFILES: Record<ExportProfile, { label: string; artifacts: ReadonlySet<string> | 'all' }> = {
  police: { label: 'Police (everything)', artifacts: 'all' },
  platform: {
    label: 'Platform report (links, authors, times, screenshots)',
    // The browser's own screenshots; not the DOM render, archives or HTML.
    artifacts: new Set(['post.png', 'viewport.png', 'fullpage.png']),
  },
};

export function isExportProfile(value: unknown): value is ExportProfile {
  return value === 'police' || value === 'platform';
}

export interface BundleIncludes {
  notes: boolean;
  staffNames: boolean;
}

/** What stands in for a name a platform report leaves out. */
export const WITHHELD = 'withheld from this platform report';

export function resolveIncludes(profile: ExportProfile, include: Partial<BundleIncludes> = {}): BundleIncludes {
  if (profile === 'police') return { notes: true, staffNames: true };
  return { notes: include.notes === true, staffNames: include.staffNames === true };
}

export interface BundleTool {
  name: string;
  version: string;
  browser: string;
  os: string;
}

export interface BundleInput {
  caseName: string;
  /** The person the case is about, when the case records it; else report.html lists the captures' own "on behalf of". */
  onBehalfOf?: string | null;
  /** Police (the default) or platform report. */
  profile?: ExportProfile;
  /**
   * What a platform report may show beyond the posts themselves; a police
   * bundle always holds everything. Notes: the notes added to captures.
   * Names: the case name and the names of the people who captured and
   * exported it and on whose behalf (staff, volunteers, the candidate).
   */
  include?: Partial<BundleIncludes>;
  /** What to export, in this order. A profile child is nested under its parent when the parent is exported too. */
  captures: Capture[];
  /**
   * The custody log for the bundle, in seq order, as one unbroken run: events
   * about these captures in full, others as stand-ins (`redactCustody`). It is
   * chain-verified before anything is written.
   */
  custody: CustodyLogEntry[];
  readArtifact(captureId: string, name: ArtifactName): Promise<Blob>;
  exportedBy: string;
  /** UTC ISO-8601. */
  exportedAt: string;
  tool: BundleTool;
  /** Called after each artifact is written; `total` counts artifacts across all captures. */
  onProgress?(done: number, total: number): void;
  /** The exporting installation's key: the manifest is signed with it, and its public half goes in the bundle. */
  signer?: BundleSigner;
}

export interface BundleSigner {
  publicKeyPem: string;
  /** SHA-256 of the public key's DER form. */
  fingerprint: string;
  /** A DER-encoded ECDSA P-256 / SHA-256 signature of `data`. */
  sign(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
}

/** Names the key that signed manifest.json; inside the manifest, so the signature covers it. */
export interface BundleSignatureInfo {
  algorithm: 'ECDSA P-256 with SHA-256';
  publicKey: typeof PUBLIC_KEY_PATH;
  signature: typeof SIGNATURE_PATH;
  publicKeyFingerprint: string;
}

export interface BundleFileEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface BundleCaptureFile extends BundleFileEntry {
  mime: string;
}

export interface BundleCaptureEntry {
  id: string;
  /** The exhibit reference (SO1); null for a capture that has none (bundles made outside a case). */
  exhibit: string | null;
  /** Zip path of the capture's folder, e.g. `captures/0001-x-GazT_1977-20261120T184207Z`. */
  folder: string;
  kind: Capture['kind'];
  parentId: string | null;
  platform: Platform;
  permalink: string | null;
  author: AuthorInfo;
  capturedAt: string;
  files: BundleCaptureFile[];
  missing: MissingArtifact[];
  /** Artifacts that exist but this export profile leaves out. */
  omitted: ArtifactName[];
  /**
   * The hash of the capture's `captured` custody event (format 3), so the
   * signature pins the event that recorded every artifact's hash at capture.
   */
  capturedEvent: string | null;
}

/** What the manifest says custody-log.jsonl holds (format 3); null in a platform-report bundle, which has none. */
export interface BundleCustodyLogInfo {
  path: typeof CUSTODY_LOG_PATH;
  /** Entries (events and stand-ins), that is, lines of the file. */
  entries: number;
  /** SHA-256 of the file's exact bytes. */
  sha256: string;
  /** The last entry's hash: the head of the chain when it was exported. */
  lastHash: string | null;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: typeof BUNDLE_FORMAT_VERSION;
  profile: ExportProfile;
  case: string;
  exportedBy: string;
  exportedAt: string;
  tool: BundleTool;
  captures: BundleCaptureEntry[];
  /** The counts README.txt, report.html and captures.csv state. */
  counts: BundleCounts;
  /** What the bundle shows beyond the posts (always everything in a police bundle). */
  includes: BundleIncludes;
  /** The same entries as custody-log.jsonl; empty in a platform-report bundle, which has no custody log. */
  custody: CustodyLogEntry[];
  custodyLog: BundleCustodyLogInfo | null;
  /** Every file in the zip except manifest.json, manifest.sig and SHA256SUMS. */
  files: BundleFileEntry[];
  /** Absent from bundles made without a key (and from format 1). */
  signature?: BundleSignatureInfo;
}

export interface BuiltBundle {
  fileName: string;
  zip: Blob;
  manifest: BundleManifest;
  /** Files in the zip (folders not counted), manifest.json and SHA256SUMS included. */
  fileCount: number;
}

/** Thrown when stored evidence no longer matches what was recorded: such evidence is never exported silently. */
export class BundleIntegrityError extends Error {
  override name = 'BundleIntegrityError';
  constructor(
    message: string,
    readonly where: { captureId?: string; path?: string; seq?: number },
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** What metadata.json holds for each capture. */
export interface CaptureMetadataFile {
  /** The capture record exactly as stored (in a platform report without names, with the names withheld). */
  capture: Capture;
  folder: string;
  exhibit: string | null;
  /** Artifacts in this bundle: stored ones plus those added later by custody events. */
  artifacts: ArtifactRef[];
  /** Artifacts that exist but the export profile left out of this bundle, with the hashes they were captured with. */
  omitted: ArtifactRef[];
  /** Artifacts that failed, or were still being made at export, with the reason. */
  missing: MissingArtifact[];
  clocks: typeof CLOCKS;
}

const NOT_FINISHED = 'still being made when this bundle was exported';

export async function buildBundle(input: BundleInput): Promise<BuiltBundle> {
  const date = parseExportTime(input.exportedAt);
  const profile = input.profile ?? 'police';
  const includes = resolveIncludes(profile, input.include);
  await assertCustodyIntact(input.custody);
  const events = fullEvents(input.custody);
  const exhibits = exhibitReferences(input.captures, events);
  const folders = planFolders(input.captures, exhibits);
  const plans = await Promise.all(
    input.captures.map((capture) =>
      planCapture(
        includes.staffNames ? capture : { ...capture, capturedBy: WITHHELD, onBehalfOf: WITHHELD },
        input.custody,
        folderOf(folders, capture.id),
        profile,
        exhibits.get(capture.id) ?? null,
      ),
    ),
  );
  const shown: BundleInput = includes.staffNames
    ? input
    : { ...input, caseName: 'Platform report', exportedBy: WITHHELD, onBehalfOf: null };
  const counts = countExhibits(plans.map((p) => p.capture));
  const fileName = bundleFileName(includes.staffNames ? input.caseName : null, input.exportedAt, profile);
  const statements =
    profile === 'police'
      ? producerStatements(
          plans.map((p) => ({ reference: exhibitLabel(p), capture: p.capture })),
          statementEdits(events, input.captures[0]?.caseId ?? ''),
        )
      : [];
  const total = plans.reduce((n, p) => n + p.artifacts.length, 0);
  const custody = profile === 'police' ? input.custody.map(sortedCopy) : [];

  const writer = new ZipWriter(date);
  await writer.addText(README_PATH, renderReadme(shown, profile, plans, counts));
  await writer.addText(
    REPORT_PATH,
    renderReport(reportInput(shown, profile, plans, custody, { counts, statements, events, fileName, includes })),
  );
  await writer.addText(
    CSV_PATH,
    renderCapturesCsv(
      plans.map((p) => {
        const notes = annotationsOf(p.capture.id, events);
        return {
          capture: p.capture,
          exhibit: p.exhibit,
          folder: p.folder,
          metadataSha256: p.metadata.sha256,
          reports: reportsFromCustody(p.capture.id, events),
          tags: notes.tags,
          notes: includes.notes ? notes.notes.map((n) => n.note) : null,
        };
      }),
    ),
  );
  if (statements.length > 0) await writer.addText(STATEMENT_PATH, renderStatementText(statements, shown.caseName));
  const custodyLog =
    profile === 'police'
      ? custodyLogInfo(
          await writer.addText(CUSTODY_LOG_PATH, custody.map((e) => `${canonicalJson(e)}\n`).join('')),
          custody,
        )
      : null;
  let done = 0;
  const captureEntries: BundleCaptureEntry[] = [];
  for (const plan of plans) {
    const entry = await writeCapture(writer, plan, input.readArtifact, () => input.onProgress?.(++done, total));
    captureEntries.push({ ...entry, capturedEvent: capturedEventOf(events, plan.capture.id)?.hash ?? null });
  }

  if (input.signer) await writer.addText(PUBLIC_KEY_PATH, input.signer.publicKeyPem);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    profile,
    case: shown.caseName,
    exportedBy: shown.exportedBy,
    exportedAt: input.exportedAt,
    tool: input.tool,
    captures: captureEntries,
    counts,
    includes,
    custody,
    custodyLog,
    files: [...writer.entries],
    ...(input.signer && {
      signature: {
        algorithm: 'ECDSA P-256 with SHA-256',
        publicKey: PUBLIC_KEY_PATH,
        signature: SIGNATURE_PATH,
        publicKeyFingerprint: input.signer.fingerprint,
      },
    }),
  };
  const manifestBytes = new TextEncoder().encode(prettyJson(manifest));
  writer.put(MANIFEST_PATH, manifestBytes, await sha256Hex(manifestBytes));
  if (input.signer) {
    const signature = await input.signer.sign(manifestBytes);
    writer.put(SIGNATURE_PATH, signature, await sha256Hex(signature));
  }
  await writer.addText(SUMS_PATH, formatSha256Sums(writer.entries), { listed: false });

  return {
    fileName,
    zip: await writer.generate(),
    manifest,
    fileCount: writer.entries.length + 1, // + SHA256SUMS, the one file it does not list
  };
}

function custodyLogInfo(file: BundleFileEntry, custody: readonly CustodyLogEntry[]): BundleCustodyLogInfo {
  return {
    path: CUSTODY_LOG_PATH,
    entries: custody.length,
    sha256: file.sha256,
    lastHash: custody.at(-1)?.hash ?? null,
  };
}

/** The one event that recorded a capture and every artifact hash taken with it. */
export function capturedEventOf(events: readonly CustodyEvent[], captureId: string): CustodyEvent | undefined {
  return events.find((e) => e.action === 'captured' && e.captureId === captureId);
}

function parseExportTime(exportedAt: string): Date {
  const date = new Date(exportedAt);
  if (Number.isNaN(date.getTime())) throw new TypeError(`exportedAt is not a time: ${JSON.stringify(exportedAt)}`);
  return date;
}

async function assertCustodyIntact(custody: readonly CustodyLogEntry[]): Promise<void> {
  const chain = await verifyCustodyChain(custody, { partial: true });
  if (!chain.ok) {
    throw new BundleIntegrityError(`The custody log is damaged, so the bundle was not made. ${chain.message}`, {
      seq: chain.seq,
    });
  }
}

/**
 * Zip folder for each capture id: `captures/0001-...` in the order given, except
 * that a profile captured for an exported post goes in that post's folder, as
 * `profile/` (`profile-2/`... if the post has several).
 */
export function planFolders(
  captures: readonly Capture[],
  exhibits: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const byId = new Map(captures.map((c) => [c.id, c]));
  if (byId.size !== captures.length) throw new Error('The same capture is listed twice for export.');
  const nests = (c: Capture): c is Capture & { parentId: string } => {
    const parent = c.parentId === null ? undefined : byId.get(c.parentId);
    // A profile's parent is a post or page; never nest deeper than one level.
    return c.kind === 'profile' && parent !== undefined && parent.kind !== 'profile';
  };

  const folders = new Map<string, string>();
  let numbered = 0;
  // Numbered folders first, so a child listed before its parent still finds the parent's folder.
  for (const c of captures) {
    if (!nests(c)) folders.set(c.id, `${CAPTURES_DIR}/${captureFolderName(++numbered, c, exhibits.get(c.id))}`);
  }
  const profilesPerParent = new Map<string, number>();
  for (const c of captures) {
    if (!nests(c)) continue;
    const n = (profilesPerParent.get(c.parentId) ?? 0) + 1;
    profilesPerParent.set(c.parentId, n);
    const exhibit = exhibits.get(c.id);
    const name =
      exhibit !== undefined ? `profile-${safeSegment(exhibit, 24, 'x')}` : n === 1 ? 'profile' : `profile-${n}`;
    folders.set(c.id, `${folderOf(folders, c.parentId)}/${name}`);
  }
  return folders;
}

function folderOf(folders: ReadonlyMap<string, string>, captureId: string): string {
  const folder = folders.get(captureId);
  if (folder === undefined) throw new Error(`No folder planned for capture ${captureId}`);
  return folder;
}

interface CapturePlan {
  /** As written into this bundle (names withheld in a platform report without them). */
  capture: Capture;
  folder: string;
  exhibit: string | null;
  /** Artifacts this bundle carries. */
  artifacts: ArtifactRef[];
  omitted: ArtifactRef[];
  missing: MissingArtifact[];
  /** metadata.json, made before anything is written so the report and CSV can give its hash. */
  metadata: { bytes: Uint8Array<ArrayBuffer>; sha256: string };
}

async function planCapture(
  capture: Capture,
  custody: readonly CustodyLogEntry[],
  folder: string,
  profile: ExportProfile,
  exhibit: string | null,
): Promise<CapturePlan> {
  const effective = effectiveArtifacts(capture, custody);
  const wanted = EXPORT_PROFILES[profile].artifacts;
  const carried = (name: ArtifactName): boolean => wanted === 'all' || wanted.has(name);
  const unfinished = effective.pending.map((name): MissingArtifact => ({ name, reason: NOT_FINISHED }));
  const artifacts = effective.artifacts.filter((a) => carried(a.name));
  const omitted = effective.artifacts.filter((a) => !carried(a.name));
  const missing = [...effective.missing, ...unfinished].filter((m) => carried(m.name));
  const file: CaptureMetadataFile = { capture, folder, exhibit, artifacts, omitted, missing, clocks: CLOCKS };
  const bytes = new TextEncoder().encode(prettyJson(file));
  return { capture, folder, exhibit, artifacts, omitted, missing, metadata: { bytes, sha256: await sha256Hex(bytes) } };
}

/** The exhibit reference, or for a capture without one its folder number ("0003"), so every exhibit can be named. */
function exhibitLabel(plan: Pick<CapturePlan, 'exhibit' | 'folder'>): string {
  return plan.exhibit ?? plan.folder.split('/').pop()?.slice(0, 4) ?? plan.folder;
}

async function writeCapture(
  writer: ZipWriter,
  plan: CapturePlan,
  readArtifact: BundleInput['readArtifact'],
  onArtifact: () => void,
): Promise<Omit<BundleCaptureEntry, 'capturedEvent'>> {
  const { capture, folder } = plan;
  const files: BundleCaptureFile[] = [];
  for (const ref of plan.artifacts) {
    const path = `${folder}/${ref.name}`;
    // Read and checked only when the zip reaches it (a few ahead), so only those few are in memory.
    const entry = writer.putLater(path, ref.bytes, ref.sha256, async () => {
      const loaded = await readVerified(readArtifact, capture.id, ref, path);
      onArtifact();
      return loaded;
    });
    files.push({ ...entry, mime: ref.mime });
  }
  const metadataEntry = writer.put(`${folder}/${METADATA_NAME}`, plan.metadata.bytes, plan.metadata.sha256);
  files.push({ ...metadataEntry, mime: 'application/json' });
  return {
    id: capture.id,
    exhibit: plan.exhibit,
    folder,
    kind: capture.kind,
    parentId: capture.parentId,
    platform: capture.platform,
    permalink: capture.permalink,
    author: capture.author,
    capturedAt: capture.capturedAt,
    files,
    missing: plan.missing,
    omitted: plan.omitted.map((a) => a.name),
  };
}

interface ReportExtras {
  counts: BundleCounts;
  statements: ProducerStatement[];
  events: CustodyEvent[];
  fileName: string;
  includes: BundleIncludes;
}

function reportInput(
  input: BundleInput,
  profile: ExportProfile,
  plans: readonly CapturePlan[],
  custody: CustodyLogEntry[],
  extras: ReportExtras,
): ReportInput {
  const thisExport = { by: input.exportedBy, at: input.exportedAt, fileName: extras.fileName };
  return {
    counts: extras.counts,
    statements: extras.statements,
    keyFingerprint: input.signer?.fingerprint ?? null,
    includes: extras.includes,
    caseName: input.caseName,
    onBehalfOf: input.onBehalfOf ?? null,
    exportedBy: input.exportedBy,
    exportedAt: input.exportedAt,
    tool: input.tool,
    profile,
    custody,
    captures: plans.map((p) => ({
      capture: p.capture,
      exhibit: exhibitLabel(p),
      continuity: extras.includes.staffNames ? continuityOf(p.capture, extras.events, thisExport) : [],
      folder: p.folder,
      files: [
        ...p.artifacts.map((a) => ({ name: a.name, bytes: a.bytes, sha256: a.sha256 })),
        { name: METADATA_NAME, bytes: p.metadata.bytes.byteLength, sha256: p.metadata.sha256 },
      ],
      missing: p.missing,
      omitted: p.omitted.map((a) => a.name),
    })),
  };
}

/**
 * The artifact's stored Blob, after proving that its bytes are the bytes
 * hashed at capture, with their CRC-32 for the zip. The bytes are read once:
 * the SHA-256 (WebCrypto, off the main thread) and the CRC-32 run on the same
 * copy, and the zip then refers to the Blob itself, which cannot change.
 */
async function readVerified(
  readArtifact: BundleInput['readArtifact'],
  captureId: string,
  ref: ArtifactRef,
  path: string,
): Promise<LoadedFile> {
  let blob: Blob;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    blob = await readArtifact(captureId, ref.name);
    bytes = new Uint8Array(await blob.arrayBuffer());
  } catch (cause) {
    throw new BundleIntegrityError(
      `Capture ${captureId}: ${ref.name} is recorded but could not be read from storage, so the bundle was not made (${path}).`,
      { captureId, path },
      { cause },
    );
  }
  const digest = sha256Hex(bytes);
  const crc = crc32(bytes);
  const sha256 = await digest;
  if (sha256 !== ref.sha256 || bytes.byteLength !== ref.bytes || blob.size !== ref.bytes) {
    throw new BundleIntegrityError(
      `Capture ${captureId}: the stored ${ref.name} has changed since it was captured, so the bundle was not made. ` +
        `It should be ${ref.bytes} bytes with SHA-256 ${ref.sha256}, but storage now holds ${bytes.byteLength} bytes ` +
        `with SHA-256 ${sha256} (${path}).`,
      { captureId, path },
    );
  }
  return { data: blob, crc };
}

/** Keys sorted at every depth, then indented: the same record always gives the same bytes, and a person can read it. */
function prettyJson(value: unknown): string {
  return `${JSON.stringify(sortedCopy(value), null, 2)}\n`;
}

function sortedCopy<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}

/** A file's bytes for the zip (checked, when it is an artifact) and their CRC-32. */
interface LoadedFile {
  data: ZipData;
  crc: number;
}

/** How far reading runs ahead of the zip: the next artifacts are read and hashed while this one is added. */
const READ_AHEAD_FILES = 4;
const READ_AHEAD_BYTES = 64 * 1024 * 1024;

/**
 * Adds files to the zip with one fixed timestamp (the export time), so the
 * same input always makes the same zip, and records each file's hash taken
 * from the very bytes handed to the zip.
 *
 * Entries are listed (with the sizes and hashes the manifest needs) before any
 * artifact is read; generate() then reads and checks each artifact, a few
 * ahead of the one being added, and builds the zip from references to the
 * stored Blobs (StoredZipWriter), stored uncompressed, as PNGs and archives
 * barely compress. Nothing is handed out until every artifact has been
 * checked: a mismatch rejects generate(), and no zip exists to download.
 */
class ZipWriter {
  /** Files written and listed in SHA256SUMS, in order. */
  readonly entries: BundleFileEntry[] = [];
  private readonly files: { path: string; bytes: number; load: () => Promise<LoadedFile> }[] = [];

  constructor(private readonly date: Date) {}

  async addText(path: string, text: string, { listed = true } = {}): Promise<BundleFileEntry> {
    const bytes = new TextEncoder().encode(text);
    const sha256 = await sha256Hex(bytes);
    return listed ? this.put(path, bytes, sha256) : this.write(path, bytes.byteLength, sha256, inMemory(bytes));
  }

  /** `sha256` must be the hash of `bytes`, already computed by the caller. */
  put(path: string, bytes: Uint8Array<ArrayBuffer>, sha256: string): BundleFileEntry {
    return this.putLater(path, bytes.byteLength, sha256, inMemory(bytes));
  }

  /** A file whose size and hash are known now and whose bytes `load` supplies (and checks) while the zip is written. */
  putLater(path: string, bytes: number, sha256: string, load: () => Promise<LoadedFile>): BundleFileEntry {
    const entry = this.write(path, bytes, sha256, load);
    this.entries.push(entry);
    return entry;
  }

  private write(path: string, bytes: number, sha256: string, load: () => Promise<LoadedFile>): BundleFileEntry {
    this.files.push({ path, bytes, load });
    return { path, bytes, sha256 };
  }

  async generate(): Promise<Blob> {
    const zip = new StoredZipWriter(this.date);
    const pending: Promise<LoadedFile>[] = [];
    let next = 0;
    let bytesAhead = 0;
    try {
      for (const file of this.files) {
        // Start reading ahead, within a budget of files and bytes (always at least the next one).
        while (
          next < this.files.length &&
          (pending.length === 0 ||
            (pending.length < READ_AHEAD_FILES && bytesAhead + this.files[next]!.bytes <= READ_AHEAD_BYTES))
        ) {
          bytesAhead += this.files[next]!.bytes;
          pending.push(this.files[next++]!.load());
        }
        const loaded = await pending.shift()!;
        bytesAhead -= file.bytes;
        zip.add(file.path, loaded.data, loaded.crc);
      }
    } catch (error) {
      // Let the reads already started finish before reporting, so none fails later unheard.
      await Promise.allSettled(pending);
      throw error;
    }
    return zip.finish();
  }
}

function inMemory(bytes: Uint8Array<ArrayBuffer>): () => Promise<LoadedFile> {
  return async () => ({ data: bytes, crc: crc32(bytes) });
}

// ---------------------------------------------------------------------------
// README.txt

function utcForPeople(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? oneLine(iso) : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function describeCapture(plan: CapturePlan): string[] {
  const c = plan.capture;
  return [
    `  ${plan.folder}/`,
    `      Exhibit ${oneLine(exhibitLabel(plan))}: ${oneLine(exhibitDescription(c))}, captured ${utcForPeople(c.capturedAt)}`,
    `      ${oneLine(c.permalink ?? c.url)}`,
    ...(plan.missing.length ? [`      not available: ${plan.missing.map((m) => m.name).join(', ')}`] : []),
  ];
}

const POWERSHELL_CHECK =
  "Get-Content SHA256SUMS | ForEach-Object { $h, $f = $_ -split '  ', 2; " +
  'if ((Get-FileHash -Algorithm SHA256 -LiteralPath $f).Hash -eq $h) { "OK      $f" } else { "FAILED  $f" } }';

/** What each file in a capture folder is, for the README (artifact names the README does not know are still verified, just not described). */
const CAPTURE_FILES: Record<string, string> = {
  'post.png': 'the post exactly as it appeared on screen (cut from viewport.png)',
  'post-render.png': 'the post redrawn from the page, whole even if part was off screen',
  'viewport.png': 'the visible part of the browser window',
  'fullpage.png': "a profile page's first screens, stitched from browser screenshots",
  'page.mhtml': 'an archive of the whole web page (opens in Chrome or Edge)',
  'page.html': "the web page's content, when captured in Firefox (instead of page.mhtml)",
  'post.html': "the post's HTML",
  'metadata.json': 'what was recorded: addresses, author, text, times, who captured it',
};

function whatIsInIt(profile: ExportProfile): string[] {
  const wanted = EXPORT_PROFILES[profile].artifacts;
  const names = Object.keys(CAPTURE_FILES).filter((n) => n === METADATA_NAME || wanted === 'all' || wanted.has(n));
  return [
    `  ${README_PATH.padEnd(20)}this file`,
    `  ${REPORT_PATH.padEnd(20)}the evidence for people to read: open it in a web browser (unzip first, so it can show the screenshots)`,
    `  ${CSV_PATH.padEnd(20)}one row per exhibit, for a spreadsheet or a report form`,
    ...(profile === 'police'
      ? [`  ${STATEMENT_PATH.padEnd(20)}a draft of each producer's exhibit statement, for an officer to adapt`]
      : []),
    `  ${SUMS_PATH.padEnd(20)}fingerprints of every other file`,
    `  ${MANIFEST_PATH.padEnd(20)}every capture and file, with sizes and fingerprints${profile === 'police' ? ', and the custody log' : ''}`,
    ...(profile === 'police' ? [`  ${CUSTODY_LOG_PATH.padEnd(20)}the custody log, one event per line`] : []),
    `  ${`${CAPTURES_DIR}/`.padEnd(20)}one folder per capture: number, platform, account, time captured (UTC)`,
    ...names.map((n) => `      ${n.padEnd(18)}${CAPTURE_FILES[n]}`),
    `      ${'profile/'.padEnd(18)}the author's profile page, captured just after the post`,
  ];
}

/**
 * How to check the RFC 3161 timestamps (timestamp.tsr) the bundle carries, with
 * openssl alone; empty when no capture in it has one. What was timestamped is
 * the hash of the capture's `captured` custody event.
 */
function timestampSection(input: BundleInput, plans: readonly CapturePlan[]): string[] {
  const stamped = plans.filter((p) => p.artifacts.some((a) => a.name === 'timestamp.tsr'));
  if (stamped.length === 0) return [];
  const events = input.custody.filter((e): e is Extract<CustodyLogEntry, { action: string }> => 'action' in e);
  const hex = (value: unknown): string =>
    typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : '(not found)';
  const perCapture = stamped.flatMap((plan) => {
    const captured = events.find((e) => e.action === 'captured' && e.captureId === plan.capture.id);
    const added = events.find(
      (e) =>
        e.action === 'artifact-added' &&
        e.captureId === plan.capture.id &&
        (e.detail.artifact as { name?: unknown } | undefined)?.name === 'timestamp.tsr',
    );
    const tsaUrl = typeof added?.detail.tsaUrl === 'string' ? oneLine(added.detail.tsaUrl) : 'not recorded';
    const genTime = typeof added?.detail.genTime === 'string' ? utcForPeople(added.detail.genTime) : 'not recorded';
    const digest = hex(captured?.hash);
    return [
      `  ${plan.folder}/timestamp.tsr`,
      `      timestamped fingerprint ("captured" event ${captured?.seq ?? '?'}): ${digest}`,
      `      authority: ${tsaUrl}; its time: ${genTime}`,
      `      openssl ts -verify -digest ${digest} -in ${plan.folder}/timestamp.tsr -CAfile tsa-ca.pem`,
      '',
    ];
  });
  return [
    '',
    'WHEN: THE INDEPENDENT TIMESTAMP',
    '',
    'Some captures carry timestamp.tsr: a signed answer from an independent timestamp',
    'authority (RFC 3161), asked for just after the capture was saved. It proves that the',
    'capture, with exactly the files listed for it, existed no later than the time the',
    "authority signed, whatever the capturing computer's clock said.",
    '',
    'What was timestamped is the fingerprint of the capture\'s "captured" event in',
    `${CUSTODY_LOG_PATH} (the "hash" of the line with "action":"captured" and the capture's`,
    "id). That event lists the capture's id and the SHA-256 fingerprint of every file",
    'captured with it, so the timestamp covers all of them. Only that fingerprint was sent',
    'to the authority, never the evidence.',
    '',
    'To check a timestamp, in the unzipped folder (openssl 1.1 or newer):',
    '',
    '  1. Find the capture\'s "captured" event in custody-log.jsonl and copy its "hash".',
    '     It is also listed below; check the two are the same.',
    "  2. Get the authority's CA certificate from the authority's own website (for",
    '     example FreeTSA publishes cacert.pem on freetsa.org). Do not take it from this',
    '     bundle or from whoever sent it: the point is that it comes from the authority.',
    "     Save it as tsa-ca.pem. The authority's address is listed below.",
    '  3. Run (one line):',
    '       openssl ts -verify -digest <hash> -in captures/<folder>/timestamp.tsr -CAfile tsa-ca.pem',
    '     It must print "Verification: OK".',
    "  4. To read the authority's time and name:",
    '       openssl ts -reply -in captures/<folder>/timestamp.tsr -text',
    '     ("Time stamp:" is the authority\'s clock, in UTC.)',
    '',
    "The authority's certificate is inside timestamp.tsr; if openssl cannot find it, add",
    "-untrusted with the authority's signing certificate, also from its website. Step 1",
    'links the timestamp to the files: the "captured" event names every file\'s SHA-256,',
    'which SHA256SUMS and metadata.json repeat, and the hash chain of the custody log ties',
    'the event to the rest of the log.',
    '',
    ...perCapture.slice(0, -1),
  ];
}

function renderReadme(
  input: BundleInput,
  profile: ExportProfile,
  plans: readonly CapturePlan[],
  counts: BundleCounts,
): string {
  const platforms = reportingForAll(plans.map((p) => p.capture.platform));
  const lines = [
    'WITNESS BOX EVIDENCE BUNDLE',
    '',
    'This bundle holds evidence of online abuse, captured with the Witness Box browser',
    "extension: screenshots of posts and of their authors' profile pages, archives of the",
    'web pages, what was recorded about each, and a log of everything done with them.',
    ...(profile === 'platform'
      ? [
          '',
          "This is a PLATFORM REPORT bundle: it holds what a platform's report form asks for",
          '(links, authors, times and screenshots). The page archives and the custody log are',
          'left out; the police bundle of the same captures has them, with the same fingerprints.',
        ]
      : []),
    '',
    `Case:         ${oneLine(input.caseName)}`,
    ...(input.onBehalfOf ? [`On behalf of: ${oneLine(input.onBehalfOf)}`] : []),
    `Exported by:  ${oneLine(input.exportedBy)}`,
    `Exported at:  ${utcForPeople(input.exportedAt)}`,
    `Bundle type:  ${EXPORT_PROFILES[profile].label}`,
    `Made with:    ${oneLine(`${input.tool.name} ${input.tool.version}, ${input.tool.browser}, ${input.tool.os}`)}`,
    `Exhibits:     ${countsLine(counts)}`,
    '',
    'Open report.html in a web browser to read the evidence: every capture with its',
    'screenshot, author, addresses, times and fingerprints. Unzip the bundle first.',
    '',
    'HOW TO CHECK THAT NOTHING HAS CHANGED',
    '',
    'SHA256SUMS holds a SHA-256 fingerprint of every other file. Changing even one byte',
    'of a file changes its fingerprint. Unzip the bundle, open a terminal in the unzipped',
    'folder, and run:',
    '',
    '  Linux:    sha256sum -c SHA256SUMS',
    '  macOS:    shasum -a 256 -c SHA256SUMS',
    '  Windows (PowerShell):',
    `    ${POWERSHELL_CHECK}`,
    '',
    'Every line should end in OK. manifest.json lists the same fingerprints and sizes.',
    'Each screenshot and archive was also fingerprinted when it was captured (see',
    '"artifacts" in its metadata.json), and checked against that before this bundle was',
    'made.',
    ...(profile === 'police'
      ? [
          '',
          'custody-log.jsonl is a hash chain: each event includes the fingerprint of the one',
          'before it, so an event that was edited, removed or reordered shows. Events about',
          'other captures (for example in other cases) are withheld: in their place is a',
          'stand-in {"seq", "prevHash", "hash", "redacted": true} that keeps the chain linked.',
          "A stand-in's links can be checked, but its own fingerprint cannot be recomputed,",
          'because its contents are not in this bundle.',
        ]
      : []),
    ...(input.signer
      ? [
          '',
          'WHO EXPORTED IT: THE SIGNATURE',
          '',
          "manifest.json is signed with the exporting installation's own key (ECDSA P-256).",
          `The key's public half is ${PUBLIC_KEY_PATH}; its fingerprint is`,
          `  ${input.signer.fingerprint}`,
          'Ask the person who gave you this bundle to confirm that fingerprint (Witness Box',
          'shows it in the evidence manager). Then, in the unzipped folder, run:',
          '',
          `  openssl dgst -sha256 -verify ${PUBLIC_KEY_PATH} -signature ${SIGNATURE_PATH} ${MANIFEST_PATH}`,
          '',
          'It must print "Verified OK". To see the fingerprint of the key in the bundle:',
          '',
          `  openssl pkey -pubin -in ${PUBLIC_KEY_PATH} -outform DER | sha256sum`,
          '',
          'The signature shows which installation exported the bundle and that manifest.json,',
          "which lists every file's fingerprint, has not changed since. It does not prove when",
          "the bundle was made: the times come from the capturing computer's clock.",
        ]
      : []),
    ...timestampSection(input, plans),
    '',
    'ABOUT THE TIMES',
    '',
    'All times here and in folder names are UTC.',
    `capturedAt: ${CLOCKS.capturedAt}.`,
    `shownTime:  ${CLOCKS.shownTime}.`,
    '',
    'ABOUT captures.csv',
    '',
    'A cell that would start with = + - @ (after any spaces), a tab or a line break is',
    'written with an apostrophe in front, so a spreadsheet shows it as text instead of',
    'running it as a formula. A cell holding a comma, semicolon, tab, quote or line break',
    'is quoted, so it stays one cell whichever list separator your spreadsheet uses.',
    'metadata.json holds every value exactly as captured.',
    '',
    'WHAT IS IN IT',
    '',
    ...whatIsInIt(profile),
    '',
    'CAPTURES',
    '',
    ...plans.flatMap(describeCapture),
    '',
    'WHERE TO REPORT',
    '',
    POLICE_ADVICE.emergency,
    POLICE_ADVICE.nonEmergency,
    '',
    'Report the posts to the platform as well, through its own reporting:',
    ...platforms.flatMap((p) => [
      '',
      `  ${p.name}`,
      `    How:     ${p.howToReport}`,
      ...(p.reportUrl ? [`    Report:  ${p.reportUrl}`] : []),
      `    Safety:  ${p.safetyUrl}`,
    ]),
    '',
    ...POLICE_ADVICE.links.map((l) => `${l.label}: ${l.url}`),
    '',
  ];
  // CRLF so the file reads properly in any Windows editor, old Notepad included.
  return lines.join('\r\n');
}
