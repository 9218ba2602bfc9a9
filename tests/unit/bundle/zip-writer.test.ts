// @vitest-environment node
// Zips written by StoredZipWriter, read back by jszip (which checks every CRC), the real `unzip`, and our own reader.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/bundle/crc32';
import { blobSource, DEFAULT_ZIP_LIMITS, openZip, type ZipSource } from '../../../src/bundle/zip-reader';
import { StoredZipWriter } from '../../../src/bundle/zip-writer';
import { pseudoRandomBytes } from '../../harness/synthetic-bundle';

const DATE = new Date(2026, 10, 22, 10, 15, 30);
const enc = (s: string) => new TextEncoder().encode(s);
const hasUnzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'witness-box-zip-writer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function saved(zip: Blob, name: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, new Uint8Array(await zip.arrayBuffer()));
  return path;
}

function sample(): { zip: Blob; files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>([
    ['README.txt', enc('read me\r\n')],
    ['captures/0001-x-GazT_1977/post.png', pseudoRandomBytes(100_001, 1)],
    ['captures/0002-x-ünïcødé-名前/page.mhtml', pseudoRandomBytes(5000, 2)],
    ['empty.txt', new Uint8Array()],
  ]);
  const writer = new StoredZipWriter(DATE);
  let i = 0;
  for (const [name, bytes] of files) {
    // Blobs and byte arrays alike, as the exporter hands over both.
    writer.add(
      name,
      i++ % 2 ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : (bytes as Uint8Array<ArrayBuffer>),
      crc32(bytes),
    );
  }
  return { zip: writer.finish(), files };
}

describe('StoredZipWriter', () => {
  it('writes a zip jszip reads back byte for byte, every CRC checked, names in UTF-8, with the given time', async () => {
    const { zip, files } = sample();
    expect(zip.type).toBe('application/zip');
    const read = await JSZip.loadAsync(await zip.arrayBuffer(), { checkCRC32: true });
    expect(Object.keys(read.files)).toEqual([...files.keys()]);
    for (const [name, bytes] of files) {
      expect(await read.file(name)!.async('uint8array'), name).toEqual(bytes);
      expect(read.file(name)!.date.getTime() - read.file(name)!.date.getTimezoneOffset() * 60_000).toBe(
        DATE.getTime() - DATE.getTimezoneOffset() * 60_000,
      );
    }
  });

  it('is read by our own zip reader, stored, sizes exact', async () => {
    const { zip, files } = sample();
    const reader = await openZip(blobSource(zip));
    expect(reader.entries.map((e) => [e.name, e.method, e.size])).toEqual(
      [...files].map(([n, b]) => [n, 0, b.byteLength]),
    );
    for (const entry of reader.entries) expect(await reader.read(entry)).toEqual(files.get(entry.name));
  });

  it.skipIf(!hasUnzip)('passes unzip -t', async () => {
    const path = await saved(sample().zip, 'sample.zip');
    const test = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/No errors detected/);
  });

  it('refuses the same name twice, and names a zip cannot hold', () => {
    const writer = new StoredZipWriter(DATE);
    writer.add('a.txt', enc('a'), crc32(enc('a')));
    expect(() => writer.add('a.txt', enc('b'), crc32(enc('b')))).toThrow(/already holds a\.txt/);
    expect(() => writer.add('', enc('b'), 0)).toThrow(/Not a file name/);
    expect(() => writer.add('/etc/passwd', enc('b'), 0)).toThrow(/Not a file name/);
  });

  it.skipIf(!hasUnzip)(
    'writes Zip64 end records for 70,000 entries, which unzip and our reader accept',
    async () => {
      const writer = new StoredZipWriter(DATE);
      const byte = enc('x');
      for (let i = 0; i < 70_000; i++) writer.add(`f/${i}.txt`, byte, crc32(byte));
      const zip = writer.finish();
      const reader = await openZip(blobSource(zip), { ...DEFAULT_ZIP_LIMITS, maxEntries: 100_000 });
      expect(reader.entries).toHaveLength(70_000);
      expect(reader.entries[69_999]!.name).toBe('f/69999.txt');
      const test = spawnSync('unzip', ['-tq', await saved(zip, 'many.zip')], { encoding: 'utf8' });
      expect(test.status, test.stdout + test.stderr).toBe(0);
    },
    30_000,
  );

  it('uses Zip64 sizes and offsets past 4 GiB, which our reader follows', async () => {
    // A stand-in for a 4.2 GB stored Blob: only its size is ever asked for, and its bytes read as zeros below.
    const bigSize = 2 ** 32 + 12_345;
    const big = Object.create(Blob.prototype, { size: { value: bigSize } }) as Blob;
    const after = enc('after the big one');
    const writer = new StoredZipWriter(DATE);
    writer.add('before.txt', enc('before'), crc32(enc('before')));
    writer.add('big.bin', big, 0); // its CRC is not what this test checks
    writer.add('after.txt', after, crc32(after));

    const reader = await openZip(layoutSource(writer.layout()));
    expect(reader.entries.map((e) => [e.name, e.size])).toEqual([
      ['before.txt', 6],
      ['big.bin', bigSize],
      ['after.txt', after.byteLength],
    ]);
    const last = reader.entries[2]!;
    expect(last.offset).toBeGreaterThan(2 ** 32);
    expect(await reader.read(last)).toEqual(after);
  });
});

/** Random access to a zip's parts without joining them: stand-in Blobs read as zeros. */
function layoutSource(parts: (Blob | Uint8Array)[]): ZipSource {
  const sizes = parts.map((p) => (p instanceof Uint8Array ? p.byteLength : p.size));
  return {
    size: sizes.reduce((a, b) => a + b, 0),
    read: async (offset, length) => {
      const out = new Uint8Array(length);
      let at = 0;
      parts.forEach((part, i) => {
        const start = Math.max(offset, at);
        const end = Math.min(offset + length, at + sizes[i]!);
        if (start < end && part instanceof Uint8Array) out.set(part.subarray(start - at, end - at), start - offset);
        at += sizes[i]!;
      });
      return out;
    },
  };
}
