import { listen, sendToBackground, type CaptureTrigger, type LocatedPost, type PickerStarted } from '../messages';
import { adapterForPage } from '../sites';
import { extractPickedElement, PICKED_STRATEGY, PICKED_VERSION } from '../sites/generic';
import { locatePost } from '../sites/locate';
import { hasProse } from '../sites/dom';
import { sourcesOf, unreadFields, type AdapterReading } from '../sites/read';
import type { Platform, PostInfo, SiteAdapter } from '../sites/types';
import { inertHtmlFile, inertOuterHtml } from './inert-html';
import { PICKER_HINT, startPicker } from './picker';
import { fromUser } from './trusted';
import { renderElementToPng } from './render';
import { RENDER_MARK } from './page-render';
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
  let picked: HTMLElement | null = null;
  let stopPicking: (() => void) | null = null;
  const located = new Map<string, HTMLElement>();

  const rememberContextTarget = (event: MouseEvent) => {
    // A page's synthetic right-click at another post must not redirect the capture the user asked for.
    if (!fromUser(event)) return;
    const origin = event.composedPath()[0];
    contextTarget = origin instanceof Element ? origin : null;
  };
  doc.addEventListener('contextmenu', rememberContextTarget, true);

  /** The located post, for its one render. */
  const takeLocated = (token: string): HTMLElement => {
    const element = located.get(token);
    located.delete(token);
    if (!element || !element.isConnected) throw new Error('the post left the page before it could be rendered');
    return element;
  };

  const pick = (why: string): PickerStarted => {
    stopPicking?.();
    stopPicking = startPicker(win, {
      onPick: (element) => {
        stopPicking = null;
        picked = element;
        // Two frames, so the removed outline is off the screen before the screenshot.
        win.requestAnimationFrame(() =>
          win.requestAnimationFrame(() => {
            sendToBackground('capture-picked', {}).catch((error: unknown) =>
              showToast(doc, 'error', `Not captured: ${error instanceof Error ? error.message : String(error)}`),
            );
          }),
        );
      },
      onCancel: () => {
        stopPicking = null;
        showToast(doc, 'info', 'Nothing was captured.', 3000);
      },
    });
    return { picking: true, message: `${why}${PICKER_HINT}` };
  };

  const describe = (
    element: HTMLElement,
    adapter: SiteAdapter | null,
    url: URL,
    trigger: CaptureTrigger,
  ): LocatedPost => {
    const box = element.getBoundingClientRect();
    const token = crypto.randomUUID();
    located.set(token, element);
    // A picked element is read as the platform's post only when it is exactly one: the user chose its bounds.
    const asPost = adapter && (trigger !== 'picker' || adapter.postContaining(element) === element);
    const { post, reading } = asPost
      ? readWithAdapter(adapter, element, url)
      : readPicked(element, url, adapter?.platform ?? 'generic');
    return {
      post,
      reading,
      rect: { x: box.x, y: box.y, width: box.width, height: box.height },
      viewport: { width: win.innerWidth, height: win.innerHeight },
      devicePixelRatio: win.devicePixelRatio,
      postHtml: inertHtmlFile(inertOuterHtml(element)),
      pageUrl: url.href,
      pageTitle: doc.title,
      selectedText: selectionWithin(win, element),
      token,
    };
  };

  const locate = (trigger: CaptureTrigger): LocatedPost | PickerStarted => {
    const url = new URL(win.location.href);
    const adapter = adapterForPage(doc, url);
    if (trigger === 'picker') {
      const element = picked;
      picked = null;
      if (!element?.isConnected) throw new Error('the element you picked has left the page. Pick it again.');
      return describe(element, adapter, url, trigger);
    }
    if (!adapter) return pick(`Witness Box does not know how posts look on ${url.hostname}. `);
    // The script was added after the right-click (a site found by its markup), so it never saw what was clicked.
    if (trigger === 'context-menu' && !contextTarget) return pick('Witness Box did not see what you right-clicked. ');
    const target = trigger === 'context-menu' ? contextTarget : null;
    // Used once: if the page stops the next right-click from reaching us, an older one must not stand in for it.
    if (trigger === 'context-menu') contextTarget = null;
    const element = locatePost(adapter, doc, url, target, win.innerHeight);
    if (!(element instanceof HTMLElement)) {
      throw new Error(
        target
          ? 'the place you right-clicked is not inside a post. Right-click the post itself, or use "Pick element" in the Witness Box menu.'
          : 'no post was found on screen. Scroll so the post is in the middle of the screen, or right-click it.',
      );
    }
    return describe(element, adapter, url, trigger);
  };

  const stopListening = listen('content', {
    'locate-post': async ({ trigger }) => locate(trigger),
    'start-picker': async () => pick(''),
    'describe-page': async () => ({
      url: win.location.href,
      title: doc.title,
      selectedText: selectionWithin(win, doc.documentElement),
      devicePixelRatio: win.devicePixelRatio,
    }),
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
    'render-post': async ({ token }) => renderElementToPng(takeLocated(token)),
    'mark-for-render': async ({ token }) => {
      takeLocated(token).setAttribute(RENDER_MARK, '');
      return null;
    },
    'snapshot-page': async () => ({ html: inertHtmlFile(`<!DOCTYPE html>\n${inertOuterHtml(doc.documentElement)}`) }),
    'read-profile': async ({ timeoutMs }) => {
      const adapter = adapterForPage(doc, new URL(win.location.href));
      const profile = adapter ? await waitForProfile(adapter, doc, () => new URL(win.location.href), timeoutMs) : null;
      return { profile, url: win.location.href, devicePixelRatio: win.devicePixelRatio };
    },
    'scroll-to': async ({ y }) => {
      if (y !== null) win.scrollTo({ top: y, behavior: 'instant' });
      // Two frames: lazy content and sticky headers settle after the scroll event.
      await new Promise((resolve) => win.requestAnimationFrame(() => win.requestAnimationFrame(resolve)));
      return {
        scrollY: win.scrollY,
        viewportHeight: win.innerHeight,
        documentHeight: doc.documentElement.scrollHeight,
      };
    },
    toast: async ({ level, message }) => {
      // A warning asks the user to check the capture, so it stays until they could have read it.
      showToast(doc, level, message, level === 'warning' ? 20_000 : undefined);
      return null;
    },
  });

  const stopWatching = listenForInterruptedCaptures(() => showToast(doc, 'error', INTERRUPTED_MESSAGE, 15_000));

  return () => {
    doc.removeEventListener('contextmenu', rememberContextTarget, true);
    stopListening();
    stopWatching();
    stopPicking?.();
    located.clear();
  };
}

/** The post as the adapter reads it, and which of its key fields it failed to read. */
function readWithAdapter(
  adapter: SiteAdapter,
  element: Element,
  url: URL,
): { post: PostInfo; reading: AdapterReading } {
  const { post, via } = adapter.readPost(element, url);
  const unread = unreadFields(post, {
    elementHasText: hasProse(element),
    permalinkExpected: adapter.everyPostLinked && !post.conversation,
  });
  return { post, reading: { adapter: adapter.platform, version: adapter.version, fields: via, unread } };
}

/** An element the user picked themselves: what it shows is what they chose, so nothing counts as unread. */
function readPicked(element: Element, url: URL, platform: Platform): { post: PostInfo; reading: AdapterReading } {
  const post = extractPickedElement(element, url, platform);
  return {
    post,
    reading: { adapter: 'generic', version: PICKED_VERSION, fields: sourcesOf(post, {}, PICKED_STRATEGY), unread: [] },
  };
}

/** The text selected inside `element` (trimmed), or null when nothing there is selected. */
function selectionWithin(win: Window, element: Element): string | null {
  const selection = win.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!element.contains(range.commonAncestorContainer) && !range.intersectsNode(element)) return null;
  return selection.toString().trim() || null;
}
