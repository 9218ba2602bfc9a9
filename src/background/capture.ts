import { browser } from 'wxt/browser';
import { sendToTab, type CaptureOutcome, type CaptureTrigger, type LocatedPost, type PickerStarted } from '../messages';
import type { ArtifactName, Capture, MissingArtifact, StoredArtifact } from '../evidence/model';
import { effectiveArtifacts } from '../evidence/effective';
import {
  addLateArtifact,
  custodyFor,
  openEvidenceDb,
  recordArtifactFailure,
  storeCapture,
  summarize,
  type EvidenceDb,
} from '../evidence/store';
import { sha256Hex } from '../evidence/sha256';
import { cropBox, cropPng } from '../capture/crop';
import { unscriptableReason } from '../capture/page-policy';
import { watchCaptureInTab, type CaptureWatch } from '../capture/watch';
import { describeEnvironment } from './environment';
import { archiveInto } from './page-capture';
import { renderPost } from './page-render';
import { buildPostCapture, hashArtifacts, type MadeArtifact } from './record';
import { unreadWarning } from '../sites/read';
import { readSettings } from './settings';
import { captureAuthorProfile, runningProfileJobs } from './profile';
import { queueTimestamp } from './timestamps';
import {
  dataUrlToBlob,
  messageOf,
  notify,
  screenshotVisibleTab,
  sendToContent,
  timed,
  type StepTimings,
} from './tab-tools';

/**
 * One post capture, trigger to "saved". The pixel-exact artifacts (viewport
 * screenshot, the post cropped from it, the page archive, the element's HTML)
 * are hashed and committed in one transaction before the user hears "saved";
 * the slower DOM render follows in its own transaction and custody event.
 */
export async function capturePostInTab(tabId: number, trigger: CaptureTrigger): Promise<CaptureOutcome> {
  const timings: StepTimings = {};
  const tab = await browser.tabs.get(tabId);
  // Sites are recognised by the content script (Mastodon, on any instance, only by its markup).
  const refusal = unscriptableReason(tab.url);
  if (refusal) return { ok: false, error: refusal };

  let located: LocatedPost;
  try {
    const found = await timed(timings, 'locate', () => sendToContent(tabId, 'locate-post', { trigger }));
    if ('picking' in found) return { ok: 'picking', message: found.message };
    located = found;
  } catch (error) {
    return fail(tabId, `No post captured: ${messageOf(error)}`);
  }

  // If the browser stops this worker before the capture settles, the page hears of it through the watch.
  const watch = watchCaptureInTab(tabId);
  try {
    return await captureLocated(tabId, tab.windowId, located, timings, watch);
  } finally {
    watch.close();
  }
}

async function captureLocated(
  tabId: number,
  windowId: number,
  locatedFirst: LocatedPost,
  timings: StepTimings,
  watch: CaptureWatch,
): Promise<CaptureOutcome> {
  let located = locatedFirst;
  const made: MadeArtifact[] = [];
  const missing: MissingArtifact[] = [];
  let viewport: Blob;
  try {
    // Re-measured as the shot is taken: with captures queued the page may have scrolled since it was located.
    const remeasure = async () => {
      located = {
        ...located,
        rect: (await sendToTab(tabId, 'measure-post', { token: located.token }).catch(() => located)).rect,
      };
    };
    viewport = await timed(timings, 'viewport', () => screenshotVisibleTab(windowId, remeasure));
  } catch (error) {
    return fail(tabId, `No post captured: the screenshot failed (${messageOf(error)}). Nothing was saved.`);
  }
  const capturedAt = new Date();
  made.push({ name: 'viewport.png', blob: viewport });

  await timed(timings, 'crop', () => addCrop(viewport, located, made, missing));
  await timed(timings, 'archive', () => archiveInto(tabId, made, missing));
  made.push({ name: 'post.html', blob: new Blob([located.postHtml], { type: 'text/html;charset=utf-8' }) });

  try {
    const [settings, environment, db] = await Promise.all([readSettings(), describeEnvironment(), openEvidenceDb()]);
    const artifacts = await timed(timings, 'hash', () => hashArtifacts(made));
    const capture = buildPostCapture({
      id: crypto.randomUUID(),
      located,
      capturedAt,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      settings,
      environment,
      artifacts,
      missing,
      pending: ['post-render.png'],
    });
    const stored: StoredArtifact[] = made.map(({ name, blob }) => ({
      captureId: capture.id,
      name,
      mime: blob.type,
      blob,
    }));
    const captured = await timed(timings, 'store', () => storeCapture(db, capture, stored, settings.capturedBy));
    queueTimestamp(capture.id, captured.hash);
    watch.settled();
    // A site without an adapter has no profile page Witness Box could recognise, so none is attempted.
    const withProfile =
      settings.captureProfileWithPost && capture.author.profileUrl !== null && capture.platform !== 'generic';
    // Marked before the render so the popup shows the profile step from the first refresh.
    if (withProfile) runningProfileJobs.add(capture.id);
    const summary = await summarize(db, capture, withProfile);
    const warning = unreadWarning(located.reading.unread);
    void notify(
      tabId,
      warning ? 'warning' : 'success',
      [savedMessage(located, missing), warning].filter(Boolean).join(' '),
    );
    // The render reads the post's page, so it must finish before the tab goes to the profile.
    runningRenders.add(capture.id);
    void addRender(db, tabId, located.token, capture.id, settings.capturedBy).then(() =>
      withProfile ? captureAuthorProfile(capture, tabId) : undefined,
    );
    return { ok: true, captureId: capture.id, summary, missing, timings };
  } catch (error) {
    return fail(tabId, `Not saved: ${messageOf(error)}`);
  }
}

async function addCrop(
  viewport: Blob,
  located: LocatedPost,
  made: MadeArtifact[],
  missing: MissingArtifact[],
): Promise<void> {
  try {
    const bitmap = await createImageBitmap(viewport);
    const box = cropBox(located.rect, located.devicePixelRatio, bitmap.width, bitmap.height);
    bitmap.close();
    if (!box) {
      missing.push({ name: 'post.png', reason: 'the post was not on screen when the screenshot was taken' });
      return;
    }
    made.push({ name: 'post.png', blob: await cropPng(viewport, box) });
  } catch (error) {
    missing.push({ name: 'post.png', reason: `cropping the screenshot failed: ${messageOf(error)}` });
  }
}

async function addRender(
  db: EvidenceDb,
  tabId: number,
  token: string,
  captureId: string,
  actor: string,
): Promise<void> {
  const name: ArtifactName = 'post-render.png';
  try {
    await renderAndStore(db, tabId, token, captureId, actor, name);
  } finally {
    runningRenders.delete(captureId);
  }
}

/**
 * Renders this worker is making now. Kept in memory on purpose: a render
 * pending in storage but missing here was lost when the browser stopped the
 * worker, and must be settled with that reason rather than show "saving" forever.
 */
const runningRenders = new Set<string>();

const ABANDONED_AFTER_MS = 60_000;

export async function settleAbandonedRenders(
  db: EvidenceDb,
  captures: readonly Capture[],
  now = Date.now(),
): Promise<void> {
  for (const capture of captures) {
    if (
      capture.pending.length === 0 ||
      runningRenders.has(capture.id) ||
      now - Date.parse(capture.capturedAt) < ABANDONED_AFTER_MS
    )
      continue;
    const { pending } = effectiveArtifacts(capture, await custodyFor(db, capture.id));
    for (const name of pending) {
      await recordArtifactFailure(
        db,
        capture.id,
        name,
        'Witness Box was stopped by the browser before this file was saved',
        capture.capturedBy,
      );
    }
  }
}

async function renderAndStore(
  db: EvidenceDb,
  tabId: number,
  token: string,
  captureId: string,
  actor: string,
  name: ArtifactName,
): Promise<void> {
  try {
    const start = performance.now();
    const { pngDataUrl, omittedImages } = await renderPost(tabId, token);
    const renderMs = Math.round(performance.now() - start);
    const blob = await dataUrlToBlob(pngDataUrl);
    const ref = {
      name,
      mime: 'image/png',
      bytes: blob.size,
      sha256: await sha256Hex(blob),
      hashedAt: new Date().toISOString(),
    };
    await addLateArtifact(db, { captureId, name, mime: ref.mime, blob }, ref, actor, { renderMs, omittedImages });
  } catch (error) {
    await recordArtifactFailure(db, captureId, name, renderFailureReason(error), actor).catch((e: unknown) =>
      console.error('[witness-box] could not record a failed render', e),
    );
  }
}

const PAGE_GONE =
  /message channel closed|message port closed|Receiving end does not exist|Could not establish connection/i;

/** Chrome's messaging errors, when the tab navigated or closed mid-render, in words an officer can read. */
function renderFailureReason(error: unknown): string {
  const message = messageOf(error);
  return PAGE_GONE.test(message)
    ? 'the page changed or was closed before the post could be rendered (the screenshot and archive were already taken)'
    : message;
}

/** Asks the page to let the user choose the element; the capture follows their click ('capture-picked'). */
export async function startPickerInTab(tabId: number): Promise<PickerStarted> {
  const refusal = unscriptableReason((await browser.tabs.get(tabId)).url);
  if (refusal) throw new Error(refusal);
  return sendToContent(tabId, 'start-picker', {});
}

function savedMessage(located: LocatedPost, missing: MissingArtifact[]): string {
  const what = located.post.conversation ? 'message' : 'post';
  const who = located.post.author.handle
    ? ` by @${located.post.author.handle}`
    : located.post.author.displayName
      ? ` by ${located.post.author.displayName}`
      : '';
  const gaps = missing.length ? ` (not saved: ${missing.map((m) => `${m.name}: ${m.reason}`).join('; ')})` : '';
  return `Saved as evidence: ${what}${who}${gaps}.`;
}

async function fail(tabId: number, error: string): Promise<CaptureOutcome> {
  await notify(tabId, 'error', error);
  return { ok: false, error };
}
