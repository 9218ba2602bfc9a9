// @vitest-environment node
// Node's Blob (jsdom's has no arrayBuffer(), which exporting needs), with a JSDOM page for the notes.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { exportCase } from '../../../src/bundle/collect';
import { verifyBundle } from '../../../src/bundle/verify';
import { captureProblems } from '../../../src/evidence/capture-schema';
import {
  allCaptureRecords,
  listCaptures,
  openEvidenceDb,
  queryCaptures,
  storeCapture,
  type EvidenceDb,
} from '../../../src/evidence/store';
import { damagedNotes } from '../../../src/ui/capture-list';
import { makeArtifactRef, makeCapture, makePng } from '../factories';

/** A store holding one genuine capture and one record damaged in storage: author {}, text 12345. */
async function storeWithDamage(): Promise<EvidenceDb> {
  const db = await openEvidenceDb(`damaged-${Math.random()}`);
  const png = makePng(4, 4);
  await storeCapture(
    db,
    makeCapture({ id: 'good', caseId: 'case-1', artifacts: [await makeArtifactRef('post.png', png)] }),
    [{ captureId: 'good', name: 'post.png', mime: 'image/png', blob: png }],
    'Volunteer A',
  );
  const broken = { ...makeCapture({ id: 'broken', caseId: 'case-1' }), author: {}, text: 12345 };
  // As a bug or a hand-edited store might leave it: written past every check.
  const tx = db.transaction('captures', 'readwrite');
  await tx.store.put(JSON.parse(JSON.stringify(broken)));
  await tx.done;
  return db;
}

const BROKEN_LINE =
  /^The stored capture broken \(captured .*\) is damaged and is not shown: capture\.author\.displayName is missing; .*capture\.text should be text, but is number 12345/;

describe('a damaged stored record', () => {
  it('is named by the schema, field by field', () => {
    expect(captureProblems({ ...makeCapture(), author: {}, text: 12345 })).toEqual([
      'capture.author.displayName is missing',
      'capture.author.handle is missing',
      'capture.author.profileUrl is missing',
      'capture.text should be text, but is number 12345',
    ]);
    expect(captureProblems(makeCapture())).toEqual([]);
  });

  it('is set aside by the manager list, the popup list and the author view, which show the rest', async () => {
    const db = await storeWithDamage();
    const page = await queryCaptures(db, {});
    expect(page.captures.map((c) => c.id)).toEqual(['good']);
    expect(page.damaged.map((d) => d.name)).toEqual([expect.stringMatching(/^capture broken/)]);
    const recent = await listCaptures(db, 5);
    expect(recent.captures.map((c) => c.id)).toEqual(['good']);
    expect(recent.damaged).toHaveLength(1);
    const all = await allCaptureRecords(db);
    expect(all.captures.map((c) => c.id)).toEqual(['good']);

    const doc = new JSDOM('').window.document;
    const notes = damagedNotes(doc, page.damaged);
    expect(notes === '' ? '' : notes.textContent).toMatch(BROKEN_LINE);
  });

  it('is left out of the case export, named, and the rest exports and verifies', async () => {
    const db = await storeWithDamage();
    const environment = { browser: 'Chromium-based 156', os: 'linux x86-64', extensionVersion: '0.1.0' };
    const bundle = await exportCase(db, { caseId: 'case-1', caseName: 'Case', exportedBy: 'Volunteer A', environment });
    expect(bundle.manifest.captures.map((c) => c.id)).toEqual(['good']);
    expect(bundle.leftOut.map((d) => d.name)).toEqual([expect.stringMatching(/^capture broken/)]);
    expect(await verifyBundle(bundle.zip)).toMatchObject({ ok: true });
  });
});
