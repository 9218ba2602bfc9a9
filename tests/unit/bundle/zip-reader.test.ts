// @vitest-environment node
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/bundle/crc32';
import {
  bytesSource,
  DEFAULT_ZIP_LIMITS,
  openZip,
  ZipEntryError,
  ZipRefusedError,
  type ZipLimits,
} from '../../../src/bundle/zip-reader';
import { craftZip, unicodePathExtra, type CraftEntry } from './zip-craft';

const enc = (s: string) => new TextEncoder().encode(s);
const open = (bytes: Uint8Array, limits?: ZipLimits) => openZip(bytesSource(bytes), limits);

async function refusal(bytes: Uint8Array, limits?: ZipLimits): Promise<ZipRefusedError> {
  const error = await open(bytes, limits).catch((e: unknown) => e);
  if (!(error instanceof ZipRefusedError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('openZip', () => {
  it('reads what jszip writes, stored and deflated, byte for byte', async () => {
    const zip = new JSZip();
    zip.file('a.txt', 'hello');
    zip.file('dir/b.txt', 'x'.repeat(10_000), { compression: 'DEFLATE' });
    const bytes = await zip.generateAsync({ type: 'uint8array' });
    const reader = await open(bytes);
    expect(reader.entries.map((e) => [e.name, e.dir, e.method])).toEqual([
      ['a.txt', false, 0],
      ['dir/', true, 0],
      ['dir/b.txt', false, 8],
    ]);
    const [a, , b] = reader.entries;
    expect(new TextDecoder().decode(await reader.read(a!))).toBe('hello');
    expect(new TextDecoder().decode(await reader.read(b!))).toBe('x'.repeat(10_000));
  });

  it('keeps names exactly as stored, "../" included, for the caller to judge', async () => {
    const reader = await open(craftZip([{ name: '../evil', data: enc('x') }, { name: '/etc/passwd' }]));
    expect(reader.entries.map((e) => e.name)).toEqual(['../evil', '/etc/passwd']);
  });

  it('refuses a file that is not a zip', async () => {
    expect((await refusal(enc('hello, this is not a zip at all'))).reason).toBe('not-a-zip');
    expect((await refusal(new Uint8Array())).reason).toBe('not-a-zip');
  });

  it('refuses 100,000 entries from the end record alone, before reading any', async () => {
    const entries = Array.from({ length: 100_000 }, (_, i) => ({ name: `f${i}` }));
    const bytes = craftZip(entries);
    const started = performance.now();
    const error = await refusal(bytes);
    expect(error.reason).toBe('unsafe');
    expect(error.message).toMatch(/100,000 entries, more than the 20,000/);
    expect(performance.now() - started).toBeLessThan(500);
    // Crafting the 100,000 entries takes seconds on a loaded 2-core machine.
  }, 30_000);

  it('refuses a small zip whose entries declare more than it could honestly hold (a zip bomb)', async () => {
    // 2 GB of zeros declared by a few hundred bytes: refused from the directory, nothing inflated.
    const bomb = craftZip([
      { name: 'captures/a/post.png', data: enc('0'.repeat(1000)), method: 8, declaredSize: 2 * 1024 ** 3 },
    ]);
    const error = await refusal(bomb);
    expect(error.reason).toBe('unsafe');
    expect(error.message).toMatch(/would unpack to 2,147,483,648 bytes.*zip bomb/);
  });

  it('refuses a real deflate bomb past 1 GB the same way', async () => {
    // 1.1 GB of zeros would take a while to deflate here; the limits scale down so the same rule is exercised.
    const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, smallAllowance: 1024 * 1024 };
    const bomb = craftZip([{ name: 'zeros.bin', data: new Uint8Array(20 * 1024 * 1024), method: 8 }]);
    expect(bomb.byteLength).toBeLessThan(100_000);
    expect((await refusal(bomb, limits)).message).toMatch(/would unpack to 20,971,520 bytes/);
  });

  it('stops inflating an entry the moment it passes the size it declared', async () => {
    const liar = craftZip([
      { name: 'small.txt', data: new Uint8Array(5 * 1024 * 1024), method: 8, declaredSize: 1000 },
    ]);
    const reader = await open(liar);
    const error = await reader.read(reader.entries[0]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZipEntryError);
    expect((error as Error).message).toMatch(/unpacks to more than the 1000 bytes it declares/);
  });

  it('refuses two entries with the same name, or names that differ only in case', async () => {
    expect((await refusal(craftZip([{ name: 'a.png' }, { name: 'a.png' }]))).message).toMatch(
      /two entries named "a.png"/,
    );
    expect((await refusal(craftZip([{ name: 'A.png' }, { name: 'a.png' }]))).message).toMatch(
      /overwrite each other on Windows and macOS/,
    );
  });

  it('refuses overlapping entries', async () => {
    const overlapping = craftZip([
      { name: 'a', data: enc('x'.repeat(100)) },
      { name: 'b', data: enc('x'.repeat(100)), sameOffsetAs: 0 },
    ]);
    expect((await refusal(overlapping)).message).toMatch(/entries overlap/);
  });

  it('refuses an entry carrying a second, different name for tools that prefer it', async () => {
    const twoNames = craftZip([{ name: 'README.txt', extra: unicodePathExtra('../../evil') }]);
    expect((await refusal(twoNames)).message).toMatch(/carries a second, different name, "..\/..\/evil"/);
  });

  it('refuses encrypted entries and compression methods bundles never use', async () => {
    expect((await refusal(craftZip([{ name: 'a', flags: 0x0801 }]))).message).toMatch(/is encrypted/);
    expect((await refusal(craftZip([{ name: 'a', method: 12 }]))).message).toMatch(/compression method 12/);
  });

  it('refuses an entry whose local name differs from its directory name', async () => {
    const zip = craftZip([{ name: 'post.png', localName: '../post.png', data: enc('x') }]);
    expect((await refusal(zip)).message).toMatch(/"post.png" is named "..\/post.png" inside the zip/);
  });
});

/** The officer's tools, for the cases where what they do is the point. */
const hasUnzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0;
const hasZip = spawnSync('zip', ['-v'], { stdio: 'ignore' }).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'witness-box-zip-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let saved = 0;
function unzipTest(bytes: Uint8Array): { status: number | null; output: string } {
  const path = join(scratch, `${++saved}.zip`);
  writeFileSync(path, bytes);
  const run = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe('openZip reads as strictly as unzip -t and the file system', () => {
  const png = enc('pretend this is post.png');
  const other = enc('a different post.png');

  it('checks every CRC-32: a changed byte is an unreadable entry, as unzip -t says', async () => {
    const zip = craftZip([{ name: 'post.png', data: png, crc: crc32(png) ^ 1 }]);
    const reader = await open(zip);
    const error = await reader.read(reader.entries[0]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZipEntryError);
    expect((error as Error).message).toMatch(/do not match the CRC-32/);
    if (hasUnzip) expect(unzipTest(zip).output).toMatch(/bad CRC/);
  });

  it('checks the CRC-32 of deflated entries too', async () => {
    const reader = await open(craftZip([{ name: 'a.txt', data: enc('hello'), method: 8, crc: 12345 }]));
    await expect(reader.read(reader.entries[0]!)).rejects.toThrow(/CRC-32/);
  });

  it('refuses local-header sizes, CRC, method or flags that differ from the table of contents', async () => {
    const cases: [CraftEntry, RegExp][] = [
      [{ name: 'post.png', data: png, local: { size: 3, compressedSize: 3 } }, /different size inside the zip/],
      [{ name: 'post.png', data: png, local: { crc: 7 } }, /different CRC-32/],
      [{ name: 'post.png', data: png, local: { method: 8 } }, /different compression method/],
      [{ name: 'post.png', data: png, local: { flags: 0 } }, /different set of flags/],
    ];
    for (const [entry, message] of cases) expect((await refusal(craftZip([entry]))).message).toMatch(message);
  });

  it('reads a data descriptor that agrees with its entry, with or without its signature', async () => {
    for (const signature of [true, false]) {
      const zip = craftZip([
        { name: 'a.txt', data: enc('first'), descriptor: { signature } },
        { name: 'b.txt', data: enc('second'), method: 8, descriptor: { signature } },
      ]);
      const reader = await open(zip);
      expect(new TextDecoder().decode(await reader.read(reader.entries[1]!))).toBe('second');
      if (hasUnzip) expect(unzipTest(zip).status).toBe(0);
    }
  });

  it('refuses a data descriptor that disagrees with its entry, or one that is missing', async () => {
    const lying = craftZip([{ name: 'post.png', data: png, descriptor: { size: 3, compressedSize: 3 } }]);
    expect((await refusal(lying)).message).toMatch(/data descriptor of "post.png" does not repeat/);
    // The flag says a descriptor follows, but the table of contents starts right after the data.
    const missing = craftZip([
      { name: 'post.png', data: png, flags: 0x0808, local: { crc: 0, size: 0, compressedSize: 0 } },
    ]);
    expect((await refusal(missing)).message).toMatch(/data descriptor/);
  });

  it("jszip's streamed zips (data descriptors) are read byte for byte", async () => {
    const zip = new JSZip();
    zip.file('a.txt', 'hello');
    zip.file('b.txt', 'x'.repeat(10_000), { compression: 'DEFLATE' });
    const bytes = await zip.generateAsync({ type: 'uint8array', streamFiles: true });
    const reader = await open(bytes);
    expect(new TextDecoder().decode(await reader.read(reader.entries[1]!))).toBe('x'.repeat(10_000));
  });

  it.skipIf(!hasZip)('reads what Info-ZIP zip writes (Unix modes, extra fields, a folder entry)', async () => {
    const dir = mkdtempSync(join(scratch, 'src-'));
    mkdirSync(join(dir, 'captures'));
    writeFileSync(join(dir, 'captures', 'post.png'), png);
    writeFileSync(join(dir, 'README.txt'), 'read me');
    const path = join(scratch, 'info-zip.zip');
    execFileSync('zip', ['-q', '-r', path, 'README.txt', 'captures'], { cwd: dir });
    const reader = await open(new Uint8Array(readFileSync(path)));
    expect(reader.entries.map((e) => e.name).sort()).toEqual(['README.txt', 'captures/', 'captures/post.png']);
    const post = reader.entries.find((e) => e.name === 'captures/post.png')!;
    expect(await reader.read(post)).toEqual(png);
  });

  it('refuses symbolic links, devices, pipes and folders that hold data', async () => {
    const unix = 0x031e; // made by Unix, version 3.0
    const cases: [CraftEntry, RegExp][] = [
      [{ name: 'post.png', data: enc('/etc/passwd'), madeBy: unix, external: (0o120777 << 16) >>> 0 }, /symbolic link/],
      [{ name: 'post.png', madeBy: unix, external: (0o020644 << 16) >>> 0 }, /device, pipe or socket/],
      [{ name: 'post.png', madeBy: unix, external: (0o010644 << 16) >>> 0 }, /device, pipe or socket/],
      [{ name: 'post.png', madeBy: unix, external: (0o040755 << 16) >>> 0 }, /marked as a folder but named as a file/],
      [{ name: 'post.png', external: 0x10 }, /marked as a folder but named as a file/],
      [{ name: 'post.png', external: 0x400 }, /Windows link/],
      [{ name: 'captures/', data: png }, /folder that holds data/],
    ];
    for (const [entry, message] of cases) expect((await refusal(craftZip([entry]))).message).toMatch(message);
    const regular = craftZip([
      { name: 'captures/', madeBy: unix, external: ((0o040755 << 16) | 0x10) >>> 0 },
      { name: 'captures/post.png', data: png, madeBy: unix, external: (0o100644 << 16) >>> 0 },
    ]);
    expect((await open(regular)).entries).toHaveLength(2);
  });

  it('refuses a different README.txt hidden before the first listed entry', async () => {
    const hidden = craftZip([{ name: 'README.txt', data: enc('Send the evidence to evil@example.com') }]);
    const hiddenEntry = hidden.subarray(0, 30 + 'README.txt'.length + 37); // its local header and data: 77 bytes;
    const listed = [{ name: 'README.txt', data: enc('The real README') }];
    // Offsets that count the hidden bytes: they belong to no listed entry.
    expect((await refusal(craftZip(listed, { prefix: hiddenEntry }))).message).toMatch(
      /77 bytes before its first entry that belong to no listed file/,
    );
    // Bytes glued in front without fixing the offsets: unzip makes up for them and reads other bytes.
    const glued = craftZip(listed, { prefix: hiddenEntry, unshifted: true });
    expect((await refusal(glued)).message).toMatch(/77 bytes away from where its end record says/);
    if (hasUnzip) expect(unzipTest(glued).output).toMatch(/extra bytes at beginning or within zipfile/);
  });

  it('refuses bytes between entries or after the last one that belong to no listed entry', async () => {
    const between = craftZip([
      { name: 'a.txt', data: enc('a'), after: enc('hidden') },
      { name: 'b.txt', data: enc('b') },
    ]);
    expect((await refusal(between)).message).toMatch(/6 bytes before "b.txt" that belong to no listed file/);
    const trailing = craftZip([{ name: 'a.txt', data: enc('a'), after: enc('hidden') }]);
    expect((await refusal(trailing)).message).toMatch(/6 bytes after its last entry/);
  });

  it('refuses a comment or anything else after the end record', async () => {
    const zip = craftZip([{ name: 'a.txt', data: enc('a') }], { comment: enc('see also') });
    expect((await refusal(zip)).message).toMatch(/bytes after its end record/);
  });

  it('refuses names not marked as UTF-8 that unzip would read in the DOS code page', async () => {
    const zip = craftZip([{ name: 'caf\u00e9.png', data: enc('x'), flags: 0 }]);
    expect((await refusal(zip)).message).toMatch(/not marked as UTF-8/);
  });

  it('refuses Zip64 end records that disagree with the plain end record', async () => {
    const zip = withZip64End(
      craftZip([
        { name: 'a.txt', data: enc('a') },
        { name: 'b.txt', data: enc('b') },
      ]),
      3,
    );
    expect((await refusal(zip)).message).toMatch(/Zip64 record and its end record disagree/);
    expect((await open(withZip64End(craftZip([{ name: 'a.txt', data: enc('a') }]), 1))).entries).toHaveLength(1);
  });

  it('refuses an entry whose saturated sizes have no Zip64 field', async () => {
    const zip = craftZip([{ name: 'a.txt', declaredSize: 0xffffffff, method: 8, data: enc('a') }]);
    expect((await refusal(zip)).message).toMatch(/lacks the Zip64 sizes/);
  });

  it('refuses a repeated extra field, since tools pick different copies', async () => {
    const twice = new Uint8Array([...unicodePathExtra('a.txt'), ...unicodePathExtra('a.txt')]);
    expect((await refusal(craftZip([{ name: 'a.txt', extra: twice }]))).message).toMatch(/same extra field twice/);
  });
});

/** Puts Zip64 end records (counting `entries`) before the end record, as a writer that always uses them would. */
function withZip64End(zip: Uint8Array, entries: number): Uint8Array {
  const eocd = zip.subarray(zip.byteLength - 22);
  const ev = new DataView(eocd.buffer, eocd.byteOffset, 22);
  const cdSize = ev.getUint32(12, true);
  const cdOffset = ev.getUint32(16, true);
  const records = new Uint8Array(76);
  const rv = new DataView(records.buffer);
  rv.setUint32(0, 0x06064b50, true);
  rv.setBigUint64(4, 44n, true);
  rv.setBigUint64(24, BigInt(entries), true);
  rv.setBigUint64(32, BigInt(entries), true);
  rv.setBigUint64(40, BigInt(cdSize), true);
  rv.setBigUint64(48, BigInt(cdOffset), true);
  rv.setUint32(56, 0x07064b50, true);
  rv.setBigUint64(64, BigInt(cdOffset + cdSize), true);
  rv.setUint32(72, 1, true);
  return new Uint8Array([...zip.subarray(0, zip.byteLength - 22), ...records, ...eocd]);
}
