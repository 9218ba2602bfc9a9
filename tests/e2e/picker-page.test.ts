import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { extensionSuite } from '../harness/suite';
import {
  clickAndWaitForOutcome,
  exportFromPopup,
  openPopup,
  readStore,
  unzipTo,
  waitForNewCapture,
  withPage,
} from '../harness/flows';

/**
 * Any site: a local paper's comment section, which no adapter knows. The user
 * picks the comment with the element picker (from the popup, or by
 * right-clicking), or captures the whole page.
 */

const ARTICLE_URL = 'https://www.holbeck-gazette.example/news/2026/11/priya-natarajan-opens-constituency-office';
const COMMENT = '#comment-4812';
const COMMENT_TEXT = `${COMMENT} > .e-content p`;

const { browser } = extensionSuite();

/** A stored PNG's size, and how many of its pixels have the picker outline's colour, read in the extension from the stored bytes. */
function inspectStoredPng(
  captureId: string,
  name: string,
): Promise<{ width: number; height: number; outlinePixels: number }> {
  return browser.worker.evaluate(
    async ({ captureId, name }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('witness-box');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const record = await new Promise<{ blob: Blob }>((resolve, reject) => {
        const request = db.transaction('artifacts').objectStore('artifacts').get([captureId, name]);
        request.onsuccess = () => resolve(request.result as { blob: Blob });
        request.onerror = () => reject(request.error);
      });
      db.close();
      const bitmap = await createImageBitmap(record.blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d context');
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i]! - 214) < 12 && Math.abs(data[i + 1]! - 40) < 12 && Math.abs(data[i + 2]! - 40) < 12)
          count++;
      }
      return { width: bitmap.width, height: bitmap.height, outlinePixels: count };
    },
    { captureId, name },
  );
}

describe('the element picker, on a site Witness Box has no adapter for', () => {
  it('"Pick element": hover, ↑ to the whole comment, click; the comment is saved without the outline, and the link is not followed', async () => {
    await withPage(browser, ARTICLE_URL, async (page) => {
      await page.locator(COMMENT).scrollIntoViewIfNeeded();
      const before = await readStore(browser.worker);
      const popup = await openPopup(browser, page);
      await popup.click('#capture-pick');
      await popup.waitForSelector('#status[data-kind="info"]');
      expect(await popup.textContent('#status')).toMatch(/Click what you want to capture/);
      await popup.close();

      const box = await page.locator(COMMENT_TEXT).boundingBox();
      if (!box) throw new Error('comment text not on screen');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      // Clicking the comment's own permalink must pick, not navigate.
      await page.locator(`${COMMENT} > footer .u-url`).click();

      const { capture, dump } = await waitForNewCapture(browser.worker, before, 'post');
      expect(capture).toMatchObject({
        platform: 'generic',
        url: ARTICLE_URL,
        pageTitle: 'Priya Natarajan opens Holbeck constituency office | Holbeck Gazette',
        permalink: `${ARTICLE_URL}#comment-4812`,
        author: {
          displayName: 'Gary Thornbury',
          handle: null,
          profileUrl: 'https://www.holbeck-gazette.example/profile/gazt1977',
        },
        shownTime: { raw: '20 November 2026 at 6.42pm', iso: '2026-11-20T18:42:00.000Z' },
      });
      // The comment's own words: the reply nested under it is an entry of its own (its screenshot still shows it).
      expect(capture.text).toBe(
        'Enjoy your little office while it lasts. We know where it is now and we know what time you lock up.',
      );
      const names = dump.artifacts.filter((a) => a.captureId === capture.id).map((a) => a.name);
      expect(names).toEqual(expect.arrayContaining(['viewport.png', 'post.png', 'page.mhtml', 'post.html']));
      expect((await inspectStoredPng(capture.id, 'viewport.png')).outlinePixels).toBe(0);
      expect(page.url()).toBe(ARTICLE_URL);
      expect(await page.evaluate(() => document.querySelector('witness-box-picker'))).toBeNull();
      // No profile visit on a site Witness Box cannot read profiles on.
      expect(dump.custody.filter((e) => e.captureId === capture.id).map((e) => e.action)).not.toContain(
        'profile-failed',
      );
    });
  });

  it('"Capture post" on an unknown site starts the picker, and Esc cancels with nothing saved', async () => {
    await withPage(browser, ARTICLE_URL, async (page) => {
      const before = await readStore(browser.worker);
      const popup = await openPopup(browser, page);
      await popup.click('#capture-post');
      await popup.waitForFunction(() =>
        /Click what you want/.test(document.querySelector('#status')?.textContent ?? ''),
      );
      expect(await popup.textContent('#status')).toMatch(
        /does not know how posts look on www\.holbeck-gazette\.example/,
      );
      await popup.close();
      expect(await page.evaluate(() => document.querySelector('witness-box-picker') !== null)).toBe(true);
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => document.querySelector('witness-box-picker') === null);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await readStore(browser.worker)).captures.length).toBe(before.captures.length);
    });
  });

  it('right-click "Capture as evidence" on an unknown site lets the user pick, then saves the selected words with the reply', async () => {
    await withPage(browser, ARTICLE_URL, async (page) => {
      await page.locator('#comment-4815').scrollIntoViewIfNeeded();
      // The toolbar click stands in for the activeTab grant Chromium gives a real context-menu click.
      await (await browser.openToolbarPopup(page)).close();
      await page.evaluate(() => {
        const text = document.querySelector('#comment-4815 .e-content p')?.firstChild;
        if (!text) throw new Error('no reply text');
        const range = document.createRange();
        range.setStart(text, 0);
        range.setEnd(text, text.textContent?.length ?? 0);
        getSelection()?.addRange(range);
      });
      const before = await readStore(browser.worker);
      await browser.chooseContextMenuItem(page, '#comment-4815 .e-content p', 'capture-post');
      await page.waitForFunction(() => document.querySelector('witness-box-picker') !== null);
      const box = await page.locator('#comment-4815 .e-content p').boundingBox();
      if (!box) throw new Error('reply not on screen');
      await page.mouse.move(box.x + 5, box.y + box.height / 2);
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      const { capture } = await waitForNewCapture(browser.worker, before, 'post');
      expect(capture).toMatchObject({
        permalink: `${ARTICLE_URL}#comment-4815`,
        author: { displayName: 'Holbeck Mum' },
        isReply: true,
        replyToUrl: `${ARTICLE_URL}#comment-4812`,
        selectedText: 'Reported this to the Gazette. There is no need for this.',
      });
    });
  });
});

describe('"Capture whole page"', () => {
  it('keeps the screen, the page top to bottom and its archive, and the bundle carries them', async () => {
    await withPage(browser, ARTICLE_URL, async (page) => {
      const before = await readStore(browser.worker);
      const popup = await openPopup(browser, page);
      const status = await clickAndWaitForOutcome(popup, '#capture-page');
      expect(status).toMatchObject({ kind: 'success', text: expect.stringMatching(/whole page/) });
      const { capture, dump } = await waitForNewCapture(browser.worker, before, 'page');
      expect(capture).toMatchObject({
        platform: 'generic',
        url: ARTICLE_URL,
        permalink: ARTICLE_URL,
        pageTitle: 'Priya Natarajan opens Holbeck constituency office | Holbeck Gazette',
        author: { displayName: null, handle: null, profileUrl: null },
      });
      const artifacts = dump.artifacts.filter((a) => a.captureId === capture.id);
      expect(artifacts.map((a) => a.name).sort()).toEqual(['fullpage.png', 'page.mhtml', 'viewport.png']);
      const size = (name: string) => artifacts.find((a) => a.name === name)?.size ?? 0;
      expect(size('fullpage.png')).toBeGreaterThan(size('viewport.png'));
      const { height: fullHeight } = await inspectStoredPng(capture.id, 'fullpage.png');
      const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight * devicePixelRatio);
      expect(fullHeight).toBe(pageHeight);

      const { zipPath } = await exportFromPopup(browser, popup);
      const names = await unzipTo(zipPath, `${zipPath}.d`);
      expect(names.some((n) => n.endsWith('/fullpage.png'))).toBe(true);
      const report = await readFile(`${zipPath}.d/report.html`, 'utf8');
      expect(report).toContain('Web page');
      expect(report).toContain('The page as it appeared on screen, top to bottom');
    });
  });
});
