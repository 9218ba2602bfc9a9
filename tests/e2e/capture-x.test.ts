import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Browser as ExtensionApi } from 'wxt/browser';
import { verifyCustodyChain } from '../../src/evidence/custody-chain';
import { extensionSuite } from '../harness/suite';
import { RELIABILITY, reliabilityTitle } from './reliability-cases';
import {
  CAPTURE_SHORTCUT,
  captureFromPopup,
  exportFromPopup,
  openPopup,
  readStore,
  sha256sumCheck,
  unzipTo,
  waitForCapturesSettled,
  X_STATUS_URL,
  settledPosts,
  waitForSettledPosts,
  type StoreDump,
  X_TIMELINE_URL,
  withPage,
} from '../harness/flows';

declare const chrome: typeof ExtensionApi;

const FOCAL_PERMALINK = X_STATUS_URL;

const { browser } = extensionSuite();

/** SHA-256 of every stored artifact, computed in the extension from the bytes IndexedDB holds. */
function hashStoredArtifacts(): Promise<Record<string, string>> {
  return browser.worker.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('witness-box');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const rows = await new Promise<{ captureId: string; name: string; blob: Blob }[]>((resolve, reject) => {
      const request = db.transaction('artifacts').objectStore('artifacts').getAll();
      request.onsuccess = () => resolve(request.result as { captureId: string; name: string; blob: Blob }[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    const out: Record<string, string> = {};
    for (const row of rows) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await row.blob.arrayBuffer()));
      out[`${row.captureId}/${row.name}`] = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    }
    return out;
  });
}

function settledPostCount(dump: StoreDump): number {
  return settledPosts(dump).length;
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('capturing an X post', () => {
  it('captures the main post of a status page from the toolbar popup, hashed and stored whole', async () => {
    await withPage(browser, X_STATUS_URL, async (page) => {
      const popup = await openPopup(browser, page);
      const outcome = await captureFromPopup(popup);
      expect(outcome).toEqual({ kind: 'success', text: 'Saved as evidence.' });
      await page.waitForSelector('witness-box-toast', { state: 'attached', timeout: 5000 });

      await waitForCapturesSettled(popup, 1);
      const listed = await popup.locator('.capture').first().textContent();
      expect(listed).toContain('Gary Thornbury @GazT_1977');
      expect(listed).toContain('Saved, 5 files');

      const { dump, posts } = await waitForSettledPosts(browser.worker, 1);
      const [capture] = posts;
      expect(capture).toMatchObject({
        kind: 'post',
        platform: 'x',
        url: X_STATUS_URL,
        permalink: FOCAL_PERMALINK,
        postId: '1991234567890123456',
        author: { displayName: 'Gary Thornbury', handle: 'GazT_1977', profileUrl: 'https://x.com/GazT_1977' },
        shownTime: { iso: '2026-11-20T18:42:07.000Z' },
        missing: [],
        pending: ['post-render.png'],
      });
      expect(capture!.capturedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(capture!.text).toContain('go back to where you came from');
      expect(capture!.artifacts.map((a) => a.name).sort()).toEqual([
        'page.mhtml',
        'post.html',
        'post.png',
        'viewport.png',
      ]);
      expect(dump.custody.filter((e) => e.captureId === capture!.id).map((e) => e.action)).toEqual([
        'captured',
        'artifact-added',
      ]);
      expect(await verifyCustodyChain(dump.custody)).toEqual({ ok: true });
      const timings = JSON.parse((await popup.getAttribute('#status', 'data-timings')) ?? '{}') as Record<
        string,
        number
      >;
      console.log(
        `[e2e] capture step timings (ms): ${JSON.stringify({ ...timings, render: dump.custody.find((e) => e.action === 'artifact-added')!.detail.renderMs })}`,
      );

      // Hashes recorded at capture match the bytes in storage, render included.
      const stored = await hashStoredArtifacts();
      const addedRef = dump.custody.find((e) => e.action === 'artifact-added')!.detail.artifact as {
        name: string;
        sha256: string;
      };
      for (const ref of [...capture!.artifacts, addedRef])
        expect(stored[`${capture!.id}/${ref.name}`]).toBe(ref.sha256);
      expect(dump.artifacts.find((a) => a.name === 'page.mhtml')?.type).toBe('multipart/related');
    });
  });

  it('captures the post nearest the middle of the screen with the keyboard shortcut', async () => {
    await withPage(browser, X_TIMELINE_URL, async (page) => {
      const expected = await page.evaluate(() => {
        const centre = innerHeight / 2;
        const posts = [...document.querySelectorAll('article[data-testid="tweet"]')];
        const distance = (el: Element) =>
          Math.abs((el.getBoundingClientRect().top + el.getBoundingClientRect().bottom) / 2 - centre);
        const nearest = posts.sort((a, b) => distance(a) - distance(b))[0];
        return nearest?.querySelector('a[href*="/status/"] time')?.closest('a')?.getAttribute('href');
      });
      expect(expected).toBeTruthy();
      const before = settledPostCount(await readStore(browser.worker));
      await browser.pressShortcut(page, CAPTURE_SHORTCUT);
      const [newest] = (await waitForSettledPosts(browser.worker, before + 1)).posts;
      expect(newest?.permalink).toBe(`https://x.com${expected}`);
      expect(newest?.url).toBe(X_TIMELINE_URL);
    });
  });

  it('captures the reply the user right-clicked, through the context menu', async () => {
    await withPage(browser, X_STATUS_URL, async (page) => {
      // The toolbar click stands in for the activeTab grant Chromium gives a real context-menu click.
      const popup = await browser.openToolbarPopup(page);
      await popup.close();
      const reply = page.locator('article[data-testid="tweet"]').nth(1);
      const replyHref = await reply.locator('a[href*="/status/"]:has(time)').first().getAttribute('href');
      const before = settledPostCount(await readStore(browser.worker));
      await browser.chooseContextMenuItem(
        page,
        'article[data-testid="tweet"] >> nth=1 >> [data-testid="tweetText"]',
        'capture-post',
      );
      const [newest] = (await waitForSettledPosts(browser.worker, before + 1)).posts;
      expect(newest?.permalink).toBe(`https://x.com${replyHref}`);
      expect(newest?.isReply).toBe(true);
      expect(newest?.replyToUrl).toBe(FOCAL_PERMALINK);
    });
  });

  it(reliabilityTitle(RELIABILITY.syntheticRightClick), async () => {
    await withPage(browser, X_STATUS_URL, async (page) => {
      const popup = await browser.openToolbarPopup(page);
      await popup.close();
      const posts = page.locator('article[data-testid="tweet"]');
      const permalinkOf = (n: number) =>
        posts.nth(n).locator('a[href*="/status/"]:has(time)').first().getAttribute('href');
      const [replyHref, focalHref] = [await permalinkOf(1), await permalinkOf(0)];
      expect(replyHref).not.toBe(focalHref);
      // The page answers every real right-click with synthetic ones at the focal post, at once and a moment later.
      await page.evaluate(() => {
        document.addEventListener(
          'contextmenu',
          (event) => {
            if (!event.isTrusted) return;
            const decoy = document.querySelector('article[data-testid="tweet"] [data-testid="tweetText"]')!;
            const fire = () =>
              decoy.dispatchEvent(
                new MouseEvent('contextmenu', { bubbles: true, composed: true, cancelable: true, button: 2 }),
              );
            fire();
            setTimeout(fire, 0);
            setTimeout(fire, 50);
          },
          true,
        );
      });
      const before = settledPostCount(await readStore(browser.worker));
      await browser.chooseContextMenuItem(
        page,
        'article[data-testid="tweet"] >> nth=1 >> [data-testid="tweetText"]',
        'capture-post',
      );
      const [newest] = (await waitForSettledPosts(browser.worker, before + 1)).posts;
      expect(newest?.permalink).toBe(`https://x.com${replyHref}`);
    });
  });

  it('exports a signed bundle that sha256sum -c and openssl verify, and that fails after one byte changes', async () => {
    await withPage(browser, X_STATUS_URL, async (page) => {
      const popup = await openPopup(browser, page);
      const { zipPath, status } = await exportFromPopup(browser, popup);
      const stored = await readStore(browser.worker);
      expect(status.text).toContain(`Exported ${stored.captures.length} captures`);

      const dir = join(browser.tmpDir, 'unzipped');
      const files = await unzipTo(zipPath, dir);
      expect(files).toEqual(expect.arrayContaining(['SHA256SUMS', 'manifest.json', 'custody-log.jsonl', 'README.txt']));
      const check = await sha256sumCheck(dir);
      expect(check.ok).toBe(true);
      expect(check.output).not.toContain('FAILED');

      // The installation's signature over the manifest checks with openssl alone.
      const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
      const verifySignature = () =>
        openssl(['dgst', '-sha256', '-verify', 'public-key.pem', '-signature', 'manifest.sig', 'manifest.json']);
      expect(verifySignature()).toContain('Verified OK');

      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
        captures: { folder: string; id: string }[];
      };
      expect(manifest.captures.map((c) => c.id).sort()).toEqual(stored.captures.map((c) => c.id).sort());

      // The crop is the post's box in screenshot pixels.
      const first = stored.captures.find((c) => c.id === manifest.captures[0]!.id)!;
      const postPng = join(dir, manifest.captures[0]!.folder, 'post.png');
      const bytes = await readFile(postPng);
      expect(pngSize(bytes).width).toBe(
        Math.ceil(first.postRect!.x + first.postRect!.width) - Math.floor(first.postRect!.x),
      );

      const at = bytes.length - 20;
      bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
      await writeFile(postPng, bytes);
      const tampered = await sha256sumCheck(dir);
      expect(tampered.ok).toBe(false);
      expect(tampered.output).toMatch(/post\.png: FAILED/);

      const manifestBytes = await readFile(join(dir, 'manifest.json'));
      manifestBytes.writeUInt8(manifestBytes.readUInt8(10) ^ 0x01, 10);
      await writeFile(join(dir, 'manifest.json'), manifestBytes);
      expect(verifySignature).toThrow();
    });
  });
});

describe('pages a capture cannot come from', () => {
  it('refuses a chrome:// page, says why, and stores nothing', async () => {
    await withPage(browser, 'chrome://version/', async (page) => {
      const before = await readStore(browser.worker);
      const popup = await browser.openExtensionPage('popup.html', { asPopupWindow: true });
      expect(page.url()).toBe('chrome://version/');
      const outcome = await captureFromPopup(popup);
      await popup.close();
      expect(outcome.kind).toBe('error');
      expect(outcome.text).toContain('Witness Box cannot capture this tab: it is a browser page');
      const after = await readStore(browser.worker);
      expect(after.captures.length).toBe(before.captures.length);
      expect(after.custody.length).toBe(before.custody.length);
    });
  });

  it('says there is no post on a page without one, and stores nothing', async () => {
    await withPage(browser, 'https://x.com/SuspendedSam', async (page) => {
      const before = await readStore(browser.worker);
      const popup = await openPopup(browser, page);
      const outcome = await captureFromPopup(popup);
      expect(outcome.kind).toBe('error');
      expect(outcome.text).toMatch(/No post captured: no post was found on screen/);
      const after = await readStore(browser.worker);
      expect(after.captures.length).toBe(before.captures.length);
      expect(after.custody.length).toBe(before.custody.length);
    });
  });

  it('keeps the screenshot when a cross-origin image cannot go into the render, and says so', async () => {
    await withPage(browser, 'https://x.com/NoCorsNed/status/1991234567890129999', async (page) => {
      const before = settledPostCount(await readStore(browser.worker));
      const popup = await openPopup(browser, page);
      const outcome = await captureFromPopup(popup);
      expect(outcome.kind).toBe('success');
      const { dump } = await waitForSettledPosts(browser.worker, before + 1);
      const capture = dump.captures.find((c) => c.kind === 'post' && c.author.handle === 'NoCorsNed')!;
      expect(capture.artifacts.map((a) => a.name)).toContain('post.png');
      const renderEvent = dump.custody.find((e) => e.captureId === capture.id && e.action !== 'captured')!;
      expect(renderEvent.action).toBe('artifact-added');
      expect(renderEvent.detail.omittedImages).toEqual(['https://nocors.example/media/count-night.png']);
    });
  });
});
