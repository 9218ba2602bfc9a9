import type { EvidenceDb, StoredSigningKey } from './store';
import { sha256Hex } from './sha256';

/**
 * The installation's ECDSA P-256 key. Bundles carry the public key and a
 * signature over manifest.json that `openssl dgst -sha256 -verify` checks,
 * so an officer can tell which installation exported a bundle, with no
 * software of ours.
 */

const KEY_ID = 'installation';
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface SigningIdentity {
  privateKey: CryptoKey;
  publicKeyPem: string;
  /** SHA-256 of the public key's DER (SubjectPublicKeyInfo), as `openssl pkey -pubin -outform DER | sha256sum` prints it. */
  fingerprint: string;
  createdAt: string;
}

/** The key made on first use; later calls return the same one. */
export async function signingIdentity(db: EvidenceDb): Promise<SigningIdentity> {
  let stored = await db.get('keys', KEY_ID);
  if (!stored) {
    const pair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
    const fresh: StoredSigningKey = {
      id: KEY_ID,
      privateKey: pair.privateKey,
      publicKey: pair.publicKey,
      createdAt: new Date().toISOString(),
    };
    // add(), not put(): if another context made the key first, theirs wins and is read back.
    await db.add('keys', fresh).catch(() => undefined);
    stored = (await db.get('keys', KEY_ID)) ?? fresh;
  }
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', stored.publicKey));
  return {
    privateKey: stored.privateKey,
    publicKeyPem: spkiToPem(spki),
    fingerprint: await sha256Hex(spki),
    createdAt: stored.createdAt,
  };
}

/** A DER-encoded signature, the form openssl expects. */
export async function signDer(privateKey: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const raw = new Uint8Array(await crypto.subtle.sign(SIGN, privateKey, data));
  return rawSignatureToDer(raw);
}

export async function verifyDer(
  publicKeyPem: string,
  data: Uint8Array<ArrayBuffer>,
  der: Uint8Array,
): Promise<boolean> {
  const key = await crypto.subtle.importKey('spki', pemToSpki(publicKeyPem), ALGORITHM, false, ['verify']);
  return crypto.subtle.verify(SIGN, key, derSignatureToRaw(der), data);
}

export function spkiToPem(spki: Uint8Array): string {
  const base64 = btoa(String.fromCharCode(...spki));
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

export function pemToSpki(pem: string): Uint8Array<ArrayBuffer> {
  const body = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(pem)?.[1];
  if (!body) throw new Error('not a PEM public key');
  return Uint8Array.from(atob(body.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
}

/** WebCrypto gives r‖s (32 bytes each); X.509 tools want SEQUENCE { INTEGER r, INTEGER s }. */
export function rawSignatureToDer(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  if (raw.length !== 64) throw new Error(`an ECDSA P-256 signature is 64 bytes, not ${raw.length}`);
  const integers = [derInteger(raw.subarray(0, 32)), derInteger(raw.subarray(32))];
  const body = concat(integers);
  return concat([Uint8Array.of(0x30, body.length), body]);
}

export function derSignatureToRaw(der: Uint8Array): Uint8Array<ArrayBuffer> {
  const fail = () => new Error('the signature is not a DER-encoded ECDSA signature');
  if (der[0] !== 0x30 || der[1] !== der.length - 2) throw fail();
  const out = new Uint8Array(64);
  let at = 2;
  for (const offset of [0, 32]) {
    if (der[at] !== 0x02) throw fail();
    const length = der[at + 1] ?? 0;
    let value = der.subarray(at + 2, at + 2 + length);
    while (value.length > 32 && value[0] === 0) value = value.subarray(1);
    if (value.length > 32 || value.length === 0) throw fail();
    out.set(value, offset + 32 - value.length);
    at += 2 + length;
  }
  if (at !== der.length) throw fail();
  return out;
}

/** A DER INTEGER is minimal and signed: strip leading zeros, then add one back if the top bit is set. */
function derInteger(unsigned: Uint8Array): Uint8Array<ArrayBuffer> {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const trimmed = unsigned.subarray(start);
  const value = (trimmed[0] ?? 0) & 0x80 ? concat([Uint8Array.of(0), trimmed]) : trimmed;
  return concat([Uint8Array.of(0x02, value.length), value]);
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
