// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { isCustodyEvent, verifyCustodyChain } from '../../../src/evidence/custody-chain';
import {
  describeReport,
  reportsFromCustody,
  type CaptureReport,
  type StoredArtifact,
} from '../../../src/evidence/model';
import {
  addNote,
  allCustody,
  createCase,
  deleteCapture,
  listCases,
  matchesFilter,
  moveCapture,
  openEvidenceDb,
  queryCaptures,
  recordReport,
  storeCapture,
  tagCapture,
  type EvidenceDb,
} from '../../../src/evidence/store';
import { makeArtifactRef, makeCapture } from '../factories';

let db: EvidenceDb;
let n = 0;
beforeEach(async () => {
  db = await openEvidenceDb(`manager-${++n}`);
});

async function stored(id: string, overrides: Parameters<typeof makeCapture>[0] = {}) {
  const blob = new Blob([`bytes of ${id}`], { type: 'image/png' });
  const ref = await makeArtifactRef('post.png', blob);
  const capture = makeCapture({ id, artifacts: [ref], ...overrides });
  const artifact: StoredArtifact = { captureId: id, name: 'post.png', mime: 'image/png', blob };
  await storeCapture(db, capture, [artifact], 'Volunteer A');
  return capture;
}

const report: CaptureReport = {
  reportId: 'r1',
  recipientKind: 'police',
  recipient: 'West Yorkshire Police',
  reportedAt: '2026-11-21',
  reference: '13/1/26',
  outcome: '',
};

describe('cases', () => {
  it('creates a case with a case-created event and lists cases oldest first', async () => {
    const a = await createCase(db, { name: ' Campaign ', onBehalfOf: 'Jane' }, 'Priya');
    const b = await createCase(db, { name: 'Council', onBehalfOf: 'Jane' }, 'Priya');
    expect(a.name).toBe('Campaign');
    expect((await listCases(db)).map((c) => c.id)).toEqual([a.id, b.id]);
    const log = await allCustody(db);
    expect(log.map((e) => e.action)).toEqual(['case-created', 'case-created']);
    expect(log.every(isCustodyEvent)).toBe(true);
    await expect(createCase(db, { name: '  ', onBehalfOf: '' }, 'Priya')).rejects.toThrow('needs a name');
  });
});

describe('notes, tags, reports', () => {
  it('records each as a custody event on the capture, chain intact', async () => {
    await stored('c1');
    await addNote(db, 'c1', ' seen twice ', 'Priya');
    await tagCapture(db, 'c1', 'Threat', 'add', 'Priya');
    await recordReport(db, 'c1', report, 'Priya');
    await recordReport(db, 'c1', { ...report, outcome: 'charged' }, 'Priya');
    const log = await allCustody(db);
    expect(log.map((e) => e.action)).toEqual(['captured', 'noted', 'tagged', 'reported', 'reported']);
    expect(log[1]?.detail).toEqual({ note: 'seen twice' });
    expect(log[2]?.detail).toEqual({ tag: 'threat', op: 'add' });
    expect(reportsFromCustody('c1', log)).toEqual([{ ...report, outcome: 'charged' }]);
    expect(await verifyCustodyChain(log)).toEqual({ ok: true });
    expect(log.every(isCustodyEvent)).toBe(true);
  });

  it('refuses empty notes, reports without a recipient, and unknown captures', async () => {
    await stored('c1');
    await expect(addNote(db, 'c1', '  ', 'Priya')).rejects.toThrow('empty');
    await expect(recordReport(db, 'c1', { ...report, recipient: '' }, 'Priya')).rejects.toThrow('who it went to');
    await expect(addNote(db, 'nope', 'x', 'Priya')).rejects.toThrow('no longer stored');
    expect((await allCustody(db)).length).toBe(1);
  });

  it('describes a report in one line', () => {
    expect(describeReport(report)).toBe('West Yorkshire Police, 2026-11-21, ref 13/1/26, outcome not recorded');
  });
});

describe('moveCapture', () => {
  it('refiles the capture and its profile in one transaction with a moved event', async () => {
    await stored('p1');
    await stored('pr1', { kind: 'profile', parentId: 'p1' });
    const event = await moveCapture(db, 'p1', 'case-2', 'Priya');
    expect(event.detail).toEqual({ fromCaseId: 'case-1', toCaseId: 'case-2', captureIds: ['p1', 'pr1'] });
    expect((await db.get('captures', 'p1'))?.caseId).toBe('case-2');
    expect((await db.get('captures', 'pr1'))?.caseId).toBe('case-2');
    await expect(moveCapture(db, 'p1', 'case-2', 'Priya')).rejects.toThrow('already');
  });
});

describe('deleteCapture', () => {
  it('removes the records and bytes of the capture and its profile; the event keeps the hashes', async () => {
    const post = await stored('p1');
    const profile = await stored('pr1', { kind: 'profile', parentId: 'p1' });
    await stored('other');
    const event = await deleteCapture(db, 'p1', 'Priya', 'duplicate');
    expect(await db.get('captures', 'p1')).toBeUndefined();
    expect(await db.get('captures', 'pr1')).toBeUndefined();
    expect(await db.getAllFromIndex('artifacts', 'captureId', 'p1')).toEqual([]);
    expect(await db.getAllFromIndex('artifacts', 'captureId', 'pr1')).toEqual([]);
    expect(await db.getAllFromIndex('artifacts', 'captureId', 'other')).toHaveLength(1);
    expect(event.detail.reason).toBe('duplicate');
    expect(event.detail.captureIds).toEqual(['p1', 'pr1']);
    const deleted = event.detail.deleted as { captureId: string; artifacts: { sha256: string }[] }[];
    expect(deleted.map((d) => d.artifacts[0]?.sha256)).toEqual([
      post.artifacts[0]?.sha256,
      profile.artifacts[0]?.sha256,
    ]);
    expect(await verifyCustodyChain(await allCustody(db))).toEqual({ ok: true });
  });
});

describe('queryCaptures', () => {
  it('pages newest first through the index, 50 at a time, with ties on the same time kept apart', async () => {
    for (let i = 0; i < 120; i++) {
      const second = String(Math.floor(i / 2)).padStart(2, '0');
      await stored(`c${String(i).padStart(3, '0')}`, { capturedAt: `2026-11-20T18:00:${second}.000Z` });
    }
    const seen: string[] = [];
    let cursor = null;
    let pages = 0;
    do {
      const page = await queryCaptures(db, {}, cursor);
      seen.push(...page.captures.map((c) => c.id));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(120);
    const times = await Promise.all(seen.map(async (id) => (await db.get('captures', id))!.capturedAt));
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('filters by case, platform, author, text, dates and profile; skips profile captures', async () => {
    await stored('a', { capturedAt: '2026-11-01T10:00:00.000Z' });
    await stored('b', {
      capturedAt: '2026-11-02T10:00:00.000Z',
      platform: 'bluesky',
      author: { displayName: 'Lee Marsh', handle: 'leem', profileUrl: null },
      text: 'Go home',
    });
    await stored('c', { capturedAt: '2026-11-03T10:00:00.000Z', caseId: 'case-2' });
    await stored('pa', { capturedAt: '2026-11-01T10:00:01.000Z', kind: 'profile', parentId: 'a' });
    const ids = async (f: Parameters<typeof queryCaptures>[1]) =>
      (await queryCaptures(db, f)).captures.map((c) => c.id);
    expect(await ids({})).toEqual(['c', 'b', 'a']);
    expect(await ids({ caseId: 'case-1' })).toEqual(['b', 'a']);
    expect(await ids({ platform: 'bluesky' })).toEqual(['b']);
    expect(await ids({ author: '@LEEM' })).toEqual(['b']);
    expect(await ids({ author: 'marsh' })).toEqual(['b']);
    expect(await ids({ text: 'go HOME' })).toEqual(['b']);
    expect(await ids({ from: '2026-11-02', to: '2026-11-02' })).toEqual(['b']);
    expect(await ids({ from: '2026-11-03', to: '2026-11-01' })).toEqual([]);
    expect(await ids({ hasProfile: true })).toEqual(['a']);
    expect(await ids({ hasProfile: false })).toEqual(['c', 'b']);
  });

  it('matchesFilter treats the "to" date as the whole day', () => {
    const c = makeCapture({ capturedAt: '2026-11-20T23:59:59.000Z' });
    expect(matchesFilter(c, { to: '2026-11-20' })).toBe(true);
    expect(matchesFilter(c, { from: '2026-11-21' })).toBe(false);
  });
});
