// @vitest-environment node
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import {
  bytesSource,
  DEFAULT_ZIP_LIMITS,
  openZip,
  ZipEntryError,
  ZipRefusedError,
  type ZipLimits,
} from '../../../src/bundle/zip-reader';
import { craftZip, unicodePathExtra } from './zip-craft';

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
  });

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

  it('will not read an entry whose local name differs from its directory name', async () => {
    const reader = await open(craftZip([{ name: 'post.png', localName: '../post.png', data: enc('x') }]));
    await expect(reader.read(reader.entries[0]!)).rejects.toThrow(/is named "..\/post.png" inside the zip/);
  });
});
