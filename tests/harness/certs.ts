/**
 * Self-signed TLS certificate for the fixture server, made fresh on every run.
 *
 * Chromium is started with --ignore-certificate-errors, so the certificate only has
 * to exist and look plausible; we still put every fixture host (and its subdomains)
 * in subjectAltName so the pages' origins match what a real capture would record.
 * The openssl CLI is used because Node has no built-in X.509 generator and we add
 * no dependencies for it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** `x.com` → `DNS:x.com,DNS:*.x.com`; an IP would need `IP:` but fixtures only use names. */
export function subjectAltName(hosts: readonly string[]): string {
  const names = new Set<string>();
  for (const host of hosts) {
    const bare = host.trim().toLowerCase();
    if (!bare) continue;
    names.add(`DNS:${bare}`);
    if (!bare.startsWith('*.')) names.add(`DNS:*.${bare}`);
  }
  if (names.size === 0) throw new Error('makeSelfSignedCert: no hosts given');
  return `subjectAltName=${[...names].join(',')}`;
}

/** Creates a 2-day RSA certificate covering `hosts` and their subdomains; returns PEM strings. */
export async function makeSelfSignedCert(hosts: readonly string[]): Promise<TlsMaterial> {
  const san = subjectAltName(hosts);
  // A private temp folder: the key never needs to outlive this call.
  const dir = await mkdtemp(join(tmpdir(), 'witness-box-cert-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=witness-box-fixtures',
      '-addext',
      san,
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ]);
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    return { key, cert };
  } catch (error) {
    throw new Error(
      `Could not create the fixture TLS certificate with the openssl CLI (install it with \`apt-get install -y openssl\`): ${String(error)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
