// Digest and signature-verification dispatch by OID: SHA/RSA through node:crypto, GOST through native-bridge/gost.
import { createHash, createPublicKey, publicDecrypt, constants, verify as rsaVerify, type KeyObject } from 'node:crypto';
import { KenseError, isKenseError } from '../../contract/errors';
import { gost3411_94, kzVerify, streebog256, streebog512 } from '../gost';
import { certificateSpki } from './certificate';
import { Asn1Error, TAG, bytesEqual, expectTag, parseAsn1, readOid, stringBytes } from './der';
import { KZ_GOST, RSA, RU_GOST, SHA } from './oids';
import type { KeyAlgorithm, KzCertificate } from './types';

type Digest = (data: Uint8Array) => Uint8Array;

const nodeHash = (name: string): Digest => (data) => new Uint8Array(createHash(name).update(data).digest());

const DIGESTS: Record<string, Digest> = {
  [SHA.sha1]: nodeHash('sha1'),
  [SHA.sha256]: nodeHash('sha256'),
  [SHA.sha384]: nodeHash('sha384'),
  [SHA.sha512]: nodeHash('sha512'),
  [KZ_GOST.gost34112015_256]: streebog256,
  [KZ_GOST.gost34112015_512]: streebog512,
  [RU_GOST.streebog256]: streebog256,
  [RU_GOST.streebog512]: streebog512,
  // GOST 34.311-95 = GOST R 34.11-94 with the test S-box (NCALAYER_AND_PKI.md §5).
  [KZ_GOST.gost34311_95]: (data) => gost3411_94(data),
};

/** Hashes `data` with the digest named by OID. Unknown OID → KenseError('PKI_UNSUPPORTED_ALGORITHM'). */
export function digestBytes(digestOid: string, data: Uint8Array): Uint8Array {
  const h = DIGESTS[digestOid];
  if (!h) throw new KenseError('PKI_UNSUPPORTED_ALGORITHM', { digestOid });
  return h(data);
}

export function isSupportedDigest(digestOid: string): boolean {
  return digestOid in DIGESTS;
}

const DIGEST_FOR: Record<KeyAlgorithm, string> = {
  RSA: SHA.sha256,
  GOST2004: KZ_GOST.gost34311_95,
  GOST2015_256: KZ_GOST.gost34112015_256,
  GOST2015_512: KZ_GOST.gost34112015_512,
};

const SIGNATURE_FOR: Record<KeyAlgorithm, string> = {
  RSA: RSA.sha256WithRSAEncryption,
  GOST2004: KZ_GOST.gost34311_95WithGost34310_2004,
  GOST2015_256: KZ_GOST.gost2015_256WithGost34112015_256,
  GOST2015_512: KZ_GOST.gost2015_512WithGost34112015_512,
};

/** The digest NCALayer/Kalkan pairs with a key: SHA-256 for RSA, Streebog or GOST 34.311-95 for GOST. */
export function digestOidFor(alg: KeyAlgorithm): string {
  return DIGEST_FOR[alg];
}

/** The signature OID Kalkan writes for a key (CMS signatureAlgorithm, X.509 signatureAlgorithm). */
export function signatureOidFor(alg: KeyAlgorithm): string {
  return SIGNATURE_FOR[alg];
}

interface SignatureScheme {
  key: KeyAlgorithm;
  /** undefined: the bare key OID; the digest then comes from the RSA DigestInfo or the key's own digest. */
  digestOid?: string;
}

/** Signature OIDs we verify, including the bare key OIDs Kalkan sometimes writes as signatureAlgorithm. */
const SCHEMES: Record<string, SignatureScheme> = {
  [RSA.sha1WithRSAEncryption]: { key: 'RSA', digestOid: SHA.sha1 },
  [RSA.sha256WithRSAEncryption]: { key: 'RSA', digestOid: SHA.sha256 },
  [RSA.sha384WithRSAEncryption]: { key: 'RSA', digestOid: SHA.sha384 },
  [RSA.sha512WithRSAEncryption]: { key: 'RSA', digestOid: SHA.sha512 },
  [RSA.rsaEncryption]: { key: 'RSA' },
  [KZ_GOST.gost34311_95WithGost34310_2004]: { key: 'GOST2004', digestOid: KZ_GOST.gost34311_95 },
  [KZ_GOST.gost34310_2004Key]: { key: 'GOST2004', digestOid: KZ_GOST.gost34311_95 },
  [KZ_GOST.gost2015_256WithGost34112015_256]: { key: 'GOST2015_256', digestOid: KZ_GOST.gost34112015_256 },
  [KZ_GOST.gost2015_256Key]: { key: 'GOST2015_256', digestOid: KZ_GOST.gost34112015_256 },
  [KZ_GOST.gost2015_512WithGost34112015_512]: { key: 'GOST2015_512', digestOid: KZ_GOST.gost34112015_512 },
  [KZ_GOST.gost2015_512Key]: { key: 'GOST2015_512', digestOid: KZ_GOST.gost34112015_512 },
};

export function isSupportedSignatureAlgorithm(oid: string): boolean {
  return oid in SCHEMES;
}

const NODE_HASH_NAME: Record<string, string> = {
  [SHA.sha1]: 'sha1',
  [SHA.sha256]: 'sha256',
  [SHA.sha384]: 'sha384',
  [SHA.sha512]: 'sha512',
};

const rsaKeys = new WeakMap<KzCertificate, KeyObject>();

function rsaPublicKey(cert: KzCertificate): KeyObject {
  let k = rsaKeys.get(cert);
  if (!k) {
    k = createPublicKey({ key: Buffer.from(certificateSpki(cert).der), format: 'der', type: 'spki' });
    rsaKeys.set(cert, k);
  }
  return k;
}

/**
 * RSA PKCS#1 v1.5 with the digest named inside the signature's own DigestInfo — for a
 * signatureAlgorithm that is the bare rsaEncryption OID, where the digest is not otherwise stated.
 */
function verifyRsaByDigestInfo(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  let recovered: Uint8Array;
  try {
    recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  try {
    const info = expectTag(parseAsn1(recovered, { strictDer: true }), TAG.SEQUENCE, 'DigestInfo');
    const alg = expectTag(info.children[0], TAG.SEQUENCE, 'digestAlgorithm');
    const digestOid = readOid(alg.children[0]);
    const digest = stringBytes(expectTag(info.children[1], TAG.OCTET_STRING, 'digest'));
    if (!NODE_HASH_NAME[digestOid]) return false;
    return bytesEqual(digestBytes(digestOid, data), digest);
  } catch (e) {
    if (e instanceof Asn1Error) return false;
    throw e;
  }
}

/**
 * Verifies `signature` over `data` with the signer certificate's public key.
 * RSA: PKCS#1 v1.5. GOST: the Kazakh encoding (r‖s little-endian). A signature OID that does not
 * fit the certificate's key is a failed verification (false); an OID we do not know throws
 * KenseError('PKI_UNSUPPORTED_ALGORITHM').
 */
export function verifySignedBytes(signer: KzCertificate, signatureAlgorithmOid: string, data: Uint8Array, signature: Uint8Array): boolean {
  const scheme = SCHEMES[signatureAlgorithmOid];
  if (!scheme) throw new KenseError('PKI_UNSUPPORTED_ALGORITHM', { signatureAlgorithmOid });
  if (scheme.key !== signer.keyAlgorithm) return false;
  if (scheme.key === 'RSA') {
    const key = rsaPublicKey(signer);
    if (!scheme.digestOid) return verifyRsaByDigestInfo(key, data, signature);
    return rsaVerify(NODE_HASH_NAME[scheme.digestOid], data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  }
  try {
    return kzVerify(scheme.key, certificateSpki(signer).publicKey, data, signature);
  } catch (e) {
    // A signature of the wrong length or a public key off the curve cannot verify anything.
    if (isKenseError(e, 'GOST_MALFORMED_SIGNATURE') || isKenseError(e, 'GOST_INVALID_PUBLIC_KEY')) return false;
    throw e;
  }
}
