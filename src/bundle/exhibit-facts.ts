import { isStandIn, type CustodyLogEntry } from '../evidence/custody-chain';
import type { Capture, CustodyEvent } from '../evidence/model';
import { platformLabel } from './where-to-report';

/**
 * Facts about a bundle's exhibits worded once, for every file that states
 * them: README.txt, report.html, manifest.json, captures.csv and
 * statement.txt must agree on every count and every description.
 */

export interface BundleCounts {
  /** Every capture in the bundle, each an exhibit. */
  exhibits: number;
  posts: number;
  messages: number;
  pages: number;
  profiles: number;
}

export function countExhibits(captures: readonly Pick<Capture, 'kind'>[]): BundleCounts {
  const n = (kind: Capture['kind']) => captures.filter((c) => c.kind === kind).length;
  return {
    exhibits: captures.length,
    posts: n('post'),
    messages: n('message'),
    pages: n('page'),
    profiles: n('profile'),
  };
}

/** "20 exhibits: 12 posts and comments, 8 profile pages" — the one sentence every file uses. */
export function countsLine(counts: BundleCounts): string {
  const parts = [
    counts.posts ? `${counts.posts} ${counts.posts === 1 ? 'post or comment' : 'posts and comments'}` : '',
    counts.messages ? `${counts.messages} ${plural(counts.messages, 'message')}` : '',
    counts.pages ? `${counts.pages} ${plural(counts.pages, 'web page')}` : '',
    counts.profiles ? `${counts.profiles} ${plural(counts.profiles, 'profile page')}` : '',
  ].filter(Boolean);
  return `${counts.exhibits} ${plural(counts.exhibits, 'exhibit')}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** Platforms whose replies are called comments (under a post, video or article). */
const COMMENT_PLATFORMS = new Set(['reddit', 'facebook', 'instagram', 'tiktok', 'youtube', 'linkedin', 'generic']);

export type ExhibitKind = 'post' | 'comment' | 'reply' | 'message' | 'page' | 'profile';

/** What the item is, in the platform's own words: a reply on X is a reply, one on Reddit a comment. */
export function exhibitKind(capture: Pick<Capture, 'kind' | 'isReply' | 'platform'>): ExhibitKind {
  if (capture.kind !== 'post') return capture.kind;
  if (!capture.isReply) return 'post';
  return COMMENT_PLATFORMS.has(capture.platform) ? 'comment' : 'reply';
}

const KIND_WORDS: Record<ExhibitKind, string> = {
  post: 'post',
  comment: 'comment',
  reply: 'reply',
  message: 'direct message',
  page: 'web page',
  profile: 'profile page',
};

export function kindWord(capture: Pick<Capture, 'kind' | 'isReply' | 'platform'>): string {
  return KIND_WORDS[exhibitKind(capture)];
}

/** "@GazT_1977", else the name shown, else "an unknown author". */
export function authorShort(capture: Pick<Capture, 'author'>): string {
  const { handle, displayName } = capture.author;
  return handle ? `@${handle}` : (displayName ?? 'an unknown author');
}

/** "post by @GazT_1977 on X (formerly Twitter)": what an exhibit is, in a few words. */
export function exhibitDescription(capture: Pick<Capture, 'kind' | 'isReply' | 'platform' | 'author'>): string {
  const by = capture.kind === 'profile' ? ' of' : capture.kind === 'page' ? '' : ' by';
  const who = capture.kind === 'page' ? '' : ` ${authorShort(capture)}`;
  return `${kindWord(capture)}${by}${who} on ${platformLabel(capture.platform)}`;
}

/** `2 Dec 2026 07:43:05 GMT`: how the statement and the custody sentences give a time (UTC, as GMT). */
export function peopleTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${peopleDate(iso)} ${new Date(ms).toISOString().slice(11, 19)} GMT`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Recorded text is untrusted: no line breaks, control or bidi characters that could forge or disguise lines of a text file. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, ' ');
}

/** `2 Dec 2026`, the UTC date. */
export function peopleDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
}

export function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

// ---------------------------------------------------------------------------
// Continuity: who held each exhibit, from capture to this bundle

export interface ContinuityStep {
  what: 'captured' | 'imported' | 'exported';
  by: string;
  at: string;
  /** The bundle's file name, for imports and exports. */
  fileName?: string;
}

/**
 * The custody of one exhibit: its capture, each import into another
 * installation, each earlier export that held it, and the export that made
 * this bundle, in the log's order.
 */
export function continuityOf(
  capture: Pick<Capture, 'id' | 'capturedBy' | 'capturedAt'>,
  events: readonly CustodyEvent[],
  thisExport: { by: string; at: string; fileName: string },
): ContinuityStep[] {
  const steps: ContinuityStep[] = [];
  for (const e of events) {
    const file = typeof e.detail.fileName === 'string' ? e.detail.fileName : undefined;
    if (e.action === 'captured' && e.captureId === capture.id) steps.push({ what: 'captured', by: e.actor, at: e.at });
    else if (e.action === 'imported' && e.captureId === capture.id)
      steps.push({ what: 'imported', by: e.actor, at: e.at, ...(file && { fileName: file }) });
    else if (e.action === 'exported' && listsCapture(e, capture.id))
      steps.push({ what: 'exported', by: e.actor, at: e.at, ...(file && { fileName: file }) });
  }
  // A bundle without a log (or an imported capture whose capture event is in the volunteer's log) still says who captured it.
  if (!steps.some((s) => s.what === 'captured'))
    steps.unshift({ what: 'captured', by: capture.capturedBy, at: capture.capturedAt });
  steps.push({ what: 'exported', ...thisExport });
  return steps;
}

function listsCapture(event: CustodyEvent, captureId: string): boolean {
  const ids = event.detail.captureIds;
  return Array.isArray(ids) && ids.includes(captureId);
}

// ---------------------------------------------------------------------------
// The custody log in sentences

export interface CustodySentence {
  seq: string;
  at: string | null;
  text: string;
}

/**
 * "Sam Okafor captured SO1: post by @GazT_1977 on X, 5 files": one sentence
 * per event; a run of withheld events (about other captures) is one sentence.
 */
export function custodySentences(
  entries: readonly CustodyLogEntry[],
  exhibitOf: (captureId: string | null) => string | null,
  captureOf: (captureId: string) => Capture | undefined,
): CustodySentence[] {
  const out: CustodySentence[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as CustodyLogEntry;
    if (isStandIn(entry)) {
      let j = i;
      while (j + 1 < entries.length && isStandIn(entries[j + 1] as CustodyLogEntry)) j++;
      const last = entries[j] as CustodyLogEntry;
      const n = j - i + 1;
      out.push({
        seq: n === 1 ? `${entry.seq}` : `${entry.seq}–${last.seq}`,
        at: null,
        text: `${n === 1 ? 'This event concerns' : `These ${n} events concern`} other captures (for example in other cases) and ${n === 1 ? 'is' : 'are'} withheld; ${n === 1 ? 'its links are' : 'their links are'} kept in the chain.`,
      });
      i = j;
      continue;
    }
    out.push({ seq: String(entry.seq), at: entry.at, text: sentenceFor(entry, exhibitOf, captureOf) });
  }
  return out;
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function sentenceFor(
  e: CustodyEvent,
  exhibitOf: (captureId: string | null) => string | null,
  captureOf: (captureId: string) => Capture | undefined,
): string {
  const d = e.detail;
  const ref = exhibitOf(e.captureId) ?? (e.captureId ? `capture ${e.captureId}` : 'the case');
  const capture = e.captureId ? captureOf(e.captureId) : undefined;
  const who = e.actor || 'Someone';
  switch (e.action) {
    case 'captured': {
      const files = Array.isArray(d.artifacts) ? d.artifacts.length : 0;
      const what = capture ? exhibitDescription(capture) : str(d.kind, 'capture');
      return `${who} captured ${ref}: ${what}, ${files} ${plural(files, 'file')}.`;
    }
    case 'artifact-added': {
      const name =
        typeof d.artifact === 'object' && d.artifact !== null ? str((d.artifact as Record<string, unknown>).name) : '';
      return name === 'timestamp.tsr'
        ? `An independent timestamp (${str(d.tsaUrl, 'authority not recorded')}) was added to ${ref}.`
        : `${name || 'A file'} was added to ${ref}.`;
    }
    case 'artifact-failed':
      return `${str(d.name, 'A file')} of ${ref} could not be made: ${str(d.reason, 'no reason recorded')}.`;
    case 'profile-linked': {
      const profile = exhibitOf(str(d.profileCaptureId) || null);
      return `The author's profile page${profile ? `, ${profile},` : ''} was linked to ${ref}.`;
    }
    case 'profile-failed':
      return `The author's profile page for ${ref} could not be captured: ${str(d.reason, 'no reason recorded')}.`;
    case 'noted':
      return `${who} added a note to ${ref}: “${str(d.note)}”.`;
    case 'tagged':
      return `${who} ${d.op === 'remove' ? 'removed the tag' : 'tagged'} ${ref}${d.op === 'remove' ? ` “${str(d.tag)}”` : ` “${str(d.tag)}”`}.`;
    case 'exported': {
      const ids = Array.isArray(d.captureIds) ? d.captureIds.length : 0;
      return `${who} exported ${ids} ${plural(ids, 'capture')} (${str(d.profile, 'police')} bundle ${str(d.fileName)}).`;
    }
    case 'imported':
      return `${who} imported ${ref} from ${str(d.fileName, 'a bundle')}.`;
    case 'deleted':
      return `${who} deleted ${ref}${str(d.reason) ? `: ${str(d.reason)}` : ''}.`;
    case 'verified':
      return `${who} verified a bundle.`;
    case 'reported': {
      const r = typeof d.report === 'object' && d.report !== null ? (d.report as Record<string, unknown>) : {};
      const reference = str(r.reference);
      const outcome = str(r.outcome);
      return `${who} recorded a report of ${ref} to ${str(r.recipient, 'a recipient')} on ${str(r.reportedAt)}${reference ? `, reference ${reference}` : ''}${outcome ? `, outcome: ${outcome}` : ''}.`;
    }
    case 'moved':
      return `${who} filed ${ref} under another case.`;
    case 'case-created': {
      const c = typeof d.case === 'object' && d.case !== null ? (d.case as Record<string, unknown>) : {};
      return `${who} opened the case “${str(c.name)}”.`;
    }
    case 'key-trusted':
      return `${who} confirmed the signing key ${str(d.fingerprint)} as ${str(d.name)}'s.`;
    case 'key-withdrawn':
      return `${who} withdrew trust in the signing key ${str(d.fingerprint)} (${str(d.name)}).`;
    case 'exhibit-assigned':
      return `${who} gave ${capture ? exhibitDescription(capture) : `capture ${e.captureId ?? ''}`} the exhibit reference ${str(d.reference)}, produced by ${str(d.producer)}.`;
    case 'exhibit-format-set':
      return `${who} set the format of new exhibit references to ${str(d.format)}.`;
    case 'statement-edited':
      return `${who} edited the draft statement of ${str(d.producer)} (name: ${str(d.name)}${str(d.role) ? `, role: ${str(d.role)}` : ''}).`;
  }
}
