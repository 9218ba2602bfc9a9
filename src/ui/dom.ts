/**
 * Small DOM builders for the extension pages. Text is only ever set with
 * textContent: nothing here parses HTML, so captured text cannot become markup.
 */

export interface ElOptions {
  className?: string;
  id?: string;
  text?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  options: ElOptions = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = doc.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.id) element.id = options.id;
  if (options.text !== undefined) element.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

export function button(doc: Document, text: string, options: ElOptions = {}): HTMLButtonElement {
  const b = el(doc, 'button', { ...options, text });
  b.type = 'button';
  return b;
}

/** A label and its control, joined by id. */
export function field(doc: Document, label: string, control: HTMLElement, hint?: string): HTMLElement {
  if (!control.id) throw new Error(`field "${label}" needs a control with an id`);
  const wrap = el(
    doc,
    'div',
    { className: 'field' },
    el(doc, 'label', { text: label, attrs: { for: control.id } }),
    control,
  );
  if (hint) {
    const hintEl = el(doc, 'span', { className: 'hint', id: `${control.id}-hint`, text: hint });
    control.setAttribute('aria-describedby', hintEl.id);
    wrap.append(hintEl);
  }
  return wrap;
}

export function required<T extends Element>(doc: Document | Element, selector: string): T {
  const element = doc.querySelector<T>(selector);
  if (!element) throw new Error(`The page is missing ${selector}.`);
  return element;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "1.2 MB": sizes for people, in powers of 1000 like the browser's own settings pages. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
