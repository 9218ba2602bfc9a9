import { describe, expect, it } from 'vitest';
import {
  captureBuckets,
  localTime,
  renderReport,
  REPORT_CSP,
  type ReportCapture,
  type ReportInput,
} from '../../../src/bundle/report';
import { standInFor } from '../../../src/evidence/custody-chain';
import type { Capture } from '../../../src/evidence/model';
import { makeCapture, makeCustodyLog } from '../factories';
import { reportCapture, reportInputFor } from './report-input';

const HASH = (c: string) => c.repeat(64);
const HOSTILE = `<script>document.title='PWNED'</script><img src=x onerror="document.title='PWNED'">`;

function item(capture: Capture, folder: string, overrides: Partial<ReportCapture> = {}): ReportCapture {
  return reportCapture({
    capture,
    folder,
    files: [
      { name: capture.kind === 'profile' ? 'viewport.png' : 'post.png', bytes: 1234, sha256: HASH('a') },
      { name: 'metadata.json', bytes: 99, sha256: HASH('b') },
    ],
    missing: [],
    omitted: [],
    ...overrides,
  });
}

const post = makeCapture({ id: 'p1' });
const profile = makeCapture({
  id: 'pr1',
  kind: 'profile',
  parentId: 'p1',
  url: 'https://x.com/GazT_1977',
  permalink: null,
  text: null,
  capturedAt: '2026-11-20T18:42:09.001Z',
  profile: {
    platform: 'x',
    displayName: 'Gaz T',
    handle: 'GazT_1977',
    profileUrl: 'https://x.com/GazT_1977',
    bio: 'Local lad',
    followersShown: '1.2K',
    followingShown: '310',
    postsShown: null,
    joinedShown: 'Joined March 2019',
    accountId: '123456789',
    verified: false,
    state: 'public',
  },
});
const hostile = makeCapture({
  id: 'p2',
  author: { displayName: HOSTILE, handle: `x"><script>alert(1)</script>`, profileUrl: 'javascript:alert(1)' },
  text: HOSTILE,
  permalink: `https://x.com/i/status/1?q="><script>alert(1)</script>`,
  shownTime: { raw: `<b>2h</b>`, iso: null },
  capturedAt: '2026-11-23T09:00:00.000Z',
  capturedAtLocal: '2026-11-23T09:00:00.000+00:00',
});

const POST = 'captures/0001-x-GazT_1977-20261120T184207Z';
const SECOND = 'captures/0002-x-x-script-alert-1-script-20261123T090000Z';

async function input(overrides: Partial<ReportInput> = {}): Promise<ReportInput> {
  const log = await makeCustodyLog([
    { action: 'captured', captureId: 'p1', detail: { kind: 'post' } },
    { action: 'captured', captureId: 'pr1', detail: { kind: 'profile' } },
    { action: 'noted', captureId: 'elsewhere', detail: { note: 'another case' } },
    { action: 'noted', captureId: 'elsewhere', detail: { note: 'another case' } },
    { action: 'captured', captureId: 'p2', detail: { kind: 'post' } },
    { action: 'noted', actor: 'Staffer B', captureId: 'p2', detail: { note: HOSTILE } },
  ]);
  return reportInputFor({
    caseName: `Case <b>one</b>`,
    onBehalfOf: 'Cllr Jane Example',
    exportedBy: 'Staffer B',
    exportedAt: '2026-11-24T10:15:30.456Z',
    tool: { name: 'Witness Box', version: '0.1.0', browser: 'Chrome 156', os: 'Linux' },
    profile: 'police',
    captures: [
      item(post, POST, { exhibit: 'VA1' }),
      item(profile, `${POST}/profile`, { exhibit: 'VA2' }),
      item(hostile, SECOND, {
        exhibit: 'VA3',
        missing: [{ name: 'page.mhtml', reason: 'the page archive could not be read' }],
      }),
    ],
    custody: log.map((e) => (e.captureId === 'elsewhere' ? standInFor(e) : e)),
    ...overrides,
  });
}

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

/** Text as a reader sees it: table cells, paragraphs and list items apart, inline elements run together. */
function textOf(doc: Document, selector: string): string {
  const el = doc.querySelector(selector)?.cloneNode(true) as Element | undefined;
  if (!el) return '';
  for (const block of el.querySelectorAll('th, td, p, li, caption, h3')) block.append(' ');
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('renderReport', () => {
  it('carries a strict CSP and no script, event handler or foreign resource, even with hostile captured text', async () => {
    const html = renderReport(await input());
    const doc = parse(html);
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toBe(REPORT_CSP);
    expect(REPORT_CSP).toMatch(/default-src 'none'/);
    expect(REPORT_CSP).not.toMatch(/script-src/);
    expect(
      doc.querySelectorAll('script, iframe, object, embed, form, base, link, meta[http-equiv="refresh"]'),
    ).toHaveLength(0);
    for (const el of doc.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) expect(attr, `${el.tagName} ${attr}`).not.toMatch(/^on/i);
    }
    // Links go out only over http(s), or to an exhibit in the report itself.
    for (const a of doc.querySelectorAll('a')) expect(a.getAttribute('href')).toMatch(/^(https?:\/\/|#capture-\d+$)/);
    for (const img of doc.querySelectorAll('img'))
      expect(img.getAttribute('src')).toMatch(/^captures\/[A-Za-z0-9._/-]+\.png$/);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    // Its own markup is never escaped twice (a plain template literal nested in html`` would be).
    expect(html).not.toMatch(/&lt;(a|span|code|bdi|strong|br|td|tr)[ >]/);
  });

  it('shows hostile captured text as the very text captured', async () => {
    const doc = parse(renderReport(await input()));
    const second = doc.querySelector('#capture-3');
    expect(second?.querySelector('blockquote.text')?.textContent).toBe(HOSTILE);
    expect(second?.textContent).toContain(`@x"><script>alert(1)</script>`);
    expect(second?.textContent).toContain('“<b>2h</b>”');
    expect(doc.title).toBe('Evidence report: Case <b>one</b>');
  });

  it('never links a URL that is not http(s), but still shows it', async () => {
    const doc = parse(renderReport(await input()));
    const second = doc.querySelector('#capture-3');
    expect(second?.textContent).toContain('javascript:alert(1)');
    expect([...(second?.querySelectorAll('a') ?? [])].map((a) => a.getAttribute('href'))).not.toContain(
      'javascript:alert(1)',
    );
  });

  it('covers the case, who it is for, who exported it and when, and how', async () => {
    const doc = parse(renderReport(await input()));
    const cover = textOf(doc, 'header.cover');
    for (const expected of [
      'Case <b>one</b>',
      'On behalf of Cllr Jane Example',
      'Exported by Staffer B',
      '2026-11-24 10:15:30 UTC 2026-11-24T10:15:30.456Z',
      'Police (everything captured, with the custody log)',
      'Witness Box 0.1.0, Chrome 156, Linux',
      'Exhibits 3 exhibits: 2 posts and comments, 1 profile page',
      'Period covered 2026-11-20 18:42:07 UTC to 2026-11-23 09:00:00 UTC',
      'Produced by Volunteer A',
      'Signing key this bundle is not signed',
    ]) {
      expect(cover).toContain(expected);
    }
  });

  it('counts captures per platform and per author, and charts them per day', async () => {
    const doc = parse(renderReport(await input()));
    expect(textOf(doc, '#per-platform tbody')).toBe('X (formerly Twitter) 2 1 3');
    const authors = [...doc.querySelectorAll('#per-author tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(authors).toEqual([
      ['Gaz T', '@GazT_1977', 'X (formerly Twitter)', '1', '2026-11-20'],
      [HOSTILE, `@x"><script>alert(1)</script>`, 'X (formerly Twitter)', '1', '2026-11-23'],
    ]);
    const bars = [...doc.querySelectorAll('#per-day g title')].map((t) => t.textContent);
    expect(bars).toEqual([
      '1 capture on 2026-11-20',
      '0 captures on 2026-11-21',
      '0 captures on 2026-11-22',
      '1 capture on 2026-11-23',
    ]);
  });

  it('gives each capture its screenshot, people, links, both clocks, how it was made and every hash', async () => {
    const doc = parse(renderReport(await input()));
    const first = doc.querySelector('#capture-1');
    expect(first?.querySelector('h2')?.textContent).toBe(
      'Exhibit VA1 Post by Gaz T (@GazT_1977) on X (formerly Twitter)',
    );
    expect(first?.querySelector('figure.shot img')?.getAttribute('src')).toBe(`${POST}/post.png`);
    const fields = Object.fromEntries(
      [...(first?.querySelectorAll('table.fields tr') ?? [])].map((tr) => [
        tr.querySelector('th')?.textContent,
        tr.querySelector('td')?.textContent?.replace(/\s+/g, ' '),
      ]),
    );
    expect(fields).toMatchObject({
      'Exhibit reference': 'VA1',
      Author: 'Gaz T',
      Handle: '@GazT_1977',
      'Profile URL': 'https://x.com/GazT_1977',
      Permalink: 'https://x.com/GazT_1977/status/1858912345678901234',
      'Shown time': "“6:41 PM · Nov 20, 2026” 2026-11-20T18:41:00.000Z the platform's clock, as displayed; not checked",
      'Captured at (UTC)': '2026-11-20 18:42:07 UTC 2026-11-20T18:42:07.123Z',
      'Captured at (local)': "2026-11-20 18:42:07 Europe/London (UTC+00:00) this computer's clock",
      'Captured by': 'Volunteer A',
      'On behalf of': 'Cllr Jane Example',
      'How it was captured': 'Witness Box 0.1.0 in Chrome 156 on Linux',
      'Capture id': 'p1',
    });
    const hashes = [...(first?.querySelectorAll(':scope > table.files tbody tr') ?? [])].map((tr) =>
      tr.textContent?.replace(/\s+/g, ' '),
    );
    expect(hashes).toEqual([`post.png1,234${HASH('a')}`, `metadata.json99${HASH('b')}`]);
  });

  it("gives the author's profile capture its own exhibit, with what the profile showed, linked both ways", async () => {
    const doc = parse(renderReport(await input()));
    const box = doc.querySelector('#capture-2');
    expect(box?.querySelector('h2')?.textContent).toBe(
      'Exhibit VA2 Profile page by Gaz T (@GazT_1977) on X (formerly Twitter)',
    );
    expect(textOf(doc, '#capture-2 .related')).toBe("Captured as the author's profile page for exhibit VA1.");
    expect(textOf(doc, '#capture-1 .related')).toBe("The author's profile page: exhibit VA2.");
    const info = textOf(doc, '#capture-2 .profile-info');
    for (const expected of [
      'public: anyone could see it',
      'Followers 1.2K',
      'Following 310',
      'Joined March 2019',
      'Account id 123456789',
      'Verified badge not shown',
    ]) {
      expect(info).toContain(expected);
    }
    expect(info).not.toContain('Posts');
    expect(box?.querySelector('img')?.getAttribute('src')).toBe(`${POST}/profile/viewport.png`);
    expect(doc.querySelectorAll('section.capture')).toHaveLength(3);
  });

  it('says which artifacts are missing and why', async () => {
    const doc = parse(renderReport(await input()));
    expect(textOf(doc, '#capture-3 .missing')).toBe('Not captured: page.mhtml: the page archive could not be read');
  });

  it('tells the custody log in sentences, folding withheld events into one, and lists the hash chain apart', async () => {
    const base = await input();
    const doc = parse(renderReport(base));
    const items = [...doc.querySelectorAll('#custody li')].map((li) => li.textContent?.replace(/\s+/g, ' '));
    expect(items.map((t) => t?.split(' ')[0])).toEqual(['1.', '2.', '3–4.', '5.', '6.']);
    expect(items[0]).toMatch(
      /^1\. \d+ \w{3} 2026 \d\d:\d\d:\d\d GMT — Volunteer A captured VA1: post by @GazT_1977 on X \(formerly Twitter\), 0 files\.$/,
    );
    expect(items[2]).toMatch(/These 2 events concern other captures .* withheld/);
    expect(textOf(doc, '#custody')).toContain(HOSTILE);
    const chain = [...doc.querySelectorAll('#hash-chain tbody tr')].map((tr) => tr.textContent);
    expect(chain).toHaveLength(6);
    for (const [i, entry] of base.custody.entries()) expect(chain[i]).toContain(entry.hash);
    expect(textOf(doc, '#hash-chain')).toMatch(
      /2 events concern other captures .* their own fingerprints cannot be recomputed/,
    );
  });

  it('in a platform-report bundle, leaves out the custody log and says what was left out', async () => {
    const base = await input();
    const doc = parse(
      renderReport({
        ...base,
        profile: 'platform',
        custody: [],
        captures: base.captures.map((c) => ({ ...c, omitted: ['page.mhtml', 'post.html'] })),
      }),
    );
    expect(doc.querySelector('#custody')).toBeNull();
    expect(textOf(doc, '#capture-1 .omitted')).toBe(
      'Left out of this platform-report bundle (in the police bundle): page.mhtml, post.html.',
    );
    expect(textOf(doc, 'header.cover')).toContain('Platform report');
  });

  it('ends with where to report: 999, 101 and the platforms in the bundle', async () => {
    const doc = parse(renderReport(await input()));
    const where = textOf(doc, '#where-to-report');
    expect(where).toMatch(/immediate danger, call the police on 999/);
    expect(where).toMatch(/101/);
    expect(where).toContain('X (formerly Twitter)');
    expect(where).not.toContain('TikTok');
  });

  it('a direct message names its conversation; selected text is shown apart from the text read', async () => {
    const message = makeCapture({
      id: 'm1',
      kind: 'message',
      conversation: { title: `Gary <i>Thornbury</i>`, url: 'https://x.com/messages/1-2', participants: ['@gazt1977'] },
      selectedText: 'we know where you live',
    });
    const doc = parse(renderReport(await input({ captures: [item(message, 'captures/0001-x-m')] })));
    expect(textOf(doc, '#capture-1 h2')).toMatch(/^Exhibit 0001 Message by/);
    expect(textOf(doc, '#capture-1 .fields')).toContain('Conversation Gary <i>Thornbury</i> with @gazt1977');
    expect([...doc.querySelectorAll('#capture-1 .fields a')].map((a) => a.getAttribute('href'))).toContain(
      'https://x.com/messages/1-2',
    );
    expect(doc.querySelector('#capture-1 i')).toBeNull();
    expect(textOf(doc, '#capture-1')).toContain('Text the capturer had selected we know where you live');
  });

  it('a whole page shows the page top to bottom, and no shown time or second window screenshot', async () => {
    const page = makeCapture({
      id: 'w1',
      kind: 'page',
      platform: 'generic',
      author: { displayName: null, handle: null, profileUrl: null },
      text: null,
    });
    const files = [
      { name: 'viewport.png', bytes: 1, sha256: HASH('a') },
      { name: 'fullpage.png', bytes: 2, sha256: HASH('c') },
      { name: 'page.mhtml', bytes: 3, sha256: HASH('d') },
    ];
    const doc = parse(renderReport(await input({ captures: [item(page, 'captures/0001-page', { files })] })));
    const images = [...doc.querySelectorAll('#capture-1 img')].map((img) => img.getAttribute('src'));
    expect(images).toEqual(['captures/0001-page/fullpage.png']);
    expect(textOf(doc, '#capture-1')).toContain('The page as it appeared on screen, top to bottom');
    expect(textOf(doc, '#capture-1 .fields')).not.toContain('Shown time');
  });

  it('asks for a page per capture when printed', async () => {
    const html = renderReport(await input());
    expect(html).toMatch(/@media print \{[\s\S]*section\.capture[^{]*\{ break-before: page; \}/);
    expect(html).toMatch(/table\.fields[^{]*\{ break-inside: avoid; \}/);
    expect(html).toMatch(/@page \{ size: A4;/);
  });
});

describe('captureBuckets', () => {
  it('has a bar for every day from the first capture to the last, empty days included', () => {
    expect(captureBuckets(['2026-11-22T23:59:59Z', '2026-11-20T00:00:00Z', '2026-11-22T00:00:01Z'])).toEqual({
      unit: 'day',
      buckets: [
        { start: '2026-11-20', count: 1 },
        { start: '2026-11-21', count: 0 },
        { start: '2026-11-22', count: 2 },
      ],
    });
  });

  it('counts per week (from Monday) when the span is too long for daily bars', () => {
    const result = captureBuckets(['2026-01-01T12:00:00Z', '2026-01-04T12:00:00Z', '2026-06-30T12:00:00Z']);
    expect(result.unit).toBe('week');
    expect(result.buckets[0]).toEqual({ start: '2025-12-29', count: 2 }); // Monday of the week of Thursday 1 January
    expect(result.buckets.at(-1)).toEqual({ start: '2026-06-29', count: 1 });
    expect(result.buckets.every((b) => new Date(`${b.start}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
  });

  it('is empty for no captures, and ignores times that are not times', () => {
    expect(captureBuckets([])).toEqual({ unit: 'day', buckets: [] });
    expect(captureBuckets(['junk']).buckets).toEqual([]);
  });
});

describe('localTime', () => {
  it('shows the recorded wall-clock time with its zone and offset', () => {
    expect(localTime('2026-07-01T19:42:07.123+01:00', 'Europe/London')).toBe(
      '2026-07-01 19:42:07 Europe/London (UTC+01:00)',
    );
    expect(localTime('2026-07-01T18:42:07Z', 'UTC')).toBe('2026-07-01 18:42:07 UTC (UTC+00:00)');
    expect(localTime('garbled', 'Europe/London')).toBe('garbled Europe/London');
  });
});
