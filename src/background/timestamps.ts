import { browser } from 'wxt/browser';
import type { ArtifactRef, Settings } from '../evidence/model';
import { addLateArtifact, getCapture, openEvidenceDb, recordArtifactFailure, type EvidenceDb } from '../evidence/store';
import {
  describeStatus,
  parseTimeStampResponse,
  randomNonce,
  timeStampRequest,
  TimestampFormatError,
} from '../evidence/rfc3161';
import { sha256Hex } from '../evidence/sha256';
import { readSettings } from './settings';

/**
 * Opt-in RFC 3161 trusted timestamps. After a capture is stored, the hash of
 * its `captured` custody event (which covers the capture's id and every
 * artifact's SHA-256) is sent to the time-stamping authority the user named;
 * the authority's whole TimeStampResp is stored as the capture's
 * `timestamp.tsr` artifact. Only that fingerprint leaves the computer, and
 * only when the user turned timestamps on and allowed the authority's origin.
 *
 * A timestamp never blocks or fails a capture. Jobs wait in extension storage
 * (the worker is stopped when idle), are retried with backoff by an alarm that
 * wakes the worker, and end either with the token stored or, when the
 * authority refuses, with an `artifact-failed` event that says why.
 */

export const TIMESTAMP_ARTIFACT = 'timestamp.tsr' as const;
export const TIMESTAMP_MIME = 'application/timestamp-reply';
export const QUEUE_KEY = 'timestampQueue';
export const RETRY_ALARM = 'witness-box-timestamps';
/** The alarm's period; each job also waits out its own backoff. */
export const RETRY_PERIOD_MINUTES = 1;
const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 60 * 60_000;
const REQUEST_TIMEOUT_MS = 30_000;

export interface TimestampJob {
  captureId: string;
  /** The `captured` event's hash, hex SHA-256: what the authority is asked to timestamp. */
  digest: string;
  queuedAt: string;
  attempts: number;
  /** Epoch milliseconds; the job is not tried before. */
  nextAttemptAt: number;
  lastError?: string;
}

export interface TimestampQueueState {
  jobs: TimestampJob[];
  lastError: { at: string; message: string; captureId: string | null } | null;
  lastSuccess: { at: string; captureId: string; genTime: string; tsaUrl: string } | null;
}

export interface TimestampStatus {
  enabled: boolean;
  tsaUrl: string;
  /** Whether the browser lets Witness Box contact the authority's origin (false when no valid URL is set). */
  permitted: boolean;
  queued: number;
  /** When the next queued job will be tried (ISO), or null when none is queued. */
  nextAttemptAt: string | null;
  lastError: TimestampQueueState['lastError'];
  lastSuccess: TimestampQueueState['lastSuccess'];
}

type TimestampSettings = Pick<Settings, 'timestampsEnabled' | 'tsaUrl' | 'capturedBy'>;

/** Everything the queue touches outside itself, so tests can run it with fakes. */
export interface TimestampDeps {
  loadState(): Promise<unknown>;
  saveState(state: TimestampQueueState): Promise<void>;
  fetch(url: string, init: RequestInit): Promise<Response>;
  openDb(): Promise<EvidenceDb>;
  readSettings(): Promise<TimestampSettings>;
  /** Whether the extension holds host permission for a match pattern (e.g. "https://freetsa.org/*"). */
  hasPermission(pattern: string): Promise<boolean>;
  /** Makes sure the retry alarm exists (true) or is gone (false). */
  setAlarm(on: boolean): Promise<void>;
  now(): number;
  nonce(): bigint;
}

export const browserDeps: TimestampDeps = {
  loadState: async () => (await browser.storage.local.get(QUEUE_KEY))[QUEUE_KEY],
  saveState: (state) => browser.storage.local.set({ [QUEUE_KEY]: state }),
  fetch: (url, init) => fetch(url, init),
  openDb: () => openEvidenceDb(),
  readSettings,
  hasPermission: (pattern) => browser.permissions.contains({ origins: [pattern] }),
  setAlarm: async (on) => {
    if (!on) {
      await browser.alarms.clear(RETRY_ALARM);
      return;
    }
    // Creating it again would restart its period: leave a running alarm alone.
    if (!(await browser.alarms.get(RETRY_ALARM))) {
      await browser.alarms.create(RETRY_ALARM, {
        delayInMinutes: RETRY_PERIOD_MINUTES,
        periodInMinutes: RETRY_PERIOD_MINUTES,
      });
    }
  },
  now: () => Date.now(),
  nonce: randomNonce,
};

/**
 * The origin of a TSA URL and the host permission pattern that covers it, or
 * an error in words: only http and https, no credentials in the URL (they
 * would be sent to the authority in the clear). The pattern has no port:
 * Firefox's match patterns cannot hold one, and in Chrome a port-less pattern
 * covers every port of the host.
 */
export function tsaOrigin(tsaUrl: string): { origin: string; pattern: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(tsaUrl.trim());
  } catch {
    return {
      error: 'The timestamp service address is not a web address (it should look like https://freetsa.org/tsr).',
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { error: 'The timestamp service address must start with https:// or http://.' };
  }
  if (url.username || url.password)
    return { error: 'The timestamp service address must not hold a user name or password.' };
  return { origin: url.origin, pattern: `${url.protocol}//${url.hostname}/*` };
}

function emptyState(): TimestampQueueState {
  return { jobs: [], lastError: null, lastSuccess: null };
}

function isJob(value: unknown): value is TimestampJob {
  if (typeof value !== 'object' || value === null) return false;
  const j = value as Record<string, unknown>;
  return (
    typeof j.captureId === 'string' &&
    typeof j.digest === 'string' &&
    /^[0-9a-f]{64}$/.test(j.digest) &&
    typeof j.queuedAt === 'string' &&
    typeof j.attempts === 'number' &&
    typeof j.nextAttemptAt === 'number'
  );
}

/** Reads stored state defensively: a damaged entry is dropped, not trusted. */
export function normaliseState(raw: unknown): TimestampQueueState {
  if (typeof raw !== 'object' || raw === null) return emptyState();
  const r = raw as Partial<TimestampQueueState>;
  return {
    jobs: Array.isArray(r.jobs) ? r.jobs.filter(isJob) : [],
    lastError: r.lastError && typeof r.lastError === 'object' ? r.lastError : null,
    lastSuccess: r.lastSuccess && typeof r.lastSuccess === 'object' ? r.lastSuccess : null,
  };
}

export function backoffMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** How one attempt ended. */
type Attempt =
  | { kind: 'stored'; genTime: string }
  /** The authority refused for good: recorded as artifact-failed, not retried. */
  | { kind: 'refused'; reason: string }
  /** The capture is gone, or already has its token: nothing left to do. */
  | { kind: 'done' }
  | { kind: 'retry'; reason: string };

/**
 * The queue. Kept in storage, so any number of worker lifetimes can share it;
 * within one worker, state changes run one at a time, and one pass over the
 * queue runs at a time.
 */
export class TimestampQueue {
  private lock: Promise<unknown> = Promise.resolve();
  private pass: Promise<void> | null = null;
  private passAgain = false;

  constructor(private readonly deps: TimestampDeps) {}

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.lock.then(work, work);
    this.lock = next.catch(() => undefined);
    return next;
  }

  private update(change: (state: TimestampQueueState) => void): Promise<TimestampQueueState> {
    return this.serial(async () => {
      const state = normaliseState(await this.deps.loadState());
      change(state);
      await this.deps.saveState(state);
      return state;
    });
  }

  /**
   * Queues a capture for a timestamp when the setting is on, and starts a pass.
   * Never throws: a timestamp must not be able to fail a capture.
   */
  async enqueue(captureId: string, digest: string): Promise<boolean> {
    try {
      const settings = await this.deps.readSettings();
      if (!settings.timestampsEnabled) return false;
      const now = this.deps.now();
      await this.update((state) => {
        if (state.jobs.some((j) => j.captureId === captureId)) return;
        state.jobs.push({ captureId, digest, queuedAt: new Date(now).toISOString(), attempts: 0, nextAttemptAt: now });
      });
      await this.deps.setAlarm(true);
      void this.process();
      return true;
    } catch (error) {
      console.error('[witness-box] could not queue a timestamp', error);
      return false;
    }
  }

  /** Tries every job that is due (all of them when `all`); resolves when the pass ends. */
  process(all = false): Promise<void> {
    if (this.pass) {
      this.passAgain = true;
      return this.pass;
    }
    this.pass = (async () => {
      try {
        let forceAll = all;
        do {
          this.passAgain = false;
          await this.runPass(forceAll);
          forceAll = false;
        } while (this.passAgain);
      } catch (error) {
        console.error('[witness-box] timestamp pass failed', error);
      } finally {
        this.pass = null;
      }
    })();
    return this.pass;
  }

  /** The Retry button: every queued job, now, whatever its backoff says. */
  async retryAll(): Promise<TimestampStatus> {
    // A pass already running may be waiting out nothing but its own jobs: let it finish, then try all.
    if (this.pass) await this.pass;
    await this.process(true);
    return this.status();
  }

  async status(): Promise<TimestampStatus> {
    const [settings, state] = await Promise.all([
      this.deps.readSettings(),
      this.serial(async () => normaliseState(await this.deps.loadState())),
    ]);
    const target = settings.tsaUrl ? tsaOrigin(settings.tsaUrl) : null;
    const permitted =
      target !== null && 'pattern' in target ? await this.deps.hasPermission(target.pattern).catch(() => false) : false;
    const next = state.jobs.reduce<number | null>(
      (min, j) => (min === null || j.nextAttemptAt < min ? j.nextAttemptAt : min),
      null,
    );
    return {
      enabled: settings.timestampsEnabled,
      tsaUrl: settings.tsaUrl,
      permitted,
      queued: state.jobs.length,
      nextAttemptAt: next === null ? null : new Date(next).toISOString(),
      lastError: state.lastError,
      lastSuccess: state.lastSuccess,
    };
  }

  private async runPass(all: boolean): Promise<void> {
    const settings = await this.deps.readSettings();
    const state = await this.serial(async () => normaliseState(await this.deps.loadState()));
    if (state.jobs.length === 0) {
      await this.deps.setAlarm(false);
      return;
    }
    // Turned off: nothing is sent; the jobs wait in case it is turned on again (saving it on retries them).
    if (!settings.timestampsEnabled) {
      await this.deps.setAlarm(false);
      return;
    }
    const now = this.deps.now();
    const due = state.jobs.filter((j) => all || j.nextAttemptAt <= now);
    for (const job of due) {
      const outcome = await this.attempt(job, settings).catch((error: unknown): Attempt => ({
        kind: 'retry',
        reason: messageOf(error),
      }));
      await this.settle(job, outcome, settings);
    }
    const left = normaliseState(await this.serial(() => this.deps.loadState())).jobs.length;
    await this.deps.setAlarm(left > 0);
  }

  private async settle(job: TimestampJob, outcome: Attempt, settings: TimestampSettings): Promise<void> {
    const at = new Date(this.deps.now()).toISOString();
    if (outcome.kind === 'refused') {
      const db = await this.deps.openDb();
      await recordArtifactFailure(db, job.captureId, TIMESTAMP_ARTIFACT, outcome.reason, settings.capturedBy);
    }
    await this.update((state) => {
      const index = state.jobs.findIndex((j) => j.captureId === job.captureId);
      if (outcome.kind === 'retry') {
        const current = state.jobs[index];
        if (current) {
          current.attempts += 1;
          current.nextAttemptAt = this.deps.now() + backoffMs(current.attempts);
          current.lastError = outcome.reason;
        }
        state.lastError = { at, message: outcome.reason, captureId: job.captureId };
        return;
      }
      if (index >= 0) state.jobs.splice(index, 1);
      if (outcome.kind === 'stored') {
        state.lastSuccess = { at, captureId: job.captureId, genTime: outcome.genTime, tsaUrl: settings.tsaUrl };
        // The authority answered: an earlier "could not reach it" no longer describes things.
        if (state.jobs.every((j) => j.lastError === undefined)) state.lastError = null;
      } else if (outcome.kind === 'refused') {
        state.lastError = { at, message: outcome.reason, captureId: job.captureId };
      }
    });
  }

  private async attempt(job: TimestampJob, settings: TimestampSettings): Promise<Attempt> {
    const target = tsaOrigin(settings.tsaUrl);
    if ('error' in target) return { kind: 'retry', reason: target.error };
    const db = await this.deps.openDb();
    if (!(await getCapture(db, job.captureId))) return { kind: 'done' };
    if (await db.get('artifacts', [job.captureId, TIMESTAMP_ARTIFACT])) return { kind: 'done' };
    if (!(await this.deps.hasPermission(target.pattern))) {
      return {
        kind: 'retry',
        reason: `Witness Box is not allowed to contact ${target.origin}. Turn trusted timestamps off and on again in the options page to allow it.`,
      };
    }

    const nonce = this.deps.nonce();
    const request = timeStampRequest(job.digest, nonce);
    let response: Response;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    try {
      response = await this.deps.fetch(settings.tsaUrl.trim(), {
        method: 'POST',
        headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
        body: request as Uint8Array<ArrayBuffer>,
        signal: abort.signal,
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'follow',
      });
    } catch (error) {
      return {
        kind: 'retry',
        reason: `Could not reach the timestamp service at ${target.origin}: ${messageOf(error)}`,
      };
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      return {
        kind: 'retry',
        reason:
          `The timestamp service at ${target.origin} answered HTTP ${response.status} ${response.statusText}`.trim(),
      };
    }
    const der = new Uint8Array(await response.arrayBuffer());
    let parsed;
    try {
      parsed = parseTimeStampResponse(der, { sha256Hex: job.digest, nonce });
    } catch (error) {
      if (!(error instanceof TimestampFormatError)) throw error;
      return { kind: 'retry', reason: `The answer from ${target.origin} is not a timestamp (${error.message})` };
    }
    if (parsed.status === 3)
      return { kind: 'retry', reason: `The timestamp service at ${target.origin} asked to wait` };
    if (!parsed.token) {
      const words = parsed.statusText ? `: ${parsed.statusText}` : '';
      return {
        kind: 'refused',
        reason: `The timestamp service at ${settings.tsaUrl.trim()} refused the request (${describeStatus(parsed.status)}${words})`,
      };
    }
    if (!parsed.imprintMatches || parsed.nonceMatches === false || !parsed.genTime) {
      return {
        kind: 'retry',
        reason: `The timestamp from ${target.origin} does not match the request (wrong fingerprint or nonce); it was not stored`,
      };
    }

    const blob = new Blob([der as Uint8Array<ArrayBuffer>], { type: TIMESTAMP_MIME });
    const ref: ArtifactRef = {
      name: TIMESTAMP_ARTIFACT,
      mime: TIMESTAMP_MIME,
      bytes: blob.size,
      sha256: await sha256Hex(blob),
      hashedAt: new Date(this.deps.now()).toISOString(),
    };
    await addLateArtifact(
      db,
      { captureId: job.captureId, name: TIMESTAMP_ARTIFACT, mime: TIMESTAMP_MIME, blob },
      ref,
      settings.capturedBy,
      {
        tsaUrl: settings.tsaUrl.trim(),
        genTime: parsed.genTime,
        digest: job.digest,
      },
    );
    return { kind: 'stored', genTime: parsed.genTime };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let shared: TimestampQueue | null = null;

/** The worker's queue, over the real browser APIs. */
export function timestampQueue(): TimestampQueue {
  shared ??= new TimestampQueue(browserDeps);
  return shared;
}

/** Called once a capture is stored: queues its `captured` event hash when timestamps are on. Never throws. */
export function queueTimestamp(captureId: string, capturedEventHash: string): void {
  void timestampQueue().enqueue(captureId, capturedEventHash);
}

/** Registers the alarm that retries queued timestamps, even after the worker was stopped. Call at worker start. */
export function listenForTimestampAlarm(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RETRY_ALARM) void timestampQueue().process();
  });
  // After a browser restart, pick up whatever was waiting without waiting for the alarm.
  browser.runtime.onStartup.addListener(() => void timestampQueue().process());
}
