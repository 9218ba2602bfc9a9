/**
 * `npm run bench`: capture, export, verify and list performance of the built
 * extension in headless Chromium against the fixture sites. Prints a table
 * and writes bench/results.json. Figures are measured, never asserted: the
 * targets from the benchmark issue are reported beside them.
 *
 * BENCH_QUICK=1 runs every section with small counts, to check the script.
 * BENCH_ONLY=export,list runs just those sections (capture, profile, bulk,
 * hash, export, list, export-2gb, zip, long-text).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { mkdir, readdir, rm, stat as fileStat, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Browser as ExtensionApi } from 'wxt/browser';
import { launchWithExtension, type ExtensionBrowser } from '../tests/harness/browser';
import { REPO_ROOT, startFixtureServer } from '../tests/harness/fixture-server';
import { blobSource, openZip } from '../src/bundle/zip-reader';
import {
  captureFromPopup,
  clickAndWaitForOutcome,
  openPopup,
  readStore,
  setSettings,
  X_STATUS_URL,
  X_TIMELINE_URL,
} from '../tests/harness/flows';
import { platformPages } from '../tests/harness/platform-pages';
import type { Capture } from '../src/evidence/model';
import { pseudoRandomBytes, syntheticBundle, writeSyntheticBundle } from '../tests/harness/synthetic-bundle';
import { craftZip } from '../tests/unit/bundle/zip-craft';
import { tmpdir } from 'node:os';

declare const chrome: typeof ExtensionApi;

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = QUICK ? 3 : 10;
const BULK = QUICK ? 10 : 100;
const EXPORT_CAPTURES = QUICK ? 20 : 200;
const EXPORT_ARTIFACT_BYTES = 1.5 * 1024 * 1024;
/** Export + verify of the 317 MB bundle takes ~5 s a run here: 10 runs fit in about a minute. */
const EXPORT_RUNS = QUICK ? 3 : 10;
/** ~2.2 GB: past 2^31 bytes, so entry offsets beyond a signed 32-bit number are exercised. */
const BIG_EXPORT_CAPTURES = QUICK ? 40 : 1400;
const LIST_CAPTURES = QUICK ? 300 : 5000;
const HASH_BYTES = (QUICK ? 32 : 128) * 1024 * 1024;

/** Per platform, its post page (or, for a chat app, its conversation): the fixtures the e2e tests capture. */
const CAPTURE_PAGES = (await platformPages()).map(({ platform, post, conversation }) => ({
  platform,
  url: (post ?? conversation)!.url,
}));

interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}

function stat(values: number[], digits = 1): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const r = (n: number) => round(n, digits);
  return { median: r(median), min: r(sorted[0] ?? NaN), max: r(sorted[sorted.length - 1] ?? NaN), n: values.length };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Row {
  measure: string;
  value: string;
  target: string;
  met: boolean | null;
}

/** One figure in the benchmark issue's shape: bench/results.json's `metrics`. */
interface Metric {
  median: number;
  min: number;
  max: number;
  /** How many runs the median is of. */
  n: number;
  unit: string;
  /** As the issue states it, e.g. "≥ 100"; empty when it sets none. */
  target: string;
  /** Whether the median meets the target; null when there is none. */
  meets: boolean | null;
}

const rows: Row[] = [];
const metrics: Record<string, Metric> = {};
const results: Record<string, unknown> = {
  quick: QUICK,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    os: `${process.platform} ${release()}`,
    node: process.version,
  },
};

function metric(name: string, s: Stat, unit: string, target = '', meets: boolean | null = null): void {
  metrics[name] = { median: s.median, min: s.min, max: s.max, n: s.n, unit, target, meets };
}

function report(measure: string, value: string, target = '', met: boolean | null = null): void {
  rows.push({ measure, value, target, met });
  console.log(
    `  ${measure}: ${value}${target ? `  (target ${target}${met === null ? '' : met ? ', met' : ', NOT met'})` : ''}`,
  );
}

const fmt = (s: Stat, unit = 'ms') => `${s.median} ${unit} (min ${s.min}, max ${s.max}, n=${s.n})`;

/** Waits until the newest post's render is settled; returns its render time. */
async function waitForRender(browser: ExtensionBrowser, captureCountBefore: number): Promise<number | null> {
  for (let i = 0; i < 200; i++) {
    const dump = await readStore(browser.worker);
    const posts = dump.captures.filter(isPostOrMessage).sort((a, b) => b.capturedAt.localeCompare(a.capturedAt));
    if (posts.length > captureCountBefore) {
      const event = dump.custody.find(
        (e) => e.captureId === posts[0]!.id && (e.action === 'artifact-added' || e.action === 'artifact-failed'),
      );
      if (event) return typeof event.detail.renderMs === 'number' ? event.detail.renderMs : null;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

async function postCount(browser: ExtensionBrowser): Promise<number> {
  return (await readStore(browser.worker)).captures.filter(isPostOrMessage).length;
}

/** A chat app's capture is a message; it is rendered like a post. */
function isPostOrMessage(capture: Capture): boolean {
  return capture.kind === 'post' || capture.kind === 'message';
}

async function capturePerPlatform(browser: ExtensionBrowser): Promise<void> {
  console.log('\nPost capture per platform (trigger → "saved"; the render follows)');
  await setSettings(browser.worker, { captureProfileWithPost: false });
  const perPlatform: Record<string, unknown> = {};
  for (const { platform, url } of CAPTURE_PAGES) {
    const page = await browser.openPage(url);
    const popup = await openPopup(browser, page);
    const endToEnd: number[] = [];
    const steps: Record<string, number[]> = {};
    for (let i = 0; i < RUNS; i++) {
      const before = await postCount(browser);
      const started = performance.now();
      const outcome = await captureFromPopup(popup);
      endToEnd.push(performance.now() - started);
      if (outcome.kind !== 'success') throw new Error(`${platform}: ${outcome.text}`);
      const timings = JSON.parse((await popup.getAttribute('#status', 'data-timings')) ?? '{}') as Record<
        string,
        number
      >;
      timings.render = (await waitForRender(browser, before)) ?? NaN;
      for (const [step, ms] of Object.entries(timings)) (steps[step] ??= []).push(ms);
    }
    const stepStats = Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, stat(v)]));
    const total = stat(endToEnd);
    perPlatform[platform] = { endToEnd: total, steps: stepStats };
    report(`${platform}: capture → saved`, fmt(total), '≤ 400 ms median', total.median <= 400);
    report(
      `${platform}: html2canvas-pro render`,
      fmt(stepStats.render!),
      '≤ 1500 ms',
      stepStats.render!.median <= 1500,
    );
    metric(`capture.${platform}.saved`, total, 'ms', '≤ 400', total.median <= 400);
    metric(`capture.${platform}.render`, stepStats.render!, 'ms', '≤ 1500', stepStats.render!.median <= 1500);
    console.log(
      `    steps (median ms): ${Object.entries(stepStats)
        .map(([k, v]) => `${k} ${v.median}`)
        .join(', ')}`,
    );
    await popup.close();
    await page.close();
  }
  results.postCapture = perPlatform;
}

async function postWithProfile(browser: ExtensionBrowser): Promise<void> {
  console.log('\nPost + author profile (trigger → profile stored, the user back on the post)');
  await setSettings(browser.worker, { captureProfileWithPost: true, profileReuseMinutes: 0 });
  const page = await browser.openPage(X_STATUS_URL);
  const popup = await openPopup(browser, page);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const profilesBefore = (await readStore(browser.worker)).captures.filter((c) => c.kind === 'profile').length;
    const started = performance.now();
    const outcome = await captureFromPopup(popup);
    if (outcome.kind !== 'success') throw new Error(outcome.text);
    for (;;) {
      const profiles = (await readStore(browser.worker)).captures.filter((c) => c.kind === 'profile').length;
      if (profiles > profilesBefore && page.url() === X_STATUS_URL) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await page.waitForLoadState('load');
    times.push(performance.now() - started);
  }
  const s = stat(times);
  results.postWithProfile = s;
  report('post + profile, end to end', fmt(s), '≤ 2500 ms median', s.median <= 2500);
  metric('capture.post_with_profile', s, 'ms', '≤ 2500', s.median <= 2500);
  await popup.close();
  await page.close();
  await setSettings(browser.worker, { captureProfileWithPost: false });
}

async function bulk(browser: ExtensionBrowser): Promise<void> {
  console.log(`\nBulk: ${BULK} captures in a row from a feed`);
  const page = await browser.openPage(X_TIMELINE_URL);
  const popup = await openPopup(browser, page);
  const started = performance.now();
  let failures = 0;
  for (let i = 0; i < BULK; i++) {
    await page.evaluate(
      (n) => window.scrollTo(0, (n * 180) % Math.max(1, document.documentElement.scrollHeight - innerHeight)),
      i,
    );
    if ((await captureFromPopup(popup)).kind !== 'success') failures++;
  }
  const minutes = (performance.now() - started) / 60_000;
  const perMinute = round(BULK / minutes);
  results.bulk = { captures: BULK, failures, perMinute };
  report(
    `bulk: captures per minute (${failures} failed)`,
    `${perMinute}`,
    '≥ 60 per minute',
    perMinute >= 60 && failures === 0,
  );
  // One run of BULK captures in a row: the rate is over all of them.
  metric('bulk.captures_per_minute', stat([perMinute]), 'captures/min', '≥ 60', perMinute >= 60 && failures === 0);
  await popup.close();
  await page.close();
}

/**
 * Resident memory of every process of this Chromium (its profile folder is on
 * each command line), read straight from /proc: spawning `ps` every sample
 * would itself slow the export being measured.
 */
function chromiumRssBytes(marker: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) continue;
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

async function importThroughManager(browser: ExtensionBrowser, zip: Uint8Array, name: string): Promise<Page> {
  const file = join(browser.tmpDir, name);
  await writeFile(file, zip);
  return importFileThroughManager(browser, file);
}

/**
 * The manager, once its import and verify panels listen: they are wired after
 * the store is opened, so a file chosen sooner (a fast test, a store of
 * thousands of captures) is never seen. The app section is shown just after.
 */
async function openManager(browser: ExtensionBrowser): Promise<Page> {
  const manager = await browser.openExtensionPage('manager.html');
  await manager.waitForSelector('#app:not([hidden])', { state: 'attached', timeout: 60_000 });
  return manager;
}

async function importFileThroughManager(browser: ExtensionBrowser, file: string): Promise<Page> {
  const manager = await openManager(browser);
  await manager.setInputFiles('#import-file', file);
  const settled = () =>
    manager.waitForFunction(
      () =>
        document.querySelector('#import-result .confirm-key') !== null ||
        /Imported|imported|refused|failed/i.test(document.querySelector('#import-result')?.textContent ?? ''),
      null,
      { timeout: 1_800_000, polling: 500 },
    );
  await settled();
  // The synthetic volunteer's key is new to this manager: confirm it, as a staffer would after comparing fingerprints.
  if (await manager.$('#import-result .confirm-key')) {
    await manager.fill('#import-result .confirm-key-name', 'Bench volunteer');
    await manager.click('#import-result .confirm-key button[type=submit]');
    await manager.waitForFunction(() => document.querySelector('#import-result .confirm-key') === null, null, {
      timeout: 1_800_000,
      polling: 500,
    });
    await settled();
  }
  const text = (await manager.textContent('#import-result')) ?? '';
  if (/refused|failed/i.test(text)) throw new Error(`import failed: ${text}`);
  return manager;
}

interface ExportRun {
  /** The downloaded file itself (not a copy), and its id in chrome.downloads. */
  zipPath: string;
  downloadId: number;
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  peakExtraMemoryBytes: number;
  /** Click → the download starts (the zip is built), and start → end (the file is written). */
  buildSeconds: number;
  writeSeconds: number;
}

/**
 * One export from the popup, measured from the click to the download being
 * complete on disk (Chrome's own start and end times), with the peak extra
 * memory of the whole browser meanwhile.
 */
async function exportOnce(browser: ExtensionBrowser, popup: Page): Promise<ExportRun> {
  const marker = browser.tmpDir;
  const baseline = chromiumRssBytes(marker);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, chromiumRssBytes(marker))), 250);
  const clickedAt = Date.now();
  let status;
  try {
    status = await clickAndWaitForOutcome(popup, '#export-bundle', 1_800_000);
  } finally {
    clearInterval(sampler);
  }
  if (status.kind !== 'success') throw new Error(`Export failed: ${status.text}`);
  // The popup reports success only once the download is complete.
  const download = await browser.worker.evaluate(async () => {
    const [item] = await chrome.downloads.search({ orderBy: ['-startTime'], limit: 1 });
    return (
      item && {
        id: item.id,
        state: item.state,
        filename: item.filename,
        start: Date.parse(item.startTime),
        end: item.endTime ? Date.parse(item.endTime) : NaN,
      }
    );
  });
  if (!download || download.state !== 'complete' || !download.filename.endsWith('.zip'))
    throw new Error(`No completed zip download: ${JSON.stringify(download)}`);
  if (download.start < clickedAt - 1000) throw new Error('The newest download is older than the click');
  const bytes = (await fileStat(download.filename)).size;
  const seconds = (download.end - clickedAt) / 1000;
  return {
    zipPath: download.filename,
    downloadId: download.id,
    bytes,
    seconds: round(seconds),
    mbPerSecond: round(bytes / 1e6 / seconds),
    peakExtraMemoryBytes: peak - baseline,
    buildSeconds: round((download.start - clickedAt) / 1000),
    writeSeconds: round((download.end - download.start) / 1000),
  };
}

/** Deletes an exported file once checked, so the runs do not pile up on disk. */
async function removeDownload(browser: ExtensionBrowser, downloadId: number): Promise<void> {
  await browser.worker.evaluate(async (id) => {
    await chrome.downloads.removeFile(id).catch(() => undefined);
    await chrome.downloads.erase({ id });
  }, downloadId);
}

/** The manager's own verify of a bundle: seconds, and whether every file matched. */
async function verifyInManager(
  browser: ExtensionBrowser,
  zipPath: string,
): Promise<{ seconds: number; ok: boolean; text: string }> {
  const verifier = await openManager(browser);
  try {
    const started = performance.now();
    await verifier.setInputFiles('#verify-file', zipPath);
    await verifier.waitForFunction(
      () => {
        const result = document.querySelector('#verify-result');
        return result?.hasAttribute('data-verdict') === true || result?.getAttribute('data-kind') === 'error';
      },
      null,
      {
        timeout: 1_800_000,
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const text = (await verifier.textContent('#verify-result')) ?? '';
    const verdict = await verifier.getAttribute('#verify-result', 'data-verdict');
    // The manager's own export is signed by its own key, which it trusts: anything else is a failure.
    return { seconds, ok: verdict === 'trusted', text };
  } finally {
    await verifier.close();
  }
}

/** Seconds from choosing `zipPath` in the manager's `input` until `output` shows the outcome, and its text. */
async function outcomeInManager(
  browser: ExtensionBrowser,
  input: string,
  output: string,
  zipPath: string,
): Promise<{ seconds: number; text: string }> {
  const manager = await openManager(browser);
  try {
    const started = performance.now();
    await manager.setInputFiles(input, zipPath);
    await manager.waitForFunction(
      (selector) => {
        const kind = document.querySelector<HTMLElement>(selector)?.dataset.kind;
        return kind !== undefined && kind !== 'info';
      },
      output,
      { timeout: 600_000 },
    );
    return { seconds: (performance.now() - started) / 1000, text: (await manager.textContent(output)) ?? '' };
  } finally {
    await manager.close();
  }
}

/**
 * Hostile zips of many entries (the issue's "19,999 empty entries took 36 s to
 * refuse"): verify and import in the manager, click to verdict.
 */
async function hostileZips(browser: ExtensionBrowser): Promise<void> {
  console.log('\nHostile zips of 20,000 entries, verify and import in the manager');
  const dir = join(tmpdir(), `witness-box-bench-zip-${process.pid}`);
  await mkdir(dir, { recursive: true });
  try {
    const zips = [
      ['20,000 empty entries', 20_000],
      ['20,001 empty entries (over the limit)', 20_001],
    ] as const;
    for (const [label, count] of zips) {
      const path = join(dir, `${count}.zip`);
      await writeFile(path, craftZip(Array.from({ length: count }, (_, i) => ({ name: `captures/${i}/post.png` }))));
      for (const [what, input, output] of [
        ['verify', '#verify-file', '#verify-result'],
        ['import', '#import-file', '#import-result'],
      ] as const) {
        const runs: { seconds: number; text: string }[] = [];
        for (let i = 0; i < RUNS; i++) runs.push(await outcomeInManager(browser, input, output, path));
        const seconds = stat(
          runs.map((r) => r.seconds),
          2,
        );
        const refused = runs.every((r) => /refused|does not verify|altered/i.test(r.text));
        report(
          `${what} a zip of ${label}, choose file → verdict`,
          `${fmt(seconds, 's')}${refused ? ', refused' : `, NOT refused: ${runs[0]!.text.slice(0, 120)}`}`,
          '≤ 2 s, refused',
          seconds.median <= 2 && refused,
        );
        metric(`zip.${what}_${count}_entries`, seconds, 's', '≤ 2', seconds.median <= 2 && refused);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function exportAndVerify(browser: ExtensionBrowser): Promise<void> {
  console.log(`\nExport of ${EXPORT_CAPTURES} captures of ~1.5 MB, then verify (${EXPORT_RUNS} runs)`);
  // An empty case of its own, so the export holds exactly these captures.
  await setSettings(browser.worker, { activeCaseId: 'bench-export' });
  const manager = await importThroughManager(
    browser,
    await syntheticBundle(EXPORT_CAPTURES, EXPORT_ARTIFACT_BYTES),
    'bench-export.zip',
  );
  await manager.close();

  const page = await browser.openPage(X_STATUS_URL);
  const popup = await openPopup(browser, page);
  const runs: ExportRun[] = [];
  // Exports back to back, each file deleted before the next (ten 317 MB files waiting to be written
  // back slow the later downloads), and no verify in between: a verify just before an export leaves
  // garbage that the export's own garbage collection frees, hiding what the export itself uses.
  for (let i = 0; i < EXPORT_RUNS; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const run = await exportOnce(browser, popup);
    runs.push(run);
    console.log(
      `    export ${i + 1}: ${run.mbPerSecond} MB/s (build ${run.buildSeconds} s, write ${run.writeSeconds} s), +${round(run.peakExtraMemoryBytes / 1e6)} MB`,
    );
    if (i < EXPORT_RUNS - 1) await removeDownload(browser, run.downloadId);
  }
  await popup.close();
  await page.close();
  // The last bundle, verified as many times.
  const last = runs[runs.length - 1]!;
  const verifies: { seconds: number; ok: boolean; text: string }[] = [];
  for (let i = 0; i < EXPORT_RUNS; i++) {
    const verify = await verifyInManager(browser, last.zipPath);
    verifies.push(verify);
    if (!verify.ok) throw new Error(`The exported bundle does not verify: ${verify.text.slice(0, 300)}`);
  }
  await removeDownload(browser, last.downloadId);
  console.log(`    verify: ${verifies.map((v) => round(last.bytes / 1e6 / v.seconds)).join(', ')} MB/s`);

  const bytes = runs[0]!.bytes;
  const rate = stat(runs.map((r) => r.mbPerSecond));
  const memory = stat(
    runs.map((r) => r.peakExtraMemoryBytes / bytes),
    2,
  );
  const memoryMb = stat(runs.map((r) => r.peakExtraMemoryBytes / 1e6));
  const verifyRate = stat(verifies.map((v) => bytes / 1e6 / v.seconds));
  results.export = {
    captures: EXPORT_CAPTURES,
    bytes,
    runs: runs.map(({ zipPath: _path, downloadId: _id, ...r }) => r),
    phases: {
      buildSeconds: stat(runs.map((r) => r.buildSeconds)),
      writeSeconds: stat(runs.map((r) => r.writeSeconds)),
    },
  };
  results.verify = { seconds: stat(verifies.map((v) => v.seconds)), result: verifies[0]!.text.slice(0, 200) };
  report(
    'export: MB/s (click → download complete)',
    `${fmt(rate, 'MB/s')}, ${round(bytes / 1e6)} MB`,
    '≥ 100 MB/s',
    rate.median >= 100,
  );
  report(
    'export: peak extra memory of the browser',
    `${fmt(memoryMb, 'MB')}; ${memory.median}× the bundle (max ${memory.max}×)`,
    '≤ 1× the bundle',
    memory.median <= 1,
  );
  report(
    'verify in the manager: MB/s',
    `${fmt(verifyRate, 'MB/s')} (${/\d+ files checked/.exec(verifies[0]!.text)?.[0] ?? ''})`,
    '≥ 150 MB/s',
    verifyRate.median >= 150,
  );
  metric('export.mb_per_s', rate, 'MB/s', '≥ 100', rate.median >= 100);
  metric('export.peak_extra_memory', memory, '× bundle', '≤ 1', memory.median <= 1);
  metric('verify.mb_per_s', verifyRate, 'MB/s', '≥ 150', verifyRate.median >= 150);
}

/**
 * A ~2.2 GB bundle (1,400 captures of 1.5 MB), imported through the manager
 * and exported once: MB/s, peak extra memory, and that the result opens with
 * `unzip -t` (every CRC, entries past 2^31 bytes) and verifies in the manager.
 */
async function exportTwoGigabytes(browser: ExtensionBrowser): Promise<void> {
  console.log(
    `\nExport of ${BIG_EXPORT_CAPTURES} captures of ~1.5 MB (~${round((BIG_EXPORT_CAPTURES * EXPORT_ARTIFACT_BYTES) / 1e9)} GB), once`,
  );
  await setSettings(browser.worker, { activeCaseId: 'bench-export-2gb' });
  const input = join(browser.tmpDir, 'bench-export-2gb-input.zip');
  let started = performance.now();
  await writeSyntheticBundle(input, BIG_EXPORT_CAPTURES, EXPORT_ARTIFACT_BYTES, browser.tmpDir);
  console.log(`    synthetic bundle written in ${round((performance.now() - started) / 1000)} s`);
  started = performance.now();
  await (await importFileThroughManager(browser, input)).close();
  console.log(`    imported through the manager in ${round((performance.now() - started) / 1000)} s`);
  await rm(input, { force: true });

  const page = await browser.openPage(X_STATUS_URL);
  const popup = await openPopup(browser, page);
  const run = await exportOnce(browser, popup);
  await popup.close();
  await page.close();
  console.log(`    export: ${run.mbPerSecond} MB/s (build ${run.buildSeconds} s, write ${run.writeSeconds} s)`);

  started = performance.now();
  const unzip = spawnSync('unzip', ['-tq', run.zipPath], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const unzipSeconds = (performance.now() - started) / 1000;
  const unzipOk = unzip.status === 0 && /No errors detected/.test(unzip.stdout);
  const reader = await openZip(blobSource(await openAsBlob(run.zipPath)));
  const lastOffset = Math.max(...reader.entries.map((e) => e.offset));
  const verify = await verifyInManager(browser, run.zipPath);
  await removeDownload(browser, run.downloadId);

  const bytes = run.bytes;
  results.export2gb = {
    captures: BIG_EXPORT_CAPTURES,
    ...(({ zipPath: _path, downloadId: _id, ...r }) => r)(run),
    entries: reader.entries.length,
    lastEntryOffset: lastOffset,
    unzipTest: { ok: unzipOk, seconds: round(unzipSeconds), output: (unzip.stdout + unzip.stderr).trim().slice(-300) },
    verify: { ok: verify.ok, seconds: round(verify.seconds), result: verify.text.slice(0, 200) },
  };
  const fits = run.peakExtraMemoryBytes <= bytes;
  const label = `${round(bytes / 1e9, 2)} GB export`;
  report(
    `${label}: MB/s (click → download complete)`,
    `${run.mbPerSecond} MB/s (${round(bytes / 1e6)} MB in ${run.seconds} s, n=1)`,
    '≥ 100 MB/s',
    run.mbPerSecond >= 100,
  );
  report(
    `${label}: peak extra memory of the browser`,
    `${round(run.peakExtraMemoryBytes / 1e6)} MB (${round(run.peakExtraMemoryBytes / bytes, 2)}× the bundle)`,
    '≤ 1× the bundle',
    fits,
  );
  report(
    `${label}: unzip -t, and verify in the manager`,
    `${unzipOk ? 'unzip -t OK' : 'unzip -t FAILED'} (last entry at byte ${lastOffset.toLocaleString('en-GB')}); ${verify.ok ? /\d+ files checked/.exec(verify.text)?.[0] : 'verify FAILED'} at ${round(bytes / 1e6 / verify.seconds)} MB/s`,
    'both pass',
    unzipOk && verify.ok,
  );
  metric('export_2gb.mb_per_s', stat([run.mbPerSecond]), 'MB/s', '≥ 100', run.mbPerSecond >= 100);
  metric('export_2gb.peak_extra_memory', stat([run.peakExtraMemoryBytes / bytes], 2), '× bundle', '≤ 1', fits);
  metric('export_2gb.verifies', stat([unzipOk && verify.ok ? 1 : 0]), 'passed', '= 1', unzipOk && verify.ok);
  if (!unzipOk || !verify.ok)
    throw new Error(`The 2 GB bundle does not check: ${unzip.stdout.slice(-300)} ${verify.text.slice(0, 300)}`);
}

async function listing(browser: ExtensionBrowser): Promise<void> {
  console.log(`\nPopup and manager with ${LIST_CAPTURES} stored captures`);
  await setSettings(browser.worker, { activeCaseId: 'bench-list' });
  const manager = await importThroughManager(browser, await syntheticBundle(LIST_CAPTURES, 512), 'bench-list.zip');
  await manager.close();
  const popupTimes: number[] = [];
  const managerTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    popupTimes.push(await timeToList(browser, 'popup.html'));
    managerTimes.push(await timeToList(browser, 'manager.html'));
  }
  const popup = stat(popupTimes);
  const mgr = stat(managerTimes);
  results.listing = { captures: LIST_CAPTURES, popupReady: popup, managerFirstPage: mgr };
  report('popup ready (navigation → list shown)', fmt(popup), '≤ 200 ms', popup.median <= 200);
  report("manager's first page", fmt(mgr), '≤ 400 ms', mgr.median <= 400);
  metric('list.popup_ready', popup, 'ms', '≤ 200', popup.median <= 200);
  metric('list.manager_first_page', mgr, 'ms', '≤ 400', mgr.median <= 400);
}

/** The issue's 1 MB post text, which took 28 s to show in the author view: click → the view laid out. */
async function longTextView(browser: ExtensionBrowser): Promise<void> {
  console.log('\nThe author view of a capture whose text is 1 MB');
  await setSettings(browser.worker, { activeCaseId: 'bench-long' });
  // 1,000,000 characters: the longest text import accepts (src/evidence/capture-schema.ts).
  const text = 'All of this is one very long post. '.repeat(30_000).slice(0, 1_000_000);
  const capture = { text, author: { displayName: 'Long Writer', handle: 'LongWriter', profileUrl: null } };
  const imported = await importThroughManager(
    browser,
    await syntheticBundle(1, 512, { idPrefix: 'bench-long', capture }),
    'bench-long.zip',
  );
  await imported.close();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const manager = await openManager(browser);
    const author = '#captures .capture:has-text("@LongWriter") button[data-author]';
    await manager.waitForSelector(author, { timeout: 60_000 });
    const started = performance.now();
    await manager.click(author);
    await manager.waitForSelector('#author-view:not([hidden]) .capture__text', { timeout: 120_000 });
    // Two frames: the view is laid out and painted, not just in the DOM.
    await manager.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    times.push(performance.now() - started);
    await manager.close();
  }
  const view = stat(times);
  results.longText = { characters: text.length, authorView: view };
  report(
    'author view with a 1 MB (1,000,000-character) post text, click → shown',
    fmt(view),
    '≤ 1000 ms',
    view.median <= 1000,
  );
  metric('long_text.author_view', view, 'ms', '≤ 1000', view.median <= 1000);
}

async function timeToList(browser: ExtensionBrowser, path: string): Promise<number> {
  const page = await browser.openExtensionPage(path);
  await page.waitForSelector('.capture', { timeout: 60_000 });
  const ms = await page.evaluate(() => performance.now());
  await page.close();
  return ms;
}

async function hashing(browser: ExtensionBrowser): Promise<void> {
  console.log(`\nSHA-256 of ${HASH_BYTES / 2 ** 20} MiB: the extension (WebCrypto) against openssl`);
  const extensionRuns = await browser.worker.evaluate(
    async ({ length, runCount }) => {
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(length, i + 65536)));
      const runs: number[] = [];
      for (let i = 0; i < runCount; i++) {
        const t = performance.now();
        await crypto.subtle.digest('SHA-256', bytes);
        runs.push(performance.now() - t);
      }
      return runs;
    },
    { length: HASH_BYTES, runCount: RUNS },
  );
  const extension = stat(extensionRuns).median;
  const file = join(browser.tmpDir, 'hash-input.bin');
  await writeFile(file, pseudoRandomBytes(HASH_BYTES, 7));
  const opensslRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    execFileSync('openssl', ['dgst', '-sha256', file]);
    opensslRuns.push(performance.now() - t);
  }
  const extRate = HASH_BYTES / 1e6 / (extension / 1000);
  const opensslRate = HASH_BYTES / 1e6 / (stat(opensslRuns).median / 1000);
  const ratio = round(extRate / opensslRate, 2);
  results.sha256 = { extensionMBps: round(extRate), opensslMBps: round(opensslRate), ratio };
  report(
    'SHA-256: extension / openssl',
    `${ratio}× (${round(extRate)} vs ${round(opensslRate)} MB/s)`,
    '≥ 0.4×',
    ratio >= 0.4,
  );
  // Each extension run against openssl's median; the median of these is the ratio above.
  const ratios = stat(
    extensionRuns.map((ms) => HASH_BYTES / 1e6 / (ms / 1000) / opensslRate),
    2,
  );
  metric('sha256.extension_vs_openssl', ratios, '× openssl', '≥ 0.4', ratios.median >= 0.4);
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await directorySize(path) : (await fileStat(path)).size;
  }
  return total;
}

async function main(): Promise<void> {
  console.log(`Witness Box benchmark${QUICK ? ' (quick)' : ''}: building…`);
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const size = await directorySize(join(REPO_ROOT, '.output', 'chrome-mv3'));
  results.extensionBytes = size;
  report('built extension size (chrome-mv3)', `${round(size / 1024)} KiB`);
  metric('extension.size', stat([size / 1024]), 'KiB');

  const server = await startFixtureServer();
  const browser = await launchWithExtension({ server });
  (results.machine as Record<string, unknown>).chromium = browser.context.browser()?.version() ?? 'unknown';
  try {
    // [name, run, in the default run]
    const sections: [string, (b: ExtensionBrowser) => Promise<void>, boolean][] = [
      ['capture', capturePerPlatform, true],
      ['profile', postWithProfile, true],
      ['bulk', bulk, true],
      ['hash', hashing, true],
      ['export', exportAndVerify, true],
      ['list', listing, true],
      // ~1.5 min on a quiet 2-core machine, and up to ~7 GB of temporary disk.
      ['export-2gb', exportTwoGigabytes, true],
      ['zip', hostileZips, true],
      ['long-text', longTextView, true],
    ];
    // BENCH_ONLY=export,list runs just those sections.
    const only = process.env.BENCH_ONLY?.split(',');
    for (const [name, run, byDefault] of sections) if (only ? only.includes(name) : byDefault) await run(browser);
  } finally {
    await browser.close();
    await server.close();
  }

  await mkdir(join(REPO_ROOT, 'bench'), { recursive: true });
  // The benchmark issue's shape first: {"machine": {...}, "metrics": {"<name>": {median, min, max, unit, target, meets}}}; details after.
  const { machine, ...details } = results;
  const out = { machine, metrics, at: new Date().toISOString(), ...details, rows };
  await writeFile(join(REPO_ROOT, 'bench', 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log('\n| measure | value | target | met |\n| --- | --- | --- | --- |');
  for (const r of rows)
    console.log(`| ${r.measure} | ${r.value} | ${r.target} | ${r.met === null ? '' : r.met ? 'yes' : 'no'} |`);
  console.log('\nWrote bench/results.json');
}

main().catch((error: unknown) => {
  console.error(`\nBenchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
