// Private-key handles from PKCS#8: RSA through node:crypto, GOST through native-bridge/gost (Kazakh encodings).
import { constants, createPrivateKey, createPublicKey, privateEncrypt, sign as nodeSign, type KeyObject } from 'node:crypto';
import { KenseError, isKenseError } from '../../contract/errors';
import { type KzGostAlgorithm, bytesToIntLE, decodeKzPrivateKey, intToBytesLE, kzAlgorithmByOid, kzAlgorithms, kzPublicKeyFromPrivate, kzSign, kzSignDigest } from '../gost';
import { certificateSpki } from './certificate';
import { Asn1Error, TAG, bytesEqual, child, concatBytes, expectTag, fromHex, integer, octetString, oid, parseAsn1, readOid, seq, stringBytes } from './der';
import { RSA } from './oids';
import type { KzCertificate, PrivateKeyHandle } from './types';

/** DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1): PKCS#1 v1.5 over a digest computed elsewhere. */
const SHA256_DIGEST_INFO_PREFIX = fromHex('3031300d060960864801650304020105000420');

/** How each handle proves which public key it belongs to (kept off the public interface). */
const publicKeyCheck = new WeakMap<PrivateKeyHandle, (cert: KzCertificate) => boolean>();

function destroyedError(): KenseError {
  return new KenseError('KEY_DESTROYED');
}

function rsaHandle(key: KeyObject): PrivateKeyHandle {
  let k: KeyObject | undefined = key;
  const live = (): KeyObject => {
    if (!k) throw destroyedError();
    return k;
  };
  const handle: PrivateKeyHandle = {
    algorithm: 'RSA',
    sign: (data) => new Uint8Array(nodeSign('sha256', data, { key: live(), padding: constants.RSA_PKCS1_PADDING })),
    signDigest(digest) {
      const key = live();
      if (digest.length !== 32) throw new KenseError('INVALID_INPUT', { reason: 'SHA-256 digest must be 32 bytes', got: digest.length });
      return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, concatBytes(SHA256_DIGEST_INFO_PREFIX, digest)));
    },
    // OpenSSL owns the key memory; dropping the last reference is all JavaScript can do.
    destroy: () => void (k = undefined),
    get destroyed() {
      return k === undefined;
    },
  };
  publicKeyCheck.set(handle, (cert) => {
    const mine = createPublicKey(live()).export({ format: 'jwk' });
    const theirs = createPublicKey({ key: Buffer.from(certificateSpki(cert).der), format: 'der', type: 'spki' }).export({ format: 'jwk' });
    return mine.n === theirs.n && mine.e === theirs.e;
  });
  return handle;
}

/**
 * The scalar lives in a byte array that destroy() zeroes. Each signature converts it to a bigint
 * for the arithmetic; those temporaries are immutable and are left to the garbage collector.
 */
function gostHandle(alg: KzGostAlgorithm, d: bigint): PrivateKeyHandle {
  const size = kzAlgorithms[alg].size;
  let scalar: Uint8Array | undefined = intToBytesLE(d, size);
  const live = (): bigint => {
    if (!scalar) throw destroyedError();
    return bytesToIntLE(scalar);
  };
  const handle: PrivateKeyHandle = {
    algorithm: alg,
    sign: (data) => kzSign(alg, live(), data),
    signDigest: (digest) => kzSignDigest(alg, live(), digest),
    destroy() {
      scalar?.fill(0);
      scalar = undefined;
    },
    get destroyed() {
      return scalar === undefined;
    },
  };
  publicKeyCheck.set(handle, (cert) => bytesEqual(kzPublicKeyFromPrivate(alg, live()), certificateSpki(cert).publicKey));
  return handle;
}

/**
 * A key handle from a PKCS#8 PrivateKeyInfo. Unknown algorithm → P12_UNSUPPORTED_KEY_ALGORITHM;
 * undecodable key → P12_CORRUPTED (keys reach us only out of .p12 containers).
 */
export function privateKeyFromPkcs8(pkcs8: Uint8Array): PrivateKeyHandle {
  let algOid: string;
  let privateKey: Uint8Array;
  try {
    const info = expectTag(parseAsn1(pkcs8), TAG.SEQUENCE, 'PrivateKeyInfo');
    algOid = readOid(child(expectTag(child(info, 1, 'privateKeyAlgorithm'), TAG.SEQUENCE, 'AlgorithmIdentifier'), 0, 'algorithm'));
    privateKey = stringBytes(expectTag(child(info, 2, 'privateKey'), TAG.OCTET_STRING, 'privateKey'));
  } catch (e) {
    if (e instanceof Asn1Error) throw new KenseError('P12_CORRUPTED', { reason: `private key: ${e.message}` }, { cause: e });
    throw e;
  }
  if (algOid === RSA.rsaEncryption) {
    try {
      return rsaHandle(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }));
    } catch (e) {
      throw new KenseError('P12_CORRUPTED', { reason: 'RSA private key does not decode' }, { cause: e });
    }
  }
  const gost = kzAlgorithmByOid(algOid);
  if (!gost || algOid !== gost.publicKeyOid) throw new KenseError('P12_UNSUPPORTED_KEY_ALGORITHM', { keyAlgorithmOid: algOid });
  try {
    return gostHandle(gost.keyAlgorithm, decodeKzPrivateKey(gost.curve, privateKey));
  } catch (e) {
    if (isKenseError(e, 'GOST_INVALID_KEY')) throw new KenseError('P12_CORRUPTED', { reason: 'GOST private key does not decode' }, { cause: e });
    throw e;
  }
}

/** Does the key belong to the certificate's public key? (Compares public keys; nothing is signed.) */
export function keyMatchesCertificate(key: PrivateKeyHandle, cert: KzCertificate): boolean {
  if (key.algorithm !== cert.keyAlgorithm) return false;
  const check = publicKeyCheck.get(key);
  if (!check) throw new KenseError('INVALID_INPUT', { reason: 'not a key handle made by native-bridge/pki' });
  return check(cert);
}

/**
 * PKCS#8 PrivateKeyInfo for a GOST key in the form НУЦ РК containers use: algorithm = the Kazakh key
 * OID with SEQUENCE { publicKeyParamSet, digestParamSet }, privateKey = OCTET STRING(LE scalar) for
 * 2015 keys and INTEGER (big-endian) for 2004 keys.
 */
export function encodeGostPkcs8(alg: KzGostAlgorithm, d: bigint): Uint8Array {
  const info = kzAlgorithms[alg];
  const inner = alg === 'GOST2004' ? integer(d) : octetString(intToBytesLE(d, info.size));
  return seq(integer(0), seq(oid(info.publicKeyOid), seq(oid(info.publicKeyParamsOid), oid(info.digestParamsOid))), octetString(inner));
}

