import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import {
  isoFromEpochSeconds,
  noticeText,
  ownElements,
  previousSiblingWhere,
  timeUnderDay,
  uniqueUrls,
} from '../../../src/sites/dom';

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
      uniqueUrls(
        ['/a.jpg', null, 'https://cdn.example/b.jpg', 'blob:https://x/1', 'https://site.example/a.jpg'],
        'https://site.example/p',
        (url) => url.hostname !== 'evil.example',
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

describe('timeUnderDay', () => {
  it.each([
    ['14:05', 'Today', 'Today at 14:05'],
    ['2:05 PM', 'Today at 1:58 PM', 'Today at 2:05 PM'],
    ['22:45', 'Friday 22:41', 'Friday at 22:45'],
    ['14:05', '20/11/2026', '20/11/2026 at 14:05'],
    ['14:05', '20 Nov 2026, 14:02', '20 Nov 2026 at 14:05'],
    // A separator that is itself only a time of day names no day.
    ['14:05', '14:02', '14:05'],
    // A fuller own time is what the page showed for this message.
    ['Friday 22:41', 'Today', 'Friday 22:41'],
    ['14:05', null, '14:05'],
    [null, 'Yesterday at 09:10', 'Yesterday at 09:10'],
    [null, null, null],
  ])('%s under %s → %s', (time, separator, shown) => {
    expect(timeUnderDay(time, separator)).toBe(shown);
  });
});

describe('previousSiblingWhere', () => {
  it('finds the nearest earlier sibling that matches, skipping others', () => {
    const doc = new JSDOM(
      `<ul><li class="day">Mon</li><li class="day">Tue</li><li id="m1">a</li><li id="m2">b</li></ul>`,
    ).window.document;
    const m2 = doc.getElementById('m2') as Element;
    expect(previousSiblingWhere(m2, (el) => el.classList.contains('day'))?.textContent).toBe('Tue');
    expect(previousSiblingWhere(m2, (el) => el.id === 'nothing')).toBeNull();
  });
});
