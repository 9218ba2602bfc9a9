import { browser } from 'wxt/browser';
import type { PostRender } from '../capture/render';
import { sendToTab } from '../messages';
import { RENDER_IN_PAGE_CONTEXT } from '../browser-limits';

const PAGE_RENDER_SCRIPT = '/page-render.js';

/**
 * The post's render where the browser allows it: Chrome's content script, away
 * from the page's scripts; in Firefox the page's own context (scripting world
 * MAIN, Firefox 128+), see RENDER_IN_PAGE_CONTEXT.
 */
export async function renderPost(tabId: number, token: string): Promise<PostRender> {
  if (!RENDER_IN_PAGE_CONTEXT) return sendToTab(tabId, 'render-post', { token });
  await sendToTab(tabId, 'mark-for-render', { token });
  const [injection] = await browser.scripting.executeScript({
    target: { tabId },
    world: 'MAIN',
    files: [PAGE_RENDER_SCRIPT],
  });
  return pageRenderResult(injection?.result);
}

/** The page-context script's answer, checked: it comes back from the page's world as untyped data. */
export function pageRenderResult(result: unknown): PostRender {
  if (typeof result !== 'object' || result === null) throw new Error('the render in the page gave no result');
  if ('error' in result && typeof result.error === 'string') throw new Error(result.error);
  const pngDataUrl = 'pngDataUrl' in result ? result.pngDataUrl : undefined;
  const omitted = 'omittedImages' in result ? result.omittedImages : undefined;
  if (
    typeof pngDataUrl !== 'string' ||
    !pngDataUrl.startsWith('data:image/png;base64,') ||
    !Array.isArray(omitted) ||
    !omitted.every((src): src is string => typeof src === 'string')
  )
    throw new Error('the render in the page gave a result Witness Box cannot read');
  return { pngDataUrl, omittedImages: omitted };
}
