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
import { RELIABILITY, reliabilityTitle } from './reliability-cases';

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
    // The interrupted export may or may not have recorded itself; nothing else may have changed.
    expect(after.custody.slice(0, before.custody.length)).toEqual(before.custody);
    expect(after.custody.slice(before.custody.length).every((e) => e.action === 'exported')).toBe(true);
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
