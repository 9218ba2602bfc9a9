// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { verifyCustodyChain } from '../../../src/evidence/custody-chain';
import { allCustody, openEvidenceDb, readArtifact, storeCapture } from '../../../src/evidence/store';
import { makeCapture } from '../factories';

/**
 * The schema as version 1 shipped it, written with the raw IndexedDB API so
 * this test keeps describing the old store even after the code moves on.
 */
function openVersion1(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      const captures = db.createObjectStore('captures', { keyPath: 'id' });
      captures.createIndex('capturedAt', 'capturedAt');
      captures.createIndex('caseId', 'caseId');
      captures.createIndex('parentId', 'parentId');
      db.createObjectStore('artifacts', { keyPath: ['captureId', 'name'] }).createIndex('captureId', 'captureId');
      db.createObjectStore('custody', { keyPath: 'seq' }).createIndex('captureId', 'captureId');
      db.createObjectStore('cases', { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

describe('schema migration', () => {
  it('upgrades a version 1 store with every capture, artifact and custody event intact', async () => {
    const name = 'migration-v1';
    // Fill a v1 store through today's write path (its v1 stores are unchanged), then reopen it as v1.
    const old = await openVersion1(name);
    old.close();
    const legacy = await openEvidenceDbAtVersion1(name);
    await storeCapture(
      legacy,
      makeCapture({ id: 'old-capture' }),
      [
        {
          captureId: 'old-capture',
          name: 'post.html',
          mime: 'text/html',
          blob: new Blob(['<article>old</article>'], { type: 'text/html' }),
        },
      ],
      'Volunteer A',
    );
    legacy.close();

    const db = await openEvidenceDb(name);
    expect(db.version).toBe(3);
    expect([...db.objectStoreNames].sort()).toEqual([
      'artifacts',
      'captures',
      'cases',
      'custody',
      'keys',
      'trustedKeys',
    ]);
    expect((await db.get('captures', 'old-capture'))?.id).toBe('old-capture');
    expect(await (await readArtifact(db, 'old-capture', 'post.html')).text()).toBe('<article>old</article>');
    const log = await allCustody(db);
    expect(log.map((e) => e.action)).toEqual(['captured']);
    expect(await verifyCustodyChain(log)).toEqual({ ok: true });
  });
});

/** idb over the raw v1 database, so storeCapture can write to it as the v1 extension did. */
async function openEvidenceDbAtVersion1(name: string) {
  const { openDB } = await import('idb');
  return openDB(name, 1) as unknown as Awaited<ReturnType<typeof openEvidenceDb>>;
}
