// Verdicts as ETSI EN 319 102-1 states them (verdict.ts): what is proven wrong is INVALID (TOTAL-FAILED); an
// expired or revoked certificate without proof of when the signature was made, or a chain to no trust anchor, is
// INDETERMINATE — real signatures made by others are not called INVALID for what the evidence cannot show.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERIFICATION_SUBINDICATIONS } from '../../contract/errors/pki';
import { gostKeyHandle, issueCrl, testHierarchy, testTsa } from './ca-test-kit';
import { createCms } from './cms';
import { parseCms } from './cms-parse';
import { openssl, tempDir, writeTemp } from './cms-test-kit';
import { verifyCms } from './cms-verify';
import { KZ_POLICY } from './oids';
import { pinClockToTestMaterial, readTest, testP12 } from './test-kit';
import { loadTrustStore, timestampTrust } from './trust';
import { addTimestampToken, createTimestampToken } from './tsp';
import type { SignerVerdict, SubIndication, VerdictStatus, VerificationReason } from './types';
import { judgeSigner, type VerdictFacts } from './verdict';

pinClockToTestMaterial(); // 2026-11-25 12:00 UTC

const ACT = new TextEncoder().encode('Акт сверки № 9 от 20.11.2026');
const TEST = loadTrustStore('test');
const PRODUCTION = loadTrustStore('production', { osStore: false });
const TEST_CRL = readTest('gost2022-test/ca/nca_gost2022_test.crl');
const nuc = testTsa('(verdict test)');
const tsaTrust = timestampTrust(TEST, nuc.store);

const facts = (reasons: VerificationReason[], more: Partial<VerdictFacts> = {}): VerdictFacts => ({ reasons, revocation: { status: 'unknown' }, chainFound: true, ...more });
const outcome = (v: Pick<SignerVerdict, 'status' | 'subIndication'>) => [v.status, v.subIndication];

/** A CMS signed at `signedAt` (its signingTime), with a timestamp of `stampedAt` from the test TSA when given. */
function signed(k: { key: Parameters<typeof createCms>[0]['key']; certificate: Parameters<typeof createCms>[0]['certificate'] }, signedAt: Date, stampedAt?: Date): Uint8Array {
  const cms = createCms({ data: ACT, key: k.key, certificate: k.certificate, signingTime: signedAt });
  if (!stampedAt) return cms;
  const token = createTimestampToken({ signatureValue: parseCms(cms).signerInfos[0].signature, key: nuc.key, certificate: nuc.tsa.cert, policy: KZ_POLICY.tsaGost2015, genTime: stampedAt, serialNumber: 9n });
  return addTimestampToken(cms, token);
}

describe('judgeSigner: every reason on its own', () => {
  const expected: Record<VerificationReason, [VerdictStatus, SubIndication]> = {
    MALFORMED: ['invalid', 'FORMAT_FAILURE'],
    CONTENT_TYPE_MISMATCH: ['invalid', 'FORMAT_FAILURE'],
    TIMESTAMP_INVALID: ['invalid', 'FORMAT_FAILURE'],
    DIGEST_MISMATCH: ['invalid', 'HASH_FAILURE'],
    ESS_CERT_MISMATCH: ['invalid', 'HASH_FAILURE'],
    BAD_SIGNATURE: ['invalid', 'SIG_CRYPTO_FAILURE'],
    CERT_NOT_YET_VALID: ['invalid', 'NOT_YET_VALID'],
    NO_SIGNER_CERT: ['indeterminate', 'NO_SIGNING_CERTIFICATE_FOUND'],
    DETACHED_DATA_MISSING: ['indeterminate', 'SIGNED_DATA_NOT_FOUND'],
    UNSUPPORTED_ALGORITHM: ['indeterminate', 'CRYPTO_CONSTRAINTS_FAILURE'],
    TRUST_STORE_EMPTY: ['indeterminate', 'NO_CERTIFICATE_CHAIN_FOUND'],
    UNTRUSTED_CHAIN: ['indeterminate', 'CHAIN_CONSTRAINTS_FAILURE'],
    KEY_USAGE_NOT_ALLOWED: ['indeterminate', 'CHAIN_CONSTRAINTS_FAILURE'],
    CERT_REVOKED: ['indeterminate', 'REVOKED_NO_POE'],
    CERT_EXPIRED: ['indeterminate', 'OUT_OF_BOUNDS_NO_POE'],
    REVOCATION_UNKNOWN: ['indeterminate', 'TRY_LATER'],
  };

  it.each(Object.entries(expected) as [VerificationReason, [VerdictStatus, SubIndication]][])('%s → %j', (reason, want) => {
    const j = judgeSigner(facts([reason]));
    expect(outcome(j)).toEqual(want);
    expect(j.valid).toBe(false);
    expect(VERIFICATION_SUBINDICATIONS[want[1]].message.en.length).toBeGreaterThan(10);
  });

  it('no reason → VALID with no sub-indication', () => {
    expect(judgeSigner(facts([]))).toEqual({ valid: true, status: 'valid' });
  });

  it('a chain to no anchor is NO_CERTIFICATE_CHAIN_FOUND; a found one whose CA breaks the rules is CHAIN_CONSTRAINTS_FAILURE', () => {
    expect(judgeSigner(facts(['UNTRUSTED_CHAIN'], { chainFound: false })).subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(judgeSigner(facts(['UNTRUSTED_CHAIN'], { chainFound: true })).subIndication).toBe('CHAIN_CONSTRAINTS_FAILURE');
  });

  it('a proven failure decides over anything not confirmed; the chain comes before the certificate\'s dates', () => {
    expect(outcome(judgeSigner(facts(['UNTRUSTED_CHAIN', 'CERT_EXPIRED', 'BAD_SIGNATURE'], { chainFound: false })))).toEqual(['invalid', 'SIG_CRYPTO_FAILURE']);
    expect(outcome(judgeSigner(facts(['CERT_EXPIRED', 'UNTRUSTED_CHAIN', 'REVOCATION_UNKNOWN'], { chainFound: false })))).toEqual(['indeterminate', 'NO_CERTIFICATE_CHAIN_FOUND']);
    expect(outcome(judgeSigner(facts(['CERT_EXPIRED', 'REVOCATION_UNKNOWN'])))).toEqual(['indeterminate', 'OUT_OF_BOUNDS_NO_POE']);
    expect(outcome(judgeSigner(facts(['CERT_EXPIRED'], { revocation: { status: 'good' } })))).toEqual(['indeterminate', 'OUT_OF_BOUNDS_NOT_REVOKED']);
    expect(outcome(judgeSigner(facts(['CERT_REVOKED', 'CERT_EXPIRED'])))).toEqual(['indeterminate', 'REVOKED_NO_POE']);
  });

  it('revoked: INVALID only with proof the signature came after — a timestamp and the signer\'s own signing time both later', () => {
    const revokedAt = new Date('2026-06-02T00:00:00Z');
    const after = new Date('2026-11-20T00:00:00Z');
    const before = new Date('2026-05-20T00:00:00Z');
    const revoked = (more: Partial<VerdictFacts>) => judgeSigner(facts(['CERT_REVOKED'], { revocation: { status: 'revoked', revokedAt }, ...more }));
    expect(outcome(revoked({ timestampTime: after, signingTime: after }))).toEqual(['invalid', 'REVOKED']);
    expect(outcome(revoked({ signingTime: after }))).toEqual(['indeterminate', 'REVOKED_NO_POE']); // a claim alone
    expect(outcome(revoked({ timestampTime: after, signingTime: before }))).toEqual(['indeterminate', 'REVOKED_NO_POE']); // signed before, stamped later
    expect(outcome(revoked({ timestampTime: after }))).toEqual(['indeterminate', 'REVOKED_NO_POE']); // no signing time at all
    // …and only under a chain that is confirmed.
    expect(outcome(judgeSigner(facts(['CERT_REVOKED', 'UNTRUSTED_CHAIN'], { revocation: { status: 'revoked', revokedAt }, timestampTime: after, signingTime: after, chainFound: false })))).toEqual(['indeterminate', 'NO_CERTIFICATE_CHAIN_FOUND']);
  });
});

describe('a revoked test key (legal/valid/employee.p12, on the test CRL since 2026-06-02)', () => {
  const employee = testP12('gost2022-test/legal/valid/employee.p12');
  const judge = (cms: Uint8Array) => verifyCms(cms, { trust: TEST, tsaTrust, crls: [TEST_CRL], revocation: 'crl' });

  it('signed after the revocation with a timestamp → INVALID (REVOKED)', async () => {
    const s = (await judge(signed(employee, new Date('2026-11-20T09:30:00Z'), new Date('2026-11-20T09:30:05Z')))).signers[0];
    expect(s.timestamp?.status).toBe('valid');
    expect(s.reasons).toEqual(['CERT_REVOKED']);
    expect(s.revocation.revokedAt).toEqual(new Date('2026-06-02T11:39:09Z'));
    expect(outcome(s)).toEqual(['invalid', 'REVOKED']);
    expect(s.valid).toBe(false);
  });

  it('signed after the revocation without a timestamp → INDETERMINATE (REVOKED_NO_POE): nothing proves when it was made', async () => {
    const s = (await judge(signed(employee, new Date('2026-11-20T09:30:00Z')))).signers[0];
    expect(s.reasons).toEqual(['CERT_REVOKED']);
    expect(outcome(s)).toEqual(['indeterminate', 'REVOKED_NO_POE']);
  });

  it('claimed before the revocation but stamped only after it → INDETERMINATE (REVOKED_NO_POE)', async () => {
    const s = (await judge(signed(employee, new Date('2026-05-20T09:30:00Z'), new Date('2026-11-20T09:30:05Z')))).signers[0];
    expect(outcome(s)).toEqual(['indeterminate', 'REVOKED_NO_POE']);
  });

  it('a timestamp from before the revocation proves it was made while the key was good → VALID', async () => {
    const s = (await judge(signed(employee, new Date('2026-05-20T09:30:00Z'), new Date('2026-05-20T09:30:05Z')))).signers[0];
    expect(s).toMatchObject({ valid: true, status: 'valid', reasons: [], validationTimeSource: 'timestamp', revocation: { status: 'good' } });
    expect(s.subIndication).toBeUndefined();
  });
});

describe('an expired certificate (minted: valid 2026-01-01 … 2026-11-01)', () => {
  const h = testHierarchy({ gost: true, leaf: { notAfter: new Date('2026-11-01T00:00:00Z') } });
  const k = { key: gostKeyHandle(h.leaf), certificate: h.leaf.cert };
  const trust = { name: 'kit', anchors: [h.root.cert], intermediates: [h.ca.cert] };
  const after = new Date('2026-11-20T09:30:00Z');

  it('signed (as it says) after the expiry, no timestamp → INDETERMINATE (OUT_OF_BOUNDS_NO_POE)', async () => {
    const s = (await verifyCms(signed(k, after), { trust, revocation: 'none' })).signers[0];
    expect(s.reasons).toEqual(['CERT_EXPIRED']);
    expect(outcome(s)).toEqual(['indeterminate', 'OUT_OF_BOUNDS_NO_POE']);
  });

  it('…and OUT_OF_BOUNDS_NOT_REVOKED when a CRL from before the expiry still covers that time and does not list it', async () => {
    const crl = issueCrl({ issuer: h.ca, thisUpdate: new Date('2026-10-30T00:00:00Z'), nextUpdate: new Date('2027-01-30T00:00:00Z'), entries: [] });
    const s = (await verifyCms(signed(k, after), { trust, crls: [crl], revocation: 'crl' })).signers[0];
    expect(s.revocation.status).toBe('good');
    expect(outcome(s)).toEqual(['indeterminate', 'OUT_OF_BOUNDS_NOT_REVOKED']);
  });

  it('signed and stamped after the expiry → INVALID (EXPIRED); stamped while valid → VALID', async () => {
    const late = (await verifyCms(signed(k, after, new Date(after.getTime() + 5000)), { trust, tsaTrust: nuc.store, revocation: 'none' })).signers[0];
    expect(outcome(late)).toEqual(['invalid', 'EXPIRED']);
    const inTime = new Date('2026-10-20T09:30:00Z');
    const ok = (await verifyCms(signed(k, inTime, new Date(inTime.getTime() + 5000)), { trust, tsaTrust: nuc.store, revocation: 'none' })).signers[0];
    expect(outcome(ok)).toEqual(['valid', undefined]);
  });
});

describe('a CMS made by OpenSSL with a self-signed certificate', () => {
  const dir = tempDir();
  const key = path.join(dir, 'self.pem');
  const crt = path.join(dir, 'self.crt');
  const out = path.join(dir, 'self.cms');
  expect(openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-subj', '/CN=Self Signed/O=Somebody', '-days', '30']).status).toBe(0);
  expect(openssl(['cms', '-sign', '-binary', '-nodetach', '-md', 'sha256', '-signer', crt, '-inkey', key, '-in', writeTemp(dir, 'act.bin', ACT), '-outform', 'DER', '-out', out]).status).toBe(0);
  const cms = new Uint8Array(readFileSync(out));

  it('default (production) trust → INDETERMINATE (NO_CERTIFICATE_CHAIN_FOUND), not INVALID', async () => {
    const s = (await verifyCms(cms, { trust: PRODUCTION })).signers[0];
    expect(s.reasons).toEqual(['UNTRUSTED_CHAIN']);
    expect(outcome(s)).toEqual(['indeterminate', 'NO_CERTIFICATE_CHAIN_FOUND']);
    expect(s.certificate?.commonName).toBe('Self Signed');
  });

  it('the same, with its content changed → INVALID (HASH_FAILURE); with its signature value changed → INVALID (SIG_CRYPTO_FAILURE)', async () => {
    const at = Buffer.from(cms).indexOf(Buffer.from(ACT));
    expect(at).toBeGreaterThan(0);
    const content = Uint8Array.from(cms);
    content[at + ACT.length - 1] ^= 0x01;
    expect(outcome((await verifyCms(content, { trust: PRODUCTION })).signers[0])).toEqual(['invalid', 'HASH_FAILURE']);
    const sig = parseCms(cms).signerInfos[0].signature;
    const sigAt = Buffer.from(cms).indexOf(Buffer.from(sig));
    const bent = Uint8Array.from(cms);
    bent[sigAt + 10] ^= 0x01;
    const b = (await verifyCms(bent, { trust: PRODUCTION })).signers[0];
    expect(b.reasons).toContain('BAD_SIGNATURE');
    expect(outcome(b)).toEqual(['invalid', 'SIG_CRYPTO_FAILURE']);
  });

  it('a detached one without its document → INDETERMINATE (SIGNED_DATA_NOT_FOUND); with another document → INVALID (HASH_FAILURE)', async () => {
    const det = path.join(dir, 'det.cms');
    expect(openssl(['cms', '-sign', '-binary', '-md', 'sha256', '-signer', crt, '-inkey', key, '-in', path.join(dir, 'act.bin'), '-outform', 'DER', '-out', det]).status).toBe(0);
    const d = new Uint8Array(readFileSync(det));
    expect(outcome((await verifyCms(d, { trust: PRODUCTION })).signers[0])).toEqual(['indeterminate', 'SIGNED_DATA_NOT_FOUND']);
    expect(outcome((await verifyCms(d, { trust: PRODUCTION, data: new TextEncoder().encode('другой акт') })).signers[0])).toEqual(['invalid', 'HASH_FAILURE']);
  });
});
