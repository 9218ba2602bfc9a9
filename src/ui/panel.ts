import { sendToBackground, type CaptureOutcome } from '../messages';
import { damagedItems, renderCaptureList } from './capture-list';
import { friendlyError } from './format';
import { exportSummary, showExportProgress } from './export-progress';
import type { CaptureSummary } from '../evidence/model';
import { targetTabId } from './target-tab';
import { PROFILE_NEEDS_USER_CLICK } from '../browser-limits';

/**
 * The popup and the manager page share one panel: a status line, the
 * newest captures and the export button; the popup adds "Capture post".
 */
export interface PanelOptions {
  recent: number;
  /** Called after each render of the list, e.g. to add thumbnails to its items. */
  afterRender?: (list: HTMLElement, summaries: CaptureSummary[]) => void;
}

export function startEvidencePanel(doc: Document, options: PanelOptions): void {
  const status = required<HTMLElement>(doc, '#status');
  const list = required<HTMLElement>(doc, '#captures');
  const exportButton = required<HTMLButtonElement>(doc, '#export-bundle');
  const captureButton = doc.querySelector<HTMLButtonElement>('#capture-post');
  const profileButton = doc.querySelector<HTMLButtonElement>('#capture-profile');
  const pickButton = doc.querySelector<HTMLButtonElement>('#capture-pick');
  const pageButton = doc.querySelector<HTMLButtonElement>('#capture-page');
  const progressBar = doc.querySelector<HTMLProgressElement>('#export-progress');
  if (progressBar) showExportProgress(progressBar);

  const say = (text: string, kind: 'info' | 'success' | 'error' = 'info') => {
    status.textContent = text;
    status.dataset.kind = kind;
  };
  const refresh = async () => {
    const { captures: summaries, damaged } = await sendToBackground('list-captures', { limit: options.recent });
    renderCaptureList(doc, list, summaries);
    list.append(...damagedItems(doc, damaged));
    options.afterRender?.(list, summaries);
  };

  const busy = async (button: HTMLButtonElement, work: () => Promise<void>) => {
    button.disabled = true;
    try {
      await work();
    } catch (error) {
      say(friendlyError(error), 'error');
    } finally {
      button.disabled = false;
    }
  };

  const reportCapture = async (outcome: CaptureOutcome, saved: string) => {
    if (outcome.ok === false) return say(outcome.error, 'error');
    // The page now waits for the user's click; this window closes as they click it.
    if (outcome.ok === 'picking') return say(outcome.message, 'info');
    // Step timings for the e2e run and the benchmark; not shown to the user.
    status.dataset.timings = JSON.stringify(outcome.timings);
    const gaps = outcome.missing.length
      ? ` Not saved: ${outcome.missing.map((m) => `${m.name} (${m.reason})`).join('; ')}.`
      : '';
    say(`${saved}${gaps}`, 'success');
    await refresh();
  };

  captureButton?.addEventListener('click', () =>
    busy(captureButton, async () => {
      say('Capturing…');
      await reportCapture(
        await sendToBackground('capture-tab', { tabId: await targetTabId(), trigger: 'popup' }),
        'Saved as evidence.',
      );
    }),
  );

  pageButton?.addEventListener('click', () =>
    busy(pageButton, async () => {
      say('Capturing the whole page, screen by screen…');
      await reportCapture(
        await sendToBackground('capture-page', { tabId: await targetTabId() }),
        'Saved as evidence: the whole page.',
      );
    }),
  );

  pickButton?.addEventListener('click', () =>
    busy(pickButton, async () => {
      const { message } = await sendToBackground('start-picker', { tabId: await targetTabId() });
      say(message, 'info');
    }),
  );

  profileButton?.addEventListener('click', () =>
    busy(profileButton, async () => {
      say('Capturing this profile…');
      const outcome = await sendToBackground('capture-profile', { tabId: await targetTabId() });
      if (outcome.ok === false) return say(outcome.error, 'error');
      if (outcome.ok === 'opened') return say(outcome.message, 'info');
      say(`Saved as evidence: the profile (${outcome.state}).`, 'success');
      await refresh();
    }),
  );

  exportButton.addEventListener('click', () =>
    busy(exportButton, async () => {
      say('Exporting… you can close this window; the download carries on.');
      const result = await sendToBackground('export-bundle', {});
      say(...exportSummary(result));
    }),
  );

  list.addEventListener('click', (event) => {
    const button = event.target instanceof HTMLButtonElement ? event.target : null;
    const captureId = button?.dataset.retryProfile;
    if (!button || !captureId) return;
    void busy(button, async () => {
      say(PROFILE_NEEDS_USER_CLICK ? 'Opening the profile…' : 'Capturing the profile again…');
      const outcome = await sendToBackground('retry-profile', { captureId, tabId: await targetTabId() });
      if (outcome.ok === 'opened') say(outcome.message, 'info');
      else say(outcome.ok ? 'Profile captured.' : outcome.error, outcome.ok ? 'success' : 'error');
      await refresh();
    });
  });

  // Refresh while a render is still being saved, so "in progress" turns into "saved".
  const poll = setInterval(() => void refresh().catch(() => undefined), 1500);
  doc.defaultView?.addEventListener('pagehide', () => clearInterval(poll));
  void refresh().catch((error: unknown) => say(friendlyError(error), 'error'));
}

function required<T extends Element>(doc: Document, selector: string): T {
  const element = doc.querySelector<T>(selector);
  if (!element) throw new Error(`The page is missing ${selector}.`);
  return element;
}
