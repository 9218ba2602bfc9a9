import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const STATUS = 'tests/fixtures/sites/x/status.html';
const STATUS_URL = 'https://x.com/GazT_1977/status/1991234567890123456';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function extract(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'scripts/extract.ts', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

// Each run starts tsx (~2 s), so the cases run side by side.
describe.concurrent('npm run extract', { timeout: 60_000 }, () => {
  it('prints the page extract of a saved page as JSON', async () => {
    const run = await extract(STATUS, '--url', STATUS_URL);
    expect(run.code).toBe(0);
    const expected: unknown = JSON.parse(
      readFileSync(join(ROOT, 'tests/fixtures/sites/x/expected/status.json'), 'utf8'),
    );
    expect(JSON.parse(run.stdout)).toEqual(expected);
    expect(run.stdout).toMatch(/^\{\n {2}"platform": "x",/);
  });

  it('accepts --url=<URL>', async () => {
    const run = await extract(`--url=${STATUS_URL}`, STATUS);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ pageKind: 'post' });
  });

  it('prints usage for --help', async () => {
    const run = await extract('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npm run extract');
  });

  it.each([
    ['a missing --url', [STATUS], /--url is required/],
    ['a bad URL', [STATUS, '--url', 'x.com/home'], /not an absolute URL/],
    ['a missing file', ['tests/fixtures/sites/x/nope.html', '--url', STATUS_URL], /cannot read/],
    ['no file at all', ['--url', STATUS_URL], /no saved page given/],
    ['an unknown option', [STATUS, '--url', STATUS_URL, '--pretty'], /unknown option --pretty/],
  ])('exits 2 with a message for %s', async (_case, args, message) => {
    const run = await extract(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});
