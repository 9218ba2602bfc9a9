// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  findReusableProfile,
  isAwaitedProfile,
  isLoginRedirect,
  parseAwaitedProfile,
  profileUrlForTab,
} from '../../../src/background/profile-plan';
import { profileStatusOf } from '../../../src/evidence/profile-status';
import type { CustodyEvent } from '../../../src/evidence/model';
import { makeCapture } from '../factories';

const xFamily = (a: URL, b: URL) => [a, b].every((u) => /(^|\.)(x|twitter)\.com$/.test(u.hostname));

describe('profileUrlForTab', () => {
  it.each([
    ['https://x.com/GazT_1977', 'https://x.com/home', 'https://x.com/GazT_1977'],
    ['https://x.com/GazT_1977', 'https://twitter.com/home', 'https://twitter.com/GazT_1977'],
    ['https://x.com/GazT_1977', 'https://mobile.x.com/a/status/1', 'https://mobile.x.com/GazT_1977'],
  ])('%s from a tab at %s → %s', (profile, tab, expected) => {
    expect(profileUrlForTab(profile, tab, xFamily)).toBe(expected);
  });

  it('refuses a profile on another site, and missing inputs', () => {
    expect(profileUrlForTab('https://bsky.app/profile/a', 'https://x.com/home', xFamily)).toBeNull();
    expect(profileUrlForTab(null, 'https://x.com/home', xFamily)).toBeNull();
    expect(profileUrlForTab('https://x.com/a', undefined, xFamily)).toBeNull();
  });
});

describe('isLoginRedirect', () => {
  it.each([
    ['https://x.com/i/flow/login?redirect_after_login=%2FGazT_1977', true],
    ['https://www.instagram.com/accounts/login/?next=/someone/', true],
    ['https://x.com/GazT_1977', false],
    ['https://x.com/loginhelp_fan', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => expect(isLoginRedirect(url)).toBe(expected));
});

describe('findReusableProfile', () => {
  const now = new Date('2026-11-23T12:00:00.000Z');
  const profileOf = (handle: string, at: string, id = `p-${handle}-${at}`) =>
    makeCapture({
      id,
      kind: 'profile',
      platform: 'x',
      capturedAt: at,
      author: { displayName: null, handle, profileUrl: null },
    });

  it('takes the newest capture of the same account inside the window, whatever the handle case', () => {
    const older = profileOf('GazT_1977', '2026-11-23T11:52:00.000Z');
    const newer = profileOf('gazt_1977', '2026-11-23T11:58:00.000Z');
    expect(findReusableProfile([older, newer], 'x', 'GazT_1977', now, 10)?.id).toBe(newer.id);
  });

  it('ignores captures outside the window, of other accounts, platforms or kinds', () => {
    const stale = profileOf('GazT_1977', '2026-11-23T11:49:59.000Z');
    const other = profileOf('LeeMarsh88', '2026-11-23T11:59:00.000Z');
    const post = makeCapture({
      kind: 'post',
      capturedAt: '2026-11-23T11:59:00.000Z',
      author: { displayName: null, handle: 'GazT_1977', profileUrl: null },
    });
    expect(findReusableProfile([stale, other, post], 'x', 'GazT_1977', now, 10)).toBeNull();
  });
});

describe('profileStatusOf', () => {
  const post = makeCapture({ id: 'post', kind: 'post' });
  const event = (seq: number, action: CustodyEvent['action'], detail: Record<string, unknown>): CustodyEvent => ({
    seq,
    at: 'now',
    actor: 'A',
    action,
    captureId: 'post',
    detail,
    prevHash: '',
    hash: '',
  });

  it('says capturing while the job runs', () => {
    expect(profileStatusOf(post, [], [], true, () => undefined)).toEqual({
      status: 'capturing',
      handle: post.author.handle,
    });
  });

  it('reports a child profile capture with its account state', () => {
    const child = makeCapture({
      id: 'prof',
      kind: 'profile',
      parentId: 'post',
      profile: { ...makeCapture().profile!, state: 'protected' } as never,
    });
    expect(profileStatusOf(post, [child], [], false, () => undefined)).toMatchObject({
      status: 'captured',
      profileCaptureId: 'prof',
      reused: false,
    });
  });

  it('reports a reused profile and a failure, the latest event winning', () => {
    const linked = event(3, 'profile-linked', { profileCaptureId: 'other', reused: true });
    const failed = event(2, 'profile-failed', { reason: 'timed out' });
    expect(profileStatusOf(post, [], [failed, linked], false, () => undefined)).toMatchObject({
      status: 'captured',
      reused: true,
      state: 'unknown',
    });
    expect(profileStatusOf(post, [], [failed], false, () => undefined)).toEqual({
      status: 'failed',
      reason: 'timed out',
    });
    expect(profileStatusOf(post, [], [], false, () => undefined)).toEqual({ status: 'none' });
  });
});

describe('the profile the user was sent to capture (Firefox)', () => {
  const stored = {
    tabId: 7,
    postId: 'post-1',
    platform: 'x',
    handle: 'GazT_1977',
    returnTo: 'https://x.com/GazT_1977/status/1',
    returnScrollY: 120,
  };

  it('reads the stored marker, and nothing that is not one', () => {
    expect(parseAwaitedProfile(stored)).toEqual(stored);
    expect(parseAwaitedProfile({ ...stored, handle: 5, returnScrollY: 'x' })).toEqual({
      ...stored,
      handle: null,
      returnScrollY: null,
    });
    for (const bad of [undefined, null, 'post-1', { ...stored, tabId: '7' }, { ...stored, postId: undefined }])
      expect(parseAwaitedProfile(bad)).toBeNull();
  });

  it("links only the author's own profile, in the tab it was opened in", () => {
    const awaited = parseAwaitedProfile(stored);
    expect(isAwaitedProfile(awaited, 7, { platform: 'x', handle: 'gazt_1977' })).toBe(true);
    expect(isAwaitedProfile(awaited, 8, { platform: 'x', handle: 'GazT_1977' })).toBe(false);
    expect(isAwaitedProfile(awaited, 7, { platform: 'x', handle: 'SomeoneElse' })).toBe(false);
    expect(isAwaitedProfile(awaited, 7, { platform: 'bluesky', handle: 'GazT_1977' })).toBe(false);
    expect(isAwaitedProfile(null, 7, { platform: 'x', handle: 'GazT_1977' })).toBe(false);
  });
});
