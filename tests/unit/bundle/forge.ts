import JSZip from 'jszip';
import type { BundleManifest, CaptureMetadataFile } from '../../../src/bundle/export';
import { formatSha256Sums } from '../../../src/bundle/sha256sums';
import { isStandIn, nextCustodyEvent, type CustodyLogEntry } from '../../../src/evidence/custody-chain';
import type { CustodyEvent } from '../../../src/evidence/model';
import { canonicalJson, sha256Hex } from '../../../src/evidence/sha256';
import { signDer, type SigningIdentity } from '../../../src/evidence/signing';
import { asText, unzipAll } from './sample-bundle';

/**
 * A forger who knows the format as well as we do: edits files, rewrites the
 * custody log (renumbered and re-hashed into a chain that holds), recomputes
 * every hash Witness Box writes (metadata.json, the manifest, SHA256SUMS) and
 * then either drops the signature or signs with a key of their own. What is
 * left to catch them is what no recomputation can fix: the signature, and the
 * keys the receiver trusts.
 */
export interface Forgery {
  /** Edits to the unpacked files before anything is recomputed. */
  mutate?(files: Map<string, Uint8Array>): void;
  /** The custody log's full events as the forger wants them; they are renumbered from 1 and re-chained. */
  log?(events: CustodyEvent[]): CustodyEvent[];
  /** Rewrite each capture's metadata.json hashes (record and list) to the files now in the bundle. */
  recomputeMetadata?: boolean;
  /** Also rewrite the `captured` events' artifact hashes to the files (needs `recomputeMetadata`). */
  recomputeCapturedEvents?: boolean;
  /** Sign with this key instead of the exporter's (which the forger does not have); default: no signature. */
  signWith?: SigningIdentity;
}

const encode = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s);
const hashOf = (bytes: Uint8Array | undefined) => sha256Hex((bytes ?? new Uint8Array()) as Uint8Array<ArrayBuffer>);

export async function forge(zip: Blob | Uint8Array, forgery: Forgery): Promise<Uint8Array<ArrayBuffer>> {
  const files = await unzipAll(zip);
  forgery.mutate?.(files);
  const manifest = JSON.parse(asText(files.get('manifest.json'))) as BundleManifest;

  if (forgery.recomputeMetadata) {
    for (const capture of manifest.captures) {
      const path = `${capture.folder}/metadata.json`;
      const meta = JSON.parse(asText(files.get(path))) as CaptureMetadataFile;
      const refresh = async <T extends { name: string; sha256: string; bytes?: number }>(refs: T[]) => {
        for (const ref of refs) {
          const bytes = files.get(`${capture.folder}/${ref.name}`);
          if (!bytes) continue;
          ref.sha256 = await hashOf(bytes);
          if (ref.bytes !== undefined) ref.bytes = bytes.byteLength;
        }
      };
      await refresh(meta.artifacts);
      await refresh(meta.capture.artifacts);
      files.set(path, encode(JSON.stringify(meta, null, 2)));
    }
  }

  const original = asText(files.get('custody-log.jsonl'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CustodyLogEntry);
  let events = original.filter((e): e is CustodyEvent => !isStandIn(e));
  if (forgery.recomputeCapturedEvents) {
    events = await Promise.all(events.map(async (e) => (e.action === 'captured' ? withFileHashes(e) : e)));
  }
  if (forgery.log || forgery.recomputeCapturedEvents) {
    const kept = forgery.log ? forgery.log(events) : events;
    const chained: CustodyEvent[] = [];
    for (const { seq: _s, prevHash: _p, hash: _h, ...body } of kept) {
      chained.push(await nextCustodyEvent(chained.at(-1) ?? null, body));
    }
    files.set('custody-log.jsonl', encode(chained.map((e) => `${canonicalJson(e)}\n`).join('')));
    manifest.custody = chained;
    events = chained;
  }

  async function withFileHashes(event: CustodyEvent): Promise<CustodyEvent> {
    const capture = manifest.captures.find((c) => c.id === event.captureId);
    if (!capture || !Array.isArray(event.detail.artifacts)) return event;
    const artifacts = await Promise.all(
      (event.detail.artifacts as { name: string; sha256: string }[]).map(async (a) => ({
        name: a.name,
        sha256: await hashOf(files.get(`${capture.folder}/${a.name}`)),
      })),
    );
    return { ...event, detail: { ...event.detail, artifacts } };
  }

  // What the manifest records about the log and the captures, recomputed.
  const log = files.get('custody-log.jsonl');
  if (manifest.custodyLog && log) {
    manifest.custodyLog = {
      ...manifest.custodyLog,
      entries: manifest.custody.length,
      sha256: await hashOf(log),
      lastHash: manifest.custody.at(-1)?.hash ?? null,
    };
  }
  for (const capture of manifest.captures) {
    capture.capturedEvent =
      events.find((e) => e.action === 'captured' && e.captureId === capture.id)?.hash ?? capture.capturedEvent;
  }

  files.delete('manifest.sig');
  files.delete('public-key.pem');
  delete manifest.signature;
  if (forgery.signWith) {
    files.set('public-key.pem', encode(forgery.signWith.publicKeyPem));
    manifest.signature = {
      algorithm: 'ECDSA P-256 with SHA-256',
      publicKey: 'public-key.pem',
      signature: 'manifest.sig',
      publicKeyFingerprint: forgery.signWith.fingerprint,
    };
  }
  const entryOf = async (path: string) => ({
    path,
    bytes: files.get(path)?.byteLength ?? 0,
    sha256: await hashOf(files.get(path)),
  });
  const listed = [...files.keys()].filter((p) => p !== 'manifest.json' && p !== 'SHA256SUMS');
  manifest.files = await Promise.all(listed.map(entryOf));
  for (const capture of manifest.captures) {
    capture.files = await Promise.all(capture.files.map(async (f) => ({ ...f, ...(await entryOf(f.path)) })));
  }
  const manifestBytes = encode(JSON.stringify(manifest, null, 2));
  files.set('manifest.json', manifestBytes);
  if (forgery.signWith) files.set('manifest.sig', await signDer(forgery.signWith.privateKey, manifestBytes));
  const summed = [...files.keys()].filter((p) => p !== 'SHA256SUMS');
  files.set('SHA256SUMS', encode(formatSha256Sums(await Promise.all(summed.map(entryOf)))));

  const out = new JSZip();
  for (const [path, bytes] of files) out.file(path, bytes);
  return (await out.generateAsync({ type: 'uint8array', compression: 'STORE' })) as Uint8Array<ArrayBuffer>;
}
