import type { LocatedPost } from '../messages';
import type { ArtifactName, ArtifactRef, Capture, MissingArtifact, Settings } from '../evidence/model';
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

export interface RecordInput {
  id: string;
  located: LocatedPost;
  capturedAt: Date;
  timeZone: string;
  settings: Settings;
  environment: Environment;
  artifacts: ArtifactRef[];
  missing: MissingArtifact[];
  pending: ArtifactName[];
}

export function buildPostCapture(input: RecordInput): Capture {
  const { located, capturedAt, settings, environment } = input;
  const { post } = located;
  return {
    id: input.id,
    caseId: settings.activeCaseId,
    kind: 'post',
    parentId: null,
    platform: post.platform,
    url: located.pageUrl,
    pageTitle: located.pageTitle,
    permalink: post.permalink,
    postId: post.postId,
    author: post.author,
    text: post.text,
    shownTime: post.shownTime,
    mediaUrls: post.mediaUrls,
    isReply: post.isReply,
    replyToUrl: post.replyToUrl,
    quotedPostUrl: post.quotedPostUrl,
    profile: null,
    capturedAt: capturedAt.toISOString(),
    timeZone: input.timeZone,
    capturedAtLocal: localIsoWithOffset(capturedAt, -capturedAt.getTimezoneOffset()),
    capturedBy: settings.capturedBy,
    onBehalfOf: settings.onBehalfOf,
    browser: environment.browser,
    os: environment.os,
    extensionVersion: environment.extensionVersion,
    postRect: located.rect,
    devicePixelRatio: located.devicePixelRatio,
    artifacts: input.artifacts,
    missing: input.missing,
    pending: input.pending,
  };
}
