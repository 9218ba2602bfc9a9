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
