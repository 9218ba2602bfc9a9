// @vitest-environment node
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyCustodyChain } from '../../../src/evidence/custody-chain';
import {
  assignExhibitReferences,
  caseExhibits,
  exhibitFormatProblem,
  initialsOf,
  planExhibitReferences,
  setExhibitFormat,
} from '../../../src/evidence/exhibits';
import { allCustody, moveCapture, openEvidenceDb, storeCapture, type EvidenceDb } from '../../../src/evidence/store';
import { makeCapture } from '../factories';

let db: EvidenceDb;
let dbCount = 0;
beforeEach(async () => {
  db = await openEvidenceDb(`exhibits-${++dbCount}`);
});

describe('initialsOf', () => {
  it.each([
    ['Sam Okafor', 'SO'],
    ['sam okafor', 'SO'],
    ["Mary-Jane O'Neil", 'MJO'],
    ['José Núñez', 'JN'],
    ['  Volunteer   A ', 'VA'],
    ['Cllr. Jane Example', 'CJE'],
    ['', 'X'],
    ['123', 'X'],
  ])('%j -> %j', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
  });
});

describe('exhibitFormatProblem', () => {
  it.each(['{initials}{n}', 'WB/{initials}/{n}', 'EX{n}', '{n}'])('accepts %j', (f) => {
    expect(exhibitFormatProblem(f)).toBeNull();
  });
  it.each(['', '{initials}', '{n}{n}', '{initials}{initials}{n}', '<b>{n}', 'A {n}', 'x'.repeat(41)])(
    'refuses %j',
    (f) => {
      expect(exhibitFormatProblem(f)).not.toBeNull();
    },
  );
});

describe('planExhibitReferences', () => {
  it("numbers each producer's exhibits consecutively, in the order given", () => {
    const captures = [
      makeCapture({ id: 'a', capturedBy: 'Sam Okafor' }),
      makeCapture({ id: 'b', capturedBy: 'Sam Okafor' }),
      makeCapture({ id: 'c', capturedBy: 'Priya Shah' }),
      makeCapture({ id: 'd', capturedBy: 'Sam Okafor' }),
    ];
    const planned = planExhibitReferences(captures, caseExhibits([], 'case-1'), 'case-1');
    expect(planned.map((a) => [a.captureId, a.reference])).toEqual([
      ['a', 'SO1'],
      ['b', 'SO2'],
      ['c', 'PS1'],
      ['d', 'SO3'],
    ]);
  });

  it('skips a reference already used in the case, whoever has it', () => {
    const existing = caseExhibits(
      [
        {
          seq: 1,
          action: 'exhibit-assigned',
          captureId: 'old',
          detail: { caseId: 'case-1', reference: 'SO1', producer: 'Sue Other', initials: 'SO', number: 1 },
        },
      ],
      'case-1',
    );
    const planned = planExhibitReferences([makeCapture({ id: 'n', capturedBy: 'Sam Okafor' })], existing, 'case-1');
    expect(planned.map((a) => a.reference)).toEqual(['SO2']);
  });
});

describe('assignExhibitReferences', () => {
  it('gives each capture of the case one reference, once, each recorded in the custody log', async () => {
    await storeCapture(
      db,
      makeCapture({ id: 'p1', capturedBy: 'Sam Okafor', capturedAt: '2026-11-20T10:00:00Z' }),
      [],
      'Sam Okafor',
    );
    await storeCapture(
      db,
      makeCapture({
        id: 'pr1',
        kind: 'profile',
        parentId: 'p1',
        capturedBy: 'Sam Okafor',
        capturedAt: '2026-11-20T10:00:05Z',
      }),
      [],
      'Sam Okafor',
    );
    await storeCapture(
      db,
      makeCapture({ id: 'p0', capturedBy: 'Sam Okafor', capturedAt: '2026-11-19T10:00:00Z' }),
      [],
      'Sam Okafor',
    );
    await storeCapture(db, makeCapture({ id: 'other', caseId: 'case-2', capturedBy: 'Sam Okafor' }), [], 'Sam Okafor');

    const refs = await assignExhibitReferences(db, 'case-1', 'Staffer B');
    expect(Object.fromEntries(refs)).toEqual({ p0: 'SO1', p1: 'SO2', pr1: 'SO3' });
    const again = await assignExhibitReferences(db, 'case-1', 'Staffer B');
    expect(again).toEqual(refs);
    const log = await allCustody(db);
    expect(log.filter((e) => e.action === 'exhibit-assigned').map((e) => [e.captureId, e.detail.reference])).toEqual([
      ['p0', 'SO1'],
      ['p1', 'SO2'],
      ['pr1', 'SO3'],
    ]);
    expect(await verifyCustodyChain(log)).toEqual({ ok: true });
  });

  it('two windows assigning at once still give unique references', async () => {
    for (let i = 0; i < 6; i++) {
      await storeCapture(
        db,
        makeCapture({ id: `c${i}`, capturedBy: 'Sam Okafor', capturedAt: `2026-11-2${i}T10:00:00Z` }),
        [],
        'x',
      );
    }
    const [a, b] = await Promise.all([
      assignExhibitReferences(db, 'case-1', 'A'),
      assignExhibitReferences(db, 'case-1', 'B'),
    ]);
    expect(a).toEqual(b);
    expect(new Set(a.values()).size).toBe(6);
    expect((await allCustody(db)).filter((e) => e.action === 'exhibit-assigned')).toHaveLength(6);
  });

  it('a new format applies to references not yet given; a moved capture gets a reference in its new case', async () => {
    await storeCapture(
      db,
      makeCapture({ id: 'c1', capturedBy: 'Sam Okafor', capturedAt: '2026-11-20T10:00:00Z' }),
      [],
      'x',
    );
    await assignExhibitReferences(db, 'case-1', 'x');
    await setExhibitFormat(db, 'case-1', 'WB-{initials}-{n}', 'x');
    await expect(setExhibitFormat(db, 'case-1', 'no number', 'x')).rejects.toThrow(/\{n\}/);
    await storeCapture(
      db,
      makeCapture({ id: 'c2', capturedBy: 'Sam Okafor', capturedAt: '2026-11-21T10:00:00Z' }),
      [],
      'x',
    );
    expect(Object.fromEntries(await assignExhibitReferences(db, 'case-1', 'x'))).toEqual({ c1: 'SO1', c2: 'WB-SO-2' });

    await storeCapture(db, makeCapture({ id: 'c3', caseId: 'case-2', capturedBy: 'Sam Okafor' }), [], 'x');
    await assignExhibitReferences(db, 'case-2', 'x');
    await moveCapture(db, 'c1', 'case-2', 'x');
    expect(Object.fromEntries(await assignExhibitReferences(db, 'case-2', 'x'))).toEqual({ c3: 'SO1', c1: 'SO2' });
  });
});
