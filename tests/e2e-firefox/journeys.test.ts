import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyCustodyChain } from '../../src/evidence/custody-chain';
import { PROFILE_BY_HAND } from '../../src/background/profile';
import { firefoxSuite } from '../harness/suite';
import {
  FIREFOX_MISSING,
  inPage,
  resolveFirefox,
  withFirefoxPage,
  type FirefoxExtensionBrowser,
} from '../harness/firefox';
import { platformPages, recordedFields } from '../harness/platform-pages';
import {
  CAPTURE_SHORTCUT,
  captureFromPopup,
  clickAndWaitForOutcome,
  exportFromPopup,
  openPopup,
  pollIn,
  readStore,
  setSettings,
  sha256sumCheck,
  unzipTo,
  waitForCapturesSettled,
  waitForNewCapture,
  X_STATUS_URL,
  X_TIMELINE_URL,
  type StoreDump,
} from '../harness/flows';
import { syntheticBundle } from '../harness/synthetic-bundle';

/**
 * The journeys of the Chromium suite, in a real Firefox (Debian's firefox-esr)
 * with the built Firefox extension: the real toolbar popup, the shortcut as
 * native keys and the real context menu, fixture sites under their real
 * hostnames (through the host proxy). One browser for the file: Firefox takes
 * ~10 s to start here.
 */

const PLATFORMS = await platformPages();
const pagesOf = (platform: string) => PLATFORMS.find((p) => p.platform === platform);
const NO_CORS_URL = 'https://x.com/NoCorsNed/status/1991234567890129999';
const ARTICLE_URL = 'https://www.holbeck-gazette.example/news/2026/11/priya-natarajan-opens-constituency-office';
const XSS_URL = 'https://x.com/XssXavier/status/1991234567890130666';
const XSS_NAME = `<img src=x onerror="window.__pwned='name'">Xavier`;
const ACTIVE_SELECTOR =
  'script:not([src]), iframe, object, embed, base, meta[http-equiv="refresh"], [onerror], [onload], a[href^="javascript:"]';

if (!resolveFirefox()) console.log(`[e2e-firefox] skipped: ${FIREFOX_MISSING}`);

describe.skipIf(!resolveFirefox())('Witness Box in Firefox', () => {
  const { browser } = firefoxSuite();

  /** The ids of the captures stored since `before`, once there are `count` of them. */
  const newCaptures = async (before: StoreDump, count: number): Promise<string[]> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const fresh = (await readStore(browser.worker)).captures.filter(
        (c) => !before.captures.some((b) => b.id === c.id),
      );
      if (fresh.length >= count) return fresh.map((c) => c.id);
      if (Date.now() > deadline) throw new Error(`expected ${count} new captures, found ${fresh.length}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  describe('capturing an X post from each trigger', () => {
    it('the toolbar popup: stored whole and hashed, with the render in and the page snapshot for an archive', async () => {
      await setSettings(browser.worker, { captureProfileWithPost: false });
      await withFirefoxPage(browser, X_STATUS_URL, async (page) => {
        const popup = await openPopup(browser, page);
        expect(await captureFromPopup(popup)).toEqual({ kind: 'success', text: 'Saved as evidence.' });
        await waitForCapturesSettled(popup, 1);
        const listed = await popup.evaluate(() => document.querySelector('.capture')?.textContent ?? '', null);
        expect(listed).toContain('Gary Thornbury @GazT_1977');
        expect(listed).toContain('Saved, 5 files');
        await pollIn(
          inPage(page),
          () => (document.querySelector('witness-box-toast') ? true : null),
          null,
          5000,
          'The toast',
        );

        const { capture, dump } = await waitForNewCapture(
          browser.worker,
          { captures: [], custody: [], artifacts: [] },
          'post',
        );
        expect(capture).toMatchObject({
          kind: 'post',
          platform: 'x',
          url: X_STATUS_URL,
          permalink: X_STATUS_URL,
          author: { displayName: 'Gary Thornbury', handle: 'GazT_1977' },
          shownTime: { iso: '2026-11-20T18:42:07.000Z' },
          missing: [],
        });
        expect(capture.browser).toMatch(/Firefox/);
        expect(capture.artifacts.map((a) => a.name).sort()).toEqual([
          'page.html',
          'post.html',
          'post.png',
          'viewport.png',
        ]);
        const events = dump.custody.filter((e) => e.captureId === capture.id);
        expect(events.map((e) => e.action)).toEqual(['captured', 'artifact-added']);
        expect(events[1]!.detail).toMatchObject({ artifact: { name: 'post-render.png' }, omittedImages: [] });
        expect(
          dump.artifacts.find((a) => a.captureId === capture.id && a.name === 'post-render.png')?.size,
        ).toBeGreaterThan(1000);
        expect(await verifyCustodyChain(dump.custody)).toEqual({ ok: true });
      });
    });

    it('the keyboard shortcut captures the post nearest the middle of the screen', async () => {
      await withFirefoxPage(browser, X_TIMELINE_URL, async (page) => {
        const expected = await page.evaluate(() => {
          const centre = innerHeight / 2;
          const distance = (el: Element) =>
            Math.abs((el.getBoundingClientRect().top + el.getBoundingClientRect().bottom) / 2 - centre);
          const nearest = [...document.querySelectorAll('article[data-testid="tweet"]')].sort(
            (a, b) => distance(a) - distance(b),
          )[0];
          return nearest?.querySelector('a[href*="/status/"] time')?.closest('a')?.getAttribute('href');
        });
        expect(expected).toBeTruthy();
        const before = await readStore(browser.worker);
        await browser.pressShortcut(page, CAPTURE_SHORTCUT);
        const { capture } = await waitForNewCapture(browser.worker, before, 'post');
        expect(capture.permalink).toBe(`https://x.com${expected}`);
        expect(capture.url).toBe(X_TIMELINE_URL);
      });
    });

    it('the real context menu captures the reply the user right-clicked', async () => {
      await withFirefoxPage(browser, X_STATUS_URL, async (page) => {
        const replyHref = await page.evaluate(() =>
          document
            .querySelectorAll('article[data-testid="tweet"]')[1]
            ?.querySelector('a[href*="/status/"] time')
            ?.closest('a')
            ?.getAttribute('href'),
        );
        const before = await readStore(browser.worker);
        await page.evaluate(() =>
          document.querySelectorAll('article[data-testid="tweet"]')[1]?.scrollIntoView({ block: 'center' }),
        );
        // The second post of the page: the first reply.
        await browser.chooseContextMenuItem(page, 'article[data-testid="tweet"]', 'Capture as evidence', 1);
        const { capture } = await waitForNewCapture(browser.worker, before, 'post');
        expect(capture.permalink).toBe(`https://x.com${replyHref}`);
        expect(capture.isReply).toBe(true);
        expect(capture.replyToUrl).toBe(X_STATUS_URL);
      });
    });
  });

  describe.each(['bluesky', 'reddit'])('a post on %s', (platform) => {
    it('"Capture post" on its post page records the post with every field as read', async () => {
      const post = pagesOf(platform)?.post;
      if (!post) throw new Error(`no ${platform} post page among the fixtures`);
      await withFirefoxPage(browser, post.url, async (page) => {
        const before = await readStore(browser.worker);
        const status = await captureFromPopup(await openPopup(browser, page));
        expect(status, status.text).toMatchObject({ kind: 'success' });
        const { capture } = await waitForNewCapture(browser.worker, before, 'post');
        expect(capture).toMatchObject(recordedFields(post.extract.posts[0]!));
        expect(capture.url).toBe(post.url);
      });
    });
  });

  it('a direct message on X is recorded with its conversation', async () => {
    const thread = pagesOf('x')?.conversation;
    if (!thread) throw new Error('no X conversation among the fixtures');
    await withFirefoxPage(browser, thread.url, async (page) => {
      const before = await readStore(browser.worker);
      const status = await captureFromPopup(await openPopup(browser, page));
      expect(status, status.text).toMatchObject({ kind: 'success' });
      const { capture } = await waitForNewCapture(browser.worker, before, 'message');
      const message = thread.extract.posts.find((p) => p.postId === capture.postId && p.text === capture.text);
      expect(message, `captured ${capture.postId}: ${capture.text}`).toBeDefined();
      expect(capture.conversation).toEqual(message!.conversation);
    });
  });

  it('the render leaves out exactly the image whose site sends no CORS headers, and says so', async () => {
    await withFirefoxPage(browser, NO_CORS_URL, async (page) => {
      const before = await readStore(browser.worker);
      expect((await captureFromPopup(await openPopup(browser, page))).kind).toBe('success');
      const { capture, dump } = await waitForNewCapture(browser.worker, before, 'post');
      const render = dump.custody.find((e) => e.captureId === capture.id && e.action !== 'captured')!;
      expect(render.action).toBe('artifact-added');
      expect(render.detail.omittedImages).toEqual(['https://nocors.example/media/count-night.png']);
    });
  });

  it("the author's profile: the popup opens it, the user presses Capture profile there, and is brought back to the post", async () => {
    await setSettings(browser.worker, { captureProfileWithPost: true, profileReuseMinutes: 0 });
    await withFirefoxPage(browser, X_STATUS_URL, async (page) => {
      await page.evaluate(() => window.scrollTo(0, 120));
      const before = await readStore(browser.worker);
      const popup = await openPopup(browser, page);
      expect((await captureFromPopup(popup)).kind).toBe('success');
      const [postId] = await newCaptures(before, 1);
      // Firefox cannot screenshot a page Witness Box opened itself: the popup says what to do instead.
      const line = await pollIn(
        popup,
        () => document.querySelector('.capture__profile--failed')?.textContent ?? null,
        null,
        20_000,
        'The profile line',
      );
      expect(line).toBe(`Profile not captured: ${PROFILE_BY_HAND}`);
      const opened = await clickAndWaitForOutcomeOrInfo(popup, '.capture__retry-profile');
      expect(opened).toMatch(/^This is @GazT_1977's profile\. To save it with the post, press the Witness Box button/);
      expect(page.url()).toBe('https://x.com/GazT_1977');

      const onProfile = await openPopup(browser, page);
      const saved = await clickAndWaitForOutcome(onProfile, '#capture-profile');
      expect(saved).toEqual({ kind: 'success', text: 'Saved as evidence: the profile (public).' });
      const dump = await readStore(browser.worker);
      const profile = dump.captures.find((c) => c.parentId === postId);
      expect(profile, JSON.stringify(dump.captures.map((c) => [c.kind, c.parentId]))).toMatchObject({
        kind: 'profile',
        url: 'https://x.com/GazT_1977',
        profile: { handle: 'GazT_1977', state: 'public' },
      });
      expect(profile!.artifacts.map((a) => a.name).sort()).toEqual(['fullpage.png', 'page.html', 'viewport.png']);
      await pollIn(
        inPage(page),
        (url) => (location.href === url ? true : null),
        X_STATUS_URL,
        20_000,
        'Back on the post',
      );
      await pollIn(inPage(page), () => (window.scrollY === 120 ? true : null), null, 5000, 'The same scroll position');
      // The post now shows its profile as captured.
      const back = await openPopup(browser, page);
      const shown = await pollIn(
        back,
        () => document.querySelector('.capture__profile')?.textContent ?? null,
        null,
        10_000,
        'The profile line',
      );
      expect(shown).toBe('Profile captured: public');
      await back.close();
    });
    await setSettings(browser.worker, { captureProfileWithPost: false });
  });

  it('"Capture whole page" keeps the screen, the page stitched top to bottom and its snapshot', async () => {
    await withFirefoxPage(browser, ARTICLE_URL, async (page) => {
      const before = await readStore(browser.worker);
      const status = await clickAndWaitForOutcome(await openPopup(browser, page), '#capture-page');
      expect(status).toMatchObject({ kind: 'success', text: 'Saved as evidence: the whole page.' });
      const { capture } = await waitForNewCapture(browser.worker, before, 'page');
      expect(capture.artifacts.map((a) => a.name).sort()).toEqual(['fullpage.png', 'page.html', 'viewport.png']);
      expect(capture.url).toBe(ARTICLE_URL);
    });
  });

  it('"Pick element" on a site without an adapter: ↑ to the whole comment, click, saved without following the link', async () => {
    await withFirefoxPage(browser, ARTICLE_URL, async (page) => {
      await page.evaluate(() => document.querySelector('#comment-4812')?.scrollIntoView({ block: 'center' }));
      const before = await readStore(browser.worker);
      const popup = await openPopup(browser, page);
      await popup.click('#capture-pick');
      const hint = await pollIn(
        popup,
        () => {
          const status = document.querySelector<HTMLElement>('#status[data-kind="info"]');
          return status?.textContent || null;
        },
        null,
        10_000,
        'The picker hint',
      );
      expect(hint).toMatch(/Click what you want to capture/);
      await popup.close();
      const text = await page.$('#comment-4812 > .e-content p');
      const box = await text!.boundingBox();
      await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await page.click('#comment-4812 > footer .u-url');
      const { capture } = await waitForNewCapture(browser.worker, before, 'post');
      expect(capture).toMatchObject({
        platform: 'generic',
        url: ARTICLE_URL,
        permalink: `${ARTICLE_URL}#comment-4812`,
        author: { displayName: 'Gary Thornbury', handle: null },
        shownTime: { raw: '20 November 2026 at 6.42pm', iso: '2026-11-20T18:42:00.000Z' },
      });
      expect(capture.text).toBe(
        'Enjoy your little office while it lasts. We know where it is now and we know what time you lock up.',
      );
      expect(capture.artifacts.map((a) => a.name).sort()).toEqual([
        'page.html',
        'post.html',
        'post.png',
        'viewport.png',
      ]);
      expect(page.url()).toBe(ARTICLE_URL);
    });
  });

  it('captured markup stays text in the popup, and nothing of it runs there', async () => {
    await withFirefoxPage(browser, XSS_URL, async (page) => {
      const before = await readStore(browser.worker);
      const popup = await openPopup(browser, page);
      expect((await captureFromPopup(popup)).kind).toBe('success');
      const { capture } = await waitForNewCapture(browser.worker, before, 'post');
      expect(capture.author.displayName).toBe(XSS_NAME);
      const shown = await pollIn(
        popup,
        (name) => (document.querySelector('.capture__who')?.textContent?.includes(name) ? true : null),
        XSS_NAME,
        10_000,
        'The name shown as text',
      );
      expect(shown).toBe(true);
      const active = (selector: string) =>
        ({
          count: document.querySelectorAll(`#captures :is(${selector})`).length,
          pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
        }) as const;
      expect(await popup.evaluate(active, ACTIVE_SELECTOR)).toEqual({ count: 0, pwned: null });
      // (The page's own live markup runs on the page itself, as it would without Witness Box: only ours is checked.)
    });
  });

  describe('the bundle', () => {
    let zipPath = '';

    it('exports a signed bundle that sha256sum -c and openssl verify, and that fails after one byte changes', async () => {
      await withFirefoxPage(browser, X_STATUS_URL, async (page) => {
        const popup = await openPopup(browser, page);
        const exported = await exportFromPopup(browser, popup);
        zipPath = exported.zipPath;
        const stored = await readStore(browser.worker);
        expect(exported.status.text).toContain(`Exported ${stored.captures.length} captures`);
      });
      const dir = join(browser.tmpDir, 'unzipped');
      const files = await unzipTo(zipPath, dir);
      expect(files).toEqual(expect.arrayContaining(['SHA256SUMS', 'manifest.json', 'report.html', 'public-key.pem']));
      expect(files.some((f) => f.endsWith('/page.html'))).toBe(true);
      const check = await sha256sumCheck(dir);
      expect(check.ok, check.output).toBe(true);
      const verify = () =>
        execFileSync(
          'openssl',
          ['dgst', '-sha256', '-verify', 'public-key.pem', '-signature', 'manifest.sig', 'manifest.json'],
          { cwd: dir, encoding: 'utf8', stdio: 'pipe' },
        );
      expect(verify()).toContain('Verified OK');
      const manifest = await readFile(join(dir, 'manifest.json'));
      manifest.writeUInt8(manifest.readUInt8(10) ^ 0x01, 10);
      await writeFile(join(dir, 'manifest.json'), manifest);
      expect(verify).toThrow();
      expect((await sha256sumCheck(dir)).ok).toBe(false);
    });

    it("the manager's Verify checks the bundle, and its Import takes in a volunteer's bundle", async () => {
      expect(zipPath).not.toBe('');
      const manager = await browser.openExtensionPage('manager.html');
      try {
        await manager.uploadFile('#verify-file', zipPath);
        const verdict = await pollIn(
          manager,
          () => {
            const result = document.querySelector<HTMLElement>('#verify-result');
            return result?.dataset.verdict || (result?.dataset.kind === 'error' ? result.textContent : null) || null;
          },
          null,
          30_000,
          'The verify verdict',
        );
        // Its own export, signed by its own key, which it trusts.
        expect(verdict).toBe('trusted');

        const volunteer = join(browser.tmpDir, 'volunteer.zip');
        await writeFile(volunteer, await syntheticBundle(2, 2048));
        const before = await readStore(browser.worker);
        await manager.uploadFile('#import-file', volunteer);
        const importSettled = () =>
          pollIn(
            manager,
            () => {
              const result = document.querySelector('#import-result');
              if (result?.querySelector('.confirm-key')) return 'confirm';
              const text = result?.textContent ?? '';
              return /Imported|refused|failed/i.test(text) ? text : null;
            },
            null,
            30_000,
            'The import result',
          );
        // The volunteer's key is new here: the staffer names it after comparing fingerprints, and confirms.
        expect(await importSettled()).toBe('confirm');
        await manager.evaluate(() => {
          const name = document.querySelector<HTMLInputElement>('#import-result .confirm-key-name');
          if (name) name.value = 'Volunteer Viv';
        }, null);
        await manager.click('#import-result .confirm-key button[type=submit]');
        expect(await importSettled()).toMatch(/Imported 2 captures/);
        expect((await readStore(browser.worker)).captures.length).toBe(before.captures.length + 2);
      } finally {
        await manager.close();
      }
    });
  });
});

/** Clicks in the popup and returns the status text once it is no longer the "working" line (info or outcome). */
async function clickAndWaitForOutcomeOrInfo(
  popup: Awaited<ReturnType<FirefoxExtensionBrowser['openToolbarPopup']>>,
  selector: string,
): Promise<string> {
  await popup.evaluate(() => {
    const status = document.querySelector<HTMLElement>('#status');
    if (status) status.textContent = '';
  }, null);
  await popup.click(selector);
  return pollIn(
    popup,
    () => {
      const text = document.querySelector('#status')?.textContent ?? '';
      return text && !text.endsWith('…') ? text : null;
    },
    null,
    30_000,
    'The popup answering',
  );
}
