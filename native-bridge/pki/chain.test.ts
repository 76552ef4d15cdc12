import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type IssueOptions, gostTestKey, issue, rsaTestKey, testHierarchy } from './ca-test-kit';
import { parseCertificate } from './certificate';
import { certificateSignatureCacheSize, clearCertificateSignatureCache, isSignedBy, validateCertificatePath } from './chain';
import { TAG, octetString, oid, seq } from './der';
import { X500 } from './oids';
import { TEST_PKI, filesUnder, testCert, testP12 } from './test-kit';
import { isEmpty, loadTrustStore } from './trust';
import type { TrustStore } from './types';

const AT = new Date('2026-11-25T00:00:00Z');
const TEST = loadTrustStore('test');
const PRODUCTION = loadTrustStore('production', { osStore: false });
const EMPTY = loadTrustStore({ files: [] });
const store = (anchors: TrustStore['anchors'], intermediates: TrustStore['intermediates'] = []): TrustStore => ({ name: 'unit', anchors, intermediates });

const material = (dir: string, ext: string) => filesUnder(dir, ext).map((f) => path.relative(TEST_PKI, f));
const GOST2022 = material('gost2022-test', '.pem').map((rel) => [rel, testCert(rel)] as const);
const LEGACY = material('legacy-test', '.p12').map((rel) => [rel, testP12(rel).certificate] as const);

describe('НУЦ РК test material', () => {
  it('has the 12 GOST-2022 and 8 legacy end-entity certificates', () => {
    expect(GOST2022).toHaveLength(12);
    expect(LEGACY).toHaveLength(8);
  });

  it.each(GOST2022)('%s chains leaf → НЦ (GOST) TEST 2022 → root at 2026-11-25', (_f, cert) => {
    const r = validateCertificatePath(cert, { trust: TEST, at: AT, revocation: 'none' });
    expect(r.reasons).toEqual([]);
    expect(r.trusted).toBe(true);
    expect(r.chain.map((c) => c.commonName)).toEqual([cert.commonName, 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022', 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022']);
    expect(r.revocation).toEqual({ status: 'not_checked' });
  });

  it.each(GOST2022)('%s under the production store → UNTRUSTED_CHAIN (a test key never chains to production); an empty store → TRUST_STORE_EMPTY', (_f, cert) => {
    const r = validateCertificatePath(cert, { trust: PRODUCTION, at: AT, revocation: 'none' });
    expect(r.reasons).toEqual(['UNTRUSTED_CHAIN']);
    expect(r.trusted).toBe(false);
    expect(isEmpty(EMPTY)).toBe(true);
    expect(validateCertificatePath(cert, { trust: EMPTY, at: AT, revocation: 'none' }).reasons).toEqual(['TRUST_STORE_EMPTY']);
  });

  it.each(LEGACY)('%s: expired now, valid on 2020-06-01 (window 2020-01-28 … 2021-01-27)', (_f, cert) => {
    expect(cert.notBefore.toISOString().slice(0, 10)).toBe('2020-01-28');
    expect(cert.notAfter.toISOString().slice(0, 10)).toBe('2021-01-27');
    const now = validateCertificatePath(cert, { trust: TEST, at: AT, revocation: 'none' });
    expect(now.reasons).toContain('CERT_EXPIRED');
    // The legacy CAs expired in March 2024: reported as an untrusted chain with a plain explanation.
    expect(now.reasons).toContain('UNTRUSTED_CHAIN');
    expect(now.problems.join('\n')).toMatch(/CA «C=KZ,CN=ҰКО 3\.0 \((RSA|GOST) TEST\)» is not valid at/);
    const past = validateCertificatePath(cert, { trust: TEST, at: new Date('2020-06-01T00:00:00Z'), revocation: 'none' });
    expect(past.reasons).toEqual([]);
    expect(past.chain).toHaveLength(2);
    const early = validateCertificatePath(cert, { trust: TEST, at: new Date('2020-01-01T00:00:00Z'), revocation: 'none' });
    expect(early.reasons).toEqual(['CERT_NOT_YET_VALID']);
  });

  it('the OCSP responder certificate chains to the test root while it was valid (2022-08-12 … 2023-08-12)', () => {
    const responder = testCert('ocsp/ocsp_responder_2015.der');
    expect(validateCertificatePath(responder, { trust: TEST, at: new Date('2022-09-02T00:00:00Z'), revocation: 'none' }).reasons).toEqual([]);
    expect(validateCertificatePath(responder, { trust: TEST, at: AT, revocation: 'none' }).reasons).toEqual(['CERT_EXPIRED']);
  });

  it('a trust anchor validates as itself', () => {
    const root = TEST.anchors.find((a) => a.commonName?.includes('НЕГІЗГІ'))!;
    const r = validateCertificatePath(root, { trust: TEST, at: AT, revocation: 'crl' });
    expect(r).toMatchObject({ reasons: [], chain: [root], revocation: { status: 'not_checked' }, trusted: true });
  });

  it('the intermediate can come with the signature instead of the store', () => {
    const root = TEST.anchors.find((a) => a.commonName?.includes('НЕГІЗГІ'))!;
    const [, leaf] = GOST2022[0];
    expect(validateCertificatePath(leaf, { trust: store([root]), at: AT, revocation: 'none' }).reasons).toEqual(['UNTRUSTED_CHAIN']);
    const r = validateCertificatePath(leaf, { trust: store([root]), extraCerts: [...TEST.intermediates], at: AT, revocation: 'none' });
    expect(r.reasons).toEqual([]);
  });
});

describe('what must fail', () => {
  it('a tampered tbsCertificate → UNTRUSTED_CHAIN', () => {
    const [, leaf] = GOST2022.find(([f]) => f.includes('individual_valid'))!;
    const der = Uint8Array.from(leaf.der);
    const at = Buffer.from(der).indexOf(Buffer.from('IIN123456789011'));
    der[at + 14] = '2'.charCodeAt(0); // IIN…011 → IIN…012
    const forged = parseCertificate(der);
    expect(forged.iin).toBe('123456789012');
    const r = validateCertificatePath(forged, { trust: TEST, at: AT, revocation: 'none' });
    expect(r.reasons).toEqual(['UNTRUSTED_CHAIN']);
  });

  it('a swapped issuer (same name, other key) → UNTRUSTED_CHAIN, with or without key identifiers', () => {
    for (const noKeyIds of [false, true]) {
      const a = testHierarchy({ leaf: { noKeyIds }, intermediate: { noKeyIds } });
      const b = testHierarchy();
      expect(validateCertificatePath(a.leaf.cert, { trust: store([a.root.cert], [a.ca.cert]), at: AT, revocation: 'none' }).reasons).toEqual([]);
      const r = validateCertificatePath(a.leaf.cert, { trust: store([b.root.cert], [b.ca.cert]), at: AT, revocation: 'none' });
      expect(r.reasons).toEqual(['UNTRUSTED_CHAIN']);
    }
  });

  it('a GOST root/CA/leaf made here validates, and a certificate forged with the wrong key does not', () => {
    const h = testHierarchy({ gost: true });
    expect(validateCertificatePath(h.leaf.cert, { trust: store([h.root.cert], [h.ca.cert]), at: AT, revocation: 'none' }).reasons).toEqual([]);
    const forged = issue({ subject: [[X500.commonName, 'X']], issuer: h.ca, signWith: gostTestKey(), notBefore: new Date('2026-01-01'), notAfter: new Date('2027-01-01') });
    expect(validateCertificatePath(forged.cert, { trust: store([h.root.cert], [h.ca.cert]), at: AT, revocation: 'none' }).reasons).toEqual(['UNTRUSTED_CHAIN']);
  });

  it.each([
    ['an expired intermediate', { notAfter: new Date('2026-06-01T00:00:00Z') }, /is not valid at/],
    ['an intermediate that is not a CA', { ca: false }, /is not a CA/],
    ['an intermediate without basicConstraints', { ca: undefined }, /is not a CA/],
    ['an intermediate without keyCertSign', { keyUsage: ['digitalSignature', 'cRLSign'] }, /keyCertSign/],
    ['an unknown critical extension', { extraExtensions: [seq(oid('1.2.3.4.5'), Uint8Array.of(TAG.BOOLEAN, 1, 0xff), octetString(Uint8Array.of(5, 0)))] }, /unknown critical extension 1\.2\.3\.4\.5/],
  ] as [string, Partial<IssueOptions>, RegExp][])('%s → UNTRUSTED_CHAIN', (_name, intermediate, problem) => {
    const h = testHierarchy({ intermediate: { keyUsage: ['keyCertSign', 'cRLSign'], ...intermediate } });
    const r = validateCertificatePath(h.leaf.cert, { trust: store([h.root.cert], [h.ca.cert]), at: AT, revocation: 'none' });
    expect(r.reasons).toEqual(['UNTRUSTED_CHAIN']);
    expect(r.problems.join('\n')).toMatch(problem);
  });

  it('pathLenConstraint 0 forbids a further sub-CA', () => {
    const h = testHierarchy();
    const sub = issue({ subject: [[X500.commonName, 'SUB CA']], issuer: h.ca, ca: true, keyUsage: ['keyCertSign', 'cRLSign'] });
    const leaf = issue({ subject: [[X500.commonName, 'LEAF']], issuer: sub, notBefore: new Date('2026-01-01'), notAfter: new Date('2027-01-01') });
    const r = validateCertificatePath(leaf.cert, { trust: store([h.root.cert], [h.ca.cert, sub.cert]), at: AT, revocation: 'none' });
    expect(r.reasons).toEqual(['UNTRUSTED_CHAIN']);
    expect(r.problems.join('\n')).toMatch(/pathLenConstraint 0 exceeded/);
  });

  it('picks the right one of two same-named CAs (key rollover) by AKI and signature', () => {
    const h = testHierarchy();
    const oldCa = issue({ subject: [[X500.commonName, 'ТЕСТ ISSUING CA'], [X500.countryName, 'KZ']], issuer: h.root, ca: true, keyUsage: ['keyCertSign'], notBefore: new Date('2026-06-01') });
    const r = validateCertificatePath(h.leaf.cert, { trust: store([h.root.cert], [oldCa.cert, h.ca.cert]), at: AT, revocation: 'none' });
    expect(r.reasons).toEqual([]);
    expect(r.chain[1].sha256).toBe(h.ca.cert.sha256);
  });

  it('a loop of CAs signing each other ends, untrusted', () => {
    const k1 = rsaTestKey();
    const k2 = rsaTestKey();
    const a0 = issue({ subject: [[X500.commonName, 'A']], key: k1, ca: true });
    const b = issue({ subject: [[X500.commonName, 'B']], key: k2, issuer: a0, ca: true });
    const a = issue({ subject: [[X500.commonName, 'A']], key: k1, issuer: b, ca: true });
    const leaf = issue({ subject: [[X500.commonName, 'LEAF']], issuer: a, notBefore: new Date('2026-01-01') });
    const other = testHierarchy();
    const r = validateCertificatePath(leaf.cert, { trust: store([other.root.cert]), extraCerts: [a.cert, b.cert], at: AT, revocation: 'none' });
    expect(r.reasons).toEqual(['UNTRUSTED_CHAIN']);
    expect(r.chain.length).toBeLessThanOrEqual(8);
  });

  it('forty same-named CAs with one key (as a hostile CMS could carry) end quickly, untrusted', () => {
    // Each signs every other, so without memory of dead ends the search tries 40·39·…·34 orderings.
    const key = rsaTestKey();
    const name: [string, string][] = [[X500.commonName, 'LOOP CA'], [X500.countryName, 'KZ']];
    const loop = Array.from({ length: 40 }, () => issue({ subject: name, key, ca: true, noKeyIds: true }));
    const leaf = issue({ subject: [[X500.commonName, 'LEAF']], issuer: loop[0], noKeyIds: true, notBefore: new Date('2026-01-01') });
    const other = testHierarchy();
    const t0 = performance.now();
    const r = validateCertificatePath(leaf.cert, { trust: store([other.root.cert]), extraCerts: loop.map((l) => l.cert), at: AT, revocation: 'none' });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.reasons).toEqual(['UNTRUSTED_CHAIN']);
    expect(r.problems.join('\n')).toMatch(/stopped after 64 signature checks/);
  });

  it('the search budget still finds a path past many look-alike CAs when one of them chains', () => {
    const h = testHierarchy();
    const decoys = Array.from({ length: 20 }, () => issue({ subject: [[X500.commonName, 'ТЕСТ ISSUING CA'], [X500.countryName, 'KZ']], ca: true, noKeyIds: true }).cert);
    const r = validateCertificatePath(h.leaf.cert, { trust: store([h.root.cert]), extraCerts: [...decoys, h.ca.cert], at: AT, revocation: 'none' });
    expect(r.reasons).toEqual([]);
    expect(r.chain.map((c) => c.sha256)).toEqual([h.leaf.cert.sha256, h.ca.cert.sha256, h.root.cert.sha256]);
  });
});

describe('verified (child, issuer) pairs are cached by fingerprints', () => {
  it('the same certificates parsed again (another CMS, another object) need no new check; the cache is bounded', () => {
    clearCertificateSignatureCache(3);
    try {
      const leaf = () => testCert('gost2022-test/legal/valid/head.pem');
      const ca = () => testCert('gost2022-test/ca/nca_gost2022_test.cer');
      expect(isSignedBy(leaf(), ca())).toBe(true);
      expect(certificateSignatureCacheSize()).toBe(1);
      for (let i = 0; i < 20; i++) expect(isSignedBy(leaf(), ca())).toBe(true);
      expect(certificateSignatureCacheSize()).toBe(1); // bench/pki.bench.ts shows what this saves
      expect(isSignedBy(ca(), leaf())).toBe(false); // a "no" is remembered too
      const { root, ca: kitCa, leaf: kitLeaf } = testHierarchy();
      isSignedBy(kitCa.cert, root.cert);
      isSignedBy(kitLeaf.cert, kitCa.cert);
      expect(certificateSignatureCacheSize()).toBe(3); // bounded: the least recently used pair went
    } finally {
      clearCertificateSignatureCache(4096);
    }
  });
});
