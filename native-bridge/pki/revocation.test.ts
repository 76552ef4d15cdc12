import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { issue, issueCrl, issueOcspResponse, testHierarchy } from './ca-test-kit';
import { validateCertificatePath } from './chain';
import { parseCrl } from './crl';
import { parseOcspResponse } from './ocsp';
import { TAG, generalizedTime, integer, octetString, oid, seq } from './der';
import { EKU, EXT, X500 } from './oids';
import { type RevocationMode, checkRevocation } from './revocation';
import { TEST_PKI, filesUnder, readTest, testCert } from './test-kit';
import { loadTrustStore } from './trust';

const AT = new Date('2026-11-25T00:00:00Z');


describe('revocation of the НУЦ РК test certificates from the test CRL, at 2026-11-25', () => {
  const trust = loadTrustStore('test');
  const crl = parseCrl(readTest('gost2022-test/ca/nca_gost2022_test.crl'));
  // legal/valid/employee and legal/valid/infosystem are on the CRL (superseded 2026-06-02): see crl.test.ts.
  const superseded = /legal\/valid\/(employee|infosystem)\.pem$/;
  const cases = filesUnder('gost2022-test', '.pem').map((f) => [path.relative(TEST_PKI, f), f.includes('/revoked/') || superseded.test(f)] as const);

  it.each(cases)('%s → revoked: %s', (rel, revoked) => {
    const cert = testCert(rel);
    const r = validateCertificatePath(cert, { trust, at: AT, crls: [crl], revocation: 'crl' });
    if (revoked) {
      expect(r.reasons).toEqual(['CERT_REVOKED']);
      expect(r.revocation).toMatchObject({ status: 'revoked', source: 'crl', checkedAt: crl.thisUpdate });
      expect(r.revocation.revokedAt!.getTime()).toBeLessThanOrEqual(AT.getTime());
    } else {
      expect(r.reasons).toEqual([]);
      expect(r.revocation).toEqual({ status: 'good', source: 'crl', checkedAt: crl.thisUpdate, nextUpdate: crl.nextUpdate });
    }
  });

  it('a signature made before the revocation date was made by a good certificate', () => {
    const cert = testCert('gost2022-test/individual/revoked/individual_revoked.pem');
    const r = validateCertificatePath(cert, { trust, at: new Date('2026-05-08T12:00:00Z'), crls: [crl], revocation: 'crl' });
    expect(r.reasons).toEqual([]);
    expect(r.revocation.status).toBe('good');
  });

  it('the raw DER works too, and the same bytes are parsed once', () => {
    const der = readTest('gost2022-test/ca/nca_gost2022_test.crl');
    const cert = testCert('gost2022-test/individual/revoked/individual_revoked.pem');
    for (let i = 0; i < 3; i++) expect(validateCertificatePath(cert, { trust, at: AT, crls: [der], revocation: 'crl' }).reasons).toEqual(['CERT_REVOKED']);
  });
});

describe('the revocation decision (table)', () => {
  const h = testHierarchy();
  const other = testHierarchy();
  const leaf = h.leaf.cert;
  const responder = issue({ subject: [[X500.commonName, 'OCSP']], issuer: h.ca, eku: [EKU.ocspSigning] });
  const revokedMay = issueCrl({ issuer: h.ca, thisUpdate: new Date('2026-06-01'), nextUpdate: new Date('2026-12-31'), entries: [{ serial: Buffer.from(leaf.serialNumber, 'hex'), revokedAt: new Date('2026-05-01'), reason: 1 }] });
  const cleanFresh = issueCrl({ issuer: h.ca, thisUpdate: new Date('2026-06-01'), nextUpdate: new Date('2026-12-31'), entries: [] });
  const cleanStale = issueCrl({ issuer: h.ca, thisUpdate: new Date('2026-01-01'), nextUpdate: new Date('2026-02-01'), entries: [] });
  const foreignCrl = issueCrl({ issuer: other.ca, thisUpdate: new Date('2026-06-01'), nextUpdate: new Date('2026-12-31'), entries: [{ serial: Buffer.from(leaf.serialNumber, 'hex'), revokedAt: new Date('2026-05-01') }] });
  const forgedCrl = issueCrl({ issuer: h.ca, signWith: other.ca.key, thisUpdate: new Date('2026-06-01'), entries: [{ serial: Buffer.from(leaf.serialNumber, 'hex'), revokedAt: new Date('2026-05-01') }] });
  const deltaOf1 = [seq(oid(EXT.deltaCRLIndicator), Uint8Array.of(TAG.BOOLEAN, 1, 0xff), octetString(integer(1)))];
  const delta = issueCrl({ issuer: h.ca, thisUpdate: new Date('2026-06-01'), nextUpdate: new Date('2026-06-02'), entries: [], crlNumber: 2, extraExtensions: deltaOf1 });
  const deltaRevoking = issueCrl({ issuer: h.ca, thisUpdate: new Date('2026-06-01'), nextUpdate: new Date('2026-06-02'), entries: [{ serial: Buffer.from(leaf.serialNumber, 'hex'), revokedAt: new Date('2026-05-01') }], crlNumber: 2, extraExtensions: deltaOf1 });
  const afterExpiry = issueCrl({ issuer: h.ca, thisUpdate: new Date('2027-02-01'), nextUpdate: new Date('2027-03-01'), entries: [] });
  const afterExpiryKeeping = issueCrl({ issuer: h.ca, thisUpdate: new Date('2027-02-01'), nextUpdate: new Date('2027-03-01'), entries: [], extraExtensions: [seq(oid(EXT.expiredCertsOnCRL), octetString(generalizedTime(new Date('2026-01-01'))))] });
  const ocspGood = issueOcspResponse({ cert: leaf, issuer: h.ca, responder, status: { status: 'good' }, producedAt: new Date('2026-06-01') });
  const ocspRevoked = issueOcspResponse({ cert: leaf, issuer: h.ca, status: { status: 'revoked', revokedAt: new Date('2026-05-01'), reason: 4 }, producedAt: new Date('2026-06-01') });
  const ocspUnknown = issueOcspResponse({ cert: leaf, issuer: h.ca, status: { status: 'unknown' }, producedAt: new Date('2026-06-01') });
  const ocspOld = issueOcspResponse({ cert: leaf, issuer: h.ca, status: { status: 'good' }, producedAt: new Date('2026-01-01') });
  const ocspAfterExpiry = issueOcspResponse({ cert: leaf, issuer: h.ca, status: { status: 'good' }, producedAt: new Date('2027-02-01') });
  const ocspFuture = issueOcspResponse({ cert: leaf, issuer: h.ca, status: { status: 'good' }, producedAt: new Date('2027-01-01') });
  const june = new Date('2026-06-01T00:00:00Z');
  const april = new Date('2026-04-01T00:00:00Z');

  type Row = [name: string, mode: RevocationMode, at: Date, crls: Uint8Array[], ocsp: Uint8Array[], status: string, reasons: string[]];
  const rows: Row[] = [
    ['none → not checked, whatever is given', 'none', june, [revokedMay], [ocspRevoked], 'not_checked', []],
    ['auto, nothing given → unknown, not a failure', 'auto', june, [], [], 'unknown', []],
    ['crl required, nothing given → REVOCATION_UNKNOWN', 'crl', june, [], [], 'unknown', ['REVOCATION_UNKNOWN']],
    ['ocsp required, nothing given → REVOCATION_UNKNOWN', 'ocsp', june, [], [], 'unknown', ['REVOCATION_UNKNOWN']],
    ['crl-or-ocsp required, nothing given → REVOCATION_UNKNOWN', 'crl-or-ocsp', june, [], [], 'unknown', ['REVOCATION_UNKNOWN']],
    ['CRL: revoked before `at`', 'crl', june, [revokedMay], [], 'revoked', ['CERT_REVOKED']],
    ['CRL: revoked after `at` → good at `at`', 'crl', april, [revokedMay], [], 'good', []],
    ['CRL: not listed, CRL current at `at`', 'crl', june, [cleanFresh], [], 'good', []],
    ['CRL: not listed, CRL issued after `at`', 'crl', april, [cleanFresh], [], 'good', []],
    ['CRL: not listed but the CRL is stale', 'crl', june, [cleanStale], [], 'unknown', ['REVOCATION_UNKNOWN']],
    ['CRL of another CA is ignored', 'crl', june, [foreignCrl], [], 'unknown', ['REVOCATION_UNKNOWN']],
    ['forged CRL (same name, wrong key) is ignored', 'crl', june, [forgedCrl], [], 'unknown', ['REVOCATION_UNKNOWN']],
    ['garbage instead of a CRL is ignored', 'auto', june, [Uint8Array.of(1, 2, 3)], [], 'unknown', []],
    ['OCSP good from a delegated responder', 'ocsp', june, [], [ocspGood], 'good', []],
    ['OCSP revoked', 'ocsp', june, [], [ocspRevoked], 'revoked', ['CERT_REVOKED']],
    ['OCSP unknown', 'ocsp', june, [], [ocspUnknown], 'unknown', ['REVOCATION_UNKNOWN']],
    ['OCSP good but older than `at`, no nextUpdate', 'ocsp', june, [], [ocspOld], 'unknown', ['REVOCATION_UNKNOWN']],
    ['OCSP produced after the time of checking is refused', 'ocsp', june, [], [ocspFuture], 'unknown', ['REVOCATION_UNKNOWN']],
    ['crl mode ignores OCSP', 'crl', june, [], [ocspRevoked], 'unknown', ['REVOCATION_UNKNOWN']],
    ['ocsp mode ignores CRLs', 'ocsp', june, [revokedMay], [], 'unknown', ['REVOCATION_UNKNOWN']],
    ['revoked evidence wins over good evidence', 'crl-or-ocsp', june, [cleanFresh], [ocspRevoked], 'revoked', ['CERT_REVOKED']],
    ['auto uses what is given', 'auto', june, [cleanFresh], [], 'good', []],
    ['CRL issued after the certificate expired: not being listed proves nothing', 'crl', june, [afterExpiry], [], 'unknown', ['REVOCATION_UNKNOWN']],
    ['… unless it keeps expired certificates (ExpiredCertsOnCRL)', 'crl', june, [afterExpiryKeeping], [], 'good', []],
    ['delta CRL alone: absence proves nothing', 'crl', june, [delta], [], 'unknown', ['REVOCATION_UNKNOWN']],
    ['delta CRL with its base', 'crl', june, [delta, cleanFresh], [], 'good', []],
    ['delta CRL listing the certificate', 'crl', june, [cleanFresh, deltaRevoking], [], 'revoked', ['CERT_REVOKED']],
  ];

  it.each(rows)('%s', (_n, mode, at, crls, ocspResponses, status, reasons) => {
    const r = checkRevocation(leaf, h.ca.cert, { mode, at, crls, ocspResponses, now: new Date('2026-11-25') });
    expect(r.revocation.status).toBe(status);
    expect(r.reasons).toEqual(reasons);
    if (status === 'revoked') expect(r.revocation.revokedAt).toEqual(new Date('2026-05-01'));
  });

  it('an OCSP "good" given after the certificate expired proves nothing (responders may forget expired certificates)', () => {
    const r = checkRevocation(leaf, h.ca.cert, { mode: 'ocsp', at: june, ocspResponses: [ocspAfterExpiry], now: new Date('2027-03-01') });
    expect(r).toMatchObject({ revocation: { status: 'unknown' }, reasons: ['REVOCATION_UNKNOWN'] });
    expect(r.problems).toEqual(['OCSP answer from 2027-02-01T00:00:00.000Z came after the certificate expired (2027-01-01T00:00:00.000Z): its "good" proves nothing']);
  });

  it('parsed OCSP responses and CRLs are accepted as objects too', () => {
    const r = checkRevocation(leaf, h.ca.cert, { mode: 'crl-or-ocsp', at: june, crls: [parseCrl(cleanFresh)], ocspResponses: [parseOcspResponse(ocspGood)], now: new Date('2026-11-25') });
    expect(r.revocation.status).toBe('good');
  });

  it('no issuer → unknown', () => {
    expect(checkRevocation(leaf, undefined, { mode: 'crl', at: june, crls: [revokedMay] })).toMatchObject({ revocation: { status: 'unknown' }, reasons: ['REVOCATION_UNKNOWN'] });
  });
});
