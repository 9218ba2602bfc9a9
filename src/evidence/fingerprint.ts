/**
 * Key fingerprints (SHA-256 of the public key's DER, SubjectPublicKeyInfo) as
 * people read them to each other: sixteen groups of four characters. The same
 * value is what `openssl pkey -pubin -in public-key.pem -outform DER | sha256sum`
 * prints, so either form is accepted back.
 */

/** A key the manager trusts to sign bundles: its own, or a volunteer's, confirmed by fingerprint and named. */
export interface TrustedKey {
  /** Lower-case hex SHA-256 of the SubjectPublicKeyInfo DER. */
  fingerprint: string;
  /** The name the user gave the key ("Volunteer A"), or this installation's own. */
  name: string;
  addedAt: string;
  /** When trust was withdrawn: bundles signed with it are refused from then on. */
  withdrawnAt?: string;
  /** True for this installation's own signing key, which is always trusted and cannot be withdrawn. */
  own?: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** "3F2A 9B1C …": upper case, groups of four, easy to read aloud and compare. */
export function formatFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * The fingerprint in `text` (grouped as shown, or plain hex, with or without
 * sha256sum's trailing " -"), as lower-case hex; null when it is not one.
 */
export function parseFingerprint(text: string): string | null {
  const bare = text
    .trim()
    .replace(/\s+-$/, '')
    .replace(/[\s:-]/g, '')
    .toLowerCase();
  return HEX64.test(bare) ? bare : null;
}

/** The entry for `fingerprint`, withdrawn or not. */
export function findKey(keys: readonly TrustedKey[], fingerprint: string): TrustedKey | undefined {
  return keys.find((k) => k.fingerprint === fingerprint);
}
