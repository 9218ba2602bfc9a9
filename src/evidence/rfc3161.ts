/**
 * RFC 3161 trusted timestamps, the minimum Witness Box needs: build a
 * TimeStampReq for a SHA-256 digest, and read a TimeStampResp just far enough
 * to know whether the authority granted it, for which digest and nonce, and at
 * what time. The authority's signature is not checked here (the extension has
 * no CA to check it against); an officer checks the whole response with
 * `openssl ts -verify -digest <hex> -in timestamp.tsr -CAfile <TSA CA>`.
 *
 * Pure functions over bytes: no DOM, no extension API, so the same code runs
 * in the worker and in unit tests against real openssl output.
 */

/** 2.16.840.1.101.3.4.2.1 */
export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
/** 1.2.840.113549.1.7.2 (CMS SignedData) */
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
/** 1.2.840.113549.1.9.16.1.4 (id-ct-TSTInfo) */
export const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';

/** PKIStatus values (RFC 3161 §2.4.2). */
export const PKI_STATUS = {
  granted: 0,
  grantedWithMods: 1,
  rejection: 2,
  waiting: 3,
  revocationWarning: 4,
  revocationNotification: 5,
} as const;

const STATUS_NAMES = [
  'granted',
  'granted with modifications',
  'rejected',
  'waiting',
  'revocation warning',
  'revocation notification',
];

/** PKIFailureInfo bits (RFC 3161 §2.4.2), by bit number. */
const FAILURE_BITS: Record<number, string> = {
  0: 'badAlg (unrecognized or unsupported algorithm)',
  2: 'badRequest (transaction not permitted or supported)',
  5: 'badDataFormat (the data submitted has the wrong format)',
  14: "timeNotAvailable (the TSA's time source is not available)",
  15: 'unacceptedPolicy (the requested TSA policy is not supported)',
  16: 'unacceptedExtension (the requested extension is not supported)',
  17: 'addInfoNotAvailable (the additional information requested is not available)',
  25: 'systemFailure (the request cannot be handled due to system failure)',
};

export function describeStatus(status: number): string {
  return STATUS_NAMES[status] ?? `unknown status ${status}`;
}

// ---------------------------------------------------------------------------
// DER writing

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, content: Uint8Array | number[]): Uint8Array {
  const body = content instanceof Uint8Array ? content : Uint8Array.from(content);
  const head = [tag, ...encodeLength(body.length)];
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const sequence = (...items: Uint8Array[]): Uint8Array => tlv(0x30, concat(items));

function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined) throw new Error(`Not an OID: ${dotted}`);
  const body: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    body.push(...chunk);
  }
  return tlv(0x06, body);
}

/** A non-negative INTEGER in minimal two's-complement form. */
function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.length === 0 ? Uint8Array.of(0) : magnitude.subarray(start);
  return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? concat([Uint8Array.of(0), trimmed]) : trimmed);
}

function bigintBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('A nonce must not be negative.');
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return Uint8Array.from(bytes.length ? bytes : [0]);
}

export function hexToBytes(hex: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`Not a hex string: ${hex.slice(0, 80)}`);
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A nonce as an unsigned number: a bigint as is, bytes read big-endian. */
export function nonceValue(nonce: bigint | Uint8Array): bigint {
  if (typeof nonce === 'bigint') return nonce;
  return nonce.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

/** Eight random bytes, as a positive nonce (the size openssl ts -query uses). */
export function randomNonce(): bigint {
  return nonceValue(crypto.getRandomValues(new Uint8Array(8)));
}

/**
 * TimeStampReq v1 for a SHA-256 digest: messageImprint (SHA-256 with NULL
 * parameters), the nonce, and certReq TRUE so the response carries the TSA's
 * certificate and `openssl ts -verify` needs only the CA's.
 */
export function timeStampRequest(sha256Hex: string, nonce: bigint | Uint8Array): Uint8Array {
  const digest = hexToBytes(sha256Hex);
  if (digest.length !== 32) throw new Error(`A SHA-256 digest is 32 bytes; got ${digest.length}.`);
  const imprint = sequence(sequence(oid(OID_SHA256), tlv(0x05, [])), tlv(0x04, digest));
  const nonceBytes = typeof nonce === 'bigint' ? bigintBytes(nonce) : nonce;
  return sequence(tlv(0x02, [1]), imprint, unsignedInteger(nonceBytes), tlv(0x01, [0xff]));
}

// ---------------------------------------------------------------------------
// DER reading (BER's indefinite lengths tolerated: some authorities send them)

interface Node {
  tag: number;
  /** The content octets. */
  value: Uint8Array;
  /** Where the whole element ends in the buffer it was read from. */
  end: number;
  /** The whole element, header included. */
  raw: Uint8Array;
}

export class TimestampFormatError extends Error {
  override name = 'TimestampFormatError';
}

function bad(what: string): never {
  throw new TimestampFormatError(`The timestamp response is not valid: ${what}.`);
}

function readNode(buf: Uint8Array, at: number): Node {
  if (at + 2 > buf.length) bad('it ends in the middle of an element');
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) bad('it uses a multi-byte tag');
  const lengthByte = buf[at + 1]!;
  let pos = at + 2;
  if (lengthByte === 0x80) {
    if ((tag & 0x20) === 0) bad('a primitive element has an indefinite length');
    // Indefinite: children up to the end-of-contents octets 00 00.
    const start = pos;
    while (!(buf[pos] === 0 && buf[pos + 1] === 0)) {
      if (pos >= buf.length) bad('an indefinite-length element never ends');
      pos = readNode(buf, pos).end;
    }
    return { tag, value: buf.subarray(start, pos), end: pos + 2, raw: buf.subarray(at, pos + 2) };
  }
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count > 4) bad('an element claims to be larger than 4 GiB');
    length = 0;
    for (let i = 0; i < count; i++) {
      if (pos >= buf.length) bad('it ends in the middle of a length');
      length = length * 256 + buf[pos++]!;
    }
  }
  if (pos + length > buf.length) bad('an element runs past the end of the data');
  return { tag, value: buf.subarray(pos, pos + length), end: pos + length, raw: buf.subarray(at, pos + length) };
}

function children(node: Node): Node[] {
  if ((node.tag & 0x20) === 0) bad(`element 0x${node.tag.toString(16)} should be constructed`);
  const out: Node[] = [];
  // `value` never holds an indefinite length's end mark: readNode leaves it out.
  for (let at = 0; at < node.value.length;) {
    const child = readNode(node.value, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

function expectTag(node: Node | undefined, tag: number, what: string): Node {
  if (!node || node.tag !== tag) bad(`${what} is missing`);
  return node;
}

function decodeOid(node: Node): string {
  const arcs: bigint[] = [];
  let v = 0n;
  for (const b of node.value) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0n;
    }
  }
  const [first, ...rest] = arcs;
  if (first === undefined) bad('an object identifier is empty');
  const x = first < 80n ? first / 40n : 2n;
  return [x, first - x * 40n, ...rest].join('.');
}

function decodeUnsigned(node: Node): bigint {
  return node.value.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

function decodeSmallInt(node: Node): number {
  if (node.value.length === 0 || node.value.length > 4) bad('an integer has an odd size');
  return Number(decodeUnsigned(node));
}

/** OCTET STRING content, primitive or (BER) constructed from pieces. */
function octets(node: Node): Uint8Array {
  if (node.tag === 0x04) return node.value;
  if (node.tag === 0x24) return concat(children(node).map(octets));
  bad('an octet string is missing');
}

/** "20261123150722.123Z" → "2026-11-23T15:07:22.123Z". */
export function generalizedTimeToIso(text: string): string {
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:[.,](\d+))?Z$/.exec(text);
  if (!m) bad(`the time "${text.slice(0, 40)}" is not a UTC GeneralizedTime`);
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? `.${(frac + '00').slice(0, 3)}` : '.000';
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${ms}Z`;
  if (Number.isNaN(Date.parse(iso))) bad(`the time "${text}" is not a real time`);
  return iso;
}

export interface ParsedTimeStampResponse {
  /** PKIStatus: 0 granted, 1 granted with modifications, 2 rejection, 3 waiting, 4/5 revocation. */
  status: number;
  /** The authority's own words (PKIFreeText) and failure reasons, when it gave any. */
  statusText?: string;
  /** The TimeStampToken (a CMS ContentInfo), or null when none was granted. */
  token: Uint8Array | null;
  /** The token's time (TSTInfo genTime), ISO-8601 UTC. */
  genTime: string | null;
  /** The digest the token covers, hex. */
  digest: string | null;
  /** Whether the token echoes the request's nonce; absent when no nonce was expected. */
  nonceMatches?: boolean;
  /** Whether the token covers the expected SHA-256 digest (and says it is SHA-256). */
  imprintMatches: boolean;
}

export interface ExpectedImprint {
  sha256Hex: string;
  nonce?: bigint | Uint8Array;
}

/**
 * Reads a TimeStampResp: its PKIStatusInfo and, when a token was granted, the
 * TSTInfo inside the token's SignedData (messageImprint, genTime, nonce).
 * Throws TimestampFormatError when the bytes are not a TimeStampResp at all
 * (an HTML error page, a captive portal, a truncated download).
 */
export function parseTimeStampResponse(der: Uint8Array, expected: ExpectedImprint): ParsedTimeStampResponse {
  const top = readNode(der, 0);
  if (top.tag !== 0x30) bad('it does not start with a SEQUENCE');
  if (top.end !== der.length) bad('there are bytes after its end');
  const [statusInfo, tokenNode] = children(top);
  const statusParts = children(expectTag(statusInfo, 0x30, 'the status'));
  const status = decodeSmallInt(expectTag(statusParts[0], 0x02, 'the status code'));
  const texts: string[] = [];
  for (const part of statusParts.slice(1)) {
    if (part.tag === 0x30) {
      for (const t of children(part)) texts.push(new TextDecoder().decode(t.value));
    } else if (part.tag === 0x03) {
      texts.push(...failureNames(part.value));
    }
  }
  const statusText = texts.length ? texts.join('; ') : undefined;
  const base = { status, ...(statusText !== undefined && { statusText }) };

  const granted = status === PKI_STATUS.granted || status === PKI_STATUS.grantedWithMods;
  if (!granted || !tokenNode) {
    return { ...base, token: null, genTime: null, digest: null, imprintMatches: false };
  }

  const token = tokenNode.raw.slice();
  const tst = readTstInfo(tokenNode);
  const imprintMatches = tst.hashOid === OID_SHA256 && tst.digest === expected.sha256Hex.toLowerCase();
  return {
    ...base,
    token,
    genTime: tst.genTime,
    digest: tst.digest,
    ...(expected.nonce !== undefined && { nonceMatches: tst.nonce === nonceValue(expected.nonce) }),
    imprintMatches,
  };
}

function failureNames(bitString: Uint8Array): string[] {
  const names: string[] = [];
  const bits = bitString.subarray(1);
  for (let i = 0; i < bits.length * 8; i++) {
    if ((bits[i >> 3]! >> (7 - (i & 7))) & 1) names.push(FAILURE_BITS[i] ?? `failure bit ${i}`);
  }
  return names;
}

interface TstInfo {
  hashOid: string;
  digest: string;
  genTime: string;
  nonce: bigint | null;
}

function readTstInfo(contentInfo: Node): TstInfo {
  const [type, explicit] = children(expectTag(contentInfo, 0x30, 'the token'));
  if (decodeOid(expectTag(type, 0x06, "the token's content type")) !== OID_SIGNED_DATA)
    bad('the token is not CMS SignedData');
  const [signedData] = children(expectTag(explicit, 0xa0, "the token's content"));
  const sdParts = children(expectTag(signedData, 0x30, 'the SignedData'));
  const encap = children(expectTag(sdParts[2], 0x30, 'the encapsulated content'));
  if (decodeOid(expectTag(encap[0], 0x06, 'the content type')) !== OID_TST_INFO)
    bad('the token does not hold a TSTInfo');
  const [eContent] = children(expectTag(encap[1], 0xa0, 'the TSTInfo'));
  if (!eContent) bad('the TSTInfo is missing');
  const tstBytes = octets(eContent);
  const tst = readNode(tstBytes, 0);
  const fields = children(expectTag(tst, 0x30, 'the TSTInfo'));
  // version, policy, messageImprint, serialNumber, genTime, then optional accuracy, ordering, nonce, tsa, extensions.
  const imprint = children(expectTag(fields[2], 0x30, 'the message imprint'));
  const [algorithm] = children(expectTag(imprint[0], 0x30, 'the hash algorithm'));
  const hashOid = decodeOid(expectTag(algorithm, 0x06, 'the hash algorithm'));
  const digest = bytesToHex(expectTag(imprint[1], 0x04, 'the hashed message').value);
  const genTime = generalizedTimeToIso(
    new TextDecoder().decode(expectTag(fields[4], 0x18, 'the time (genTime)').value),
  );
  const nonceNode = fields.slice(5).find((f) => f.tag === 0x02);
  return { hashOid, digest, genTime, nonce: nonceNode ? decodeUnsigned(nonceNode) : null };
}
