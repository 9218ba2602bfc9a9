import { browser } from 'wxt/browser';
import type { PostRender } from '../capture/render';
import { sendToTab } from '../messages';

/**
 * Firefox refuses html2canvas-pro's cloning to a content script ("The operation
 * is insecure": it writes into an iframe document, https://github.com/niklasvh/html2canvas/issues/1184),
 * and a content script's CORS image loads fail there ("CORS header 'Origin'
 * cannot be added"). So in Firefox the render runs in the page's own context
 * (scripting.executeScript world 'MAIN', Firefox 128+), where both behave as in
 * Chrome's content script; Chrome keeps rendering in the content script, away
 * from the page's scripts.
 */
const RENDER_IN_PAGE = import.meta.env.FIREFOX;

const PAGE_RENDER_SCRIPT = '/page-render.js';

export async function renderPost(tabId: number, token: string): Promise<PostRender> {
  if (!RENDER_IN_PAGE) return sendToTab(tabId, 'render-post', { token });
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
