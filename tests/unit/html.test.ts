import { describe, expect, it } from 'vitest';
import { escapeHtml, html, httpUrl, joinHtml, neutraliseText, SafeHtml, trustedHtml, urlHtml } from '../../src/html';

describe('escapeHtml', () => {
  it('escapes everything that could open a tag, an entity or leave an attribute value', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&amp;\``)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;amp;&#96;',
    );
  });

  it('keeps text, line breaks, tabs, accents and emoji as they are', () => {
    expect(escapeHtml('José 😈\nline\ttab')).toBe('José 😈\nline\ttab');
  });

  it('shows bidi overrides and isolates instead of letting them reorder the text', () => {
    expect(escapeHtml('troll\u202Egnp.exe')).toBe('troll[U+202E]gnp.exe');
    expect(escapeHtml('a\u2066b\u2069')).toBe('a[U+2066]b[U+2069]');
  });

  it('replaces control characters', () => {
    expect(escapeHtml('a\u0000b\u001bc')).toBe('a\ufffdb\ufffdc');
  });
});

describe('httpUrl / urlHtml', () => {
  it.each([
    ['https://x.com/GazT_1977', 'https://x.com/GazT_1977'],
    ['http://example.org/a?b=1&c=2', 'http://example.org/a?b=1&c=2'],
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    ['data:text/html,<script>alert(1)</script>', null],
    ['file:///etc/passwd', null],
    ['not a url', null],
    ['', null],
  ])('%j -> %j', (input, expected) => {
    expect(httpUrl(input)).toBe(expected);
  });

  it('links http(s) URLs without a referrer, escaping the href', () => {
    expect(String(urlHtml('https://x.com/a?b="c"&d'))).toBe(
      '<a href="https://x.com/a?b=%22c%22&amp;d" rel="noopener noreferrer"><span class="url">https://x.com/a?b=&quot;c&quot;&amp;d</span></a>',
    );
  });

  it('shows anything else as text only', () => {
    expect(String(urlHtml('javascript:alert("x")'))).toBe('<span class="url">javascript:alert(&quot;x&quot;)</span>');
    expect(String(urlHtml(null))).toBe('<span class="none">not recorded</span>');
  });
});

describe('html``', () => {
  const HOSTILE = `<img src=x onerror="alert('1')">`;

  it('escapes every interpolated string, in text and in quoted attributes alike', () => {
    expect(html`<p title="${HOSTILE}">${HOSTILE}</p>`.toString()).toBe(
      `<p title="${escapeHtml(HOSTILE)}">${escapeHtml(HOSTILE)}</p>`,
    );
  });

  it('keeps SafeHtml as it is, and joins lists, skipping null, undefined and false', () => {
    const inner = html`<b>${'a&b'}</b>`;
    expect(html`<div>${inner}${[html`<i>1</i>`, '<2>', null, undefined, false, 3]}</div>`.toString()).toBe(
      '<div><b>a&amp;b</b><i>1</i>&lt;2&gt;3</div>',
    );
    expect(joinHtml([html`<br>`, 'x<'], html`<hr>`).toString()).toBe('<br><hr>x&lt;');
  });

  it('refuses an unquoted attribute value, where escaping quotes would not be enough', () => {
    expect(() => html`<a title=${'x onmouseover=alert(1)'}></a>`).toThrow(/unquoted attribute/);
  });

  it('refuses values that are not text, numbers or SafeHtml, instead of printing [object Object]', () => {
    expect(() => html`${{ toString: () => '<script>' } as unknown as string}`).toThrow(TypeError);
  });

  it('makes SafeHtml only by html`` and trustedHtml(): the constructor refuses anyone else', () => {
    const Ctor = SafeHtml as unknown as new (token: symbol, markup: string) => SafeHtml;
    expect(() => new Ctor(Symbol('SafeHtml'), '<script>')).toThrow(TypeError);
    expect(trustedHtml('<style>a{}</style>').toString()).toBe('<style>a{}</style>');
  });

  it('urlHtml is SafeHtml, so a link is not escaped twice', () => {
    expect(html`<td>${urlHtml('https://x.com/a')}</td>`.toString()).toBe(
      '<td><a href="https://x.com/a" rel="noopener noreferrer"><span class="url">https://x.com/a</span></a></td>',
    );
  });
});

describe('neutraliseText', () => {
  it('applies the control and bidi rule without entity escaping', () => {
    expect(neutraliseText('<b>\u202E\u0000</b>')).toBe('<b>[U+202E]\ufffd</b>');
  });
});
