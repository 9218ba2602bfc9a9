import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCustodyChain } from '../../src/evidence/custody-chain';
import { firefoxSuite } from '../harness/suite';
import { FIREFOX_MISSING, inPage, resolveFirefox, withFirefoxPage } from '../harness/firefox';
import {
  clickAndWaitForOutcome,
  exportFromPopup,
  openPopup,
  pollIn,
  readStore,
  setSettings,
  sha256sumCheck,
  unzipTo,
  waitForNewCapture,
  X_STATUS_URL,
} from '../harness/flows';
import { startTsaServer, type TsaServer } from '../harness/tsa-server';
import { RELIABILITY, reliabilityTitle } from '../e2e/reliability-cases';

/** In the add-on's pages (where these callbacks run), Firefox's own API and the background page's window. */
declare const browser: {
  extension: { getBackgroundPage(): (Window & { browser: { tabs: Record<string, unknown> } }) | null };
};

const run = promisify(execFile);
const FAULT_URL = 'https://x.com/FaultFran/status/1991234567890130001';

if (!resolveFirefox()) console.log(`[e2e-firefox] skipped: ${FIREFOX_MISSING}`);

describe.skipIf(!resolveFirefox())('Witness Box in Firefox: faults and trusted timestamps', () => {
  const { browser: firefox } = firefoxSuite();
  let tsa: TsaServer;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'wbf-ts-'));
    tsa = await startTsaServer(join(workDir, 'tsa'));
    await setSettings(firefox.worker, { captureProfileWithPost: false });
  });

  afterAll(async () => {
    await tsa?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it(reliabilityTitle(RELIABILITY.workerStopped), async () => {
    await withFirefoxPage(firefox, FAULT_URL, async (page) => {
      const popup = await openPopup(firefox, page);
      const before = await readStore(firefox.worker);
      // Test instrumentation in the background page (gone when it reloads): hold the real screenshot
      // for a while and raise a flag, so the background can be stopped at a known point.
      await firefox.worker.evaluate(() => {
        const background = browser.extension.getBackgroundPage();
        if (!background) throw new Error('no background page');
        const tabs = background.browser.tabs;
        const real = tabs.captureVisibleTab as (...args: unknown[]) => Promise<string>;
        tabs.captureVisibleTab = (...args: unknown[]) =>
          real.apply(tabs, args).then(async (shot) => {
            Reflect.set(background, '__wbShotTaken', true);
            await new Promise((r) => background.setTimeout(r, 5000));
            return shot;
          });
      }, null);
      await popup.evaluate(() => {
        document.querySelector<HTMLElement>('#status')!.dataset.kind = 'pending';
      }, null);
      await popup.click('#capture-post');
      await pollIn(
        firefox.worker,
        () => (Reflect.get(browser.extension.getBackgroundPage() ?? {}, '__wbShotTaken') === true ? true : null),
        null,
        15_000,
        'The screenshot',
      );
      // The background page stops as when Firefox unloads it: everything it was doing is gone.
      await firefox.worker.evaluate(() => browser.extension.getBackgroundPage()?.location.reload(), null);

      const status = await pollIn(
        popup,
        () => {
          const s = document.querySelector<HTMLElement>('#status[data-kind="error"], #status[data-kind="success"]');
          return s ? { kind: s.dataset.kind, text: s.textContent } : null;
        },
        null,
        15_000,
        'The popup answering',
      );
      expect(status.kind, status.text ?? '').toBe('error');
      expect(status.text).toMatch(/interrupted/i);
      console.log(`[e2e-firefox] background stopped mid-capture; popup says: ${status.text}`);
      // The page shows its error toast too (its words sit in a closed shadow root, which Firefox lets no test read).
      await pollIn(
        inPage(page),
        () => (document.querySelector('witness-box-toast') ? true : null),
        null,
        15_000,
        'The toast on the page',
      );

      const after = await readStore(firefox.worker);
      expect(after.captures.length).toBe(before.captures.length);
      expect(after.custody.length).toBe(before.custody.length);
      expect(after.artifacts.length).toBe(before.artifacts.length);

      await pollIn(
        firefox.worker,
        () => (browser.extension.getBackgroundPage()?.document.readyState === 'complete' ? true : null),
        null,
        15_000,
        'The background page back',
      );
      const again = await openPopup(firefox, page);
      expect((await clickAndWaitForOutcome(again, '#capture-post')).kind).toBe('success');
      const { dump } = await waitForNewCapture(firefox.worker, before, 'post');
      expect(await verifyCustodyChain(dump.custody)).toEqual({ ok: true });
    });
  });

  it('trusted timestamps from the local RFC 3161 authority: turned on in the options page, openssl ts -verify passes', async () => {
    const options = await firefox.openExtensionPage('options.html');
    try {
      await options.evaluate((url) => {
        const enabled = document.querySelector<HTMLInputElement>('#timestamps-enabled')!;
        if (!enabled.checked) enabled.click();
        document.querySelector<HTMLInputElement>('#tsa-url')!.value = url;
      }, tsa.url);
      // A real click, so Firefox treats the permission request as the user's; then the user's "Allow".
      await options.click('#save-timestamps');
      await firefox.inBrowserWindow(`
        for (let i = 0; i < 100; i++) {
          const prompt = PopupNotifications.getNotification('addon-webext-permissions', gBrowser.selectedBrowser);
          if (prompt) { prompt.mainAction.callback(); PopupNotifications.remove(prompt); return true; }
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('Firefox asked for no permission');`);
      const saved = await pollIn(
        options,
        () => {
          const result = document.querySelector<HTMLElement>('#timestamp-settings-result');
          const kind = result?.dataset.kind;
          return kind === 'success' || kind === 'error' ? { kind, text: result?.textContent ?? '' } : null;
        },
        null,
        15_000,
        'Saving the timestamp settings',
      );
      expect(saved, saved.text).toMatchObject({ kind: 'success' });
      expect(saved.text).toContain(`sent to http://localhost:${tsa.port}`);
    } finally {
      await options.close();
    }

    await withFirefoxPage(firefox, X_STATUS_URL, async (page) => {
      const before = await readStore(firefox.worker);
      const popup = await openPopup(firefox, page);
      expect((await clickAndWaitForOutcome(popup, '#capture-post')).kind).toBe('success');
      const { capture } = await waitForNewCapture(firefox.worker, before, 'post');
      const stored = await pollIn(
        firefox.worker,
        async (id) => {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const request = indexedDB.open('witness-box');
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
            const request = db.transaction('artifacts').objectStore('artifacts').getAllKeys();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          db.close();
          return keys.some((k) => Array.isArray(k) && k[0] === id && k[1] === 'timestamp.tsr') ? true : null;
        },
        capture.id,
        30_000,
        'The timestamp token',
      );
      expect(stored).toBe(true);
      expect(tsa.requests.length).toBeGreaterThanOrEqual(1);

      const { zipPath } = await exportFromPopup(firefox, await openPopup(firefox, page));
      const dir = join(workDir, 'bundle');
      const files = await unzipTo(zipPath, dir);
      expect((await sha256sumCheck(dir)).ok).toBe(true);
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
        captures: { id: string; folder: string }[];
      };
      const folder = manifest.captures.find((c) => c.id === capture.id)!.folder;
      expect(files).toContain(`${folder}/timestamp.tsr`);
      const log = (await readFile(join(dir, 'custody-log.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { action?: string; captureId?: string; hash: string });
      const digest = log.find((e) => e.action === 'captured' && e.captureId === capture.id)!.hash;
      const { stdout, stderr } = await run(
        'openssl',
        ['ts', '-verify', '-digest', digest, '-in', `${folder}/timestamp.tsr`, '-CAfile', tsa.tsa.caCert],
        { cwd: dir },
      );
      expect(stdout + stderr).toContain('Verification: OK');
    });
  });
});
