import { describe, expect, it } from 'vitest';
import { resolveShownTime } from '../../../src/sites/relative-time';

// A Monday afternoon in London (GMT in November), so local and UTC coincide except where a test says otherwise.
const CAPTURED = new Date('2026-11-23T14:00:00.000Z');

describe('resolveShownTime', () => {
  it.each([
    ['Just now', '2026-11-23T14:00:00.000Z', /taken as the capture time 2026-11-23T14:00:00.000Z/],
    ['now', '2026-11-23T14:00:00.000Z', /accurate to about a minute/],
    ['45s', '2026-11-23T13:59:15.000Z', /45 seconds earlier/],
    ['1m', '2026-11-23T13:59:00.000Z', /1 minute earlier; accurate to the minute/],
    ['5 min', '2026-11-23T13:55:00.000Z', /5 minutes earlier/],
    [
      '2h',
      '2026-11-23T12:00:00.000Z',
      /^relative '2h' resolved against capture time 2026-11-23T14:00:00.000Z: 2 hours earlier; accurate to the hour$/,
    ],
    ['12 h', '2026-11-23T02:00:00.000Z', /12 hours earlier/],
    ['3 hr. ago', '2026-11-23T11:00:00.000Z', /3 hours earlier/],
    ['an hour ago', '2026-11-23T13:00:00.000Z', /1 hour earlier/],
    ['3d', '2026-11-20T14:00:00.000Z', /3 days earlier; accurate to the day/],
    ['3 days ago', '2026-11-20T14:00:00.000Z', /3 days earlier/],
    ['2 wk', '2026-11-09T14:00:00.000Z', /2 weeks earlier; accurate to the week/],
    ['1 month ago', '2026-10-23T14:00:00.000Z', /1 calendar month earlier; accurate only to the month/],
    ['1y', '2025-11-23T14:00:00.000Z', /1 calendar year earlier; accurate only to the year/],
    ['2 years ago (edited)', '2024-11-23T14:00:00.000Z', /2 calendar years earlier/],
    [
      'Yesterday at 14:05',
      '2026-11-22T14:05:00.000Z',
      /read as yesterday .*local 2026-11-22 14:05 in Europe\/London; accurate to the minute/,
    ],
    ['Yesterday at 2:05 PM', '2026-11-22T14:05:00.000Z', /local 2026-11-22 14:05/],
    ['Yesterday', '2026-11-22T00:00:00.000Z', /accurate to the day \(no time of day shown/],
    ['Today at 9:30 AM', '2026-11-23T09:30:00.000Z', /read as today/],
    ['Mon', '2026-11-16T00:00:00.000Z', /the last Mon before the capture date/],
    ['Friday at 18:30', '2026-11-20T18:30:00.000Z', /local 2026-11-20 18:30/],
    ['Nov 20', '2026-11-20T00:00:00.000Z', /read as a local date in 2026/],
    ['Dec 24', '2025-12-24T00:00:00.000Z', /in 2025, the latest year that puts it on or before the capture date/],
    [
      '20 Nov 2025',
      '2025-11-20T00:00:00.000Z',
      /^'20 Nov 2025' read as a local date: local 2025-11-20 in Europe\/London/,
    ],
    ['November 20, 2026 at 6:42 PM', '2026-11-20T18:42:00.000Z', /accurate to the minute/],
    ['6:42 PM · Nov 20, 2026', '2026-11-20T18:42:00.000Z', /local 2026-11-20 18:42/],
    ['2026-11-20', '2026-11-20T00:00:00.000Z', /local 2026-11-20/],
    ['11-20', '2026-11-20T00:00:00.000Z', /in 2026/],
    ['20/11/2025', '2025-11-20T00:00:00.000Z', /local 2025-11-20/],
  ])('%s → %s', (raw, iso, rule) => {
    const resolved = resolveShownTime(raw, CAPTURED, 'en-GB', 'Europe/London');
    expect(resolved.iso).toBe(iso);
    expect(resolved.rule).toMatch(rule);
  });

  it.each([
    '',
    '   ',
    'garbage',
    'hello world',
    '5 parsecs',
    'Feb 30',
    '32 Nov 2025',
    'Yesterday at 25:00',
    '13/13/2025',
    '99h later',
  ])('%j → null', (raw) => {
    expect(resolveShownTime(raw, CAPTURED, 'en-GB', 'Europe/London')).toEqual({ iso: null, rule: null });
  });

  it('reads local times in the given time zone, across summer time', () => {
    const summer = new Date('2026-07-01T12:00:00.000Z');
    expect(resolveShownTime('Yesterday at 14:05', summer, 'en-GB', 'Europe/London').iso).toBe(
      '2026-06-30T13:05:00.000Z',
    );
    expect(resolveShownTime('Yesterday at 14:05', summer, 'en-US', 'America/New_York').iso).toBe(
      '2026-06-30T18:05:00.000Z',
    );
  });

  it('takes "yesterday" from the local date, not the UTC date', () => {
    // 01:30 on 24 Nov in Auckland is still 23 Nov in UTC.
    const captured = new Date('2026-11-23T12:30:00.000Z');
    expect(resolveShownTime('Yesterday', captured, 'en-NZ', 'Pacific/Auckland').iso).toBe('2026-11-22T11:00:00.000Z');
  });

  it('reads all-number dates month first only in en-US', () => {
    expect(resolveShownTime('1/2/2026', CAPTURED, 'en-US', 'UTC').iso).toBe('2026-01-02T00:00:00.000Z');
    expect(resolveShownTime('1/2/2026', CAPTURED, 'en-GB', 'UTC').iso).toBe('2026-02-01T00:00:00.000Z');
  });

  it('relative times do not depend on the time zone', () => {
    expect(resolveShownTime('2h', CAPTURED, 'en-US', 'America/Los_Angeles').iso).toBe('2026-11-23T12:00:00.000Z');
  });

  it('gives null for an invalid capture time or time zone', () => {
    expect(resolveShownTime('2h', new Date('nonsense'))).toEqual({ iso: null, rule: null });
    expect(resolveShownTime('Nov 20', CAPTURED, 'en-GB', 'Not/AZone')).toEqual({ iso: null, rule: null });
  });
});
