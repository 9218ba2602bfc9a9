import type { AuthorInfo, ConversationInfo, Platform, ProfileInfo, ShownTime } from '../sites/types';
import type { AdapterReading, ReadField } from '../sites/read';

/**
 * The evidence model. A capture's core fields are fixed when it is stored;
 * later facts (a late artifact, a note, a deletion) arrive as custody events,
 * so nothing that was hashed is ever rewritten.
 */

export type ArtifactName =
  | 'post.png'
  | 'post-render.png'
  | 'viewport.png'
  /** A profile or whole page stitched from its screens, each a browser screenshot. */
  | 'fullpage.png'
  | 'page.mhtml'
  | 'post.html'
  /** Firefox has no page archive API: a serialized DOM snapshot stands in for page.mhtml. */
  | 'page.html'
  /** An RFC 3161 TimeStampResp over the capture's `captured` custody event hash (opt-in; see src/background/timestamps.ts). */
  | 'timestamp.tsr';

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
  /** A direct message's conversation, as the app's header showed it; absent on every other kind. */
  conversation?: ConversationInfo;
  /** The text the user had selected when capturing, when any: often the words that matter. */
  selectedText?: string;
  /** On a post or message: which adapter (and version) read it, how each key field was read, which were not. Absent on older records. */
  adapter?: AdapterReading;
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
  | 'id'
  | 'caseId'
  | 'kind'
  | 'parentId'
  | 'platform'
  | 'url'
  | 'permalink'
  | 'author'
  | 'text'
  | 'shownTime'
  | 'capturedAt'
> & {
  status: CaptureStatus;
  artifactCount: number;
  missing: MissingArtifact[];
  profile: ProfileStatus;
  /** Key fields the adapter could not read (the page's warning); empty when the reading was whole or is not recorded. */
  unread: ReadField[];
};

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
  | 'verified'
  /** A report made about a capture to a platform or a police force (detail: a CaptureReport). */
  | 'reported'
  /** A capture (with its profile captures) filed under another case (detail: fromCaseId, toCaseId, captureIds). */
  | 'moved'
  /** A case was opened (captureId null; detail: the Case). */
  | 'case-created'
  /** Another installation's signing key was confirmed by fingerprint and named (captureId null; detail: fingerprint, name). */
  | 'key-trusted'
  /** Trust in a key was withdrawn: later bundles signed with it are refused (captureId null; detail: fingerprint, name). */
  | 'key-withdrawn'
  /** A capture was given its exhibit reference in its case (detail: caseId, reference, producer, initials, number). */
  | 'exhibit-assigned'
  /** The format of a case's exhibit references not yet given (captureId null; detail: caseId, format). */
  | 'exhibit-format-set'
  /** A producer's draft statement was edited before export (captureId null; detail: caseId, producer, name, role, context, captureIds). */
  | 'statement-edited';

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
  /** Screenshots in the popup and manager stay blurred until the user reveals each one. */
  blurScreenshots: boolean;
  /** The manager's first-run form was completed (name, on behalf of, a case). */
  setupDone: boolean;
  /** Opt-in: send each capture's `captured` event hash to an RFC 3161 timestamp authority (the extension's only network request). */
  timestampsEnabled: boolean;
  /** The RFC 3161 authority's URL, e.g. https://freetsa.org/tsr; empty until the user names one. */
  tsaUrl: string;
}

/** Where a report about a capture went. */
export type ReportRecipientKind = 'platform' | 'police' | 'other';

/**
 * A report made about a capture, as recorded by a `reported` custody event.
 * A later event with the same `reportId` updates it (usually its outcome);
 * the latest one wins, and the earlier ones stay in the log.
 */
export interface CaptureReport {
  reportId: string;
  recipientKind: ReportRecipientKind;
  /** "X", "Metropolitan Police", "Ofcom"... */
  recipient: string;
  /** When the report was made, as the user entered it (ISO date or date-time). */
  reportedAt: string;
  /** A 101 crime reference, a platform ticket number; empty when none was given. */
  reference: string;
  /** "pending", "post removed", "no action"...; empty when not known yet. */
  outcome: string;
}

export function isCaptureReport(value: unknown): value is CaptureReport {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.reportId === 'string' &&
    (r.recipientKind === 'platform' || r.recipientKind === 'police' || r.recipientKind === 'other') &&
    typeof r.recipient === 'string' &&
    typeof r.reportedAt === 'string' &&
    typeof r.reference === 'string' &&
    typeof r.outcome === 'string'
  );
}

/**
 * The reports made about one capture, from its custody events (any order; folded by seq):
 * one entry per reportId, as its latest event left it, in the order they were first recorded.
 * Events of other captures and malformed details are skipped.
 */
export function reportsFromCustody(
  captureId: string,
  events: readonly { seq: number; action: string; captureId?: string | null; detail?: Record<string, unknown> }[],
): CaptureReport[] {
  const byId = new Map<string, CaptureReport>();
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    if (event.action !== 'reported' || event.captureId !== captureId) continue;
    const report = event.detail?.report;
    if (isCaptureReport(report)) byId.set(report.reportId, { ...report });
  }
  return [...byId.values()];
}

/** "X, 2026-11-21, ref 12345, post removed": one report in one line, for the CSV and lists. */
export function describeReport(report: CaptureReport): string {
  const parts = [report.recipient || report.recipientKind, report.reportedAt];
  if (report.reference) parts.push(`ref ${report.reference}`);
  parts.push(report.outcome ? `outcome: ${report.outcome}` : 'outcome not recorded');
  return parts.join(', ');
}

/** "Gary Thornbury (@gazt1977, @other) https://x.com/messages/1-2": who the thread was with, and where. */
export function conversationLine(conversation: ConversationInfo): string {
  const people = conversation.participants.length ? ` (${conversation.participants.join(', ')})` : '';
  return `${conversation.title ?? 'no name shown'}${people}${conversation.url ? ` ${conversation.url}` : ''}`;
}
