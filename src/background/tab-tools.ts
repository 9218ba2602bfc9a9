import { browser } from 'wxt/browser';
import { sendToTab, type ContentProtocol, type ToastLevel } from '../messages';
import { createRateGate } from './screenshot-quota';

/** Chrome allows 2 screenshots a second; a little slack keeps clock jitter from tripping it. */
const screenshotGate = createRateGate(550);

const CONTENT_SCRIPT = '/content-scripts/content.js';

/**
 * The visible part of the window's active tab, as the browser drew it, queued
 * under the screenshot quota. `justBefore` runs when the queue lets this shot
 * through, immediately before it is taken.
 */
export function screenshotVisibleTab(windowId: number, justBefore?: () => Promise<void>): Promise<Blob> {
  return screenshotGate(async () => {
    await justBefore?.();
    return dataUrlToBlob(await browser.tabs.captureVisibleTab(windowId, { format: 'png' }));
  });
}

export async function dataUrlToBlob(dataUrl: string): Promise<Blob> {
  return (await fetch(dataUrl)).blob();
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const NO_RECEIVER = /Receiving end does not exist|Could not establish connection/i;

/**
 * Sends to the tab's content script, adding the script first if the tab has
 * none (tabs opened before install, or a page still starting up).
 */
export async function sendToContent<K extends keyof ContentProtocol>(
  tabId: number,
  type: K,
  request: ContentProtocol[K]['request'],
): Promise<ContentProtocol[K]['response']> {
  try {
    return await sendToTab(tabId, type, request);
  } catch (error) {
    if (!NO_RECEIVER.test(messageOf(error))) throw error;
    await browser.scripting.executeScript({ target: { tabId }, files: [CONTENT_SCRIPT] });
    return sendToTab(tabId, type, request);
  }
}

/** The page's own confirmation or error; a tab that closed or cannot be scripted simply does not show it. */
export async function notify(tabId: number, level: ToastLevel, message: string): Promise<void> {
  await sendToTab(tabId, 'toast', { level, message }).catch(() => undefined);
}

export type StepTimings = Record<string, number>;

export async function timed<T>(timings: StepTimings, step: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[step] = Math.round(performance.now() - start);
  }
}

/** Navigates the tab and resolves when the new page has loaded. */
export async function navigateAndWait(tabId: number, go: () => Promise<unknown>, timeoutMs = 20_000): Promise<string> {
  const loaded = new Promise<string>((resolve, reject) => {
    let sawLoading = false;
    const timer = setTimeout(
      () => finish(() => reject(new Error(`the page did not load within ${timeoutMs / 1000} s`))),
      timeoutMs,
    );
    const listener = (id: number, change: { status?: string }, tab: { url?: string }) => {
      if (id !== tabId) return;
      if (change.status === 'loading') sawLoading = true;
      if (change.status === 'complete' && sawLoading) finish(() => resolve(tab.url ?? ''));
    };
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      browser.tabs.onUpdated.removeListener(listener);
      settle();
    };
    browser.tabs.onUpdated.addListener(listener);
  });
  await go();
  return loaded;
}
