/**
 * Real Firefox (Debian's firefox-esr) with the built extension, driven by
 * puppeteer-core over WebDriver BiDi: no geckodriver (no Debian package; the
 * npm one downloads its binary) and no browser download. Playwright's Firefox
 * needs Playwright's own patched build, so it cannot drive a stock Firefox.
 *
 * - Fixture sites keep their real hostnames through a local CONNECT proxy
 *   (host-proxy.ts): Firefox has no --host-resolver-rules.
 * - `--remote-allow-system-access` lets BiDi open moz-extension:// pages and
 *   evaluate in the browser's own (chrome) window, from which the tests make the
 *   gestures a user makes: the toolbar click (which opens the real popup and
 *   grants activeTab), the keyboard shortcut as native key events, and the
 *   real context menu's item.
 * - BiDi never reports loads of moz-extension:// pages, and the toolbar popup is
 *   not a BiDi context at all: extension pages are polled rather than awaited,
 *   and the popup is reached from a helper extension tab through
 *   `browser.extension.getViews({ type: 'popup' })` (MV2).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { listDownloads, waitForDownload, type DownloadInfo, type Shortcut } from './browser';
import { pollIn, type Evaluator, type PopupView } from './driver';
import { REPO_ROOT, type FixtureServer } from './fixture-server';
import { startHostProxy, type HostProxy } from './host-proxy';

export const DEFAULT_FIREFOX = '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_PATH = join(REPO_ROOT, '.output', 'firefox-mv2');
export const GECKO_ID = 'witness-box@example.org';
/** Fixed with the pref extensions.webextensions.uuids, so the extension's pages have a known address. */
export const EXTENSION_UUID = '6a1f3c2e-1b7d-4c9a-9e4f-0d5b8a7c3e21';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;
/** An extension page with no script of its own work, kept open as the tests' window into the extension. */
const HELPER_PAGE = 'where-to-report.html';

export function resolveFirefox(): string | null {
  const path = process.env.FIREFOX_PATH || DEFAULT_FIREFOX;
  return existsSync(path) ? path : null;
}

export const FIREFOX_MISSING = `Firefox not found at ${process.env.FIREFOX_PATH || DEFAULT_FIREFOX}: install Debian's firefox-esr (\`apt-get install -y firefox-esr\`; .ci/run does) or set FIREFOX_PATH.`;

/** The toolbar popup, or an extension page in a tab: evaluate in it, click in it, close it. */
export interface FirefoxView extends PopupView {
  close(): Promise<void>;
}

/** An extension page in a tab, which can also be handed a file as the user would choose it. */
export interface FirefoxExtensionPage extends FirefoxView {
  uploadFile(selector: string, path: string): Promise<void>;
}

export interface FirefoxExtensionBrowser {
  browser: Browser;
  /** Evaluates in an extension page of the add-on: its IndexedDB, storage and `browser.*` APIs. */
  worker: Evaluator;
  tmpDir: string;
  proxy: HostProxy;
  openPage(url: string): Promise<Page>;
  /** Opens `moz-extension://<uuid>/<path>` in a new tab and waits until it has loaded. */
  openExtensionPage(path: string): Promise<FirefoxExtensionPage>;
  /** Clicks the toolbar button over `page`'s tab: Firefox opens the real popup and grants activeTab. */
  openToolbarPopup(page: Page): Promise<FirefoxView>;
  /** Native key events in the browser window, which reach the extension's shortcut as a user's keys do. */
  pressShortcut(page: Page, shortcut: Shortcut): Promise<void>;
  /** Right-clicks the `nth` element `selector` matches (the real context menu opens) and chooses the item labelled `label` in it. */
  chooseContextMenuItem(page: Page, selector: string, label: string, nth?: number): Promise<void>;
  /** Runs `body` (the inside of an async function) in the browser's own window; its JSON-able result. */
  inBrowserWindow<T>(body: string): Promise<T>;
  downloads(): Promise<DownloadInfo[]>;
  waitForDownload(predicate?: (d: DownloadInfo) => boolean, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export interface FirefoxLaunchOptions {
  server: Pick<FixtureServer, 'port' | 'hosts'>;
  extensionPath?: string;
  headless?: boolean;
}

/** The one part of puppeteer's BiDi browser the harness needs beyond its public API: raw BiDi commands. */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

function bidiConnection(browser: Browser): BidiConnection {
  const connection: unknown = Reflect.get(browser, 'connection');
  if (typeof connection !== 'object' || connection === null || typeof Reflect.get(connection, 'send') !== 'function')
    throw new Error('puppeteer gave no BiDi connection (is this Firefox over WebDriver BiDi?)');
  return {
    send: (method, params) => Reflect.apply(Reflect.get(connection, 'send'), connection, [method, params]),
  };
}

function firefoxPrefs(proxyPort: number, downloads: string): Record<string, unknown> {
  return {
    'network.proxy.type': 1,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': proxyPort,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': proxyPort,
    // The trusted-timestamp authority of the tests listens on 127.0.0.1 directly.
    'network.proxy.no_proxies_on': 'localhost, 127.0.0.1',
    'network.proxy.allow_hijacking_localhost': false,
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
    'browser.download.dir': downloads,
    'browser.download.folderList': 2,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.download.alwaysOpenPanel': false,
    // Nothing of Firefox's own services is reachable here; do not let it try.
    'services.settings.server': 'https://127.0.0.1:9/',
    'app.update.disabledForTesting': true,
    'browser.safebrowsing.update.enabled': false,
  };
}

export async function launchFirefoxWithExtension(opts: FirefoxLaunchOptions): Promise<FirefoxExtensionBrowser> {
  const executablePath = resolveFirefox();
  if (!executablePath) throw new Error(FIREFOX_MISSING);
  const extensionPath = resolve(opts.extensionPath ?? FIREFOX_EXTENSION_PATH);
  if (!existsSync(join(extensionPath, 'manifest.json')))
    throw new Error(`No built extension at ${extensionPath}: run \`npm run build:firefox\` first.`);
  const root = join(tmpdir(), `wbf-${randomBytes(4).toString('hex')}`);
  const downloadsDir = join(root, 'downloads');
  const savedDir = join(root, 'saved-downloads');
  const profileDir = join(root, 'profile');
  await Promise.all([downloadsDir, savedDir, profileDir].map((dir) => mkdir(dir, { recursive: true })));
  const proxy = await startHostProxy(opts.server);
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless: opts.headless ?? process.env.HEADLESS !== '0',
      acceptInsecureCerts: true,
      userDataDir: profileDir,
      args: ['--remote-allow-system-access'],
      defaultViewport: null,
      extraPrefsFirefox: firefoxPrefs(proxy.port, downloadsDir),
      env: { ...process.env, TMPDIR: join(root, 'tmp') },
    });
    await mkdir(join(root, 'tmp'), { recursive: true });
    await browser.installExtension(extensionPath);
    return await wrap(browser, proxy, root, savedDir);
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await proxy.close();
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function wrap(
  firefox: Browser,
  proxy: HostProxy,
  root: string,
  savedDir: string,
): Promise<FirefoxExtensionBrowser> {
  const bidi = bidiConnection(firefox);
  const [first] = await firefox.pages();
  const helper = first ?? (await firefox.newPage());
  await loadExtensionPage(helper, HELPER_PAGE);
  const worker: Evaluator = {
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) =>
      evaluateSource<R>(helper, `(${fn.toString()})(${JSON.stringify(arg ?? null)})`),
  };
  const popup: FirefoxView = {
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) =>
      evaluateSource<R>(
        helper,
        `(() => {
          const [view] = browser.extension.getViews({ type: 'popup' });
          if (!view) throw new Error('the toolbar popup is not open');
          return ((document, window) => (${fn.toString()})(${JSON.stringify(arg ?? null)}))(view.document, view);
        })()`,
      ),
    click: (selector) => clickIn(popup, selector),
    close: () =>
      worker.evaluate(() => {
        for (const view of browser.extension.getViews({ type: 'popup' })) view.close();
      }, null),
  };

  const inBrowserWindow = async <T>(body: string): Promise<T> => {
    const tree = await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const context = chromeContextOf(tree.result);
    const reply = await bidi.send('script.evaluate', {
      expression: `(async () => JSON.stringify((await (async () => { ${body} })()) ?? null))()`,
      target: { context },
      awaitPromise: true,
      resultOwnership: 'none',
    });
    return JSON.parse(bidiString(reply.result)) as T;
  };

  const selectTab = async (page: Page) => {
    await page.bringToFront();
    // Firefox hides a tab's address from an extension without host access, so the page itself says when it is shown.
    await pollIn(
      inPage(page),
      () => (document.visibilityState === 'visible' ? true : null),
      null,
      10_000,
      `Selecting the tab at ${page.url()}`,
    );
  };

  const claimed = new Set<number>();
  const downloads = () => listDownloads(worker);
  return {
    browser: firefox,
    worker,
    tmpDir: root,
    proxy,
    openPage: async (url) => {
      const page = await firefox.newPage();
      await page.goto(url, { waitUntil: 'load' });
      await selectTab(page);
      return page;
    },
    openExtensionPage: async (path) => {
      const page = await firefox.newPage();
      await loadExtensionPage(page, path);
      return {
        evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) =>
          evaluateSource<R>(page, `(${fn.toString()})(${JSON.stringify(arg ?? null)})`),
        click: (selector) => page.click(selector),
        close: () => page.close(),
        // `selector` names the file input (e.g. "#import-file").
        uploadFile: async (selector, path) => {
          const input = await page.$(selector);
          if (!input || !(await input.evaluate((el) => el instanceof HTMLInputElement && el.type === 'file')))
            throw new Error(`${selector} is not a file input`);
          // Checked just above: puppeteer's types cannot narrow a handle by what the page says.
          await (input as ElementHandle<HTMLInputElement>).uploadFile(path);
        },
      };
    },
    openToolbarPopup: async (page) => {
      await selectTab(page);
      // A click while the popup is open closes it: close any open one first.
      await popup.close();
      await pollIn(
        worker,
        () => (browser.extension.getViews({ type: 'popup' }).length === 0 ? true : null),
        null,
        5000,
        'Closing the popup',
      );
      await inBrowserWindow(`
        const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
        const extension = WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension;
        ExtensionParent.apiManager.global.browserActionFor(extension).triggerAction(window);`);
      await pollIn(
        worker,
        () => {
          const [view] = browser.extension.getViews({ type: 'popup' });
          return view?.document.readyState === 'complete' ? true : null;
        },
        null,
        15_000,
        'The toolbar popup opening',
      );
      return popup;
    },
    pressShortcut: async (page, shortcut) => {
      await selectTab(page);
      // Focus on the browser window itself: native test keys sent while the page has focus go to the page's
      // process and never come back to the window's shortcut keys, which a user's key press does.
      await inBrowserWindow(`
        Services.focus.clearFocus(window);
        const tip = Cc['@mozilla.org/text-input-processor;1'].createInstance(Ci.nsITextInputProcessor);
        if (!tip.beginInputTransactionForTests(window)) throw new Error('no input transaction');
        const s = ${JSON.stringify(shortcut)};
        const mods = [s.alt && ['Alt', 'AltLeft', 18], s.shift && ['Shift', 'ShiftLeft', 16], s.ctrl && ['Control', 'ControlLeft', 17]].filter(Boolean);
        const ev = (key, code, keyCode) => new KeyboardEvent('', { key, code, keyCode });
        for (const [key, code, keyCode] of mods) tip.keydown(ev(key, code, keyCode));
        tip.keydown(ev(s.key, s.code, s.keyCode));
        tip.keyup(ev(s.key, s.code, s.keyCode));
        for (const [key, code, keyCode] of mods.reverse()) tip.keyup(ev(key, code, keyCode));`);
    },
    chooseContextMenuItem: async (page, selector, label, nth = 0) => {
      await selectTab(page);
      const target = (await page.$$(selector))[nth];
      if (!target) throw new Error(`no element ${nth} matches ${selector}`);
      await target.click({ button: 'right' });
      await inBrowserWindow(`
        const menu = document.getElementById('contentAreaContextMenu');
        for (let i = 0; i < 100 && menu.state !== 'open'; i++) await new Promise((r) => setTimeout(r, 50));
        if (menu.state !== 'open') throw new Error('the context menu did not open');
        const item = [...menu.querySelectorAll('menuitem')].find((m) => m.label === ${JSON.stringify(label)} && !m.hidden);
        if (!item) throw new Error('no context-menu item ' + ${JSON.stringify(label)});
        menu.activateItem(item);`);
    },
    inBrowserWindow,
    downloads,
    waitForDownload: (predicate, timeoutMs) => waitForDownload(downloads, claimed, savedDir, predicate, timeoutMs),
    close: async () => {
      await firefox.close().catch(() => undefined);
      await proxy.close();
      if (process.env.KEEP_TMP !== '1') await rm(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/**
 * Inside evaluated sources, the add-on's API is the `browser` global of its pages; getViews
 * hands back the pages' windows (the polyfill's types name another Window).
 */
declare const browser: Omit<typeof import('wxt/browser').browser, 'extension'> & {
  extension: { getViews(filter: { type: 'popup' | 'tab' }): Window[] };
};

/** The element's click() in the view: the popup is out of BiDi's reach, so not an input-device event. */
function clickIn(view: Evaluator, selector: string): Promise<void> {
  return view.evaluate((sel) => {
    const element = document.querySelector<HTMLElement>(sel);
    if (!element) throw new Error(`nothing matches ${sel}`);
    element.click();
  }, selector);
}

/**
 * BiDi never reports the load of a moz-extension:// page to puppeteer, so its
 * goto would wait for good: start it, then poll the page until it has loaded.
 */
async function loadExtensionPage(page: Page, path: string): Promise<void> {
  const url = `${EXTENSION_ORIGIN}/${path.replace(/^\//, '')}`;
  void page.goto(url).catch(() => undefined);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const state = await page.evaluate(() => `${location.href} ${document.readyState}`).catch(() => '');
    if (state === `${url} complete`) return;
    if (Date.now() > deadline) throw new Error(`${url} did not load (last seen: ${state})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Evaluates `source` (an expression) in `page`; puppeteer's result is untyped, the caller names its type. */
async function evaluateSource<R>(page: Page, source: string): Promise<R> {
  const value: unknown = await page.evaluate(source);
  return value as R;
}

function chromeContextOf(result: unknown): string {
  const contexts: unknown = typeof result === 'object' && result !== null ? Reflect.get(result, 'contexts') : null;
  const first: unknown = Array.isArray(contexts) ? contexts[0] : null;
  const id: unknown = typeof first === 'object' && first !== null ? Reflect.get(first, 'context') : null;
  if (typeof id !== 'string')
    throw new Error('Firefox listed no browser window (is --remote-allow-system-access set?)');
  return id;
}

function bidiString(result: unknown): string {
  if (typeof result !== 'object' || result === null) throw new Error('BiDi gave no result');
  if (Reflect.get(result, 'type') === 'exception')
    throw new Error(`In the browser window: ${JSON.stringify(Reflect.get(result, 'exceptionDetails'))}`);
  const value: unknown = Reflect.get(Reflect.get(result, 'result') ?? {}, 'value');
  if (typeof value !== 'string') throw new Error('the browser window gave no JSON result');
  return value;
}

/** A web page as an Evaluator, for the shared polling helpers. */
export function inPage(page: Page): Evaluator {
  return {
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) =>
      evaluateSource<R>(page, `(${fn.toString()})(${JSON.stringify(arg ?? null)})`),
  };
}

/**
 * Opens `url` for `work`, and closes the tab once Witness Box has brought it
 * back there from any visit to an author's profile.
 */
export async function withFirefoxPage<T>(
  driver: FirefoxExtensionBrowser,
  url: string,
  work: (page: Page) => Promise<T>,
): Promise<T> {
  const page = await driver.openPage(url);
  try {
    return await work(page);
  } finally {
    const deadline = Date.now() + 20_000;
    while (page.url() !== url && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await page.close().catch(() => undefined);
  }
}
