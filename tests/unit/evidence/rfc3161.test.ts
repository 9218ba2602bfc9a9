// @vitest-environment node
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generalizedTimeToIso,
  nonceValue,
  parseTimeStampResponse,
  randomNonce,
  timeStampRequest,
  TimestampFormatError,
} from '../../../src/evidence/rfc3161';
import { makeTestTsa, openssl, replyWithOpenssl, type TestTsa } from '../../harness/tsa-server';

const DIGEST = '6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b'; // sha256("1")

let dir: string;
let tsa: TestTsa;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wb-tsa-'));
  tsa = await makeTestTsa(join(dir, 'tsa'));
}, 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** openssl's own reading of a request, minus the nonce (random in openssl's). */
async function describeQuery(path: string): Promise<string> {
  return (await openssl(['ts', '-query', '-in', path, '-text'])).replace(/^Nonce: .*$/m, 'Nonce: <n>');
}

describe('timeStampRequest', () => {
  it('is the request openssl ts -query makes for the same digest (SHA-256, nonce, certReq)', async () => {
    const ours = join(dir, 'ours.tsq');
    const theirs = join(dir, 'theirs.tsq');
    const nonce = 0x1234_5678_9abc_def0n;
    await writeFile(ours, timeStampRequest(DIGEST, nonce));
    await openssl(['ts', '-query', '-digest', DIGEST, '-sha256', '-cert', '-out', theirs]);
    const text = await describeQuery(ours);
    expect(text).toBe(await describeQuery(theirs));
    expect(text).toContain('Hash Algorithm: sha256');
    expect(text).toContain('Certificate required: yes');
    expect(text).toMatch(/Message data:\s+0000 - 6b 86 b2 73/);
    expect(await openssl(['ts', '-query', '-in', ours, '-text'])).toContain('Nonce: 0x123456789ABCDEF0');

    // Same layout byte for byte once openssl's random nonce is put in ours.
    const theirBytes = await readFile(theirs);
    const theirNonce = /Nonce: 0x([0-9A-F]+)/.exec(await openssl(['ts', '-query', '-in', theirs, '-text']))![1]!;
    expect(Buffer.from(timeStampRequest(DIGEST, BigInt(`0x${theirNonce}`)))).toEqual(theirBytes);
  });

  it('encodes nonces as positive minimal INTEGERs, from a bigint or bytes', () => {
    const high = timeStampRequest(DIGEST, Uint8Array.of(0x80, 0x01));
    // ... INTEGER 00 80 01, BOOLEAN TRUE
    expect(Array.from(high.slice(-8))).toEqual([0x02, 0x03, 0x00, 0x80, 0x01, 0x01, 0x01, 0xff]);
    const padded = timeStampRequest(DIGEST, Uint8Array.of(0, 0, 0x05));
    expect(Array.from(padded.slice(-6))).toEqual([0x02, 0x01, 0x05, 0x01, 0x01, 0xff]);
    expect(nonceValue(Uint8Array.of(1, 0))).toBe(256n);
    expect(randomNonce()).toBeGreaterThanOrEqual(0n);
    expect(() => timeStampRequest('abcd', 1n)).toThrow(/32 bytes/);
  });
});

describe('parseTimeStampResponse with a real openssl TSA', () => {
  it('reads status, token, time, digest and nonce of the reply openssl makes to our request, and openssl verifies it', async () => {
    const nonce = randomNonce();
    const before = Date.now();
    const reply = new Uint8Array(await replyWithOpenssl(tsa, timeStampRequest(DIGEST, nonce)));
    const parsed = parseTimeStampResponse(reply, { sha256Hex: DIGEST, nonce });
    expect(parsed).toMatchObject({ status: 0, imprintMatches: true, nonceMatches: true, digest: DIGEST });
    expect(parsed.token).not.toBeNull();
    const genTime = Date.parse(parsed.genTime!);
    expect(genTime).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(genTime).toBeLessThanOrEqual(Date.now() + 1000);

    // openssl agrees on the time it wrote.
    const replyPath = join(dir, 'parsed.tsr');
    await writeFile(replyPath, reply);
    const text = await openssl(['ts', '-reply', '-in', replyPath, '-text']);
    expect(text).toContain('Status: Granted.');
    const shown = /Time stamp: (.+)/.exec(text)![1]!;
    expect(new Date(shown).getTime()).toBe(genTime); // openssl prints milliseconds too (clock_precision_digits = 3)

    // The officer's check: the whole response, the digest, the CA.
    const verified = await openssl([
      'ts',
      '-verify',
      '-in',
      replyPath,
      '-digest',
      DIGEST,
      '-CAfile',
      tsa.caCert,
      '-untrusted',
      tsa.tsaCert,
    ]);
    expect(verified).toContain('Verification: OK');
    // The response carries the TSA's certificate (certReq), so the CA alone is enough.
    expect(await openssl(['ts', '-verify', '-in', replyPath, '-digest', DIGEST, '-CAfile', tsa.caCert])).toContain(
      'Verification: OK',
    );
    // Another digest does not verify.
    await expect(
      openssl(['ts', '-verify', '-in', replyPath, '-digest', 'ff'.repeat(32), '-CAfile', tsa.caCert]),
    ).rejects.toThrow();

    // The token alone is what -token_in reads.
    const tokenPath = join(dir, 'token.der');
    await writeFile(tokenPath, parsed.token!);
    expect(
      await openssl(['ts', '-verify', '-token_in', '-in', tokenPath, '-digest', DIGEST, '-CAfile', tsa.caCert]),
    ).toContain('Verification: OK');
  });

  it('says when the token covers another digest or echoes another nonce', async () => {
    const nonce = 42n;
    const reply = new Uint8Array(await replyWithOpenssl(tsa, timeStampRequest(DIGEST, nonce)));
    expect(parseTimeStampResponse(reply, { sha256Hex: 'ab'.repeat(32), nonce })).toMatchObject({
      imprintMatches: false,
      nonceMatches: true,
    });
    expect(parseTimeStampResponse(reply, { sha256Hex: DIGEST, nonce: 43n })).toMatchObject({
      imprintMatches: true,
      nonceMatches: false,
    });
    expect(parseTimeStampResponse(reply, { sha256Hex: DIGEST }).nonceMatches).toBeUndefined();
  });

  it("reads a refusal: status, the authority's words and failure reasons, no token", async () => {
    // openssl refuses a digest algorithm its config does not list: a real rejection.
    const sha1Query = join(dir, 'sha1.tsq');
    await openssl(['ts', '-query', '-digest', 'aa'.repeat(20), '-sha1', '-out', sha1Query]);
    const reply = new Uint8Array(await replyWithOpenssl(tsa, await readFile(sha1Query)));
    const parsed = parseTimeStampResponse(reply, { sha256Hex: DIGEST });
    expect(parsed.status).toBe(2);
    expect(parsed.token).toBeNull();
    expect(parsed.imprintMatches).toBe(false);
    expect(parsed.statusText).toMatch(/badAlg/);
  });

  it('also reads BER indefinite lengths, which some authorities send', async () => {
    const nonce = 7n;
    const der = new Uint8Array(await replyWithOpenssl(tsa, timeStampRequest(DIGEST, nonce)));
    // The outer SEQUENCE re-encoded with an indefinite length: 30 80 <contents> 00 00.
    const headerLength = der[1]! & 0x80 ? 2 + (der[1]! & 0x7f) : 2;
    const ber = Uint8Array.from([0x30, 0x80, ...der.subarray(headerLength), 0, 0]);
    const parsed = parseTimeStampResponse(ber, { sha256Hex: DIGEST, nonce });
    expect(parsed).toMatchObject({ status: 0, imprintMatches: true, nonceMatches: true });
    expect(parsed.genTime).toBe(parseTimeStampResponse(der, { sha256Hex: DIGEST }).genTime);
    expect(() => parseTimeStampResponse(ber.subarray(0, ber.length - 2), { sha256Hex: DIGEST })).toThrow(
      TimestampFormatError,
    );
  });

  it('refuses bytes that are not a TimeStampResp', () => {
    const html = new TextEncoder().encode('<html>Sign in to the hotel wifi</html>');
    expect(() => parseTimeStampResponse(html, { sha256Hex: DIGEST })).toThrow(TimestampFormatError);
    expect(() => parseTimeStampResponse(Uint8Array.of(0x30, 0x05, 0x30), { sha256Hex: DIGEST })).toThrow(
      TimestampFormatError,
    );
    expect(() => parseTimeStampResponse(new Uint8Array(), { sha256Hex: DIGEST })).toThrow(TimestampFormatError);
  });
});

describe('generalizedTimeToIso', () => {
  it('keeps milliseconds and refuses local or impossible times', () => {
    expect(generalizedTimeToIso('20261123150722.5Z')).toBe('2026-11-23T15:07:22.500Z');
    expect(generalizedTimeToIso('20261123150722Z')).toBe('2026-11-23T15:07:22.000Z');
    expect(() => generalizedTimeToIso('20261123150722')).toThrow(TimestampFormatError);
    expect(() => generalizedTimeToIso('20261399150722Z')).toThrow(TimestampFormatError);
  });
});
