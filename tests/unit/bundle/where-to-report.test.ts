import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpUrl } from '../../../src/html';
import {
  OTHER_WEBSITES,
  PLATFORM_REPORTING,
  platformLabel,
  POLICE_ADVICE,
  reportingFor,
  reportingForAll,
} from '../../../src/bundle/where-to-report';

// `../shared` sits beside the repository in development and in CI; a clone without it skips the link checks.
const guidancePath = resolve(process.cwd(), '../shared/seeds/guidance-online-abuse-candidates.txt');
const guidance = existsSync(guidancePath) ? readFileSync(guidancePath, 'utf8') : null;
if (guidance === null) console.log(`[where-to-report] ${guidancePath} is absent: the guidance-link checks skip.`);

describe('where to report', () => {
  it('covers the platforms the guidance names, and Reddit, Bluesky and Mastodon', () => {
    expect(PLATFORM_REPORTING.map((p) => p.id).sort()).toEqual(
      [
        'bluesky',
        'facebook',
        'instagram',
        'linkedin',
        'mastodon',
        'reddit',
        'threads',
        'tiktok',
        'whatsapp',
        'x',
        'youtube',
      ].sort(),
    );
  });

  it.skipIf(guidance === null)(
    "uses the guidance's own links for Meta, X, TikTok, YouTube, LinkedIn and WhatsApp",
    () => {
      for (const id of ['facebook', 'instagram', 'threads', 'whatsapp', 'x', 'tiktok', 'youtube', 'linkedin']) {
        expect(guidance, id).toContain(reportingFor(id).safetyUrl);
      }
      expect(guidance).toContain(reportingFor('whatsapp').more[0]?.url);
    },
  );

  it('gives 999 for immediate danger and 101 otherwise, as the guidance does', () => {
    expect(POLICE_ADVICE.emergency).toMatch(/immediate danger.*999/);
    expect(POLICE_ADVICE.nonEmergency).toMatch(/\b101\b/);
  });

  it.skipIf(guidance === null)("links the police advice to the guidance's own pages", () => {
    for (const link of POLICE_ADVICE.links.slice(0, 3)) expect(guidance).toContain(link.url);
  });

  it('has only https links', () => {
    const urls = [...PLATFORM_REPORTING, OTHER_WEBSITES].flatMap((p) => [
      p.reportUrl,
      p.safetyUrl,
      ...p.more.map((m) => m.url),
    ]);
    for (const url of [...urls.filter((u): u is string => u !== null), ...POLICE_ADVICE.links.map((l) => l.url)]) {
      expect(httpUrl(url), url).toBe(url);
      expect(url.startsWith('https://'), url).toBe(true);
    }
  });

  it('falls back to advice for other websites for a platform it does not list', () => {
    expect(reportingFor('generic')).toBe(OTHER_WEBSITES);
    expect(reportingFor('myspace')).toBe(OTHER_WEBSITES);
    expect(reportingForAll(['x', 'generic', 'x', 'myspace']).map((p) => p.id)).toEqual(['x', 'generic']);
  });

  it('names platforms for people', () => {
    expect(platformLabel('x')).toBe('X (formerly Twitter)');
    expect(platformLabel('generic')).toBe('Web page');
    expect(platformLabel('myspace')).toBe('myspace');
  });
});

describe('the "Where to report" page', () => {
  it('puts 999 first, then every platform with its links, opening safely in a new tab', async () => {
    const { renderWhereToReport } = await import('../../../src/ui/where-to-report');
    const main = document.createElement('main');
    renderWhereToReport(document, main);
    expect(main.querySelector('.urgent')?.textContent).toBe(POLICE_ADVICE.emergency);
    expect([...main.querySelectorAll('.platform h3')].map((h) => h.textContent)).toEqual(
      [...PLATFORM_REPORTING, OTHER_WEBSITES].map((p) => p.name),
    );
    expect(main.querySelector('#platform-x a')?.getAttribute('href')).toBe(reportingFor('x').reportUrl);
    for (const a of main.querySelectorAll('a')) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
      expect(a.getAttribute('href')).toMatch(/^https:\/\//);
    }
  });
});
