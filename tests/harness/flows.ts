import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import type { Capture, CustodyEvent, Settings } from '../../src/evidence/model';
import type { Browser as ExtensionApi } from 'wxt/browser';
import { urlOpenedAt, type ExtensionBrowser } from './browser';
import { pollIn, type Evaluator, type PopupView } from './driver';

export { pollIn, type Evaluator, type PopupView } from './driver';

/** The extension's API inside `worker.evaluate` callbacks: `chrome` in Chromium's worker, `browser` (or `chrome`) in Firefox's extension pages. */
declare const chrome: typeof ExtensionApi;
declare const browser: typeof ExtensionApi | undefined;

/**
 * What a user does, as steps shared by the e2e tests (Chromium and Firefox),
 * `npm run demo` and the benchmark: open the popup over a page, click its
 * buttons, read what it says. The steps take the small driver interfaces below,
 * which Playwright's Chromium pages and workers and the Firefox harness
 * (tests/harness/firefox.ts) both provide (tests/harness/driver.ts).
 */

export const X_STATUS_URL = 'https://x.com/GazT_1977/status/1991234567890123456';
export const X_TIMELINE_URL = 'https://x.com/home';

const run = promisify(execFile);

/**
 * Closes a test's tab once Witness Box has brought it back from any visit to
 * an author's profile: closing a tab while the extension navigates it can
 * leave Playwright waiting for good.
 */
export async function closeWhenBack(page: Page, url = urlOpenedAt(page)): Promise<void> {
  if (url) await page.waitForURL(url, { timeout: 20_000 }).catch(() => undefined);
  await page.waitForLoadState('load').catch(() => undefined);
  await Promise.race([page.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

/** Opens `url` in a new tab for `work`, and closes the tab once Witness Box is done with it. */
export async function withPage<T>(
  browser: ExtensionBrowser,
  url: string,
  work: (page: Page) => Promise<T>,
): Promise<T> {
  const page = await browser.openPage(url);
  try {
    return await work(page);
  } finally {
    await closeWhenBack(page, url);
  }
}

/** Alt+Shift+E, the manifest's suggested key for capture-post. */
export const CAPTURE_SHORTCUT = { key: 'E', code: 'KeyE', keyCode: 69, alt: true, shift: true } as const;

/** Clicks the toolbar button over `page` and returns the popup that opens. */
export async function openPopup<P, V extends PopupView>(
  driver: { openToolbarPopup(page: P): Promise<V> },
  page: P,
): Promise<V> {
  const popup = await driver.openToolbarPopup(page);
  await pollIn(popup, () => (document.querySelector('#capture-post') ? true : null), null, 20_000, 'The popup');
  return popup;
}

export interface StatusMessage {
  kind: string;
  text: string;
}

/** Clicks a popup button and waits for the outcome it announces in the status line. */
export async function clickAndWaitForOutcome(
  popup: PopupView,
  selector: string,
  timeoutMs = 60_000,
): Promise<StatusMessage> {
  await popup.evaluate(() => {
    const status = document.querySelector<HTMLElement>('#status');
    if (status) status.dataset.kind = 'pending';
  }, null);
  await popup.click(selector);
  return pollIn(
    popup,
    () => {
      const status = document.querySelector<HTMLElement>('#status[data-kind="success"], #status[data-kind="error"]');
      return status ? { kind: status.dataset.kind ?? '', text: status.textContent ?? '' } : null;
    },
    null,
    timeoutMs,
    `The outcome of clicking ${selector}`,
  );
}

export function captureFromPopup(popup: PopupView): Promise<StatusMessage> {
  return clickAndWaitForOutcome(popup, '#capture-post');
}

/** Waits until no listed capture is still waiting for its DOM render or its author's profile. */
export async function waitForCapturesSettled(popup: Evaluator, count: number, timeoutMs = 30_000): Promise<void> {
  await pollIn(
    popup,
    (n) =>
      document.querySelectorAll('.capture').length >= n &&
      document.querySelectorAll('.capture--in-progress, .capture__profile--capturing').length === 0
        ? true
        : null,
    count,
    timeoutMs,
    `${count} settled captures in the popup`,
  );
}

/** Clicks "Export bundle" and returns the downloaded zip's path. */
export async function exportFromPopup(
  driver: { waitForDownload(predicate: (d: { filename: string }) => boolean, timeoutMs?: number): Promise<string> },
  popup: PopupView,
): Promise<{ zipPath: string; status: StatusMessage }> {
  const status = await clickAndWaitForOutcome(popup, '#export-bundle', 120_000);
  if (status.kind !== 'success') throw new Error(`Export failed: ${status.text}`);
  const zipPath = await driver.waitForDownload((d) => d.filename.endsWith('.zip'), 60_000);
  return { zipPath, status };
}

/** Unzips with the same path rules an officer's tools apply; refuses entries that would escape `dir`. */
export async function unzipTo(zipPath: string, dir: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(await readFile(zipPath));
  const names: string[] = [];
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    if (entry.name.startsWith('/') || entry.name.split('/').includes('..'))
      throw new Error(`Unsafe path in zip: ${entry.name}`);
    const target = join(dir, entry.name);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await entry.async('nodebuffer'));
    names.push(entry.name);
  }
  return names.sort();
}

/** Runs coreutils `sha256sum -c SHA256SUMS` in `dir`, exactly as the bundle's README tells an officer to. */
export async function sha256sumCheck(dir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

export interface StoreDump {
  captures: Capture[];
  custody: CustodyEvent[];
  artifacts: { captureId: string; name: string; size: number; type: string }[];
}

/** Reads the extension's IndexedDB from its service worker: what was really stored, not what the UI says. */
export function readStore(worker: Evaluator): Promise<StoreDump> {
  // No named functions inside: tsx (demo, bench) would wrap them in a __name() helper the browser lacks.
  return worker.evaluate(async () => {
    const db = await new Promise<IDBDatabase | null>((resolve, reject) => {
      const request = indexedDB.open('witness-box');
      // No store yet: opening must not create an empty one, or the extension's own upgrade would skip its schema.
      request.onupgradeneeded = () => request.transaction?.abort();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => (request.error?.name === 'AbortError' ? resolve(null) : reject(request.error));
    });
    if (!db) return { captures: [], custody: [], artifacts: [] };
    const [captures, custody, artifacts] = await Promise.all(
      ['captures', 'custody', 'artifacts'].map(
        (store) =>
          new Promise<unknown[]>((resolve, reject) => {
            const request = db.transaction(store).objectStore(store).getAll();
            request.onsuccess = () => resolve(request.result as unknown[]);
            request.onerror = () => reject(request.error);
          }),
      ),
    );
    db.close();
    return {
      captures: captures as Capture[],
      custody: custody as CustodyEvent[],
      artifacts: (artifacts as { captureId: string; name: string; blob: Blob }[]).map((a) => ({
        captureId: a.captureId,
        name: a.name,
        size: a.blob.size,
        type: a.blob.type,
      })),
    };
  }, null);
}

/** Posts whose render and author-profile steps have both finished (or failed with a reason). */
export function settledPosts(dump: StoreDump): Capture[] {
  const posts = dump.captures.filter((c) => c.kind === 'post');
  const eventsOf = (id: string) => dump.custody.filter((e) => e.captureId === id).map((e) => e.action);
  return posts.filter((post) => {
    const actions = eventsOf(post.id);
    const rendered = actions.includes('artifact-added') || actions.includes('artifact-failed');
    const profiled =
      dump.captures.some((c) => c.parentId === post.id) ||
      actions.includes('profile-linked') ||
      actions.includes('profile-failed');
    return rendered && profiled;
  });
}

/** Waits until `count` posts are stored and settled; returns the store and those posts, newest first. */
export async function waitForSettledPosts(
  worker: Evaluator,
  count: number,
  timeoutMs = 30_000,
): Promise<{ dump: StoreDump; posts: Capture[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dump = await readStore(worker);
    const posts = settledPosts(dump).sort((a, b) => b.capturedAt.localeCompare(a.capturedAt));
    if (posts.length >= count) return { dump, posts };
    if (Date.now() > deadline)
      throw new Error(
        `expected ${count} settled posts; store holds ${JSON.stringify(dump.captures.map((c) => [c.kind, c.permalink]))}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A stored capture of `kind` that was not in `before`, once nothing of it is still being saved. */
export async function waitForNewCapture(
  worker: Evaluator,
  before: StoreDump,
  kind: Capture['kind'],
  timeoutMs = 30_000,
): Promise<{ capture: Capture; dump: StoreDump }> {
  const known = new Set(before.captures.map((c) => c.id));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dump = await readStore(worker);
    const capture = dump.captures.find((c) => !known.has(c.id) && c.kind === kind);
    const settled =
      capture &&
      (capture.pending.length === 0 || dump.custody.some((e) => e.captureId === capture.id && e.action !== 'captured'));
    if (capture && settled) return { capture, dump };
    if (Date.now() > deadline)
      throw new Error(
        `no new ${kind} capture; store holds ${JSON.stringify(dump.captures.map((c) => [c.kind, c.url]))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Changes the extension's settings as the options page would, from its service worker. */
export async function setSettings(worker: Evaluator, changes: Partial<Settings>): Promise<void> {
  await worker.evaluate(async (update) => {
    const api = typeof browser === 'undefined' ? chrome : browser;
    const { settings: current = {} } = (await api.storage.local.get('settings')) as {
      settings?: Record<string, unknown>;
    };
    await api.storage.local.set({ settings: { ...current, ...update } });
  }, changes);
}

/** Texts of Witness Box's in-page toasts (closed shadow roots, read through CDP as DevTools does). */
export async function toastTexts(browser: ExtensionBrowser, page: Page): Promise<string[]> {
  const session = await browser.context.newCDPSession(page);
  try {
    const { root } = (await session.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: CdpNode };
    const out: string[] = [];
    const walk = (node: CdpNode, inToast: boolean, acc: string[]) => {
      const here = inToast || node.nodeName === 'WITNESS-BOX-TOAST';
      if (here && node.nodeType === 3 && node.nodeValue && node.parentId !== undefined) acc.push(node.nodeValue);
      for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child, here, acc);
    };
    for (const toast of findAll(root, (n) => n.nodeName === 'WITNESS-BOX-TOAST')) {
      const acc: string[] = [];
      walk(toast, true, acc);
      // The toast's <style> text is not the message.
      out.push(acc.filter((t) => !t.includes('position:fixed')).join(''));
    }
    return out;
  } finally {
    await session.detach().catch(() => undefined);
  }
}

interface CdpNode {
  nodeType: number;
  nodeName: string;
  nodeValue?: string;
  parentId?: number;
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
  contentDocument?: CdpNode;
}

function findAll(node: CdpNode, match: (n: CdpNode) => boolean, out: CdpNode[] = []): CdpNode[] {
  if (match(node)) out.push(node);
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) findAll(child, match, out);
  return out;
}

/** The first toast on `page` whose text matches `pattern`, waiting for it. */
export async function waitForToast(
  browser: ExtensionBrowser,
  page: Page,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await toastTexts(browser, page).catch(() => []);
    const hit = seen.find((t) => pattern.test(t));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`no toast matching ${pattern} within ${timeoutMs} ms; toasts seen: ${JSON.stringify(seen)}`);
}
