import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extensionSuite } from '../harness/suite';
import { platformPages, recordedFields } from '../harness/platform-pages';
import {
  clickAndWaitForOutcome,
  exportFromPopup,
  openPopup,
  readStore,
  setSettings,
  sha256sumCheck,
  unzipTo,
  waitForNewCapture,
  withPage,
} from '../harness/flows';

/**
 * One capture per platform, as a user makes it: the post page's "Capture
 * post" (a direct-message thread's too), the profile page's "Capture
 * profile", each checked against the page's hand-checked expected extract,
 * then one bundle holding them all. The fixture pages come from each
 * platform's `pages.json`.
 */

const PLATFORMS = await platformPages();

const { browser } = extensionSuite();

beforeAll(async () => {
  // Profiles are captured on their own below; the visit after each post is tested on X (profile-x).
  await setSettings(browser.worker, { captureProfileWithPost: false });
});

const captured: { platform: string; id: string }[] = [];

it('finds a post page for every platform with fixtures', () => {
  expect(PLATFORMS.length).toBeGreaterThanOrEqual(6);
});

describe.each(PLATFORMS)('$platform', ({ platform, post, conversation, profile }) => {
  // Each platform gets the tests its fixture pages allow: not every one has a DM thread or a public profile page.
  if (post)
    it('"Capture post" on its post page records the post the page is about, with every field as read', async () => {
      const { url, extract } = post;
      await withPage(browser, url, async (page) => {
        const before = await readStore(browser.worker);
        const status = await clickAndWaitForOutcome(await openPopup(browser, page), '#capture-post');
        expect(status, status.text).toMatchObject({ kind: 'success' });
        const { capture, dump } = await waitForNewCapture(browser.worker, before, 'post');
        const main = extract.posts[0]!;
        expect(capture).toMatchObject(recordedFields(main));
        expect(capture.shownTime.raw).toBe(main.shownTime.raw);
        expect(capture.url).toBe(url);
        const names = dump.artifacts.filter((a) => a.captureId === capture.id).map((a) => a.name);
        expect(names).toEqual(expect.arrayContaining(['viewport.png', 'post.png', 'page.mhtml', 'post.html']));
        captured.push({ platform, id: capture.id });
      });
    });

  if (conversation)
    it('"Capture post" in a direct-message thread records a message with its conversation', async () => {
      const thread = conversation;
      await withPage(browser, thread.url, async (page) => {
        const before = await readStore(browser.worker);
        const status = await clickAndWaitForOutcome(await openPopup(browser, page), '#capture-post');
        expect(status, status.text).toMatchObject({ kind: 'success' });
        const { capture } = await waitForNewCapture(browser.worker, before, 'message');
        const message = thread.extract.posts.find((p) => p.postId === capture.postId && p.text === capture.text);
        expect(message, `captured ${capture.postId}: ${capture.text}`).toBeDefined();
        expect(capture).toMatchObject(recordedFields(message!));
        expect(capture.conversation).toEqual(message!.conversation);
        captured.push({ platform, id: capture.id });
      });
    });

  if (profile)
    it('"Capture profile" records what the profile page shows', async () => {
      const home = profile;
      await withPage(browser, home.url, async (page) => {
        const before = await readStore(browser.worker);
        const status = await clickAndWaitForOutcome(await openPopup(browser, page), '#capture-profile');
        expect(status, status.text).toMatchObject({ kind: 'success' });
        const { capture, dump } = await waitForNewCapture(browser.worker, before, 'profile');
        expect(capture.profile).toEqual(home.extract.profile);
        const names = dump.artifacts.filter((a) => a.captureId === capture.id).map((a) => a.name);
        expect(names).toEqual(expect.arrayContaining(['viewport.png', 'fullpage.png', 'page.mhtml']));
      });
    });
});

describe('the bundle', () => {
  it('holds every platform’s capture, and sha256sum -c passes', async () => {
    const any = PLATFORMS.find((p) => p.post !== null)!;
    await withPage(browser, any.post!.url, async (page) => {
      const popup = await openPopup(browser, page);
      const { zipPath } = await exportFromPopup(browser, popup);
      const dir = `${zipPath}.d`;
      const names = await unzipTo(zipPath, dir);
      expect((await sha256sumCheck(dir)).ok).toBe(true);
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
        captures: { id: string; platform: string }[];
      };
      const inBundle = new Set(manifest.captures.map((c) => c.id));
      expect(captured.filter((c) => !inBundle.has(c.id))).toEqual([]);
      expect(names.filter((n) => n.endsWith('/metadata.json')).length).toBeGreaterThanOrEqual(captured.length);
    });
  });
});
