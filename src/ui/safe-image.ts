import { el } from './dom';

/**
 * A screenshot that stays blurred until the user reveals it, so browsing the
 * evidence does not mean reading the abuse again. The whole image is one
 * button: a click, Enter or Space reveals it, and again hides it.
 */
export interface SafeImageOptions {
  src: string;
  /** What the image is, e.g. "Screenshot of the post (post.png)". */
  alt: string;
  blurred: boolean;
  className?: string;
}

export function safeImage(doc: Document, options: SafeImageOptions): HTMLElement {
  const img = el(doc, 'img', {
    className: 'safe-image__img',
    attrs: { alt: options.alt, src: options.src, decoding: 'async' },
  });
  const hint = el(doc, 'span', { className: 'safe-image__hint' });
  const toggle = el(doc, 'button', { className: 'safe-image__toggle' }, img, hint);
  toggle.type = 'button';
  const figure = el(
    doc,
    'figure',
    { className: `safe-image${options.className ? ` ${options.className}` : ''}` },
    toggle,
  );
  const show = (blurred: boolean) => {
    figure.classList.toggle('safe-image--blurred', blurred);
    figure.dataset.revealed = String(!blurred);
    toggle.setAttribute('aria-pressed', String(!blurred));
    hint.textContent = blurred ? 'Blurred: select to show' : 'Select to blur again';
  };
  show(options.blurred);
  toggle.addEventListener('click', () => show(figure.dataset.revealed === 'true'));
  return figure;
}
