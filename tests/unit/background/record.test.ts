// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { browserFromUserAgent } from '../../../src/background/environment';
import {
  buildPageCapture,
  buildPostCapture,
  hashArtifacts,
  localIsoWithOffset,
  withResolvedTime,
} from '../../../src/background/record';
import { DEFAULT_SETTINGS } from '../../../src/background/settings';

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
    const [ref] = await hashArtifacts(
      [{ name: 'post.html', blob: new Blob(['abc'], { type: 'text/html' }) }],
      () => new Date(0),
    );
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
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.73 Safari/537.36',
      'Chromium-based 156.0.8078.73',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      'Edge 131.0.0.0',
    ],
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
    expect(withResolvedTime({ raw: 'sometime', iso: null }, capturedAt, 'Europe/London')).toEqual({
      raw: 'sometime',
      iso: null,
    });
    expect(withResolvedTime({ raw: null, iso: null }, capturedAt, 'Europe/London')).toEqual({ raw: null, iso: null });
  });
});

describe('buildPostCapture and buildPageCapture', () => {
  const provenance = {
    id: 'c1',
    capturedAt: new Date('2026-11-23T14:00:00.000Z'),
    timeZone: 'Europe/London',
    settings: { ...DEFAULT_SETTINGS, capturedBy: 'Volunteer A', onBehalfOf: 'Priya Natarajan', activeCaseId: 'case-1' },
    environment: { browser: 'Chromium-based 156', os: 'Linux', extensionVersion: '0.1.0' },
    artifacts: [],
    missing: [],
    pending: [],
  };
  const located = {
    post: {
      platform: 'x' as const,
      permalink: null,
      postId: '1',
      author: { displayName: 'Gary Thornbury', handle: 'gazt1977', profileUrl: 'https://x.com/gazt1977' },
      text: 'we know where you live',
      shownTime: { raw: '2:15 PM', iso: null },
      mediaUrls: [],
      isReply: false,
      replyToUrl: null,
      quotedPostUrl: null,
    },
    rect: { x: 0, y: 0, width: 10, height: 10 },
    viewport: { width: 100, height: 100 },
    devicePixelRatio: 1,
    postHtml: '<div></div>',
    pageUrl: 'https://x.com/messages/1-2',
    pageTitle: 'Messages',
    selectedText: null,
    token: 't',
    reading: {
      adapter: 'x' as const,
      version: 3,
      fields: {
        author: 'User-Name',
        handle: 'User-Name',
        text: 'tweetText',
        shownTime: 'time',
        permalink: 'not found',
      },
      unread: ['permalink' as const],
    },
  };

  it('a post with a conversation is a message, and keeps the conversation', () => {
    const conversation = { title: 'Gary Thornbury', url: 'https://x.com/messages/1-2', participants: ['@gazt1977'] };
    const capture = buildPostCapture({
      ...provenance,
      located: { ...located, post: { ...located.post, conversation } },
    });
    expect(capture.kind).toBe('message');
    expect(capture.conversation).toEqual(conversation);
    expect(capture).not.toHaveProperty('selectedText');
  });

  it('a post keeps the text the user had selected, and has no conversation', () => {
    const capture = buildPostCapture({ ...provenance, located: { ...located, selectedText: 'where you live' } });
    expect(capture.kind).toBe('post');
    expect(capture.selectedText).toBe('where you live');
    // metadata.json is the stored record, so the adapter block travels with it.
    expect(capture.adapter).toEqual(located.reading);
    expect(capture).not.toHaveProperty('conversation');
  });

  it('a whole page has no author or post fields, its address as permalink, and who captured it when', () => {
    const capture = buildPageCapture({
      ...provenance,
      platform: 'generic',
      url: 'https://www.holbeck-gazette.example/news/1',
      pageTitle: 'Office opening',
      selectedText: null,
      devicePixelRatio: 2,
    });
    expect(capture).toMatchObject({
      kind: 'page',
      platform: 'generic',
      permalink: 'https://www.holbeck-gazette.example/news/1',
      author: { displayName: null, handle: null, profileUrl: null },
      text: null,
      shownTime: { raw: null, iso: null },
      postRect: null,
      devicePixelRatio: 2,
      capturedAt: '2026-11-23T14:00:00.000Z',
      capturedBy: 'Volunteer A',
      onBehalfOf: 'Priya Natarajan',
      caseId: 'case-1',
    });
    expect(capture).not.toHaveProperty('selectedText');
  });
});
