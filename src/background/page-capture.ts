import { browser } from 'wxt/browser';
import type { CaptureOutcome } from '../messages';
import type { MissingArtifact, StoredArtifact } from '../evidence/model';
import { openEvidenceDb, storeCapture, summarize } from '../evidence/store';
import { stitchScreens, type ScreenShot } from '../capture/stitch';
import { unscriptableReason } from '../capture/page-policy';
import { adapterForUrl } from '../sites';
import { describeEnvironment } from './environment';
import { canSaveMhtml, saveMhtml } from './page-archive';
import { buildPageCapture, hashArtifacts, type MadeArtifact } from './record';
import { readSettings } from './settings';
import { queueTimestamp } from './timestamps';
import { messageOf, notify, screenshotVisibleTab, sendToContent } from './tab-tools';

/**
 * What a page capture keeps, for a profile and for "Capture whole page"
 * alike: the first screen as the browser drew it, the page stitched from its
 * screens top down, and the page archive.
 */
export interface PageScreens {
  made: MadeArtifact[];
  missing: MissingArtifact[];
  /** When the first screen was taken: the moment the capture records. */
  capturedAt: Date;
  /** False when the page went on below the last screen taken. */
  reachedEnd: boolean;
  screensTaken: number;
}

export async function capturePageScreens(
  tabId: number,
  windowId: number,
  maxScreens: number,
  devicePixelRatio: number,
): Promise<PageScreens> {
  const { screens, reachedEnd } = await screenshotScreens(tabId, windowId, maxScreens);
  const made: MadeArtifact[] = [{ name: 'viewport.png', blob: screens[0]!.image }];
  const missing: MissingArtifact[] = [];
  try {
    made.push({ name: 'fullpage.png', blob: await stitchScreens(screens, devicePixelRatio) });
  } catch (error) {
    missing.push({ name: 'fullpage.png', reason: `stitching the screens failed: ${messageOf(error)}` });
  }
  await sendToContent(tabId, 'scroll-to', { y: 0 }).catch(() => undefined);
  await archiveInto(tabId, made, missing);
  return { made, missing, capturedAt: new Date(screens[0]!.takenAt), reachedEnd, screensTaken: screens.length };
}

/** The page archive: MHTML where the browser makes one, else a DOM snapshot; its failure is recorded, never fatal. */
export async function archiveInto(tabId: number, made: MadeArtifact[], missing: MissingArtifact[]): Promise<void> {
  if (canSaveMhtml()) {
    try {
      made.push({ name: 'page.mhtml', blob: await saveMhtml(tabId) });
    } catch (error) {
      missing.push({ name: 'page.mhtml', reason: messageOf(error) });
    }
    return;
  }
  try {
    const { html } = await sendToContent(tabId, 'snapshot-page', {});
    made.push({ name: 'page.html', blob: new Blob([html], { type: 'text/html;charset=utf-8' }) });
  } catch (error) {
    missing.push({ name: 'page.html', reason: `the page snapshot failed: ${messageOf(error)}` });
  }
}

/** The first `count` screens of the page, top down, each a browser screenshot; stops early at the page's end. */
async function screenshotScreens(
  tabId: number,
  windowId: number,
  count: number,
): Promise<{ screens: (ScreenShot & { takenAt: number })[]; reachedEnd: boolean }> {
  const screens: (ScreenShot & { takenAt: number })[] = [];
  let y = 0;
  for (let i = 0; i < Math.max(1, count); i++) {
    const position = await sendToContent(tabId, 'scroll-to', { y });
    if (i > 0 && position.scrollY === screens[screens.length - 1]!.scrollY) return { screens, reachedEnd: true };
    const image = await screenshotVisibleTab(windowId);
    screens.push({ scrollY: position.scrollY, image, takenAt: Date.now() });
    if (position.scrollY + position.viewportHeight >= position.documentHeight) return { screens, reachedEnd: true };
    y = position.scrollY + position.viewportHeight;
  }
  return { screens, reachedEnd: false };
}

/**
 * Screens stitched for a whole page: about six seconds under the browser's
 * two-screenshots-a-second limit. A longer page is still whole in the archive.
 */
export const WHOLE_PAGE_SCREENS = 12;

/** "Capture whole page", on any site the browser lets an extension script. */
export async function captureWholePage(tabId: number): Promise<CaptureOutcome> {
  const tab = await browser.tabs.get(tabId);
  const refusal = unscriptableReason(tab.url);
  if (refusal) return { ok: false, error: refusal };
  try {
    const page = await sendToContent(tabId, 'describe-page', {});
    const start = performance.now();
    const shots = await capturePageScreens(tabId, tab.windowId, WHOLE_PAGE_SCREENS, page.devicePixelRatio);
    const screensMs = Math.round(performance.now() - start);
    const [settings, environment, db] = await Promise.all([readSettings(), describeEnvironment(), openEvidenceDb()]);
    const url = new URL(page.url);
    const capture = buildPageCapture({
      id: crypto.randomUUID(),
      capturedAt: shots.capturedAt,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      settings,
      environment,
      artifacts: await hashArtifacts(shots.made),
      missing: shots.missing,
      pending: [],
      platform: adapterForUrl(url)?.platform ?? 'generic',
      url: page.url,
      pageTitle: page.title,
      selectedText: page.selectedText,
      devicePixelRatio: page.devicePixelRatio,
    });
    const stored: StoredArtifact[] = shots.made.map(({ name, blob }) => ({
      captureId: capture.id,
      name,
      mime: blob.type,
      blob,
    }));
    const captured = await storeCapture(db, capture, stored, settings.capturedBy);
    queueTimestamp(capture.id, captured.hash);
    const extent = shots.reachedEnd
      ? ''
      : ` The picture shows its first ${shots.screensTaken} screens; the page archive holds all of it.`;
    await notify(tabId, 'success', `Saved as evidence: the whole page.${extent}`);
    return {
      ok: true,
      captureId: capture.id,
      summary: await summarize(db, capture, false),
      missing: shots.missing,
      timings: { screens: screensMs },
    };
  } catch (error) {
    const message = `The page was not captured: ${messageOf(error)}`;
    await notify(tabId, 'error', message);
    return { ok: false, error: message };
  }
}
