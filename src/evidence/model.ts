import type { AuthorInfo, Platform, ProfileInfo, ShownTime } from '../sites/types';

/**
 * The evidence model. A capture's core fields are fixed when it is stored;
 * later facts (a late artifact, a note, a deletion) arrive as custody events,
 * so nothing that was hashed is ever rewritten.
 */

export type ArtifactName =
  | 'post.png'
  | 'post-render.png'
  | 'viewport.png'
  /** A profile page stitched from its first screens, each a browser screenshot. */
  | 'fullpage.png'
  | 'page.mhtml'
  | 'post.html'
  /** Firefox has no page archive API: a serialized DOM snapshot stands in for page.mhtml. */
  | 'page.html';

export interface ArtifactRef {
  name: ArtifactName;
  mime: string;
  bytes: number;
  sha256: string;
  /** When the bytes were hashed, by this computer's clock. */
  hashedAt: string;
}

/** An artifact that could not be made, and why, so a report can say so instead of silently omitting it. */
export interface MissingArtifact {
  name: ArtifactName;
  reason: string;
}

export type CaptureKind = 'post' | 'page' | 'profile' | 'message';

/** Where each recorded time came from; reports must never blur them. */
export const CLOCKS = {
  capturedAt: "this computer's clock, read by the browser when the screenshot was taken",
  shownTime: 'the time the platform displayed on the page; not checked by Witness Box',
} as const;

export interface Capture {
  id: string;
  caseId: string;
  kind: CaptureKind;
  parentId: string | null;
  platform: Platform;
  /** The address of the tab when it was captured. */
  url: string;
  pageTitle: string;
  permalink: string | null;
  postId: string | null;
  author: AuthorInfo;
  text: string | null;
  shownTime: ShownTime;
  mediaUrls: string[];
  isReply: boolean;
  replyToUrl: string | null;
  quotedPostUrl: string | null;
  profile: ProfileInfo | null;
  /** UTC ISO-8601 with milliseconds. */
  capturedAt: string;
  /** IANA zone of this computer, e.g. "Europe/London". */
  timeZone: string;
  /** capturedAt as the local wall-clock time, with its UTC offset. */
  capturedAtLocal: string;
  capturedBy: string;
  onBehalfOf: string;
  browser: string;
  os: string;
  extensionVersion: string;
  /** The post's box in CSS pixels relative to the viewport, and the pixel ratio used to crop it. */
  postRect: { x: number; y: number; width: number; height: number } | null;
  devicePixelRatio: number;
  /** Artifacts stored with the capture itself. Later ones are recorded by `artifact-added` events. */
  artifacts: ArtifactRef[];
  missing: MissingArtifact[];
  /** Artifacts still being made when the capture was stored (the DOM render follows the pixel-exact ones). */
  pending: ArtifactName[];
}

/** Capture as listed: everything needed to show a row, without loading any artifact bytes. */
export type CaptureSummary = Pick<
  Capture,
  'id' | 'caseId' | 'kind' | 'parentId' | 'platform' | 'url' | 'permalink' | 'author' | 'text' | 'shownTime' | 'capturedAt'
> & { status: CaptureStatus; artifactCount: number; missing: MissingArtifact[]; profile: ProfileStatus };

export type CaptureStatus = 'complete' | 'in-progress' | 'incomplete';

/** Where a post's author-profile capture stands, for the popup and manager. */
export type ProfileStatus =
  | { status: 'none' }
  | { status: 'capturing'; handle: string | null }
  | { status: 'captured'; profileCaptureId: string; state: ProfileInfo['state']; reused: boolean }
  | { status: 'failed'; reason: string };

export interface StoredArtifact {
  captureId: string;
  name: ArtifactName;
  mime: string;
  blob: Blob;
}

export type CustodyAction =
  | 'captured'
  | 'artifact-added'
  | 'artifact-failed'
  /** A post was linked to its author's profile capture (a new one, or a recent one reused). */
  | 'profile-linked'
  | 'profile-failed'
  | 'noted'
  | 'tagged'
  | 'exported'
  | 'imported'
  | 'deleted'
  | 'verified';

export interface CustodyEventBody {
  at: string;
  actor: string;
  action: CustodyAction;
  captureId: string | null;
  /** Free-form facts about the event (artifact hashes, the note's text, the export's file name). */
  detail: Record<string, unknown>;
}

export interface CustodyEvent extends CustodyEventBody {
  /** 1-based, gap-free: order is by sequence, never by clock, because clocks jump. */
  seq: number;
  prevHash: string;
  /** SHA-256 of the canonical JSON of every other field, prevHash included. */
  hash: string;
}

export interface Case {
  id: string;
  name: string;
  onBehalfOf: string;
  createdAt: string;
}

export interface Settings {
  capturedBy: string;
  onBehalfOf: string;
  activeCaseId: string;
  /** Capture the author's profile page after each post, as UK guidance asks. */
  captureProfileWithPost: boolean;
  /** Screens stitched into a profile's fullpage.png. */
  profileScreens: number;
  /** A profile captured this recently is linked instead of captured again (a pile-on stays fast). */
  profileReuseMinutes: number;
}
