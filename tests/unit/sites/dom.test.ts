import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { absoluteUrl, isoFromDatetime, visibleText, visibleTextOrNull } from '../../../src/sites/dom';

function element(html: string): Element {
  const root = new JSDOM(`<div id="root">${html}</div>`).window.document.getElementById('root');
  if (!root) throw new Error('no root');
  return root;
}

describe('absoluteUrl', () => {
  it.each([
    ['/GazT_1977', 'https://x.com/GazT_1977'],
    ['https://pbs.twimg.com/media/a.png', 'https://pbs.twimg.com/media/a.png'],
    ['//pbs.twimg.com/media/a.png', 'https://pbs.twimg.com/media/a.png'],
    ['  /home  ', 'https://x.com/home'],
    ['blob:https://x.com/5a1c', null],
    ['data:image/png;base64,AAAA', null],
    ['javascript:void(0)', null],
    ['', null],
    [null, null],
  ])('%s resolves to %s', (href, resolved) => {
    expect(absoluteUrl(href, new URL('https://x.com/GazT_1977/status/1'))).toBe(resolved);
  });
});

describe('visibleText', () => {
  it('reads emoji images as their alt text', () => {
    expect(visibleText(element('<span>well done </span><img alt="👏" src="e.svg"><span> all</span>'))).toBe(
      'well done 👏 all',
    );
  });

  it('turns <br>, block elements and literal newlines into line breaks', () => {
    expect(visibleText(element('<p>one</p><p>two<br>three</p><span>four\nfive</span>'))).toBe(
      'one\n\ntwo\nthree\nfour\nfive',
    );
  });

  it('keeps inline divs inline, as X draws mentions', () => {
    expect(visibleText(element('<span>hi </span><div><span><a href="/x">@x</a></span></div><span>, bye</span>'))).toBe(
      'hi @x, bye',
    );
  });

  it('reads re-indented markup as the live page would show it', () => {
    const html = `
      <span>Making some </span>
      <div><span><a href="/m">@m</a></span></div>
      <span> t-shirts.
          Ping me!</span>
    `;
    expect(visibleText(element(html))).toBe('Making some @m t-shirts.\nPing me!');
  });

  it('reads a text a pretty-printer wrapped one word per line as one line', () => {
    const html = '<span>Content\n      Creation\n      Reality\n      Check:</span>';
    expect(visibleText(element(html))).toBe('Content Creation Reality Check:');
  });

  it('keeps a typed line break even when the lines are single words', () => {
    expect(visibleText(element('<span>Yes\nNo\nMaybe\nSo</span>'))).toBe('Yes\nNo\nMaybe\nSo');
  });

  it('skips scripts and styles and collapses spaces', () => {
    expect(visibleText(element('<style>p{}</style><script>x()</script><span>a  \t b&nbsp; c</span>'))).toBe('a b c');
  });

  it('is null for nothing to read', () => {
    expect(visibleTextOrNull(element('<span>  </span><img alt="">'))).toBeNull();
    expect(visibleTextOrNull(null)).toBeNull();
  });
});

describe('isoFromDatetime', () => {
  it.each([
    ['2026-11-20T18:42:07.000Z', '2026-11-20T18:42:07.000Z'],
    ['2026-11-20T18:42:07Z', '2026-11-20T18:42:07.000Z'],
    ['2026-11-20T18:42Z', '2026-11-20T18:42:00.000Z'],
    ['2026-11-20 18:42:07.5+01:00', '2026-11-20T17:42:07.500Z'],
    ['2026-11-20T23:30:00-0230', '2026-11-21T02:00:00.000Z'],
    ['2026-11-20T18:42:07.123456Z', '2026-11-20T18:42:07.123Z'],
    [' 2024-02-29T12:00:00Z ', '2024-02-29T12:00:00.000Z'],
    ['2026-11-20', null],
    ['2026-11-20T18:42:07', null],
    ['2026-02-29T12:00:00Z', null],
    ['2026-11-31T12:00:00Z', null],
    ['2026-11-20T24:00:00Z', null],
    ['2026-13-01T00:00:00Z', null],
    ['Nov 20, 2026', null],
    ['', null],
    [null, null],
  ])('%s → %s', (value, iso) => {
    expect(isoFromDatetime(value)).toBe(iso);
  });
});
