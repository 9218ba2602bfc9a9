// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  derSignatureToRaw,
  rawSignatureToDer,
  signDer,
  signingIdentity,
  verifyDer,
} from '../../../src/evidence/signing';
import { openEvidenceDb } from '../../../src/evidence/store';

let dbs = 0;
const freshDb = () => openEvidenceDb(`signing-${++dbs}`);
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

describe('signingIdentity', () => {
  it('makes one non-extractable key per installation and returns the same one after', async () => {
    const db = await freshDb();
    const first = await signingIdentity(db);
    const again = await signingIdentity(db);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(first.privateKey.extractable).toBe(false);
    expect(first.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
    await expect(crypto.subtle.exportKey('pkcs8', first.privateKey)).rejects.toThrow();
  });
});

describe('signatures', () => {
  it('verify with our own checker, and fail after one byte changes', async () => {
    const { privateKey, publicKeyPem } = await signingIdentity(await freshDb());
    const data = new TextEncoder().encode('{"format":"witness-box-bundle"}');
    const der = await signDer(privateKey, data);
    expect(await verifyDer(publicKeyPem, data, der)).toBe(true);
    const changed = data.slice();
    changed[3] = changed[3]! ^ 1;
    expect(await verifyDer(publicKeyPem, changed, der)).toBe(false);
  });

  it.skipIf(!hasOpenssl)(
    'verify with openssl dgst -sha256 -verify, as the bundle README tells an officer',
    async () => {
      const { privateKey, publicKeyPem, fingerprint } = await signingIdentity(await freshDb());
      const dir = mkdtempSync(join(tmpdir(), 'wb-sig-'));
      const manifest = new TextEncoder().encode(JSON.stringify({ captures: 3 }, null, 2));
      writeFileSync(join(dir, 'public-key.pem'), publicKeyPem);
      writeFileSync(join(dir, 'manifest.json'), manifest);
      writeFileSync(join(dir, 'manifest.sig'), await signDer(privateKey, manifest));
      const verify = () =>
        execFileSync(
          'openssl',
          ['dgst', '-sha256', '-verify', 'public-key.pem', '-signature', 'manifest.sig', 'manifest.json'],
          { cwd: dir, encoding: 'utf8' },
        );
      expect(verify()).toContain('Verified OK');
      const der = execFileSync('openssl', ['pkey', '-pubin', '-in', 'public-key.pem', '-outform', 'DER'], { cwd: dir });
      expect(execFileSync('sha256sum', { input: der, encoding: 'utf8' }).split(' ')[0]).toBe(fingerprint);
      manifest[5] = manifest[5]! ^ 1;
      writeFileSync(join(dir, 'manifest.json'), manifest);
      expect(verify).toThrow();
    },
  );

  it('converts between WebCrypto and DER forms, including high-bit and leading-zero values', () => {
    const raw = new Uint8Array(64);
    raw[0] = 0x80; // r needs a 0x00 pad to stay positive
    raw[63] = 0x01; // s is 1: its leading zeros go
    const der = rawSignatureToDer(raw);
    expect(Array.from(der.subarray(0, 6))).toEqual([0x30, 2 + 33 + 2 + 1, 0x02, 33, 0x00, 0x80]);
    expect(Array.from(der.subarray(der.length - 3))).toEqual([0x02, 1, 0x01]);
    expect(derSignatureToRaw(der)).toEqual(raw);
    expect(() => derSignatureToRaw(Uint8Array.of(0x31, 0))).toThrow(/not a DER-encoded/);
  });
});
