import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../../src/bundle/crc32';

/**
 * Writes zips by hand, including the malformed and hostile ones no zip
 * library will make: lying sizes and CRCs, duplicate or overlapping entries,
 * names that differ between the directory and the entry, local headers that
 * disagree with the directory, data descriptors, symlinks, bytes hidden
 * before, between or after the entries, inflated entry counts.
 */
export interface CraftEntry {
  name: string;
  data?: Uint8Array;
  /** 0 stored (default), 8 deflated, anything else to test refusal. */
  method?: number;
  /** Uncompressed size to declare instead of the true one. */
  declaredSize?: number;
  /** CRC-32 to declare (in both headers) instead of the true one. */
  crc?: number;
  /** Name in the local header, when it should differ from the directory's. */
  localName?: string;
  /** Local header fields that differ from the directory's. */
  local?: { size?: number; compressedSize?: number; crc?: number; method?: number; flags?: number };
  /** Set the data-descriptor flag and write one after the data; the local CRC and sizes are then zero. */
  descriptor?: { signature?: boolean; size?: number; compressedSize?: number; crc?: number };
  /** Extra field bytes for the directory entry. */
  extra?: Uint8Array;
  /** Extra field bytes for the local header. */
  localExtra?: Uint8Array;
  flags?: number;
  /** External attributes (the high 16 bits are a Unix mode when `madeBy`'s high byte is 3). */
  external?: number;
  madeBy?: number;
  /** Point this entry's directory record at another entry's local header (by index). */
  sameOffsetAs?: number;
  /** Bytes written after this entry's data that belong to no entry. */
  after?: Uint8Array;
}

export interface CraftOptions {
  /** Entry count to write in the end record instead of the true one. */
  declaredEntries?: number;
  /** Bytes before the first entry; the offsets count them unless `unshifted`. */
  prefix?: Uint8Array;
  /** Leave the offsets as if there were no prefix, as when bytes are glued in front of a finished zip. */
  unshifted?: boolean;
  /** The end record's comment. */
  comment?: Uint8Array;
}

/** Shared by every entry without data: crafting 100,000 entries is mostly allocation. */
const EMPTY = new Uint8Array();

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of parts) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const enc = new TextEncoder();

export function craftZip(entries: readonly CraftEntry[], options: CraftOptions = {}): Uint8Array {
  const prefix = options.prefix ?? EMPTY;
  const chunks: Uint8Array[] = [prefix];
  const central: Uint8Array[] = [];
  const offsets: number[] = [];
  let offset = options.unshifted ? 0 : prefix.byteLength;
  entries.forEach((e) => {
    const raw = e.data ?? EMPTY;
    const method = e.method ?? 0;
    const body = method === 8 ? new Uint8Array(deflateRawSync(raw)) : raw;
    const size = e.declaredSize ?? raw.byteLength;
    const crc = e.crc ?? crc32(raw);
    const flags = (e.flags ?? 0x0800) | (e.descriptor ? 0x0008 : 0);
    const name = enc.encode(e.name);
    const localName = enc.encode(e.localName ?? e.name);
    const localExtra = e.localExtra ?? EMPTY;
    const local = new Uint8Array(30 + localName.byteLength + localExtra.byteLength);
    const lv = new DataView(local.buffer);
    const zeroed = e.descriptor ? 0 : undefined;
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, e.local?.flags ?? flags, true);
    lv.setUint16(8, e.local?.method ?? method, true);
    lv.setUint32(14, e.local?.crc ?? zeroed ?? crc, true);
    lv.setUint32(18, e.local?.compressedSize ?? zeroed ?? body.byteLength, true);
    lv.setUint32(22, e.local?.size ?? zeroed ?? size, true);
    lv.setUint16(26, localName.byteLength, true);
    lv.setUint16(28, localExtra.byteLength, true);
    local.set(localName, 30);
    local.set(localExtra, 30 + localName.byteLength);
    const here = e.sameOffsetAs === undefined ? offset : (offsets[e.sameOffsetAs] ?? 0);
    offsets.push(here);
    if (e.sameOffsetAs === undefined) {
      const parts = [local, body];
      if (e.descriptor) {
        const d = new Uint8Array(16);
        const dv = new DataView(d.buffer);
        dv.setUint32(0, 0x08074b50, true);
        dv.setUint32(4, e.descriptor.crc ?? crc, true);
        dv.setUint32(8, e.descriptor.compressedSize ?? body.byteLength, true);
        dv.setUint32(12, e.descriptor.size ?? size, true);
        parts.push(e.descriptor.signature === false ? d.subarray(4) : d);
      }
      if (e.after) parts.push(e.after);
      for (const part of parts) {
        chunks.push(part);
        offset += part.byteLength;
      }
    }
    const extra = e.extra ?? EMPTY;
    const cd = new Uint8Array(46 + name.byteLength + extra.byteLength);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, e.madeBy ?? 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, method, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.byteLength, true);
    cv.setUint32(24, size, true);
    cv.setUint16(28, name.byteLength, true);
    cv.setUint16(30, extra.byteLength, true);
    cv.setUint32(38, e.external ?? 0, true);
    cv.setUint32(42, here, true);
    cd.set(name, 46);
    cd.set(extra, 46 + name.byteLength);
    central.push(cd);
  });
  const cdSize = central.reduce((n, c) => n + c.byteLength, 0);
  const total = options.declaredEntries ?? entries.length;
  // More than 65,534 entries need the Zip64 end records, as real zip tools write them.
  const zip64: Uint8Array[] = [];
  if (total >= 0xffff) {
    const record = new Uint8Array(56);
    const rv = new DataView(record.buffer);
    rv.setUint32(0, 0x06064b50, true);
    rv.setBigUint64(4, 44n, true);
    rv.setUint16(12, 45, true);
    rv.setUint16(14, 45, true);
    rv.setBigUint64(24, BigInt(total), true);
    rv.setBigUint64(32, BigInt(total), true);
    rv.setBigUint64(40, BigInt(cdSize), true);
    rv.setBigUint64(48, BigInt(offset), true);
    const locator = new Uint8Array(20);
    const lv = new DataView(locator.buffer);
    lv.setUint32(0, 0x07064b50, true);
    lv.setBigUint64(8, BigInt(offset + cdSize), true);
    lv.setUint32(16, 1, true);
    zip64.push(record, locator);
  }
  const comment = options.comment ?? EMPTY;
  const end = new Uint8Array(22 + comment.byteLength);
  const ev = new DataView(end.buffer);
  const count = Math.min(total, 0xffff);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, count, true);
  ev.setUint16(10, count, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  ev.setUint16(20, comment.byteLength, true);
  end.set(comment, 22);
  return concat([...chunks, ...central, ...zip64, end]);
}

/** The Info-ZIP Unicode path extra field (0x7075) naming `name`. */
export function unicodePathExtra(name: string): Uint8Array {
  const n = new TextEncoder().encode(name);
  const out = new Uint8Array(4 + 5 + n.byteLength);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0x7075, true);
  v.setUint16(2, 5 + n.byteLength, true);
  out[4] = 1;
  out.set(n, 9);
  return out;
}
