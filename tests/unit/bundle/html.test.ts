import { describe, expect, it } from 'vitest';
import { escapeHtml, httpUrl, urlHtml } from '../../../src/bundle/html';

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
    expect(urlHtml('https://x.com/a?b="c"&d')).toBe(
      '<a href="https://x.com/a?b=%22c%22&amp;d" rel="noopener noreferrer"><span class="url">https://x.com/a?b=&quot;c&quot;&amp;d</span></a>',
    );
  });

  it('shows anything else as text only', () => {
    expect(urlHtml('javascript:alert("x")')).toBe('<span class="url">javascript:alert(&quot;x&quot;)</span>');
    expect(urlHtml(null)).toBe('<span class="none">not recorded</span>');
  });
});
