// The officer's view of a bundle: the real unzip, sha256sum and openssl, no Witness Box code involved.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const hasTool = (cmd: string, arg: string): boolean => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const missing = [
  ['unzip', '-v'],
  ['sha256sum', '--version'],
  ['openssl', 'version'],
].filter(([cmd, arg]) => !hasTool(cmd!, arg!));
export const officerToolsMissing = missing.map(([cmd]) => cmd!);

/**
 * What the officer's tools say is wrong with a bundle, or [] when `unzip -t`,
 * `sha256sum -c SHA256SUMS` and (for a signed bundle) the openssl signature
 * check all pass on it, the way README.txt tells the officer to run them.
 */
export async function officerToolsFindings(zip: Blob | Uint8Array): Promise<string[]> {
  if (officerToolsMissing.length) return [];
  const dir = mkdtempSync(join(tmpdir(), 'witness-box-officer-'));
  try {
    const path = join(dir, 'bundle.zip');
    writeFileSync(path, zip instanceof Uint8Array ? zip : new Uint8Array(await zip.arrayBuffer()));
    const out = join(dir, 'unzipped');
    const run = (cmd: string, args: string[], cwd = dir) => {
      const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
      return r.status === 0 ? null : `${cmd} ${args.join(' ')}: ${(r.stdout + r.stderr).trim().slice(0, 2000)}`;
    };
    const findings = [run('unzip', ['-tq', path]), run('unzip', ['-q', path, '-d', out])].filter((f) => f !== null);
    if (findings.length) return findings;
    const sums = run('sha256sum', ['-c', '--strict', '--quiet', 'SHA256SUMS'], out);
    if (sums) findings.push(sums);
    if (existsSync(join(out, 'manifest.sig'))) {
      const args = ['dgst', '-sha256', '-verify', 'public-key.pem', '-signature', 'manifest.sig', 'manifest.json'];
      const signature = run('openssl', args, out);
      if (signature) findings.push(signature);
    }
    return findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Throws when a bundle that Witness Box's verify accepted fails one of the officer's tools. */
export async function expectOfficerToolsAgree(zip: Blob | Uint8Array): Promise<void> {
  const findings = await officerToolsFindings(zip);
  if (findings.length) {
    throw new Error(`Verify accepted a bundle that the officer's tools reject:\n${findings.join('\n')}`);
  }
}
