import { browser } from 'wxt/browser';
import type { ProfileOutcome } from '../messages';
import type { Capture, StoredArtifact } from '../evidence/model';
import { commitWithCustody, openEvidenceDb, storeCapture, type EvidenceDb } from '../evidence/store';
import { unscriptableReason } from '../capture/page-policy';
import { adapterForUrl } from '../sites';
import { describeEnvironment } from './environment';
import { capturePageScreens } from './page-capture';
import { PROFILE_NEEDS_USER_CLICK } from '../browser-limits';
import {
  findReusableProfile,
  isAwaitedProfile,
  isLoginRedirect,
  parseAwaitedProfile,
  profileUrlForTab,
  unreadableProfile,
  type AwaitedProfile,
} from './profile-plan';
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

  if (PROFILE_NEEDS_USER_CLICK) {
    await recordProfileEvent(db, post, settings.capturedBy, 'profile-failed', {
      reason: PROFILE_BY_HAND,
      profileUrl: post.author.profileUrl,
    });
    return { ok: false, error: PROFILE_BY_HAND };
  }

  try {
    const url = await profileAddress(post, tabId);
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

/** The author's profile on the tab's own site, or why there is none to visit. */
async function profileAddress(post: Capture, tabId: number): Promise<string> {
  const tab = await browser.tabs.get(tabId);
  const url = profileUrlForTab(
    post.author.profileUrl,
    tab.url,
    (a, b) => adapterForUrl(a) !== null && adapterForUrl(a) === adapterForUrl(b),
  );
  if (!url)
    throw new Error(
      post.author.profileUrl ? 'the profile is on another site than this tab' : 'the post shows no link to its author',
    );
  return url;
}

/**
 * Why a post's profile waits for the user in Firefox (PROFILE_NEEDS_USER_CLICK), and what to do:
 * the popup shows it with an "Open profile" button.
 */
export const PROFILE_BY_HAND =
  'Firefox lets Witness Box take a screenshot only of a page you asked it to capture. Press Open profile, then, on the profile, the Witness Box button and Capture profile';

const AWAITED_KEY = 'awaitedProfile';

/** The post's profile again: captured in the tab (Chrome), or opened for the user to capture (Firefox). */
export async function retryProfile(post: Capture, tabId: number): Promise<ProfileOutcome> {
  if (!PROFILE_NEEDS_USER_CLICK) return captureAuthorProfile(post, tabId);
  try {
    const url = await profileAddress(post, tabId);
    const tab = await browser.tabs.get(tabId);
    const scroll = await sendToContent(tabId, 'scroll-to', { y: null }).catch(() => null);
    const awaited: AwaitedProfile = {
      tabId,
      postId: post.id,
      platform: post.platform,
      handle: post.author.handle,
      returnTo: tab.url ?? null,
      returnScrollY: scroll?.scrollY ?? null,
    };
    // Session storage: the marker must outlive this background page, not the browser session.
    await browser.storage.session.set({ [AWAITED_KEY]: awaited });
    await navigateAndWait(tabId, () => browser.tabs.update(tabId, { url }));
    const whose = post.author.handle ? `@${post.author.handle}'s` : "the author's";
    const message = `This is ${whose} profile. To save it with the post, press the Witness Box button, then Capture profile.`;
    await notify(tabId, 'info', message);
    return { ok: 'opened', message };
  } catch (error) {
    return { ok: false, error: `The profile could not be opened: ${messageOf(error)}` };
  }
}

/** The post this tab's profile was opened for, if it is that post's author; the marker is used up either way. */
async function takeAwaitedProfile(
  tabId: number,
  profile: Parameters<typeof isAwaitedProfile>[2],
): Promise<AwaitedProfile | null> {
  const stored: Record<string, unknown> = await browser.storage.session.get(AWAITED_KEY);
  const awaited = parseAwaitedProfile(stored[AWAITED_KEY]);
  if (awaited?.tabId !== tabId) return null;
  await browser.storage.session.remove(AWAITED_KEY);
  return isAwaitedProfile(awaited, tabId, profile) ? awaited : null;
}

async function visitAndCapture(tabId: number, profileUrl: string, parentId: string): Promise<Capture> {
  const tab = await browser.tabs.get(tabId);
  const returnTo = tab.url;
  const returnScroll = await sendToContent(tabId, 'scroll-to', { y: null }).catch(() => null);
  try {
    await navigateAndWait(tabId, () => browser.tabs.update(tabId, { url: profileUrl }));
    return await captureProfileInTab(tabId, parentId);
  } finally {
    if (returnTo) await goBack(tabId, returnTo, returnScroll?.scrollY ?? null);
  }
}

/** Brings the tab back to `url` at scroll position `scrollY` (when known); a failure leaves the user where they are. */
async function goBack(tabId: number, url: string, scrollY: number | null): Promise<void> {
  await navigateAndWait(tabId, () => browser.tabs.update(tabId, { url })).catch(() => undefined);
  if (scrollY !== null) await sendToContent(tabId, 'scroll-to', { y: scrollY }).catch(() => undefined);
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
    const awaited = await takeAwaitedProfile(tabId, profile);
    const capture = await captureProfileInTab(tabId, awaited?.postId ?? null);
    const whose = profile.handle ? `@${profile.handle}` : 'this account';
    await notify(tabId, 'success', `Saved as evidence: profile of ${whose}${awaited ? ', with the post' : ''}.`);
    // Back to the post the user was sent from, where they were on it.
    if (awaited?.returnTo) await goBack(tabId, awaited.returnTo, awaited.returnScrollY);
    return { ok: true, profileCaptureId: capture.id, reused: false, state: capture.profile?.state ?? 'unknown' };
  } catch (error) {
    return { ok: false, error: `The profile was not captured: ${messageOf(error)}` };
  }
}
