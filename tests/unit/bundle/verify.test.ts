// @vitest-environment node
// jsdom's Blob has no arrayBuffer(), which hashing and jszip need.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/export';
import { unsafePathReason, verifyBundle, type VerifyProblem } from '../../../src/bundle/verify';
import type { CustodyEvent } from '../../../src/evidence/model';
import { canonicalJson } from '../../../src/evidence/sha256';
import { asText, flipByte, makeSampleBundle, POST_FOLDER, repack } from './sample-bundle';

const POST_PNG = `${POST_FOLDER}/post.png`;
const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

async function sampleZip(): Promise<Blob> {
  return (await buildBundle((await makeSampleBundle()).input)).zip;
}

const kinds = (problems: VerifyProblem[]) => problems.map((p) => [p.kind, p.path ?? null]);

describe('verifyBundle', () => {
  it('passes a bundle as built, from a Blob or from bytes', async () => {
    const zip = await sampleZip();
    const fromBlob = await verifyBundle(zip);
    expect(fromBlob).toEqual({ ok: true, filesChecked: 15, problems: [] });
    expect(await verifyBundle(new Uint8Array(await zip.arrayBuffer()))).toEqual(fromBlob);
  });

  it('finds one flipped byte in post.png and names that file once', async () => {
    const tampered = await repack(await sampleZip(), (files) => files.set(POST_PNG, flipByte(files.get(POST_PNG), 40)));
    const result = await verifyBundle(tampered);
    expect(result.ok).toBe(false);
    expect(kinds(result.problems)).toEqual([['hash-mismatch', POST_PNG]]);
    expect(result.problems[0]?.message).toMatch(new RegExp(`^${POST_PNG} has changed: SHA256SUMS records SHA-256 [0-9a-f]{64}`));
  });

  it('still finds a swapped screenshot when SHA256SUMS and the manifest were rewritten to match', async () => {
    const swapped = await repack(await sampleZip(), (files) => files.set(POST_PNG, flipByte(files.get(POST_PNG), 40)), { reseal: true });
    const result = await verifyBundle(swapped);
    expect(kinds(result.problems)).toEqual([['hash-mismatch', POST_PNG]]);
    expect(result.problems[0]?.message).toMatch(/the fingerprint taken when it was captured/);
  });

  it('flags a file added to the zip that nothing lists', async () => {
    const extra = await repack(await sampleZip(), (files) => files.set(`${POST_FOLDER}/extra.png`, encode('not evidence')));
    expect(kinds((await verifyBundle(extra)).problems)).toEqual([['unlisted-file', `${POST_FOLDER}/extra.png`]]);
  });

  it('flags a listed file that was removed', async () => {
    const removed = await repack(await sampleZip(), (files) => files.delete(POST_PNG));
    const result = await verifyBundle(removed);
    expect(kinds(result.problems)).toEqual([['missing-file', POST_PNG]]);
    expect(result.problems[0]?.message).toMatch(/is listed in SHA256SUMS but is not in the bundle/);
  });

  it('refuses an entry that would unzip outside its folder, without reading it', async () => {
    const files = await JSZip.loadAsync(await sampleZip());
    // jszip's own writer keeps the name as given, so it can make the hostile entry a real tool would meet.
    files.file('../evil', 'owned');
    const result = await verifyBundle(await files.generateAsync({ type: 'uint8array' }));
    expect(kinds(result.problems)).toEqual([['unsafe-path', '../evil']]);
    expect(result.problems[0]?.message).toMatch(/climbs out of the folder/);
    expect(result.filesChecked).toBe(15);
  });

  it('finds an edited custody event even when every hash file was rewritten, naming its seq', async () => {
    const editEvent3 = (event: CustodyEvent) => (event.seq === 3 ? { ...event, detail: { ...event.detail, renderMs: 1 } } : event);
    const forged = await repack(
      await sampleZip(),
      (files) => {
        const log = asText(files.get('custody-log.jsonl')).trim().split('\n').map((l) => JSON.parse(l) as CustodyEvent);
        files.set('custody-log.jsonl', encode(log.map((e) => `${canonicalJson(editEvent3(e))}\n`).join('')));
        const manifest = JSON.parse(asText(files.get('manifest.json'))) as { custody: CustodyEvent[] };
        manifest.custody = manifest.custody.map(editEvent3);
        files.set('manifest.json', encode(JSON.stringify(manifest)));
      },
      { reseal: true },
    );
    const result = await verifyBundle(forged);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'custody-chain', seq: 3, message: expect.stringMatching(/Custody event 3 .*has been changed/) }),
    ]);
  });

  it('notices when the manifest and the custody log disagree', async () => {
    const forged = await repack(
      await sampleZip(),
      (files) => {
        const manifest = JSON.parse(asText(files.get('manifest.json'))) as { custody: CustodyEvent[] };
        manifest.custody = manifest.custody.slice(0, -1);
        files.set('manifest.json', encode(JSON.stringify(manifest)));
      },
      { reseal: true },
    );
    expect((await verifyBundle(forged)).problems).toEqual([
      expect.objectContaining({ kind: 'custody-chain', path: 'manifest.json', seq: 5 }),
    ]);
  });

  it('reports a damaged SHA256SUMS with its line, and still checks the manifest', async () => {
    const broken = await repack(await sampleZip(), (files) => {
      const lines = asText(files.get('SHA256SUMS')).split('\n');
      lines[1] = 'this is not a checksum line';
      files.set('SHA256SUMS', encode(lines.join('\n')));
      files.set(POST_PNG, flipByte(files.get(POST_PNG), 40));
    });
    const result = await verifyBundle(broken);
    expect(kinds(result.problems)).toEqual([
      ['bad-sha256sums', 'SHA256SUMS'],
      ['hash-mismatch', POST_PNG],
    ]);
    expect(result.problems[0]?.message).toMatch(/line 2/);
  });

  it('reports a manifest that is not one', async () => {
    const broken = await repack(await sampleZip(), (files) => files.set('manifest.json', encode('{"format":"something-else"}')));
    const result = await verifyBundle(broken);
    expect(kinds(result.problems)).toEqual([
      ['hash-mismatch', 'manifest.json'],
      ['bad-manifest', 'manifest.json'],
    ]);
    expect(result.problems[1]?.message).toBe('manifest.json is not a Witness Box bundle manifest.');
  });

  it('reports a bundle missing its SHA256SUMS', async () => {
    const bare = await repack(await sampleZip(), (files) => files.delete('SHA256SUMS'));
    expect(kinds((await verifyBundle(bare)).problems)).toEqual([['missing-file', 'SHA256SUMS']]);
  });

  it('says plainly when the file is not a zip at all', async () => {
    const result = await verifyBundle(encode('hello'));
    expect(result).toMatchObject({ ok: false, filesChecked: 0, problems: [{ kind: 'unreadable-zip' }] });
  });
});

describe('unsafePathReason', () => {
  it.each([
    ['../evil', /climbs out/],
    ['captures/../../evil', /climbs out/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/evil.dll', /drive letter/],
    ['c:evil', /drive letter/],
    ['captures\\..\\evil', /backslash/],
    ['post.png:hidden', /colon/],
    ['bad\u0000name', /control/],
    ['', /no name/],
  ])('refuses %j', (path, reason) => {
    expect(unsafePathReason(path)).toMatch(reason);
  });

  it.each(['README.txt', `${POST_FOLDER}/post.png`, 'captures/a..b/c', '.well-known/x'])('accepts %j', (path) => {
    expect(unsafePathReason(path)).toBeNull();
  });
});
