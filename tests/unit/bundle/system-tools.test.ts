// @vitest-environment node
// The officer's view: the real `unzip` and `sha256sum`, no Witness Box code involved in checking.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/export';
import { flipByte, makeSampleBundle, POST_FOLDER } from './sample-bundle';

const hasTool = (cmd: string, arg: string): boolean => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const toolsMissing = !hasTool('unzip', '-v') || !hasTool('sha256sum', '--version');

describe.skipIf(toolsMissing)('a bundle checked with unzip and sha256sum', () => {
  const dir = mkdtempSync(join(tmpdir(), 'witness-box-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes sha256sum -c, and fails it once a byte of post.png is flipped', async () => {
    const built = await buildBundle((await makeSampleBundle()).input);
    const zipPath = join(dir, built.fileName);
    writeFileSync(zipPath, new Uint8Array(await built.zip.arrayBuffer()));
    const out = join(dir, 'unzipped');
    execFileSync('unzip', ['-q', zipPath, '-d', out]);

    const check = () => spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
    const passed = check();
    expect(passed.status, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout.trim().split('\n')).toHaveLength(built.fileCount - 1);
    expect(passed.stdout).not.toMatch(/FAILED/);

    const png = join(out, POST_FOLDER, 'post.png');
    writeFileSync(png, flipByte(readFileSync(png), 40));
    const failed = check();
    expect(failed.status).not.toBe(0);
    expect(failed.stdout).toContain(`${POST_FOLDER}/post.png: FAILED`);
    expect(failed.stdout.match(/FAILED$/gm)).toHaveLength(1);
  });
});
