import { createWriteStream, openAsBlob } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buildBundle, type BundleInput, type BundleSigner } from '../../src/bundle/export';
import { signDer, spkiToPem } from '../../src/evidence/signing';
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
export async function syntheticBundle(
  count: number,
  artifactBytes: number,
  options: SyntheticOptions = {},
): Promise<Uint8Array> {
  const input = await syntheticInput(
    count,
    options.idPrefix ?? 'bench',
    (i) => new Blob([pseudoRandomBytes(artifactBytes, i + 1)], { type: 'image/png' }),
    options.capture,
  );
  const bundle = await buildBundle(input);
  return new Uint8Array(await bundle.zip.arrayBuffer());
}

/**
 * The same kind of bundle, written to `zipPath` without holding it or its
 * artifacts in memory, for the multi-gigabyte benchmark: every artifact is a
 * different slice of one 64 MiB file of pseudo-random bytes (kept in
 * `scratchDir` while the zip is written), so each has its own hash and the
 * zip streams from disk to disk.
 */
export async function writeSyntheticBundle(
  zipPath: string,
  count: number,
  artifactBytes: number,
  scratchDir: string,
): Promise<void> {
  const poolBytes = 64 * 1024 * 1024;
  if (artifactBytes > poolBytes / 2) throw new Error(`artifacts of at most ${poolBytes / 2} bytes`);
  const poolPath = join(scratchDir, `synthetic-pool-${process.pid}.bin`);
  await writeFile(poolPath, pseudoRandomBytes(poolBytes, 99));
  try {
    const pool = await openAsBlob(poolPath, { type: 'image/png' });
    // Offsets 4,099 bytes apart (a prime) and wrapping: distinct slices for as many artifacts as a bench needs.
    const span = poolBytes - artifactBytes;
    const input = await syntheticInput(count, 'bench-big', (i) =>
      pool.slice((i * 4099) % span, ((i * 4099) % span) + artifactBytes, 'image/png'),
    );
    const bundle = await buildBundle(input);
    await pipeline(
      Readable.fromWeb(bundle.zip.stream() as import('node:stream/web').ReadableStream),
      createWriteStream(zipPath),
    );
  } finally {
    await rm(poolPath, { force: true });
  }
}

export interface SyntheticOptions {
  /** See syntheticInput. */
  idPrefix?: string;
  /** Fields every capture gets instead of the factory's (a long text, another author). */
  capture?: Partial<Capture>;
}

/** Capture ids are `${idPrefix}-00000`...: import skips a capture whose id is already stored, so bundles meant for different cases need different prefixes. */
async function syntheticInput(
  count: number,
  idPrefix: string,
  artifact: (i: number) => Blob,
  fields: Partial<Capture> = {},
): Promise<BundleInput> {
  const blobs = new Map<string, Blob>();
  const captures: Capture[] = [];
  let head: CustodyEvent | null = null;
  const custody: CustodyEvent[] = [];
  const start = Date.parse('2026-11-01T09:00:00.000Z');
  for (let i = 0; i < count; i++) {
    const id = `${idPrefix}-${String(i).padStart(5, '0')}`;
    const blob = artifact(i);
    blobs.set(id, blob);
    const capturedAt = new Date(start + i * 60_000).toISOString();
    const capture = makeCapture({
      ...fields,
      id,
      capturedAt,
      permalink: `https://x.com/GazT_1977/status/${1990000000000000000n + BigInt(i)}`,
      artifacts: [
        {
          name: 'viewport.png',
          mime: 'image/png',
          bytes: blob.size,
          sha256: await sha256Hex(blob),
          hashedAt: capturedAt,
        },
      ],
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
  return {
    caseName: 'bench',
    captures,
    custody,
    readArtifact: async (captureId) => blobs.get(captureId)!,
    exportedBy: 'Bench volunteer',
    exportedAt: '2026-11-23T12:00:00.000Z',
    tool: { name: 'Witness Box', version: 'bench', browser: 'node', os: process.platform },
    // Import refuses unsigned bundles: signed, like every real export, by a volunteer's key made for the run.
    signer: await volunteerSigner(),
  };
}

async function volunteerSigner(): Promise<BundleSigner> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return {
    publicKeyPem: spkiToPem(spki),
    fingerprint: await sha256Hex(spki),
    sign: (data) => signDer(pair.privateKey, data),
  };
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
