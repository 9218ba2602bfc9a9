// @vitest-environment node
// Checks the shared test factory against Node's own zlib, so bundle tests hash real PNGs.
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makePng } from '../factories';

interface Chunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

function chunks(png: Buffer): Chunk[] {
  const out: Chunk[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    out.push({
      type: typeAndData.subarray(0, 4).toString('latin1'),
      data: typeAndData.subarray(4),
      crcOk: crc32(typeAndData) === png.readUInt32BE(at + 8 + length),
    });
    at += 12 + length;
  }
  return out;
}

describe('makePng', () => {
  it('makes a valid PNG of the size asked, with correct checksums', async () => {
    const blob = makePng(300, 250, [1, 2, 3]);
    const png = Buffer.from(await blob.arrayBuffer());
    expect(blob.type).toBe('image/png');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const [ihdr, idat, iend] = chunks(png);
    expect([ihdr?.type, idat?.type, iend?.type]).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([ihdr, idat, iend].every((c) => c?.crcOk)).toBe(true);
    expect([ihdr?.data.readUInt32BE(0), ihdr?.data.readUInt32BE(4)]).toEqual([300, 250]);
    // 250 rows of a filter byte and 300 RGB pixels; over 64 KiB, so several stored deflate blocks.
    const pixels = inflateSync(idat?.data ?? Buffer.alloc(0));
    expect(pixels).toHaveLength(250 * (1 + 300 * 3));
    expect([...pixels.subarray(0, 4)]).toEqual([0, 1, 2, 3]);
  });

  it('is deterministic, and differs by colour', async () => {
    const bytes = async (b: Blob) => Buffer.from(await b.arrayBuffer());
    expect(await bytes(makePng(3, 3))).toEqual(await bytes(makePng(3, 3)));
    expect(await bytes(makePng(3, 3, [0, 0, 0]))).not.toEqual(await bytes(makePng(3, 3, [0, 0, 1])));
  });
});
