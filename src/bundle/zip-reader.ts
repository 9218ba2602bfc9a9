/**
 * Reads a zip that may be hostile: a bundle from someone else, or a file that
 * only claims to be one. It reads a zip as strictly as `unzip -t` and a file
 * system would, and refuses one that different tools could read differently,
 * because a bundle whose files depend on the tool is not evidence.
 *
 * Before any entry is decompressed, the whole layout is judged: the end
 * record must be the last bytes of the file, with the table of contents (and
 * any Zip64 records) right before it; every byte before that must belong to a
 * listed entry, in order, with no prefix, gap or hidden entry between them;
 * each entry's local header must agree with the table of contents (name,
 * sizes, CRC-32, method, flags; a data descriptor is checked against it too);
 * entries must be regular files or empty folders (no symlinks, devices or
 * folders with data); Zip64 fields must agree with the 32-bit ones they
 * extend. Too many entries, more bytes than the file could honestly hold,
 * duplicates, encryption and split archives are refused too. An entry is
 * then read on its own; inflating stops the moment it produces more than it
 * declared, and its CRC-32 is checked. Nothing is ever written to disk.
 *
 * Only what a bundle needs is read: stored and deflated entries, Zip64 sizes.
 * The checks are those of APPNOTE.TXT 6.3.10
 * (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT) and of what
 * Info-ZIP unzip does when the two copies of a fact disagree.
 */

import { crc32 } from './crc32';

export interface ZipLimits {
  /** Most entries (files and folders) accepted. */
  maxEntries: number;
  /** Most bytes all entries may declare once uncompressed, whatever the zip's size. */
  maxTotalBytes: number;
  /**
   * Most bytes all entries may declare per byte of the zip, beyond `smallAllowance`:
   * bundles are stored uncompressed, and real files deflate by a few times, not thousands.
   */
  maxExpansion: number;
  /** Uncompressed bytes allowed whatever the ratio, so a tiny genuine zip is never refused. */
  smallAllowance: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 20_000,
  maxTotalBytes: 8 * 1024 ** 3,
  maxExpansion: 16,
  smallAllowance: 64 * 1024 ** 2,
};

/** A refusal of the whole zip: nothing in it is read. */
export class ZipRefusedError extends Error {
  override name = 'ZipRefusedError';
  constructor(
    message: string,
    /** `not-a-zip`: not a readable zip at all; `unsafe`: readable, but built to do harm or beyond the limits. */
    readonly reason: 'not-a-zip' | 'unsafe',
  ) {
    super(message);
  }
}

/** One entry that could not be read (damaged, or expanding beyond what it declared); the rest of the zip is fine. */
export class ZipEntryError extends Error {
  override name = 'ZipEntryError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export interface ZipEntry {
  /** The name exactly as stored (UTF-8), never cleaned up: judge it before use. */
  name: string;
  dir: boolean;
  method: number;
  compressedSize: number;
  size: number;
  /** The CRC-32 the table of contents declares for the uncompressed bytes; checked on every read. */
  crc: number;
  /** Offset of the local header. */
  offset: number;
}

/** Random access to the zip's bytes, so a large bundle is never held whole. */
export interface ZipSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array<ArrayBuffer>>;
}

export function bytesSource(bytes: Uint8Array): ZipSource {
  return {
    size: bytes.byteLength,
    read: async (offset, length) => bytes.subarray(offset, offset + length) as Uint8Array<ArrayBuffer>,
  };
}

export function blobSource(blob: Blob): ZipSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

export function toSource(zip: Blob | Uint8Array): ZipSource {
  return zip instanceof Uint8Array ? bytesSource(zip) : blobSource(zip);
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const SIG_DESCRIPTOR = 0x08074b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
const STORED = 0;
const DEFLATED = 8;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
/** Deflate's speed hints, the data descriptor and UTF-8 names; the rest (strong encryption, patches, masked headers) no bundle uses. */
const KNOWN_FLAGS = 0x0002 | 0x0004 | FLAG_DESCRIPTOR | FLAG_UTF8;
const EXTRA_ZIP64 = 0x0001;
const EXTRA_UNICODE_PATH = 0x7075;
/** Unix file types, in the top 16 bits of the external attributes when the zip was made on a Unix-like system. */
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** MS-DOS and Windows attributes, in the low 16 bits. */
const DOS_DIRECTORY = 0x10;
const DOS_DEVICE = 0x40;
const WINDOWS_REPARSE_POINT = 0x400;
/** Local headers and small entries are read through a window this big: 20,000 tiny entries cost a few reads, not 40,000. */
const WINDOW = 1024 * 1024;

const notZip = (why: string) =>
  new ZipRefusedError(`This file is not a zip that can be read (${why}), so nothing in it was checked.`, 'not-a-zip');
const unsafe = (why: string) =>
  new ZipRefusedError(`This zip was refused without unpacking anything: ${why}.`, 'unsafe');
const quoted = (name: string) => JSON.stringify(name);

interface Directory {
  entries: number;
  size: number;
  offset: number;
  /** Where the table of contents must end: at the Zip64 record, or else at the end record. */
  end: number;
}

/** What the table of contents says about an entry beyond the public fields, for checking its local header. */
interface Listed {
  entry: ZipEntry;
  flags: number;
}

export interface ZipReader {
  entries: ZipEntry[];
  /** The entry's bytes, uncompressed; throws ZipEntryError if it is damaged (CRC-32) or expands beyond what it declared. */
  read(entry: ZipEntry): Promise<Uint8Array<ArrayBuffer>>;
}

/** Reads and judges the whole layout; throws ZipRefusedError for a zip that must not be opened. */
export async function openZip(source: ZipSource, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipReader> {
  const dir = await readEndOfDirectory(source);
  if (dir.entries > limits.maxEntries) {
    throw unsafe(
      `it has ${dir.entries.toLocaleString('en-GB')} entries, more than the ${limits.maxEntries.toLocaleString('en-GB')} a bundle can have`,
    );
  }
  if (dir.offset + dir.size > dir.end) throw notZip('its table of contents runs into its end record');
  if (dir.offset + dir.size < dir.end) {
    // Info-ZIP unzip then assumes bytes were added in front and shifts every offset: it reads other entries than we would.
    throw unsafe(
      `its table of contents is ${(dir.end - dir.offset - dir.size).toLocaleString('en-GB')} bytes away from where its end record says, so tools that make up for that read different files`,
    );
  }
  if (dir.size < dir.entries * CENTRAL_SIZE)
    throw notZip('its table of contents is too short for the entries it counts');
  const listed = parseDirectory(await readExactly(source, dir.offset, dir.size), dir);
  const entries = listed.map((l) => l.entry);
  judgeEntries(entries, source.size, limits);
  const window = new ReadWindow(source);
  const dataStarts = await checkLayout(window, listed, dir.offset);
  return { entries, read: (entry) => readEntry(window, entry, dataStarts) };
}

async function readExactly(source: ZipSource, offset: number, length: number): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = await source.read(offset, length);
  if (bytes.byteLength !== length) throw notZip('it ends early');
  return bytes;
}

const viewOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

async function readEndOfDirectory(source: ZipSource): Promise<Directory> {
  if (source.size < EOCD_SIZE) throw notZip('it is too short');
  const at = source.size - EOCD_SIZE;
  const view = viewOf(await readExactly(source, at, EOCD_SIZE));
  // Tools search backwards for the end record, and a comment can hold a second one: only a zip ending in its own is read.
  if (view.getUint32(0, true) !== SIG_EOCD || view.getUint16(20, true) !== 0) {
    throw (await endRecordBefore(source))
      ? unsafe('it has bytes after its end record (a comment, or data appended), which tools read differently')
      : notZip('no end-of-archive record');
  }
  const disk = view.getUint16(4, true);
  const cdDisk = view.getUint16(6, true);
  const onDisk = view.getUint16(8, true);
  const plain: Directory = {
    entries: view.getUint16(10, true),
    size: view.getUint32(12, true),
    offset: view.getUint32(16, true),
    end: at,
  };
  if (disk !== 0 || cdDisk !== 0 || onDisk !== plain.entries) throw unsafe('it is split across several files');
  const locatorAt = at - ZIP64_LOCATOR_SIZE;
  const hasLocator =
    locatorAt >= 0 && viewOf(await readExactly(source, locatorAt, 4)).getUint32(0, true) === SIG_ZIP64_LOCATOR;
  const saturated = plain.entries === U16_MAX || plain.size === U32_MAX || plain.offset === U32_MAX;
  if (saturated && !hasLocator) throw notZip('a Zip64 record is missing');
  // Tools read a Zip64 locator wherever one stands before the end record, so its record must agree with the end record.
  return hasLocator ? readZip64End(source, locatorAt, plain) : plain;
}

async function endRecordBefore(source: ZipSource): Promise<boolean> {
  const length = Math.min(source.size, EOCD_SIZE + MAX_COMMENT);
  const tail = await source.read(source.size - length, length);
  const view = viewOf(tail);
  for (let i = tail.byteLength - EOCD_SIZE; i >= 0; i--) if (view.getUint32(i, true) === SIG_EOCD) return true;
  return false;
}

async function readZip64End(source: ZipSource, locatorAt: number, plain: Directory): Promise<Directory> {
  const lv = viewOf(await readExactly(source, locatorAt, ZIP64_LOCATOR_SIZE));
  const recordOffset = safeNumber(lv.getBigUint64(8, true));
  if (lv.getUint32(4, true) !== 0 || lv.getUint32(16, true) > 1) throw unsafe('it is split across several files');
  if (recordOffset + ZIP64_EOCD_SIZE > locatorAt) throw notZip('its Zip64 record is outside the file');
  const rv = viewOf(await readExactly(source, recordOffset, ZIP64_EOCD_SIZE));
  if (rv.getUint32(0, true) !== SIG_ZIP64_EOCD) throw notZip('its Zip64 record is damaged');
  if (recordOffset + 12 + safeNumber(rv.getBigUint64(4, true)) !== locatorAt)
    throw unsafe('it has bytes between its Zip64 record and its end record that belong to nothing');
  const onDisk = safeNumber(rv.getBigUint64(24, true));
  const zip64: Directory = {
    entries: safeNumber(rv.getBigUint64(32, true)),
    size: safeNumber(rv.getBigUint64(40, true)),
    offset: safeNumber(rv.getBigUint64(48, true)),
    end: recordOffset,
  };
  if (rv.getUint32(16, true) !== 0 || rv.getUint32(20, true) !== 0 || onDisk !== zip64.entries)
    throw unsafe('it is split across several files');
  const agrees = (value: number, max: number, wide: number) => value === max || value === wide;
  if (
    !agrees(plain.entries, U16_MAX, zip64.entries) ||
    !agrees(plain.size, U32_MAX, zip64.size) ||
    !agrees(plain.offset, U32_MAX, zip64.offset)
  ) {
    throw unsafe(
      'its Zip64 record and its end record disagree about its table of contents, so tools read it differently',
    );
  }
  return zip64;
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw unsafe('it declares sizes no real file has');
  return Number(value);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw unsafe('an entry name is not valid text');
  }
}

function parseDirectory(cd: Uint8Array, dir: Directory): Listed[] {
  const view = viewOf(cd);
  const listed: Listed[] = [];
  let at = 0;
  for (let i = 0; i < dir.entries; i++) {
    if (at + CENTRAL_SIZE > cd.byteLength || view.getUint32(at, true) !== SIG_CENTRAL)
      throw notZip('its table of contents is damaged');
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const diskStart = view.getUint16(at + 34, true);
    const external = view.getUint32(at + 38, true);
    let offset = view.getUint32(at + 42, true);
    const nameStart = at + CENTRAL_SIZE;
    const end = nameStart + nameLength + extraLength + commentLength;
    if (end > cd.byteLength) throw notZip('its table of contents is damaged');
    const nameBytes = cd.subarray(nameStart, nameStart + nameLength);
    const name = decodeName(nameBytes);
    if (flags & FLAG_ENCRYPTED) throw unsafe(`${quoted(name)} is encrypted`);
    if (flags & ~KNOWN_FLAGS)
      throw unsafe(`${quoted(name)} uses zip features bundles never use (flags 0x${flags.toString(16)})`);
    // Without the UTF-8 flag, unzip reads the name in the old DOS code page: another name than ours.
    if (!(flags & FLAG_UTF8) && nameBytes.some((b) => b >= 0x80))
      throw unsafe(`the name ${quoted(name)} is not marked as UTF-8, so tools would read it as another name`);
    if (diskStart !== 0) throw unsafe('it is split across several files');

    const fields = extraFields(cd.subarray(nameStart + nameLength, nameStart + nameLength + extraLength), name);
    if (size === U32_MAX || compressedSize === U32_MAX || offset === U32_MAX) {
      // Zip64: 8-byte values, present only for the fields saturated in the header, in this order.
      const values = zip64Values(fields.get(EXTRA_ZIP64), name);
      if (size === U32_MAX) size = values();
      if (compressedSize === U32_MAX) compressedSize = values();
      if (offset === U32_MAX) offset = values();
    }
    checkUnicodePath(fields, name);
    const isDir = name.endsWith('/');
    const notPlain = fileTypeProblem(external, isDir);
    if (notPlain) throw unsafe(`${quoted(name)} is ${notPlain}`);
    if (isDir && size > 0) throw unsafe(`${quoted(name)} is a folder that holds data, which tools unpack differently`);
    listed.push({ entry: { name, dir: isDir, method, compressedSize, size, crc, offset }, flags });
    at = end;
  }
  if (at !== cd.byteLength) throw unsafe('its table of contents holds bytes that belong to no entry');
  return listed;
}

/** Why the external attributes make the entry something other than a plain file (or folder), or null. */
function fileTypeProblem(external: number, isDir: boolean): string | null {
  const type = (external >>> 16) & S_IFMT;
  if (type === S_IFLNK) return 'a symbolic link, which unzip would make point anywhere on the disk';
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) return 'a device, pipe or socket, not a plain file';
  if (type === S_IFDIR && !isDir) return 'marked as a folder but named as a file';
  if (type === S_IFREG && isDir) return 'marked as a file but named as a folder';
  if (external & (DOS_DEVICE | WINDOWS_REPARSE_POINT)) return 'marked as a device or a Windows link, not a plain file';
  if (external & DOS_DIRECTORY && !isDir) return 'marked as a folder but named as a file';
  return null;
}

/** The extra fields by id; a damaged or repeated field is refused, as tools would pick different copies. */
function extraFields(extra: Uint8Array, name: string): Map<number, Uint8Array> {
  const view = viewOf(extra);
  const fields = new Map<number, Uint8Array>();
  let at = 0;
  while (at + 4 <= extra.byteLength) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (at + 4 + length > extra.byteLength) throw unsafe(`the extra fields of ${quoted(name)} are damaged`);
    if (fields.has(id))
      throw unsafe(`${quoted(name)} carries the same extra field twice, and tools pick different ones`);
    fields.set(id, extra.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return fields;
}

/** Successive 8-byte values of a Zip64 extra field; refuses a missing or short one. */
function zip64Values(field: Uint8Array | undefined, name: string): () => number {
  if (!field) throw unsafe(`${quoted(name)} lacks the Zip64 sizes its entry calls for`);
  const view = viewOf(field);
  let at = 0;
  return () => {
    if (at + 8 > field.byteLength) throw notZip(`the Zip64 field of ${quoted(name)} is damaged`);
    const value = safeNumber(view.getBigUint64(at, true));
    at += 8;
    return value;
  };
}

/** The Info-ZIP Unicode path field: some unzip tools prefer this name to the entry's own, so the two must agree. */
function checkUnicodePath(fields: ReadonlyMap<number, Uint8Array>, name: string): void {
  const field = fields.get(EXTRA_UNICODE_PATH);
  if (!field || field.byteLength <= 5) return;
  const other = decodeName(field.subarray(5));
  if (other !== name) throw unsafe(`the entry ${quoted(name)} carries a second, different name, ${quoted(other)}`);
}

function judgeEntries(entries: readonly ZipEntry[], zipSize: number, limits: ZipLimits): void {
  const seen = new Map<string, string>();
  let total = 0;
  for (const e of entries) {
    // Windows and macOS fold case: "A.png" and "a.png" would overwrite each other when unzipped.
    const key = e.name.normalize('NFC').toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw unsafe(
        earlier === e.name
          ? `it holds two entries named ${quoted(e.name)}, so which one a tool shows depends on the tool`
          : `it holds ${quoted(earlier)} and ${quoted(e.name)}, which overwrite each other on Windows and macOS`,
      );
    }
    seen.set(key, e.name);
    if (e.method !== STORED && e.method !== DEFLATED)
      throw unsafe(`${quoted(e.name)} uses compression method ${e.method}, which bundles never use`);
    if (e.method === STORED && e.compressedSize !== e.size) throw notZip(`${quoted(e.name)} has inconsistent sizes`);
    total += e.size;
  }
  const allowed = Math.min(limits.maxTotalBytes, Math.max(limits.smallAllowance, zipSize * limits.maxExpansion));
  if (total > allowed) {
    throw unsafe(
      `its ${zipSize.toLocaleString('en-GB')} bytes would unpack to ${total.toLocaleString('en-GB')} bytes, more than the ` +
        `${allowed.toLocaleString('en-GB')} a genuine bundle of this size could hold (a "zip bomb")`,
    );
  }
}

/** Reads through a window of the source, so many small reads in order cost few real ones. */
class ReadWindow {
  private start = 0;
  private bytes = new Uint8Array(0);

  constructor(private readonly source: ZipSource) {}

  /** Exactly `length` bytes at `offset`; a view into the window when they are in it, so copy what you keep. */
  async read(offset: number, length: number): Promise<Uint8Array<ArrayBuffer>> {
    if (offset >= this.start && offset + length <= this.start + this.bytes.byteLength)
      return this.bytes.subarray(offset - this.start, offset - this.start + length) as Uint8Array<ArrayBuffer>;
    if (length >= WINDOW) return readExactly(this.source, offset, length);
    const bytes = await this.source.read(offset, Math.min(this.source.size - offset, WINDOW));
    if (bytes.byteLength < length) throw notZip('it ends early');
    this.start = offset;
    this.bytes = bytes;
    return bytes.subarray(0, length);
  }

  /** The same bytes, in a buffer of their own, for a caller that keeps them. */
  async readOwn(offset: number, length: number): Promise<Uint8Array<ArrayBuffer>> {
    return length >= WINDOW ? readExactly(this.source, offset, length) : (await this.read(offset, length)).slice();
  }
}

/**
 * Walks the entries in the order they lie in the file and checks each local
 * header against the table of contents, and that the entries fill everything
 * before it: no prefix, gap, overlap or hidden entry. Returns where each
 * entry's data starts.
 */
async function checkLayout(
  window: ReadWindow,
  listed: readonly Listed[],
  directoryOffset: number,
): Promise<Map<ZipEntry, number>> {
  const starts = new Map<ZipEntry, number>();
  let end = 0;
  for (const item of [...listed].sort((a, b) => a.entry.offset - b.entry.offset)) {
    const { entry } = item;
    const name = quoted(entry.name);
    if (entry.offset < end) throw unsafe(`its entries overlap (at ${name}), a trick used by zip bombs`);
    if (entry.offset > end) {
      const gap = (entry.offset - end).toLocaleString('en-GB');
      throw unsafe(
        end === 0
          ? `it has ${gap} bytes before its first entry that belong to no listed file: a file there would be shown by some tools and not others`
          : `it has ${gap} bytes before ${name} that belong to no listed file: a file hidden there would be shown by some tools and not others`,
      );
    }
    if (entry.offset + LOCAL_SIZE > directoryOffset) throw notZip(`${name} runs into the table of contents`);
    const { dataStart, zip64 } = await checkLocalHeader(window, item, directoryOffset);
    end = dataStart + entry.compressedSize;
    if (end > directoryOffset) throw notZip(`${name} runs into the table of contents`);
    if (item.flags & FLAG_DESCRIPTOR) end += await descriptorLength(window, entry, zip64, end, directoryOffset);
    starts.set(entry, dataStart);
  }
  if (end !== directoryOffset) {
    throw unsafe(
      `it has ${(directoryOffset - end).toLocaleString('en-GB')} bytes after its last entry that belong to no listed file: a file hidden there would be shown by some tools and not others`,
    );
  }
  return starts;
}

/**
 * Checks the local header agrees with the table of contents; returns where the
 * entry's data starts, and whether the header has a Zip64 field (which makes a
 * data descriptor's sizes 8 bytes each).
 */
async function checkLocalHeader(
  window: ReadWindow,
  { entry, flags }: Listed,
  limit: number,
): Promise<{ dataStart: number; zip64: boolean }> {
  const name = quoted(entry.name);
  const hv = viewOf(await window.read(entry.offset, LOCAL_SIZE));
  if (hv.getUint32(0, true) !== SIG_LOCAL) throw notZip(`the entry for ${name} is damaged`);
  const nameLength = hv.getUint16(26, true);
  const extraLength = hv.getUint16(28, true);
  const dataStart = entry.offset + LOCAL_SIZE + nameLength + extraLength;
  if (dataStart > limit) throw notZip(`${name} runs into the table of contents`);
  const rest = await window.read(entry.offset + LOCAL_SIZE, nameLength + extraLength);
  const differs = (what: string) =>
    unsafe(
      `the entry ${name} gives a different ${what} inside the zip than in its table of contents, so tools that read one or the other unpack different files`,
    );
  let localName: string;
  try {
    localName = utf8.decode(rest.subarray(0, nameLength));
  } catch {
    throw differs('name');
  }
  if (localName !== entry.name) {
    throw unsafe(
      `${name} is named ${quoted(localName)} inside the zip: a zip whose two copies of a name differ unpacks differently in different tools`,
    );
  }
  if (hv.getUint16(6, true) !== flags) throw differs('set of flags');
  if (hv.getUint16(8, true) !== entry.method) throw differs('compression method');
  const fields = extraFields(rest.subarray(nameLength), entry.name);
  checkUnicodePath(fields, entry.name);
  const crc = hv.getUint32(14, true);
  let compressedSize = hv.getUint32(18, true);
  let size = hv.getUint32(22, true);
  const zip64 = fields.get(EXTRA_ZIP64);
  if (zip64 || size === U32_MAX || compressedSize === U32_MAX) {
    // The local Zip64 field holds both sizes, always (APPNOTE 4.5.3).
    const values = zip64Values(zip64, entry.name);
    const wideSize = values();
    const wideCompressed = values();
    if (size === U32_MAX) size = wideSize;
    else if (wideSize !== entry.size) throw differs('size');
    if (compressedSize === U32_MAX) compressedSize = wideCompressed;
    else if (wideCompressed !== entry.compressedSize) throw differs('size');
  }
  // With a data descriptor, the header may leave the CRC-32 and sizes as zero; they follow the data.
  const later = (flags & FLAG_DESCRIPTOR) !== 0;
  const agrees = (local: number, listed: number) => local === listed || (later && local === 0);
  if (!agrees(crc, entry.crc)) throw differs('CRC-32');
  if (!agrees(size, entry.size) || !agrees(compressedSize, entry.compressedSize)) throw differs('size');
  return { dataStart, zip64: zip64 !== undefined };
}

/** The data descriptor after an entry's data must repeat its CRC-32 and sizes; returns its length. */
async function descriptorLength(
  window: ReadWindow,
  entry: ZipEntry,
  zip64: boolean,
  at: number,
  limit: number,
): Promise<number> {
  const sizeBytes = zip64 ? 8 : 4;
  const matches = (bytes: Uint8Array) => {
    const view = viewOf(bytes);
    const read = (p: number) => (sizeBytes === 8 ? safeNumber(view.getBigUint64(p, true)) : view.getUint32(p, true));
    return (
      view.getUint32(0, true) === entry.crc && read(4) === entry.compressedSize && read(4 + sizeBytes) === entry.size
    );
  };
  const bare = 4 + 2 * sizeBytes;
  // The descriptor's own signature is optional (APPNOTE 4.3.9.3).
  if (at + 4 + bare <= limit) {
    const signed = await window.read(at, 4 + bare);
    if (viewOf(signed).getUint32(0, true) === SIG_DESCRIPTOR && matches(signed.subarray(4))) return 4 + bare;
  }
  if (at + bare <= limit && matches(await window.read(at, bare))) return bare;
  throw unsafe(
    `the data descriptor of ${quoted(entry.name)} does not repeat the CRC-32 and sizes its table of contents gives, so tools that read one or the other unpack different files`,
  );
}

async function readEntry(
  window: ReadWindow,
  entry: ZipEntry,
  dataStarts: ReadonlyMap<ZipEntry, number>,
): Promise<Uint8Array<ArrayBuffer>> {
  const start = dataStarts.get(entry);
  if (start === undefined) throw new Error(`${entry.name} is not an entry of this zip`);
  const bytes =
    entry.method === STORED
      ? await window.readOwn(start, entry.compressedSize)
      : await inflateCapped(await window.read(start, entry.compressedSize), entry);
  if (crc32(bytes) !== entry.crc) {
    throw new ZipEntryError(
      `${entry.name} is damaged: its bytes do not match the CRC-32 recorded for it in the zip, so unzip would refuse it too.`,
      entry.name,
    );
  }
  return bytes;
}

/** Inflates, stopping as soon as the output passes the declared size: a lying header cannot make it use more memory. */
async function inflateCapped(data: Uint8Array<ArrayBuffer>, entry: ZipEntry): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Uint8Array(entry.size);
  let length = 0;
  const input = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      controller.enqueue(data);
      controller.close();
    },
  });
  const stream = input.pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (length + value.byteLength > entry.size) {
        throw new ZipEntryError(
          `${entry.name} unpacks to more than the ${entry.size} bytes it declares, so it was not read.`,
          entry.name,
        );
      }
      out.set(value, length);
      length += value.byteLength;
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    if (err instanceof ZipEntryError) throw err;
    throw new ZipEntryError(`${entry.name} could not be unpacked: its compressed data is damaged.`, entry.name);
  }
  if (length !== entry.size)
    throw new ZipEntryError(`${entry.name} unpacks to ${length} bytes but declares ${entry.size}.`, entry.name);
  return out;
}
