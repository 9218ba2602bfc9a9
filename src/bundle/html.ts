/**
 * The only way captured text gets into HTML the bundle writes. Captured
 * strings come from hostile pages: they are escaped for text and attribute
 * values alike, and a URL is only ever made a link when it is http(s).
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Safe as element text and inside a quoted attribute value. Control
 * characters (but tab and line breaks) become U+FFFD. Bidirectional
 * embedding, override and isolate controls are shown as `[U+202E]`: captured
 * text must not reorder itself on screen ("troll\u202Egnp.exe" displaying as
 * "trollexe.png"), and a reader should see that the control was there.
 */
export function escapeHtml(value: string): string {
  return value
    .replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase()}]`);
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
 * A URL shown as text, and linked only when it is http(s). The link opens
 * without a referrer, so following it does not tell the abuser's platform where it came from.
 */
export function urlHtml(value: string | null | undefined, emptyText = 'not recorded'): string {
  if (!value) return `<span class="none">${escapeHtml(emptyText)}</span>`;
  const href = httpUrl(value);
  const text = `<span class="url">${escapeHtml(value)}</span>`;
  return href === null ? text : `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${text}</a>`;
}
