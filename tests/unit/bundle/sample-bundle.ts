import JSZip from 'jszip';
import type { BundleInput, BundleManifest } from '../../../src/bundle/export';
import { formatSha256Sums } from '../../../src/bundle/sha256sums';
import type { Capture } from '../../../src/evidence/model';
import { sha256Hex } from '../../../src/evidence/sha256';
import { makeArtifactStore, makeCapture, makeCustodyLog, makePng, type FakeArtifactStore } from '../factories';

/**
 * The bundle most tests use: two posts, a profile captured for the first, a
 * DOM render that arrived after the first post was stored, and a page archive
 * that failed for the second.
 */
export interface SampleBundle {
  input: BundleInput;
  store: FakeArtifactStore;
  post: Capture;
  profile: Capture;
  second: Capture;
}

export const POST_FOLDER = 'captures/0001-x-GazT_1977-20261120T184207Z';
export const PROFILE_FOLDER = `${POST_FOLDER}/profile`;
export const SECOND_FOLDER = 'captures/0002-x-unknown-20261121T090000Z';

const text = (s: string, type: string): Blob => new Blob([s], { type });

export async function makeSampleBundle(): Promise<SampleBundle> {
  const store = makeArtifactStore();
  const post = makeCapture({
    id: 'post-1',
    artifacts: [
      await store.put('post-1', 'post.png', makePng(6, 3)),
      await store.put('post-1', 'viewport.png', makePng(16, 10, [255, 255, 255])),
      await store.put('post-1', 'page.mhtml', text('MIME-Version: 1.0\r\n\r\n<html>…</html>', 'multipart/related')),
      await store.put(
        'post-1',
        'post.html',
        text('<article data-testid="tweet">You should be ashamed.</article>', 'text/html'),
      ),
    ],
    pending: ['post-render.png'],
  });
  const profile = makeCapture({
    id: 'profile-1',
    kind: 'profile',
    parentId: 'post-1',
    url: 'https://x.com/GazT_1977',
    permalink: null,
    postId: null,
    text: null,
    capturedAt: '2026-11-20T18:42:09.001Z',
    artifacts: [
      await store.put('profile-1', 'viewport.png', makePng(16, 10, [0, 0, 0])),
      await store.put(
        'profile-1',
        'page.mhtml',
        text('MIME-Version: 1.0\r\n\r\n<html>profile</html>', 'multipart/related'),
      ),
    ],
  });
  const second = makeCapture({
    id: 'post-2',
    author: { displayName: '😈 Anon', handle: null, profileUrl: null },
    capturedAt: '2026-11-21T09:00:00.000Z',
    permalink: 'https://x.com/i/status/1859000000000000000',
    artifacts: [await store.put('post-2', 'post.png', makePng(4, 4, [200, 0, 0]))],
    missing: [{ name: 'page.mhtml', reason: 'the page archive could not be read' }],
  });
  const render = await store.put('post-1', 'post-render.png', makePng(6, 4, [10, 20, 30]));
  const custody = await makeCustodyLog([
    { action: 'captured', captureId: 'post-1', detail: capturedDetail(post) },
    { action: 'captured', captureId: 'profile-1', detail: capturedDetail(profile) },
    { action: 'artifact-added', captureId: 'post-1', detail: { artifact: render } },
    { action: 'captured', captureId: 'post-2', detail: capturedDetail(second) },
    { action: 'noted', actor: 'Staffer B', captureId: 'post-2', detail: { note: 'Reported to X on 21 Nov.' } },
  ]);
  const input: BundleInput = {
    caseName: 'Harassment of Cllr Example',
    captures: [post, profile, second],
    custody,
    readArtifact: (id, name) => store.read(id, name),
    exportedBy: 'Staffer B',
    exportedAt: '2026-11-22T10:15:30.456Z',
    tool: { name: 'Witness Box', version: '0.1.0', browser: 'Chrome 156', os: 'Linux' },
  };
  return { input, store, post, profile, second };
}

/** What the store's `captured` event records: the capture's kind, address and every artifact's hash. */
export function capturedDetail(capture: Capture): Record<string, unknown> {
  return {
    kind: capture.kind,
    url: capture.url,
    artifacts: capture.artifacts.map(({ name, sha256 }) => ({ name, sha256 })),
    missing: capture.missing,
  };
}

export async function unzipAll(zip: Blob | Uint8Array): Promise<Map<string, Uint8Array>> {
  const archive = await JSZip.loadAsync(zip instanceof Blob ? new Uint8Array(await zip.arrayBuffer()) : zip);
  const files = new Map<string, Uint8Array>();
  for (const entry of Object.values(archive.files)) {
    if (!entry.dir) files.set(entry.name, await entry.async('uint8array'));
  }
  return files;
}

export const asText = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

/**
 * Rebuilds a bundle zip after `mutate` edits its files; with `reseal`, first
 * rewrites manifest.json's file list and SHA256SUMS to match, as a forger would.
 */
export async function repack(
  zip: Blob,
  mutate: (files: Map<string, Uint8Array>) => void,
  { reseal = false } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const files = await unzipAll(zip);
  mutate(files);
  if (reseal) await resealFiles(files);
  const out = new JSZip();
  for (const [path, bytes] of files) out.file(path, bytes);
  // jszip's bytes are on a plain ArrayBuffer; its typings just do not say so.
  return (await out.generateAsync({ type: 'uint8array', compression: 'STORE' })) as Uint8Array<ArrayBuffer>;
}

async function resealFiles(files: Map<string, Uint8Array>): Promise<void> {
  const entryOf = async (path: string) => {
    const bytes = files.get(path) ?? new Uint8Array();
    return { path, bytes: bytes.byteLength, sha256: await sha256Hex(bytes as Uint8Array<ArrayBuffer>) };
  };
  const manifest = JSON.parse(asText(files.get('manifest.json'))) as BundleManifest;
  const log = files.get('custody-log.jsonl');
  if (manifest.custodyLog && log) {
    // What the log holds now, as a forger rewriting the manifest would record it.
    const lines = asText(log).split('\n').filter(Boolean);
    const last = lines.at(-1);
    manifest.custodyLog = {
      ...manifest.custodyLog,
      entries: lines.length,
      sha256: (await entryOf('custody-log.jsonl')).sha256,
      lastHash: last ? (JSON.parse(last) as { hash: string }).hash : null,
    };
  }
  const paths = [...files.keys()].filter((p) => p !== 'manifest.json' && p !== 'SHA256SUMS');
  manifest.files = await Promise.all(paths.map(entryOf));
  for (const capture of manifest.captures) {
    capture.files = await Promise.all(capture.files.map(async (f) => ({ ...f, ...(await entryOf(f.path)) })));
  }
  files.set('manifest.json', new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
  files.set(
    'SHA256SUMS',
    new TextEncoder().encode(formatSha256Sums(await Promise.all([...paths, 'manifest.json'].map(entryOf)))),
  );
}

export function flipByte(bytes: Uint8Array | undefined, at = 0): Uint8Array {
  if (!bytes) throw new Error('no such file in the bundle');
  const copy = new Uint8Array(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}
