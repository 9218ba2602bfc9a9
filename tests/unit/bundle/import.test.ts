// @vitest-environment node
import JSZip from 'jszip';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportCase } from '../../../src/bundle/collect';
import { describeImport, importBundle, type ImportOutcome } from '../../../src/bundle/import';
import { verifyCustodyChain } from '../../../src/evidence/custody-chain';
import type { CustodyEvent } from '../../../src/evidence/model';
import { canonicalJson } from '../../../src/evidence/sha256';
import {
  addLateArtifact,
  allCustody,
  openEvidenceDb,
  readArtifact,
  storeCapture,
  type EvidenceDb,
} from '../../../src/evidence/store';
import { makeArtifactRef, makeCapture, makePng } from '../factories';
import { signingIdentity } from '../../../src/evidence/signing';
import { listTrustedKeys, OWN_KEY_NAME, trustKey, withdrawKey } from '../../../src/evidence/trusted-keys';
import { formatFingerprint } from '../../../src/evidence/fingerprint';
import { asText, flipByte, repack } from './sample-bundle';
import { craftZip } from './zip-craft';
import { forge } from './forge';

const environment = { browser: 'Chromium-based 156', os: 'linux x86-64', extensionVersion: '0.1.0' };
const encode = (s: string) => new TextEncoder().encode(s);
let n = 0;
let volunteer: EvidenceDb;
let volunteerKey: string;
let staffer: EvidenceDb;

/** A volunteer's store: a post, its author's profile, a render that arrived later, and a second post. */
async function seedVolunteer(db: EvidenceDb): Promise<void> {
  const png = makePng(8, 4);
  const viewport = makePng(16, 10, [255, 255, 255]);
  const post = makeCapture({
    id: 'post-1',
    caseId: 'vol-case',
    artifacts: [await makeArtifactRef('post.png', png), await makeArtifactRef('viewport.png', viewport)],
    pending: ['post-render.png'],
  });
  await storeCapture(
    db,
    post,
    [
      { captureId: 'post-1', name: 'post.png', mime: 'image/png', blob: png },
      { captureId: 'post-1', name: 'viewport.png', mime: 'image/png', blob: viewport },
    ],
    'Volunteer A',
  );
  const profilePng = makePng(16, 10, [0, 0, 0]);
  const profile = makeCapture({
    id: 'profile-1',
    caseId: 'vol-case',
    kind: 'profile',
    parentId: 'post-1',
    capturedAt: '2026-11-20T18:42:09.001Z',
    artifacts: [await makeArtifactRef('viewport.png', profilePng)],
  });
  await storeCapture(
    db,
    profile,
    [{ captureId: 'profile-1', name: 'viewport.png', mime: 'image/png', blob: profilePng }],
    'Volunteer A',
  );
  const render = makePng(8, 6, [1, 2, 3]);
  await addLateArtifact(
    db,
    { captureId: 'post-1', name: 'post-render.png', mime: 'image/png', blob: render },
    await makeArtifactRef('post-render.png', render),
    'Volunteer A',
  );
  const second = makePng(4, 4, [200, 0, 0]);
  await storeCapture(
    db,
    makeCapture({
      id: 'post-2',
      caseId: 'vol-case',
      capturedAt: '2026-11-21T09:00:00.000Z',
      artifacts: [await makeArtifactRef('post.png', second)],
    }),
    [{ captureId: 'post-2', name: 'post.png', mime: 'image/png', blob: second }],
    'Volunteer A',
  );
}

async function volunteerBundle(profile: 'police' | 'platform' = 'police'): Promise<Blob> {
  return (
    await exportCase(volunteer, {
      caseId: 'vol-case',
      caseName: 'Volunteer A',
      exportedBy: 'Volunteer A',
      environment,
      profile,
    })
  ).zip;
}

const options = {
  caseId: 'main-case',
  actor: 'Staffer B',
  fileName: 'witness-box-Volunteer-A.zip',
  now: () => '2026-11-25T09:00:00.000Z',
};

async function snapshot(db: EvidenceDb): Promise<string> {
  return JSON.stringify([await db.getAllKeys('captures'), await db.getAllKeys('artifacts'), await db.count('custody')]);
}

function refused(outcome: ImportOutcome): Extract<ImportOutcome, { ok: false }> {
  if (outcome.ok) throw new Error('expected the import to be refused');
  return outcome;
}

beforeEach(async () => {
  volunteer = await openEvidenceDb(`import-vol-${++n}`);
  staffer = await openEvidenceDb(`import-staff-${n}`);
  await seedVolunteer(volunteer);
  // The staffer's store has history of its own, so imported events join a chain mid-way.
  await storeCapture(staffer, makeCapture({ id: 'staff-own', caseId: 'main-case' }), [], 'Staffer B');
  // The volunteer read their fingerprint to the staffer, who trusted it under their name.
  volunteerKey = (await signingIdentity(volunteer)).fingerprint;
  await trustKey(staffer, { fingerprint: volunteerKey, name: 'Volunteer A' }, 'Staffer B', options.now);
});

describe('importBundle', () => {
  it('imports every capture with its original id, times, capturer and hashes, each with an imported event', async () => {
    const outcome = await importBundle(staffer, await volunteerBundle(), options);
    expect(outcome).toEqual({
      ok: true,
      imported: [
        { id: 'post-1', folder: 'captures/0001-VA1-x-GazT_1977-20261120T184207Z' },
        { id: 'profile-1', folder: 'captures/0001-VA1-x-GazT_1977-20261120T184207Z/profile-VA2' },
        { id: 'post-2', folder: 'captures/0002-VA3-x-GazT_1977-20261121T090000Z' },
      ],
      skipped: [],
      verdict: expect.objectContaining({ kind: 'trusted', headline: expect.stringMatching(/^Signed by Volunteer A /) }),
      key: { fingerprint: volunteerKey, name: 'Volunteer A', decision: 'trusted key' },
    });
    const original = await volunteer.get('captures', 'post-1');
    const copy = await staffer.get('captures', 'post-1');
    expect(copy).toMatchObject({
      id: 'post-1',
      caseId: 'main-case',
      capturedAt: original?.capturedAt,
      capturedBy: 'Volunteer A',
      pending: [],
    });
    expect(copy?.artifacts.map((a) => [a.name, a.sha256])).toEqual([
      ...(original?.artifacts.map((a) => [a.name, a.sha256]) ?? []),
      ['post-render.png', expect.stringMatching(/^[0-9a-f]{64}$/)],
    ]);
    expect(new Uint8Array(await (await readArtifact(staffer, 'post-1', 'post-render.png')).arrayBuffer())).toEqual(
      new Uint8Array(await (await readArtifact(volunteer, 'post-1', 'post-render.png')).arrayBuffer()),
    );

    const events = await allCustody(staffer);
    expect(await verifyCustodyChain(events)).toEqual({ ok: true });
    const imported = events.filter((e) => e.action === 'imported');
    expect(imported.map((e) => [e.seq, e.captureId, e.actor, e.at])).toEqual([
      [3, 'post-1', 'Staffer B', '2026-11-25T09:00:00.000Z'],
      [4, 'profile-1', 'Staffer B', '2026-11-25T09:00:00.000Z'],
      [5, 'post-2', 'Staffer B', '2026-11-25T09:00:00.000Z'],
    ]);
    expect(imported[0]?.detail).toMatchObject({
      fileName: options.fileName,
      key: { fingerprint: volunteerKey, name: 'Volunteer A', decision: 'trusted key' },
      originalCaseId: 'vol-case',
      from: { case: 'Volunteer A', exportedBy: 'Volunteer A' },
      sourceCustody: [
        expect.objectContaining({ action: 'captured', captureId: 'post-1' }),
        expect.objectContaining({ action: 'artifact-added' }),
        // The volunteer's own reference for it travels with it.
        expect.objectContaining({ action: 'exhibit-assigned', detail: expect.objectContaining({ reference: 'VA1' }) }),
      ],
    });
  });

  it('exports the merged case with every original artifact hash', async () => {
    const first = await exportCase(volunteer, {
      caseId: 'vol-case',
      caseName: 'Volunteer A',
      exportedBy: 'Volunteer A',
      environment,
    });
    await importBundle(staffer, first.zip, options);
    const merged = await exportCase(staffer, {
      caseId: 'main-case',
      caseName: 'Main',
      exportedBy: 'Staffer B',
      environment,
    });
    const hashes = (m: typeof merged.manifest, id: string) =>
      m.captures
        .find((c) => c.id === id)
        ?.files.filter((f) => !f.path.endsWith('metadata.json'))
        .map((f) => [f.path.split('/').pop(), f.sha256]);
    for (const id of ['post-1', 'profile-1', 'post-2'])
      expect(hashes(merged.manifest, id), id).toEqual(hashes(first.manifest, id));
  });

  it('skips captures already here with the same hashes, and says so', async () => {
    const zip = await volunteerBundle();
    await importBundle(staffer, zip, options);
    const before = await snapshot(staffer);
    const again = await importBundle(staffer, zip, options);
    expect(again).toMatchObject({
      ok: true,
      imported: [],
      skipped: [{ id: 'post-1' }, { id: 'profile-1' }, { id: 'post-2' }],
    });
    expect(describeImport(again)[0]).toMatch(
      /^Signed by Volunteer A \(fingerprint .*\): every file is as captured\. Imported 0 captures; skipped 3\.$/,
    );
    expect(describeImport(again)[1]).toMatch(/already in this evidence store, with the same hashes/);
    expect(await snapshot(staffer)).toBe(before);
  });

  it('never overwrites a different capture that has the same id', async () => {
    await storeCapture(staffer, makeCapture({ id: 'post-2', caseId: 'main-case', artifacts: [] }), [], 'Staffer B');
    const outcome = await importBundle(staffer, await volunteerBundle(), options);
    expect(outcome).toMatchObject({
      ok: true,
      imported: [{ id: 'post-1' }, { id: 'profile-1' }],
      skipped: [{ id: 'post-2', reason: expect.stringMatching(/different capture with the same id/) }],
    });
    expect((await staffer.get('captures', 'post-2'))?.artifacts).toEqual([]);
  });

  describe('refuses a tampered bundle, with the reason, writing nothing', () => {
    const tamperings: [string, (files: Map<string, Uint8Array>) => void, RegExp][] = [
      [
        'a byte of a PNG',
        (f) =>
          f.set(
            'captures/0002-VA3-x-GazT_1977-20261121T090000Z/post.png',
            flipByte(f.get('captures/0002-VA3-x-GazT_1977-20261121T090000Z/post.png'), 60),
          ),
        /post\.png has changed/,
      ],
      [
        'a field of metadata',
        (f) => {
          const path = 'captures/0002-VA3-x-GazT_1977-20261121T090000Z/metadata.json';
          f.set(
            path,
            encode(asText(f.get(path)).replace('"capturedBy": "Volunteer A"', '"capturedBy": "Someone Else"')),
          );
        },
        /metadata\.json has changed/,
      ],
      [
        'a removed file',
        (f) => f.delete('captures/0001-VA1-x-GazT_1977-20261120T184207Z/viewport.png'),
        /viewport\.png is listed in SHA256SUMS but is not in the bundle/,
      ],
      [
        'an added file',
        (f) => f.set('captures/0001-VA1-x-GazT_1977-20261120T184207Z/extra.png', encode('x')),
        /extra\.png is in the bundle but not listed/,
      ],
      [
        'an edited custody event',
        (f) => {
          const lines = asText(f.get('custody-log.jsonl'))
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as CustodyEvent);
          f.set(
            'custody-log.jsonl',
            encode(lines.map((e) => `${canonicalJson(e.seq === 1 ? { ...e, actor: 'Someone Else' } : e)}\n`).join('')),
          );
        },
        /Custody event 1 .*has been changed|custody-log\.jsonl has changed/,
      ],
    ];
    it.each(tamperings)('%s', async (_, mutate, reason) => {
      const tampered = await repack(await volunteerBundle(), mutate);
      const before = await snapshot(staffer);
      const outcome = refused(await importBundle(staffer, tampered, options));
      expect(outcome.refused).toMatch(/was refused and nothing was imported: it does not verify/);
      expect(outcome.problems.map((p) => p.message).join('\n')).toMatch(reason);
      expect(await snapshot(staffer)).toBe(before);
    });

    it('an edited custody event, with every hash file rewritten to match', async () => {
      const edit = (e: CustodyEvent) => (e.seq === 1 ? { ...e, actor: 'Someone Else' } : e);
      const forged = await repack(
        await volunteerBundle(),
        (f) => {
          const lines = asText(f.get('custody-log.jsonl'))
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as CustodyEvent);
          f.set('custody-log.jsonl', encode(lines.map((e) => `${canonicalJson(edit(e))}\n`).join('')));
          const manifest = JSON.parse(asText(f.get('manifest.json'))) as { custody: CustodyEvent[] };
          manifest.custody = manifest.custody.map(edit);
          f.set('manifest.json', encode(JSON.stringify(manifest)));
          unsign(f);
        },
        { reseal: true },
      );
      const outcome = refused(await importBundle(staffer, forged, options));
      expect(outcome.problems).toEqual([expect.objectContaining({ kind: 'custody-chain', seq: 1 })]);
    });
  });

  describe('refuses hostile zips without writing anything', () => {
    const hostile: [string, () => Promise<Uint8Array>, string][] = [
      ['a file that is not a zip', async () => encode('%PDF-1.7 not a zip'), 'unreadable-zip'],
      [
        'an entry climbing out with ../',
        async () => craftZip([{ name: '../../.bashrc', data: encode('rm -rf ~') }]),
        'unsafe-path',
      ],
      ['an absolute path', async () => craftZip([{ name: '/etc/cron.d/evil', data: encode('x') }]), 'unsafe-path'],
      [
        'a small file that expands past 1 GB',
        async () => craftZip([{ name: 'manifest.json', data: encode('{}'), method: 8, declaredSize: 1.2 * 1024 ** 3 }]),
        'unsafe-zip',
      ],
      [
        '100,000 entries',
        async () => craftZip(Array.from({ length: 100_000 }, (_, i) => ({ name: `captures/${i}` }))),
        'unsafe-zip',
      ],
      [
        'duplicate names',
        async () =>
          craftZip([
            { name: 'manifest.json', data: encode('{}') },
            { name: 'manifest.json', data: encode('{}') },
          ]),
        'unsafe-zip',
      ],
    ];
    it.each(hostile)(
      '%s',
      async (_, make, kind) => {
        const before = await snapshot(staffer);
        const outcome = refused(await importBundle(staffer, await make(), options));
        expect(outcome.problems.map((p) => p.kind)).toContain(kind);
        expect(await snapshot(staffer)).toBe(before);
        // Crafting 100,000 entries takes seconds on a loaded 2-core machine; the refusal itself reads only the end record.
      },
      30_000,
    );
  });

  it('refuses a platform-report bundle: it lacks the archives and the custody log', async () => {
    const outcome = refused(await importBundle(staffer, await volunteerBundle('platform'), options));
    expect(outcome.refused).toMatch(/platform-report bundle.*Import the police bundle instead/);
  });

  it('refuses a bundle whose metadata names another capture than its manifest, even resealed', async () => {
    const forged = await repack(
      await volunteerBundle(),
      (f) => {
        const path = 'captures/0002-VA3-x-GazT_1977-20261121T090000Z/metadata.json';
        f.set(path, encode(asText(f.get(path)).replace('"id": "post-2"', '"id": "staff-own"')));
        unsign(f);
      },
      { reseal: true },
    );
    const outcome = refused(await importBundle(staffer, forged, options));
    expect(outcome.problems).toContainEqual(
      expect.objectContaining({
        kind: 'bad-manifest',
        path: 'captures/0002-VA3-x-GazT_1977-20261121T090000Z/metadata.json',
        message: expect.stringMatching(/does not describe capture post-2/),
      }),
    );
  });

  it('reads a bundle that was re-zipped with compression', async () => {
    const zip = await volunteerBundle();
    const files = await JSZip.loadAsync(new Uint8Array(await zip.arrayBuffer()));
    const out = new JSZip();
    for (const entry of Object.values(files.files))
      if (!entry.dir) out.file(entry.name, await entry.async('uint8array'), { compression: 'DEFLATE' });
    expect(await importBundle(staffer, await out.generateAsync({ type: 'uint8array' }), options)).toMatchObject({
      ok: true,
      imported: [{}, {}, {}],
    });
  });
});

/**
 * A forger who rewrites the hash files would drop the signature too (it would
 * no longer verify); the checks after it must still catch the forgery.
 */
function unsign(files: Map<string, Uint8Array>): void {
  const manifest = JSON.parse(asText(files.get('manifest.json'))) as Record<string, unknown>;
  delete manifest.signature;
  manifest.files = (manifest.files as { path: string }[]).filter((f) => f.path !== 'public-key.pem');
  files.set('manifest.json', encode(JSON.stringify(manifest)));
  files.delete('manifest.sig');
  files.delete('public-key.pem');
}

describe('importBundle: who signed it', () => {
  let stranger: EvidenceDb;

  beforeEach(async () => {
    // A staffer who has not yet confirmed anyone's key.
    stranger = await openEvidenceDb(`import-stranger-${n}`);
  });

  it('refuses an unsigned bundle, saying why and what to do, and writes nothing', async () => {
    const unsigned = await repack(await volunteerBundle(), unsign, { reseal: true });
    const before = await snapshot(staffer);
    const outcome = refused(await importBundle(staffer, unsigned, options));
    expect(outcome.refused).toBe(
      'witness-box-Volunteer-A.zip was refused and nothing was imported: it is not signed, so anyone could have made it. Ask the sender to export it again from Witness Box (every export is signed), and to read you the fingerprint of their key, shown in their manager.',
    );
    expect(await snapshot(staffer)).toBe(before);
  });

  it('asks to confirm a key it does not know, showing its fingerprint, before writing anything', async () => {
    const outcome = refused(await importBundle(stranger, await volunteerBundle(), options));
    expect(outcome.confirmFingerprint).toBe(volunteerKey);
    expect(outcome.refused).toContain(formatFingerprint(volunteerKey));
    expect(await stranger.count('captures')).toBe(0);
    expect(await stranger.count('custody')).toBe(0);
    expect(await stranger.count('trustedKeys')).toBe(0);
  });

  it('imports once the fingerprint is confirmed with a name, trusting the key and recording the decision', async () => {
    const confirmKey = { fingerprint: volunteerKey, name: '  Volunteer A (Ward 3) ' };
    const outcome = await importBundle(stranger, await volunteerBundle(), { ...options, confirmKey });
    expect(outcome).toMatchObject({
      ok: true,
      imported: [{ id: 'post-1' }, { id: 'profile-1' }, { id: 'post-2' }],
      key: { fingerprint: volunteerKey, name: 'Volunteer A (Ward 3)', decision: 'confirmed at import' },
      verdict: { kind: 'trusted', headline: expect.stringMatching(/^Signed by Volunteer A \(Ward 3\) /) },
    });
    const events = await allCustody(stranger);
    expect(events.map((e) => e.action)).toEqual(['key-trusted', 'imported', 'imported', 'imported']);
    expect(events[0]?.detail).toEqual({ fingerprint: volunteerKey, name: 'Volunteer A (Ward 3)' });
    expect(events[1]?.detail.key).toEqual({
      fingerprint: volunteerKey,
      name: 'Volunteer A (Ward 3)',
      decision: 'confirmed at import',
    });
    expect((await listTrustedKeys(stranger)).map((k) => k.name)).toEqual([OWN_KEY_NAME, 'Volunteer A (Ward 3)']);
  });

  it('refuses a confirmation without a name, and writes nothing', async () => {
    const confirmKey = { fingerprint: volunteerKey, name: '   ' };
    await expect(importBundle(stranger, await volunteerBundle(), { ...options, confirmKey })).rejects.toThrow(
      /Give the key a name/,
    );
    expect(await stranger.count('custody')).toBe(0);
  });

  it('a confirmation of another fingerprint does not let a bundle in', async () => {
    const confirmKey = { fingerprint: 'ab'.repeat(32), name: 'Someone' };
    const outcome = refused(await importBundle(stranger, await volunteerBundle(), { ...options, confirmKey }));
    expect(outcome.confirmFingerprint).toBe(volunteerKey);
    expect(await stranger.count('custody')).toBe(0);
  });

  it('refuses bundles signed with a withdrawn key', async () => {
    await withdrawKey(staffer, volunteerKey, 'Staffer B', options.now);
    const before = await snapshot(staffer);
    const outcome = refused(await importBundle(staffer, await volunteerBundle(), options));
    expect(outcome.refused).toMatch(/signed with the key of "Volunteer A" .* you withdrew your trust in that key on/);
    expect(await snapshot(staffer)).toBe(before);
  });
});

describe('importBundle: one strict schema before anything is written', () => {
  const FOLDER = 'captures/0002-VA3-x-GazT_1977-20261121T090000Z';

  /** The volunteer's bundle with post-2's record edited, every hash recomputed, re-signed by the trusted key. */
  async function withRecord(edit: (capture: Record<string, unknown>) => void): Promise<Uint8Array<ArrayBuffer>> {
    return forge(await volunteerBundle(), {
      mutate: (files) => {
        const path = `${FOLDER}/metadata.json`;
        const meta = JSON.parse(asText(files.get(path))) as { capture: Record<string, unknown> };
        edit(meta.capture);
        files.set(path, encode(JSON.stringify(meta)));
      },
      signWith: await signingIdentity(volunteer),
    });
  }

  it.each([
    ['author: {}', (c: Record<string, unknown>) => (c.author = {}), /capture\.author\.displayName is missing/],
    [
      'text: 12345',
      (c: Record<string, unknown>) => (c.text = 12345),
      /capture\.text should be text, but is number 12345/,
    ],
    [
      'an unknown platform',
      (c: Record<string, unknown>) => (c.platform = 'myspace'),
      /capture\.platform should be a known platform/,
    ],
    [
      'an unknown artifact name',
      (c: Record<string, unknown>) => (c.pending = ['evil.exe']),
      /capture\.pending\[0\] should be a known artifact name/,
    ],
    [
      'a 2 MB display name',
      (c: Record<string, unknown>) =>
        (c.author = { displayName: 'x'.repeat(2_000_000), handle: null, profileUrl: null }),
      /capture\.author\.displayName is 2000000 characters long; at most 1000/,
    ],
    [
      'an extra field',
      (c: Record<string, unknown>) => (c.__proto_pollution = {}),
      /capture has a field Witness Box does not know: __proto_pollution/,
    ],
    [
      'a negative pixel ratio',
      (c: Record<string, unknown>) => (c.devicePixelRatio = -1),
      /capture\.devicePixelRatio is -1, outside/,
    ],
  ])('refuses a record with %s, naming the field, and writes nothing', async (_what, edit, reason) => {
    const forged = await withRecord(edit);
    const before = await snapshot(staffer);
    const outcome = refused(await importBundle(staffer, forged, options));
    expect(outcome.refused).toMatch(new RegExp(`${FOLDER}/metadata.json does not hold a valid capture record`));
    expect(outcome.refused).toMatch(reason);
    expect(await snapshot(staffer)).toBe(before);
  });

  it('imports the same bundle untouched, re-signed the same way', async () => {
    expect(await importBundle(staffer, await withRecord(() => undefined), options)).toMatchObject({ ok: true });
  });
});
