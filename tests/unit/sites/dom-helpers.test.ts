import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { isoFromEpochSeconds, noticeText, ownElements, uniqueUrls } from '../../../src/sites/dom';

describe('isoFromEpochSeconds', () => {
  it.each([
    [1763716320, '2025-11-21T09:12:00.000Z'],
    ['1589331678', '2020-05-13T01:01:18.000Z'],
    [' 1589331678 ', '2020-05-13T01:01:18.000Z'],
    [1589331678000, null], // milliseconds, not seconds
    ['12', null],
    ['1589331678.5', null],
    [null, null],
    [undefined, null],
    [{}, null],
  ])('%s → %s', (value, iso) => {
    expect(isoFromEpochSeconds(value)).toBe(iso);
  });
});

describe('uniqueUrls', () => {
  it('resolves, filters, and keeps the first of each URL in order', () => {
    expect(
      uniqueUrls(['/a.jpg', null, 'https://cdn.example/b.jpg', 'blob:https://x/1', 'https://site.example/a.jpg'], 'https://site.example/p', (url) =>
        url.hostname !== 'evil.example',
      ),
    ).toEqual(['https://site.example/a.jpg', 'https://cdn.example/b.jpg']);
  });
});

describe('ownElements and noticeText', () => {
  const doc = new JSDOM(
    `<main><p>Account suspended</p><div class="item" id="a"><span>a</span><div class="item" id="b"><span>b</span><p>She’s gone</p></div></div></main>`,
  ).window.document;

  it('ownElements skips what belongs to a nested item', () => {
    const outer = doc.getElementById('a') as Element;
    expect(ownElements(outer, 'span', '.item').map((el) => el.textContent)).toEqual(['a']);
  });

  it('noticeText reads the page outside its items, lower-cased with plain apostrophes', () => {
    expect(noticeText(doc, '.item')).toBe('account suspended');
    expect(noticeText(doc, '.none')).toContain("she's gone");
    // The document itself is untouched.
    expect(doc.getElementById('b')).not.toBeNull();
  });
});
