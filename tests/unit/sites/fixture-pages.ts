import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { expect, it } from 'vitest';
import { adapterForPage, extractPage } from '../../../src/sites';
import type { PageExtract, PageKind, Platform, PostInfo, SiteAdapter } from '../../../src/sites/types';
import { fixturePages, type FixturePage } from '../../harness/field-accuracy';
import { DEFAULT_SITES_DIR, REPO_ROOT } from '../../harness/fixture-server';

/**
 * Helpers the site adapter tests share. Every adapter is tested against the
 * saved pages in `tests/fixtures/sites/<platform>/`, and against small
 * documents written in the test, so the loading and finding code is the same
 * for all of them.
 */

/**
 * Real saved pages of the platforms, kept beside the project (never in it) to
 * guard the adapters against drift from the live markup. Tests that read them
 * skip where the folder is absent.
 */
export function realworldPage(file: string): string {
  return join(REPO_ROOT, '..', 'shared', 'realworld', file);
}

/** A document at `url`, so relative links and `location` resolve as they would on the site. */
export function documentAt(html: string, url: URL): Document {
  return new JSDOM(html, { url: url.href }).window.document;
}

export interface FixtureLoader {
  /** A saved page of the platform, parsed as if served from `url`. */
  load(file: string, url: URL): Document;
  /** The hand-checked extract `expected/<name>.json`. */
  expected(name: string): PageExtract;
}

export function fixtureLoader(platform: string): FixtureLoader {
  const dir = join(DEFAULT_SITES_DIR, platform);
  return {
    load: (file, url) => documentAt(readFileSync(join(dir, file), 'utf8'), url),
    expected: (name) => JSON.parse(readFileSync(join(dir, 'expected', `${name}.json`), 'utf8')) as PageExtract,
  };
}

/** Throws rather than returning null, so a fixture that lost the element fails by name instead of at a later null. */
export function requireElement(root: ParentNode, selector: string): Element {
  const element = root.querySelector(selector);
  if (!element) throw new Error(`fixture has no ${selector}`);
  return element;
}

/** The listed post (or comment, or message) whose extracted id is `id`, found the way a capture would read it. */
export function postWithId(adapter: SiteAdapter, doc: Document, url: URL, id: string): Element {
  const post = adapter.listPosts(doc).find((el) => adapter.extractPost(el, url).postId === id);
  if (!post) throw new Error(`fixture has no post ${id}`);
  return post;
}

/** The one post a document written in a test holds, extracted; more than one means the test's markup is wrong. */
export function extractOnlyPost(adapter: SiteAdapter, doc: Document, url: URL): PostInfo {
  const [post, ...rest] = adapter.listPosts(doc);
  if (!post || rest.length > 0) throw new Error('expected exactly one post');
  return adapter.extractPost(post, url);
}

/** What a post that shows nothing readable must extract to: every field missing, none invented. */
export function blankPost(platform: Platform): PostInfo {
  return {
    platform,
    permalink: null,
    postId: null,
    author: { displayName: null, handle: null, profileUrl: null },
    text: null,
    shownTime: { raw: null, iso: null },
    mediaUrls: [],
    isReply: false,
    replyToUrl: null,
    quotedPostUrl: null,
  };
}

/**
 * The pages `pages.json` lists for a platform, with the address each stands
 * for: the same list `npm run fields` measures, so a page added there is
 * checked here too. Read before the tests are collected, because `it.each`
 * needs the list up front. `only`/`except` split one platform's pages between
 * test files (X's timeline and its direct messages); a name the list lacks
 * throws, so a renamed page cannot drop out of the tests unnoticed.
 */
export async function listedPages(
  platform: string,
  pick: { only?: readonly string[]; except?: readonly string[] } = {},
): Promise<FixturePage[]> {
  const pages = await fixturePages(join(DEFAULT_SITES_DIR, platform));
  const files = pages.map((page) => page.file);
  for (const file of [...(pick.only ?? []), ...(pick.except ?? [])]) {
    if (!files.includes(file)) throw new Error(`${platform}/pages.json lists no ${file}`);
  }
  const picked = pages.filter((page) => (pick.only?.includes(page.file) ?? true) && !pick.except?.includes(page.file));
  if (picked.length === 0) throw new Error(`${platform}/pages.json lists no pages to check`);
  return picked;
}

/** One test per page: the whole extract of the page at its address equals the hand-checked expected JSON. */
export function itExtractsEachPage(platform: string, pages: FixturePage[]): void {
  const dir = join(DEFAULT_SITES_DIR, platform);
  const cases = pages.map((page): [string, string, string] => [page.file, page.expected, page.url]);
  it.each(cases)('%s extracts to %s', (file, expectedPath, href) => {
    const url = new URL(href);
    const want = JSON.parse(readFileSync(join(dir, expectedPath), 'utf8')) as PageExtract;
    expect(extractPage(documentAt(readFileSync(join(dir, file), 'utf8'), url), url)).toEqual(want);
  });
}

export function itReadsPageKinds(adapter: SiteAdapter, doc: Document, cases: [string, PageKind][]): void {
  it.each(cases)('%s is a %s page', (href, kind) => {
    expect(adapter.pageKind(doc, new URL(href))).toBe(kind);
  });
}

export function itMatchesUrls(adapter: SiteAdapter, cases: [string, boolean][]): void {
  it.each(cases)('matchesUrl(%s) is %s', (href, matches) => {
    expect(adapter.matchesUrl(new URL(href))).toBe(matches);
  });
}

/** The manifest asks for exactly these hosts, so a looser pattern would widen the extension's permissions. */
export function itIsPickedByUrl(
  adapter: SiteAdapter,
  name: string,
  doc: Document,
  url: URL,
  hostPatterns: string[],
): void {
  it(`adapterForPage picks ${name} by URL, and its host patterns are exact`, () => {
    expect(adapterForPage(doc, url)).toBe(adapter);
    expect(adapter.hostPatterns).toEqual(hostPatterns);
  });
}
