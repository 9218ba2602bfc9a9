import { browser, type Browser } from 'wxt/browser';

/**
 * Tells the page when a capture dies with the background worker. Chrome may
 * stop the worker at any moment (idle, update, crash); the capture it was
 * making is then neither stored nor reported, and the user would hear nothing.
 * The worker holds a port to the tab's content script for the length of each
 * capture and says "settled" on it once the capture is stored or has failed
 * with a message of its own; a port that closes before that means the worker
 * was stopped, and the content script says so on the page.
 */

export const CAPTURE_WATCH_PORT = 'witness-box-capture';

export const INTERRUPTED_MESSAGE =
  'Witness Box was interrupted (the browser stopped it) before this capture was saved: this post was not saved. Capture it again.';

/** Content side: calls `onInterrupted` for each watched capture whose worker went away unsettled. */
export function listenForInterruptedCaptures(onInterrupted: () => void): () => void {
  const listener = (port: Browser.runtime.Port) => {
    if (port.name !== CAPTURE_WATCH_PORT) return;
    let settled = false;
    port.onMessage.addListener(() => {
      settled = true;
    });
    port.onDisconnect.addListener(() => {
      if (!settled) onInterrupted();
    });
  };
  browser.runtime.onConnect.addListener(listener);
  return () => browser.runtime.onConnect.removeListener(listener);
}

export interface CaptureWatch {
  /** The capture is stored or has failed with its own message: a later disconnect is not an interruption. */
  settled(): void;
  close(): void;
}

/** Worker side: opens the watch on the tab's content script (a no-op if the tab has none). */
export function watchCaptureInTab(tabId: number): CaptureWatch {
  let port: Browser.runtime.Port | null = null;
  try {
    port = browser.tabs.connect(tabId, { name: CAPTURE_WATCH_PORT });
    port.onDisconnect.addListener(() => {
      port = null;
    });
  } catch {
    port = null;
  }
  const settled = () => {
    try {
      port?.postMessage({ settled: true });
    } catch {
      // The tab went away: nobody to tell.
    }
  };
  return {
    settled,
    close: () => {
      settled();
      try {
        port?.disconnect();
      } catch {
        // Already closed.
      }
      port = null;
    },
  };
}
