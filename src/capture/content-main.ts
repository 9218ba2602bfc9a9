import { listen, type CaptureTrigger, type LocatedPost } from '../messages';
import { adapterForPage } from '../sites';
import { locatePost } from '../sites/locate';
import { renderElementToPng } from './render';
import { showToast } from './toast';
import { waitForProfile } from './profile-reader';
import { INTERRUPTED_MESSAGE, listenForInterruptedCaptures } from './watch';

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
    const adapter = adapterForPage(doc, url);
    if (!adapter) throw new Error(`Witness Box cannot read posts on ${url.hostname} yet. Take a screenshot and note the address and time by hand.`);
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
    'measure-post': async ({ token }) => {
      const element = located.get(token);
      if (!element?.isConnected) throw new Error('the post left the page');
      let box = element.getBoundingClientRect();
      if (box.bottom <= 0 || box.top >= win.innerHeight) {
        element.scrollIntoView({ block: 'center', behavior: 'instant' });
        await new Promise((resolve) => win.requestAnimationFrame(() => win.requestAnimationFrame(resolve)));
        box = element.getBoundingClientRect();
      }
      return { rect: { x: box.x, y: box.y, width: box.width, height: box.height } };
    },
    'render-post': async ({ token }) => {
      const element = located.get(token);
      located.delete(token);
      if (!element || !element.isConnected) throw new Error('the post left the page before it could be rendered');
      return renderElementToPng(element);
    },
    'snapshot-page': async () => ({ html: `<!DOCTYPE html>\n${doc.documentElement.outerHTML}` }),
    'read-profile': async ({ timeoutMs }) => {
      const adapter = adapterForPage(doc, new URL(win.location.href));
      const profile = adapter ? await waitForProfile(adapter, doc, () => new URL(win.location.href), timeoutMs) : null;
      return { profile, url: win.location.href, devicePixelRatio: win.devicePixelRatio };
    },
    'scroll-to': async ({ y }) => {
      if (y !== null) win.scrollTo({ top: y, behavior: 'instant' });
      // Two frames: lazy content and sticky headers settle after the scroll event.
      await new Promise((resolve) => win.requestAnimationFrame(() => win.requestAnimationFrame(resolve)));
      return { scrollY: win.scrollY, viewportHeight: win.innerHeight, documentHeight: doc.documentElement.scrollHeight };
    },
    toast: async ({ level, message }) => {
      showToast(doc, level, message);
      return null;
    },
  });

  const stopWatching = listenForInterruptedCaptures(() => showToast(doc, 'error', INTERRUPTED_MESSAGE, 15_000));

  return () => {
    doc.removeEventListener('contextmenu', rememberContextTarget, true);
    stopListening();
    stopWatching();
    located.clear();
  };
}
