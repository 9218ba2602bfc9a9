import { nextCustodyEvent } from '../../src/evidence/custody-chain';
import type { ArtifactName, ArtifactRef, Capture, CustodyEvent, CustodyEventBody } from '../../src/evidence/model';
import { sha256Hex } from '../../src/evidence/sha256';

/**
 * Test data builders shared by unit tests. Defaults describe one plausible
 * capture of a post on X by a fictional account; override only what a test is about.
 */

let nextId = 0;

export function makeCapture(overrides: Partial<Capture> = {}): Capture {
  const id = overrides.id ?? `capture-${++nextId}`;
  return {
    id,
    caseId: 'case-1',
    kind: 'post',
    parentId: null,
    platform: 'x',
    url: 'https://x.com/GazT_1977/status/1858912345678901234',
    pageTitle: 'Gaz T on X: "You should be ashamed"',
    permalink: 'https://x.com/GazT_1977/status/1858912345678901234',
    postId: '1858912345678901234',
    author: { displayName: 'Gaz T', handle: 'GazT_1977', profileUrl: 'https://x.com/GazT_1977' },
    text: 'You should be ashamed. Everyone on this street knows where you live.',
    shownTime: { raw: '6:41 PM · Nov 20, 2026', iso: '2026-11-20T18:41:00.000Z' },
    mediaUrls: [],
    isReply: false,
    replyToUrl: null,
    quotedPostUrl: null,
    profile: null,
    capturedAt: '2026-11-20T18:42:07.123Z',
    timeZone: 'Europe/London',
    capturedAtLocal: '2026-11-20T18:42:07.123+00:00',
    capturedBy: 'Volunteer A',
    onBehalfOf: 'Cllr Jane Example',
    browser: 'Chrome 156',
    os: 'Linux',
    extensionVersion: '0.1.0',
    postRect: { x: 300, y: 120, width: 600, height: 111 },
    devicePixelRatio: 1,
    artifacts: [],
    missing: [],
    pending: [],
    ...overrides,
  };
}

export async function makeArtifactRef(
  name: ArtifactName,
  blob: Blob,
  hashedAt = '2026-11-20T18:42:07.500Z',
): Promise<ArtifactRef> {
  return {
    name,
    mime: blob.type || 'application/octet-stream',
    bytes: blob.size,
    sha256: await sha256Hex(blob),
    hashedAt,
  };
}

/** An in-memory stand-in for the artifact store, with a way to corrupt what it holds. */
export interface FakeArtifactStore {
  /** Stores the bytes and returns the ref a capture would record for them. */
  put(captureId: string, name: ArtifactName, blob: Blob): Promise<ArtifactRef>;
  read(captureId: string, name: ArtifactName): Promise<Blob>;
  /** Swaps the stored bytes without touching any ref: storage changed behind the app's back. */
  tamper(captureId: string, name: ArtifactName, blob: Blob): void;
}

export function makeArtifactStore(): FakeArtifactStore {
  const blobs = new Map<string, Blob>();
  const key = (captureId: string, name: ArtifactName): string => `${captureId}/${name}`;
  return {
    async put(captureId, name, blob) {
      blobs.set(key(captureId, name), blob);
      return makeArtifactRef(name, blob);
    },
    async read(captureId, name) {
      const blob = blobs.get(key(captureId, name));
      if (!blob) throw new Error(`No ${name} stored for ${captureId}`);
      return blob;
    },
    tamper(captureId, name, blob) {
      blobs.set(key(captureId, name), blob);
    },
  };
}

/**
 * A hash-chained custody log: one event per body, defaults filled in, `at`
 * one second apart. Continues from `after` when given, else starts at seq 1.
 */
export async function makeCustodyLog(
  bodies: readonly Partial<CustodyEventBody>[],
  after: CustodyEvent | null = null,
): Promise<CustodyEvent[]> {
  const events: CustodyEvent[] = [];
  let prev = after;
  for (const body of bodies) {
    const seq = (prev?.seq ?? 0) + 1;
    prev = await nextCustodyEvent(prev, {
      at: new Date(Date.UTC(2026, 10, 20, 18, 42, 7) + seq * 1000).toISOString(),
      actor: 'Volunteer A',
      action: 'noted',
      captureId: null,
      detail: {},
      ...body,
    });
    events.push(prev);
  }
  return events;
}

// ---------------------------------------------------------------------------
// A real PNG, encoded by hand: zlib "stored" blocks need no compressor, so this
// stays synchronous and byte-for-byte deterministic.

export function makePng(width: number, height: number, rgb: readonly [number, number, number] = [29, 155, 240]): Blob {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PNG size must be positive integers, got ${width}x${height}`);
  }
  const row = new Uint8Array(1 + width * 3); // filter byte 0 (none), then RGB pixels
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = new Uint8Array(row.length * height);
  for (let y = 0; y < height; y++) raw.set(row, y * row.length);

  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, deflate, adaptive filtering, no interlace

  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const parts = [
    new Uint8Array(signature),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlibStored(raw)),
    pngChunk('IEND', new Uint8Array()),
  ];
  return new Blob(parts, { type: 'image/png' });
}

function pngChunk(type: string, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(new TextEncoder().encode(type), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

function zlibStored(data: Uint8Array): Uint8Array {
  const maxBlock = 0xffff;
  const blocks = Math.max(1, Math.ceil(data.length / maxBlock));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  const view = new DataView(out.buffer);
  out.set([0x78, 0x01]);
  let at = 2;
  for (let i = 0; i < blocks; i++) {
    const block = data.subarray(i * maxBlock, (i + 1) * maxBlock);
    out[at] = i === blocks - 1 ? 1 : 0; // BFINAL on the last block, BTYPE 00 (stored)
    view.setUint16(at + 1, block.length, true);
    view.setUint16(at + 3, ~block.length & 0xffff, true);
    out.set(block, at + 5);
    at += 5 + block.length;
  }
  view.setUint32(at, adler32(data));
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
