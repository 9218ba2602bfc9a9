import { browser } from 'wxt/browser';
import type { ProfileOutcome } from '../messages';
import type { Capture, StoredArtifact } from '../evidence/model';
import { commitWithCustody, openEvidenceDb, storeCapture, type EvidenceDb } from '../evidence/store';
import { unscriptableReason } from '../capture/page-policy';
import { adapterForUrl } from '../sites';
import { describeEnvironment } from './environment';
import { capturePageScreens } from './page-capture';
import { findReusableProfile, isLoginRedirect, profileUrlForTab, unreadableProfile } from './profile-plan';
import { buildProfileCapture, hashArtifacts } from './record';
import { readSettings } from './settings';
import { queueTimestamp } from './timestamps';
import { messageOf, navigateAndWait, notify, sendToContent } from './tab-tools';

/**
 * Posts whose author's profile is being captured right now. Kept in memory on
 * purpose: if the worker is stopped, the job stops with it, and "capturing"
 * must not outlive it.
 */
export const runningProfileJobs = new Set<string>();

const PROFILE_READY_TIMEOUT_MS = 6000;

/**
 * The author's home page, to show the account was public when the post was
 * captured (UK guidance asks for it). The user's own tab goes to the profile
 * and comes back: the browser lets an extension screenshot only the tab the
 * user invoked it on, and keeps that grant for the same site. A failed,
 * private or login-walled profile never undoes the post capture.
 */
export async function captureAuthorProfile(post: Capture, tabId: number): Promise<ProfileOutcome> {
  runningProfileJobs.add(post.id);
  try {
    return await linkOrCaptureProfile(post, tabId);
  } finally {
    runningProfileJobs.delete(post.id);
  }
}

async function linkOrCaptureProfile(post: Capture, tabId: number): Promise<ProfileOutcome> {
  const [db, settings] = await Promise.all([openEvidenceDb(), readSettings()]);
  const handle = post.author.handle;
  if (handle) {
    const reusable = findReusableProfile(
      await recentCaptures(db, settings.profileReuseMinutes),
      post.platform,
      handle,
      new Date(),
      settings.profileReuseMinutes,
    );
    if (reusable) {
      await recordProfileEvent(db, post, settings.capturedBy, 'profile-linked', {
        profileCaptureId: reusable.id,
        reused: true,
      });
      return { ok: true, profileCaptureId: reusable.id, reused: true, state: reusable.profile?.state ?? 'unknown' };
    }
  }

  try {
    const tab = await browser.tabs.get(tabId);
    const url = profileUrlForTab(
      post.author.profileUrl,
      tab.url,
      (a, b) => adapterForUrl(a) !== null && adapterForUrl(a) === adapterForUrl(b),
    );
    if (!url)
      throw new Error(
        post.author.profileUrl
          ? 'the profile is on another site than this tab'
          : 'the post shows no link to its author',
      );
    const capture = await visitAndCapture(tabId, url, post.id);
    return { ok: true, profileCaptureId: capture.id, reused: false, state: capture.profile?.state ?? 'unknown' };
  } catch (error) {
    const reason = `the profile could not be captured: ${messageOf(error)}`;
    await recordProfileEvent(db, post, settings.capturedBy, 'profile-failed', {
      reason,
      profileUrl: post.author.profileUrl,
    });
    return { ok: false, error: reason };
  }
}

async function visitAndCapture(tabId: number, profileUrl: string, parentId: string): Promise<Capture> {
  const tab = await browser.tabs.get(tabId);
  const returnTo = tab.url;
  const returnScroll = await sendToContent(tabId, 'scroll-to', { y: null }).catch(() => null);
  try {
    await navigateAndWait(tabId, () => browser.tabs.update(tabId, { url: profileUrl }));
    return await captureProfileInTab(tabId, parentId);
  } finally {
    if (returnTo) {
      await navigateAndWait(tabId, () => browser.tabs.update(tabId, { url: returnTo })).catch(() => undefined);
      if (returnScroll) await sendToContent(tabId, 'scroll-to', { y: returnScroll.scrollY }).catch(() => undefined);
    }
  }
}

/** Captures the profile page the tab shows now: screens, stitched page, archive and what the page says of the account. */
export async function captureProfileInTab(tabId: number, parentId: string | null): Promise<Capture> {
  const [settings, environment, db] = await Promise.all([readSettings(), describeEnvironment(), openEvidenceDb()]);
  const tab = await browser.tabs.get(tabId);
  const read = await sendToContent(tabId, 'read-profile', { timeoutMs: PROFILE_READY_TIMEOUT_MS });
  const adapter = adapterForUrl(new URL(read.url));
  const platform = adapter?.platform ?? 'generic';
  const profile = isLoginRedirect(read.url)
    ? unreadableProfile(platform, read.url, 'login-wall')
    : (read.profile ?? unreadableProfile(platform, read.url, 'unknown'));

  const { made, missing, capturedAt } = await capturePageScreens(
    tabId,
    tab.windowId,
    settings.profileScreens,
    read.devicePixelRatio,
  );

  const capture = buildProfileCapture({
    id: crypto.randomUUID(),
    capturedAt,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    settings,
    environment,
    artifacts: await hashArtifacts(made),
    missing,
    pending: [],
    parentId,
    url: read.url,
    pageTitle: tab.title ?? '',
    profile,
    devicePixelRatio: read.devicePixelRatio,
  });
  const stored: StoredArtifact[] = made.map(({ name, blob }) => ({
    captureId: capture.id,
    name,
    mime: blob.type,
    blob,
  }));
  const captured = await storeCapture(db, capture, stored, settings.capturedBy);
  queueTimestamp(capture.id, captured.hash);
  return capture;
}

async function recentCaptures(db: EvidenceDb, minutes: number): Promise<Capture[]> {
  const since = new Date(Date.now() - minutes * 60_000).toISOString();
  return db.getAllFromIndex('captures', 'capturedAt', IDBKeyRange.lowerBound(since));
}

function recordProfileEvent(
  db: EvidenceDb,
  post: Capture,
  actor: string,
  action: 'profile-linked' | 'profile-failed',
  detail: Record<string, unknown>,
) {
  return commitWithCustody(
    db,
    { at: new Date().toISOString(), actor, action, captureId: post.id, detail },
    [],
    () => [],
  );
}

/**
 * "Capture profile" on a profile page the user is looking at: the same
 * capture as after a post, without a post. A page that shows no profile is
 * refused before anything is taken.
 */
export async function captureStandaloneProfile(tabId: number): Promise<ProfileOutcome> {
  const tab = await browser.tabs.get(tabId);
  const refusal = unscriptableReason(tab.url);
  if (refusal) return { ok: false, error: refusal };
  try {
    const { profile } = await sendToContent(tabId, 'read-profile', { timeoutMs: 0 });
    if (!profile)
      return {
        ok: false,
        error: "This page is not an account's profile page. Open the profile (the account's home page) and try again.",
      };
    const capture = await captureProfileInTab(tabId, null);
    await notify(
      tabId,
      'success',
      `Saved as evidence: profile of ${profile.handle ? `@${profile.handle}` : 'this account'}.`,
    );
    return { ok: true, profileCaptureId: capture.id, reused: false, state: capture.profile?.state ?? 'unknown' };
  } catch (error) {
    return { ok: false, error: `The profile was not captured: ${messageOf(error)}` };
  }
}
