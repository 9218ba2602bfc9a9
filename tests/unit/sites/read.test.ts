import { describe, expect, it } from 'vitest';
import { hasProse } from '../../../src/sites/dom';
import { NOT_FOUND, readFirst, sourcesOf, unreadFields, unreadWarning } from '../../../src/sites/read';
import { adapters } from '../../../src/sites';
import { blankPost, documentAt } from './fixture-pages';

describe('readFirst', () => {
  it('keeps the first strategy that finds a value, and names it', () => {
    const tried: string[] = [];
    const found = readFirst([
      ['testid', () => (tried.push('testid'), null)],
      ['aria-label', () => (tried.push('aria-label'), '')],
      ['time[datetime]', () => (tried.push('time'), '2h')],
      ['structure', () => (tried.push('structure'), 'never reached')],
    ]);
    expect(found).toEqual({ value: '2h', via: 'time[datetime]' });
    expect(tried).toEqual(['testid', 'aria-label', 'time']);
  });

  it('says "not found" when no strategy finds anything', () => {
    expect(readFirst<string>([['testid', () => undefined]])).toEqual({ value: null, via: NOT_FOUND });
    expect(readFirst<string>([])).toEqual({ value: null, via: NOT_FOUND });
  });
});

describe('sourcesOf', () => {
  it('records a strategy only for fields the post carries, and "not found" for the rest', () => {
    const post = { ...blankPost('x'), text: 'hello', author: { displayName: 'Gary', handle: null, profileUrl: null } };
    expect(sourcesOf(post, { text: 'tweetText', handle: 'User-Name link' }, 'markup')).toEqual({
      author: 'markup',
      // A strategy given for a field the post lacks is not believed.
      handle: NOT_FOUND,
      text: 'tweetText',
      shownTime: NOT_FOUND,
      permalink: NOT_FOUND,
    });
  });
});

describe('unreadFields and unreadWarning', () => {
  const whole = {
    ...blankPost('x'),
    permalink: 'https://x.com/a/status/1',
    author: { displayName: null, handle: 'a', profileUrl: null },
    text: 'hi',
    shownTime: { raw: '2h', iso: null },
  };

  it('finds nothing missing in a whole reading; a handle alone is an author', () => {
    expect(unreadFields(whole, { elementHasText: true, permalinkExpected: true })).toEqual([]);
  });

  it('names the author and time when neither was read, and text only where the element shows words', () => {
    const blank = blankPost('linkedin');
    expect(unreadFields(blank, { elementHasText: false, permalinkExpected: false })).toEqual(['author', 'shownTime']);
    expect(unreadFields(blank, { elementHasText: true, permalinkExpected: true })).toEqual([
      'author',
      'text',
      'shownTime',
      'permalink',
    ]);
  });

  it('says in plain words what could not be read and what to do', () => {
    expect(unreadWarning([])).toBeNull();
    expect(unreadWarning(['author'])).toBe(
      'The author could not be read from this page. The screenshot is saved: check it, or use Pick element.',
    );
    expect(unreadWarning(['author', 'text', 'shownTime'])).toBe(
      'The author, text and time could not be read from this page. The screenshot is saved: check it, or use Pick element.',
    );
  });
});

describe('hasProse', () => {
  const at = (html: string) =>
    documentAt(`<div id="p">${html}</div>`, new URL('https://example.com/')).getElementById('p')!;

  it('sees a run of five words outside links, buttons and times', () => {
    expect(hasProse(at('<a href="/gary">Gary Thornbury</a><span>we know where you live</span>'))).toBe(true);
  });

  it("does not take names, counts, button labels or times for a post's words", () => {
    expect(
      hasProse(
        at(
          '<a href="/gary">Gary Thornbury and his many many friends</a><button>Like this post now please</button><time>about two hours ago now</time><span>12 comments</span>',
        ),
      ),
    ).toBe(false);
  });
});

describe('every adapter', () => {
  it('declares a version, and reads posts with a strategy record', () => {
    for (const adapter of adapters) {
      expect(Number.isInteger(adapter.version) && adapter.version > 0, adapter.platform).toBe(true);
      expect(typeof adapter.readPost).toBe('function');
    }
  });
});
