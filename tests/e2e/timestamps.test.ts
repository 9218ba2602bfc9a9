import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser as ExtensionApi } from 'wxt/browser';
import { DEFAULT_EXTENSION_PATH, launchWithExtension, type ExtensionBrowser } from '../harness/browser';
import { REPO_ROOT, startFixtureServer, type FixtureServer } from '../harness/fixture-server';
import {
  captureFromPopup,
  exportFromPopup,
  openPopup,
  readStore,
  sha256sumCheck,
  unzipTo,
  waitForSettledPosts,
  X_STATUS_URL,
  type StoreDump,
  withPage,
} from '../harness/flows';
import { startTsaServer, type TsaServer } from '../harness/tsa-server';

declare const chrome: typeof ExtensionApi;

const run = promisify(execFile);

let server: FixtureServer;
let tsa: TsaServer;
let browser: ExtensionBrowser;
let workDir: string;

/**
 * The built extension, copied, with `http://localhost/*` added to its
 * host_permissions. This stands in for the user pressing "Allow" in the
 * browser's permission dialog: headless Chromium draws that dialog nowhere and
 * no DevTools command can answer it (permissions.request just waits). With the
 * origin already granted, Chromium answers the options page's real
 * permissions.request (made from the real Save click) with true at once, so
 * the click path is exercised; only the dialog itself is not.
 */
async function extensionWithLocalhostGranted(dir: string): Promise<string> {
  const target = join(dir, 'extension');
  await cp(DEFAULT_EXTENSION_PATH, target, { recursive: true });
  const manifestPath = join(target, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    host_permissions: string[];
    optional_host_permissions?: string[];
  };
  expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
  manifest.host_permissions.push('http://localhost/*');
  await writeFile(manifestPath, JSON.stringify(manifest));
  return target;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'wb-ts-'));
  server = await startFixtureServer();
  tsa = await startTsaServer(join(workDir, 'tsa'));
  browser = await launchWithExtension({ server, extensionPath: await extensionWithLocalhostGranted(workDir) });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await tsa?.close();
  if (process.env.KEEP_TMP !== '1') await rm(workDir, { recursive: true, force: true });
  else console.log(`[e2e] timestamp run kept in ${workDir}`);
});

/** Waits until each of `captureIds` has a stored timestamp.tsr. */
async function waitForTimestamps(captureIds: string[], timeoutMs = 30_000): Promise<StoreDump> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dump = await readStore(browser.worker);
    const missing = captureIds.filter(
      (id) => !dump.artifacts.some((a) => a.captureId === id && a.name === 'timestamp.tsr'),
    );
    if (missing.length === 0) return dump;
    if (Date.now() > deadline)
      throw new Error(
        `no timestamp.tsr for ${missing.join(', ')}; custody: ${JSON.stringify(dump.custody.map((e) => [e.captureId, e.action, e.detail.reason ?? '']))}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface BundleCheck {
  dir: string;
  /** folder → the `captured` event hash the token must cover */
  stamped: { folder: string; digest: string }[];
  readme: string;
}

/** Exports from the popup, unzips, and runs the officer's openssl check on every timestamp.tsr in the bundle. */
async function exportAndVerify(page: Page, name: string): Promise<BundleCheck> {
  const popup = await openPopup(browser, page);
  const { zipPath } = await exportFromPopup(browser, popup);
  await popup.close();
  const dir = join(workDir, name);
  const files = await unzipTo(zipPath, dir);
  expect((await sha256sumCheck(dir)).ok).toBe(true);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
    captures: { id: string; folder: string }[];
  };
  const log = (await readFile(join(dir, 'custody-log.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { action?: string; captureId?: string; hash: string });
  const stamped: BundleCheck['stamped'] = [];
  for (const entry of manifest.captures) {
    const tsr = `${entry.folder}/timestamp.tsr`;
    if (!files.includes(tsr)) continue;
    const digest = log.find((e) => e.action === 'captured' && e.captureId === entry.id)!.hash;
    // Exactly the README's command, with the test authority's CA in place of the one from its website.
    const { stdout, stderr } = await run(
      'openssl',
      ['ts', '-verify', '-digest', digest, '-in', tsr, '-CAfile', tsa.tsa.caCert],
      { cwd: dir },
    );
    expect(stdout + stderr).toContain('Verification: OK');
    // Another capture's fingerprint does not pass.
    await expect(
      run('openssl', ['ts', '-verify', '-digest', 'ab'.repeat(32), '-in', tsr, '-CAfile', tsa.tsa.caCert], {
        cwd: dir,
      }),
    ).rejects.toThrow();
    stamped.push({ folder: entry.folder, digest });
  }
  return { dir, stamped, readme: await readFile(join(dir, 'README.txt'), 'utf8') };
}

describe('trusted timestamps from a real local RFC 3161 authority', () => {
  let options: Page;

  it('is off until the user turns it on in the options page, which asks for that one origin', async () => {
    options = await browser.openExtensionPage('options.html');
    await options.waitForSelector('#timestamp-status p');
    expect(await options.textContent('#timestamp-status')).toContain('Trusted timestamps are off');
    expect(await options.isChecked('#timestamps-enabled')).toBe(false);

    // The worker can reach the local authority (the harness's host rules let localhost through).
    expect(await browser.worker.evaluate((url) => fetch(url).then((r) => r.status), tsa.url)).toBe(404);
    tsa.requests.length = 0;

    // A bad address is refused with a reason, and nothing is turned on.
    await options.check('#timestamps-enabled');
    await options.fill('#tsa-url', 'freetsa.org');
    await options.click('#save-timestamps');
    await options.waitForSelector('#timestamp-settings-result[data-kind="error"]');
    expect(await options.textContent('#timestamp-settings-result')).toContain('not a web address');

    // Keyboard only: type the address, Enter submits the form.
    await options.fill('#tsa-url', tsa.url);
    await options.focus('#tsa-url');
    await options.keyboard.press('Enter');
    await options.waitForSelector('#timestamp-settings-result[data-kind="success"]');
    expect(await options.textContent('#timestamp-settings-result')).toContain(`sent to http://localhost:${tsa.port}`);
    const settings = await browser.worker.evaluate(() =>
      chrome.storage.local.get('settings').then((s) => s.settings as Record<string, unknown>),
    );
    expect(settings).toMatchObject({ timestampsEnabled: true, tsaUrl: tsa.url });
    await options.waitForFunction(() =>
      document.querySelector('#timestamp-status')?.textContent?.includes('Trusted timestamps are on'),
    );
  });

  it('timestamps a captured post and its author profile; openssl ts -verify passes on the exported tokens', async () => {
    await withPage(browser, X_STATUS_URL, async (page) => {
      const popup = await openPopup(browser, page);
      expect(await captureFromPopup(popup)).toEqual({ kind: 'success', text: 'Saved as evidence.' });
      await popup.close();
      const { posts, dump } = await waitForSettledPosts(browser.worker, 1);
      const post = posts[0]!;
      const profile = dump.captures.find((c) => c.parentId === post.id);
      expect(profile).toBeDefined();
      const stored = await waitForTimestamps([post.id, profile!.id]);

      const added = stored.custody.find(
        (e) =>
          e.captureId === post.id &&
          e.action === 'artifact-added' &&
          (e.detail.artifact as { name: string }).name === 'timestamp.tsr',
      )!;
      const captured = stored.custody.find((e) => e.captureId === post.id && e.action === 'captured')!;
      expect(added.detail).toMatchObject({
        tsaUrl: tsa.url,
        digest: captured.hash,
        artifact: { mime: 'application/timestamp-reply' },
      });
      expect(Date.parse(String(added.detail.genTime))).toBeGreaterThanOrEqual(Date.parse(post.capturedAt) - 2000);
      // One request per capture, and nothing else went to the authority.
      expect(tsa.requests).toHaveLength(2);

      const bundle = await exportAndVerify(page, 'bundle-1');
      expect(bundle.stamped.map((s) => s.digest)).toEqual(expect.arrayContaining([captured.hash]));
      expect(bundle.stamped).toHaveLength(2);
      expect(bundle.readme).toContain('WHEN: THE INDEPENDENT TIMESTAMP');
      expect(bundle.readme).toContain(
        `openssl ts -verify -digest ${captured.hash} -in ${bundle.stamped.find((s) => s.digest === captured.hash)!.folder}/timestamp.tsr -CAfile tsa-ca.pem`,
      );
    });
  });

  it('still captures while the authority is unreachable, and the token arrives after it returns (Retry button)', async () => {
    await tsa.stop();
    const before = await readStore(browser.worker);
    const postsBefore = before.captures.filter((c) => c.kind === 'post').length;
    await withPage(browser, X_STATUS_URL, async (page) => {
      const popup = await openPopup(browser, page);
      expect(await captureFromPopup(popup)).toEqual({ kind: 'success', text: 'Saved as evidence.' });
      await popup.close();
      const { posts } = await waitForSettledPosts(browser.worker, postsBefore + 1);
      const post = posts[0]!;
      expect(before.captures.map((c) => c.id)).not.toContain(post.id);

      // The options page shows it waiting, and why.
      await options.bringToFront();
      await options.waitForFunction(
        () => document.querySelector('#timestamp-status')?.getAttribute('data-queued') === '1',
        null,
        { timeout: 15_000 },
      );
      expect(await options.textContent('#timestamp-status')).toMatch(
        /1 capture is waiting for a timestamp[\s\S]*Could not reach the timestamp service/,
      );
      // The alarm that retries even after the worker was stopped is set while anything waits.
      expect(
        await browser.worker.evaluate(() =>
          chrome.alarms.get('witness-box-timestamps').then((a) => a?.periodInMinutes),
        ),
      ).toBe(1);
      const waiting = await readStore(browser.worker);
      expect(waiting.artifacts.some((a) => a.captureId === post.id && a.name === 'timestamp.tsr')).toBe(false);
      expect(waiting.custody.some((e) => e.captureId === post.id && e.action === 'artifact-failed')).toBe(false);

      // Chrome stops an idle worker: the queue lives in storage, not in the worker.
      await browser.worker.evaluate(() => void ((self as unknown as { marker?: number }).marker = 1));
      const cdp = await options.context().newCDPSession(options);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();

      await tsa.start();
      await options.click('#retry-timestamps');
      await options.waitForFunction(
        () => document.querySelector('#timestamp-status')?.getAttribute('data-queued') === '0',
        null,
        { timeout: 15_000 },
      );
      expect(await options.textContent('#timestamp-status')).toContain('Last timestamp:');
      await waitForTimestamps([post.id]);
      // It really was a new worker that sent the queued request.
      expect(await browser.worker.evaluate(() => (self as unknown as { marker?: number }).marker ?? null)).toBeNull();
      expect(
        await browser.worker.evaluate(() => chrome.alarms.get('witness-box-timestamps').then((a) => a ?? null)),
      ).toBeNull();

      await page.bringToFront();
      const bundle = await exportAndVerify(page, 'bundle-2');
      expect(bundle.stamped).toHaveLength(3);
    });
  });

  it('has an options page without serious accessibility problems', async () => {
    await options.bringToFront();
    // Extension pages' CSP blocks inline scripts; page.evaluate is not governed by it.
    await options.evaluate(await readFile(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
    const results = await options.evaluate(async () => {
      type Result = { id: string; impact: string; nodes: { target: string[] }[] };
      const axe = (
        window as unknown as {
          axe: { run(ctx: Document, opts: object): Promise<{ violations: Result[]; passes: Result[] }> };
        }
      ).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return {
        passes: r.passes.length,
        violations: r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          nodes: v.nodes.map((n) => n.target.join(' ')),
        })),
      };
    });
    expect(results.passes).toBeGreaterThan(5);
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    if (process.env.KEEP_TMP === '1') await options.screenshot({ path: join(workDir, 'options.png'), fullPage: true });
  });
});
