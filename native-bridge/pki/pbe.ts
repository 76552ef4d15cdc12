// Password-based encryption of PKCS#12: the RFC 7292 App. B key derivation, PKCS#12 PBE schemes
// (3DES, RC2) and PBES2 (PBKDF2 + AES/3DES, RFC 8018) — decryption for reading, encryption for writing.
import { createCipheriv, createDecipheriv, createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { type Asn1Node, Asn1Error, TAG, child, expectTag, integer, octetString, oid, readOid, readSmallInt, seq, stringBytes } from './der';
import { PKCS12, PKCS5, SHA } from './oids';
import { rc2CbcDecrypt, rc2CbcEncrypt } from './rc2';

/** Raised when decryption produced garbage: the usual sign of a wrong password. */
export class BadDecryption extends Error {
  constructor() {
    super('decryption failed (bad padding)');
    this.name = 'BadDecryption';
  }
}

/** Raised for a scheme we do not implement (RC4, exotic PRFs). */
export class UnsupportedScheme extends Error {
  constructor(readonly oid: string) {
    super(`unsupported encryption scheme ${oid}`);
    this.name = 'UnsupportedScheme';
  }
}

/**
 * Upper bounds on iteration counts. Files carry their own count; without a bound a crafted file
 * could keep the app busy for hours. НУЦ РК uses 1024, OpenSSL 3 writes 2048.
 */
export const MAX_PKCS12_KDF_ITERATIONS = 1_000_000;
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

/** Password as PKCS#12 wants it: BMPString (UTF-16BE) with a two-byte NUL terminator (RFC 7292 App. B.1). */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

const HASH_SIZES: Record<string, { u: number; v: number }> = {
  sha1: { u: 20, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
};

export const KDF_ID = { key: 1, iv: 2, mac: 3 } as const;

/** The PKCS#12 key derivation function (RFC 7292 App. B.2). */
export function pkcs12Kdf(hash: string, password: Uint8Array, salt: Uint8Array, id: number, iterations: number, n: number): Uint8Array {
  const sz = HASH_SIZES[hash];
  if (!sz) throw new UnsupportedScheme(hash);
  if (iterations < 1 || iterations > MAX_PKCS12_KDF_ITERATIONS) throw new Asn1Error(`unreasonable iteration count ${iterations}`);
  const { u, v } = sz;
  const fill = (src: Uint8Array) => {
    const out = new Uint8Array(src.length ? v * Math.ceil(src.length / v) : 0);
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length];
    return out;
  };
  const D = new Uint8Array(v).fill(id);
  const I = new Uint8Array([...fill(salt), ...fill(password)]);
  const out = new Uint8Array(n);
  for (let done = 0; done < n; done += u) {
    let A: Uint8Array = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    out.set(A.subarray(0, Math.min(u, n - done)), done);
    if (done + u >= n) break;
    const B = fill(A.subarray(0, u));
    // I_j = (I_j + B + 1) mod 2^(8v), for every v-byte block of I.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const s = I[j + k] + B[k] + carry;
        I[j + k] = s & 0xff;
        carry = s >>> 8;
      }
    }
  }
  I.fill(0);
  return out;
}

interface Pkcs12Cipher {
  keyLength: number;
  decrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  encrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
}

function nodeCipher(name: string, keyLength: number): Pkcs12Cipher {
  return {
    keyLength,
    decrypt(key, iv, data) {
      try {
        const d = createDecipheriv(name, key, iv);
        return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
      } catch {
        throw new BadDecryption();
      }
    },
    encrypt(key, iv, data) {
      const c = createCipheriv(name, key, iv);
      return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
    },
  };
}

function rc2Cipher(keyLength: number): Pkcs12Cipher {
  return {
    keyLength,
    decrypt(key, iv, data) {
      const out = rc2CbcDecrypt(key, keyLength * 8, iv, data);
      if (!out) throw new BadDecryption();
      return out;
    },
    encrypt: (key, iv, data) => rc2CbcEncrypt(key, keyLength * 8, iv, data),
  };
}

/** PKCS#12 PBE schemes (RFC 7292 App. C); all use SHA-1 in the KDF and an 8-byte IV. */
const PKCS12_PBE: Record<string, Pkcs12Cipher> = {
  [PKCS12.pbeWithSHAAnd3KeyTripleDESCBC]: nodeCipher('des-ede3-cbc', 24),
  [PKCS12.pbeWithSHAAnd2KeyTripleDESCBC]: nodeCipher('des-ede-cbc', 16),
  [PKCS12.pbeWithSHAAnd40BitRC2CBC]: rc2Cipher(5),
  [PKCS12.pbeWithSHAAnd128BitRC2CBC]: rc2Cipher(16),
};

const PBES2_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  [PKCS5.aes128Cbc]: { name: 'aes-128-cbc', keyLength: 16 },
  [PKCS5.aes192Cbc]: { name: 'aes-192-cbc', keyLength: 24 },
  [PKCS5.aes256Cbc]: { name: 'aes-256-cbc', keyLength: 32 },
  [PKCS5.desEde3Cbc]: { name: 'des-ede3-cbc', keyLength: 24 },
};

const PRFS: Record<string, string> = {
  [PKCS5.hmacWithSHA1]: 'sha1',
  [PKCS5.hmacWithSHA256]: 'sha256',
  [PKCS5.hmacWithSHA384]: 'sha384',
  [PKCS5.hmacWithSHA512]: 'sha512',
};

/** Decrypts data protected by the scheme in `algorithm` (an AlgorithmIdentifier node). */
export function pbeDecrypt(algorithm: Asn1Node, password: string, data: Uint8Array): Uint8Array {
  expectTag(algorithm, TAG.SEQUENCE, 'encryption AlgorithmIdentifier');
  const schemeOid = readOid(child(algorithm, 0, 'algorithm'));
  const params = child(algorithm, 1, 'encryption parameters');
  const pkcs12 = PKCS12_PBE[schemeOid];
  if (pkcs12) {
    const salt = stringBytes(expectTag(child(params, 0, 'salt'), TAG.OCTET_STRING, 'salt'));
    const iterations = readSmallInt(child(params, 1, 'iterations'));
    const pw = bmpPassword(password);
    const key = pkcs12Kdf('sha1', pw, salt, KDF_ID.key, iterations, pkcs12.keyLength);
    const iv = pkcs12Kdf('sha1', pw, salt, KDF_ID.iv, iterations, 8);
    pw.fill(0);
    try {
      return pkcs12.decrypt(key, iv, data);
    } finally {
      key.fill(0);
    }
  }
  if (schemeOid === PKCS5.pbes2) return pbes2Decrypt(params, password, data);
  throw new UnsupportedScheme(schemeOid);
}

function pbes2Decrypt(params: Asn1Node, password: string, data: Uint8Array): Uint8Array {
  const kdf = expectTag(child(params, 0, 'keyDerivationFunc'), TAG.SEQUENCE, 'keyDerivationFunc');
  const enc = expectTag(child(params, 1, 'encryptionScheme'), TAG.SEQUENCE, 'encryptionScheme');
  const kdfOid = readOid(child(kdf, 0, 'kdf algorithm'));
  if (kdfOid !== PKCS5.pbkdf2) throw new UnsupportedScheme(kdfOid);
  const kp = expectTag(child(kdf, 1, 'PBKDF2-params'), TAG.SEQUENCE, 'PBKDF2-params');
  const salt = stringBytes(expectTag(child(kp, 0, 'salt'), TAG.OCTET_STRING, 'salt (specified)'));
  const iterations = readSmallInt(child(kp, 1, 'iterationCount'));
  if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) throw new Asn1Error(`unreasonable iteration count ${iterations}`);
  let i = 2;
  let keyLength: number | undefined;
  if (kp.children[i]?.tag === TAG.INTEGER) keyLength = readSmallInt(kp.children[i++]);
  let prf = 'sha1';
  if (kp.children[i]) {
    const prfOid = readOid(child(expectTag(kp.children[i], TAG.SEQUENCE, 'prf'), 0, 'prf algorithm'));
    prf = PRFS[prfOid] ?? '';
    if (!prf) throw new UnsupportedScheme(prfOid);
  }
  const encOid = readOid(child(enc, 0, 'cipher'));
  const cipher = PBES2_CIPHERS[encOid];
  if (!cipher) throw new UnsupportedScheme(encOid);
  if (keyLength !== undefined && keyLength !== cipher.keyLength) throw new Asn1Error('PBKDF2 key length does not fit the cipher');
  const iv = stringBytes(expectTag(child(enc, 1, 'iv'), TAG.OCTET_STRING, 'iv'));
  // PBES2 passes the password as its UTF-8 bytes (RFC 8018 §3; OpenSSL does the same in PKCS#12).
  const key = new Uint8Array(pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyLength, prf));
  try {
    return nodeCipher(cipher.name, cipher.keyLength).decrypt(key, iv, data);
  } finally {
    key.fill(0);
  }
}

export type EncryptionScheme = 'pbes2-aes256' | 'pkcs12-3des' | 'pkcs12-rc2-40';

/** Encrypts `data`; returns the AlgorithmIdentifier DER and the ciphertext. */
export function pbeEncrypt(scheme: EncryptionScheme, password: string, data: Uint8Array, iterations: number): { algorithm: Uint8Array; encrypted: Uint8Array } {
  const salt = new Uint8Array(randomBytes(scheme === 'pbes2-aes256' ? 16 : 8));
  if (scheme === 'pbes2-aes256') {
    const iv = new Uint8Array(randomBytes(16));
    const key = new Uint8Array(pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256'));
    const encrypted = nodeCipher('aes-256-cbc', 32).encrypt(key, iv, data);
    key.fill(0);
    const algorithm = seq(
      oid(PKCS5.pbes2),
      seq(
        seq(oid(PKCS5.pbkdf2), seq(octetString(salt), integer(iterations), seq(oid(PKCS5.hmacWithSHA256), Uint8Array.of(TAG.NULL, 0)))),
        seq(oid(PKCS5.aes256Cbc), octetString(iv)),
      ),
    );
    return { algorithm, encrypted };
  }
  const schemeOid = scheme === 'pkcs12-3des' ? PKCS12.pbeWithSHAAnd3KeyTripleDESCBC : PKCS12.pbeWithSHAAnd40BitRC2CBC;
  const c = PKCS12_PBE[schemeOid];
  const pw = bmpPassword(password);
  const key = pkcs12Kdf('sha1', pw, salt, KDF_ID.key, iterations, c.keyLength);
  const iv = pkcs12Kdf('sha1', pw, salt, KDF_ID.iv, iterations, 8);
  pw.fill(0);
  const encrypted = c.encrypt(key, iv, data);
  key.fill(0);
  return { algorithm: seq(oid(schemeOid), seq(octetString(salt), integer(iterations))), encrypted };
}

const MAC_HASHES: Record<string, string> = { [SHA.sha1]: 'sha1', [SHA.sha256]: 'sha256', [SHA.sha384]: 'sha384', [SHA.sha512]: 'sha512' };

/** The PKCS#12 integrity MAC: HMAC keyed by the PKCS#12 KDF with ID 3 (RFC 7292 App. B). */
export function pkcs12Mac(digestOid: string, password: string, salt: Uint8Array, iterations: number, data: Uint8Array): Uint8Array {
  const hash = MAC_HASHES[digestOid];
  if (!hash) throw new UnsupportedScheme(digestOid);
  const pw = bmpPassword(password);
  const key = pkcs12Kdf(hash, pw, salt, KDF_ID.mac, iterations, HASH_SIZES[hash].u);
  pw.fill(0);
  const mac = new Uint8Array(createHmac(hash, key).update(data).digest());
  key.fill(0);
  return mac;
}
