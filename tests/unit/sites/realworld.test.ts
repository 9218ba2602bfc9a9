// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  belowTarget,
  formatRealTable,
  matchItems,
  measureRealPages,
  realExpectations,
  realworldUnavailable,
} from '../../harness/realworld';
import { blankPost } from './fixture-pages';

const unavailable = realworldUnavailable();
if (unavailable) console.log(`real-page checks skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('real saved pages (npm run fields:real)', () => {
  it('every platform finds at least 95% of the items and reads at least 95% of the fields', async () => {
    const results = await measureRealPages(await realExpectations());
    console.log(formatRealTable(results));
    expect(results.length).toBeGreaterThan(0);
    expect(belowTarget(results)).toEqual([]);
  }, 120_000);
});

describe('matchItems', () => {
  const post = (text: string | null, permalink: string | null, name: string | null = null) => ({
    ...blankPost('linkedin'),
    text,
    permalink,
    author: { displayName: name, handle: null, profileUrl: null },
  });

  it('pairs by permalink wherever the expectation has one, whatever the order', () => {
    const a = post('a', 'https://x.com/a/status/1');
    const b = post('b', 'https://x.com/a/status/2');
    expect(matchItems([a, b], [b, a])).toEqual([a, b]);
  });

  it('without a permalink pairs by position when the words agree, else by text and author; a missing item is null', () => {
    const a = post('same words', null, 'Ann');
    const b = post('other words', null, 'Gary');
    const c = post(null, null, 'Lee');
    expect(matchItems([a, b, c], [b, a, post(null, null, 'Lee')])).toEqual([a, b, c]);
    expect(matchItems([a, b], [a])).toEqual([a, null]);
  });

  it('never pairs one read item with two expected ones', () => {
    const a = post('dup', null, 'Ann');
    expect(matchItems([a, a], [a])).toEqual([a, null]);
  });
});
