import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import { extractPage } from '../../src/sites';
import { DEFAULT_SITES_DIR } from './fixture-server';

/**
 * How many of the fields a person checked by hand in each fixture page's
 * `expected/*.json` the site adapters read back exactly: the figure the
 * platforms issue asks for, per platform. Pages are listed with the address
 * they stand for in `tests/fixtures/sites/<platform>/pages.json`.
 */

export interface FixturePage {
  file: string;
  url: string;
  expected: string;
}

export interface PlatformAccuracy {
  platform: string;
  pages: number;
  posts: number;
  profiles: number;
  /** Every leaf of the expected extracts (a field the page shows, or null where it shows none). */
  fields: number;
  correct: number;
  /** Leaves the page does show (non-null in the expected extract), and how many of those were read right. */
  shown: number;
  shownCorrect: number;
  /** Paths of the fields read wrong, `page.html: posts[1].author.handle`. */
  wrong: string[];
}

export async function fixturePages(platformDir: string): Promise<FixturePage[]> {
  const text = await readFile(join(platformDir, 'pages.json'), 'utf8').catch(() => null);
  return text === null ? [] : (JSON.parse(text) as FixturePage[]);
}

export async function measurePlatform(platform: string, sitesDir = DEFAULT_SITES_DIR): Promise<PlatformAccuracy> {
  const dir = join(sitesDir, platform);
  const result: PlatformAccuracy = {
    platform,
    pages: 0,
    posts: 0,
    profiles: 0,
    fields: 0,
    correct: 0,
    shown: 0,
    shownCorrect: 0,
    wrong: [],
  };
  for (const page of await fixturePages(dir)) {
    const html = await readFile(join(dir, page.file), 'utf8');
    const url = new URL(page.url);
    // Fixture pages carry no scripts; the console is silenced for CSS jsdom cannot parse.
    const doc = new JSDOM(html, { url: url.href, virtualConsole: new VirtualConsole() }).window.document;
    const actual = extractPage(doc, url) as unknown;
    const expected = JSON.parse(await readFile(join(dir, page.expected), 'utf8')) as {
      posts: unknown[];
      profile: unknown;
    };
    result.pages++;
    result.posts += expected.posts.length;
    if (expected.profile !== null) result.profiles++;
    for (const [path, want] of leaves(expected)) {
      const got = valueAt(actual, path);
      const right = JSON.stringify(got) === JSON.stringify(want);
      result.fields++;
      if (right) result.correct++;
      else result.wrong.push(`${page.file}: ${path}`);
      if (want !== null) {
        result.shown++;
        if (right) result.shownCorrect++;
      }
    }
  }
  return result;
}

export async function measureAllPlatforms(sitesDir = DEFAULT_SITES_DIR): Promise<PlatformAccuracy[]> {
  const entries = await readdir(sitesDir, { withFileTypes: true });
  const results: PlatformAccuracy[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const measured = await measurePlatform(entry.name, sitesDir);
    if (measured.pages > 0) results.push(measured);
  }
  return results;
}

/** Every leaf value with its path; an array of strings (media URLs, participants) counts as one field. */
export function leaves(value: unknown, path = ''): [string, unknown][] {
  if (
    value === null ||
    typeof value !== 'object' ||
    (Array.isArray(value) && value.every((v) => typeof v !== 'object'))
  )
    return [[path, value]];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [`[${i}]`, v] as const)
    : Object.entries(value).map(([k, v]) => [path ? `.${k}` : k, v] as const);
  return entries.flatMap(([key, v]) => leaves(v, `${path}${key}`));
}

export function valueAt(root: unknown, path: string): unknown {
  const keys = path.match(/[^.[\]]+/g) ?? [];
  return keys.reduce<unknown>(
    (node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
    root,
  );
}

export function formatAccuracyTable(results: readonly PlatformAccuracy[]): string {
  const percent = (n: number, of: number) => (of === 0 ? '—' : `${((100 * n) / of).toFixed(1)}%`);
  const rows = results.map((r) => [
    r.platform,
    String(r.pages),
    String(r.posts),
    String(r.profiles),
    `${r.correct}/${r.fields}`,
    percent(r.correct, r.fields),
    `${r.shownCorrect}/${r.shown}`,
  ]);
  const total = results.reduce(
    (sum, r) => ({ f: sum.f + r.fields, c: sum.c + r.correct, s: sum.s + r.shown, sc: sum.sc + r.shownCorrect }),
    { f: 0, c: 0, s: 0, sc: 0 },
  );
  rows.push(['all', '', '', '', `${total.c}/${total.f}`, percent(total.c, total.f), `${total.sc}/${total.s}`]);
  const header = ['platform', 'pages', 'posts', 'profiles', 'fields right', '%', 'shown fields right'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
