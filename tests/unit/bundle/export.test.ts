// @vitest-environment node
// jsdom's Blob has no arrayBuffer(), which hashing and jszip need.
import { describe, expect, it } from 'vitest';
import {
  BundleIntegrityError,
  buildBundle,
  planFolders,
  type BundleManifest,
  type CaptureMetadataFile,
} from '../../../src/bundle/export';
import { parseSha256Sums } from '../../../src/bundle/sha256sums';
import { standInFor } from '../../../src/evidence/custody-chain';
import { CLOCKS } from '../../../src/evidence/model';
import { canonicalJson, sha256Hex } from '../../../src/evidence/sha256';
import { makeCapture, makePng } from '../factories';
import { asText, makeSampleBundle, POST_FOLDER, PROFILE_FOLDER, SECOND_FOLDER, unzipAll } from './sample-bundle';

describe('buildBundle', () => {
  it('lays the captures out as documented, profile inside its post', async () => {
    const { input } = await makeSampleBundle();
    const built = await buildBundle(input);
    const files = await unzipAll(built.zip);

    expect([...files.keys()]).toEqual([
      'README.txt',
      'report.html',
      'captures.csv',
      'statement.txt',
      'custody-log.jsonl',
      `${POST_FOLDER}/post.png`,
      `${POST_FOLDER}/viewport.png`,
      `${POST_FOLDER}/page.mhtml`,
      `${POST_FOLDER}/post.html`,
      `${POST_FOLDER}/post-render.png`,
      `${POST_FOLDER}/metadata.json`,
      `${PROFILE_FOLDER}/viewport.png`,
      `${PROFILE_FOLDER}/page.mhtml`,
      `${PROFILE_FOLDER}/metadata.json`,
      `${SECOND_FOLDER}/post.png`,
      `${SECOND_FOLDER}/metadata.json`,
      'manifest.json',
      'SHA256SUMS',
    ]);
    expect(built.fileCount).toBe(files.size);
    expect(built.fileName).toBe('witness-box-Harassment-of-Cllr-Example-20261122T101530Z.zip');
    expect(built.zip.type).toBe('application/zip');
  });

  it('writes every artifact byte for byte as stored, including the one added later', async () => {
    const { input, store } = await makeSampleBundle();
    const files = await unzipAll((await buildBundle(input)).zip);
    const stored = async (id: string, name: Parameters<typeof store.read>[1]) =>
      new Uint8Array(await (await store.read(id, name)).arrayBuffer());

    expect(files.get(`${POST_FOLDER}/post.png`)).toEqual(await stored('post-1', 'post.png'));
    expect(files.get(`${POST_FOLDER}/post-render.png`)).toEqual(await stored('post-1', 'post-render.png'));
    expect(files.get(`${PROFILE_FOLDER}/page.mhtml`)).toEqual(await stored('profile-1', 'page.mhtml'));
  });

  it('lists every other file in SHA256SUMS with the hash of its bytes in the zip', async () => {
    const { input } = await makeSampleBundle();
    const files = await unzipAll((await buildBundle(input)).zip);
    const sums = parseSha256Sums(asText(files.get('SHA256SUMS')));

    expect(sums.map((s) => s.path).sort()).toEqual([...files.keys()].filter((p) => p !== 'SHA256SUMS').sort());
    for (const { path, sha256 } of sums) {
      expect(await sha256Hex(files.get(path) as Uint8Array<ArrayBuffer>), path).toBe(sha256);
    }
  });

  it('writes a manifest of captures, files and custody that matches the zip', async () => {
    const { input } = await makeSampleBundle();
    const built = await buildBundle(input);
    const files = await unzipAll(built.zip);
    const manifest = JSON.parse(asText(files.get('manifest.json'))) as typeof built.manifest;

    expect(manifest).toEqual(built.manifest);
    expect(manifest).toMatchObject({
      format: 'witness-box-bundle',
      formatVersion: 3,
      profile: 'police',
      case: 'Harassment of Cllr Example',
      exportedBy: 'Staffer B',
      exportedAt: '2026-11-22T10:15:30.456Z',
      tool: input.tool,
    });
    expect(manifest.captures.map((c) => [c.id, c.folder, c.kind, c.parentId])).toEqual([
      ['post-1', POST_FOLDER, 'post', null],
      ['profile-1', PROFILE_FOLDER, 'profile', 'post-1'],
      ['post-2', SECOND_FOLDER, 'post', null],
    ]);
    expect(manifest.files.map((f) => f.path)).toEqual(
      [...files.keys()].filter((p) => p !== 'manifest.json' && p !== 'SHA256SUMS'),
    );
    for (const f of manifest.files) expect(f.bytes, f.path).toBe(files.get(f.path)?.byteLength);
    expect(manifest.captures[0]?.files.find((f) => f.path.endsWith('/post-render.png'))).toMatchObject({
      mime: 'image/png',
    });
    expect(manifest.custody).toEqual(input.custody);
    // The signature covers the log's length, bytes and head, and each capture's "captured" event.
    expect(manifest.custodyLog).toEqual({
      path: 'custody-log.jsonl',
      entries: 5,
      sha256: manifest.files.find((f) => f.path === 'custody-log.jsonl')?.sha256,
      lastHash: input.custody[4]?.hash,
    });
    expect(manifest.captures.map((c) => c.capturedEvent)).toEqual([1, 2, 4].map((seq) => input.custody[seq - 1]?.hash));
  });

  it('records no custody log in a platform-report manifest', async () => {
    const { input } = await makeSampleBundle();
    const built = await buildBundle({ ...input, profile: 'platform' });
    expect(built.manifest.custodyLog).toBeNull();
  });

  it('writes the custody log as one canonical event per line, in seq order', async () => {
    const { input } = await makeSampleBundle();
    const files = await unzipAll((await buildBundle(input)).zip);
    expect(asText(files.get('custody-log.jsonl'))).toBe(input.custody.map((e) => `${canonicalJson(e)}\n`).join(''));
  });

  it('writes metadata.json with the stored record, the effective artifacts, what is missing and the clocks', async () => {
    const { input, post, second } = await makeSampleBundle();
    const files = await unzipAll((await buildBundle(input)).zip);
    const meta = (folder: string) => JSON.parse(asText(files.get(`${folder}/metadata.json`))) as CaptureMetadataFile;

    const postMeta = meta(POST_FOLDER);
    expect(postMeta.capture).toEqual(post);
    expect(postMeta.clocks).toEqual(CLOCKS);
    expect(postMeta.artifacts.map((a) => a.name)).toEqual([
      'post.png',
      'viewport.png',
      'page.mhtml',
      'post.html',
      'post-render.png',
    ]);
    expect(postMeta.missing).toEqual([]);
    expect(meta(SECOND_FOLDER).missing).toEqual(second.missing);
    expect(meta(PROFILE_FOLDER).capture.parentId).toBe('post-1');
    expect(asText(files.get(`${POST_FOLDER}/metadata.json`))).toMatch(/^\{\n {2}"artifacts": \[/);
  });

  it('lists an artifact still being made at export as missing, with the reason', async () => {
    const { input, post } = await makeSampleBundle();
    const built = await buildBundle({ ...input, custody: input.custody.slice(0, 2), captures: [post] });
    expect(built.manifest.captures[0]?.missing).toEqual([
      { name: 'post-render.png', reason: 'still being made when this bundle was exported' },
    ]);
  });

  it('writes a README that tells an officer how to verify, where times come from, and where to report', async () => {
    const { input } = await makeSampleBundle();
    const readme = asText((await unzipAll((await buildBundle(input)).zip)).get('README.txt'));
    for (const expected of [
      'Harassment of Cllr Example',
      'Exported by:  Staffer B',
      'Exported at:  2026-11-22 10:15:30 UTC',
      'Witness Box 0.1.0, Chrome 156, Linux',
      'sha256sum -c SHA256SUMS',
      'shasum -a 256 -c SHA256SUMS',
      'Get-FileHash -Algorithm SHA256',
      CLOCKS.capturedAt,
      CLOCKS.shownTime,
      '999',
      '101',
      'Open report.html in a web browser',
      '  X (formerly Twitter)',
      '    Safety:  https://help.twitter.com/en/safety-and-security',
      '    Report:  https://help.x.com/en/rules-and-policies/x-report-violation',
      'custody-log.jsonl is a hash chain',
      `${POST_FOLDER}/`,
      'not available: page.mhtml',
    ]) {
      expect(readme).toContain(expected);
    }
    expect(readme.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
  });

  it('keeps hostile captured text from forging README lines', async () => {
    const { input, post, profile, second } = await makeSampleBundle();
    const hostile = { ...second, author: { ...second.author, handle: 'x\r\nAll files verified OK\u202E' } };
    const built = await buildBundle({ ...input, captures: [post, profile, hostile] });
    const readme = asText((await unzipAll(built.zip)).get('README.txt'));
    expect(readme.split('\r\n').some((line) => line.startsWith('All files verified OK'))).toBe(false);
    expect(readme).not.toContain('\u202E');
  });

  it('makes the same zip, byte for byte, from the same input', async () => {
    const { input } = await makeSampleBundle();
    const a = new Uint8Array(await (await buildBundle(input)).zip.arrayBuffer());
    const b = new Uint8Array(await (await buildBundle(input)).zip.arrayBuffer());
    expect(await sha256Hex(a)).toBe(await sha256Hex(b));
  });

  it('reports progress once per artifact', async () => {
    const { input } = await makeSampleBundle();
    const calls: [number, number][] = [];
    await buildBundle({ ...input, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual(Array.from({ length: 8 }, (_, i) => [i + 1, 8]));
  });

  it('refuses to export an artifact whose stored bytes changed, naming the capture and file', async () => {
    const { input, store } = await makeSampleBundle();
    store.tamper('profile-1', 'viewport.png', makePng(16, 10, [0, 0, 1]));
    const error = await buildBundle(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleIntegrityError);
    expect(error).toMatchObject({ where: { captureId: 'profile-1', path: `${PROFILE_FOLDER}/viewport.png` } });
    expect((error as Error).message).toMatch(
      /Capture profile-1: the stored viewport\.png has changed since it was captured/,
    );
  });

  it('reads each stored artifact once, for both its SHA-256 check and its CRC', async () => {
    const { input } = await makeSampleBundle();
    const handed: Blob[] = [];
    let reads = 0;
    const counting = {
      ...input,
      readArtifact: async (id: string, name: Parameters<typeof input.readArtifact>[1]) => {
        const blob = await input.readArtifact(id, name);
        handed.push(blob);
        const arrayBuffer = blob.arrayBuffer.bind(blob);
        blob.arrayBuffer = () => (reads++, arrayBuffer());
        return blob;
      },
    };
    await buildBundle(counting);
    expect(handed).toHaveLength(8);
    expect(reads).toBe(8);
  });

  it('reports the first damaged artifact in bundle order, though later ones were already being read', async () => {
    const { input, store } = await makeSampleBundle();
    store.tamper('post-1', 'viewport.png', makePng(16, 10, [0, 0, 1]));
    store.tamper('profile-1', 'viewport.png', makePng(16, 10, [0, 0, 2]));
    const error = await buildBundle(input).catch((e: unknown) => e);
    expect(error).toMatchObject({ where: { captureId: 'post-1', path: `${POST_FOLDER}/viewport.png` } });
  });

  it('refuses to export when a recorded artifact cannot be read', async () => {
    const { input } = await makeSampleBundle();
    const failing = { ...input, readArtifact: () => Promise.reject(new Error('NotFoundError')) };
    await expect(buildBundle(failing)).rejects.toThrow(/Capture post-1: post\.png is recorded but could not be read/);
  });

  it('refuses to export a damaged custody log, naming the event', async () => {
    const { input } = await makeSampleBundle();
    const custody = input.custody.map((e) => (e.seq === 4 ? { ...e, actor: 'Someone else' } : e));
    const error = await buildBundle({ ...input, custody }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleIntegrityError);
    expect(error).toMatchObject({ where: { seq: 4 } });
  });

  it('refuses an export time that is not a time', async () => {
    const { input } = await makeSampleBundle();
    await expect(buildBundle({ ...input, exportedAt: 'now' })).rejects.toThrow(TypeError);
  });
});

describe('buildBundle: report.html and captures.csv', () => {
  it('adds report.html and captures.csv, listed in SHA256SUMS and the manifest like any file', async () => {
    const { input } = await makeSampleBundle();
    const built = await buildBundle(input);
    const files = await unzipAll(built.zip);
    const sums = parseSha256Sums(asText(files.get('SHA256SUMS')));
    for (const path of ['report.html', 'captures.csv']) {
      expect(sums.find((e) => e.path === path)?.sha256, path).toBe(
        await sha256Hex(files.get(path) as Uint8Array<ArrayBuffer>),
      );
      expect(
        built.manifest.files.some((f) => f.path === path),
        path,
      ).toBe(true);
    }
    expect(asText(files.get('report.html'))).toMatch(/^<!doctype html>/);
  });

  it('gives each capture a CSV row whose metadata hash is that of its metadata.json', async () => {
    const { input } = await makeSampleBundle();
    const files = await unzipAll((await buildBundle(input)).zip);
    const csv = asText(files.get('captures.csv'));
    const rows = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows).toHaveLength(4);
    for (const folder of [POST_FOLDER, PROFILE_FOLDER, SECOND_FOLDER]) {
      const hash = await sha256Hex(files.get(`${folder}/metadata.json`) as Uint8Array<ArrayBuffer>);
      expect(
        rows.some((r) => r.includes(`,${folder},`) && r.includes(`,${hash}`)),
        folder,
      ).toBe(true);
    }
  });
});

describe('buildBundle: custody stand-ins', () => {
  it('writes stand-ins as they are, in the log and the manifest, and the chain still checks', async () => {
    const { input } = await makeSampleBundle();
    const custody = input.custody.map((e) => (e.seq === 4 || e.seq === 5 ? standInFor(e) : e));
    const built = await buildBundle({ ...input, custody });
    const files = await unzipAll(built.zip);
    const lines = asText(files.get('custody-log.jsonl')).trimEnd().split('\n');
    expect(JSON.parse(lines[3] ?? '')).toEqual({
      hash: input.custody[3]?.hash,
      prevHash: input.custody[2]?.hash,
      redacted: true,
      seq: 4,
    });
    expect(built.manifest.custody).toEqual(custody);
  });

  it('still refuses a chain that a stand-in does not link into', async () => {
    const { input } = await makeSampleBundle();
    const custody = input.custody.map((e) => (e.seq === 4 ? { ...standInFor(e), hash: 'f'.repeat(64) } : e));
    await expect(buildBundle({ ...input, custody })).rejects.toMatchObject({ where: { seq: 5 } });
  });
});

describe('buildBundle: platform-report profile', () => {
  it('carries the screenshots, CSV, report and hashes, but no archives, HTML or custody log', async () => {
    const { input } = await makeSampleBundle();
    const built = await buildBundle({ ...input, profile: 'platform' });
    const files = await unzipAll(built.zip);
    expect([...files.keys()]).toEqual([
      'README.txt',
      'report.html',
      'captures.csv',
      `${POST_FOLDER}/post.png`,
      `${POST_FOLDER}/viewport.png`,
      `${POST_FOLDER}/metadata.json`,
      `${PROFILE_FOLDER}/viewport.png`,
      `${PROFILE_FOLDER}/metadata.json`,
      `${SECOND_FOLDER}/post.png`,
      `${SECOND_FOLDER}/metadata.json`,
      'manifest.json',
      'SHA256SUMS',
    ]);
    expect(built.fileName).toBe('witness-box-platform-report-20261122T101530Z.zip');
    expect(built.manifest).toMatchObject({ profile: 'platform', custody: [] });
    expect(built.manifest.captures[0]?.omitted).toEqual(['page.mhtml', 'post.html', 'post-render.png']);
    // The second post's archive failed: that is not a screenshot, so a platform bundle need not mention it.
    expect(built.manifest.captures[2]?.missing).toEqual([]);
    const meta = JSON.parse(asText(files.get(`${POST_FOLDER}/metadata.json`))) as CaptureMetadataFile;
    expect(meta.artifacts.map((a) => a.name)).toEqual(['post.png', 'viewport.png']);
    expect(meta.omitted.map((a) => a.name)).toEqual(['page.mhtml', 'post.html', 'post-render.png']);
    const readme = asText(files.get('README.txt'));
    expect(readme).toContain('This is a PLATFORM REPORT bundle');
    expect(readme).not.toContain('custody-log.jsonl');
    expect(readme).not.toContain('page.mhtml');
    // No names of the people involved, no notes, unless chosen.
    for (const [path, bytes] of files) {
      if (!/\.(txt|html|csv|json)$|SUMS$/.test(path)) continue;
      const text = asText(bytes);
      for (const name of [
        'Volunteer A',
        'Staffer B',
        'Cllr Jane Example',
        'Harassment of Cllr Example',
        'Reported to X on 21 Nov',
      ])
        expect(text, `${path} holds ${name}`).not.toContain(name);
    }
    expect(built.manifest.includes).toEqual({ notes: false, staffNames: false });
  });

  it('shows notes and names in a platform report only when chosen', async () => {
    const { input } = await makeSampleBundle();
    const built = await buildBundle({ ...input, profile: 'platform', include: { notes: true, staffNames: true } });
    const files = await unzipAll(built.zip);
    const csv = asText(files.get('captures.csv'));
    expect(csv).toContain('Reported to X on 21 Nov.');
    expect(csv).toContain('Volunteer A');
    expect(asText(files.get('report.html'))).toContain('Harassment of Cllr Example');
    expect(built.fileName).toBe('witness-box-Harassment-of-Cllr-Example-platform-report-20261122T101530Z.zip');
  });

  it('keeps the hashes the police bundle has for the same screenshots', async () => {
    const { input } = await makeSampleBundle();
    const police = await buildBundle(input);
    const platform = await buildBundle({ ...input, profile: 'platform' });
    const hashOf = (b: typeof police, path: string) => b.manifest.files.find((f) => f.path === path)?.sha256;
    expect(hashOf(platform, `${POST_FOLDER}/post.png`)).toBe(hashOf(police, `${POST_FOLDER}/post.png`));
  });
});

describe('planFolders', () => {
  const post = makeCapture({ id: 'p', capturedAt: '2026-11-20T18:42:07Z' });
  const profile = (id: string, parentId: string | null) =>
    makeCapture({ id, kind: 'profile', parentId, capturedAt: '2026-11-20T18:43:00Z' });

  it('nests a profile under its post even when listed first', () => {
    expect(planFolders([profile('pr', 'p'), post])).toEqual(
      new Map([
        ['p', 'captures/0001-x-GazT_1977-20261120T184207Z'],
        ['pr', 'captures/0001-x-GazT_1977-20261120T184207Z/profile'],
      ]),
    );
  });

  it('numbers further profiles of the same post', () => {
    expect(planFolders([post, profile('a', 'p'), profile('b', 'p')]).get('b')).toBe(
      'captures/0001-x-GazT_1977-20261120T184207Z/profile-2',
    );
  });

  it('gives a profile its own numbered folder when its post is not exported', () => {
    expect(planFolders([profile('pr', 'elsewhere')]).get('pr')).toBe('captures/0001-x-GazT_1977-20261120T184300Z');
  });

  it('refuses the same capture twice', () => {
    expect(() => planFolders([post, post])).toThrow(/listed twice/);
  });
});

describe('buildBundle: every file gives the same counts', () => {
  it('README.txt, report.html, manifest.json and captures.csv agree on the number of exhibits and of each kind', async () => {
    const { input, post } = await makeSampleBundle();
    const message = { ...post, id: 'msg-1', kind: 'message' as const, capturedAt: '2026-11-21T10:00:00.000Z' };
    for (const profile of ['police', 'platform'] as const) {
      const built = await buildBundle({
        ...input,
        profile,
        captures: [...input.captures, message],
        readArtifact: async (id, name) => input.readArtifact(id === 'msg-1' ? 'post-1' : id, name),
      });
      const files = await unzipAll(built.zip);
      const manifest = JSON.parse(asText(files.get('manifest.json'))) as BundleManifest;
      expect(manifest.counts).toEqual({ exhibits: 4, posts: 2, messages: 1, pages: 0, profiles: 1 });
      expect(manifest.captures).toHaveLength(manifest.counts.exhibits);
      const line = '4 exhibits: 2 posts and comments, 1 message, 1 profile page';
      expect(asText(files.get('README.txt'))).toContain(`Exhibits:     ${line}`);
      const report = asText(files.get('report.html'));
      expect(report).toMatch(new RegExp(`<th scope="row">Exhibits</th><td>${line}</td>`));
      expect(report).toContain(`<p>${line}.</p>`);
      expect(report.match(/<td class="ref">/g)).toHaveLength(4);
      expect(report.match(/<section class="capture exhibit"/g)).toHaveLength(4);
      const csvRows = asText(files.get('captures.csv')).trim().split('\r\n');
      expect(csvRows).toHaveLength(1 + 4);
      const kinds = csvRows.slice(1).map((r) => r.split(',')[1]);
      expect(kinds.filter((k) => k === 'post')).toHaveLength(2);
      expect(kinds.filter((k) => k === 'message')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'profile')).toHaveLength(1);
    }
  });
});
