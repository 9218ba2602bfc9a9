import type { SiteAdapter } from './types';

export interface VerticalSpan {
  top: number;
  bottom: number;
}

function isInView(rect: VerticalSpan, viewportHeight: number): boolean {
  return rect.bottom > 0 && rect.top < viewportHeight;
}

/**
 * Index of the span whose vertical centre is nearest the viewport's centre,
 * choosing among spans that are at least partly on screen when there are any
 * (a tall post half in view beats a short one just off screen); -1 for none.
 */
export function nearestToViewportCentre(rects: readonly VerticalSpan[], viewportHeight: number): number {
  const centre = viewportHeight / 2;
  const anyInView = rects.some((rect) => isInView(rect, viewportHeight));
  let best = -1;
  let bestDistance = Infinity;
  rects.forEach((rect, index) => {
    if (anyInView && !isInView(rect, viewportHeight)) return;
    const distance = Math.abs((rect.top + rect.bottom) / 2 - centre);
    if (distance < bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}

/**
 * The post a capture is about: the one holding the clicked element (null when
 * the click was outside any post); without a click, on a single-post page the
 * post the URL names if it is on screen, otherwise the listed post nearest
 * the middle of the screen.
 */
export function locatePost(
  adapter: SiteAdapter,
  doc: Document,
  url: URL,
  target: Element | null,
  viewportHeight: number,
): Element | null {
  if (target) return adapter.postContaining(target);
  const main = adapter.pageKind(doc, url) === 'post' ? adapter.mainPost(doc, url) : null;
  if (main && isInView(main.getBoundingClientRect(), viewportHeight)) return main;
  const posts = adapter.listPosts(doc);
  return (
    posts[
      nearestToViewportCentre(
        posts.map((post) => post.getBoundingClientRect()),
        viewportHeight,
      )
    ] ?? null
  );
}
