// @vitest-environment node
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  backoffMs,
  normaliseState,
  TimestampQueue,
  tsaOrigin,
  type TimestampDeps,
  type TimestampQueueState,
} from '../../../src/background/timestamps';
import { effectiveArtifacts } from '../../../src/evidence/effective';
import { parseTimeStampResponse, timeStampRequest } from '../../../src/evidence/rfc3161';
import {
  custodyFor,
  deleteCapture,
  openEvidenceDb,
  readArtifact,
  storeCapture,
  type EvidenceDb,
} from '../../../src/evidence/store';
import { makeCapture } from '../factories';
import { makeTestTsa, replyWithOpenssl, type TestTsa } from '../../harness/tsa-server';

const TSA_URL = 'https://tsa.example/tsr';

let dir: string;
let tsa: TestTsa;
let db: EvidenceDb;
let dbCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wb-tsq-'));
  tsa = await makeTestTsa(join(dir, 'tsa'));
}, 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  db = await openEvidenceDb(`timestamps-${++dbCount}`);
});

type Answer = (body: Uint8Array) => Promise<Response>;

/** A real openssl TSA behind a fake fetch. */
const opensslAnswer: Answer = async (body) =>
  new Response(new Uint8Array(await replyWithOpenssl(tsa, body)), {
    status: 200,
    headers: { 'content-type': 'application/timestamp-reply' },
  });

const unreachable: Answer = async () => {
  throw new TypeError('Failed to fetch');
};

/** A TimeStampResp with PKIStatus rejection (2) and the authority's words. */
function refusal(words: string): Answer {
  const text = [...new TextEncoder().encode(words)];
  const inner = [0x02, 0x01, 0x02, 0x30, text.length + 2, 0x0c, text.length, ...text];
  const statusInfo = [0x30, inner.length, ...inner];
  return async () => new Response(Uint8Array.from([0x30, statusInfo.length, ...statusInfo]), { status: 200 });
}

interface Harness {
  deps: TimestampDeps;
  queue: TimestampQueue;
  storage: Map<string, unknown>;
  requests: { url: string; init: RequestInit; body: Uint8Array }[];
  alarm: { on: boolean };
  clock: { now: number };
  settings: { timestampsEnabled: boolean; tsaUrl: string; capturedBy: string };
  permitted: Set<string>;
  answer: { next: Answer };
}

function harness(shared?: Pick<Harness, 'storage' | 'clock'>): Harness {
  const storage = shared?.storage ?? new Map<string, unknown>();
  const clock = shared?.clock ?? { now: Date.parse('2026-11-23T12:00:00.000Z') };
  const h: Omit<Harness, 'deps' | 'queue'> = {
    storage,
    requests: [],
    alarm: { on: false },
    clock,
    settings: { timestampsEnabled: true, tsaUrl: TSA_URL, capturedBy: 'Volunteer A' },
    permitted: new Set(['https://tsa.example/*']),
    answer: { next: opensslAnswer },
  };
  const deps: TimestampDeps = {
    // A structured clone, as extension storage keeps it.
    loadState: async () => structuredClone(storage.get('timestampQueue')),
    saveState: async (state) => void storage.set('timestampQueue', structuredClone(state)),
    fetch: async (url, init) => {
      const body = new Uint8Array(init.body as Uint8Array);
      h.requests.push({ url, init, body });
      return h.answer.next(body);
    },
    openDb: async () => db,
    readSettings: async () => ({ ...h.settings }),
    hasPermission: async (origin) => h.permitted.has(origin),
    setAlarm: async (on) => void (h.alarm.on = on),
    now: () => clock.now,
    nonce: () => 0x0102030405060708n,
  };
  return { ...h, deps, queue: new TimestampQueue(deps) };
}

/** A stored capture and the hash of its `captured` event. */
async function storedCapture(id: string): Promise<string> {
  const event = await storeCapture(db, makeCapture({ id }), [], 'Volunteer A');
  return event.hash;
}

function queueState(h: Harness): TimestampQueueState {
  return normaliseState(h.storage.get('timestampQueue'));
}

describe('the timestamp queue', () => {
  it('sends nothing and queues nothing while the setting is off', async () => {
    const h = harness();
    h.settings.timestampsEnabled = false;
    expect(await h.queue.enqueue('c1', await storedCapture('c1'))).toBe(false);
    await h.queue.process(true);
    expect(h.requests).toEqual([]);
    expect(queueState(h).jobs).toEqual([]);
    expect(h.alarm.on).toBe(false);
  });

  it("timestamps the capture's captured-event hash and stores the whole response as timestamp.tsr", async () => {
    const h = harness();
    const digest = await storedCapture('c1');
    await h.queue.enqueue('c1', digest);
    await h.queue.process();

    expect(h.requests).toHaveLength(1);
    const [request] = h.requests;
    expect(request!.url).toBe(TSA_URL);
    expect(request!.init.method).toBe('POST');
    expect(new Headers(request!.init.headers).get('content-type')).toBe('application/timestamp-query');
    expect(request!.init.credentials).toBe('omit');

    const events = await custodyFor(db, 'c1');
    const added = events.find((e) => e.action === 'artifact-added');
    expect(added?.detail).toMatchObject({
      tsaUrl: TSA_URL,
      digest,
      artifact: { name: 'timestamp.tsr', mime: 'application/timestamp-reply' },
    });
    const tsr = new Uint8Array(await (await readArtifact(db, 'c1', 'timestamp.tsr')).arrayBuffer());
    const parsed = parseTimeStampResponse(tsr, { sha256Hex: digest, nonce: 0x0102030405060708n });
    expect(parsed).toMatchObject({ status: 0, imprintMatches: true, nonceMatches: true });
    expect(added?.detail.genTime).toBe(parsed.genTime);
    expect(effectiveArtifacts(makeCapture({ id: 'c1' }), events).artifacts.map((a) => a.name)).toEqual([
      'timestamp.tsr',
    ]);

    expect(queueState(h).jobs).toEqual([]);
    expect(queueState(h).lastSuccess).toMatchObject({ captureId: 'c1', genTime: parsed.genTime, tsaUrl: TSA_URL });
    expect(h.alarm.on).toBe(false);
    expect(await h.queue.status()).toMatchObject({ enabled: true, permitted: true, queued: 0, lastError: null });
  });

  it('keeps the job when the authority is unreachable, backs off, and stores the token once it answers', async () => {
    const h = harness();
    h.answer.next = unreachable;
    const digest = await storedCapture('c1');
    await h.queue.enqueue('c1', digest);
    await h.queue.process();

    let state = queueState(h);
    expect(state.jobs).toMatchObject([{ captureId: 'c1', digest, attempts: 1, nextAttemptAt: h.clock.now + 60_000 }]);
    expect(state.lastError?.message).toMatch(
      /Could not reach the timestamp service at https:\/\/tsa\.example: Failed to fetch/,
    );
    expect(h.alarm.on).toBe(true);
    expect((await custodyFor(db, 'c1')).map((e) => e.action)).toEqual(['captured']);
    expect(await h.queue.status()).toMatchObject({
      queued: 1,
      nextAttemptAt: new Date(h.clock.now + 60_000).toISOString(),
    });

    // The alarm fires before the backoff is over: nothing is sent.
    h.answer.next = opensslAnswer;
    await h.queue.process();
    expect(h.requests).toHaveLength(1);

    // A second failure doubles the wait.
    h.clock.now += 60_000;
    h.answer.next = unreachable;
    await h.queue.process();
    expect(queueState(h).jobs[0]).toMatchObject({ attempts: 2, nextAttemptAt: h.clock.now + 120_000 });

    // The worker was stopped meanwhile: a new queue over the same storage carries on.
    const restarted = harness({ storage: h.storage, clock: h.clock });
    h.clock.now += 120_000;
    await restarted.queue.process();
    expect(restarted.requests).toHaveLength(1);
    expect((await custodyFor(db, 'c1')).map((e) => e.action)).toEqual(['captured', 'artifact-added']);
    state = queueState(restarted);
    expect(state.jobs).toEqual([]);
    expect(state.lastError).toBeNull();
    expect(restarted.alarm.on).toBe(false);
  });

  it('tries every job at once when asked to retry, whatever the backoff', async () => {
    const h = harness();
    h.answer.next = unreachable;
    await h.queue.enqueue('c1', await storedCapture('c1'));
    await h.queue.enqueue('c2', await storedCapture('c2'));
    await h.queue.process();
    expect(queueState(h).jobs).toHaveLength(2);
    h.answer.next = opensslAnswer;
    const status = await h.queue.retryAll();
    expect(status.queued).toBe(0);
    for (const id of ['c1', 'c2']) expect((await custodyFor(db, id)).map((e) => e.action)).toContain('artifact-added');
  });

  it('records a refusal as a failed timestamp.tsr with the reason, and does not retry it', async () => {
    const h = harness();
    h.answer.next = refusal('policy not accepted');
    await h.queue.enqueue('c1', await storedCapture('c1'));
    await h.queue.process();
    const failed = (await custodyFor(db, 'c1')).find((e) => e.action === 'artifact-failed');
    expect(failed?.detail).toMatchObject({ name: 'timestamp.tsr' });
    expect(String(failed?.detail.reason)).toMatch(/refused the request \(rejected: policy not accepted\)/);
    expect(queueState(h).jobs).toEqual([]);
    expect(queueState(h).lastError?.message).toMatch(/refused/);
    expect(effectiveArtifacts(makeCapture({ id: 'c1' }), await custodyFor(db, 'c1')).missing).toEqual([
      { name: 'timestamp.tsr', reason: failed?.detail.reason },
    ]);
  });

  it('retries, and stores nothing, when the answer is not a timestamp or not for this request', async () => {
    const h = harness();
    h.answer.next = async () => new Response('<html>Sign in to the hotel wifi</html>', { status: 200 });
    await h.queue.enqueue('c1', await storedCapture('c1'));
    await h.queue.process();
    expect(queueState(h).jobs[0]?.lastError).toMatch(/is not a timestamp/);

    // An answer to another request (another digest): a replay or a mix-up.
    h.answer.next = async () =>
      new Response(new Uint8Array(await replyWithOpenssl(tsa, timeStampRequest('00'.repeat(32), 0x0102030405060708n))));
    await h.queue.retryAll();
    expect(queueState(h).jobs[0]?.lastError).toMatch(/does not match the request/);

    h.answer.next = async () => new Response('busy', { status: 503, statusText: 'Service Unavailable' });
    await h.queue.retryAll();
    expect(queueState(h).jobs[0]?.lastError).toMatch(/HTTP 503/);
    expect((await custodyFor(db, 'c1')).map((e) => e.action)).toEqual(['captured']);
  });

  it('sends nothing to an origin the browser has not allowed', async () => {
    const h = harness();
    h.permitted.clear();
    await h.queue.enqueue('c1', await storedCapture('c1'));
    await h.queue.process();
    expect(h.requests).toEqual([]);
    expect(queueState(h).jobs[0]?.lastError).toMatch(/not allowed to contact https:\/\/tsa\.example/);
    expect((await h.queue.status()).permitted).toBe(false);
  });

  it('holds queued jobs while the setting is off, and sends them when it is on again', async () => {
    const h = harness();
    h.answer.next = unreachable;
    await h.queue.enqueue('c1', await storedCapture('c1'));
    await h.queue.process();
    h.settings.timestampsEnabled = false;
    h.answer.next = opensslAnswer;
    await h.queue.retryAll();
    expect(h.requests).toHaveLength(1);
    expect((await h.queue.status()).queued).toBe(1);
    // No alarm keeps waking the worker for nothing.
    expect(h.alarm.on).toBe(false);
    h.settings.timestampsEnabled = true;
    await h.queue.retryAll();
    expect(h.requests).toHaveLength(2);
    expect((await h.queue.status()).queued).toBe(0);
  });

  it('drops the job of a capture deleted meanwhile, and queues each capture once', async () => {
    const h = harness();
    h.answer.next = unreachable;
    const digest = await storedCapture('c1');
    await h.queue.enqueue('c1', digest);
    await h.queue.enqueue('c1', digest);
    await h.queue.process();
    expect(queueState(h).jobs).toHaveLength(1);
    await deleteCapture(db, 'c1', 'Volunteer A');
    h.answer.next = opensslAnswer;
    await h.queue.retryAll();
    expect(h.requests).toHaveLength(1);
    expect(queueState(h).jobs).toEqual([]);
  });

  it('never lets a broken queue fail the capture that queued it', async () => {
    const h = harness();
    h.deps.saveState = async () => {
      throw new Error('storage is broken');
    };
    await expect(h.queue.enqueue('c1', 'ab'.repeat(32))).resolves.toBe(false);
  });
});

describe('helpers', () => {
  it('accepts only http(s) authority addresses without credentials', () => {
    expect(tsaOrigin('https://freetsa.org/tsr')).toEqual({
      origin: 'https://freetsa.org',
      pattern: 'https://freetsa.org/*',
    });
    expect(tsaOrigin(' http://timestamp.digicert.com ')).toEqual({
      origin: 'http://timestamp.digicert.com',
      pattern: 'http://timestamp.digicert.com/*',
    });
    // No port in the pattern: Firefox cannot match one, Chrome matches every port without one.
    expect(tsaOrigin('http://localhost:8123/tsr')).toEqual({
      origin: 'http://localhost:8123',
      pattern: 'http://localhost/*',
    });
    expect(tsaOrigin('ftp://x.example/')).toHaveProperty('error');
    expect(tsaOrigin('https://user:pw@tsa.example/')).toHaveProperty('error');
    expect(tsaOrigin('freetsa.org')).toHaveProperty('error');
  });

  it('backs off from a minute, doubling, to at most an hour', () => {
    expect([1, 2, 3, 7, 20].map(backoffMs)).toEqual([60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  });

  it('drops damaged queue entries instead of trusting them', () => {
    expect(normaliseState({ jobs: [{ captureId: 'c1' }, 'x'], lastError: null })).toEqual({
      jobs: [],
      lastError: null,
      lastSuccess: null,
    });
    expect(normaliseState(undefined)).toEqual({ jobs: [], lastError: null, lastSuccess: null });
  });
});
