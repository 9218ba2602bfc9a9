import { describe, expect, it } from 'vitest';
import { extensionSuite } from '../harness/suite';
import {
  closeWhenBack,
  captureFromPopup,
  openPopup,
  readStore,
  waitForCapturesSettled,
  waitForSettledPosts,
  X_STATUS_URL,
  X_TIMELINE_URL,
} from '../harness/flows';

const { browser } = extensionSuite();

describe("capturing the author's profile with a post", () => {
  it('visits the profile, stores it as a child capture, and brings the user back where they were', async () => {
    const page = await browser.openPage(X_STATUS_URL);
    await page.evaluate(() => window.scrollTo(0, 120));
    const popup = await openPopup(browser, page);
    expect((await captureFromPopup(popup)).kind).toBe('success');
    await waitForCapturesSettled(popup, 1);
    expect(await popup.locator('.capture__profile').first().textContent()).toBe('Profile captured: public');

    const { dump, posts } = await waitForSettledPosts(browser.worker, 1);
    const post = posts[0]!;
    const profile = dump.captures.find((c) => c.parentId === post.id)!;
    expect(profile).toMatchObject({
      kind: 'profile',
      platform: 'x',
      url: 'https://x.com/GazT_1977',
      author: { handle: 'GazT_1977', displayName: 'Gary Thornbury' },
      profile: { handle: 'GazT_1977', state: 'public', verified: true },
      missing: [],
    });
    expect(profile.profile?.followersShown).toBeTruthy();
    expect(profile.profile?.joinedShown).toMatch(/Joined/);
    expect(profile.artifacts.map((a) => a.name).sort()).toEqual(['fullpage.png', 'page.mhtml', 'viewport.png']);
    expect(dump.custody.filter((e) => e.captureId === profile.id).map((e) => e.action)).toEqual(['captured']);

    const sizes = await browser.worker.evaluate(async (id) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('witness-box');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const read = (name: string) =>
        new Promise<Blob>((resolve, reject) => {
          const request = db.transaction('artifacts').objectStore('artifacts').get([id, name]);
          request.onsuccess = () => resolve((request.result as { blob: Blob }).blob);
          request.onerror = () => reject(request.error);
        });
      const [viewport, full] = await Promise.all([
        createImageBitmap(await read('viewport.png')),
        createImageBitmap(await read('fullpage.png')),
      ]);
      db.close();
      return { viewport: [viewport.width, viewport.height], full: [full.width, full.height] };
    }, profile.id);
    expect(sizes.full[0]).toBe(sizes.viewport[0]);
    expect(sizes.full[1]).toBeGreaterThan(sizes.viewport[1]!);

    expect(page.url()).toBe(X_STATUS_URL);
    expect(await page.evaluate(() => window.scrollY)).toBe(120);
    await closeWhenBack(page);
  });

  it("links a recent capture of the same author's profile instead of visiting it again", async () => {
    const page = await browser.openPage(X_TIMELINE_URL);
    const before = await readStore(browser.worker);
    const popup = await openPopup(browser, page);
    await page.locator('article[data-testid="tweet"]', { hasText: '@GazT_1977' }).first().scrollIntoViewIfNeeded();
    await page.evaluate(() => {
      const post = [...document.querySelectorAll('article[data-testid="tweet"]')].find((a) =>
        a.textContent?.includes('@GazT_1977'),
      )!;
      const box = post.getBoundingClientRect();
      window.scrollBy(0, box.top + box.height / 2 - innerHeight / 2);
    });
    expect((await captureFromPopup(popup)).kind).toBe('success');
    const { dump, posts } = await waitForSettledPosts(
      browser.worker,
      before.captures.filter((c) => c.kind === 'post').length + 1,
    );
    const post = posts[0]!;
    expect(post.author.handle).toBe('GazT_1977');
    const linked = dump.custody.find((e) => e.captureId === post.id && e.action === 'profile-linked');
    expect(linked?.detail).toMatchObject({ reused: true });
    expect(dump.captures.filter((c) => c.kind === 'profile').length).toBe(
      before.captures.filter((c) => c.kind === 'profile').length,
    );
    await waitForCapturesSettled(popup, 1);
    expect(await popup.locator('.capture__profile').first().textContent()).toBe(
      'Profile captured (a recent capture, reused): public',
    );
    await closeWhenBack(page);
  });

  it('records an account that no longer exists as such, and keeps the post', async () => {
    const page = await browser.openPage(X_STATUS_URL);
    const before = await readStore(browser.worker);
    const popup = await browser.openToolbarPopup(page);
    await popup.close();
    // The second reply's author has no profile page: X shows "This account doesn't exist".
    await browser.chooseContextMenuItem(
      page,
      'article[data-testid="tweet"] >> nth=2 >> [data-testid="tweetText"]',
      'capture-post',
    );
    const { dump, posts } = await waitForSettledPosts(
      browser.worker,
      before.captures.filter((c) => c.kind === 'post').length + 1,
    );
    const post = posts[0]!;
    const profile = dump.captures.find((c) => c.parentId === post.id);
    expect(profile?.profile?.state).toBe('not-found');
    expect(profile?.artifacts.map((a) => a.name)).toContain('viewport.png');
    await page.waitForURL(X_STATUS_URL);
    await closeWhenBack(page);
  });
});

describe('"Capture profile" on a profile page', () => {
  it('captures the profile the user is looking at, on its own', async () => {
    const page = await browser.openPage('https://x.com/ProtectedPat');
    const before = await readStore(browser.worker);
    const popup = await openPopup(browser, page);
    await popup.evaluate(() => {
      const status = document.querySelector<HTMLElement>('#status');
      if (status) status.dataset.kind = 'pending';
    });
    await popup.click('#capture-profile');
    const status = await popup.waitForSelector('#status[data-kind="success"], #status[data-kind="error"]');
    expect(await status.textContent()).toBe('Saved as evidence: the profile (protected).');
    const after = await readStore(browser.worker);
    const added = after.captures.filter((c) => !before.captures.some((b) => b.id === c.id));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      kind: 'profile',
      parentId: null,
      profile: { handle: 'ProtectedPat', state: 'protected' },
    });
    expect(added[0]!.artifacts.map((a) => a.name).sort()).toEqual(['fullpage.png', 'page.mhtml', 'viewport.png']);
    await closeWhenBack(page);
  });

  it('refuses a page that is not a profile, and stores nothing', async () => {
    const page = await browser.openPage(X_TIMELINE_URL);
    const before = await readStore(browser.worker);
    const popup = await openPopup(browser, page);
    await popup.click('#capture-profile');
    const status = await popup.waitForSelector('#status[data-kind="error"]');
    expect(await status.textContent()).toMatch(/not an account's profile page/);
    expect((await readStore(browser.worker)).captures.length).toBe(before.captures.length);
    await closeWhenBack(page);
  });
});
