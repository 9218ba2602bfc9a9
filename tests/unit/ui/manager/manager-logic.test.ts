import { describe, expect, it } from 'vitest';
import { annotationsOf } from '../../../../src/evidence/annotations';
import { describeEvent, reportStatus } from '../../../../src/ui/manager/annotations';
import { authorGroup } from '../../../../src/ui/manager/authors';
import { capturesPerDay, renderDayChart } from '../../../../src/ui/manager/chart';
import { describeStorage } from '../../../../src/ui/manager/storage';
import { filterFromForm } from '../../../../src/ui/manager/list';
import { displayText, authorText } from '../../../../src/ui/format';
import { safeImage } from '../../../../src/ui/safe-image';
import { formatBytes } from '../../../../src/ui/dom';
import { makeCapture, makeCustodyLog } from '../../factories';

const EMPTY_PROFILE = {
  displayName: null,
  bio: null,
  followersShown: null,
  followingShown: null,
  postsShown: null,
  joinedShown: null,
  verified: null,
  state: 'public' as const,
};

describe('annotationsOf', () => {
  it('folds tags (added and removed), notes, reports and moves in sequence order', async () => {
    const log = await makeCustodyLog([
      { action: 'tagged', captureId: 'c1', detail: { tag: 'threat', op: 'add' } },
      { action: 'tagged', captureId: 'c1', detail: { tag: 'spam', op: 'add' } },
      { action: 'noted', captureId: 'c1', detail: { note: 'first' } },
      { action: 'tagged', captureId: 'c1', detail: { tag: 'spam', op: 'remove' } },
      { action: 'noted', captureId: 'c2', detail: { note: 'other capture' } },
      { action: 'moved', captureId: 'c1', detail: { fromCaseId: 'a', toCaseId: 'b' } },
      {
        action: 'reported',
        captureId: 'c1',
        detail: {
          report: {
            reportId: 'r',
            recipientKind: 'platform',
            recipient: 'X',
            reportedAt: '2026-11-21',
            reference: '',
            outcome: '',
          },
        },
      },
    ]);
    const a = annotationsOf('c1', [...log].reverse());
    expect(a.tags).toEqual(['threat']);
    expect(a.notes.map((n) => n.note)).toEqual(['first']);
    expect(a.moves).toMatchObject([{ fromCaseId: 'a', toCaseId: 'b' }]);
    expect(a.reports.map((r) => r.recipient)).toEqual(['X']);
    expect(reportStatus(a.reports)).toBe('Reported to X');
    expect(reportStatus([])).toBe('Not reported yet');
    expect(describeEvent(log[5]!, (id) => id.toUpperCase())).toBe('Moved to another case: from A to B');
  });
});

describe('authorGroup', () => {
  it('links an account across a handle change through the profile account id', () => {
    const old = makeCapture({
      id: 'p1',
      capturedAt: '2026-11-01T10:00:00.000Z',
      author: { displayName: 'Gaz', handle: 'GazT_1977', profileUrl: null },
    });
    const oldProfile = makeCapture({
      id: 'pr1',
      kind: 'profile',
      parentId: 'p1',
      capturedAt: '2026-11-01T10:00:05.000Z',
      author: { displayName: 'Gaz', handle: 'GazT_1977', profileUrl: null },
      profile: { ...EMPTY_PROFILE, platform: 'x', handle: 'GazT_1977', profileUrl: null, accountId: '512' },
    });
    const renamed = makeCapture({
      id: 'p2',
      capturedAt: '2026-11-05T10:00:00.000Z',
      author: { displayName: 'G', handle: 'NewGaz', profileUrl: null },
    });
    const renamedProfile = makeCapture({
      id: 'pr2',
      kind: 'profile',
      parentId: 'p2',
      capturedAt: '2026-11-05T10:00:05.000Z',
      author: { displayName: 'G', handle: 'NewGaz', profileUrl: null },
      profile: { ...EMPTY_PROFILE, platform: 'x', handle: 'NewGaz', profileUrl: null, accountId: '512' },
    });
    const stranger = makeCapture({ id: 'p3', author: { displayName: 'Lee', handle: 'leem', profileUrl: null } });
    const sameHandleOtherSite = makeCapture({
      id: 'p4',
      platform: 'bluesky',
      author: { displayName: 'Gaz', handle: 'gazt_1977', profileUrl: null },
    });
    const group = authorGroup([old, oldProfile, renamed, renamedProfile, stranger, sameHandleOtherSite], {
      platform: 'x',
      handle: 'gazt_1977',
    });
    expect(group.captures.map((c) => c.id)).toEqual(['pr2', 'p2', 'pr1', 'p1']);
    expect(group).toMatchObject({
      posts: 2,
      profiles: 2,
      firstSeen: '2026-11-01T10:00:00.000Z',
      lastSeen: '2026-11-05T10:00:05.000Z',
      handles: ['GazT_1977', 'NewGaz'],
      accountIds: ['512'],
    });
  });

  it('groups by display name when no handle was shown', () => {
    const a = makeCapture({ id: 'a', author: { displayName: 'Anon', handle: null, profileUrl: null } });
    expect(authorGroup([a], { platform: 'x', handle: null, displayName: 'Anon' }).captures).toHaveLength(1);
    expect(authorGroup([a], { platform: 'x', handle: null, displayName: null }).captures).toHaveLength(0);
  });
});

describe('capturesPerDay and renderDayChart', () => {
  const caps = [
    { capturedAt: '2026-11-01T23:59:00.000Z', platform: 'x' },
    { capturedAt: '2026-11-01T01:00:00.000Z', platform: 'bluesky' },
    { capturedAt: '2026-11-03T10:00:00.000Z', platform: 'x' },
  ];
  it('counts every UTC day from first to last, empty days included, per platform', () => {
    expect(capturesPerDay(caps)).toEqual([
      { day: '2026-11-01', byPlatform: { x: 1, bluesky: 1 }, total: 2 },
      { day: '2026-11-02', byPlatform: {}, total: 0 },
      { day: '2026-11-03', byPlatform: { x: 1 }, total: 1 },
    ]);
    expect(capturesPerDay([])).toEqual([]);
  });

  it('draws stacked SVG bars with a text alternative and a legend', () => {
    const figure = renderDayChart(document, capturesPerDay(caps), (p) => p.toUpperCase());
    expect(figure.querySelector('svg')?.getAttribute('role')).toBe('img');
    expect(figure.querySelector('svg')?.getAttribute('aria-label')).toContain('2026-11-01 to 2026-11-03');
    expect(figure.querySelectorAll('rect')).toHaveLength(3);
    expect(figure.querySelector('g[data-day="2026-11-01"] title')?.textContent).toBe(
      '2026-11-01: 2 captures (1 on BLUESKY, 1 on X)',
    );
    expect(figure.querySelector('.day-chart__legend')?.textContent).toBe('BLUESKYX');
  });
});

describe('describeStorage', () => {
  it('says what is used and left, and warns when space runs low', () => {
    const fine = describeStorage({ usage: 12_300_000, quota: 50_000_000_000 }, true);
    expect(fine.text).toBe(
      'Evidence and settings use 12 MB; 50 GB is available. Storage is persistent: the browser will not clear it to free space.',
    );
    expect(fine.warning).toBeNull();
    expect(describeStorage({ usage: 100, quota: 500_000_000 }, false).low).toBe(true);
    expect(describeStorage({ usage: 9e9, quota: 10e9 }, null).warning).toContain('running low');
    expect(describeStorage({}, null).text).toContain('not known');
  });
  it('formats sizes', () => {
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
  });
});

describe('filterFromForm', () => {
  it('keeps only filled fields and valid dates', () => {
    expect(
      filterFromForm({
        caseId: 'c',
        platform: '',
        author: ' @gaz ',
        text: '',
        from: '2026-11-01',
        to: 'junk',
        hasProfile: 'no',
      }),
    ).toEqual({
      caseId: 'c',
      author: '@gaz',
      from: '2026-11-01',
      hasProfile: false,
    });
  });
});

describe('displayText', () => {
  it('shows bidi controls and control characters visibly, leaves markup characters as they are', () => {
    expect(displayText('troll\u202Egnp.exe')).toBe('troll[U+202E]gnp.exe');
    expect(displayText('<b>&amp;"\'`</b>\u0007')).toBe('<b>&amp;"\'`</b>\uFFFD');
    expect(authorText({ displayName: '\u2066x', handle: 'h' })).toBe('[U+2066]x @h');
  });
});

describe('safeImage', () => {
  it('starts blurred and toggles on click, announcing its state', () => {
    const figure = safeImage(document, { src: 'blob:x', alt: 'post.png', blurred: true });
    const toggle = figure.querySelector('button')!;
    expect(figure.classList.contains('safe-image--blurred')).toBe(true);
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    toggle.click();
    expect(figure.classList.contains('safe-image--blurred')).toBe(false);
    expect(figure.dataset.revealed).toBe('true');
    toggle.click();
    expect(figure.dataset.revealed).toBe('false');
    expect(safeImage(document, { src: 'blob:x', alt: 'a', blurred: false }).dataset.revealed).toBe('true');
  });
});
