import type { CaptureReport, CustodyEvent } from '../../evidence/model';

/** "Not reported" or "Reported to X, Metropolitan Police": the list's one-line answer to "is this still unreported?". */
export function reportStatus(reports: readonly CaptureReport[]): string {
  if (reports.length === 0) return 'Not reported yet';
  const to = [...new Set(reports.map((r) => r.recipient || r.recipientKind))];
  return `Reported to ${to.join(', ')}`;
}

const ACTION_NAMES: Record<string, string> = {
  captured: 'Captured',
  'artifact-added': 'File added',
  'artifact-failed': 'File could not be made',
  'profile-linked': "Author's profile linked",
  'profile-failed': "Author's profile not captured",
  noted: 'Note added',
  tagged: 'Tag changed',
  exported: 'Exported',
  imported: 'Imported',
  deleted: 'Deleted',
  verified: 'Bundle verified',
  reported: 'Report recorded',
  moved: 'Moved to another case',
  'case-created': 'Case opened',
  'exhibit-assigned': 'Exhibit reference given',
  'exhibit-format-set': 'Exhibit reference format set',
  'statement-edited': 'Draft statement edited',
};

/** One line of a capture's history, for people. */
export function describeEvent(event: CustodyEvent, caseName: (id: string) => string = (id) => id): string {
  const d = event.detail;
  const what = ACTION_NAMES[event.action] ?? event.action;
  switch (event.action) {
    case 'noted':
      return `${what}: ${String(d.note ?? '')}`;
    case 'tagged':
      return `${d.op === 'remove' ? 'Tag removed' : 'Tag added'}: ${String(d.tag ?? '')}`;
    case 'moved':
      return `${what}: from ${caseName(String(d.fromCaseId))} to ${caseName(String(d.toCaseId))}`;
    case 'artifact-added': {
      const a = d.artifact as { name?: unknown } | undefined;
      return `${what}: ${String(a?.name ?? '')}`;
    }
    case 'exhibit-assigned':
      return `${what}: ${String(d.reference ?? '')} (produced by ${String(d.producer ?? '')})`;
    case 'artifact-failed':
      return `${what}: ${String(d.name ?? '')} (${String(d.reason ?? '')})`;
    case 'reported': {
      const r = d.report as CaptureReport | undefined;
      return r
        ? `${what}: ${r.recipient}, ${r.reportedAt}${r.reference ? `, ref ${r.reference}` : ''}${r.outcome ? `, ${r.outcome}` : ''}`
        : what;
    }
    default:
      return what;
  }
}
