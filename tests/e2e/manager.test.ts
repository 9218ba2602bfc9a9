import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser as ExtensionApi } from 'wxt/browser';
import type { Case, Settings } from '../../src/evidence/model';
import { verifyCustodyChain } from '../../src/evidence/custody-chain';
import { launchWithExtension, type ExtensionBrowser } from '../harness/browser';
import { REPO_ROOT, startFixtureServer, type FixtureServer } from '../harness/fixture-server';
import {
  closeWhenBack,
  captureFromPopup,
  openPopup,
  readStore,
  waitForCapturesSettled,
  waitForSettledPosts,
  X_STATUS_URL,
} from '../harness/flows';

declare const chrome: typeof ExtensionApi;

/**
 * The evidence manager and the popup, driven like a user in real Chromium:
 * first run, cases, a capture whose author name and text carry markup and a
 * bidi override, search, detail, blurred screenshots, notes, tags, reports,
 * the per-author view, move and delete; axe-core on popup and manager.
 * Tests run in order and share one browser (its own, for this file).
 */

const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">Gaz\u202Egnp.exe';
const HOSTILE_TEXT = '<script>window.__pwned=1</script><b>not bold</b> you are a disgrace \u202Eevil';
/** How the app shows them: as text, the override made visible. */
const SHOWN_NAME = '<img src=x onerror="window.__pwned=1">Gaz[U+202E]gnp.exe';
const SHOWN_TEXT = '<script>window.__pwned=1</script><b>not bold</b> you are a disgrace [U+202E]evil';

let server: FixtureServer;
let browser: ExtensionBrowser;
let axeSource: string;
const cases: Record<string, Case> = {};

beforeAll(async () => {
  axeSource = await readFile(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  server = await startFixtureServer();
  browser = await launchWithExtension({ server });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function readSettings(): Promise<Settings> {
  return browser.worker.evaluate(async () => (await chrome.storage.local.get('settings')).settings as Settings);
}

function readCases(): Promise<Case[]> {
  return browser.worker.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('witness-box');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = await new Promise<Case[]>((resolve, reject) => {
      const request = db.transaction('cases').objectStore('cases').getAll();
      request.onsuccess = () => resolve(request.result as Case[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return all;
  });
}

/**
 * Runs axe-core in the page and returns its serious and critical violations.
 * Extension pages' CSP (script-src 'self') blocks an inline <script>, so
 * addScriptTag cannot be used; page.evaluate goes through CDP Runtime.evaluate,
 * which the page's CSP does not govern.
 */
async function axeViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
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
  // axe really ran its rules on this page (a page it could not read would pass nothing).
  expect(results.passes).toBeGreaterThan(5);
  if (process.env.AXE_VERBOSE) console.log(page.url(), results.violations);
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

async function waitForStatus(page: Page, kind: 'success' | 'error' = 'success'): Promise<string> {
  const handle = await page.waitForSelector(`#status[data-kind="${kind}"]`, { timeout: 20_000 });
  return (await handle.textContent()) ?? '';
}

async function resetStatus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const s = document.querySelector<HTMLElement>('#status');
    if (s) s.dataset.kind = 'pending';
  });
}

/** Nothing captured became an element, and no injected handler ran. */
async function expectNoInjectedMarkup(page: Page): Promise<void> {
  expect(await page.$$('img[src="x"], script:not([src]), b')).toHaveLength(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
}

let manager: Page;

describe('evidence manager', () => {
  it('first run: asks for your name, on whose behalf, and the first case; passes axe', async () => {
    manager = await browser.openExtensionPage('manager.html');
    await manager.waitForSelector('#setup:not([hidden])');
    expect(await axeViolations(manager)).toEqual([]);
    // Keyboard only: type into each field, Enter submits.
    await manager.focus('#setup-name');
    await manager.keyboard.type('Priya Volunteer');
    await manager.keyboard.press('Tab');
    await manager.keyboard.type('Cllr Jane Example');
    await manager.keyboard.press('Tab');
    await manager.keyboard.press('Control+A');
    await manager.keyboard.type('Campaign abuse');
    await manager.keyboard.press('Enter');
    expect(await waitForStatus(manager)).toContain('Captures now go to "Campaign abuse"');
    await manager.waitForSelector('#app:not([hidden])');

    const settings = await readSettings();
    expect(settings).toMatchObject({
      capturedBy: 'Priya Volunteer',
      onBehalfOf: 'Cllr Jane Example',
      setupDone: true,
      blurScreenshots: true,
    });
    const stored = await readCases();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      name: 'Campaign abuse',
      onBehalfOf: 'Cllr Jane Example',
      id: settings.activeCaseId,
    });
    cases.campaign = stored[0]!;
    expect((await readStore(browser.worker)).custody.map((e) => e.action)).toEqual(['case-created']);
    expect(await manager.textContent('#storage-usage')).toMatch(/use .* available/);

    await resetStatus(manager);
    await manager.fill('#new-case-name', 'Council meeting');
    await manager.fill('#new-case-behalf', 'Cllr Jane Example');
    await manager.click('#create-case');
    await waitForStatus(manager);
    cases.council = (await readCases()).find((c) => c.name === 'Council meeting')!;
    expect(cases.council).toBeDefined();
  });

  it('switches the active case in the popup with one choice', async () => {
    const page = await browser.openPage(X_STATUS_URL);
    try {
      const popup = await openPopup(browser, page);
      await popup.waitForFunction(() => document.querySelectorAll('#active-case option').length === 2);
      expect(await popup.inputValue('#active-case')).toBe(cases.campaign!.id);
      await popup.selectOption('#active-case', { label: 'Council meeting' });
      expect(await waitForStatus(popup)).toContain('Active case: Council meeting');
      expect((await readSettings()).activeCaseId).toBe(cases.council!.id);
      await resetStatus(popup);
      await popup.selectOption('#active-case', { label: 'Campaign abuse' });
      await waitForStatus(popup);
      expect((await readSettings()).activeCaseId).toBe(cases.campaign!.id);
      await popup.close();
    } finally {
      await closeWhenBack(page);
    }
  });

  it('captures a post whose name and text hold markup; the popup shows them as text, screenshot blurred; passes axe', async () => {
    const page = await browser.openPage(X_STATUS_URL);
    try {
      await page.evaluate(
        ({ name, text }) => {
          const post = document.querySelector('article[data-testid="tweet"]')!;
          for (const span of post.querySelectorAll('[data-testid="User-Name"] span')) {
            if (span.childElementCount === 0 && span.textContent === 'Gary Thornbury') span.textContent = name;
          }
          post.querySelector('[data-testid="tweetText"]')!.textContent = text;
        },
        { name: HOSTILE_NAME, text: HOSTILE_TEXT },
      );
      const popup = await openPopup(browser, page);
      const outcome = await captureFromPopup(popup);
      expect(outcome.kind).toBe('success');
      await waitForCapturesSettled(popup, 1);
      const { posts } = await waitForSettledPosts(browser.worker, 1);
      expect(posts[0]).toMatchObject({
        caseId: cases.campaign!.id,
        capturedBy: 'Priya Volunteer',
        onBehalfOf: 'Cllr Jane Example',
        text: HOSTILE_TEXT,
      });
      expect(posts[0]!.author.displayName).toBe(HOSTILE_NAME);

      expect(await popup.textContent('#captures .capture__who')).toContain(SHOWN_NAME);
      await popup.waitForSelector('#captures .safe-image--blurred .safe-image__img');
      await expectNoInjectedMarkup(popup);
      expect(await axeViolations(popup)).toEqual([]);
      await popup.close();
    } finally {
      await closeWhenBack(page);
    }
  });

  it('lists the capture and searches by text, author and has-profile', async () => {
    await manager.reload();
    await manager.waitForSelector('#app:not([hidden])');
    await manager.waitForSelector('#captures .capture--manager');
    expect(await manager.textContent('#captures .capture__who')).toContain(SHOWN_NAME);
    expect(await manager.textContent('#captures .capture__text')).toContain(SHOWN_TEXT);
    expect(await manager.textContent('#captures .capture__reports')).toBe('Not reported yet');
    await expectNoInjectedMarkup(manager);

    const search = async (fields: Record<string, string>, profile = '') => {
      await manager.fill('#filter-text', fields.text ?? '');
      await manager.fill('#filter-author', fields.author ?? '');
      await manager.selectOption('#filter-profile', profile);
      await manager.click('#search');
      await manager.waitForFunction(() => !/^$/.test(document.querySelector('#result-count')?.textContent ?? ''));
      await manager.waitForTimeout(100);
      return manager.$$eval('#captures .capture--manager', (items) => items.length);
    };
    expect(await search({ text: 'DISGRACE' })).toBe(1);
    expect(await search({ text: 'no such words' })).toBe(0);
    expect(await manager.textContent('#result-count')).toBe('No captures match.');
    expect(await search({ author: '@GazT' })).toBe(1);
    expect(await search({}, 'yes')).toBe(1);
    expect(await search({}, 'no')).toBe(0);
    await manager.selectOption('#filter-platform', 'bluesky');
    expect(await search({})).toBe(0);
    await manager.selectOption('#filter-platform', '');
    expect(await search({})).toBe(1);
  });

  it('opens the detail: markup as text, files with hashes, a blurred screenshot revealed by keyboard', async () => {
    await manager.click('#captures button[data-open]');
    await manager.waitForSelector('#detail-view:not([hidden])');
    expect(await manager.textContent('#detail-text')).toBe(SHOWN_TEXT);
    expect(await manager.textContent('#detail-metadata')).toContain(SHOWN_NAME);
    await expectNoInjectedMarkup(manager);
    const stored = (await waitForSettledPosts(browser.worker, 1)).posts[0]!;
    const files = await manager.textContent('#detail-view table.files');
    for (const a of stored.artifacts) expect(files).toContain(a.sha256);

    const shot = '#detail-screenshots figure[data-artifact="post.png"]';
    await manager.waitForSelector(`${shot}.safe-image--blurred`);
    expect(await manager.$eval(`${shot} img`, (img) => getComputedStyle(img).filter)).toContain('blur');
    await manager.waitForFunction(
      (sel) => ((document.querySelector(`${sel} img`) as HTMLImageElement | null)?.naturalWidth ?? 0) > 0,
      shot,
    );
    await manager.focus(`${shot} button`);
    await manager.keyboard.press('Enter');
    expect(await manager.getAttribute(shot, 'data-revealed')).toBe('true');
    expect(await manager.$eval(`${shot} img`, (img) => getComputedStyle(img).filter)).toBe('none');
    expect(await axeViolations(manager)).toEqual([]);
  });

  it('adds a note, a tag and a report, each as a custody event', async () => {
    const post = (await waitForSettledPosts(browser.worker, 1)).posts[0]!;
    await resetStatus(manager);
    await manager.fill('#note-input', 'Second message this week; mentions the office.');
    await manager.click('#add-note');
    await waitForStatus(manager);
    expect(await manager.textContent('#detail-notes')).toContain('Second message this week');

    await resetStatus(manager);
    await manager.fill('#tag-input', 'Threat');
    await manager.press('#tag-input', 'Enter');
    await waitForStatus(manager);
    expect(await manager.textContent('#detail-tags')).toContain('threat');

    await resetStatus(manager);
    await manager.selectOption('#report-kind', 'police');
    await manager.fill('#report-to', 'West Yorkshire Police');
    await manager.fill('#report-date', '2026-11-21');
    await manager.fill('#report-ref', '13/123456/26');
    await manager.fill('#report-outcome', 'under investigation');
    await manager.click('#record-report');
    await waitForStatus(manager);
    expect(await manager.textContent('#detail-reports')).toContain('13/123456/26');
    expect(await manager.inputValue('#report-outcome-0')).toBe('under investigation');

    // Weeks later the officer calls back: the outcome is updated, and the first one stays in the log.
    await resetStatus(manager);
    await manager.fill('#report-outcome-0', 'charged under the Malicious Communications Act');
    await manager.click('#update-outcome-0');
    await waitForStatus(manager);
    expect(await manager.inputValue('#report-outcome-0')).toBe('charged under the Malicious Communications Act');
    expect(await manager.locator('#detail-reports tbody tr').count()).toBe(1);

    const { custody } = await readStore(browser.worker);
    const mine = custody.filter((e) => e.captureId === post.id);
    expect(mine.find((e) => e.action === 'noted')?.detail).toEqual({
      note: 'Second message this week; mentions the office.',
    });
    expect(mine.find((e) => e.action === 'tagged')?.detail).toEqual({ tag: 'threat', op: 'add' });
    const reported = mine
      .filter((e) => e.action === 'reported')
      .map((e) => e.detail.report as { reportId: string; outcome: string });
    expect(reported[0]).toMatchObject({
      recipientKind: 'police',
      recipient: 'West Yorkshire Police',
      reportedAt: '2026-11-21',
      reference: '13/123456/26',
      outcome: 'under investigation',
    });
    expect(reported.map((r) => r.outcome)).toEqual([
      'under investigation',
      'charged under the Malicious Communications Act',
    ]);
    expect(reported[1]?.reportId).toBe(reported[0]?.reportId);
    expect(mine.every((e) => e.actor === 'Priya Volunteer')).toBe(true);
    expect(await verifyCustodyChain(custody)).toEqual({ ok: true });

    await manager.click('#back-to-list');
    await manager.click('#refresh');
    await manager.waitForFunction(() =>
      document.querySelector('#captures .capture__reports')?.textContent?.includes('West Yorkshire Police'),
    );
  });

  it('shows every capture of the author with counts, first and last seen, and a chart per day', async () => {
    await manager.click('#captures button[data-author]');
    await manager.waitForSelector('#author-view:not([hidden])');
    const facts = (await manager.textContent('#author-facts')) ?? '';
    expect(facts).toMatch(/Posts captured\s*1/);
    expect(facts).toMatch(/Profile pages captured\s*1/);
    expect(facts).toContain('512398764');
    expect(facts).toContain(SHOWN_NAME);
    expect(facts).toMatch(/First seen.*UTC/);
    expect(await manager.$$('#author-view .day-chart svg rect[data-platform="x"]')).toHaveLength(1);
    expect(await manager.textContent('#author-captures')).toContain(SHOWN_TEXT);
    await expectNoInjectedMarkup(manager);
    expect(await axeViolations(manager)).toEqual([]);
    await manager.click('#author-back');
  });

  it('moves the capture to another case, as a custody event', async () => {
    const post = (await waitForSettledPosts(browser.worker, 1)).posts[0]!;
    await manager.click('#captures button[data-open]');
    await manager.waitForSelector('#detail-view:not([hidden])');
    await resetStatus(manager);
    await manager.selectOption('#move-case', { label: 'Council meeting' });
    await manager.click('#move-capture');
    expect(await waitForStatus(manager)).toContain('Moved to Council meeting');
    const dump = await readStore(browser.worker);
    const moved = dump.captures.filter((c) => c.id === post.id || c.parentId === post.id);
    expect(moved).toHaveLength(2);
    expect(moved.every((c) => c.caseId === cases.council!.id)).toBe(true);
    expect(dump.custody.find((e) => e.action === 'moved')?.detail).toMatchObject({
      fromCaseId: cases.campaign!.id,
      toCaseId: cases.council!.id,
    });
    await manager.click('#back-to-list');
    await manager.selectOption('#filter-case', cases.campaign!.id);
    await manager.click('#search');
    await manager.waitForFunction(() => document.querySelector('#result-count')?.textContent === 'No captures match.');
  });

  it('deletes the capture after confirmation: bytes gone, the log keeps what and its hashes', async () => {
    const post = (await waitForSettledPosts(browser.worker, 1)).posts[0]!;
    await manager.selectOption('#filter-case', cases.council!.id);
    await manager.click('#search');
    await manager.waitForSelector('#captures button[data-open]');
    await manager.click('#captures button[data-open]');
    await manager.waitForSelector('#detail-view:not([hidden])');
    await manager.click('#delete-capture');
    await manager.waitForSelector('#delete-confirm:not([hidden])');
    // Nothing is deleted until the second, explicit step.
    expect((await readStore(browser.worker)).captures.some((c) => c.id === post.id)).toBe(true);
    await manager.fill('#delete-reason', 'Duplicate of an earlier capture');
    await resetStatus(manager);
    await manager.click('#confirm-delete');
    expect(await waitForStatus(manager)).toContain('Capture deleted');
    const dump = await readStore(browser.worker);
    expect(dump.captures.filter((c) => c.id === post.id || c.parentId === post.id)).toEqual([]);
    expect(dump.artifacts.filter((a) => a.captureId === post.id)).toEqual([]);
    const deleted = dump.custody.find((e) => e.action === 'deleted')!;
    expect(deleted.detail.reason).toBe('Duplicate of an earlier capture');
    const record = (deleted.detail.deleted as { captureId: string; artifacts: { sha256: string }[] }[]).find(
      (d) => d.captureId === post.id,
    )!;
    expect(record.artifacts.map((a) => a.sha256)).toEqual(expect.arrayContaining(post.artifacts.map((a) => a.sha256)));
    expect(await verifyCustodyChain(dump.custody)).toEqual({ ok: true });
    expect(dump.artifacts.length).toBe(0);
  });

  it('turns blurring off in settings', async () => {
    await manager.uncheck('#setting-blur');
    await resetStatus(manager);
    await manager.click('#save-settings');
    await waitForStatus(manager);
    expect((await readSettings()).blurScreenshots).toBe(false);
  });
});
