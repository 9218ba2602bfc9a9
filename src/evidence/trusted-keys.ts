import { findKey, formatFingerprint, parseFingerprint, type TrustedKey } from './fingerprint';
import { signingIdentity } from './signing';
import { isRecord } from './effective';
import { allCustody, commitWithCustody, type EvidenceDb } from './store';

/**
 * The keys this manager trusts to sign bundles: its own first, then each
 * volunteer's, added by confirming the fingerprint the volunteer reads out
 * and giving it a name. Each change is committed with its custody event in
 * one transaction, so the log tells who trusted which key, and when.
 */

export const OWN_KEY_NAME = "this installation's own key";

export class TrustedKeyError extends Error {
  override name = 'TrustedKeyError';
}

/** This installation's key, then the others in the order they were added (withdrawn ones included, marked). */
export async function listTrustedKeys(db: EvidenceDb): Promise<TrustedKey[]> {
  const [own, stored] = await Promise.all([signingIdentity(db), db.getAll('trustedKeys')]);
  const others = stored
    .filter((k) => k.fingerprint !== own.fingerprint)
    .sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.name.localeCompare(b.name));
  return [{ fingerprint: own.fingerprint, name: OWN_KEY_NAME, addedAt: own.createdAt, own: true }, ...others];
}

const MAX_NAME = 100;

/** The name as given, trimmed; or why it cannot be a key's name. */
export function checkKeyName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new TrustedKeyError('Give the key a name: who it belongs to, such as "Volunteer A".');
  if (trimmed.length > MAX_NAME) throw new TrustedKeyError(`A key's name can be at most ${MAX_NAME} characters.`);
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new TrustedKeyError("A key's name cannot hold control characters.");
  return trimmed;
}

/** Trusts the key with `fingerprint` (either form) under `name`; a `key-trusted` custody event records it. */
export async function trustKey(
  db: EvidenceDb,
  request: { fingerprint: string; name: string },
  actor: string,
  now: () => string = () => new Date().toISOString(),
): Promise<TrustedKey> {
  const fingerprint = parseFingerprint(request.fingerprint);
  if (!fingerprint) {
    throw new TrustedKeyError(
      'That is not a key fingerprint: it should be 64 characters 0-9 and A-F, as sixteen groups of four.',
    );
  }
  const name = checkKeyName(request.name);
  const existing = findKey(await listTrustedKeys(db), fingerprint);
  if (existing?.own) throw new TrustedKeyError('That is this installation’s own key, which is always trusted.');
  if (existing?.withdrawnAt) {
    throw new TrustedKeyError(
      `You withdrew your trust in key ${formatFingerprint(fingerprint)} ("${existing.name}") on ${existing.withdrawnAt}; a withdrawn key stays withdrawn.`,
    );
  }
  if (existing)
    throw new TrustedKeyError(`Key ${formatFingerprint(fingerprint)} is already trusted, as "${existing.name}".`);
  const key: TrustedKey = { fingerprint, name, addedAt: now() };
  await commitWithCustody(
    db,
    { at: key.addedAt, actor, action: 'key-trusted', captureId: null, detail: { fingerprint, name } },
    ['trustedKeys'],
    (tx) => [tx.objectStore('trustedKeys').add(key)],
  );
  return key;
}

/** Withdraws trust in a key: bundles signed with it are refused from now on, and captures imported with it are flagged. */
export async function withdrawKey(
  db: EvidenceDb,
  fingerprint: string,
  actor: string,
  now: () => string = () => new Date().toISOString(),
): Promise<TrustedKey> {
  const key = findKey(await listTrustedKeys(db), fingerprint);
  if (!key) throw new TrustedKeyError(`Key ${formatFingerprint(fingerprint)} is not one this manager trusts.`);
  if (key.own) throw new TrustedKeyError('This installation’s own key cannot be withdrawn.');
  if (key.withdrawnAt) return key;
  const at = now();
  const withdrawn: TrustedKey = { ...key, withdrawnAt: at };
  await commitWithCustody(
    db,
    { at, actor, action: 'key-withdrawn', captureId: null, detail: { fingerprint, name: key.name } },
    ['trustedKeys'],
    (tx) => [tx.objectStore('trustedKeys').put(withdrawn)],
  );
  return withdrawn;
}

/**
 * The captures imported from bundles signed with `fingerprint`, by their
 * `imported` events: what to look at again once trust in the key is withdrawn.
 */
export async function capturesImportedWith(db: EvidenceDb, fingerprint: string): Promise<string[]> {
  const ids = new Set<string>();
  for (const event of await allCustody(db)) {
    if (event.action !== 'imported' || event.captureId === null) continue;
    const key = event.detail.key;
    if (isRecord(key) && key.fingerprint === fingerprint) ids.add(event.captureId);
  }
  return [...ids];
}
