/**
 * Issue 7, security: captured strings never run, extension pages carry a strict
 * CSP, the page cannot forge a capture or reach the content script, and the
 * extension's own contexts make no network request.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dialog, Page, Request } from 'playwright-core';
import { DEFAULT_EXTENSION_PATH } from '../harness/browser';
import { extensionSuite } from '../harness/suite';
import {
  closeWhenBack,
  CAPTURE_SHORTCUT,
  captureFromPopup,
  clickAndWaitForOutcome,
  openPopup,
  readStore,
  setSettings,
  unzipTo,
  type StoreDump,
} from '../harness/flows';
import { RELIABILITY, reliabilityTitle } from './reliability-cases';

const XSS_URL = 'https://x.com/XssXavier/status/1991234567890130666';
const PLAIN_URL = 'https://x.com/FaultFran/status/1991234567890130001';
/** Some of the payloads in xss-status.html's post text (the page shows them as text). */
const XSS_SAMPLES = [
  `<script>window.__pwned='script';alert(1)</script>`,
  `<img src=x onerror="window.__pwned='img';alert(1)">`,
  `'--><iframe srcdoc="<script>parent.__pwned='srcdoc'</script>"></iframe>`,
];
const XSS_NAME = `<img src=x onerror="window.__pwned='name'">Xavier`;
/** Elements and attributes through which a payload could run, if any were parsed as HTML. */
const ACTIVE_SELECTOR =
  'script:not([src]), iframe, object, embed, base, meta[http-equiv="refresh"], [onerror], [onload], a[href^="javascript:"]';

const { browser, server } = extensionSuite();
const dialogs: string[] = [];

beforeAll(async () => {
  await setSettings(browser.worker, { captureProfileWithPost: false });
  browser.context.on('page', (p) => p.on('dialog', (d) => onDialog(p.url(), d)));
});

/** Waits for the capture a shortcut press makes, and fails if it makes more than one. */
async function exactlyOneNewCapture(before: StoreDump): Promise<StoreDump['captures']> {
  let fresh: StoreDump['captures'] = [];
  await expect
    .poll(
      async () =>
        (fresh = (await readStore(browser.worker)).captures.filter((c) => !before.captures.some((b) => b.id === c.id)))
          .length,
      {
        timeout: 20_000,
      },
    )
    .toBe(1);
  return fresh;
}

function onDialog(where: string, dialog: Dialog): void {
  dialogs.push(`${where}: ${dialog.message()}`);
  void dialog.dismiss();
}

async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null);
}

/**
 * Opens captured HTML from file:// and checks that nothing in it runs or
 * loads, even when its javascript: link and form are clicked; returns whether
 * it held the fixture's live hostile markup.
 */
async function expectInert(path: string): Promise<boolean> {
  const html = await readFile(path, 'utf8');
  expect(html.startsWith(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`), path).toBe(true);
  const url = pathToFileURL(path).href;
  const page = await browser.context.newPage();
  // Chromium reports what the policy blocks as a request failed with "csp": attempted, never sent.
  const blocked: string[] = [];
  const sent: string[] = [];
  page.on('requestfinished', (r) => {
    if (r.url() !== url) sent.push(r.url());
  });
  page.on('requestfailed', (r) => (r.failure()?.errorText === 'csp' ? blocked : sent).push(r.url()));
  page.on('dialog', (d) => onDialog(url, d));
  try {
    await page.goto(url);
    await page.waitForTimeout(1000);
    const holdsHostile = (await page.locator('.hostile-markup').count()) > 0;
    if (holdsHostile) {
      // The markup is kept as captured, handlers and all: only inert.
      expect(await page.locator('.hostile-markup img[onerror]').count()).toBe(1);
      for (const selector of ['.hostile-markup a.js-link', '.hostile-markup button.form-button']) {
        // A navigation the policy blocks never finishes: do not wait for it.
        await page.locator(selector).click({ noWaitAfter: true });
        await page.waitForTimeout(300);
      }
    }
    expect(page.url()).toBe(url);
    expect(await pwned(page)).toBeNull();
    expect(
      await page.evaluate(() => (window as unknown as { __pwnedScript?: unknown }).__pwnedScript ?? null),
    ).toBeNull();
    expect(await page.locator('meta[http-equiv="refresh" i]').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(sent, `${path} sent requests`).toEqual([]);
    // The hostile markup did try: its remote image, srcset, CSS url()s, stylesheet, SVG image and poster were all stopped.
    if (holdsHostile)
      expect(blocked).toEqual(
        expect.arrayContaining([
          'https://evil.example/remote.png',
          'https://evil.example/sheet.css',
          'https://evil.example/css-bg.png',
        ]),
      );
    return holdsHostile;
  } finally {
    await page.close();
  }
}

async function waitForRender(captureId: string): Promise<StoreDump> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const dump = await readStore(browser.worker);
    if (dump.custody.some((e) => e.captureId === captureId && e.action !== 'captured')) return dump;
    if (Date.now() > deadline) throw new Error(`render of ${captureId} never recorded`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('captured strings never execute', () => {
  it(reliabilityTitle(RELIABILITY.xss), async () => {
    const page = await browser.openPage(XSS_URL);
    const before = await readStore(browser.worker);
    const popup = await openPopup(browser, page);
    popup.on('dialog', (d) => onDialog('popup', d));
    expect((await captureFromPopup(popup)).kind).toBe('success');
    const capture = (await readStore(browser.worker)).captures.find(
      (c) => !before.captures.some((b) => b.id === c.id),
    )!;
    await waitForRender(capture.id);
    // Stored exactly as shown.
    expect(capture.author.displayName).toBe(XSS_NAME);
    for (const sample of XSS_SAMPLES) expect(capture.text).toContain(sample);

    // The popup lists it as text.
    await popup.waitForFunction(
      (name) => document.querySelector('.capture__who')?.textContent?.includes(name),
      XSS_NAME,
    );
    expect(await pwned(popup)).toBeNull();
    expect(await popup.locator(`#captures :is(${ACTIVE_SELECTOR})`).count()).toBe(0);

    // The exported report.html, opened from the unzipped bundle as an officer would.
    const exporter = await browser.openExtensionPage('popup.html', { asPopupWindow: true });
    const status = await clickAndWaitForOutcome(exporter, '#export-bundle', 120_000);
    expect(status.kind).toBe('success');
    expect(await pwned(exporter)).toBeNull();
    const zipPath = await browser.waitForDownload((d) => d.filename.endsWith('.zip'), 60_000);
    await exporter.close();
    const dir = join(browser.tmpDir, 'xss-unzipped');
    const files = await unzipTo(zipPath, dir);
    expect(files).toContain('report.html');
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;|<meta http-equiv="Content-Security-Policy" content="default-src 'none'/,
    );
    const report = await browser.context.newPage();
    report.on('dialog', (d) => onDialog('report', d));
    await report.goto(pathToFileURL(join(dir, 'report.html')).href);
    await report.waitForTimeout(500);
    expect(await pwned(report)).toBeNull();
    expect(await report.locator(ACTIVE_SELECTOR).count()).toBe(0);
    const text = (await report.textContent('body')) ?? '';
    expect(text).toContain(XSS_NAME);
    for (const sample of XSS_SAMPLES) expect(text).toContain(sample);
    await report.close();

    // Every captured page file in the bundle (post.html; page.html on Firefox), opened from file:// as an officer would.
    const captured = files.filter((f) => f.startsWith('captures/') && f.endsWith('.html'));
    expect(captured.some((f) => f.endsWith('/post.html'))).toBe(true);
    let hostile = 0;
    for (const file of captured) hostile += (await expectInert(join(dir, file))) ? 1 : 0;
    expect(hostile).toBeGreaterThan(0);

    expect(dialogs).toEqual([]);
    await popup.close().catch(() => undefined);
    await closeWhenBack(page);
  });
});

describe('extension pages carry a strict CSP', () => {
  it("the built manifest allows only the extension's own scripts, no eval, no plugins", async () => {
    const manifest = JSON.parse(await readFile(join(DEFAULT_EXTENSION_PATH, 'manifest.json'), 'utf8')) as {
      content_security_policy?: { extension_pages?: string };
      externally_connectable?: unknown;
      web_accessible_resources?: unknown;
    };
    const csp = manifest.content_security_policy?.extension_pages ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name!, values]),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    // No web page may message the extension or load its files.
    expect(manifest.externally_connectable).toBeUndefined();
    expect(manifest.web_accessible_resources).toBeUndefined();
    // And no extension page carries an inline script the CSP would have to allow.
    for (const name of ['popup.html', 'manager.html', 'offscreen.html']) {
      const page = await readFile(join(DEFAULT_EXTENSION_PATH, name), 'utf8');
      expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });
});

describe('the page cannot forge a capture or reach the content script', () => {
  it(reliabilityTitle(RELIABILITY.forgedMessages), async () => {
    const page = await browser.openPage(PLAIN_URL);
    // Let the content script load, then imitate the extension every way a page can.
    await page.waitForTimeout(300);
    const before = await readStore(browser.worker);
    const reach = await page.evaluate(async (extensionId) => {
      const envelopes = [
        { to: 'content', type: 'toast', payload: { level: 'success', message: 'FORGED toast' } },
        { to: 'content', type: 'locate-post', payload: { trigger: 'popup' } },
        { to: 'content', type: 'render-post', payload: { token: 'x' } },
        { to: 'background', type: 'capture-tab', payload: { tabId: 1, trigger: 'popup' } },
        { to: 'background', type: 'export-bundle', payload: {} },
      ];
      for (const e of envelopes) {
        window.postMessage(e, '*');
        window.postMessage(JSON.stringify(e), '*');
        document.dispatchEvent(new CustomEvent(e.type, { detail: e }));
        window.dispatchEvent(new CustomEvent('message', { detail: e }));
      }
      document.dispatchEvent(new CustomEvent('witness-box-capture', { detail: { trigger: 'popup' } }));
      // The extension's own messaging, from the page's world.
      const c = (window as unknown as { chrome?: { runtime?: { sendMessage?: (...a: unknown[]) => unknown } } }).chrome;
      let runtime = 'no chrome.runtime.sendMessage in the page';
      if (c?.runtime?.sendMessage) {
        try {
          await c.runtime.sendMessage(extensionId, envelopes[3]);
          runtime = 'sendMessage accepted';
        } catch (error) {
          runtime = `sendMessage refused: ${(error as Error).message}`;
        }
      }
      // A fake of the extension's toast.
      const fake = document.createElement('witness-box-toast');
      fake.textContent = 'Saved as evidence: post by @FaultFran.';
      document.documentElement.append(fake);
      return runtime;
    }, browser.extensionId);
    console.log(`[e2e] page world, extension messaging: ${reach}`);
    expect(reach).not.toBe('sendMessage accepted');
    await page.waitForTimeout(1500);
    const after = await readStore(browser.worker);
    expect(after.captures.length).toBe(before.captures.length);
    expect(after.custody.length).toBe(before.custody.length);
    // Only the page's own fake is there: no real toast was made by the forged "toast" message.
    expect(await page.locator('witness-box-toast').count()).toBe(1);
    expect(await page.locator('witness-box-toast').evaluate((el) => el.shadowRoot === null && el.textContent)).toBe(
      'Saved as evidence: post by @FaultFran.',
    );
    // And the imitation does not get in the way of a real capture.
    await browser.pressShortcut(page, CAPTURE_SHORTCUT);
    const fresh = await exactlyOneNewCapture(before);
    await expect.poll(() => page.locator('witness-box-toast').count(), { timeout: 5000 }).toBe(2);
    await waitForRender(fresh[0]!.id);
    await closeWhenBack(page);
  });
});

describe('no network request from extension contexts', () => {
  it(reliabilityTitle(RELIABILITY.networkSilence), async () => {
    const fromExtension: string[] = [];
    const record = (request: Request) => {
      const url = request.url();
      if (!/^(https?|wss?|ftp):/i.test(url)) return;
      let origin = '';
      try {
        origin = request.serviceWorker()?.url() ?? request.frame().url();
      } catch {
        origin = '';
      }
      if (origin.startsWith('chrome-extension://')) fromExtension.push(`${origin} -> ${url}`);
    };
    browser.context.on('request', record);
    try {
      // Positive control: the recorder does see a request the worker makes.
      await browser.worker.evaluate(() =>
        fetch('https://x.com/wb-recorder-probe').then(
          () => undefined,
          () => undefined,
        ),
      );
      await expect.poll(() => fromExtension.length, { timeout: 5000 }).toBe(1);
      fromExtension.length = 0;

      const page = await browser.openPage(PLAIN_URL);
      const before = await readStore(browser.worker);
      server.requests.length = 0;
      await browser.pressShortcut(page, CAPTURE_SHORTCUT);
      const fresh = await exactlyOneNewCapture(before);
      await waitForRender(fresh[0]!.id);
      const duringCapture = server.requests.map((r) => `${r.host}${r.path}`);

      server.requests.length = 0;
      const exporter = await browser.openExtensionPage('popup.html', { asPopupWindow: true });
      expect((await clickAndWaitForOutcome(exporter, '#export-bundle', 120_000)).kind).toBe('success');
      await browser.waitForDownload((d) => d.filename.endsWith('.zip'), 60_000);
      await exporter.close();
      const duringExport = server.requests.map((r) => `${r.host}${r.path}`);
      await closeWhenBack(page);

      console.log(
        `[e2e] requests reaching the fixture hosts: during capture ${JSON.stringify(duringCapture)}; during export ${JSON.stringify(duringExport)}`,
      );
      expect(fromExtension).toEqual([]);
      // The export touches no network at all, from any context.
      expect(duringExport).toEqual([]);
    } finally {
      browser.context.off('request', record);
    }
  });
});
