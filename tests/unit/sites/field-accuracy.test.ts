// @vitest-environment node
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePages, formatAccuracyTable, measureAllPlatforms, measurePlatform } from '../../harness/field-accuracy';
import { DEFAULT_SITES_DIR } from '../../harness/fixture-server';

describe('fields extracted over all fixture pages (npm run fields)', () => {
  it('every platform reads back every hand-checked field', async () => {
    const results = await measureAllPlatforms();
    console.log(formatAccuracyTable(results));
    expect(results.length).toBeGreaterThanOrEqual(6);
    for (const r of results)
      expect({ platform: r.platform, wrong: r.wrong }).toEqual({ platform: r.platform, wrong: [] });
  });

  it('every expected extract is measured: pages.json lists each one with its address', async () => {
    for (const entry of await readdir(DEFAULT_SITES_DIR, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(DEFAULT_SITES_DIR, entry.name);
      const expected = await readdir(join(dir, 'expected')).catch(() => []);
      const listed = (await fixturePages(dir)).map((p) => p.expected);
      expect(expected.map((file) => `expected/${file}`).sort(), entry.name).toEqual([...listed].sort());
    }
  });

  it('a field read wrong is counted and named', async () => {
    const sites = await mkdtemp(join(tmpdir(), 'wb-fields-'));
    await cp(join(DEFAULT_SITES_DIR, 'bluesky'), join(sites, 'bluesky'), { recursive: true });
    const page = (await fixturePages(join(sites, 'bluesky'))).find((p) => p.file === 'profile.html');
    if (!page) throw new Error('no bluesky profile page listed');
    const expectedPath = join(sites, 'bluesky', page.expected);
    const expected = JSON.parse(await readFile(expectedPath, 'utf8')) as { profile: { handle: string } };
    expected.profile.handle = 'someone.else';
    await writeFile(expectedPath, JSON.stringify(expected));
    const result = await measurePlatform('bluesky', sites);
    expect(result.wrong).toEqual(['profile.html: profile.handle']);
    expect(result.correct).toBe(result.fields - 1);
    await rm(sites, { recursive: true });
  });
});
