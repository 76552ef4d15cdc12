import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { TAG, bytesEqual, ctx, parseAsn1, readOid, readTime, toHex } from './der';
import { createCms, addCmsSigner } from './cms';
import { attrMessageDigest, attrSigningCertificate, parseCms } from './cms-parse';
import { CMS, ESS, PKCS9, RSA, SHA } from './oids';
import { openssl, tempDir, writeTemp } from './cms-test-kit';
import { TEST_PKI } from './test-kit';
import { openP12 } from './p12';
import { readFileSync } from 'node:fs';
import { isKenseError } from '../../contract/errors';

const RSA_P12 = path.join(TEST_PKI, 'legacy-test/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12');
const RSA_ORG_P12 = path.join(TEST_PKI, 'legacy-test/organization/active/AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790.p12');
const RSA_CA = path.join(TEST_PKI, 'legacy-test/ca/test_nca_rsa_uko3.crt');
/** 2020-06-01: inside the validity of the (now expired) legacy RSA certificates. */
const IN_WINDOW = new Date('2020-06-01T10:00:00Z');
const ACT = new TextEncoder().encode('Акт выполненных работ № 17 от 01.06.2020, ТОО «Тест» — 150 000 ₸');

const openRsa = (file: string) => openP12(new Uint8Array(readFileSync(file)), 'Qwerty12');
const rsa = openRsa(RSA_P12);

describe('createCms: the NCALayer/Kalkan layout (§6)', () => {
  const cms = createCms({ data: ACT, key: rsa.key, certificate: rsa.certificate, signingTime: IN_WINDOW });
  const root = parseAsn1(cms, { strictDer: true }); // our output is DER, not just BER
  const sd = root.children[1].children[0];

  it('is SignedData v1 with {digest, NULL}, eContentType data, the leaf only, one SignerInfo v1', () => {
    expect(readOid(root.children[0])).toBe(CMS.signedData);
    expect(sd.children[0].value).toEqual(Uint8Array.of(1));
    const alg = sd.children[1].children[0];
    expect(readOid(alg.children[0])).toBe(SHA.sha256);
    expect(alg.children[1].tag).toBe(TAG.NULL);
    expect(readOid(sd.children[2].children[0])).toBe(CMS.data);
    expect(sd.children[3].tag).toBe(ctx(0));
    expect(sd.children[3].children).toHaveLength(1);
    expect(bytesEqual(sd.children[3].children[0].raw, rsa.certificate.der)).toBe(true);
    expect(sd.children[4].children).toHaveLength(1);
  });

  it('SignerInfo: issuer bytes copied exactly, digest/signature algorithm with NULL, sorted signed attributes', () => {
    const si = sd.children[4].children[0];
    expect(si.children[0].value).toEqual(Uint8Array.of(1));
    expect(bytesEqual(si.children[1].children[0].raw, rsa.certificate.issuerRaw)).toBe(true);
    expect(toHex(si.children[1].children[1].value).toUpperCase().replace(/^00/, '')).toBe('1C1C4ADB45086B3529E004C96302AE974D4F09A4');
    expect(readOid(si.children[2].children[0])).toBe(SHA.sha256);
    expect(si.children[2].children[1].tag).toBe(TAG.NULL);
    expect(si.children[3].tag).toBe(ctx(0));
    expect(readOid(si.children[4].children[0])).toBe(RSA.sha256WithRSAEncryption);
    expect(si.children[4].children[1].tag).toBe(TAG.NULL);
    const attrs = si.children[3].children;
    const oids = attrs.map((a) => readOid(a.children[0]));
    expect(new Set(oids)).toEqual(new Set([PKCS9.contentType, PKCS9.signingTime, ESS.signingCertificateV2, PKCS9.messageDigest]));
    const raws = attrs.map((a) => toHex(a.raw));
    expect(raws).toEqual([...raws].sort()); // DER SET OF order
    const time = attrs.find((a) => readOid(a.children[0]) === PKCS9.signingTime)!.children[1].children[0];
    expect(time.tag).toBe(TAG.UTC_TIME);
    expect(readTime(time).toISOString()).toBe('2020-06-01T10:00:00.000Z');
  });

  it('messageDigest is SHA-256 of the act; ESSCertIDv2 is SHA-256 of the certificate with the default algorithm omitted', () => {
    const parsed = parseCms(cms);
    const attrs = parsed.signerInfos[0].signedAttrs!.attributes;
    expect(toHex(attrMessageDigest(attrs)!)).toBe(createHash('sha256').update(ACT).digest('hex'));
    const ess = attrSigningCertificate(attrs)!;
    expect(ess.version).toBe(2);
    expect(toHex(ess.certHash)).toBe(createHash('sha256').update(rsa.certificate.der).digest('hex'));
    const essId = attrs.find((a) => a.oid === ESS.signingCertificateV2)!.values[0].children[0].children[0];
    expect(essId.children[0].tag).toBe(TAG.OCTET_STRING); // no AlgorithmIdentifier before certHash
    expect(parsed.content).toEqual(ACT);
  });

  it('detached: no eContent; digest option makes the same signed attributes as the data', () => {
    const det = parseCms(createCms({ data: ACT, key: rsa.key, certificate: rsa.certificate, detached: true, signingTime: IN_WINDOW }));
    expect(det.content).toBeUndefined();
    const hash = new Uint8Array(createHash('sha256').update(ACT).digest());
    const fromHash = parseCms(createCms({ digest: hash, key: rsa.key, certificate: rsa.certificate, signingTime: IN_WINDOW }));
    expect(fromHash.content).toBeUndefined();
    expect(fromHash.signerInfos[0].signedAttrs!.der).toEqual(det.signerInfos[0].signedAttrs!.der);
    expect(() => createCms({ digest: hash.subarray(1), key: rsa.key, certificate: rsa.certificate })).toThrow(/input/i);
  });

  it('refuses a destroyed key or a key of another algorithm than the certificate', () => {
    const other = openRsa(RSA_P12);
    other.key.destroy();
    let err: unknown;
    try {
      createCms({ data: ACT, key: other.key, certificate: other.certificate });
    } catch (e) {
      err = e;
    }
    expect(isKenseError(err, 'CMS_KEY_MISMATCH')).toBe(true);
  });
});

describe('openssl cms -verify accepts our RSA CMS (independent check)', () => {
  // Checks: signature over the DER signed attributes, messageDigest vs content, contentType, and the
  // certificate chain to the test ҰКО 3.0 RSA CA (trusted as a partial chain: its root is not shipped)
  // at a time inside the validity of the expired legacy certificates.
  const dir = tempDir();
  const attime = String(IN_WINDOW.getTime() / 1000);
  const base = ['cms', '-verify', '-binary', '-inform', 'DER', '-CAfile', RSA_CA, '-partial_chain', '-purpose', 'any', '-attime', attime];

  it('attached', () => {
    const f = writeTemp(dir, 'att.cms', createCms({ data: ACT, key: rsa.key, certificate: rsa.certificate, signingTime: IN_WINDOW }));
    const r = openssl([...base, '-in', f, '-out', path.join(dir, 'out.bin')]);
    expect(r.stderr).toMatch(/Verification successful/);
    expect(r.status).toBe(0);
  });

  it('detached, and rejects other data', () => {
    const f = writeTemp(dir, 'det.cms', createCms({ data: ACT, key: rsa.key, certificate: rsa.certificate, detached: true, signingTime: IN_WINDOW }));
    const ok = openssl([...base, '-in', f, '-content', writeTemp(dir, 'act.txt', ACT), '-out', '/dev/null']);
    expect(ok.status).toBe(0);
    const bad = openssl([...base, '-in', f, '-content', writeTemp(dir, 'other.txt', 'другой акт'), '-out', '/dev/null']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/CMS_SignerInfo_verify_content/);
  });

  it('co-signed by two parties: openssl verifies both signers', () => {
    const org = openRsa(RSA_ORG_P12);
    const first = createCms({ data: ACT, key: rsa.key, certificate: rsa.certificate, signingTime: IN_WINDOW });
    const both = addCmsSigner(first, { key: org.key, certificate: org.certificate, signingTime: IN_WINDOW });
    const f = writeTemp(dir, 'both.cms', both);
    const r = openssl([...base, '-in', f, '-out', '/dev/null']);
    expect(r.stderr).toMatch(/Verification successful/);
    const parsed = parseCms(both);
    expect(parsed.signerInfos).toHaveLength(2);
    expect(parsed.certificates).toHaveLength(2);
    expect(parsed.digestAlgorithms).toHaveLength(1);
    expect(parsed.signerInfos[0].raw).toEqual(parseCms(first).signerInfos[0].raw); // first signer byte-exact
  });
});

describe('addCmsSigner', () => {
  const det = createCms({ data: ACT, key: rsa.key, certificate: rsa.certificate, detached: true, signingTime: IN_WINDOW });

  it('needs the document for a detached CMS and refuses a different one for an attached CMS', () => {
    const org = openRsa(RSA_ORG_P12);
    expect(() => addCmsSigner(det, { key: org.key, certificate: org.certificate })).toThrow();
    const att = createCms({ data: ACT, key: rsa.key, certificate: rsa.certificate });
    let err: unknown;
    try {
      addCmsSigner(att, { key: org.key, certificate: org.certificate, data: new TextEncoder().encode('иной акт') });
    } catch (e) {
      err = e;
    }
    expect(isKenseError(err, 'CMS_DATA_MISMATCH')).toBe(true);
  });

  it('does not duplicate the certificate or digest algorithm when the same party signs twice', () => {
    const twice = parseCms(addCmsSigner(det, { key: rsa.key, certificate: rsa.certificate, data: ACT }));
    expect(twice.certificates).toHaveLength(1);
    expect(twice.digestAlgorithms).toHaveLength(1);
    expect(twice.signerInfos).toHaveLength(2);
    expect(twice.content).toBeUndefined();
  });

  it('garbage in → CMS_MALFORMED', () => {
    let err: unknown;
    try {
      addCmsSigner(Uint8Array.of(1, 2, 3), { key: rsa.key, certificate: rsa.certificate, data: ACT });
    } catch (e) {
      err = e;
    }
    expect(isKenseError(err, 'CMS_MALFORMED')).toBe(true);
  });
});
