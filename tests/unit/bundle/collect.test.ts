// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest';
import { exportCase } from '../../../src/bundle/collect';
import { captureOrder } from '../../../src/evidence/exhibits';
import { verifyBundle } from '../../../src/bundle/verify';
import { isStandIn, verifyCustodyChain } from '../../../src/evidence/custody-chain';
import { allCustody, openEvidenceDb, storeCapture, type EvidenceDb } from '../../../src/evidence/store';
import { makeArtifactRef, makeCapture, makePng } from '../factories';
import { asText, unzipAll } from './sample-bundle';

let db: EvidenceDb;
let dbCount = 0;
const environment = { browser: 'Chromium-based 156', os: 'linux x86-64', extensionVersion: '0.1.0' };

async function capture(id: string, caseId: string, capturedAt: string): Promise<void> {
  const png = makePng(4, 4);
  const c = makeCapture({ id, caseId, capturedAt, artifacts: [await makeArtifactRef('post.png', png)] });
  await storeCapture(db, c, [{ captureId: id, name: 'post.png', mime: 'image/png', blob: png }], 'Volunteer A');
}

beforeEach(async () => {
  db = await openEvidenceDb(`collect-${++dbCount}`);
  await db.put('cases', {
    id: 'mine',
    name: 'Mine',
    onBehalfOf: 'Cllr Jane Example',
    createdAt: '2026-11-01T00:00:00.000Z',
  });
  await capture('m1', 'mine', '2026-11-20T10:00:00.000Z');
  await capture('o1', 'other', '2026-11-20T11:00:00.000Z'); // another case's capture, between ours
  await capture('m2', 'mine', '2026-11-20T12:00:00.000Z');
});

describe('exportCase', () => {
  it("bundles the whole chain from event 1, with other cases' events as stand-ins, and verifies", async () => {
    await exportCase(db, { caseId: 'other', caseName: 'Other', exportedBy: 'Staffer C', environment });
    const bundle = await exportCase(db, { caseId: 'mine', caseName: 'Mine', exportedBy: 'Staffer B', environment });

    const log = bundle.manifest.custody;
    expect(log.map((e) => (isStandIn(e) ? `${e.seq}:withheld` : `${e.seq}:${e.action}:${e.captureId}`))).toEqual([
      '1:captured:m1',
      '2:withheld', // o1 captured
      '3:captured:m2',
      '4:withheld', // o1's exhibit reference, given when its case was exported
      '5:withheld', // the other case's export
      '6:exhibit-assigned:m1',
      '7:exhibit-assigned:m2',
    ]);
    expect(await verifyCustodyChain(log)).toEqual({ ok: true });
    expect(JSON.stringify(log)).not.toMatch(/o1|Staffer C|Other/);
    const files = await unzipAll(bundle.zip);
    expect(asText(files.get('custody-log.jsonl'))).not.toMatch(/o1|Staffer C/);
    expect(await verifyBundle(bundle.zip)).toMatchObject({ ok: true, custodyEvents: 7, standIns: 3 });
  });

  it("keeps this case's earlier exports in full, and records the new export with its case and profile", async () => {
    await exportCase(db, { caseId: 'mine', caseName: 'Mine', exportedBy: 'Staffer B', environment });
    const second = await exportCase(db, {
      caseId: 'mine',
      caseName: 'Mine',
      exportedBy: 'Staffer B',
      environment,
      profile: 'platform',
    });
    expect(second.manifest.profile).toBe('platform');
    const events = await allCustody(db);
    expect(events.at(-1)).toMatchObject({
      action: 'exported',
      captureId: null,
      detail: { caseId: 'mine', profile: 'platform', captureIds: ['m1', 'm2'], fileName: second.fileName },
    });
    const police = await exportCase(db, { caseId: 'mine', caseName: 'Mine', exportedBy: 'Staffer B', environment });
    expect(police.manifest.custody.filter((e) => !isStandIn(e) && e.action === 'exported')).toHaveLength(2);
  });

  it('puts who the case is for on the report', async () => {
    const bundle = await exportCase(db, { caseId: 'mine', caseName: 'Mine', exportedBy: 'Staffer B', environment });
    expect(asText((await unzipAll(bundle.zip)).get('README.txt'))).toContain('On behalf of: Cllr Jane Example');
  });
});

describe('captureOrder', () => {
  it('puts parents before children, oldest first', () => {
    const a = makeCapture({ id: 'a', capturedAt: '2026-11-20T10:00:00Z' });
    const child = makeCapture({ id: 'c', kind: 'profile', parentId: 'a', capturedAt: '2026-11-20T10:00:01Z' });
    const b = makeCapture({ id: 'b', capturedAt: '2026-11-20T09:00:00Z' });
    expect(captureOrder([child, a, b]).map((c) => c.id)).toEqual(['b', 'a', 'c']);
  });
});
