/**
 * Reads a zip that may be hostile: a bundle from someone else, or a file that
 * only claims to be one. The central directory is read and judged before any
 * entry is decompressed: too many entries, more bytes than the file could
 * honestly hold, overlapping entries (a zip-bomb trick), names that differ
 * between the directory and the entry, duplicates, encryption, split archives
 * are all refused up front. An entry is then read on its own, and inflating
 * stops the moment it produces more than it declared. Nothing is ever
 * written to disk.
 *
 * Only what a bundle needs is read: stored and deflated entries, Zip64 sizes.
 */

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
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
const STORED = 0;
const DEFLATED = 8;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

const notZip = (why: string) =>
  new ZipRefusedError(`This file is not a zip that can be read (${why}), so nothing in it was checked.`, 'not-a-zip');
const unsafe = (why: string) =>
  new ZipRefusedError(`This zip was refused without unpacking anything: ${why}.`, 'unsafe');

interface Directory {
  entries: number;
  size: number;
  offset: number;
}

export interface ZipReader {
  entries: ZipEntry[];
  /** The entry's bytes, uncompressed; throws ZipEntryError if it is damaged or expands beyond what it declared. */
  read(entry: ZipEntry): Promise<Uint8Array<ArrayBuffer>>;
}

/** Reads and judges the central directory; throws ZipRefusedError for a zip that must not be opened. */
export async function openZip(source: ZipSource, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipReader> {
  const dir = await readEndOfDirectory(source);
  if (dir.entries > limits.maxEntries) {
    throw unsafe(
      `it has ${dir.entries.toLocaleString('en-GB')} entries, more than the ${limits.maxEntries.toLocaleString('en-GB')} a bundle can have`,
    );
  }
  if (dir.offset + dir.size > source.size) throw notZip('its table of contents runs past the end of the file');
  if (dir.size < dir.entries * CENTRAL_SIZE)
    throw notZip('its table of contents is too short for the entries it counts');
  const entries = parseDirectory(await source.read(dir.offset, dir.size), dir);
  judgeEntries(entries, dir, source.size, limits);
  return { entries, read: (entry) => readEntry(source, entry, dir.offset) };
}

async function readEndOfDirectory(source: ZipSource): Promise<Directory> {
  if (source.size < EOCD_SIZE) throw notZip('it is too short');
  const tailLength = Math.min(source.size, EOCD_SIZE + MAX_COMMENT);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let at = -1;
  for (let i = tail.byteLength - EOCD_SIZE; i >= 0; i--) {
    if (view.getUint32(i, true) === SIG_EOCD && i + EOCD_SIZE + view.getUint16(i + 20, true) === tail.byteLength) {
      at = i;
      break;
    }
  }
  if (at < 0) throw notZip('no end-of-archive record');
  const disk = view.getUint16(at + 4, true);
  const cdDisk = view.getUint16(at + 6, true);
  const onDisk = view.getUint16(at + 8, true);
  let entries = view.getUint16(at + 10, true);
  let size = view.getUint32(at + 12, true);
  let offset = view.getUint32(at + 16, true);
  if (disk !== 0 || cdDisk !== 0 || onDisk !== entries) throw unsafe('it is split across several files');
  if (entries === U16_MAX || size === U32_MAX || offset === U32_MAX) {
    ({ entries, size, offset } = await readZip64End(source, tailStart + at));
  }
  return { entries, size, offset };
}

async function readZip64End(source: ZipSource, eocdOffset: number): Promise<Directory> {
  if (eocdOffset < 20) throw notZip('a Zip64 record is missing');
  const locator = await source.read(eocdOffset - 20, 20);
  const lv = new DataView(locator.buffer, locator.byteOffset, 20);
  if (lv.getUint32(0, true) !== SIG_ZIP64_LOCATOR) throw notZip('a Zip64 record is missing');
  const recordOffset = safeNumber(lv.getBigUint64(8, true));
  if (recordOffset + 56 > source.size) throw notZip('its Zip64 record is outside the file');
  const record = await source.read(recordOffset, 56);
  const rv = new DataView(record.buffer, record.byteOffset, 56);
  if (rv.getUint32(0, true) !== SIG_ZIP64_EOCD) throw notZip('its Zip64 record is damaged');
  return {
    entries: safeNumber(rv.getBigUint64(32, true)),
    size: safeNumber(rv.getBigUint64(40, true)),
    offset: safeNumber(rv.getBigUint64(48, true)),
  };
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

function parseDirectory(cd: Uint8Array, dir: Directory): ZipEntry[] {
  const view = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < dir.entries; i++) {
    if (at + CENTRAL_SIZE > cd.byteLength || view.getUint32(at, true) !== SIG_CENTRAL)
      throw notZip('its table of contents is damaged');
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let offset = view.getUint32(at + 42, true);
    const end = at + CENTRAL_SIZE + nameLength + extraLength + commentLength;
    if (end > cd.byteLength) throw notZip('its table of contents is damaged');
    const name = decodeName(cd.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength));
    if (flags & 0x1) throw unsafe(`${JSON.stringify(name)} is encrypted`);

    const extra = cd.subarray(at + CENTRAL_SIZE + nameLength, at + CENTRAL_SIZE + nameLength + extraLength);
    for (const field of extraFields(extra)) {
      if (field.id === 0x0001) {
        // Zip64: 8-byte values, present only for the fields saturated in the header, in this order.
        const z = new DataView(field.data.buffer, field.data.byteOffset, field.data.byteLength);
        let p = 0;
        const next = (): number => {
          if (p + 8 > field.data.byteLength) throw notZip('a Zip64 field is damaged');
          const v = safeNumber(z.getBigUint64(p, true));
          p += 8;
          return v;
        };
        if (size === U32_MAX) size = next();
        if (compressedSize === U32_MAX) compressedSize = next();
        if (offset === U32_MAX) offset = next();
      } else if (field.id === 0x7075 && field.data.byteLength > 5) {
        // Info-ZIP Unicode path: some unzip tools prefer this name to the one above.
        const other = decodeName(field.data.subarray(5));
        if (other !== name)
          throw unsafe(`the entry ${JSON.stringify(name)} carries a second, different name, ${JSON.stringify(other)}`);
      }
    }
    entries.push({ name, dir: name.endsWith('/'), method, compressedSize, size, offset });
    at = end;
  }
  return entries;
}

function* extraFields(extra: Uint8Array): Generator<{ id: number; data: Uint8Array }> {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  let at = 0;
  while (at + 4 <= extra.byteLength) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (at + 4 + length > extra.byteLength) return;
    yield { id, data: extra.subarray(at + 4, at + 4 + length) };
    at += 4 + length;
  }
}

function judgeEntries(entries: readonly ZipEntry[], dir: Directory, zipSize: number, limits: ZipLimits): void {
  const seen = new Map<string, string>();
  let total = 0;
  for (const e of entries) {
    // Windows and macOS fold case: "A.png" and "a.png" would overwrite each other when unzipped.
    const key = e.name.normalize('NFC').toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw unsafe(
        earlier === e.name
          ? `it holds two entries named ${JSON.stringify(e.name)}, so which one a tool shows depends on the tool`
          : `it holds ${JSON.stringify(earlier)} and ${JSON.stringify(e.name)}, which overwrite each other on Windows and macOS`,
      );
    }
    seen.set(key, e.name);
    if (e.method !== STORED && e.method !== DEFLATED)
      throw unsafe(`${JSON.stringify(e.name)} uses compression method ${e.method}, which bundles never use`);
    if (e.method === STORED && e.compressedSize !== e.size)
      throw notZip(`${JSON.stringify(e.name)} has inconsistent sizes`);
    total += e.size;
  }
  const allowed = Math.min(limits.maxTotalBytes, Math.max(limits.smallAllowance, zipSize * limits.maxExpansion));
  if (total > allowed) {
    throw unsafe(
      `its ${zipSize.toLocaleString('en-GB')} bytes would unpack to ${total.toLocaleString('en-GB')} bytes, more than the ` +
        `${allowed.toLocaleString('en-GB')} a genuine bundle of this size could hold (a "zip bomb")`,
    );
  }
  // Each entry's local header and data must lie before the table of contents and not overlap another's:
  // overlapping entries let a small zip unpack the same bytes many times.
  const byOffset = [...entries].sort((a, b) => a.offset - b.offset);
  let end = 0;
  for (const e of byOffset) {
    if (e.offset < end) throw unsafe(`its entries overlap (at ${JSON.stringify(e.name)}), a trick used by zip bombs`);
    end = e.offset + LOCAL_SIZE + e.compressedSize;
    if (end > dir.offset) throw notZip(`${JSON.stringify(e.name)} runs into the table of contents`);
  }
}

async function readEntry(
  source: ZipSource,
  entry: ZipEntry,
  directoryOffset: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const header = await source.read(entry.offset, LOCAL_SIZE);
  const hv = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (header.byteLength < LOCAL_SIZE || hv.getUint32(0, true) !== SIG_LOCAL) {
    throw new ZipEntryError(`${entry.name} could not be read: its entry in the zip is damaged.`, entry.name);
  }
  const nameLength = hv.getUint16(26, true);
  const extraLength = hv.getUint16(28, true);
  const start = entry.offset + LOCAL_SIZE + nameLength + extraLength;
  const localName = new TextDecoder().decode(await source.read(entry.offset + LOCAL_SIZE, nameLength));
  if (localName !== entry.name) {
    throw new ZipEntryError(
      `${entry.name} is named ${JSON.stringify(localName)} inside the zip: a zip whose two copies of a name differ unpacks differently in different tools.`,
      entry.name,
    );
  }
  if (start + entry.compressedSize > directoryOffset) {
    throw new ZipEntryError(`${entry.name} could not be read: it runs into the zip's table of contents.`, entry.name);
  }
  const data = await source.read(start, entry.compressedSize);
  if (entry.method === STORED) return data;
  return inflateCapped(data, entry);
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
