import type { Capture } from '../evidence/model';
import type { Platform, ProfileInfo } from '../sites/types';

/**
 * The profile's address on the tab's own origin. The browser keeps the
 * user's activeTab grant across same-origin navigations only, and a
 * screenshot needs that grant, so a post read on twitter.com has its
 * author's x.com profile opened as twitter.com. Null when the profile is on
 * another site altogether.
 */
export function profileUrlForTab(
  profileUrl: string | null,
  tabUrl: string | undefined,
  sameSite: (a: URL, b: URL) => boolean,
): string | null {
  if (!profileUrl || !tabUrl) return null;
  const profile = new URL(profileUrl);
  const tab = new URL(tabUrl);
  if (profile.origin === tab.origin) return profile.href;
  if (!sameSite(profile, tab)) return null;
  return new URL(`${profile.pathname}${profile.search}`, tab.origin).href;
}

/** X sends logged-out visitors of some profiles to a login flow; the profile then cannot be seen. */
export function isLoginRedirect(finalUrl: string): boolean {
  try {
    const { pathname } = new URL(finalUrl);
    return /^\/(i\/flow\/login|login|accounts\/login|signin)\b/i.test(pathname);
  } catch {
    return false;
  }
}

/** What to record when the page shows no readable profile at all. */
export function unreadableProfile(platform: Platform, url: string, state: ProfileInfo['state']): ProfileInfo {
  return {
    platform,
    displayName: null,
    handle: null,
    profileUrl: url,
    bio: null,
    followersShown: null,
    followingShown: null,
    postsShown: null,
    joinedShown: null,
    accountId: null,
    verified: null,
    state,
  };
}

/** A profile capture of the same account made recently enough to stand for this post too. */
export function findReusableProfile(
  candidates: readonly Capture[],
  platform: Platform,
  handle: string,
  now: Date,
  windowMinutes: number,
): Capture | null {
  const since = now.getTime() - windowMinutes * 60_000;
  const wanted = handle.toLowerCase();
  const matches = candidates.filter(
    (c) =>
      c.kind === 'profile' &&
      c.platform === platform &&
      (c.profile?.handle ?? c.author.handle ?? '').toLowerCase() === wanted &&
      Date.parse(c.capturedAt) >= since &&
      Date.parse(c.capturedAt) <= now.getTime(),
  );
  return matches.sort((a, b) => b.capturedAt.localeCompare(a.capturedAt))[0] ?? null;
}

/**
 * A post whose author's profile the user was sent to capture by hand (Firefox,
 * see PROFILE_NEEDS_USER_CLICK): which tab, which post, and where to bring the
 * user back to afterwards.
 */
export interface AwaitedProfile {
  tabId: number;
  postId: string;
  /** A Platform; compared only, so kept as the string stored. */
  platform: string;
  handle: string | null;
  returnTo: string | null;
  returnScrollY: number | null;
}

/** The stored marker, checked: extension storage holds untyped data. */
export function parseAwaitedProfile(value: unknown): AwaitedProfile | null {
  if (typeof value !== 'object' || value === null) return null;
  const get = (key: string): unknown => Reflect.get(value, key);
  const [tabId, postId, platform, handle, returnTo, returnScrollY] = [
    get('tabId'),
    get('postId'),
    get('platform'),
    get('handle'),
    get('returnTo'),
    get('returnScrollY'),
  ];
  if (typeof tabId !== 'number' || typeof postId !== 'string' || typeof platform !== 'string') return null;
  const orNull = <T>(v: unknown, ok: (v: unknown) => v is T): T | null => (ok(v) ? v : null);
  const isString = (v: unknown): v is string => typeof v === 'string';
  const isNumber = (v: unknown): v is number => typeof v === 'number';
  return {
    tabId,
    postId,
    platform,
    handle: orNull(handle, isString),
    returnTo: orNull(returnTo, isString),
    returnScrollY: orNull(returnScrollY, isNumber),
  };
}

/** Whether the profile the user captured in `tabId` is the one `awaited` sent them to. */
export function isAwaitedProfile(
  awaited: AwaitedProfile | null,
  tabId: number,
  profile: Pick<ProfileInfo, 'platform' | 'handle'>,
): awaited is AwaitedProfile {
  return (
    awaited !== null &&
    awaited.tabId === tabId &&
    awaited.platform === profile.platform &&
    (awaited.handle === null || awaited.handle.toLowerCase() === (profile.handle ?? '').toLowerCase())
  );
}
