// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyCustodyChain } from '../../../src/evidence/custody-chain';
import {
  allCustody,
  openEvidenceDb,
  recordArtifactFailure,
  storeCapture,
  type EvidenceDb,
} from '../../../src/evidence/store';
import { RELIABILITY, reliabilityTitle } from '../../e2e/reliability-cases';
import { makeCapture } from '../factories';

let db: EvidenceDb;
let dbCount = 0;

beforeEach(async () => {
  db = await openEvidenceDb(`clock-${++dbCount}`);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a clock that jumps backwards', () => {
  it(reliabilityTitle(RELIABILITY.clockBackwards), async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
    await storeCapture(db, makeCapture({ id: 'a' }), [], 'Volunteer A');
    // The clock is set back an hour between two captures.
    vi.setSystemTime(new Date('2026-11-22T09:00:00.000Z'));
    await storeCapture(db, makeCapture({ id: 'b' }), [], 'Volunteer A');
    vi.setSystemTime(new Date('2026-11-22T09:00:05.000Z'));
    await recordArtifactFailure(db, 'b', 'post-render.png', 'the post left the page', 'Volunteer A');

    const log = await allCustody(db);
    expect(log.map((e) => [e.seq, e.captureId])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'b'],
    ]);
    expect(log[0]!.detail.clockNote).toBeUndefined();
    expect(log[1]!.at).toBe('2026-11-22T09:00:00.000Z');
    expect(log[1]!.detail.clockNote).toEqual({
      previousSeq: 1,
      previousAt: '2026-11-22T10:00:00.000Z',
      note: expect.stringMatching(/clock was set back or jumped.*ordered by sequence number/),
    });
    // Time moving forward again from the new reading is not a jump.
    expect(log[2]!.detail.clockNote).toBeUndefined();
    // The note is part of the hashed event: the chain still verifies, and removing it breaks it.
    expect(await verifyCustodyChain(log)).toEqual({ ok: true });
    const { clockNote: _dropped, ...rest } = log[1]!.detail;
    const forged = log.map((e, i) => (i === 1 ? { ...e, detail: rest } : e));
    expect((await verifyCustodyChain(forged)).ok).toBe(false);
  });

  it('does not note events made in the same millisecond', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
    await storeCapture(db, makeCapture({ id: 'a' }), [], 'A');
    await storeCapture(db, makeCapture({ id: 'b' }), [], 'A');
    expect((await allCustody(db)).map((e) => e.detail.clockNote)).toEqual([undefined, undefined]);
  });
});
