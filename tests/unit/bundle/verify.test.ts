// @vitest-environment node
// jsdom's Blob has no arrayBuffer(), which hashing and jszip need.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/export';
import { bundleVerdict } from '../../../src/bundle/verdict';
import { unsafePathReason, verifyBundle } from '../../../src/bundle/verify';
import type { VerifyProblem } from '../../../src/bundle/verify-types';
import { fullEvents, standInFor, type CustodyLogEntry } from '../../../src/evidence/custody-chain';
import type { CustodyEvent } from '../../../src/evidence/model';
import { canonicalJson } from '../../../src/evidence/sha256';
import { asText, flipByte, makeSampleBundle, POST_FOLDER, repack, unzipAll } from './sample-bundle';
import { craftZip } from './zip-craft';
import { makeCustodyLog } from '../factories';
import { signDer, signingIdentity } from '../../../src/evidence/signing';
import { openEvidenceDb } from '../../../src/evidence/store';

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
    expect(fromBlob).toEqual({
      ok: true,
      filesChecked: 18,
      problems: [],
      profile: 'police',
      custodyEvents: 5,
      standIns: 0,
      signedBy: null,
      timestamps: [],
    });
    expect(bundleVerdict(fromBlob, [])).toEqual({
      kind: 'unsigned',
      headline: 'Not signed: anyone could have made this bundle',
      fingerprint: null,
      key: null,
      details: [
        '18 files checked: each matches SHA256SUMS, manifest.json and the hash recorded when it was captured.',
        'Custody log: 5 events, chain intact; every capture\'s "captured" event holds the hashes of its files.',
      ],
    });
    expect(await verifyBundle(new Uint8Array(await zip.arrayBuffer()))).toEqual(fromBlob);
  });

  it('finds one flipped byte in post.png and names that file once', async () => {
    const tampered = await repack(await sampleZip(), (files) => files.set(POST_PNG, flipByte(files.get(POST_PNG), 40)));
    const result = await verifyBundle(tampered);
    expect(result.ok).toBe(false);
    expect(kinds(result.problems)).toEqual([['hash-mismatch', POST_PNG]]);
    expect(result.problems[0]?.message).toMatch(
      new RegExp(`^${POST_PNG} has changed: SHA256SUMS records SHA-256 [0-9a-f]{64}`),
    );
  });

  it('still finds a swapped screenshot when SHA256SUMS and the manifest were rewritten to match', async () => {
    const swapped = await repack(await sampleZip(), (files) => files.set(POST_PNG, flipByte(files.get(POST_PNG), 40)), {
      reseal: true,
    });
    const result = await verifyBundle(swapped);
    expect(kinds(result.problems)).toEqual([['hash-mismatch', POST_PNG]]);
    expect(result.problems[0]?.message).toMatch(/the fingerprint taken when it was captured/);
  });

  it('flags a file added to the zip that nothing lists', async () => {
    const extra = await repack(await sampleZip(), (files) =>
      files.set(`${POST_FOLDER}/extra.png`, encode('not evidence')),
    );
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
    // jszip adds the folder entry "../" too: both are refused, and neither is read.
    expect(kinds(result.problems)).toEqual([
      ['unsafe-path', '../'],
      ['unsafe-path', '../evil'],
    ]);
    expect(result.problems[1]?.message).toMatch(/climbs out of the folder/);
    expect(result.filesChecked).toBe(18);
  });

  it('finds an edited custody event even when every hash file was rewritten, naming its seq', async () => {
    const editEvent3 = (event: CustodyEvent) =>
      event.seq === 3 ? { ...event, detail: { ...event.detail, renderMs: 1 } } : event;
    const forged = await repack(
      await sampleZip(),
      (files) => {
        const log = asText(files.get('custody-log.jsonl'))
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as CustodyEvent);
        files.set('custody-log.jsonl', encode(log.map((e) => `${canonicalJson(editEvent3(e))}\n`).join('')));
        const manifest = JSON.parse(asText(files.get('manifest.json'))) as { custody: CustodyEvent[] };
        manifest.custody = manifest.custody.map(editEvent3);
        files.set('manifest.json', encode(JSON.stringify(manifest)));
      },
      { reseal: true },
    );
    const result = await verifyBundle(forged);
    expect(result.problems).toEqual([
      expect.objectContaining({
        kind: 'custody-chain',
        seq: 3,
        message: expect.stringMatching(/Custody event 3 .*has been changed/),
      }),
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
    const broken = await repack(await sampleZip(), (files) =>
      files.set('manifest.json', encode('{"format":"something-else"}')),
    );
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

describe('verifyBundle: stand-ins, profiles and hostile zips', () => {
  it('accepts a custody log with stand-ins for other cases, and says how many', async () => {
    const { input } = await makeSampleBundle();
    const other = await makeCustodyLog(
      [{ action: 'noted', captureId: 'other-case-1' }],
      fullEvents(input.custody).at(-1),
    );
    const custody = [...input.custody, ...other.map(standInFor)];
    const result = await verifyBundle((await buildBundle({ ...input, custody })).zip);
    expect(result).toMatchObject({ ok: true, custodyEvents: 6, standIns: 1 });
    expect(bundleVerdict(result, []).details[1]).toBe(
      'Custody log: 6 events, 1 of them withheld stand-ins for other captures, checked by their links only, chain intact; every capture\'s "captured" event holds the hashes of its files.',
    );
  });

  it('finds a stand-in put in place of an event with a forged hash, even when the hash files were rewritten', async () => {
    const { input } = await makeSampleBundle();
    const forge = (e: CustodyLogEntry): CustodyLogEntry =>
      e.seq === 3 ? { ...standInFor(e as CustodyEvent), hash: 'e'.repeat(64) } : e;
    const forged = await repack(
      (await buildBundle(input)).zip,
      (files) => {
        const log = asText(files.get('custody-log.jsonl'))
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as CustodyLogEntry);
        files.set('custody-log.jsonl', encode(log.map((e) => `${canonicalJson(forge(e))}\n`).join('')));
        const manifest = JSON.parse(asText(files.get('manifest.json'))) as { custody: CustodyLogEntry[] };
        manifest.custody = manifest.custody.map(forge);
        files.set('manifest.json', encode(JSON.stringify(manifest)));
      },
      { reseal: true },
    );
    const { problems } = await verifyBundle(forged);
    expect(problems[0]).toMatchObject({ kind: 'custody-chain', seq: 4 });
    // The render's artifact-added event is gone from view, so nothing in the log vouches for it.
    expect(kinds(problems.slice(1))).toEqual([['custody-story', `${POST_FOLDER}/post-render.png`]]);
  });

  it('passes a platform-report bundle, which has no custody log', async () => {
    const { input } = await makeSampleBundle();
    const result = await verifyBundle((await buildBundle({ ...input, profile: 'platform' })).zip);
    expect(result).toEqual({
      ok: true,
      filesChecked: 12,
      problems: [],
      profile: 'platform',
      custodyEvents: 0,
      standIns: 0,
      signedBy: null,
      timestamps: [],
    });
    expect(bundleVerdict(result, []).details).toEqual([
      '12 files checked: each matches SHA256SUMS, manifest.json and the hash recorded when it was captured.',
      'This platform-report bundle carries no custody log: its files are checked against the hashes in each metadata.json.',
    ]);
  });

  it('notices a custody log removed from a police bundle', async () => {
    const { input } = await makeSampleBundle();
    const stripped = await repack((await buildBundle(input)).zip, (files) => files.delete('custody-log.jsonl'));
    expect(kinds((await verifyBundle(stripped)).problems)).toEqual([['missing-file', 'custody-log.jsonl']]);
  });

  it('still reads a version 1 bundle (before profiles) as a police bundle', async () => {
    const { input } = await makeSampleBundle();
    const v1 = await repack(
      (await buildBundle(input)).zip,
      (files) => {
        const manifest = JSON.parse(asText(files.get('manifest.json'))) as Record<string, unknown>;
        manifest.formatVersion = 1;
        delete manifest.profile;
        files.set('manifest.json', encode(JSON.stringify(manifest)));
      },
      { reseal: true },
    );
    expect(await verifyBundle(v1)).toMatchObject({ ok: true, profile: 'police' });
  });

  it('refuses a manifest whose capture folder points outside the bundle', async () => {
    const { input } = await makeSampleBundle();
    const outside = await repack(
      (await buildBundle(input)).zip,
      (files) => {
        const manifest = JSON.parse(asText(files.get('manifest.json'))) as { captures: { folder: string }[] };
        manifest.captures[0]!.folder = '../../home/user';
        files.set('manifest.json', encode(JSON.stringify(manifest)));
      },
      { reseal: true },
    );
    expect((await verifyBundle(outside)).problems).toEqual([
      expect.objectContaining({
        kind: 'unsafe-path',
        path: '../../home/user',
        message: expect.stringMatching(/climbs out/),
      }),
    ]);
  });

  it('refuses a zip bomb, a zip of 100,000 entries and duplicate names without unpacking anything', async () => {
    const bomb = craftZip([
      { name: 'README.txt', data: encode('0'.repeat(100)), method: 8, declaredSize: 1.5 * 1024 ** 3 },
    ]);
    const many = craftZip(Array.from({ length: 100_000 }, (_, i) => ({ name: `f${i}` })));
    const twice = craftZip([{ name: 'SHA256SUMS' }, { name: 'SHA256SUMS' }]);
    for (const zip of [bomb, many, twice]) {
      const result = await verifyBundle(zip);
      expect(result).toMatchObject({ ok: false, filesChecked: 0, problems: [{ kind: 'unsafe-zip' }] });
    }
  });

  it('reports an entry that will not unpack, and checks the rest', async () => {
    const { input } = await makeSampleBundle();
    const files = await unzipAll((await buildBundle(input)).zip);
    const entries = [...files].map(([name, data]) =>
      name === POST_PNG
        ? { name, data: new Uint8Array(1_000_000), method: 8, declaredSize: data.byteLength }
        : { name, data },
    );
    const result = await verifyBundle(craftZip(entries));
    expect(kinds(result.problems)).toEqual([
      ['unreadable-file', POST_PNG],
      ['missing-file', POST_PNG],
    ]);
  });

  it('reads a bundle someone unzipped and zipped again with compression', async () => {
    const files = await unzipAll(await sampleZip());
    const zip = new JSZip();
    for (const [path, bytes] of files) zip.file(path, bytes, { compression: 'DEFLATE' });
    expect(await verifyBundle(await zip.generateAsync({ type: 'uint8array' }))).toMatchObject({
      ok: true,
      filesChecked: 18,
    });
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

describe('verifyBundle: signed manifests', () => {
  async function signedZip(): Promise<{ zip: Blob; fingerprint: string }> {
    const identity = await signingIdentity(await openEvidenceDb(`verify-signing-${Math.random()}`));
    const signer = {
      publicKeyPem: identity.publicKeyPem,
      fingerprint: identity.fingerprint,
      sign: (data: Uint8Array<ArrayBuffer>) => signDer(identity.privateKey, data),
    };
    const { input } = await makeSampleBundle();
    return { zip: (await buildBundle({ ...input, signer })).zip, fingerprint: identity.fingerprint };
  }

  it('names the key whose signature covers the manifest', async () => {
    const { zip, fingerprint } = await signedZip();
    const files = await unzipAll(zip);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['public-key.pem', 'manifest.sig']));
    const result = await verifyBundle(zip);
    expect(result).toMatchObject({ ok: true, problems: [], signedBy: fingerprint, filesChecked: 20 });
    expect(bundleVerdict(result, []).kind).toBe('unconfirmed');
  });

  it('finds a manifest changed after signing, even with SHA256SUMS resealed', async () => {
    const { zip } = await signedZip();
    const edited = await repack(
      zip,
      (files) =>
        files.set(
          'manifest.json',
          encode(asText(files.get('manifest.json')).replace('"exportedBy": "', '"exportedBy": "Someone else, ')),
        ),
      { reseal: true },
    );
    const result = await verifyBundle(edited);
    expect(result.signedBy).toBeNull();
    expect(kinds(result.problems)).toContainEqual(['bad-signature', 'manifest.sig']);
  });

  it('finds a public key swapped for another', async () => {
    const { zip } = await signedZip();
    const other = await signingIdentity(await openEvidenceDb(`verify-signing-other-${Math.random()}`));
    const swapped = await repack(zip, (files) => files.set('public-key.pem', encode(other.publicKeyPem)), {
      reseal: true,
    });
    const result = await verifyBundle(swapped);
    expect(result.problems.find((p) => p.kind === 'bad-signature')?.message).toMatch(
      /is not the key manifest.json names/,
    );
  });
});
