/**
 * The little the shared user flows (flows.ts) need of a browser driver:
 * Playwright's Chromium pages and workers provide it as they are, and the
 * Firefox harness (firefox.ts) over puppeteer-core and WebDriver BiDi provides
 * it too, so one flow runs in both browsers.
 */

/**
 * Runs a function in an extension context (Chromium's service worker; a Firefox extension page) or a page.
 * The function is sent as source: it may use only its argument and the globals where it runs.
 */
export interface Evaluator {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

/** The toolbar popup (or an extension page showing the same panel), as the flows use it. */
export interface PopupView extends Evaluator {
  /** A user's click on the element `selector` names. */
  click(selector: string): Promise<void>;
}

/** Polls `probe` in `view` until it returns something other than null. */
export async function pollIn<R, A>(
  view: Evaluator,
  probe: (arg: A) => R | null,
  arg: A,
  timeoutMs: number,
  what: string,
): Promise<R> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await view.evaluate(probe, arg);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
