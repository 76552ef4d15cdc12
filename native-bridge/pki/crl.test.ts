import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { issueCrl, syntheticRevokedList, syntheticSerial, testHierarchy } from './ca-test-kit';
import { parseCertificate } from './certificate';
import { parseCrl, verifyCrl } from './crl';
import { TAG, octetString, oid, seq, toPem } from './der';
import { TEST_PKI, codeOf, filesUnder, readTest, testCert } from './test-kit';

const CRL = readTest('gost2022-test/ca/nca_gost2022_test.crl');
const NCA = testCert('gost2022-test/ca/nca_gost2022_test.cer');
const ROOT = testCert('gost2022-test/ca/root_test_gost_2022.cer');

const cert = (f: string) => parseCertificate(readFileSync(f));
const REVOKED = filesUnder('gost2022-test', '.pem').filter((f) => f.includes('/revoked/'));
const VALID = filesUnder('gost2022-test', '.pem').filter((f) => f.includes('/valid/'));

describe('the НУЦ РК test CRL', () => {
  const crl = parseCrl(CRL, { issuer: NCA });

  it('header facts: issuer, dates, number, AKI, 195 entries, GOST-2015-512 signature of the issuing CA', () => {
    expect(crl.issuerDn).toBe('CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022,C=KZ');
    expect(crl.thisUpdate.toISOString()).toBe('2026-08-11T03:49:19.000Z');
    expect(crl.nextUpdate?.toISOString()).toBe('2027-02-07T03:49:19.000Z');
    expect(crl.crlNumber).toBe(166n);
    expect(crl.deltaOf).toBeUndefined();
    expect(crl.authorityKeyId).toBe(NCA.subjectKeyId);
    expect(crl.size).toBe(195);
    expect(crl.signatureAlgorithmOid).toBe('1.2.398.3.10.1.1.2.3.2');
    expect(verifyCrl(crl, NCA)).toBe(true);
    expect(verifyCrl(crl, ROOT)).toBe(false);
  });

  it.each(REVOKED.map((f) => [path.relative(TEST_PKI, f), f]))('lists %s with its date and reason', (_n, f) => {
    const e = crl.entry(cert(f).serialNumber);
    expect(e).toBeDefined();
    expect(e!.revokedAt.toISOString()).toMatch(/^2026-05-08T1[4-6]:/);
    expect(e!.reason).toBe('certificateHold');
  });

  it('lists none of the valid individual/head/sign-right/treasury certificates …', () => {
    const notListed = VALID.filter((f) => !/legal\/valid\/(employee|infosystem)\.pem$/.test(f));
    expect(notListed).toHaveLength(4);
    for (const f of notListed) expect(crl.entry(cert(f).serialNumber), f).toBeUndefined();
  });

  it('… but DOES list legal/valid/employee and legal/valid/infosystem: superseded on 2026-06-02', () => {
    // A fact of the material (the README says so now): these two were re-issued and the old ones revoked.
    for (const [name, date] of [['employee', '2026-06-02T11:39:09.000Z'], ['infosystem', '2026-06-02T11:25:49.000Z']]) {
      const e = crl.entry(testCert(`gost2022-test/legal/valid/${name}.pem`).serialNumber);
      expect(e).toEqual({ revokedAt: new Date(date), reason: 'superseded' });
    }
  });

  it('resources/test-pki/README.md says "on the CRL" for exactly the */valid/ keys the CRL lists', () => {
    const readme = readFileSync(path.join(TEST_PKI, 'README.md'), 'utf8');
    for (const f of VALID) {
      const rel = path.relative(path.join(TEST_PKI, 'gost2022-test'), f).replace(/\.pem$/, '.p12');
      const row = readme.split('\n').find((l) => l.startsWith(`| ${rel} |`));
      expect(row, rel).toBeDefined();
      expect([rel, /on the CRL/.test(row!)]).toEqual([rel, crl.entry(cert(f).serialNumber) !== undefined]);
    }
  });

  it('reads PEM too', () => {
    expect(parseCrl(new TextEncoder().encode(toPem(CRL, 'X509 CRL'))).size).toBe(195);
  });

  it('lookups are case-insensitive on the hex serial; unknown serials are absent', () => {
    expect(crl.entry('3acea55cbcdf38c861fb3f341854c53ec9ed6ecd')).toBeDefined();
    expect(crl.entry('00')).toBeUndefined();
    expect([...crl.serials()]).toHaveLength(195);
  });

  it('a tampered CRL does not verify; asked to check the issuer, parseCrl refuses it', () => {
    const bad = Uint8Array.from(CRL);
    bad[500] ^= 1;
    expect(verifyCrl(parseCrl(bad), NCA)).toBe(false);
    expect(codeOf(() => parseCrl(bad, { issuer: NCA }))).toBe('CRL_MALFORMED');
    expect(codeOf(() => parseCrl(CRL, { issuer: ROOT }))).toBe('CRL_MALFORMED');
  });
});

describe('malformed CRLs are CRL_MALFORMED, never a crash or a hang', () => {
  it('examples', () => {
    for (const b of [new Uint8Array(0), Uint8Array.of(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff), CRL.subarray(0, CRL.length - 1), Uint8Array.of(0x31, ...CRL.subarray(1)), readTest('gost2022-test/ca/nca_gost2022_test.cer')]) {
      expect(codeOf(() => parseCrl(b))).toBe('CRL_MALFORMED');
    }
  });

  it('property: random damage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: CRL.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.nat(CRL.length - 1), (pos, x, cut) => {
        const b = Uint8Array.from(CRL);
        b[pos] ^= x;
        const code = codeOf(() => {
          const c = parseCrl(b);
          for (const s of c.serials()) c.entry(s);
        });
        expect(['ok', 'CRL_MALFORMED']).toContain(code);
        expect(codeOf(() => parseCrl(CRL.subarray(0, cut)))).toBe('CRL_MALFORMED');
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(['ok', 'CRL_MALFORMED']).toContain(codeOf(() => parseCrl(b)));
      }),
      { numRuns: 200 },
    );
  });

  it('an unknown critical CRL extension makes the CRL unusable', () => {
    const h = testHierarchy();
    const der = issueCrl({ issuer: h.ca, thisUpdate: new Date('2026-01-01'), entries: [], extraExtensions: [seq(oid('1.2.3.4'), Uint8Array.of(TAG.BOOLEAN, 1, 0xff), octetString(Uint8Array.of(5, 0)))] });
    expect(codeOf(() => parseCrl(der))).toBe('CRL_MALFORMED');
  });
});

describe('production-sized CRLs', () => {
  it('300 000 entries (~13 MB): indexed in one pass, looked up by serial', () => {
    const h = testHierarchy();
    const N = 300_000;
    const serialOf = syntheticSerial;
    const list = syntheticRevokedList(N);
    const der = issueCrl({ issuer: h.ca, thisUpdate: new Date('2026-08-01'), nextUpdate: new Date('2026-08-08'), entries: [], revokedList: list });
    expect(der.length).toBeGreaterThan(12_000_000);
    const t0 = performance.now();
    const crl = parseCrl(der);
    const parseMs = performance.now() - t0;
    expect(crl.size).toBe(N);
    expect(crl.entry(Buffer.from(serialOf(123_456)).toString('hex').toUpperCase())).toEqual({ revokedAt: new Date('2026-01-01T00:00:00Z'), reason: 'keyCompromise' });
    expect(crl.entry(Buffer.from(serialOf(1)).toString('hex'))).toEqual({ revokedAt: new Date('2026-01-01T00:00:00Z') });
    expect(crl.entry('0102')).toBeUndefined();
    const t1 = performance.now();
    expect(verifyCrl(crl, h.ca.cert)).toBe(true);
    console.log(`${N}-entry CRL (${(der.length / 1e6).toFixed(1)} MB): index ${parseMs.toFixed(0)} ms, RSA signature check ${(performance.now() - t1).toFixed(0)} ms`);
    // Generous bound for a shared 2-core machine; the point is "one pass", not a benchmark.
    expect(parseMs).toBeLessThan(3000);
  });
});
