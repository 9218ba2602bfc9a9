import { describe, expect, it } from 'vitest';
import {
  CAPTURED_HTML_CSP,
  INERT_PRAGMA_ATTRIBUTE,
  inertHtmlFile,
  inertOuterHtml,
} from '../../../src/capture/inert-html';

describe('captured HTML is stored inert', () => {
  it('begins with a policy forbidding script and every load, then says it is captured markup', () => {
    const file = inertHtmlFile('<article>post</article>');
    expect(file.startsWith(`<meta http-equiv="Content-Security-Policy" content="${CAPTURED_HTML_CSP}">`)).toBe(true);
    expect(file).toMatch(/<!-- Captured markup, kept as evidence by Witness Box/);
    expect(file.endsWith('<article>post</article>')).toBe(true);
    const directives = new Map(CAPTURED_HTML_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    // Nothing but data: anywhere, so no directive can reach the network.
    expect(CAPTURED_HTML_CSP).not.toMatch(/https?:|\*|'self'|'unsafe-eval'/);
  });

  it('makes every <meta http-equiv> inert in the copy, and leaves the page alone', () => {
    document.body.innerHTML =
      '<article><meta http-equiv="refresh" content="0;url=https://evil.example/"><p>hi</p>' +
      '<meta HTTP-EQUIV="Set-Cookie" content="a=b"></article>';
    const article = document.querySelector('article')!;
    const html = inertOuterHtml(article);
    const copy = new DOMParser().parseFromString(html, 'text/html');
    expect(copy.querySelectorAll('meta[http-equiv]')).toHaveLength(0);
    expect(
      [...copy.querySelectorAll(`meta[${INERT_PRAGMA_ATTRIBUTE}]`)].map((m) => m.getAttribute(INERT_PRAGMA_ATTRIBUTE)),
    ).toEqual(['refresh', 'Set-Cookie']);
    expect(article.querySelectorAll('meta[http-equiv]')).toHaveLength(2);
  });

  it('keeps markup without pragmas byte for byte', () => {
    document.body.innerHTML = '<article><img src="x" onerror="alert(1)"><a href="javascript:alert(2)">x</a></article>';
    const article = document.querySelector('article')!;
    expect(inertOuterHtml(article)).toBe(article.outerHTML);
  });
});
