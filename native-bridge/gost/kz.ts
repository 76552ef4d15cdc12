// The Kazakh (НУЦ РК / Kalkan) encodings of GOST keys and signatures, and sign/verify on bytes.
//
// Byte order, checked on the НУЦ РК test CA, end-entity certificates, keys and OCSP response:
// - public key: x‖y, each little-endian, inside the OCTET STRING in the SPKI BIT STRING (as RFC 4491);
// - digest: its bytes (in the order the hash outputs them) read as a little-endian integer α;
// - signature value: r‖s, each little-endian = the byte reversal of RFC 4491/OpenSSL's s‖r big-endian;
// - private key (PKCS#8 privateKey contents): 2015 → OCTET STRING(LE scalar); 2004 → INTEGER (BE).
import { KenseError } from '../../contract/errors';
import type { KeyAlgorithm } from '../pki/types';
import { CRYPTOPRO_A, TC26_256_A, TC26_512_A, type GostCurve } from './curves';
import { Gost3411_94 } from './gost94';
import { publicKeyFromPrivate, signHash, verifyHash, type GostPublicKey, type GostSignature, type GostSignOptions } from './gost3410';
import { Streebog } from './streebog';

export type KzGostAlgorithm = Exclude<KeyAlgorithm, 'RSA'>;

/** An incremental hash: `update` any number of times, then `digest` once. */
export interface GostHash {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}

export interface KzGostAlgorithmInfo {
  keyAlgorithm: KzGostAlgorithm;
  curve: GostCurve;
  /** Length of the digest, of one coordinate / scalar, and of r and s, in bytes. */
  size: 32 | 64;
  createHash(): GostHash;
  hash(data: Uint8Array): Uint8Array;
  hashOid: string;
  signatureOid: string;
  publicKeyOid: string;
  /** SPKI parameters: SEQUENCE { publicKeyParamSet, digestParamSet }. */
  publicKeyParamsOid: string;
  digestParamsOid: string;
  /**
   * The Russian OIDs of the same mathematics, for cross-checks with OpenSSL's gost engine. For
   * GOST2004 the hash differs: Russian 34.11-94 uses the CryptoPro S-box, Kazakh 34.311-95 the test one.
   */
  ru: { publicKeyOid: string; signatureOid: string; hashOid: string; publicKeyParamsOid: string };
}

const streebogOf = (bits: 256 | 512) => ({
  createHash: (): GostHash => new Streebog(bits),
  hash: (data: Uint8Array): Uint8Array => new Streebog(bits).update(data).digest(),
});

/** NCALAYER_AND_PKI.md §5. */
export const kzAlgorithms: Readonly<Record<KzGostAlgorithm, KzGostAlgorithmInfo>> = {
  GOST2015_512: {
    keyAlgorithm: 'GOST2015_512',
    curve: TC26_512_A,
    size: 64,
    ...streebogOf(512),
    hashOid: '1.2.398.3.10.1.3.3',
    signatureOid: '1.2.398.3.10.1.1.2.3.2',
    publicKeyOid: '1.2.398.3.10.1.1.2.2',
    publicKeyParamsOid: '1.2.398.3.10.1.1.2.2.1',
    digestParamsOid: '1.2.398.3.10.1.3.3',
    ru: { publicKeyOid: '1.2.643.7.1.1.1.2', signatureOid: '1.2.643.7.1.1.3.3', hashOid: '1.2.643.7.1.1.2.3', publicKeyParamsOid: '1.2.643.7.1.2.1.2.1' },
  },
  GOST2015_256: {
    keyAlgorithm: 'GOST2015_256',
    curve: TC26_256_A,
    size: 32,
    ...streebogOf(256),
    hashOid: '1.2.398.3.10.1.3.2',
    signatureOid: '1.2.398.3.10.1.1.2.3.1',
    publicKeyOid: '1.2.398.3.10.1.1.2.1',
    publicKeyParamsOid: '1.2.398.3.10.1.1.2.1.1',
    digestParamsOid: '1.2.398.3.10.1.3.2',
    ru: { publicKeyOid: '1.2.643.7.1.1.1.1', signatureOid: '1.2.643.7.1.1.3.2', hashOid: '1.2.643.7.1.1.2.2', publicKeyParamsOid: '1.2.643.7.1.2.1.1.1' },
  },
  GOST2004: {
    keyAlgorithm: 'GOST2004',
    curve: CRYPTOPRO_A,
    size: 32,
    createHash: (): GostHash => new Gost3411_94(),
    hash: (data: Uint8Array): Uint8Array => new Gost3411_94().update(data).digest(),
    hashOid: '1.2.398.3.10.1.3.1',
    signatureOid: '1.2.398.3.10.1.1.1.2',
    publicKeyOid: '1.2.398.3.10.1.1.1.1',
    publicKeyParamsOid: '1.2.398.3.10.1.1.1.1.1',
    digestParamsOid: '1.2.398.3.10.1.3.1.1.0',
    ru: { publicKeyOid: '1.2.643.2.2.19', signatureOid: '1.2.643.2.2.3', hashOid: '1.2.643.2.2.9', publicKeyParamsOid: '1.2.643.2.2.35.1' },
  },
};

/** The algorithm of a Kazakh (or Russian) signature, public-key or public-key-parameter OID. */
export function kzAlgorithmByOid(oid: string): KzGostAlgorithmInfo | undefined {
  return Object.values(kzAlgorithms).find((a) =>
    [a.signatureOid, a.publicKeyOid, a.publicKeyParamsOid, a.ru.signatureOid, a.ru.publicKeyOid, a.ru.publicKeyParamsOid].includes(oid),
  );
}

// ---- integers ⇄ bytes ----

export function bytesToIntLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

export function bytesToIntBE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** n as exactly `size` little-endian bytes (n must fit). */
export function intToBytesLE(n: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  if (n !== 0n) throw new RangeError(`integer does not fit in ${size} bytes`);
  return out;
}

export function intToBytesBE(n: bigint, size: number): Uint8Array {
  return intToBytesLE(n, size).reverse();
}

/** α: the digest bytes read as a little-endian integer (Kazakh and RFC 4491 alike). */
export function digestToInt(digest: Uint8Array): bigint {
  return bytesToIntLE(digest);
}

// ---- minimal DER: one TLV with a definite length, nothing more ----

function readTlv(der: Uint8Array, at = 0): { tag: number; value: Uint8Array; end: number } | undefined {
  if (at + 2 > der.length) return undefined;
  const tag = der[at];
  let len = der[at + 1];
  let o = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || o + n > der.length) return undefined; // no indefinite or absurd lengths
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | der[o + i];
    o += n;
  }
  if (o + len > der.length) return undefined;
  return { tag, value: der.subarray(o, o + len), end: o + len };
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

// ---- two integers side by side: keys (x‖y) and signatures (r‖s, s‖r) ----

/** a‖b, each exactly `size` bytes in the given byte order. */
function joinPair(a: bigint, b: bigint, size: number, toBytes: (n: bigint, size: number) => Uint8Array): Uint8Array {
  const out = new Uint8Array(2 * size);
  out.set(toBytes(a, size), 0);
  out.set(toBytes(b, size), size);
  return out;
}

/** The two `size`-byte halves of `bytes` as integers; GOST_MALFORMED_SIGNATURE unless it is exactly 2·size long. */
function splitSignature(bytes: Uint8Array, size: number, toInt: (b: Uint8Array) => bigint): [bigint, bigint] {
  if (bytes.length !== 2 * size) throw new KenseError('GOST_MALFORMED_SIGNATURE', { expected: 2 * size, got: bytes.length });
  return [toInt(bytes.subarray(0, size)), toInt(bytes.subarray(size))];
}

// ---- public keys ----

/** x‖y, each little-endian: the contents of the OCTET STRING inside the SPKI BIT STRING. */
export function encodeKzPublicKey(curve: GostCurve, Q: GostPublicKey): Uint8Array {
  return joinPair(Q.x, Q.y, curve.bytes, intToBytesLE);
}

/** The DER OCTET STRING that an SPKI BIT STRING carries for a GOST key. */
export function encodeKzPublicKeyOctetString(curve: GostCurve, Q: GostPublicKey): Uint8Array {
  const raw = encodeKzPublicKey(curve, Q);
  return Uint8Array.from([0x04, ...derLength(raw.length), ...raw]);
}

/**
 * Reads a public key from x‖y (2·size bytes) or from the DER OCTET STRING wrapping it (the SPKI
 * BIT STRING contents). Only the encoding is checked here; verification checks the point.
 */
export function decodeKzPublicKey(curve: GostCurve, bytes: Uint8Array): GostPublicKey {
  let raw = bytes;
  if (bytes.length !== 2 * curve.bytes) {
    const tlv = readTlv(bytes);
    if (!tlv || tlv.tag !== 0x04 || tlv.end !== bytes.length || tlv.value.length !== 2 * curve.bytes) {
      throw new KenseError('GOST_INVALID_PUBLIC_KEY', { reason: 'length', expected: 2 * curve.bytes, got: bytes.length });
    }
    raw = tlv.value;
  }
  return { x: bytesToIntLE(raw.subarray(0, curve.bytes)), y: bytesToIntLE(raw.subarray(curve.bytes)) };
}

// ---- signatures ----

/** Kazakh signature value: r‖s, each little-endian. */
export function encodeKzSignature(curve: GostCurve, sig: GostSignature): Uint8Array {
  return joinPair(sig.r, sig.s, curve.bytes, intToBytesLE);
}

export function decodeKzSignature(curve: GostCurve, bytes: Uint8Array): GostSignature {
  const [r, s] = splitSignature(bytes, curve.bytes, bytesToIntLE);
  return { r, s };
}

/** RFC 4491 / OpenSSL gost engine signature value: s‖r, each big-endian. */
export function encodeRfc4491Signature(curve: GostCurve, sig: GostSignature): Uint8Array {
  return joinPair(sig.s, sig.r, curve.bytes, intToBytesBE);
}

export function decodeRfc4491Signature(curve: GostCurve, bytes: Uint8Array): GostSignature {
  const [s, r] = splitSignature(bytes, curve.bytes, bytesToIntBE);
  return { r, s };
}

/** Kazakh r‖s (LE) ⇄ RFC 4491 s‖r (BE): the one is the other with its bytes reversed. */
export function kzSignatureToRfc4491(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes).reverse();
}

export const rfc4491SignatureToKz = kzSignatureToRfc4491;

// ---- private keys ----

/**
 * The scalar d from the contents of PKCS#8 PrivateKeyInfo.privateKey: `OCTET STRING(size bytes, LE)`
 * (GOST 34.10-2015 keys) or `INTEGER` (big-endian, GOST 34.310-2004 keys). Throws GOST_INVALID_KEY.
 */
export function decodeKzPrivateKey(curve: GostCurve, privateKey: Uint8Array): bigint {
  const tlv = readTlv(privateKey);
  const fail = (reason: string): never => {
    throw new KenseError('GOST_INVALID_KEY', { reason, curve: curve.name });
  };
  if (!tlv || tlv.end !== privateKey.length) return fail('not one DER value');
  let d: bigint;
  if (tlv.tag === 0x04) {
    if (tlv.value.length !== curve.bytes) return fail('length');
    d = bytesToIntLE(tlv.value);
  } else if (tlv.tag === 0x02) {
    let v = tlv.value;
    if (v.length === 0 || v[0] & 0x80) return fail('negative or empty integer');
    while (v.length > 0 && v[0] === 0) v = v.subarray(1); // the sign byte (and any padding)
    if (v.length > curve.bytes) return fail('length');
    d = bytesToIntBE(v);
  } else {
    return fail('tag');
  }
  if (d <= 0n || d >= curve.q) return fail('scalar out of range');
  return d;
}

/** PKCS#8 privateKey contents for a 2015 key: OCTET STRING of the little-endian scalar. */
export function encodeKzPrivateKey(curve: GostCurve, d: bigint): Uint8Array {
  return Uint8Array.from([0x04, ...derLength(curve.bytes), ...intToBytesLE(d, curve.bytes)]);
}

// ---- sign / verify on bytes ----

function checkDigest(info: KzGostAlgorithmInfo, digest: Uint8Array): void {
  if (!(digest instanceof Uint8Array) || digest.length !== info.size) {
    throw new KenseError('INVALID_INPUT', { reason: 'digest length', expected: info.size, got: digest?.length });
  }
}

/** The public key bytes (x‖y LE) of the private scalar d. */
export function kzPublicKeyFromPrivate(alg: KzGostAlgorithm, d: bigint): Uint8Array {
  const { curve } = kzAlgorithms[alg];
  return encodeKzPublicKey(curve, publicKeyFromPrivate(curve, d));
}

/** Signs a digest made by the algorithm's hash; returns the Kazakh r‖s (LE). */
export function kzSignDigest(alg: KzGostAlgorithm, d: bigint, digest: Uint8Array, opts?: GostSignOptions): Uint8Array {
  const info = kzAlgorithms[alg];
  checkDigest(info, digest);
  return encodeKzSignature(info.curve, signHash(info.curve, d, digestToInt(digest), opts));
}

/** Hashes data with the algorithm's hash and signs it; returns the Kazakh r‖s (LE). */
export function kzSign(alg: KzGostAlgorithm, d: bigint, data: Uint8Array, opts?: GostSignOptions): Uint8Array {
  return kzSignDigest(alg, d, kzAlgorithms[alg].hash(data), opts);
}

/**
 * Verifies a Kazakh r‖s signature over data (hashed here with the algorithm's hash) or over a ready
 * `{ digest }`. Returns false for a wrong signature; throws GOST_INVALID_PUBLIC_KEY /
 * GOST_MALFORMED_SIGNATURE for input that cannot be decoded.
 */
export function kzVerify(
  alg: KzGostAlgorithm,
  publicKey: Uint8Array,
  message: Uint8Array | { digest: Uint8Array },
  signature: Uint8Array,
): boolean {
  const info = kzAlgorithms[alg];
  const Q = decodeKzPublicKey(info.curve, publicKey);
  const sig = decodeKzSignature(info.curve, signature);
  const digest = message instanceof Uint8Array ? info.hash(message) : message.digest;
  checkDigest(info, digest);
  return verifyHash(info.curve, Q, digestToInt(digest), sig);
}
