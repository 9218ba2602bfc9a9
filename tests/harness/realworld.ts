import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import { extractPage } from '../../src/sites';
import type { PageExtract, PostInfo } from '../../src/sites/types';
import { leaves, valueAt } from './field-accuracy';
import { REPO_ROOT } from './fixture-server';

/**
 * `npm run fields:real`: how the adapters read real saved pages of the
 * platforms. The pages stay outside the project, in `../shared/realworld`
 * (present in CI, absent in a fresh clone); the expectations are written by
 * hand from each page and kept in `tests/realworld/<page>.expected.json`:
 * the fixture expectations' shape plus the page's file name and the address
 * it stands for. Per platform: items found (expected posts, comments and
 * messages matched in what the adapter read) and fields right.
 */

/** `../shared/realworld` beside the checkout; `REALWORLD_DIR` points elsewhere (a git worktree has no such sibling). */
export const REALWORLD_DIR = process.env.REALWORLD_DIR ?? join(REPO_ROOT, '..', 'shared', 'realworld');
export const REALWORLD_EXPECTED_DIR = join(REPO_ROOT, 'tests', 'realworld');

/** The gate `npm run fields:real` (and its vitest test) hold every platform to. */
export const REALWORLD_TARGET = 0.95;

export interface RealPageExpectation extends PageExtract {
  /** File name in ../shared/realworld. */
  page: string;
  /** The address the saved page stands for. */
  url: string;
}

export interface RealPlatformResult {
  platform: string;
  pages: string[];
  /** Expected items, and how many of them the adapter found. */
  items: number;
  found: number;
  fields: number;
  correct: number;
  /** `page.html: posts[2].author.handle` for each field read wrong; a missing item counts all its fields. */
  wrong: string[];
  /** Items the adapter read that no expectation names (shown, not gated). */
  extra: number;
}

/** Why the real pages cannot be measured here, or null when they can. */
export function realworldUnavailable(): string | null {
  return existsSync(REALWORLD_DIR)
    ? null
    : `no ${REALWORLD_DIR}: the real saved pages are kept beside the project, not in it (CI has them)`;
}

export async function realExpectations(dir = REALWORLD_EXPECTED_DIR): Promise<RealPageExpectation[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.expected.json')).sort();
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as RealPageExpectation));
}

/** A saved page as the content script would see it: parsed under its address, its scripts not run. */
export async function loadRealPage(page: string, url: string, pagesDir = REALWORLD_DIR): Promise<Document> {
  const html = await readFile(join(pagesDir, page), 'utf8');
  return new JSDOM(html, { url, virtualConsole: new VirtualConsole() }).window.document;
}

/**
 * Pairs each expected item with the item read for it: the same permalink
 * when the expectation has one, else the same id, else the item at the same position when its
 * text (or, without text, its author) agrees, else the first unpaired item
 * with the same text and author.
 */
export function matchItems(expected: readonly PostInfo[], actual: readonly PostInfo[]): (PostInfo | null)[] {
  const used = new Set<number>();
  const take = (index: number): PostInfo | null => {
    if (index < 0 || used.has(index)) return null;
    used.add(index);
    return actual[index] ?? null;
  };
  const sameWords = (a: PostInfo, b: PostInfo) =>
    a.text !== null ? a.text === b.text : a.author.displayName === b.author.displayName;
  return expected.map((want, i) => {
    // A message's id (WhatsApp's data-id) names it as surely as a permalink.
    if (want.permalink === null && want.postId !== null)
      return take(actual.findIndex((got, j) => !used.has(j) && got.postId === want.postId));
    if (want.permalink !== null)
      return take(actual.findIndex((got, j) => !used.has(j) && got.permalink === want.permalink));
    const here = actual[i];
    if (here && !used.has(i) && here.permalink === null && sameWords(want, here)) return take(i);
    return take(
      actual.findIndex(
        (got, j) => !used.has(j) && got.text === want.text && got.author.displayName === want.author.displayName,
      ),
    );
  });
}

export async function measureRealPages(
  expectations: readonly RealPageExpectation[],
  pagesDir = REALWORLD_DIR,
): Promise<RealPlatformResult[]> {
  const byPlatform = new Map<string, RealPlatformResult>();
  for (const want of expectations) {
    const result = byPlatform.get(want.platform) ?? {
      platform: want.platform,
      pages: [],
      items: 0,
      found: 0,
      fields: 0,
      correct: 0,
      wrong: [],
      extra: 0,
    };
    byPlatform.set(want.platform, result);
    result.pages.push(want.page);
    const url = new URL(want.url);
    const got = extractPage(await loadRealPage(want.page, url.href, pagesDir), url);
    const count = (path: string, expected: unknown, actual: unknown) => {
      result.fields++;
      if (JSON.stringify(expected) === JSON.stringify(actual)) result.correct++;
      else result.wrong.push(`${want.page}: ${path}`);
    };
    count('platform', want.platform, got.platform);
    count('pageKind', want.pageKind, got.pageKind);
    for (const [path, value] of leaves(want.profile, 'profile'))
      count(path, value, valueAt(got.profile, path.replace(/^profile\.?/, '')));
    const matched = matchItems(want.posts, got.posts);
    result.items += want.posts.length;
    result.extra += got.posts.length - matched.filter(Boolean).length;
    want.posts.forEach((post, i) => {
      const actual = matched[i] ?? null;
      if (actual) result.found++;
      for (const [path, value] of leaves(post))
        count(`posts[${i}].${path}`, value, actual ? valueAt(actual, path) : undefined);
    });
  }
  return [...byPlatform.values()].sort((a, b) => a.platform.localeCompare(b.platform));
}

/** The platforms below the target on items found or fields right. */
export function belowTarget(results: readonly RealPlatformResult[], target = REALWORLD_TARGET): string[] {
  return results.flatMap((r) => {
    const why = [
      r.found < target * r.items ? `items ${r.found}/${r.items}` : null,
      r.correct < target * r.fields ? `fields ${r.correct}/${r.fields}` : null,
    ].filter(Boolean);
    return why.length ? [`${r.platform}: ${why.join(', ')}`] : [];
  });
}

export function formatRealTable(results: readonly RealPlatformResult[]): string {
  const percent = (n: number, of: number) => (of === 0 ? '—' : `${((100 * n) / of).toFixed(1)}%`);
  const rows = results.map((r) => [
    r.platform,
    String(r.pages.length),
    `${r.found}/${r.items}`,
    percent(r.found, r.items),
    `${r.correct}/${r.fields}`,
    percent(r.correct, r.fields),
    String(r.extra),
  ]);
  const header = ['platform', 'pages', 'items found', '%', 'fields right', '%', 'extra items'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
