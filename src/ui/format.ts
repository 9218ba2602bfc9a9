import type { CaptureSummary } from '../evidence/model';
import { neutraliseText } from '../html';
import { platformLabel } from '../bundle/where-to-report';

const SHORT_NAMES: Record<string, string> = { x: 'X', generic: 'Web page' };

export function platformName(platform: string): string {
  return SHORT_NAMES[platform] ?? platformLabel(platform);
}

/**
 * Captured text made safe to show with textContent: bidirectional override,
 * embedding and isolate controls become a visible "[U+202E]" and other control
 * characters U+FFFD, exactly as the bundle's report shows them (one rule, in
 * src/html.ts; textContent never parses markup, so nothing is entity-escaped).
 */
export const displayText = neutraliseText;

/** A capture time for people: local wall clock, with the UTC instant beside it for the record. */
export function formatCapturedAt(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const local = date.toLocaleString(locale ?? 'en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone });
  return `${local} (${iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')})`;
}

export function authorLine(summary: CaptureSummary): string {
  return authorText(summary.author);
}

/** "Name @handle", neutralised for display. */
export function authorText(author: { displayName: string | null; handle: string | null }): string {
  const name = author.displayName !== null ? displayText(author.displayName) : 'Unknown author';
  return author.handle ? `${name} @${displayText(author.handle)}` : name;
}

export function statusLine(summary: CaptureSummary): string {
  if (summary.status === 'in-progress') return 'Saving the render…';
  if (summary.status === 'incomplete')
    return `Saved without ${summary.missing.map((m) => `${m.name} (${m.reason})`).join(', ')}`;
  return `Saved, ${summary.artifactCount} files`;
}

const PROFILE_STATES: Record<string, string> = {
  public: 'public',
  protected: 'protected (posts hidden)',
  suspended: 'suspended',
  'not-found': 'not found',
  'login-wall': 'behind a login wall',
  unknown: 'state not readable',
};

export function profileLine(summary: CaptureSummary): string | null {
  const { profile } = summary;
  switch (profile.status) {
    case 'none':
      return null;
    case 'capturing':
      return `Capturing ${profile.handle ? `@${displayText(profile.handle)}'s` : "the author's"} profile…`;
    case 'captured':
      return `Profile captured${profile.reused ? ' (a recent capture, reused)' : ''}: ${PROFILE_STATES[profile.state] ?? profile.state}`;
    case 'failed':
      return `Profile not captured: ${displayText(profile.reason)}`;
  }
}

/**
 * The browser's own messaging errors mean the background worker stopped
 * before it answered; say that, and what to do, instead of Chrome's wording.
 */
export function friendlyError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (
    /message channel (?:is )?closed|Receiving end does not exist|Extension context invalidated|Could not establish connection/i.test(
      message,
    )
  ) {
    return 'Witness Box was interrupted before it could answer (the browser stopped its background work). Check the list below: if the capture is not there, capture it again.';
  }
  return message;
}
