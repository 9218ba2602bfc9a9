import { findKey, formatFingerprint, type TrustedKey } from '../evidence/fingerprint';
import type { VerifyResult } from './verify-types';

/**
 * What a verification proves, in one headline of exactly four kinds. The
 * manager's Verify, Import and `npm run verify` all decide with this one
 * function, so the three never disagree about a bundle.
 */

export type VerdictKind = 'trusted' | 'unconfirmed' | 'unsigned' | 'altered';

export interface Verdict {
  kind: VerdictKind;
  headline: string;
  /** The fingerprint of the key whose signature holds; null when unsigned or altered. */
  fingerprint: string | null;
  /** The manager's entry for that key, withdrawn or not. */
  key: TrustedKey | null;
  /** What was checked, for the lines under the headline (problems are listed apart). */
  details: string[];
}

export function bundleVerdict(result: VerifyResult, keys: readonly TrustedKey[]): Verdict {
  const details = checkedDetails(result);
  const first = result.problems[0];
  if (!result.ok || first) {
    const more = result.problems.length - 1;
    const what = first?.message ?? 'the bundle does not verify.';
    return {
      kind: 'altered',
      headline: `Altered: ${what}${more > 0 ? ` (and ${more} more ${more === 1 ? 'problem' : 'problems'}, listed below)` : ''}`,
      fingerprint: null,
      key: null,
      details: [],
    };
  }
  const fingerprint = result.signedBy;
  if (fingerprint === null) {
    return {
      kind: 'unsigned',
      headline: 'Not signed: anyone could have made this bundle',
      fingerprint,
      key: null,
      details,
    };
  }
  const key = findKey(keys, fingerprint) ?? null;
  const shown = formatFingerprint(fingerprint);
  if (key && key.withdrawnAt === undefined) {
    return {
      kind: 'trusted',
      headline: `Signed by ${key.name} (fingerprint ${shown}): every file is as captured`,
      fingerprint,
      key,
      details,
    };
  }
  const withdrawn = key?.withdrawnAt
    ? [`You withdrew your trust in this key ("${key.name}") on ${key.withdrawnAt}: bundles signed with it are refused.`]
    : [];
  return {
    kind: 'unconfirmed',
    headline: `Signed by a key you have not confirmed (fingerprint ${shown}): the files agree with each other, but who made this bundle is not proven until you compare the fingerprint with the sender`,
    fingerprint,
    key,
    details: [...withdrawn, ...details],
  };
}

/** What the checks covered, when they all passed. */
function checkedDetails(result: VerifyResult): string[] {
  const lines = [
    `${result.filesChecked} files checked: each matches SHA256SUMS, manifest.json and the hash recorded when it was captured.`,
  ];
  if (result.profile === 'platform' && result.custodyEvents === 0) {
    lines.push(
      'This platform-report bundle carries no custody log: its files are checked against the hashes in each metadata.json.',
    );
  } else {
    const n = result.custodyEvents;
    const standIns = result.standIns
      ? `, ${result.standIns} of them withheld stand-ins for other captures, checked by their links only`
      : '';
    lines.push(
      `Custody log: ${n} ${n === 1 ? 'event' : 'events'}${standIns}, chain intact; every capture's "captured" event holds the hashes of its files.`,
    );
  }
  const t = result.timestamps.length;
  if (t) {
    lines.push(
      `${t} trusted ${t === 1 ? 'timestamp covers its capture' : 'timestamps cover their captures'} (check the authority's signature with openssl, as README.txt shows).`,
    );
  }
  return lines;
}
