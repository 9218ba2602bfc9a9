/**
 * Escaping by construction. Every piece of HTML the extension writes as a
 * string (report.html) is made by the `html` tag: each interpolated value is
 * escaped unless it is already SafeHtml, and SafeHtml is made only here, by
 * `html` itself, by `link` (http(s) only), or by `trustedHtml`, which is
 * greppable and used for markup written in this codebase (the report's CSS).
 * Captured strings come from hostile pages and are never trusted.
 *
 * A leaf module with no imports, so the bundle writer and every page can use it.
 */

/** Not exported: only this module can make SafeHtml. */
const MAKE: unique symbol = Symbol('SafeHtml');

/** Markup that is safe to put in a document: escaped text, or markup this codebase wrote. */
export class SafeHtml {
  readonly #markup: string;
  constructor(token: typeof MAKE, markup: string) {
    if (token !== MAKE) throw new TypeError('SafeHtml is made only by html`` and trustedHtml()');
    this.#markup = markup;
  }
  toString(): string {
    return this.#markup;
  }
}

function safe(markup: string): SafeHtml {
  return new SafeHtml(MAKE, markup);
}

/** What may go into an `html` template: text (escaped), numbers, SafeHtml, nothing, or lists of these. */
export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

/**
 * An interpolation right after `=` would be an unquoted attribute value, where
 * escaping quotes is not enough (a space ends the value): refuse to build it.
 */
const UNQUOTED_ATTRIBUTE = /=\s*$/;

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    if (UNQUOTED_ATTRIBUTE.test(strings[i] ?? '')) {
      throw new Error(`html\`\`: interpolation ${i} is an unquoted attribute value; quote it`);
    }
    out += toMarkup(values[i]) + (strings[i + 1] ?? '');
  }
  return safe(out);
}

function toMarkup(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(toMarkup).join('');
  // A stray object would print "[object Object]" or worse; the types forbid it, this enforces it.
  throw new TypeError(`html\`\`: cannot interpolate ${Object.prototype.toString.call(value)}`);
}

/**
 * Markup written by this codebase, not built from data (the report's style
 * sheet). Every use is a reviewed constant; never pass captured text.
 */
export function trustedHtml(markup: string): SafeHtml {
  return safe(markup);
}

/** Items joined by a separator, each escaped unless SafeHtml. */
export function joinHtml(items: readonly HtmlValue[], separator: HtmlValue): SafeHtml {
  const sep = toMarkup(separator);
  return safe(items.map(toMarkup).join(sep));
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Captured text made safe to show, as text: control characters (but tab and
 * line breaks) become U+FFFD; bidirectional embedding, override and isolate
 * controls are shown as `[U+202E]`: captured text must not reorder itself on
 * screen ("troll\u202Egnp.exe" displaying as "trollexe.png"), and a reader
 * should see that the control was there. For textContent (the pages) and,
 * entity-escaped, for HTML (escapeHtml).
 */
export function neutraliseText(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase()}]`);
}

/** Safe as element text and inside a quoted attribute value. */
export function escapeHtml(value: string): string {
  return neutraliseText(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

/** The URL normalised by the URL parser if it is http: or https:, else null (javascript:, data:, file:, junk). */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/**
 * A URL shown as text, and linked only when it is http(s): the one way a
 * captured address becomes an href. The link opens without a referrer, so
 * following it does not tell the abuser's platform where it came from.
 */
export function urlHtml(value: string | null | undefined, emptyText = 'not recorded'): SafeHtml {
  if (!value) return html`<span class="none">${emptyText}</span>`;
  const href = httpUrl(value);
  const text = html`<span class="url">${value}</span>`;
  return href === null ? text : html`<a href="${href}" rel="noopener noreferrer">${text}</a>`;
}
