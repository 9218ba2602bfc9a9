import { deflateRawSync } from 'node:zlib';

/**
 * Writes zips by hand, including the malformed and hostile ones no zip
 * library will make: lying sizes, duplicate or overlapping entries, names that
 * differ between the directory and the entry, inflated entry counts.
 */
export interface CraftEntry {
  name: string;
  data?: Uint8Array;
  /** 0 stored (default), 8 deflated, anything else to test refusal. */
  method?: number;
  /** Uncompressed size to declare instead of the true one. */
  declaredSize?: number;
  /** Name in the local header, when it should differ from the directory's. */
  localName?: string;
  /** Extra field bytes for the directory entry. */
  extra?: Uint8Array;
  flags?: number;
  /** Point this entry's directory record at another entry's local header (by index). */
  sameOffsetAs?: number;
}

export interface CraftOptions {
  /** Entry count to write in the end record instead of the true one. */
  declaredEntries?: number;
}

export function craftZip(entries: readonly CraftEntry[], options: CraftOptions = {}): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const offsets: number[] = [];
  let offset = 0;
  entries.forEach((e) => {
    const raw = e.data ?? new Uint8Array();
    const method = e.method ?? 0;
    const body = method === 8 ? new Uint8Array(deflateRawSync(raw)) : raw;
    const size = e.declaredSize ?? raw.byteLength;
    const name = enc.encode(e.name);
    const localName = enc.encode(e.localName ?? e.name);
    const local = new Uint8Array(30 + localName.byteLength);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, e.flags ?? 0x0800, true);
    lv.setUint16(8, method, true);
    lv.setUint32(18, body.byteLength, true);
    lv.setUint32(22, size, true);
    lv.setUint16(26, localName.byteLength, true);
    local.set(localName, 30);
    const here = e.sameOffsetAs === undefined ? offset : (offsets[e.sameOffsetAs] ?? 0);
    offsets.push(here);
    if (e.sameOffsetAs === undefined) {
      chunks.push(local, body);
      offset += local.byteLength + body.byteLength;
    }
    const extra = e.extra ?? new Uint8Array();
    const cd = new Uint8Array(46 + name.byteLength + extra.byteLength);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, e.flags ?? 0x0800, true);
    cv.setUint16(10, method, true);
    cv.setUint32(20, body.byteLength, true);
    cv.setUint32(24, size, true);
    cv.setUint16(28, name.byteLength, true);
    cv.setUint16(30, extra.byteLength, true);
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
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  const count = Math.min(total, 0xffff);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, count, true);
  ev.setUint16(10, count, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const parts = [...chunks, ...central, ...zip64, end];
  const out = new Uint8Array(parts.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of parts) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
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
