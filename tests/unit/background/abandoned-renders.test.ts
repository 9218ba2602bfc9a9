// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { settleAbandonedRenders } from '../../../src/background/capture';
import { allCustody, openEvidenceDb, storeCapture, summarize } from '../../../src/evidence/store';
import { makeCapture } from '../factories';

describe('settleAbandonedRenders', () => {
  it('records a render lost with a stopped worker as failed, with the reason, and leaves recent ones alone', async () => {
    const db = await openEvidenceDb('abandoned-renders');
    const now = Date.parse('2026-11-23T12:00:00.000Z');
    const old = makeCapture({ id: 'old', capturedAt: '2026-11-23T11:58:00.000Z', pending: ['post-render.png'] });
    const fresh = makeCapture({ id: 'fresh', capturedAt: '2026-11-23T11:59:50.000Z', pending: ['post-render.png'] });
    for (const c of [old, fresh]) await storeCapture(db, c, [], 'Volunteer A');

    await settleAbandonedRenders(db, [old, fresh], now);
    await settleAbandonedRenders(db, [old, fresh], now); // settling twice records nothing more

    expect(await summarize(db, old)).toMatchObject({
      status: 'incomplete',
      missing: [
        { name: 'post-render.png', reason: 'Witness Box was stopped by the browser before this file was saved' },
      ],
    });
    expect((await summarize(db, fresh)).status).toBe('in-progress');
    expect((await allCustody(db)).map((e) => e.action)).toEqual(['captured', 'captured', 'artifact-failed']);
  });
});
