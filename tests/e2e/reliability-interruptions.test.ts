import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyCustodyChain } from '../../src/evidence/custody-chain';
import { launchWithExtension } from '../harness/browser';
import { startFixtureServer, type FixtureServer } from '../harness/fixture-server';
import {
  captureFromPopup,
  closeWhenBack,
  exportFromPopup,
  openPopup,
  readStore,
  sha256sumCheck,
  unzipTo,
  waitForCapturesSettled,
  X_STATUS_URL,
} from '../harness/flows';
import type { Browser as ExtensionApi } from 'wxt/browser';
import { RELIABILITY, reliabilityTitle } from './reliability-cases';

declare const chrome: typeof ExtensionApi;

const FEED_URL = 'https://x.com/wb-fixtures/infinite-feed';

let server: FixtureServer;
let root: string;

beforeAll(async () => {
  server = await startFixtureServer();
  root = await mkdtemp(join(tmpdir(), 'wb-'));
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

it(reliabilityTitle(RELIABILITY.exportInterrupted), async () => {
  // First browser: a capture, then the browser closes while its export is being built.
  const first = await launchWithExtension({ server, tmpRoot: root, keepProfile: true });
  const page = await first.openPage(X_STATUS_URL);
  const popup = await openPopup(first, page);
  expect((await captureFromPopup(popup)).kind).toBe('success');
  await waitForCapturesSettled(popup, 1);
  const before = await readStore(first.worker);
  await popup.click('#export-bundle');
  await new Promise((resolve) => setTimeout(resolve, 100));
  await first.close();

  // The same profile again, as after restarting the browser.
  const second = await launchWithExtension({ server, tmpRoot: root, keepProfile: true });
  try {
    const after = await readStore(second.worker);
    expect(after.captures).toEqual(before.captures);
    // The interrupted export may or may not have recorded itself, and the exhibit references it gave
    // before building the zip; nothing else may have changed.
    expect(after.custody.slice(0, before.custody.length)).toEqual(before.custody);
    expect(
      after.custody
        .slice(before.custody.length)
        .every((e) => e.action === 'exported' || e.action === 'exhibit-assigned'),
    ).toBe(true);
    expect(await verifyCustodyChain(after.custody)).toEqual({ ok: true });

    const again = await second.openPage(X_STATUS_URL);
    const { zipPath } = await exportFromPopup(second, await openPopup(second, again));
    const dir = join(second.tmpDir, 'after-restart');
    await unzipTo(zipPath, dir);
    expect((await sha256sumCheck(dir)).ok).toBe(true);
    await closeWhenBack(again);
  } finally {
    await second.close();
  }
});

it(reliabilityTitle(RELIABILITY.infiniteFeed), async () => {
  const browser = await launchWithExtension({ server });
  try {
    await browser.worker.evaluate(() => chrome.storage.local.set({ settings: { captureProfileWithPost: false } }));
    const page = await browser.openPage(FEED_URL);
    for (let i = 0; i < 12; i++) {
      await page.mouse.wheel(0, 900);
      await page.waitForTimeout(50);
    }
    const loaded = await page.evaluate(() => document.querySelectorAll('article').length);
    const dropped = await page.evaluate(() => parseFloat(document.getElementById('feed')!.style.paddingTop || '0'));
    expect(dropped).toBeGreaterThan(0); // the feed really did drop posts above
    const expected = await page.evaluate(() => {
      const centre = innerHeight / 2;
      const distance = (el: Element) =>
        Math.abs((el.getBoundingClientRect().top + el.getBoundingClientRect().bottom) / 2 - centre);
      const nearest = [...document.querySelectorAll('article')].sort((a, b) => distance(a) - distance(b))[0];
      return nearest?.querySelector('a[href*="/status/"]')?.getAttribute('href');
    });
    const popup = await openPopup(browser, page);
    const outcome = await captureFromPopup(popup);
    expect(outcome.kind, outcome.text).toBe('success');
    // Keep scrolling while the render runs: the post may be dropped, which must be recorded, not hang.
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 900);
    await waitForCapturesSettled(popup, 1, 20_000);
    const [capture] = (await readStore(browser.worker)).captures;
    expect(capture?.permalink).toBe(`https://x.com${expected}`);
    expect(capture?.artifacts.map((a) => a.name)).toEqual(expect.arrayContaining(['viewport.png', 'post.png']));
    expect(loaded).toBeGreaterThan(20);
  } finally {
    await browser.close();
  }
});
