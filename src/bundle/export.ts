import JSZip from 'jszip';
import { effectiveArtifacts } from '../evidence/effective';
import { verifyCustodyChain } from '../evidence/custody-chain';
import {
  CLOCKS,
  type ArtifactName,
  type ArtifactRef,
  type Capture,
  type CustodyEvent,
  type MissingArtifact,
} from '../evidence/model';
import { canonicalJson, sha256Hex } from '../evidence/sha256';
import type { AuthorInfo, Platform } from '../sites/types';
import { bundleFileName, captureFolderName } from './names';
import { formatSha256Sums } from './sha256sums';

/**
 * Writes the evidence bundle: a zip an officer can check with nothing but
 * `unzip` and `sha256sum -c SHA256SUMS`. Every file is hashed from the exact
 * bytes that go into the zip, and every stored artifact is checked against the
 * hash taken when it was captured before it is written.
 */

export const BUNDLE_FORMAT = 'witness-box-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
export const README_PATH = 'README.txt';
export const MANIFEST_PATH = 'manifest.json';
export const CUSTODY_LOG_PATH = 'custody-log.jsonl';
export const SUMS_PATH = 'SHA256SUMS';
export const CAPTURES_DIR = 'captures';
export const METADATA_NAME = 'metadata.json';

export interface BundleTool {
  name: string;
  version: string;
  browser: string;
  os: string;
}

export interface BundleInput {
  caseName: string;
  /** What to export, in this order. A profile child is nested under its parent when the parent is exported too. */
  captures: Capture[];
  /**
   * The custody events for these captures, in seq order, as one unbroken run
   * of the log: it is chain-verified before anything is written.
   */
  custody: CustodyEvent[];
  readArtifact(captureId: string, name: ArtifactName): Promise<Blob>;
  exportedBy: string;
  /** UTC ISO-8601. */
  exportedAt: string;
  tool: BundleTool;
  /** Called after each artifact is written; `total` counts artifacts across all captures. */
  onProgress?(done: number, total: number): void;
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
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: typeof BUNDLE_FORMAT_VERSION;
  case: string;
  exportedBy: string;
  exportedAt: string;
  tool: BundleTool;
  captures: BundleCaptureEntry[];
  custody: CustodyEvent[];
  /** Every file in the zip except manifest.json and SHA256SUMS. */
  files: BundleFileEntry[];
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
  /** The capture record exactly as stored. */
  capture: Capture;
  folder: string;
  /** Stored artifacts plus those added later by custody events. */
  artifacts: ArtifactRef[];
  /** Artifacts that failed, or were still being made at export, with the reason. */
  missing: MissingArtifact[];
  clocks: typeof CLOCKS;
}

const NOT_FINISHED = 'still being made when this bundle was exported';

export async function buildBundle(input: BundleInput): Promise<BuiltBundle> {
  const date = parseExportTime(input.exportedAt);
  await assertCustodyIntact(input.custody);
  const folders = planFolders(input.captures);
  const plans = input.captures.map((capture) => planCapture(capture, input.custody, folderOf(folders, capture.id)));
  const total = plans.reduce((n, p) => n + p.artifacts.length, 0);

  const writer = new ZipWriter(date);
  await writer.addText(README_PATH, renderReadme(input, plans));
  await writer.addText(CUSTODY_LOG_PATH, input.custody.map((e) => `${canonicalJson(e)}\n`).join(''));
  let done = 0;
  const captureEntries: BundleCaptureEntry[] = [];
  for (const plan of plans) {
    captureEntries.push(
      await writeCapture(writer, plan, input.readArtifact, () => input.onProgress?.(++done, total)),
    );
  }

  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    case: input.caseName,
    exportedBy: input.exportedBy,
    exportedAt: input.exportedAt,
    tool: input.tool,
    captures: captureEntries,
    custody: input.custody.map(sortedCopy),
    files: [...writer.entries],
  };
  await writer.addText(MANIFEST_PATH, prettyJson(manifest));
  await writer.addText(SUMS_PATH, formatSha256Sums(writer.entries), { listed: false });

  return {
    fileName: bundleFileName(input.caseName, input.exportedAt),
    zip: await writer.generate(),
    manifest,
    fileCount: writer.entries.length + 1, // + SHA256SUMS, the one file it does not list
  };
}

function parseExportTime(exportedAt: string): Date {
  const date = new Date(exportedAt);
  if (Number.isNaN(date.getTime())) throw new TypeError(`exportedAt is not a time: ${JSON.stringify(exportedAt)}`);
  return date;
}

async function assertCustodyIntact(custody: readonly CustodyEvent[]): Promise<void> {
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
export function planFolders(captures: readonly Capture[]): Map<string, string> {
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
    if (!nests(c)) folders.set(c.id, `${CAPTURES_DIR}/${captureFolderName(++numbered, c)}`);
  }
  const profilesPerParent = new Map<string, number>();
  for (const c of captures) {
    if (!nests(c)) continue;
    const n = (profilesPerParent.get(c.parentId) ?? 0) + 1;
    profilesPerParent.set(c.parentId, n);
    folders.set(c.id, `${folderOf(folders, c.parentId)}/${n === 1 ? 'profile' : `profile-${n}`}`);
  }
  return folders;
}

function folderOf(folders: ReadonlyMap<string, string>, captureId: string): string {
  const folder = folders.get(captureId);
  if (folder === undefined) throw new Error(`No folder planned for capture ${captureId}`);
  return folder;
}

interface CapturePlan {
  capture: Capture;
  folder: string;
  artifacts: ArtifactRef[];
  missing: MissingArtifact[];
}

function planCapture(capture: Capture, custody: readonly CustodyEvent[], folder: string): CapturePlan {
  const effective = effectiveArtifacts(capture, custody);
  const unfinished = effective.pending.map((name): MissingArtifact => ({ name, reason: NOT_FINISHED }));
  return { capture, folder, artifacts: effective.artifacts, missing: [...effective.missing, ...unfinished] };
}

async function writeCapture(
  writer: ZipWriter,
  plan: CapturePlan,
  readArtifact: BundleInput['readArtifact'],
  onArtifact: () => void,
): Promise<BundleCaptureEntry> {
  const { capture, folder } = plan;
  const files: BundleCaptureFile[] = [];
  for (const ref of plan.artifacts) {
    const path = `${folder}/${ref.name}`;
    const bytes = await readVerified(readArtifact, capture.id, ref, path);
    files.push({ ...writer.put(path, bytes, ref.sha256), mime: ref.mime });
    onArtifact();
  }
  const metadata: CaptureMetadataFile = {
    capture,
    folder,
    artifacts: plan.artifacts,
    missing: plan.missing,
    clocks: CLOCKS,
  };
  const metadataEntry = await writer.addText(`${folder}/${METADATA_NAME}`, prettyJson(metadata));
  files.push({ ...metadataEntry, mime: 'application/json' });
  return {
    id: capture.id,
    folder,
    kind: capture.kind,
    parentId: capture.parentId,
    platform: capture.platform,
    permalink: capture.permalink,
    author: capture.author,
    capturedAt: capture.capturedAt,
    files,
    missing: plan.missing,
  };
}

/** The artifact's stored bytes, after proving they are the bytes hashed at capture. */
async function readVerified(
  readArtifact: BundleInput['readArtifact'],
  captureId: string,
  ref: ArtifactRef,
  path: string,
): Promise<Uint8Array<ArrayBuffer>> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await (await readArtifact(captureId, ref.name)).arrayBuffer());
  } catch (cause) {
    throw new BundleIntegrityError(
      `Capture ${captureId}: ${ref.name} is recorded but could not be read from storage, so the bundle was not made (${path}).`,
      { captureId, path },
      { cause },
    );
  }
  const sha256 = await sha256Hex(bytes);
  if (sha256 !== ref.sha256 || bytes.byteLength !== ref.bytes) {
    throw new BundleIntegrityError(
      `Capture ${captureId}: the stored ${ref.name} has changed since it was captured, so the bundle was not made. ` +
        `It should be ${ref.bytes} bytes with SHA-256 ${ref.sha256}, but storage now holds ${bytes.byteLength} bytes ` +
        `with SHA-256 ${sha256} (${path}).`,
      { captureId, path },
    );
  }
  return bytes;
}

/** Keys sorted at every depth, then indented: the same record always gives the same bytes, and a person can read it. */
function prettyJson(value: unknown): string {
  return `${JSON.stringify(sortedCopy(value), null, 2)}\n`;
}

function sortedCopy<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}

/**
 * Adds files to the zip with one fixed timestamp (the export time), so the
 * same input always makes the same zip, and records each file's hash taken
 * from the very bytes handed to the zip.
 */
class ZipWriter {
  private readonly zip = new JSZip();
  private readonly dirs = new Set<string>();
  /** Files written and listed in SHA256SUMS, in order. */
  readonly entries: BundleFileEntry[] = [];

  constructor(private readonly date: Date) {}

  async addText(path: string, text: string, { listed = true } = {}): Promise<BundleFileEntry> {
    const bytes = new TextEncoder().encode(text);
    const sha256 = await sha256Hex(bytes);
    return listed ? this.put(path, bytes, sha256) : this.write(path, bytes, sha256);
  }

  /** `sha256` must be the hash of `bytes`, already computed by the caller. */
  put(path: string, bytes: Uint8Array, sha256: string): BundleFileEntry {
    const entry = this.write(path, bytes, sha256);
    this.entries.push(entry);
    return entry;
  }

  private write(path: string, bytes: Uint8Array, sha256: string): BundleFileEntry {
    this.addParentDirs(path);
    this.zip.file(path, bytes, { binary: true, date: this.date, createFolders: false });
    return { path, bytes: bytes.byteLength, sha256 };
  }

  /** Explicit folder entries, stamped like the files (jszip's own would carry the current time). */
  private addParentDirs(path: string): void {
    const parts = path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = `${parts.slice(0, i).join('/')}/`;
      if (this.dirs.has(dir)) continue;
      this.dirs.add(dir);
      this.zip.file(dir, null, { dir: true, date: this.date, createFolders: false });
    }
  }

  generate(): Promise<Blob> {
    // STORE: PNGs and MHTML barely compress, and deflate costs seconds on big bundles (measured).
    return this.zip.generateAsync({ type: 'blob', mimeType: 'application/zip', compression: 'STORE', streamFiles: true });
  }
}

// ---------------------------------------------------------------------------
// README.txt

const REPORTING: Record<Platform, { name: string; where: string }> = {
  x: { name: 'X (formerly Twitter)', where: 'https://help.twitter.com/en/safety-and-security' },
  generic: { name: 'Other websites', where: "the website's own report or contact form" },
};

/** Captured text is untrusted: no line breaks, control or bidi characters that could forge or disguise README lines. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, ' ');
}

function utcForPeople(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? oneLine(iso) : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function describeCapture(plan: CapturePlan): string[] {
  const c = plan.capture;
  const who = c.author.handle ? `@${c.author.handle}` : (c.author.displayName ?? 'unknown author');
  return [
    `  ${plan.folder}/`,
    `      ${c.kind} by ${oneLine(who)} on ${REPORTING[c.platform].name}, captured ${utcForPeople(c.capturedAt)}`,
    `      ${oneLine(c.permalink ?? c.url)}`,
    ...(plan.missing.length ? [`      not available: ${plan.missing.map((m) => m.name).join(', ')}`] : []),
  ];
}

const POWERSHELL_CHECK =
  "Get-Content SHA256SUMS | ForEach-Object { $h, $f = $_ -split '  ', 2; " +
  'if ((Get-FileHash -Algorithm SHA256 -LiteralPath $f).Hash -eq $h) { "OK      $f" } else { "FAILED  $f" } }';

function renderReadme(input: BundleInput, plans: readonly CapturePlan[]): string {
  const platforms = [...new Set(plans.map((p) => p.capture.platform))];
  const lines = [
    'WITNESS BOX EVIDENCE BUNDLE',
    '',
    'This bundle holds evidence of online abuse, captured with the Witness Box browser',
    'extension: screenshots of posts and of their authors\' profile pages, archives of the',
    'web pages, what was recorded about each, and a log of everything done with them.',
    '',
    `Case:         ${oneLine(input.caseName)}`,
    `Exported by:  ${oneLine(input.exportedBy)}`,
    `Exported at:  ${utcForPeople(input.exportedAt)}`,
    `Made with:    ${oneLine(`${input.tool.name} ${input.tool.version}, ${input.tool.browser}, ${input.tool.os}`)}`,
    `Captures:     ${plans.length}`,
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
    'made. custody-log.jsonl is a hash chain: each event includes the fingerprint of the',
    'one before it, so an event that was edited, removed or reordered shows.',
    '',
    'ABOUT THE TIMES',
    '',
    'All times here and in folder names are UTC.',
    `capturedAt: ${CLOCKS.capturedAt}.`,
    `shownTime:  ${CLOCKS.shownTime}.`,
    '',
    'WHAT IS IN IT',
    '',
    '  README.txt          this file',
    '  SHA256SUMS          fingerprints of every other file',
    '  manifest.json       every capture and file, with sizes and fingerprints, and the custody log',
    '  custody-log.jsonl   the custody log, one event per line',
    '  captures/           one folder per capture: number, platform, account, time captured (UTC)',
    '      post.png          the post exactly as it appeared on screen (cut from viewport.png)',
    '      post-render.png   the post redrawn from the page, whole even if part was off screen',
    '      viewport.png      the visible part of the browser window',
    '      page.mhtml        an archive of the whole web page (opens in Chrome or Edge)',
    '      page.html         the web page\'s content, when captured in Firefox (instead of page.mhtml)',
    '      post.html         the post\'s HTML',
    '      metadata.json     what was recorded: addresses, author, text, times, who captured it',
    '      profile/          the author\'s profile page, captured just after the post',
    '',
    'CAPTURES',
    '',
    ...plans.flatMap(describeCapture),
    '',
    'WHERE TO REPORT',
    '',
    'If anyone is in immediate danger, call the police on 999.',
    'Otherwise, report it to the police on 101 and give them this bundle.',
    'Report the posts to the platform as well, through its own reporting:',
    ...platforms.map((p) => `  ${REPORTING[p].name}: ${REPORTING[p].where}`),
    'When to go to the police: https://reportharmfulcontent.com/when-should-you-go-to-the-police/',
    '',
  ];
  // CRLF so the file reads properly in any Windows editor, old Notepad included.
  return lines.join('\r\n');
}
