import { describe, expect, it } from 'vitest';
import {
  type ChainResult,
  concernsCaptures,
  type CustodyLogEntry,
  fullEvents,
  GENESIS_HASH,
  hashCustodyEvent,
  isCustodyEvent,
  isCustodyLogEntry,
  isCustodyStandIn,
  isStandIn,
  nextCustodyEvent,
  redactCustody,
  standInFor,
  verifyCustodyChain,
} from '../../../src/evidence/custody-chain';
import type { CustodyEvent } from '../../../src/evidence/model';
import { canonicalJson, sha256Hex } from '../../../src/evidence/sha256';
import { makeCustodyLog } from '../factories';

const messageOf = (result: ChainResult): string => (result.ok ? 'ok' : result.message);

const fiveEvents = (): Promise<CustodyEvent[]> =>
  makeCustodyLog([
    { action: 'captured', captureId: 'c1', detail: { kind: 'post' } },
    { action: 'noted', captureId: 'c1', detail: { note: 'First seen by the candidate' } },
    { action: 'captured', captureId: 'c2', detail: { kind: 'profile' } },
    { action: 'tagged', captureId: 'c1', detail: { tag: 'threat' } },
    { action: 'exported', detail: { fileName: 'witness-box-case-20261122T101530Z.zip' } },
  ]);

describe('hashCustodyEvent', () => {
  it('is the SHA-256 of the canonical JSON of every field but the hash', async () => {
    const [event] = await fiveEvents();
    if (!event) throw new Error('no event');
    const { hash, ...rest } = event;
    const expected = await sha256Hex(new TextEncoder().encode(canonicalJson(rest)));
    expect(hash).toBe(expected);
    expect(await hashCustodyEvent(event)).toBe(expected);
  });

  it('does not depend on the order fields were written in', async () => {
    const body = {
      at: '2026-11-20T18:42:08.000Z',
      actor: 'A',
      action: 'noted' as const,
      captureId: null,
      detail: { b: 1, a: 2 },
    };
    const reordered = { detail: { a: 2, b: 1 }, captureId: null, action: 'noted' as const, actor: 'A', at: body.at };
    expect(await hashCustodyEvent({ ...body, seq: 1, prevHash: GENESIS_HASH })).toBe(
      await hashCustodyEvent({ ...reordered, prevHash: GENESIS_HASH, seq: 1 }),
    );
  });
});

describe('nextCustodyEvent', () => {
  it('starts a log at seq 1 from the genesis hash, then links each event to the last', async () => {
    const body = { at: '2026-11-20T18:42:08.000Z', actor: 'A', action: 'noted' as const, captureId: null, detail: {} };
    const first = await nextCustodyEvent(null, body);
    const second = await nextCustodyEvent(first, body);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });
});

describe('verifyCustodyChain', () => {
  it('accepts an intact log, and an empty one', async () => {
    expect(await verifyCustodyChain(await fiveEvents())).toEqual({ ok: true });
    expect(await verifyCustodyChain([])).toEqual({ ok: true });
  });

  it('names the event whose detail was edited', async () => {
    const log = await fiveEvents();
    const edited = log.map((e) => (e.seq === 2 ? { ...e, detail: { note: 'Never seen' } } : e));
    const result = await verifyCustodyChain(edited);
    expect(result).toMatchObject({ ok: false, seq: 2 });
    expect(messageOf(result)).toMatch(/event 2 .*has been changed since it was recorded/);
  });

  it('names the next event when an edit was covered by recomputing the edited hash', async () => {
    const log = await fiveEvents();
    const target = log[2] as CustodyEvent;
    const forged = { ...target, actor: 'Someone else' };
    forged.hash = await hashCustodyEvent(forged);
    const result = await verifyCustodyChain(log.map((e) => (e.seq === 3 ? forged : e)));
    expect(result).toMatchObject({ ok: false, seq: 4 });
    expect(messageOf(result)).toMatch(/event 4 does not link to event 3/);
  });

  it('reports a removed event as a gap, naming the missing seq', async () => {
    const log = await fiveEvents();
    const result = await verifyCustodyChain(log.filter((e) => e.seq !== 3));
    expect(result).toMatchObject({ ok: false, seq: 3 });
    expect(messageOf(result)).toMatch(/event 3 is missing: event 2 is followed by event 4/);
  });

  it('reports several removed events as one gap', async () => {
    const log = await fiveEvents();
    const result = await verifyCustodyChain(log.filter((e) => e.seq !== 2 && e.seq !== 3));
    expect(messageOf(result)).toMatch(/events 2 to 3 are missing/);
  });

  it('reports reordered events as out of order', async () => {
    const [a, b, c, d, e] = (await fiveEvents()) as [
      CustodyEvent,
      CustodyEvent,
      CustodyEvent,
      CustodyEvent,
      CustodyEvent,
    ];
    const result = await verifyCustodyChain([a, c, b, d, e]);
    expect(result).toMatchObject({ ok: false, seq: 3 });
    expect(messageOf(result)).toMatch(/event 3 is out of order/);
  });

  it('reports a whole log that lost its first events', async () => {
    const log = await fiveEvents();
    const result = await verifyCustodyChain(log.slice(2));
    expect(result).toMatchObject({ ok: false, seq: 1 });
    expect(messageOf(result)).toMatch(/starts at event 3/);
  });

  it('reports a first event that does not start from the genesis hash', async () => {
    const [first, ...rest] = await fiveEvents();
    if (!first) throw new Error('no event');
    const moved = { ...first, prevHash: 'f'.repeat(64) };
    moved.hash = await hashCustodyEvent(moved);
    expect(await verifyCustodyChain([moved, ...rest])).toMatchObject({ ok: false, seq: 1 });
  });

  describe('partial (a bundle log that starts mid-chain)', () => {
    it('accepts a run that starts after event 1', async () => {
      expect(await verifyCustodyChain((await fiveEvents()).slice(2), { partial: true })).toEqual({ ok: true });
    });

    it('still checks each event and the links between them', async () => {
      const tail = (await fiveEvents()).slice(1);
      const edited = tail.map((e) => (e.seq === 4 ? { ...e, detail: { tag: 'spam' } } : e));
      expect(await verifyCustodyChain(edited, { partial: true })).toMatchObject({ ok: false, seq: 4 });
      expect(
        await verifyCustodyChain(
          tail.filter((e) => e.seq !== 3),
          { partial: true },
        ),
      ).toMatchObject({ ok: false, seq: 3 });
    });

    it('holds a run starting at event 1 to the genesis rule', async () => {
      const [first, ...rest] = await fiveEvents();
      if (!first) throw new Error('no event');
      const moved = { ...first, prevHash: 'f'.repeat(64) };
      moved.hash = await hashCustodyEvent(moved);
      expect(await verifyCustodyChain([moved, ...rest], { partial: true })).toMatchObject({ ok: false, seq: 1 });
    });
  });
});

describe('isCustodyEvent', () => {
  it('accepts a real event and rejects near misses', async () => {
    const [event] = await fiveEvents();
    expect(isCustodyEvent(event)).toBe(true);
    expect(isCustodyEvent({ ...event, seq: '1' })).toBe(false);
    expect(isCustodyEvent({ ...event, action: 'rewritten' })).toBe(false);
    expect(isCustodyEvent({ ...event, detail: null })).toBe(false);
    expect(isCustodyEvent(null)).toBe(false);
  });
});

describe('redactCustody (a bundle log without other cases)', () => {
  /** Two cases interleaved: c1, c2 in the exported case; x1 in another; exports of each. */
  const mixedLog = (): Promise<CustodyEvent[]> =>
    makeCustodyLog([
      { action: 'captured', captureId: 'c1', detail: { kind: 'post' } },
      { action: 'captured', captureId: 'x1', detail: { kind: 'post', url: 'https://x.com/other/status/1' } },
      { action: 'noted', captureId: 'x1', detail: { note: "Other case: the candidate's home address was posted" } },
      { action: 'captured', captureId: 'c2', detail: { kind: 'profile' } },
      { action: 'exported', detail: { fileName: 'other-case.zip', captureIds: ['x1'] } },
      { action: 'exported', detail: { fileName: 'this-case.zip', captureIds: ['c1', 'c2'] } },
      { action: 'verified', detail: { fileName: 'someone-else.zip', ok: true } },
    ]);
  const mine = new Set(['c1', 'c2']);

  it('keeps events about the exported captures and their exports; the rest become stand-ins', async () => {
    const log = await mixedLog();
    const redacted = redactCustody(log, mine);
    expect(redacted.map((e) => (isStandIn(e) ? `${e.seq}:withheld` : `${e.seq}:${e.action}`))).toEqual([
      '1:captured',
      '2:withheld',
      '3:withheld',
      '4:captured',
      '5:withheld',
      '6:exported',
      '7:withheld',
    ]);
    expect(redacted[1]).toEqual({ seq: 2, prevHash: log[0]?.hash, hash: log[1]?.hash, redacted: true });
    expect(JSON.stringify(redacted)).not.toMatch(/x1|other|address|someone-else/);
    expect(fullEvents(redacted).map((e) => e.seq)).toEqual([1, 4, 6]);
  });

  it('leaves a chain that verifies, from event 1, link by link across the stand-ins', async () => {
    const redacted = redactCustody(await mixedLog(), mine);
    expect(await verifyCustodyChain(redacted)).toEqual({ ok: true });
    expect(await verifyCustodyChain(redacted.slice(1), { partial: true })).toEqual({ ok: true });
  });

  it('still catches an edited event next to a stand-in', async () => {
    const redacted = redactCustody(await mixedLog(), mine);
    const edited = redacted.map((e) => (e.seq === 4 && !isStandIn(e) ? { ...e, actor: 'Someone else' } : e));
    expect(await verifyCustodyChain(edited)).toMatchObject({ ok: false, seq: 4 });
  });

  it('catches a stand-in whose hash was altered, at the event after it', async () => {
    const redacted = redactCustody(await mixedLog(), mine);
    const forged = redacted.map((e) => (e.seq === 3 ? { ...e, hash: 'a'.repeat(64) } : e));
    const result = await verifyCustodyChain(forged);
    expect(result).toMatchObject({ ok: false, seq: 4 });
    expect(messageOf(result)).toMatch(/event 4 does not link to event 3/);
  });

  it('catches a stand-in removed from the run', async () => {
    const redacted = redactCustody(await mixedLog(), mine);
    expect(await verifyCustodyChain(redacted.filter((e) => e.seq !== 5))).toMatchObject({ ok: false, seq: 5 });
  });

  it('does not let "redacted": true on a full event switch off the check of its contents', async () => {
    const log = await mixedLog();
    const sneaky = log.map((e): CustodyLogEntry =>
      e.seq === 2 ? ({ ...e, detail: { note: 'changed' }, redacted: true } as CustodyLogEntry) : e,
    );
    expect(isStandIn(sneaky[1] as CustodyLogEntry)).toBe(false);
    expect(await verifyCustodyChain(sneaky)).toMatchObject({ ok: false, seq: 2 });
  });
});

describe('concernsCaptures', () => {
  it('matches events on a capture, and capture-less events that list one', async () => {
    const [onC1, exportBoth, exportOther, bare] = await makeCustodyLog([
      { action: 'noted', captureId: 'c1' },
      { action: 'exported', detail: { captureIds: ['x1', 'c1'] } },
      { action: 'exported', detail: { captureIds: ['x1'] } },
      { action: 'verified', detail: { captureIds: 'c1' } },
    ]);
    const ids = new Set(['c1']);
    expect([onC1, exportBoth, exportOther, bare].map((e) => concernsCaptures(e as CustodyEvent, ids))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('isCustodyStandIn', () => {
  it('accepts exactly {seq, prevHash, hash, redacted: true}', async () => {
    const [event] = await fiveEvents();
    const standIn = standInFor(event as CustodyEvent);
    expect(isCustodyStandIn(standIn)).toBe(true);
    expect(isCustodyLogEntry(standIn)).toBe(true);
    expect(isCustodyStandIn({ ...standIn, actor: 'hidden extra' })).toBe(false);
    expect(isCustodyStandIn({ ...standIn, redacted: 'yes' })).toBe(false);
    expect(isCustodyStandIn({ ...standIn, hash: 'not hex' })).toBe(false);
    expect(isCustodyLogEntry(event)).toBe(true);
    expect(isCustodyLogEntry({ seq: 1 })).toBe(false);
  });
});
