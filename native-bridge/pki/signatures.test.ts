import { describe, expect, it } from 'vitest';
import { gost3411_94, streebog256, streebog512 } from '../gost';
import { certificateParts } from './certificate';
import { toHex } from './der';
import { KZ_GOST, OTHER_KEYS, RSA, RU_GOST, SHA } from './oids';
import { digestBytes, digestOidFor, signatureOidFor, verifySignedBytes } from './signatures';
import { codeOf, testCert, testP12 } from './test-kit';

const cert = testCert;
const abc = new TextEncoder().encode('abc');

describe('digestBytes', () => {
  it('SHA family (FIPS 180-4 "abc" vectors)', () => {
    expect(toHex(digestBytes(SHA.sha1, abc))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(toHex(digestBytes(SHA.sha256, abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(digestBytes(SHA.sha384, abc))).toMatch(/^cb00753f45a35e8bb5a03d699ac65007/);
    expect(toHex(digestBytes(SHA.sha512, abc))).toMatch(/^ddaf35a193617abacc417349ae204131/);
  });

  it('Streebog under Kazakh and Russian OIDs, GOST 34.311-95 under the Kazakh OID', () => {
    expect(digestBytes(KZ_GOST.gost34112015_512, abc)).toEqual(streebog512(abc));
    expect(digestBytes(RU_GOST.streebog512, abc)).toEqual(streebog512(abc));
    expect(digestBytes(KZ_GOST.gost34112015_256, abc)).toEqual(streebog256(abc));
    expect(digestBytes(RU_GOST.streebog256, abc)).toEqual(streebog256(abc));
    expect(digestBytes(KZ_GOST.gost34311_95, abc)).toEqual(gost3411_94(abc));
  });

  it('an unknown digest OID → PKI_UNSUPPORTED_ALGORITHM', () => {
    expect(codeOf(() => digestBytes('1.2.840.113549.2.5', abc))).toBe('PKI_UNSUPPORTED_ALGORITHM');
  });

  it('names the digest and signature OIDs Kalkan pairs with each key', () => {
    expect([digestOidFor('RSA'), signatureOidFor('RSA')]).toEqual([SHA.sha256, RSA.sha256WithRSAEncryption]);
    expect([digestOidFor('GOST2015_512'), signatureOidFor('GOST2015_512')]).toEqual(['1.2.398.3.10.1.3.3', '1.2.398.3.10.1.1.2.3.2']);
    expect([digestOidFor('GOST2015_256'), signatureOidFor('GOST2015_256')]).toEqual(['1.2.398.3.10.1.3.2', '1.2.398.3.10.1.1.2.3.1']);
    expect([digestOidFor('GOST2004'), signatureOidFor('GOST2004')]).toEqual(['1.2.398.3.10.1.3.1', '1.2.398.3.10.1.1.1.2']);
  });
});

describe('verifySignedBytes on real НУЦ РК certificate signatures', () => {
  const root = cert('gost2022-test/ca/root_test_gost_2022.cer');
  const nca = cert('gost2022-test/ca/nca_gost2022_test.cer');
  const checks: [string, () => [issuer: ReturnType<typeof cert>, subject: ReturnType<typeof cert>]][] = [
    ['GOST-2015-512 root signs itself', () => [root, root]],
    ['GOST-2015-512 root → intermediate', () => [root, nca]],
    ['GOST-2015-512 intermediate → individual', () => [nca, cert('gost2022-test/individual/valid/individual_valid.pem')]],
    ['GOST-2015-512 intermediate → OCSP responder', () => [nca, cert('ocsp/ocsp_responder_2015.der')]],
    ['RSA CA → RSA leaf', () => [cert('legacy-test/ca/test_nca_rsa_uko3.crt'), testP12('legacy-test/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12').certificate]],
    ['GOST-2004 CA → GOST-2004 leaf', () => [cert('legacy-test/ca/test_nca_gost_2004_uko3.crt'), testP12('legacy-test/organization/active/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.p12').certificate]],
  ];

  it.each(checks)('%s; a flipped tbs bit fails', (_name, pair) => {
    const [issuer, subject] = pair();
    const { tbs, signatureValue, signatureAlgorithmOid } = certificateParts(subject);
    expect(verifySignedBytes(issuer, signatureAlgorithmOid, tbs, signatureValue)).toBe(true);
    const bad = Uint8Array.from(tbs);
    bad[bad.length - 5] ^= 1;
    expect(verifySignedBytes(issuer, signatureAlgorithmOid, bad, signatureValue)).toBe(false);
    const badSig = Uint8Array.from(signatureValue);
    badSig[3] ^= 1;
    expect(verifySignedBytes(issuer, signatureAlgorithmOid, tbs, badSig)).toBe(false);
  });

  it('wrong issuer, wrong-length signature, key/OID mismatch → false', () => {
    const leaf = cert('gost2022-test/individual/valid/individual_valid.pem');
    const { tbs, signatureValue, signatureAlgorithmOid } = certificateParts(leaf);
    expect(verifySignedBytes(root, signatureAlgorithmOid, tbs, signatureValue)).toBe(false);
    expect(verifySignedBytes(nca, signatureAlgorithmOid, tbs, signatureValue.subarray(1))).toBe(false);
    expect(verifySignedBytes(nca, RSA.sha256WithRSAEncryption, tbs, signatureValue)).toBe(false);
    expect(verifySignedBytes(nca, KZ_GOST.gost2015_256WithGost34112015_256, tbs, signatureValue)).toBe(false);
  });

  it('accepts the bare key OID as signatureAlgorithm (Kalkan does this)', () => {
    const leaf = cert('gost2022-test/individual/valid/individual_valid.pem');
    const { tbs, signatureValue } = certificateParts(leaf);
    expect(verifySignedBytes(nca, KZ_GOST.gost2015_512Key, tbs, signatureValue)).toBe(true);
    const rsa = testP12('legacy-test/personal/active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12');
    const data = new TextEncoder().encode('документ');
    const sig = rsa.key.sign(data);
    expect(verifySignedBytes(rsa.certificate, RSA.rsaEncryption, data, sig)).toBe(true);
    expect(verifySignedBytes(rsa.certificate, RSA.rsaEncryption, abc, sig)).toBe(false);
    expect(verifySignedBytes(rsa.certificate, RSA.sha1WithRSAEncryption, data, sig)).toBe(false);
    expect(verifySignedBytes(rsa.certificate, RSA.rsaEncryption, data, new Uint8Array(256))).toBe(false);
  });

  it('an unknown signature OID → PKI_UNSUPPORTED_ALGORITHM', () => {
    expect(codeOf(() => verifySignedBytes(nca, OTHER_KEYS.ecPublicKey, abc, abc))).toBe('PKI_UNSUPPORTED_ALGORITHM');
    expect(codeOf(() => verifySignedBytes(nca, RSA.rsassaPss, abc, abc))).toBe('PKI_UNSUPPORTED_ALGORITHM');
  });
});
