// GOST primitives for the Kazakh PKI: Streebog and GOST R 34.11-94 hashes, GOST R 34.10 signatures,
// curve tables, and the Kazakh byte encodings of keys and signatures.
export { Streebog, streebog256, streebog512 } from './streebog';
export { Gost3411_94, gost3411_94, GOST94_TEST_PARAMSET, GOST94_CRYPTOPRO_PARAMSET, type Gost94ParamSet } from './gost94';
export { CRYPTOPRO_A, GOST_CURVES, GOST_TEST_256, GOST_TEST_512, TC26_256_A, TC26_512_A, curveByOid, type GostCurve } from './curves';
export {
  assertPublicKey,
  hashToE,
  publicKeyFromPrivate,
  signHash,
  verifyHash,
  type GostPublicKey,
  type GostSignature,
  type GostSignOptions,
} from './gost3410';
export {
  bytesToIntBE,
  bytesToIntLE,
  decodeKzPrivateKey,
  decodeKzPublicKey,
  decodeKzSignature,
  decodeRfc4491Signature,
  digestToInt,
  encodeKzPrivateKey,
  encodeKzPublicKey,
  encodeKzPublicKeyOctetString,
  encodeKzSignature,
  encodeRfc4491Signature,
  intToBytesBE,
  intToBytesLE,
  kzAlgorithmByOid,
  kzAlgorithms,
  kzPublicKeyFromPrivate,
  kzSign,
  kzSignDigest,
  kzSignatureToRfc4491,
  kzVerify,
  rfc4491SignatureToKz,
  type GostHash,
  type KzGostAlgorithm,
  type KzGostAlgorithmInfo,
} from './kz';
