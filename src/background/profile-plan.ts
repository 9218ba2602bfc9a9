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
