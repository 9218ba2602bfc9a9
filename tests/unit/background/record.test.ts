// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { browserFromUserAgent } from '../../../src/background/environment';
import { hashArtifacts, localIsoWithOffset, withResolvedTime } from '../../../src/background/record';

describe('localIsoWithOffset', () => {
  const instant = new Date('2026-11-20T18:42:07.123Z');
  it.each([
    [0, '2026-11-20T18:42:07.123+00:00'],
    [60, '2026-11-20T19:42:07.123+01:00'],
    [-300, '2026-11-20T13:42:07.123-05:00'],
    [330, '2026-11-21T00:12:07.123+05:30'],
  ])('offset %i minutes → %s', (offset, expected) => {
    expect(localIsoWithOffset(instant, offset)).toBe(expected);
  });

  it('names the same instant as the UTC time', () => {
    expect(new Date(localIsoWithOffset(instant, 330)).toISOString()).toBe(instant.toISOString());
  });
});

describe('hashArtifacts', () => {
  it('hashes the exact bytes and records size and type', async () => {
    const [ref] = await hashArtifacts([{ name: 'post.html', blob: new Blob(['abc'], { type: 'text/html' }) }], () => new Date(0));
    expect(ref).toEqual({
      name: 'post.html',
      mime: 'text/html',
      bytes: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      hashedAt: '1970-01-01T00:00:00.000Z',
    });
  });
});

describe('browserFromUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.73 Safari/537.36', 'Chromium-based 156.0.8078.73'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge 131.0.0.0'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox 128.0'],
  ])('%s', (ua, expected) => expect(browserFromUserAgent(ua)).toBe(expected));
});

describe('withResolvedTime', () => {
  const capturedAt = new Date('2026-11-23T14:00:00.000Z');

  it('computes an ISO time for a relative time and says how', () => {
    const shown = withResolvedTime({ raw: '2h', iso: null }, capturedAt, 'Europe/London');
    expect(shown.iso).toBe('2026-11-23T12:00:00.000Z');
    expect(shown.rule).toMatch(/2h/);
    expect(shown.rule).toMatch(/2026-11-23T14:00:00.000Z/);
  });

  it("keeps the page's own machine-readable time untouched", () => {
    const shown = { raw: '2h', iso: '2026-11-23T11:58:00.000Z' };
    expect(withResolvedTime(shown, capturedAt, 'Europe/London')).toBe(shown);
  });

  it('leaves text it cannot read as shown, with no ISO time', () => {
    expect(withResolvedTime({ raw: 'sometime', iso: null }, capturedAt, 'Europe/London')).toEqual({ raw: 'sometime', iso: null });
    expect(withResolvedTime({ raw: null, iso: null }, capturedAt, 'Europe/London')).toEqual({ raw: null, iso: null });
  });
});
