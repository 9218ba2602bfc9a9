import { renderElementToPng, type PostRender } from './render';

/** The attribute the content script puts on the post for the page-context render to find (and remove at once). */
export const RENDER_MARK = 'data-witness-box-render';

export type PageRenderResult = PostRender | { error: string };

/**
 * The render as run in the page's own context (Firefox): html2canvas-pro's
 * cloner writes into an iframe document, which Firefox refuses to a content
 * script ("The operation is insecure", https://github.com/niklasvh/html2canvas/issues/1184),
 * and a content script's `new Image()` with `crossOrigin` fails there too, so
 * its check of which images can be read would name every one. From the page's
 * context both work as they do in Chrome's content script. The result is plain
 * data, because it crosses back to the extension as a script result.
 */
export async function renderMarkedElement(doc: Document): Promise<PageRenderResult> {
  const marked = [...doc.querySelectorAll<HTMLElement>(`[${RENDER_MARK}]`)];
  for (const el of marked) el.removeAttribute(RENDER_MARK);
  // A script injected as a file takes no arguments, so the post is the one marked element; a second mark came from the page.
  if (marked.length > 1) return { error: 'the page marked other elements as the post, so none was rendered' };
  const [element] = marked;
  if (!element) return { error: 'the post left the page before it could be rendered' };
  try {
    return await renderElementToPng(element);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
