// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/export';
import { verifyBundle } from '../../../src/bundle/verify';
import { signDer, signingIdentity } from '../../../src/evidence/signing';
import { openEvidenceDb } from '../../../src/evidence/store';
import { officerToolsFindings, officerToolsMissing } from './officer-tools';
import { flipByte, makeSampleBundle, repack } from './sample-bundle';

async function signedZip(): Promise<Blob> {
  const identity = await signingIdentity(await openEvidenceDb(`officer-tools-${Math.random()}`));
  const signer = {
    publicKeyPem: identity.publicKeyPem,
    fingerprint: identity.fingerprint,
    sign: (data: Uint8Array<ArrayBuffer>) => signDer(identity.privateKey, data),
  };
  return (await buildBundle({ ...(await makeSampleBundle()).input, signer })).zip;
}

describe.skipIf(officerToolsMissing.length > 0)("the officer's tools, run on every bundle verify accepts", () => {
  it('pass a genuine signed bundle, which verify accepts only after them', async () => {
    const zip = await signedZip();
    expect(await officerToolsFindings(zip)).toEqual([]);
    // verifyBundle here is the suite's wrapped one (tests/unit/setup.ts): it returns only once the tools agreed.
    expect((await verifyBundle(zip)).ok).toBe(true);
  });

  it('catch a bad signature, a changed file and a zip unzip -t rejects', async () => {
    const zip = await signedZip();
    const badSignature = await repack(zip, (files) =>
      files.set('manifest.sig', flipByte(files.get('manifest.sig'), 20)),
    );
    expect((await officerToolsFindings(badSignature)).join('\n')).toMatch(/openssl dgst/);
    const changed = await repack(zip, (files) => files.set('README.txt', flipByte(files.get('README.txt'), 5)));
    expect((await officerToolsFindings(changed)).join('\n')).toMatch(/sha256sum -c/);
    const bytes = new Uint8Array(await zip.arrayBuffer());
    bytes[40] = (bytes[40] ?? 0) ^ 1; // inside README.txt's data: its CRC-32 no longer matches
    expect((await officerToolsFindings(bytes)).join('\n')).toMatch(/unzip -tq/);
  });
});
