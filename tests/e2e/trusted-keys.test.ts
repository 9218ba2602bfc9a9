import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from '../harness/browser';
import { REPO_ROOT, startFixtureServer, type FixtureServer } from '../harness/fixture-server';
import {
  captureFromPopup,
  exportFromPopup,
  openPopup,
  readStore,
  setSettings,
  sha256sumCheck,
  unzipTo,
  waitForCapturesSettled,
  withPage,
  X_STATUS_URL,
} from '../harness/flows';

/**
 * A volunteer's bundle reaching a staffer, in two real Chromiums with the
 * built extension, one after the other: the volunteer captures and exports;
 * the staffer verifies it (a key not confirmed), imports it by confirming
 * the fingerprint the volunteer's manager shows and naming the key, sees the
 * key in "Keys you trust", withdraws it, and has the next import refused and
 * the earlier one flagged. The same bundle passes `npm run verify --trust`,
 * `unzip -t`, `sha256sum -c` and openssl.
 */

const run = promisify(execFile);
let server: FixtureServer;
let work: string;
let bundlePath = '';
let fingerprintShown = '';
let fingerprintHex = '';

beforeAll(async () => {
  server = await startFixtureServer();
  work = await mkdtemp(join(tmpdir(), 'witness-box-keys-'));
});

afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

async function openManager(browser: ExtensionBrowser): Promise<Page> {
  const manager = await browser.openExtensionPage('manager.html');
  await manager.waitForSelector('#app:not([hidden])', { state: 'attached', timeout: 60_000 });
  await manager.waitForSelector('#trusted-key-list li');
  return manager;
}

async function axeViolations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  await page.evaluate(await readFile(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    type Result = { id: string; impact: string; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: Result[] }> } }).axe;
    const r = await axe.run(document);
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

describe('a volunteer’s bundle, from capture to a staffer’s trusted import', () => {
  it('the volunteer captures a post, exports the case and reads out the fingerprint', async () => {
    const volunteer = await launchWithExtension({ server });
    try {
      await setSettings(volunteer.worker, { capturedBy: 'Volunteer A', onBehalfOf: 'Cllr Example', setupDone: true });
      await withPage(volunteer, X_STATUS_URL, async (page) => {
        const popup = await openPopup(volunteer, page);
        expect((await captureFromPopup(popup)).kind).toBe('success');
        await waitForCapturesSettled(popup, 1, 60_000);
        const { zipPath } = await exportFromPopup(volunteer, popup);
        bundlePath = join(work, 'volunteer.zip');
        execFileSync('cp', [zipPath, bundlePath]);
      });
      const manager = await openManager(volunteer);
      await manager.waitForFunction(() => !document.querySelector('#key-fingerprint')?.textContent?.includes('…'));
      fingerprintShown = (await manager.textContent('#key-fingerprint')) ?? '';
      fingerprintHex = (await manager.textContent('#key-fingerprint-hex')) ?? '';
      expect(fingerprintShown).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
      expect(fingerprintShown.replaceAll(' ', '').toLowerCase()).toBe(fingerprintHex);
    } finally {
      await volunteer.close();
    }
  });

  it('the bundle passes unzip -t, sha256sum -c, openssl, and npm run verify --trust with that fingerprint', async () => {
    const dir = join(work, 'unzipped');
    await run('unzip', ['-tq', bundlePath]);
    await unzipTo(bundlePath, dir);
    expect((await sha256sumCheck(dir)).ok).toBe(true);
    const openssl = await run(
      'openssl',
      ['dgst', '-sha256', '-verify', 'public-key.pem', '-signature', 'manifest.sig', 'manifest.json'],
      { cwd: dir },
    );
    expect(openssl.stdout.trim()).toBe('Verified OK');
    const fromOpenssl = execFileSync('sh', ['-c', 'openssl pkey -pubin -in public-key.pem -outform DER | sha256sum'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(fromOpenssl.split(/\s/)[0]).toBe(fingerprintHex);

    const cli = await run('npx', ['tsx', 'scripts/verify.ts', bundlePath, '--trust', fingerprintShown], {
      cwd: REPO_ROOT,
    });
    expect(cli.stdout).toMatch(/^volunteer.zip: Signed by the key you gave with --trust/);
    // Without --trust the same bundle is not proven to be the volunteer's: exit 1.
    await expect(run('npx', ['tsx', 'scripts/verify.ts', bundlePath], { cwd: REPO_ROOT })).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/Signed by a key you have not confirmed/),
    });
  }, 120_000);

  it('the staffer verifies, confirms the fingerprint and a name, imports; withdraws the key and is refused', async () => {
    const staffer = await launchWithExtension({ server });
    try {
      await setSettings(staffer.worker, { capturedBy: 'Staffer B', onBehalfOf: 'Cllr Example', setupDone: true });
      const manager = await openManager(staffer);
      // Its own key first, always trusted.
      expect(await manager.textContent('#trusted-key-list li:first-child')).toMatch(
        /^this installation's own key \(always trusted\)/,
      );

      await manager.setInputFiles('#verify-file', bundlePath);
      await manager.waitForSelector('#verify-result[data-verdict]', { timeout: 60_000 });
      expect(await manager.getAttribute('#verify-result', 'data-verdict')).toBe('unconfirmed');
      expect(await manager.textContent('.verify-summary')).toBe(
        `volunteer.zip: Signed by a key you have not confirmed (fingerprint ${fingerprintShown}): the files agree with each other, but who made this bundle is not proven until you compare the fingerprint with the sender.`,
      );

      await manager.setInputFiles('#import-file', bundlePath);
      await manager.waitForSelector('#import-result .confirm-key', { timeout: 60_000 });
      expect(await manager.textContent('#import-result .confirm-key .fingerprint')).toBe(fingerprintShown);
      // Nothing is written while the staffer compares.
      expect((await readStore(staffer.worker)).captures).toEqual([]);
      expect(await axeViolations(manager)).toEqual([]);
      await manager.screenshot({ path: join(REPO_ROOT, '.test-tmp', 'trusted-keys-confirm.png'), fullPage: true });

      await manager.fill('#import-result .confirm-key-name', 'Volunteer A');
      await manager.click('#import-result .confirm-key button[type=submit]');
      await manager.waitForSelector('#import-result[data-kind="success"]', { timeout: 60_000 });
      const dump = await readStore(staffer.worker);
      const n = dump.captures.length;
      expect(n).toBeGreaterThan(0);
      expect(await manager.textContent('.import-summary')).toBe(
        `Signed by Volunteer A (fingerprint ${fingerprintShown}): every file is as captured. Imported ${n} ${n === 1 ? 'capture' : 'captures'}.`,
      );
      const actions = dump.custody.map((e) => e.action);
      // The check is recorded, then the key's trust, then each capture's import.
      expect(actions).toEqual(['verified', 'key-trusted', ...Array<string>(n).fill('imported')]);
      expect(dump.custody[2]?.detail.key).toEqual({
        fingerprint: fingerprintHex,
        name: 'Volunteer A',
        decision: 'confirmed at import',
      });
      await manager.waitForFunction(() => document.querySelectorAll('#trusted-key-list > li').length === 2);
      expect(await manager.textContent('#trusted-key-list > li:nth-child(2) .fingerprint')).toBe(fingerprintShown);

      // Withdraw: the browser's confirm() is answered yes.
      manager.once('dialog', (dialog) => void dialog.accept());
      await manager.click(`#trusted-key-list button[aria-label="Withdraw trust in Volunteer A's key"]`);
      await manager.waitForSelector('#trusted-key-list li[data-withdrawn="true"] .flagged-imports li');
      expect(await manager.$$eval('.flagged-imports li', (items) => items.length)).toBe(n);
      expect(await axeViolations(manager)).toEqual([]);
      await manager.screenshot({ path: join(REPO_ROOT, '.test-tmp', 'trusted-keys-withdrawn.png'), fullPage: true });

      await manager.setInputFiles('#import-file', bundlePath);
      await manager.waitForSelector('#import-result[data-kind="error"]', { timeout: 60_000 });
      expect(await manager.textContent('.import-summary')).toMatch(
        /refused and nothing was imported: it is signed with the key of "Volunteer A" .* you withdrew your trust in that key/,
      );
      expect((await readStore(staffer.worker)).custody.map((e) => e.action)).toEqual([...actions, 'key-withdrawn']);
    } finally {
      await staffer.close();
    }
  }, 240_000);
});
