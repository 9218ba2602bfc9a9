import type { LocatedPost } from '../messages';
import type { ArtifactName, ArtifactRef, Capture, MissingArtifact, Settings } from '../evidence/model';
import type { Platform, ProfileInfo, ShownTime } from '../sites/types';
import { resolveShownTime } from '../sites/relative-time';
import type { Environment } from './environment';
import { sha256Hex } from '../evidence/sha256';

export interface MadeArtifact {
  name: ArtifactName;
  blob: Blob;
}

/** "2026-11-20T18:42:07.123+01:00": the local wall-clock reading with its offset, so no reader has to convert. */
export function localIsoWithOffset(date: Date, offsetMinutesEastOfUtc: number): string {
  const shifted = new Date(date.getTime() + offsetMinutesEastOfUtc * 60_000);
  const sign = offsetMinutesEastOfUtc >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutesEastOfUtc);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return shifted.toISOString().replace('Z', offset);
}

/** Hashes the exact bytes that will be stored; nothing is re-encoded afterwards. */
export async function hashArtifacts(made: MadeArtifact[], now: () => Date = () => new Date()): Promise<ArtifactRef[]> {
  return Promise.all(
    made.map(async ({ name, blob }) => ({
      name,
      mime: blob.type || 'application/octet-stream',
      bytes: blob.size,
      sha256: await sha256Hex(blob),
      hashedAt: now().toISOString(),
    })),
  );
}

export interface Provenance {
  id: string;
  capturedAt: Date;
  timeZone: string;
  settings: Settings;
  environment: Environment;
  artifacts: ArtifactRef[];
  missing: MissingArtifact[];
  pending: ArtifactName[];
}

/** When, by whom, with what, and which files: the fields every kind of capture records alike. */
function provenance(input: Provenance) {
  const { capturedAt, settings, environment } = input;
  return {
    id: input.id,
    caseId: settings.activeCaseId,
    capturedAt: capturedAt.toISOString(),
    timeZone: input.timeZone,
    capturedAtLocal: localIsoWithOffset(capturedAt, -capturedAt.getTimezoneOffset()),
    capturedBy: settings.capturedBy,
    onBehalfOf: settings.onBehalfOf,
    browser: environment.browser,
    os: environment.os,
    extensionVersion: environment.extensionVersion,
    artifacts: input.artifacts,
    missing: input.missing,
    pending: input.pending,
  };
}

export function buildPostCapture(input: Provenance & { located: LocatedPost }): Capture {
  const { located } = input;
  const { post } = located;
  return {
    ...provenance(input),
    kind: post.conversation ? 'message' : 'post',
    parentId: null,
    platform: post.platform,
    url: located.pageUrl,
    pageTitle: located.pageTitle,
    permalink: post.permalink,
    postId: post.postId,
    author: post.author,
    text: post.text,
    shownTime: withResolvedTime(post.shownTime, input.capturedAt, input.timeZone),
    mediaUrls: post.mediaUrls,
    isReply: post.isReply,
    replyToUrl: post.replyToUrl,
    quotedPostUrl: post.quotedPostUrl,
    ...(post.conversation && { conversation: post.conversation }),
    ...(located.selectedText && { selectedText: located.selectedText }),
    adapter: located.reading,
    profile: null,
    postRect: located.rect,
    devicePixelRatio: located.devicePixelRatio,
  };
}

export interface WholePage {
  platform: Platform;
  url: string;
  pageTitle: string;
  selectedText: string | null;
  devicePixelRatio: number;
}

/** A whole page on any site: no post, no author, only what the page was and what the user had selected. */
export function buildPageCapture(input: Provenance & WholePage): Capture {
  return {
    ...provenance(input),
    kind: 'page',
    parentId: null,
    platform: input.platform,
    url: input.url,
    pageTitle: input.pageTitle,
    permalink: input.url,
    postId: null,
    author: { displayName: null, handle: null, profileUrl: null },
    text: null,
    shownTime: { raw: null, iso: null },
    mediaUrls: [],
    isReply: false,
    replyToUrl: null,
    quotedPostUrl: null,
    ...(input.selectedText && { selectedText: input.selectedText }),
    profile: null,
    postRect: null,
    devicePixelRatio: input.devicePixelRatio,
  };
}

export interface ProfilePage {
  parentId: string | null;
  url: string;
  pageTitle: string;
  profile: ProfileInfo;
  devicePixelRatio: number;
}

export function buildProfileCapture(input: Provenance & ProfilePage): Capture {
  const { profile } = input;
  return {
    ...provenance(input),
    kind: 'profile',
    parentId: input.parentId,
    platform: profile.platform,
    url: input.url,
    pageTitle: input.pageTitle,
    permalink: profile.profileUrl ?? input.url,
    postId: null,
    author: { displayName: profile.displayName, handle: profile.handle, profileUrl: profile.profileUrl },
    text: profile.bio,
    shownTime: { raw: null, iso: null },
    mediaUrls: [],
    isReply: false,
    replyToUrl: null,
    quotedPostUrl: null,
    profile,
    postRect: null,
    devicePixelRatio: input.devicePixelRatio,
  };
}

/**
 * A relative time the platform showed ("2h") gets an ISO time computed from
 * the capture time, with the rule that made it, so the report can say it was
 * computed and from what. A machine-readable time from the page is kept as is.
 */
export function withResolvedTime(shown: ShownTime, capturedAt: Date, timeZone: string): ShownTime {
  if (shown.iso || !shown.raw) return shown;
  const { iso, rule } = resolveShownTime(shown.raw, capturedAt, navigatorLocale(), timeZone);
  return iso ? { ...shown, iso, rule } : shown;
}

function navigatorLocale(): string {
  return typeof navigator === 'undefined' ? 'en-GB' : navigator.language;
}
