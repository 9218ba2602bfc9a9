// @vitest-environment node
// Node's Blob (jsdom's has no arrayBuffer(), which hashing and jszip need).
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, type BundleSigner } from '../../../src/bundle/export';
import { bundleVerdict, type Verdict } from '../../../src/bundle/verdict';
import { verifyBundle } from '../../../src/bundle/verify';
import { formatFingerprint, type TrustedKey } from '../../../src/evidence/fingerprint';
import { signDer, signingIdentity, type SigningIdentity } from '../../../src/evidence/signing';
import { openEvidenceDb } from '../../../src/evidence/store';
import { forge } from './forge';
import { asText, flipByte, makeSampleBundle, POST_FOLDER, repack, SECOND_FOLDER } from './sample-bundle';

/**
 * The attacks of issue 14, each done as a careful forger would (every hash
 * recomputed, the chain re-linked), and the verdict each must get.
 */

const POST_PNG = `${POST_FOLDER}/post.png`;
let volunteer: SigningIdentity;
let attacker: SigningIdentity;
let genuine: Blob;
let keys: TrustedKey[];

const signerOf = (identity: SigningIdentity): BundleSigner => ({
  publicKeyPem: identity.publicKeyPem,
  fingerprint: identity.fingerprint,
  sign: (data) => signDer(identity.privateKey, data),
});

beforeAll(async () => {
  volunteer = await signingIdentity(await openEvidenceDb(`forgeries-volunteer-${Math.random()}`));
  attacker = await signingIdentity(await openEvidenceDb(`forgeries-attacker-${Math.random()}`));
  const { input } = await makeSampleBundle();
  genuine = (await buildBundle({ ...input, signer: signerOf(volunteer) })).zip;
  keys = [{ fingerprint: volunteer.fingerprint, name: 'Volunteer A', addedAt: '2026-11-19T10:00:00.000Z' }];
});

async function verdictOf(zip: Blob | Uint8Array, trusted = keys): Promise<Verdict> {
  return bundleVerdict(await verifyBundle(zip), trusted);
}

const changePostPng = (files: Map<string, Uint8Array>) => files.set(POST_PNG, flipByte(files.get(POST_PNG), 40));

describe('verdicts', () => {
  it('names the trusted key a genuine bundle is signed with', async () => {
    const verdict = await verdictOf(genuine);
    expect(verdict.kind).toBe('trusted');
    expect(verdict.headline).toBe(
      `Signed by Volunteer A (fingerprint ${formatFingerprint(volunteer.fingerprint)}): every file is as captured`,
    );
  });

  it('says who signed is not proven for a key not confirmed', async () => {
    const verdict = await verdictOf(genuine, []);
    expect(verdict).toMatchObject({ kind: 'unconfirmed', fingerprint: volunteer.fingerprint, key: null });
    expect(verdict.headline).toBe(
      `Signed by a key you have not confirmed (fingerprint ${formatFingerprint(volunteer.fingerprint)}): the files agree with each other, but who made this bundle is not proven until you compare the fingerprint with the sender`,
    );
  });

  it('does not trust a key that was withdrawn, and says so', async () => {
    const withdrawn = [{ ...keys[0]!, withdrawnAt: '2026-11-24T12:00:00.000Z' }];
    const verdict = await verdictOf(genuine, withdrawn);
    expect(verdict.kind).toBe('unconfirmed');
    expect(verdict.details[0]).toMatch(/You withdrew your trust in this key \("Volunteer A"\) on 2026-11-24/);
  });

  it('shows the fingerprint in sixteen groups of four', () => {
    expect(formatFingerprint('0123456789abcdef'.repeat(4))).toBe(
      '0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567 89AB CDEF',
    );
  });
});

describe('forgeries', () => {
  it('a changed post.png with every hash recomputed and the signature deleted: Altered, naming post.png', async () => {
    const forged = await forge(genuine, { mutate: changePostPng, recomputeMetadata: true });
    const verdict = await verdictOf(forged);
    expect(verdict.kind).toBe('altered');
    expect(verdict.headline).toMatch(
      new RegExp(
        `^Altered: ${POST_PNG} is not the file that was captured: its "captured" event \\(1\\) records SHA-256`,
      ),
    );
    expect(verdict.headline).not.toMatch(/all files match/i);
  });

  it('the same forgery signed with the attacker’s key: still Altered, the log holds the original hash', async () => {
    const forged = await forge(genuine, { mutate: changePostPng, recomputeMetadata: true, signWith: attacker });
    expect((await verdictOf(forged)).kind).toBe('altered');
  });

  it('a forgery consistent all through, log included, signed by the attacker: only "a key you have not confirmed"', async () => {
    const forged = await forge(genuine, {
      mutate: changePostPng,
      recomputeMetadata: true,
      recomputeCapturedEvents: true,
      signWith: attacker,
    });
    const verdict = await verdictOf(forged);
    expect(verdict).toMatchObject({ kind: 'unconfirmed', fingerprint: attacker.fingerprint });
    expect(verdict.headline).toContain(formatFingerprint(attacker.fingerprint));
  });

  it('the consistent forgery unsigned: "Not signed", never a pass', async () => {
    const forged = await forge(genuine, {
      mutate: changePostPng,
      recomputeMetadata: true,
      recomputeCapturedEvents: true,
    });
    expect((await verdictOf(forged)).headline).toBe('Not signed: anyone could have made this bundle');
  });

  it('a custody log with its first events removed, renumbered and re-hashed: Altered, naming the capture', async () => {
    const forged = await forge(genuine, { log: (events) => events.slice(2) });
    const verdict = await verdictOf(forged);
    expect(verdict.kind).toBe('altered');
    expect(verdict.headline).toMatch(
      new RegExp(`^Altered: custody-log.jsonl has no "captured" event for ${POST_FOLDER} \\(capture post-1\\)`),
    );
  });

  it('a custody log with all events removed: Altered, naming every capture', async () => {
    const forged = await forge(genuine, { log: () => [] });
    const result = await verifyBundle(forged);
    expect(result.problems.map((p) => p.message)).toEqual([
      expect.stringContaining(`no "captured" event for ${POST_FOLDER} (capture post-1)`),
      expect.stringContaining(`no "captured" event for ${POST_FOLDER}/profile (capture profile-1)`),
      expect.stringContaining(`no "captured" event for ${SECOND_FOLDER} (capture post-2)`),
    ]);
  });

  it('a custody log with its last events removed and re-hashed: never more than "Not signed"', async () => {
    const forged = await forge(genuine, { log: (events) => events.slice(0, -1) });
    expect((await verdictOf(forged)).kind).toBe('unsigned');
  });

  it('a custody log cut short under a signed manifest left alone: Altered, the log is not what was signed', async () => {
    const cut = await repack(genuine, (files) => {
      const lines = asText(files.get('custody-log.jsonl')).split('\n').filter(Boolean);
      files.set(
        'custody-log.jsonl',
        new TextEncoder().encode(
          lines
            .slice(0, -1)
            .map((l) => `${l}\n`)
            .join(''),
        ),
      );
    });
    const result = await verifyBundle(cut);
    expect(bundleVerdict(result, keys).kind).toBe('altered');
    expect(result.problems.map((p) => p.message)).toContain(
      'custody-log.jsonl holds 4 events, but manifest.json records 5: events were removed from the log.',
    );
  });

  it('a reordered custody log, re-chained: Altered, naming the event that comes before its capture', async () => {
    const forged = await forge(genuine, {
      // The render's artifact-added (3) moved before post-1's captured event (1).
      log: (events) => [events[2]!, ...events.filter((_, i) => i !== 2)],
    });
    const verdict = await verdictOf(forged);
    expect(verdict.headline).toMatch(
      /^Altered: Custody event 1 \(artifact-added\) about .* comes before the event that recorded its capture/,
    );
  });
});
