import { buildBundle } from '../../src/bundle/export';
import { nextCustodyEvent } from '../../src/evidence/custody-chain';
import type { Capture, CustodyEvent } from '../../src/evidence/model';
import { sha256Hex } from '../../src/evidence/sha256';
import { makeCapture } from '../unit/factories';

/**
 * A real bundle (made by the extension's own exporter, run in Node) of
 * `count` synthetic captures with one artifact of `artifactBytes` each. The
 * benchmark imports it through the manager, so the store it measures is
 * filled by the extension's real import path.
 */
export async function syntheticBundle(count: number, artifactBytes: number): Promise<Uint8Array> {
  const blobs = new Map<string, Blob>();
  const captures: Capture[] = [];
  let head: CustodyEvent | null = null;
  const custody: CustodyEvent[] = [];
  const start = Date.parse('2026-11-01T09:00:00.000Z');
  for (let i = 0; i < count; i++) {
    const id = `bench-${String(i).padStart(5, '0')}`;
    const blob = new Blob([pseudoRandomBytes(artifactBytes, i + 1)], { type: 'image/png' });
    blobs.set(id, blob);
    const capturedAt = new Date(start + i * 60_000).toISOString();
    const capture = makeCapture({
      id,
      capturedAt,
      permalink: `https://x.com/GazT_1977/status/${1990000000000000000n + BigInt(i)}`,
      artifacts: [{ name: 'viewport.png', mime: 'image/png', bytes: blob.size, sha256: await sha256Hex(blob), hashedAt: capturedAt }],
    });
    captures.push(capture);
    head = await nextCustodyEvent(head, {
      at: capturedAt,
      actor: 'Bench volunteer',
      action: 'captured',
      captureId: id,
      detail: { artifacts: capture.artifacts.map(({ name, sha256 }) => ({ name, sha256 })) },
    });
    custody.push(head);
  }
  const bundle = await buildBundle({
    caseName: 'bench',
    captures,
    custody,
    readArtifact: async (captureId) => blobs.get(captureId)!,
    exportedBy: 'Bench volunteer',
    exportedAt: '2026-11-23T12:00:00.000Z',
    tool: { name: 'Witness Box', version: 'bench', browser: 'node', os: process.platform },
  });
  return new Uint8Array(await bundle.zip.arrayBuffer());
}

/** Incompressible like PNG data, and the same for the same seed, so runs compare. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
