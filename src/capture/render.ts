import html2canvas from 'html2canvas-pro';

export interface PostRender {
  pngDataUrl: string;
  /** Images the render had to leave out because their site forbids reading them back (no CORS). */
  omittedImages: string[];
}

/**
 * A clean DOM render of the post, whole even where it is scrolled off screen.
 * It is a reconstruction, not what the user saw (the viewport screenshot is),
 * so it is stored as a separate artifact. X's post background is transparent,
 * hence the explicit white. Images from sites that send no CORS headers cannot
 * be drawn without making the canvas unreadable, so they are left out and
 * named, rather than silently missing.
 */
export async function renderElementToPng(element: HTMLElement): Promise<PostRender> {
  const [canvas, omittedImages] = await Promise.all([
    html2canvas(element, {
      backgroundColor: '#ffffff',
      useCORS: true,
      allowTaint: false,
      logging: false,
      scale: element.ownerDocument.defaultView?.devicePixelRatio ?? 1,
    }),
    unreadableImages(element),
  ]);
  try {
    return { pngDataUrl: canvas.toDataURL('image/png'), omittedImages };
  } catch (error) {
    if (error instanceof DOMException && error.name === 'SecurityError') {
      throw new Error(
        'the post shows images from a site that forbids copying them, so the browser will not let the render be read',
      );
    }
    throw error;
  }
}

/** Cross-origin images that fail a CORS load: the same load html2canvas makes, so it costs no extra request. */
async function unreadableImages(element: HTMLElement): Promise<string[]> {
  const origin = element.ownerDocument.location.origin;
  const sources = [...new Set([...element.querySelectorAll('img')].map((img) => img.currentSrc || img.src))].filter(
    (src) => /^https?:/.test(src) && new URL(src).origin !== origin,
  );
  const readable = await Promise.all(sources.map((src) => loadsWithCors(src)));
  return sources.filter((_, i) => !readable[i]);
}

function loadsWithCors(src: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = new Image();
    probe.crossOrigin = 'anonymous';
    probe.onload = () => resolve(true);
    probe.onerror = () => resolve(false);
    probe.src = src;
  });
}
