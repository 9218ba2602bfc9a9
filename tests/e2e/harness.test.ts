/**
 * Smoke tests for the end-to-end harness itself: real Chromium, the built extension,
 * the HTTPS fixture server under real hostnames, and downloads made by the extension.
 * Uses its own throwaway site fixture (and a tiny probe extension for the popup-window
 * check) so it does not depend on the X fixtures or on which pages the build has yet.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser as ExtensionApi } from 'wxt/browser';
import { hostResolverRules, launchWithExtension, resolveChromium, type ExtensionBrowser } from '../harness/browser';
import { fixturePng, REPO_ROOT, startFixtureServer, type FixtureServer } from '../harness/fixture-server';

// Only used inside callbacks that Playwright runs in the extension's worker or pages.
declare const chrome: typeof ExtensionApi;

const SITE_ROUTES = {
  host: ['x.com', 'twitter.com'],
  routes: [
    { pattern: '^/home$', file: 'home.html' },
    { pattern: '^/[A-Za-z0-9_]+/status/\\d+$', file: 'post.html' },
    { pattern: '^/assets/([a-z]+\\.css)$', file: 'assets/$1' },
  ],
};

async function writeSiteFixture(dir: string): Promise<void> {
  await mkdir(join(dir, 'x', 'assets'), { recursive: true });
  await writeFile(join(dir, 'x', 'routes.json'), JSON.stringify(SITE_ROUTES));
  await writeFile(
    join(dir, 'x', 'home.html'),
    '<!doctype html><meta charset="utf-8"><title>Harness home</title><link rel="stylesheet" href="/assets/site.css"><h1>Fixture home</h1>',
  );
  await writeFile(
    join(dir, 'x', 'post.html'),
    '<!doctype html><meta charset="utf-8"><title>Harness post</title><article>post</article>',
  );
  await writeFile(join(dir, 'x', 'assets', 'site.css'), 'h1 { color: rgb(1, 2, 3); }');
}

/** Status and CORS header as Node sees them, bypassing Chromium. */
function fetchFromServer(
  port: number,
  host: string,
  path: string,
): Promise<{ status: number; acao?: string; type?: string }> {
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { Host: host }, rejectUnauthorized: false, servername: host },
      (res) => {
        res.resume();
        const acao = res.headers['access-control-allow-origin'];
        done({
          status: res.statusCode ?? 0,
          acao: typeof acao === 'string' ? acao : undefined,
          type: res.headers['content-type'],
        });
      },
    );
    req.on('error', fail);
    req.end();
  });
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

let workDir: string;
let server: FixtureServer;
let eb: ExtensionBrowser;

beforeAll(async () => {
  await mkdir(join(REPO_ROOT, '.test-tmp'), { recursive: true });
  workDir = await mkdtemp(join(REPO_ROOT, '.test-tmp', 'harness-test-'));
  await writeSiteFixture(join(workDir, 'sites'));
  server = await startFixtureServer({ sitesDir: join(workDir, 'sites') });
  eb = await launchWithExtension({ server });
});

afterAll(async () => {
  await eb?.close();
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('harness plumbing', () => {
  it('finds Chromium and maps every fixture host, then fails all other names', () => {
    expect(existsSync(resolveChromium())).toBe(true);
    const rules = hostResolverRules({ port: 4431, hosts: ['x.com', 'pbs.twimg.com'] });
    expect(rules).toBe(
      'MAP x.com 127.0.0.1:4431, MAP *.x.com 127.0.0.1:4431, MAP pbs.twimg.com 127.0.0.1:4431, MAP *.pbs.twimg.com 127.0.0.1:4431, MAP * ~NOTFOUND, EXCLUDE localhost',
    );
  });

  it('serves sites by Host header, image hosts with and without CORS, 404 otherwise', async () => {
    expect(server.hosts).toEqual(expect.arrayContaining(['x.com', 'twitter.com', 'pbs.twimg.com', 'nocors.example']));
    expect(await fetchFromServer(server.port, 'x.com', '/home')).toMatchObject({
      status: 200,
      type: 'text/html; charset=utf-8',
    });
    expect(await fetchFromServer(server.port, 'mobile.twitter.com:443', '/someone/status/1?s=20')).toMatchObject({
      status: 200,
    });
    expect(await fetchFromServer(server.port, 'x.com', '/assets/site.css')).toMatchObject({
      status: 200,
      type: 'text/css; charset=utf-8',
    });
    expect(await fetchFromServer(server.port, 'x.com', '/nope')).toMatchObject({ status: 404 });
    expect(await fetchFromServer(server.port, 'unknown.example', '/')).toMatchObject({ status: 404 });
    expect(await fetchFromServer(server.port, 'pbs.twimg.com', '/media/a.jpg')).toMatchObject({
      status: 200,
      acao: '*',
      type: 'image/png',
    });
    expect(await fetchFromServer(server.port, 'nocors.example', '/a.png')).toMatchObject({
      status: 200,
      acao: undefined,
      type: 'image/png',
    });
    expect(server.requests).toContainEqual({ host: 'mobile.twitter.com', path: '/someone/status/1?s=20' });
  });
});

describe('real Chromium with the built extension', () => {
  it('loads the extension and reaches its service worker', async () => {
    expect(eb.extensionId).toMatch(/^[a-p]{32}$/);
    expect(eb.worker.url()).toMatch(new RegExp(`^chrome-extension://${eb.extensionId}/`));
    const manifestName = await eb.worker.evaluate(() => `${chrome.runtime.id} ${chrome.runtime.getManifest().name}`);
    expect(manifestName).toBe(`${eb.extensionId} Witness Box`);
  });

  it('opens https://x.com/... from the fixture server under its real origin', async () => {
    const page = await eb.openPage('https://x.com/home');
    expect(await page.title()).toBe('Harness home');
    expect(await page.evaluate(() => location.origin)).toBe('https://x.com');
    // The stylesheet came through a `$1` route.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('h1') as Element).color)).toBe(
      'rgb(1, 2, 3)',
    );
    const response = await page.goto('https://www.x.com/jack/status/20');
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Harness post');
    expect(server.requests).toContainEqual({ host: 'www.x.com', path: '/jack/status/20' });
    await page.close();
  });

  it('serves a tab the extension opens itself (DNS mapping, not request routing)', async () => {
    const url = 'https://x.com/someone/status/42';
    const [page] = await Promise.all([
      eb.context.waitForEvent('page', { predicate: (p) => p.url() === url }),
      eb.worker.evaluate((u) => chrome.tabs.create({ url: u }).then(() => undefined), url),
    ]);
    await page.waitForLoadState('load');
    expect(await page.title()).toBe('Harness post');
    expect(server.requests).toContainEqual({ host: 'x.com', path: '/someone/status/42' });
    await page.close();
  });

  it('serves pbs.twimg.com images with CORS and nocors.example without (tainted canvas)', async () => {
    const page = await eb.openPage('https://x.com/home');
    const result = await page.evaluate(async () => {
      const cors = await fetch('https://pbs.twimg.com/media/abc.jpg?name=small');
      const digest = await crypto.subtle.digest('SHA-256', await cors.arrayBuffer());
      const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
      const noCorsFetch = await fetch('https://nocors.example/abc.png').then(
        () => 'loaded',
        (e: unknown) => String(e),
      );
      // Each image is drawn without crossOrigin (as a naive renderer would) and with it.
      const results: string[] = [];
      for (const [src, crossOrigin] of [
        ['https://pbs.twimg.com/media/abc.jpg', 'anonymous'],
        ['https://nocors.example/abc.png', null],
        ['https://nocors.example/abc.png', 'anonymous'],
      ] as const) {
        const img = new Image();
        if (crossOrigin) img.crossOrigin = crossOrigin;
        img.src = src;
        const loaded = await img.decode().then(
          () => true,
          () => false,
        );
        let state = 'not loaded';
        if (loaded) {
          const canvas = document.createElement('canvas');
          canvas.getContext('2d')?.drawImage(img, 0, 0);
          try {
            canvas.toDataURL();
            state = 'clean';
          } catch (e) {
            state = (e as Error).name;
          }
        }
        results.push(`${loaded ? `${img.naturalWidth}x${img.naturalHeight}` : '-'} ${state}`);
      }
      // A cross-origin fetch that resolves at all proves the CORS header was there.
      return { status: cors.status, hex, noCorsFetch, results };
    });
    expect(result).toMatchObject({ status: 200, hex: sha256(fixturePng('/media/abc.jpg')) });
    expect(result.noCorsFetch).toMatch(/TypeError/);
    expect(result.results).toEqual(['400x300 clean', '400x300 SecurityError', '- not loaded']);
    await page.close();
  });

  it('finds a download the service worker started and returns its bytes', async () => {
    const bytes = randomBytes(64 * 1024);
    const url = `data:application/octet-stream;base64,${bytes.toString('base64')}`;
    const start = (name: string): Promise<number> =>
      eb.worker.evaluate(([u, f]) => chrome.downloads.download({ url: u, filename: f, conflictAction: 'uniquify' }), [
        url,
        name,
      ] as const);
    const firstId = await start('witness-box-harness/evidence.bin');
    const first = await eb.waitForDownload((d) => d.id === firstId);
    expect(basename(first)).toBe('evidence.bin');
    expect(sha256(await readFile(first))).toBe(sha256(bytes));
    // A second call must not hand back the download it already returned.
    await start('witness-box-harness/evidence.bin');
    const second = await eb.waitForDownload();
    expect(basename(second)).toBe('evidence (1).bin');
    const listed = await eb.downloads();
    expect(listed.filter((d) => d.state === 'complete' && d.filename.includes('witness-box-harness'))).toHaveLength(2);
    expect(listed.every((d) => d.filename.startsWith(join(eb.tmpDir, 'downloads')))).toBe(true);
  });
});

describe('extension page in a popup window', () => {
  const PROBE_POPUP_JS = `
    chrome.windows.getLastFocused({ windowTypes: ['normal'] }).then(async (w) => {
      const [tab] = await chrome.tabs.query({ active: true, windowId: w.id });
      document.body.dataset.target = tab ? tab.url : 'none';
    });`;

  it('keeps the x.com tab as the active tab of the last-focused normal window', async () => {
    // A probe extension whose popup does what ours does to find its target tab.
    const probe = join(workDir, 'probe-extension');
    await mkdir(probe, { recursive: true });
    await writeFile(
      join(probe, 'manifest.json'),
      // Like ours, it needs host access to read the tab's URL (no "tabs" permission).
      JSON.stringify({
        manifest_version: 3,
        name: 'probe',
        version: '1',
        host_permissions: ['https://x.com/*'],
        background: { service_worker: 'bg.js' },
      }),
    );
    await writeFile(join(probe, 'bg.js'), '');
    await writeFile(
      join(probe, 'popup.html'),
      '<!doctype html><meta charset="utf-8"><body><script src="popup.js"></script></body>',
    );
    await writeFile(join(probe, 'popup.js'), PROBE_POPUP_JS);
    const probeBrowser = await launchWithExtension({ server, extensionPath: probe });
    try {
      const page = await probeBrowser.openPage('https://x.com/home');
      const popup = await probeBrowser.openExtensionPage('popup.html', { asPopupWindow: true });
      await popup.waitForFunction(() => document.body.dataset.target);
      expect(await popup.evaluate(() => document.body.dataset.target)).toBe('https://x.com/home');
      const windows = await probeBrowser.worker.evaluate(async () =>
        (await chrome.windows.getAll({ populate: true })).map((w) => `${w.type}:${w.tabs?.find((t) => t.active)?.url}`),
      );
      expect(windows).toEqual(['normal:https://x.com/home', `popup:${popup.url()}`]);
      expect(popup.url()).toBe(`chrome-extension://${probeBrowser.extensionId}/popup.html`);
      expect(page.isClosed()).toBe(false);
    } finally {
      await probeBrowser.close();
    }
    expect(existsSync(probeBrowser.tmpDir)).toBe(process.env.KEEP_TMP === '1');
  });
});
