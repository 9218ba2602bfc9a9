// @vitest-environment node
// report.html in a real browser: hostile captured text must stay text, and nothing may run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/export';
import { makeSampleBundle } from './sample-bundle';

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const hasUnzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0;
const PAYLOAD = `<script>document.title='PWNED'</script><img src=x onerror="document.title='PWNED'"><svg onload="document.title='PWNED'">`;

describe.skipIf(!existsSync(CHROMIUM) || !hasUnzip)('report.html in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'witness-box-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows every capture and runs nothing, though captured text holds markup and script', async () => {
    const { input, post, profile, second } = await makeSampleBundle();
    const hostile = {
      ...second,
      text: PAYLOAD,
      author: {
        displayName: PAYLOAD,
        handle: `"><script>document.title='PWNED'</script>`,
        profileUrl: 'javascript:document.title="PWNED"',
      },
    };
    const built = await buildBundle({ ...input, captures: [post, profile, hostile] });
    const zipPath = join(dir, built.fileName);
    writeFileSync(zipPath, new Uint8Array(await built.zip.arrayBuffer()));
    const out = join(dir, 'out');
    execFileSync('unzip', ['-q', zipPath, '-d', out]);

    const dom = execFileSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--virtual-time-budget=2000',
        '--dump-dom',
        `file://${join(out, 'report.html')}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 },
    );
    expect(dom).toContain('<title>Evidence report: Harassment of Cllr Example</title>');
    expect(dom).not.toContain('PWNED</title>');
    expect(dom).not.toMatch(/<script/i);
    expect(dom).not.toMatch(/<img src="x"/);
    // Each exhibit (the profile page too) has its section; the escaped payload is there as text.
    expect(dom.match(/<section class="capture exhibit"/g)).toHaveLength(3);
    expect(dom).toContain("&lt;script&gt;document.title='PWNED'&lt;/script&gt;");
  }, 90_000);
});
