import { browser } from 'wxt/browser';

/** Firefox has no page archive API; the caller stores a DOM snapshot instead. */
export function canSaveMhtml(): boolean {
  return typeof browser.pageCapture?.saveAsMHTML === 'function';
}

/**
 * Chrome's page archive. Its first Blob in a browser session is often
 * unreadable (NotFoundError), so the bytes are read at once and the call
 * retried; the Blob arrives untyped, so it is typed here.
 */
export async function saveMhtml(tabId: number, attempts = 3): Promise<Blob> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const archive = await browser.pageCapture.saveAsMHTML({ tabId });
      if (!archive) throw new Error('the browser returned no archive');
      return new Blob([await archive.arrayBuffer()], { type: 'multipart/related' });
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(
    `the page archive could not be saved (${lastError instanceof Error ? lastError.message : String(lastError)})`,
  );
}
