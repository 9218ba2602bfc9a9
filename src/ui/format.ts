import type { CaptureSummary } from '../evidence/model';

const PLATFORM_NAMES: Record<string, string> = { x: 'X', generic: 'Web page' };

export function platformName(platform: string): string {
  return PLATFORM_NAMES[platform] ?? platform;
}

/** A capture time for people: local wall clock, with the UTC instant beside it for the record. */
export function formatCapturedAt(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  const local = date.toLocaleString(locale ?? 'en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone });
  return `${local} (${iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')})`;
}

export function authorLine(summary: CaptureSummary): string {
  const name = summary.author.displayName ?? 'Unknown author';
  return summary.author.handle ? `${name} @${summary.author.handle}` : name;
}

export function statusLine(summary: CaptureSummary): string {
  if (summary.status === 'in-progress') return 'Saving the render…';
  if (summary.status === 'incomplete') return `Saved without ${summary.missing.map((m) => `${m.name} (${m.reason})`).join(', ')}`;
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
      return `Capturing ${profile.handle ? `@${profile.handle}'s` : "the author's"} profile…`;
    case 'captured':
      return `Profile captured${profile.reused ? ' (a recent capture, reused)' : ''}: ${PROFILE_STATES[profile.state] ?? profile.state}`;
    case 'failed':
      return `Profile not captured: ${profile.reason}`;
  }
}
