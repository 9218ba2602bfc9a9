/**
 * Real Chromium with the built extension loaded, pointed at the fixture server.
 *
 * Why DNS mapping and not `context.route`: the extension opens tabs itself
 * (`chrome.tabs.create`), and routing does not catch their first load. With
 * --host-resolver-rules every request for a fixture host, from any tab, worker or
 * extension page, reaches the local server under its real https:// origin.
 * Everything the browser writes (profile, TMPDIR, downloads) lives in one run folder
 * that close() deletes, unless KEEP_TMP=1.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Worker } from 'playwright-core';
import type { Browser as ExtensionApi } from 'wxt/browser';
import type { Evaluator } from './driver';
import { REPO_ROOT, type FixtureServer } from './fixture-server';

/**
 * The extension API as seen inside `worker.evaluate(...)` / `page.evaluate(...)` callbacks,
 * which run in Chromium, not in Node. Test files can copy this line to type such callbacks.
 * (Keep those callbacks free of named inner functions: tsx adds `__name()` calls to them,
 * which do not exist in the browser.)
 */
declare const chrome: typeof ExtensionApi;
/** Firefox's extension pages have `browser` (flows use whichever exists). */
declare const browser: typeof ExtensionApi | undefined;

export const DEFAULT_EXTENSION_PATH = join(REPO_ROOT, '.output', 'chrome-mv3');
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 800 } as const;

export interface DownloadInfo {
  id: number;
  /**
   * Absolute path Chromium wrote to: `<run folder>/downloads/<name the extension asked for>`,
   * subfolders and Chrome's ` (1)` de-duplication included, as on a user's machine.
   */
  filename: string;
  /** 'in_progress' | 'interrupted' | 'complete' */
  state: string;
  mime: string;
  /** Final URL, cut to 500 characters (a data: URL can be megabytes and this is polled). */
  url: string;
  /** Interrupt reason, when state is 'interrupted'. */
  error?: string;
  bytesReceived: number;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** The extension's service worker (a getter: always the current one). */
  worker: Worker;
  /** The run folder: profile, TMPDIR, downloads and saved download copies live under it. */
  tmpDir: string;
  /** Opens `url` in a new tab of the normal window and makes it the active tab. */
  openPage(url: string): Promise<Page>;
  /** `chrome-extension://<id>/<path>`; `asPopupWindow` opens it in its own small popup window. */
  openExtensionPage(path: string, opts?: { asPopupWindow?: boolean }): Promise<Page>;
  downloads(): Promise<DownloadInfo[]>;
  /**
   * Waits until a download matching `predicate` (default: any) that no earlier call
   * returned is complete; copies it into the run folder and returns that copy's path.
   */
  waitForDownload(predicate?: (d: DownloadInfo) => boolean, timeoutMs?: number): Promise<string>;
  /**
   * Clicks the extension's toolbar button for `page`'s tab, as a user would: Chromium
   * grants activeTab and opens the real action popup, which is returned.
   */
  openToolbarPopup(page: Page): Promise<Page>;
  /** Presses the extension's keyboard shortcut in `page`, as a user would (grants activeTab). */
  pressShortcut(page: Page, shortcut: Shortcut): Promise<void>;
  /**
   * Right-clicks `selector` in `page`, then chooses the extension's context-menu item
   * `menuItemId`. Headless Chromium draws no menu to click, so the choice is dispatched
   * to the extension's own onClicked listeners with the tab, as Chromium would; it
   * grants nothing, so the tab needs an earlier grant (a toolbar click or shortcut).
   */
  chooseContextMenuItem(page: Page, selector: string, menuItemId: string): Promise<void>;
  close(): Promise<void>;
}

export interface Shortcut {
  key: string;
  code: string;
  keyCode: number;
  alt?: boolean;
  shift?: boolean;
  ctrl?: boolean;
}

export interface LaunchOptions {
  server: Pick<FixtureServer, 'port' | 'hosts'>;
  /** Unpacked extension folder; default `.output/chrome-mv3` (run `npm run build` first). */
  extensionPath?: string;
  /** Default true; HEADLESS=0 in the environment also turns it off. */
  headless?: boolean;
  /** The run folder; default `<system temp>/wb-<random>`, deleted by close(). */
  tmpRoot?: string;
  /** Keep the profile at close, so a later launch with the same tmpRoot finds the same extension storage (a browser restart). */
  keepProfile?: boolean;
}

const INSTALL_HINT =
  'Install Debian Chromium with `apt-get update && apt-get install -y chromium` (never `playwright install`), or set CHROME_PATH to a Chromium/Chrome binary.';

/** CHROME_PATH if set, else Debian's /usr/bin/chromium; throws with install instructions if missing. */
export function resolveChromium(): string {
  const path = process.env.CHROME_PATH || DEFAULT_CHROMIUM;
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}. ${INSTALL_HINT}`);
  return path;
}

/**
 * Sends every fixture host and its subdomains to the local server and fails every
 * other name fast, so a test can never reach (or wait for) the real internet.
 */
export function hostResolverRules(server: Pick<FixtureServer, 'port' | 'hosts'>): string {
  const target = `127.0.0.1:${server.port}`;
  const rules = server.hosts.flatMap((host) => [`MAP ${host} ${target}`, `MAP *.${host} ${target}`]);
  return [...rules, 'MAP * ~NOTFOUND', 'EXCLUDE localhost'].join(', ');
}

/**
 * Short on purpose: Chromium puts a Unix socket under TMPDIR, and socket paths
 * over 107 bytes abort it ("Socket path too long"), which a deep checkout hits.
 */
function defaultRunDir(): string {
  return join(tmpdir(), `wb-${randomBytes(4).toString('hex')}`);
}

function chromiumArgs(extensionPath: string, server: LaunchOptions['server']): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--disable-extensions-except=${extensionPath}`,
    `--load-extension=${extensionPath}`,
    `--host-resolver-rules=${hostResolverRules(server)}`,
    '--ignore-certificate-errors',
    // A second CDP connection is the only way to reach the toolbar popup (see openToolbarPopup).
    '--remote-debugging-port=0',
  ];
}

function isExtensionWorker(worker: Worker, extensionId?: string): boolean {
  const prefix = extensionId ? `chrome-extension://${extensionId}/` : 'chrome-extension://';
  return worker.url().startsWith(prefix);
}

async function findExtensionWorker(context: BrowserContext): Promise<Worker> {
  const existing = context.serviceWorkers().find((w) => isExtensionWorker(w));
  if (existing) return existing;
  return context.waitForEvent('serviceworker', { predicate: (w) => isExtensionWorker(w), timeout: 20_000 });
}

interface RunDirs {
  root: string;
  profile: string;
  tmp: string;
  artifacts: string;
  downloads: string;
  saved: string;
}

/**
 * Chrome's own download folder preference, written before the first start. Used
 * together with setDefaultDownloads() below so downloads behave as for a user.
 */
async function writeDownloadPrefs(dirs: RunDirs): Promise<void> {
  const prefs = {
    download: { default_directory: dirs.downloads, prompt_for_download: false, directory_upgrade: true },
  };
  await mkdir(join(dirs.profile, 'Default'), { recursive: true });
  await writeFile(join(dirs.profile, 'Default', 'Preferences'), JSON.stringify(prefs));
}

/**
 * Playwright switches downloads to CDP "allowAndName": every file, including those the
 * extension saves with chrome.downloads.download({ filename }), becomes
 * `<downloadsPath>/<GUID>` and the name the extension chose is lost (downloads started
 * by a service worker get no Browser.downloadWillBegin event either, so it cannot be
 * recovered). "allow" ignores the extension's filename and overwrites same-named files.
 * "default" hands downloads back to Chrome's normal logic: the extension's filename,
 * subfolders and ` (1)` de-duplication, in the folder set by writeDownloadPrefs().
 * Cost: Playwright's `download` event still fires for page-started downloads, but its
 * `download.path()` names a GUID file that does not exist; use waitForDownload().
 */
async function setDefaultDownloads(context: BrowserContext): Promise<void> {
  const browser = context.browser();
  if (!browser) throw new Error('Playwright gave no Browser for the persistent context; cannot set download behaviour');
  const session = await browser.newBrowserCDPSession();
  await session.send('Browser.setDownloadBehavior', { behavior: 'default' });
}

async function makeRunDirs(root: string): Promise<RunDirs> {
  const dirs: RunDirs = {
    root,
    profile: join(root, 'profile'),
    tmp: join(root, 'tmp'),
    artifacts: join(root, 'artifacts'),
    downloads: join(root, 'downloads'),
    saved: join(root, 'saved-downloads'),
  };
  await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true })));
  return dirs;
}

export async function launchWithExtension(opts: LaunchOptions): Promise<ExtensionBrowser> {
  const extensionPath = resolve(opts.extensionPath ?? DEFAULT_EXTENSION_PATH);
  if (!existsSync(join(extensionPath, 'manifest.json'))) {
    throw new Error(`No built extension at ${extensionPath}: run \`npm run build\` first.`);
  }
  const rootExisted = opts.tmpRoot !== undefined && existsSync(opts.tmpRoot);
  const dirs = await makeRunDirs(resolve(opts.tmpRoot ?? defaultRunDir()));
  await writeDownloadPrefs(dirs);
  const context = await chromium.launchPersistentContext(dirs.profile, {
    executablePath: resolveChromium(),
    headless: opts.headless ?? process.env.HEADLESS !== '0',
    args: chromiumArgs(extensionPath, opts.server),
    viewport: VIEWPORT,
    acceptDownloads: true,
    // Playwright's own temp files (traces, videos, its download GUID files) stay in the run folder.
    artifactsDir: dirs.artifacts,
    downloadsPath: dirs.downloads,
    // Chromium's own temp files (e.g. in-progress blobs) follow TMPDIR.
    env: { ...process.env, TMPDIR: dirs.tmp },
  });
  // A step that cannot finish fails with its own name and stack, well inside the test's time limit.
  context.setDefaultTimeout(20_000);
  try {
    await setDefaultDownloads(context);
    return await wrap(context, await findExtensionWorker(context), dirs, rootExisted, opts.keepProfile ?? false);
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}

async function wrap(
  context: BrowserContext,
  firstWorker: Worker,
  dirs: RunDirs,
  rootExisted: boolean,
  keepProfile: boolean,
): Promise<ExtensionBrowser> {
  const extensionId = new URL(firstWorker.url()).host;
  let worker = firstWorker;
  // Playwright keeps one Worker across a stop/restart of the same worker (checked with
  // CDP ServiceWorker.stopAllWorkers); if Chromium ever reports a new worker target for
  // the extension (e.g. after chrome.runtime.reload()), follow it.
  context.on('serviceworker', (w) => {
    if (isExtensionWorker(w, extensionId)) worker = w;
  });
  const claimed = new Set<number>();
  let inspector: Browser | undefined;
  const extensionUrl = (path: string): string => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;

  const downloads = (): Promise<DownloadInfo[]> => listDownloads(worker);
  const api: ExtensionBrowser = {
    context,
    extensionId,
    get worker() {
      return worker;
    },
    tmpDir: dirs.root,
    openPage: (url) => openPage(context, url),
    openExtensionPage: (path, opts) =>
      opts?.asPopupWindow
        ? openPopupWindow(context, worker, extensionUrl(path))
        : openPage(context, extensionUrl(path)),
    downloads,
    waitForDownload: (predicate, timeoutMs) => waitForDownload(downloads, claimed, dirs.saved, predicate, timeoutMs),
    openToolbarPopup: async (page) => {
      const url = extensionUrl('popup.html');
      await triggerAction(context, extensionId, page, url);
      // A CDP connection lists only the pages that existed when it connected: connect anew.
      await inspector?.close().catch(() => undefined);
      inspector = await chromium.connectOverCDP(`http://127.0.0.1:${await devToolsPort(dirs.profile)}`);
      // Connecting resets downloads to Playwright's GUID names; give them back to Chrome.
      await setDefaultDownloads(context);
      for (const c of inspector.contexts()) c.setDefaultTimeout(20_000);
      return findPage(inspector, url);
    },
    pressShortcut: (page, shortcut) => pressShortcut(context, page, shortcut),
    chooseContextMenuItem: async (page, selector, menuItemId) => {
      await page.click(selector, { button: 'right' });
      await page.keyboard.press('Escape');
      await worker.evaluate(
        async ({ menuItemId, pageUrl }) => {
          const [tab] = await chrome.tabs.query({ url: pageUrl });
          if (!tab) throw new Error(`no tab at ${pageUrl}`);
          // Chromium's extension events carry an undocumented dispatch() that runs every listener.
          const onClicked = chrome.contextMenus.onClicked as unknown as { dispatch(info: object, tab: object): void };
          onClicked.dispatch({ menuItemId, pageUrl, frameId: 0, editable: false }, tab);
        },
        { menuItemId, pageUrl: page.url() },
      );
    },
    close: async () => {
      await inspector?.close().catch(() => undefined);
      await context.close().catch(() => undefined);
      if (process.env.KEEP_TMP === '1' || keepProfile) return;
      // Never delete a folder the caller handed us with other things in it: only what we made.
      const targets = rootExisted ? [dirs.profile, dirs.tmp, dirs.artifacts, dirs.downloads, dirs.saved] : [dirs.root];
      await Promise.all(targets.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
    },
  };
  return api;
}

/**
 * Opens a new tab. The blank tab a fresh profile starts with is never handed out: it
 * keeps the normal window alive when a test closes its pages (with no window left,
 * chrome.tabs.create fails with "No current window", unlike a real browser).
 */
/** The address each test tab was opened at, for closeWhenBack(). */
const openedAt = new WeakMap<Page, string>();

export function urlOpenedAt(page: Page): string | undefined {
  return openedAt.get(page);
}

async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  openedAt.set(page, url);
  await page.goto(url);
  // Active tab + focused window: captureVisibleTab and the popup's getLastFocused rely on it.
  await page.bringToFront();
  return page;
}

/**
 * Opens an extension page in its own popup-type window, the way a toolbar popup sits
 * beside the page: the normal window's active tab stays the page under capture.
 */
async function openPopupWindow(context: BrowserContext, worker: Worker, url: string): Promise<Page> {
  const [page] = await Promise.all([
    context.waitForEvent('page', { predicate: (p) => p.url() === url, timeout: 15_000 }),
    worker.evaluate(
      (u) =>
        chrome.windows.create({ url: u, type: 'popup', width: 400, height: 600, focused: true }).then(() => undefined),
      url,
    ),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return page;
}

/** The browser's downloads, read through the extension (Chromium's worker or a Firefox extension page). */
export function listDownloads(worker: Evaluator): Promise<DownloadInfo[]> {
  return worker.evaluate(
    async () =>
      (await (typeof browser === 'undefined' ? chrome : browser).downloads.search({})).map((d) => ({
        id: d.id,
        filename: d.filename,
        state: String(d.state),
        mime: d.mime,
        url: (d.finalUrl || d.url).slice(0, 500),
        error: d.error ? String(d.error) : undefined,
        bytesReceived: d.bytesReceived,
      })),
    null,
  );
}

/**
 * Waits until a download matching `predicate` that is not in `claimed` is complete; copies it into
 * `saveDir` (one folder per id keeps the exact name) and returns the copy's path.
 */
export async function waitForDownload(
  list: () => Promise<DownloadInfo[]>,
  claimed: Set<number>,
  saveDir: string,
  predicate: (d: DownloadInfo) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen: DownloadInfo[] = [];
  while (Date.now() < deadline) {
    seen = await list();
    const candidate = seen.filter((d) => !claimed.has(d.id) && predicate(d)).sort((a, b) => a.id - b.id)[0];
    if (candidate?.state === 'interrupted') {
      claimed.add(candidate.id);
      throw new Error(`Download ${candidate.id} was interrupted: ${candidate.error ?? 'unknown reason'}`);
    }
    if (candidate?.state === 'complete' && candidate.filename) {
      claimed.add(candidate.id);
      // A copy survives even if the extension or a later download replaces the file;
      // one folder per id keeps the exact file name.
      const copyDir = join(saveDir, String(candidate.id));
      await mkdir(copyDir, { recursive: true });
      const copy = join(copyDir, basename(candidate.filename));
      await copyFile(candidate.filename, copy);
      return copy;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No matching download completed within ${timeoutMs} ms; downloads seen: ${JSON.stringify(seen)}`);
}

/** The CDP port Chromium chose for --remote-debugging-port=0, from the file it writes in the profile. */
async function devToolsPort(profileDir: string): Promise<string> {
  const file = join(profileDir, 'DevToolsActivePort');
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
  const port = (await readFile(file, 'utf8')).split('\n')[0];
  if (!port) throw new Error(`Chromium wrote no DevTools port to ${file}`);
  return port;
}

/**
 * CDP Extensions.triggerAction is the toolbar click: it needs the *tab* target of the
 * page (not its page target), found by URL among the browser's tab targets.
 */
async function triggerAction(
  context: BrowserContext,
  extensionId: string,
  page: Page,
  popupUrl: string,
): Promise<void> {
  const browser = context.browser();
  if (!browser) throw new Error('Playwright gave no Browser for the persistent context');
  const session = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await session.send('Target.getTargets', { filter: [{ type: 'tab' }] });
    const tabs = targetInfos.filter((t) => t.url === page.url());
    if (tabs.length !== 1) throw new Error(`Expected one tab at ${page.url()}, found ${tabs.length}`);
    // A click while the popup is open closes it: close any open one first, then wait for a new one.
    const popups = async () =>
      (await session.send('Target.getTargets', { filter: [{ type: 'page' }] })).targetInfos.filter(
        (t) => t.url === popupUrl,
      );
    for (const open of await popups())
      await session.send('Target.closeTarget', { targetId: open.targetId }).catch(() => undefined);
    for (let i = 0; i < 100 && (await popups()).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    await session.send(
      'Extensions.triggerAction' as 'Target.getTargets',
      { id: extensionId, targetId: tabs[0]!.targetId } as never,
    );
    for (let i = 0; i < 100; i++) {
      if ((await popups()).length > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`The toolbar popup ${popupUrl} did not open`);
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/**
 * Playwright's own connection never lists the toolbar popup (it is not in a tab); a
 * separate CDP connection made after it opened does.
 */
async function findPage(inspector: Browser, url: string, timeoutMs = 10_000): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const page = inspector
      .contexts()
      .flatMap((c) => c.pages())
      .find((p) => p.url() === url);
    if (page) {
      await page.waitForLoadState('domcontentloaded');
      return page;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No page at ${url} within ${timeoutMs} ms`);
}

/**
 * Chromium handles extension shortcuts before the page sees the key, but only for a
 * raw key-down that carries the native key code; Playwright's keyboard sends neither.
 */
async function pressShortcut(context: BrowserContext, page: Page, shortcut: Shortcut): Promise<void> {
  const session = await context.newCDPSession(page);
  const modifiers = (shortcut.alt ? 1 : 0) | (shortcut.ctrl ? 2 : 0) | (shortcut.shift ? 8 : 0);
  const key = {
    modifiers,
    key: shortcut.key,
    code: shortcut.code,
    windowsVirtualKeyCode: shortcut.keyCode,
    nativeVirtualKeyCode: shortcut.keyCode,
  };
  try {
    await session.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...key });
    await session.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key });
  } finally {
    await session.detach().catch(() => undefined);
  }
}
