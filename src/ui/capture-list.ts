import { describeDamaged, type DamagedRecord } from '../evidence/capture-schema';
import type { CaptureSummary } from '../evidence/model';
import { unreadWarning } from '../sites/read';
import { authorLine, displayText, formatCapturedAt, platformName, profileLine, statusLine } from './format';
import { PROFILE_NEEDS_USER_CLICK } from '../browser-limits';

/**
 * The list of captures. Everything captured is untrusted page text, so it is
 * only ever set as textContent, never parsed as HTML.
 */
export function renderCaptureList(doc: Document, list: HTMLElement, summaries: CaptureSummary[]): void {
  list.replaceChildren(
    ...summaries.map((summary) => {
      const item = doc.createElement('li');
      item.className = `capture capture--${summary.status}`;
      item.dataset.captureId = summary.id;
      item.append(
        line(doc, 'capture__who', `${platformName(summary.platform)} · ${authorLine(summary)}`),
        line(
          doc,
          'capture__shown',
          `Shown time: ${displayText(summary.shownTime.raw ?? 'not shown')}${summary.shownTime.iso ? ` (${displayText(summary.shownTime.iso)})` : ''}`,
        ),
        line(doc, 'capture__at', `Captured: ${formatCapturedAt(summary.capturedAt)}`),
        line(doc, 'capture__status', statusLine(summary)),
      );
      const warning = unreadWarning(summary.unread);
      if (warning) item.append(line(doc, 'capture__unread', warning));
      const profile = profileLine(summary);
      if (profile) item.append(line(doc, `capture__profile capture__profile--${summary.profile.status}`, profile));
      if (summary.profile.status === 'failed') {
        const retry = doc.createElement('button');
        retry.type = 'button';
        retry.className = 'capture__retry-profile';
        retry.dataset.retryProfile = summary.id;
        // Firefox: the user captures the profile themselves, once Witness Box has opened it (PROFILE_NEEDS_USER_CLICK).
        retry.textContent = PROFILE_NEEDS_USER_CLICK ? 'Open profile' : 'Retry profile';
        item.append(retry);
      }
      return item;
    }),
  );
  if (summaries.length === 0) list.replaceChildren(line(doc, 'capture-list__empty', 'No captures yet.', 'li'));
}

function line(doc: Document, className: string, text: string, tag = 'div'): HTMLElement {
  const element = doc.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}

/**
 * Stored records that fail the schema, each named with what is wrong, so a
 * damaged one never hides the rest and is never silently left out.
 */
export function damagedNotes(doc: Document, damaged: readonly DamagedRecord[]): HTMLElement | '' {
  if (damaged.length === 0) return '';
  const list = doc.createElement('ul');
  list.className = 'damaged-records';
  list.setAttribute('aria-label', 'Damaged records');
  list.append(
    ...damagedItems(
      doc,
      damaged.map((d) => describeDamaged(d)),
    ),
  );
  return list;
}

export function damagedItems(doc: Document, lines: readonly string[]): HTMLLIElement[] {
  return lines.map((line) => {
    const item = doc.createElement('li');
    item.className = 'warning capture--damaged';
    item.textContent = line;
    return item;
  });
}
