// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyCustodyChain } from '../../../src/evidence/custody-chain';
import type { StoredArtifact } from '../../../src/evidence/model';
import {
  addLateArtifact,
  allCustody,
  commitWithCustody,
  listCaptures,
  openEvidenceDb,
  readArtifact,
  recordArtifactFailure,
  StorageFullError,
  storeCapture,
  summarize,
  type EvidenceDb,
} from '../../../src/evidence/store';
import { makeCapture } from '../factories';

let db: EvidenceDb;
let dbCount = 0;

beforeEach(async () => {
  db = await openEvidenceDb(`test-${++dbCount}`);
});

function artifactOf(captureId: string, name: StoredArtifact['name'], text: string): StoredArtifact {
  return { captureId, name, mime: 'text/plain', blob: new Blob([text], { type: 'text/plain' }) };
}

describe('storeCapture', () => {
  it('stores the capture, its artifacts and a custody event that starts the chain', async () => {
    const capture = makeCapture({ id: 'c1' });
    const event = await storeCapture(db, capture, [artifactOf('c1', 'post.html', '<article>')], 'Volunteer A');
    expect(event).toMatchObject({ seq: 1, action: 'captured', captureId: 'c1', actor: 'Volunteer A' });
    expect(await db.get('captures', 'c1')).toEqual(capture);
    expect(await (await readArtifact(db, 'c1', 'post.html')).text()).toBe('<article>');
    expect(await verifyCustodyChain(await allCustody(db))).toEqual({ ok: true });
  });

  it('stores nothing at all when any part of the write fails', async () => {
    await storeCapture(db, makeCapture({ id: 'c1' }), [], 'A');
    const clash = makeCapture({ id: 'c2' });
    // The same artifact twice violates the key: the whole transaction must roll back.
    const duplicate = [artifactOf('c2', 'post.html', 'a'), artifactOf('c2', 'post.html', 'b')];
    await expect(storeCapture(db, clash, duplicate, 'A')).rejects.toThrow();
    expect(await db.get('captures', 'c2')).toBeUndefined();
    expect(await db.getAllFromIndex('artifacts', 'captureId', 'c2')).toEqual([]);
    expect((await allCustody(db)).map((e) => e.seq)).toEqual([1]);
  });

  it('keeps the chain gap-free when many captures are stored at once', async () => {
    const captures = Array.from({ length: 12 }, (_, i) => makeCapture({ id: `c${i}` }));
    await Promise.all(captures.map((c) => storeCapture(db, c, [artifactOf(c.id, 'post.html', c.id)], 'A')));
    const log = await allCustody(db);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await verifyCustodyChain(log)).toEqual({ ok: true });
  });
});

describe('commitWithCustody', () => {
  it('turns a quota failure into "storage full" and writes nothing', async () => {
    const attempt = commitWithCustody(
      db,
      { at: 'now', actor: 'A', action: 'noted', captureId: null, detail: {} },
      ['captures'],
      () => [Promise.reject(new DOMException('quota', 'QuotaExceededError'))],
    );
    await expect(attempt).rejects.toBeInstanceOf(StorageFullError);
    await expect(attempt).rejects.toThrow(/Storage is full/);
    expect(await allCustody(db)).toEqual([]);
  });
});

describe('late artifacts and summaries', () => {
  it('reports in progress until the render arrives, then complete', async () => {
    const capture = makeCapture({ id: 'c1', pending: ['post-render.png'], missing: [] });
    await storeCapture(db, capture, [], 'A');
    expect((await summarize(db, capture)).status).toBe('in-progress');
    const ref = {
      name: 'post-render.png' as const,
      mime: 'image/png',
      bytes: 1,
      sha256: 'a'.repeat(64),
      hashedAt: 'now',
    };
    await addLateArtifact(
      db,
      { captureId: 'c1', name: 'post-render.png', mime: 'image/png', blob: new Blob(['x']) },
      ref,
      'A',
    );
    const summary = await summarize(db, capture);
    expect(summary.status).toBe('complete');
    expect(summary.artifactCount).toBe(capture.artifacts.length + 1);
  });

  it('reports incomplete with the reason when the render fails', async () => {
    const capture = makeCapture({ id: 'c1', pending: ['post-render.png'], missing: [] });
    await storeCapture(db, capture, [], 'A');
    await recordArtifactFailure(db, 'c1', 'post-render.png', 'tainted canvas', 'A');
    const summary = await summarize(db, capture);
    expect(summary.status).toBe('incomplete');
    expect(summary.missing).toEqual([{ name: 'post-render.png', reason: 'tainted canvas' }]);
    expect(await verifyCustodyChain(await allCustody(db))).toEqual({ ok: true });
  });
});

describe('listCaptures', () => {
  it('returns the newest first, up to the limit', async () => {
    for (const [id, at] of [
      ['a', '2026-11-20T10:00:00.000Z'],
      ['b', '2026-11-22T10:00:00.000Z'],
      ['c', '2026-11-21T10:00:00.000Z'],
    ] as const) {
      await storeCapture(db, makeCapture({ id, capturedAt: at }), [], 'A');
    }
    expect((await listCaptures(db, 2)).captures.map((c) => c.id)).toEqual(['b', 'c']);
  });
});
