import html2canvas from 'html2canvas-pro';

/**
 * A clean DOM render of the post, whole even where it is scrolled off screen.
 * It is a reconstruction, not what the user saw (the viewport screenshot is),
 * so it is stored as a separate artifact. X's post background is transparent,
 * hence the explicit white.
 */
export async function renderElementToPng(element: HTMLElement): Promise<string> {
  const canvas = await html2canvas(element, {
    backgroundColor: '#ffffff',
    useCORS: true,
    allowTaint: false,
    logging: false,
    scale: element.ownerDocument.defaultView?.devicePixelRatio ?? 1,
  });
  try {
    return canvas.toDataURL('image/png');
  } catch (error) {
    if (error instanceof DOMException && error.name === 'SecurityError') {
      throw new Error('the post shows images from a site that forbids copying them, so the browser will not let the render be read');
    }
    throw error;
  }
}
