/**
 * Captured HTML is hostile: `post.html` (and `page.html` on Firefox) hold the
 * page's own markup, with whatever `<img onerror>`, `javascript:` links,
 * remote images and frames it had. An officer who opens the file from the
 * unzipped bundle must not run or load any of it. So the stored file begins
 * with a Content-Security-Policy that forbids every script and every load,
 * then a comment saying what the file is; the captured markup follows
 * unchanged but for one thing a policy cannot stop: `<meta http-equiv>`
 * pragmas (a `refresh` navigates whatever the policy says, see
 * https://html.spec.whatwg.org/multipage/semantics.html#attr-meta-http-equiv-refresh),
 * whose attribute is renamed so they do nothing. The file's SHA-256 is taken
 * over these exact bytes, at capture.
 */

/**
 * No script (inline, `javascript:` URLs and event handlers included: none is
 * allowed without 'unsafe-inline'), no request of any kind; inline styles
 * and `data:` images still show, since neither can reach the network.
 */
export const CAPTURED_HTML_CSP =
  "default-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; child-src 'none'; worker-src 'none'; " +
  "connect-src 'none'; base-uri 'none'; form-action 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; media-src data:";

/** What a `<meta http-equiv>` in captured markup becomes: kept for the record, read by no browser. */
export const INERT_PRAGMA_ATTRIBUTE = 'data-witness-box-inert-http-equiv';

const HEADER =
  `<meta http-equiv="Content-Security-Policy" content="${CAPTURED_HTML_CSP}">\n` +
  '<meta charset="utf-8">\n' +
  '<meta name="referrer" content="no-referrer">\n' +
  '<meta http-equiv="x-dns-prefetch-control" content="off">\n' +
  `<!-- Captured markup, kept as evidence by Witness Box: the HTML the page held when it was captured. It is not a working page. The policy above stops it running any script or loading anything (images, styles, frames, fonts) when opened, and each <meta http-equiv> in it has that attribute renamed to ${INERT_PRAGMA_ATTRIBUTE}, so none can reload or redirect the page. Its SHA-256, recorded at capture, covers this file exactly as it is. -->\n`;

/** The file to store for captured markup: the inert header, then the markup. */
export function inertHtmlFile(markup: string): string {
  return HEADER + markup;
}

/** The element's HTML, with every `<meta http-equiv>` in it (or it) made inert; the live page is never touched. */
export function inertOuterHtml(element: Element): string {
  const selector = 'meta[http-equiv]';
  if (!element.matches(selector) && !element.querySelector(selector)) return element.outerHTML;
  const copy = element.cloneNode(true) as Element;
  for (const meta of [copy, ...copy.querySelectorAll(selector)]) {
    if (!meta.matches(selector)) continue;
    meta.setAttribute(INERT_PRAGMA_ATTRIBUTE, meta.getAttribute('http-equiv') ?? '');
    meta.removeAttribute('http-equiv');
  }
  return copy.outerHTML;
}
