// @vitest-environment node
// The officer's command line: `npm run verify` on real exported bundles, the fingerprint from real openssl.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCase } from '../../../src/bundle/collect';
import { formatFingerprint } from '../../../src/evidence/fingerprint';
import { signingIdentity } from '../../../src/evidence/signing';
import { openEvidenceDb, storeCapture } from '../../../src/evidence/store';
import { makeArtifactRef, makeCapture, makePng } from '../factories';
import { forge } from './forge';
import { flipByte, repack } from './sample-bundle';

const ROOT = join(import.meta.dirname, '../../..');
const hasTool = (cmd: string, arg: string): boolean => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const toolsMissing = !hasTool('openssl', 'version') || !hasTool('unzip', '-v') || !hasTool('sha256sum', '--version');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function verify(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'scripts/verify.ts', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'witness-box-verify-cli-'));
const GENUINE = join(dir, 'genuine.zip');
const ALTERED = join(dir, 'altered.zip');
const UNSIGNED = join(dir, 'unsigned.zip');
let fingerprint = '';
let opensslHex = '';

beforeAll(async () => {
  const db = await openEvidenceDb(`verify-cli-${Math.random()}`);
  const png = makePng(8, 4);
  await storeCapture(
    db,
    makeCapture({ id: 'post-1', caseId: 'case-1', artifacts: [await makeArtifactRef('post.png', png)] }),
    [{ captureId: 'post-1', name: 'post.png', mime: 'image/png', blob: png }],
    'Volunteer A',
  );
  const environment = { browser: 'Chromium-based 156', os: 'linux x86-64', extensionVersion: '0.1.0' };
  const { zip } = await exportCase(db, { caseId: 'case-1', caseName: 'Case', exportedBy: 'Volunteer A', environment });
  fingerprint = (await signingIdentity(db)).fingerprint;
  writeFileSync(GENUINE, new Uint8Array(await zip.arrayBuffer()));
  const post = 'captures/0001-VA1-x-GazT_1977-20261120T184207Z/post.png';
  writeFileSync(
    ALTERED,
    await repack(zip, (files) => files.set(post, flipByte(files.get(post), 40)), { reseal: true }),
  );
  writeFileSync(UNSIGNED, await forge(zip, {}));
  // The fingerprint as an officer would take it, with openssl alone.
  const out = join(dir, 'unzipped');
  execFileSync('unzip', ['-q', GENUINE, '-d', out]);
  opensslHex = execFileSync('sh', ['-c', 'openssl pkey -pubin -in public-key.pem -outform DER | sha256sum'], {
    cwd: out,
    encoding: 'utf8',
  }).trim();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each run starts tsx (~2 s), so the cases run side by side.
describe.skipIf(toolsMissing).concurrent('npm run verify', { timeout: 120_000 }, () => {
  it('exits 0 for a bundle signed by a key given as Witness Box shows it', async () => {
    const run = await verify(GENUINE, '--trust', formatFingerprint(fingerprint));
    expect(run.stdout).toMatch(
      new RegExp(
        `^genuine.zip: Signed by the key you gave with --trust \\(fingerprint ${formatFingerprint(fingerprint)}\\): every file is as captured\\.\\n`,
      ),
    );
    expect(run.code).toBe(0);
  });

  it('accepts the plain hex that openssl pkey … | sha256sum prints, " -" and all', async () => {
    expect(opensslHex).toBe(`${fingerprint}  -`);
    expect((await verify(GENUINE, `--trust=${opensslHex}`)).code).toBe(0);
  });

  it('exits 1 for the same bundle when its key is not trusted, and says how to trust it', async () => {
    const run = await verify(GENUINE, '--trust', 'ab'.repeat(32));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Signed by a key you have not confirmed/);
    expect(run.stdout).toContain(`run again with --trust ${fingerprint}`);
  });

  it('exits 1 for an altered bundle, naming the file', async () => {
    const run = await verify(ALTERED, '--trust', fingerprint);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^altered.zip: Altered: captures\/0001-VA1-x-GazT_1977-20261120T184207Z\/post.png/);
  });

  it('exits 1 for an unsigned bundle', async () => {
    const run = await verify(UNSIGNED, '--trust', fingerprint);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^unsigned.zip: Not signed: anyone could have made this bundle\./);
  });

  it('exits 2 for a fingerprint that is not one, or no bundle', async () => {
    expect((await verify(GENUINE, '--trust', 'not-a-key')).code).toBe(2);
    expect((await verify()).code).toBe(2);
  });
});
