import { browser } from 'wxt/browser';
import { sendToBackground } from '../messages';
import { readSettings, writeSettings } from '../background/settings';
import { tsaOrigin, type TimestampStatus } from '../background/timestamps';
import { el, errorText, required } from './dom';

/**
 * The options page's trusted-timestamp settings: the opt-in checkbox, the
 * authority's address, the queue's status and a Retry button. Turning
 * timestamps on asks the browser for permission to contact that one origin,
 * from the Save click itself (the browser only asks on a user gesture).
 * Everything shown that came from elsewhere (addresses, errors) is set as text.
 */

const STATUS_REFRESH_MS = 2000;

export function startTimestampSettings(doc: Document): void {
  const form = required<HTMLFormElement>(doc, '#timestamp-settings');
  const enabled = required<HTMLInputElement>(doc, '#timestamps-enabled');
  const url = required<HTMLInputElement>(doc, '#tsa-url');
  const save = required<HTMLButtonElement>(doc, '#save-timestamps');
  const result = required<HTMLElement>(doc, '#timestamp-settings-result');
  const statusBox = required<HTMLElement>(doc, '#timestamp-status');
  const retry = required<HTMLButtonElement>(doc, '#retry-timestamps');

  /** The permission pattern saved last, dropped when it is no longer used. */
  let savedPattern: string | null = null;

  const say = (kind: 'success' | 'error' | 'info', text: string): void => {
    result.dataset.kind = kind;
    result.textContent = text;
  };

  const refresh = async (): Promise<void> => {
    try {
      renderStatus(doc, statusBox, await sendToBackground('timestamp-status', {}));
    } catch (error) {
      statusBox.replaceChildren(
        el(doc, 'p', { text: `The status is not available: ${errorText(error)}`, attrs: { 'data-kind': 'error' } }),
      );
    }
  };

  void readSettings().then((settings) => {
    enabled.checked = settings.timestampsEnabled;
    url.value = settings.tsaUrl;
    const target = settings.tsaUrl ? tsaOrigin(settings.tsaUrl) : null;
    savedPattern = settings.timestampsEnabled && target && 'pattern' in target ? target.pattern : null;
  });

  const dropPermission = async (pattern: string | null): Promise<void> => {
    if (!pattern) return;
    // Refused for the extension's own sites (they are not optional); nothing to do then.
    await browser.permissions.remove({ origins: [pattern] }).catch(() => false);
  };

  const submit = async (): Promise<void> => {
    const address = url.value.trim();
    if (!enabled.checked) {
      await writeSettings({ timestampsEnabled: false, tsaUrl: address });
      await dropPermission(savedPattern);
      savedPattern = null;
      say('success', 'Saved. Trusted timestamps are off: Witness Box sends nothing.');
      return;
    }
    const target = tsaOrigin(address);
    if ('error' in target) {
      say('error', `Not turned on. ${target.error}`);
      url.focus();
      return;
    }
    // First thing after the click, so the browser still counts it as the user's own request.
    let granted: boolean;
    try {
      granted = await browser.permissions.request({ origins: [target.pattern] });
    } catch (error) {
      say('error', `Not turned on: the browser refused to ask for permission (${errorText(error)}).`);
      return;
    }
    if (!granted) {
      enabled.checked = false;
      say('error', `Not turned on: Witness Box was not allowed to contact ${target.origin}.`);
      return;
    }
    await writeSettings({ timestampsEnabled: true, tsaUrl: address });
    if (savedPattern !== target.pattern) await dropPermission(savedPattern);
    savedPattern = target.pattern;
    say('success', `Saved. Each new capture's fingerprint will be sent to ${target.origin} for a timestamp.`);
    // Anything that waited while timestamps were off can go now.
    await sendToBackground('retry-timestamps', {}).catch(() => undefined);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save.disabled = true;
    say('info', 'Saving…');
    void submit()
      .catch((error: unknown) => say('error', `Not saved: ${errorText(error)}`))
      .finally(() => {
        save.disabled = false;
        void refresh();
      });
  });

  retry.addEventListener('click', () => {
    retry.disabled = true;
    statusBox.dataset.busy = 'true';
    void sendToBackground('retry-timestamps', {})
      .then((status) => renderStatus(doc, statusBox, status))
      .catch((error: unknown) =>
        statusBox.replaceChildren(
          el(doc, 'p', { text: `Retry failed: ${errorText(error)}`, attrs: { 'data-kind': 'error' } }),
        ),
      )
      .finally(() => {
        retry.disabled = false;
        delete statusBox.dataset.busy;
      });
  });

  void refresh();
  setInterval(() => void refresh(), STATUS_REFRESH_MS);
}

function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toLocaleString()} (${iso})`;
}

export function renderStatus(doc: Document, box: HTMLElement, status: TimestampStatus): void {
  const lines: HTMLElement[] = [];
  const line = (text: string, kind?: string): void => {
    lines.push(el(doc, 'p', { text, ...(kind && { attrs: { 'data-kind': kind } }) }));
  };
  if (!status.enabled) {
    line('Trusted timestamps are off: nothing is sent.');
  } else {
    line(`Trusted timestamps are on, from ${status.tsaUrl}.`);
    if (!status.permitted)
      line('The browser does not allow Witness Box to contact that service: press Save to allow it.', 'error');
  }
  if (status.queued === 0) {
    line('No capture is waiting for a timestamp.');
  } else {
    const waiting = `${status.queued} ${status.queued === 1 ? 'capture is' : 'captures are'} waiting for a timestamp`;
    line(
      status.enabled && status.nextAttemptAt
        ? `${waiting}; next try ${localTime(status.nextAttemptAt)}.`
        : `${waiting}; they are sent only while timestamps are on.`,
    );
  }
  if (status.lastSuccess) {
    line(
      `Last timestamp: ${status.lastSuccess.genTime} by the service's clock, from ${status.lastSuccess.tsaUrl}.`,
      'success',
    );
  }
  if (status.lastError) line(`Last problem (${localTime(status.lastError.at)}): ${status.lastError.message}`, 'error');
  box.dataset.queued = String(status.queued);
  box.replaceChildren(...lines);
}
