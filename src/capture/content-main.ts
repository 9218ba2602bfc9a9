import { listen, type CaptureTrigger, type LocatedPost } from '../messages';
import { adapterForUrl } from '../sites';
import { locatePost } from '../sites/locate';
import { renderElementToPng } from './render';
import { showToast } from './toast';

/**
 * The content script's work, given the page's window. Returns the function
 * that removes every listener it added, for when the page navigates or the
 * extension is reloaded.
 */
export function startContentScript(win: Window): () => void {
  const doc = win.document;
  let contextTarget: Element | null = null;
  const located = new Map<string, HTMLElement>();

  const rememberContextTarget = (event: MouseEvent) => {
    const origin = event.composedPath()[0];
    contextTarget = origin instanceof Element ? origin : null;
  };
  doc.addEventListener('contextmenu', rememberContextTarget, true);

  const locate = (trigger: CaptureTrigger): LocatedPost => {
    const url = new URL(win.location.href);
    const adapter = adapterForUrl(url);
    if (!adapter) throw new Error(`this site (${url.hostname}) is not supported yet`);
    const target = trigger === 'context-menu' ? contextTarget : null;
    const element = locatePost(adapter, doc, url, target, win.innerHeight);
    if (!(element instanceof HTMLElement)) {
      throw new Error(
        target
          ? 'the place you right-clicked is not inside a post. Right-click the post itself.'
          : 'no post was found on screen. Scroll so the post is in the middle of the screen, or right-click it.',
      );
    }
    const box = element.getBoundingClientRect();
    const token = crypto.randomUUID();
    located.set(token, element);
    return {
      post: adapter.extractPost(element, url),
      rect: { x: box.x, y: box.y, width: box.width, height: box.height },
      viewport: { width: win.innerWidth, height: win.innerHeight },
      devicePixelRatio: win.devicePixelRatio,
      postHtml: element.outerHTML,
      pageUrl: url.href,
      pageTitle: doc.title,
      token,
    };
  };

  const stopListening = listen('content', {
    'locate-post': async ({ trigger }) => locate(trigger),
    'render-post': async ({ token }) => {
      const element = located.get(token);
      located.delete(token);
      if (!element || !element.isConnected) throw new Error('the post left the page before it could be rendered');
      return renderElementToPng(element);
    },
    'snapshot-page': async () => ({ html: `<!DOCTYPE html>\n${doc.documentElement.outerHTML}` }),
    toast: async ({ level, message }) => {
      showToast(doc, level, message);
      return null;
    },
  });

  return () => {
    doc.removeEventListener('contextmenu', rememberContextTarget, true);
    stopListening();
    located.clear();
  };
}
