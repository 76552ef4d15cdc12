// The CRL worker: a CRL read in a worker thread is the same CRL (size, entries, lookups), its signature verdict for
// each candidate issuer comes back with it (crlIssuedBy answers without hashing here), damage is CRL_MALFORMED, and
// a production-sized CRL (500 000 entries, ~22 MB) is read and checked while this thread keeps turning.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isKenseError } from '../../../contract/errors';
import { issueCrl, syntheticRevokedList, syntheticSerial, testHierarchy } from '../../../native-bridge/pki/ca-test-kit';
import { parseCertificate } from '../../../native-bridge/pki/certificate';
import { parseCrl } from '../../../native-bridge/pki/crl';
import { toPem } from '../../../native-bridge/pki/der';
import { crlIssuedBy } from '../../../native-bridge/pki/revocation';
import { TEST_CRL } from '../signatures';
import { turnsDuring } from '../slicer';
import { CrlWorker } from './pool';

const NCA = parseCertificate(new Uint8Array(readFileSync(TEST_CRL.replace(/\.crl$/, '.cer'))));
const ROOT = parseCertificate(new Uint8Array(readFileSync(TEST_CRL.replace(/nca_gost2022_test\.crl$/, 'root_test_gost_2022.cer'))));
const CRL = new Uint8Array(readFileSync(TEST_CRL));

const worker = new CrlWorker();
afterAll(() => worker.close());

describe('CRLs read in the CRL worker', () => {
  it('the same CRL as parsed here, from bytes, PEM or a file; the issuer verdicts come with it', async () => {
    const here = parseCrl(CRL);
    for (const crl of [await worker.parse(CRL, [NCA, ROOT]), await worker.parseFile(TEST_CRL, [NCA, ROOT]), await worker.parse(new TextEncoder().encode(toPem(CRL, 'X509 CRL')), [NCA])]) {
      expect(crl.size).toBe(here.size);
      expect(crl.issuerDn).toBe(here.issuerDn);
      expect(crl.thisUpdate).toEqual(here.thisUpdate);
      expect(crl.nextUpdate).toEqual(here.nextUpdate);
      expect(crl.crlNumber).toBe(here.crlNumber);
      expect([...crl.serials()].sort()).toEqual([...here.serials()].sort());
      for (const s of here.serials()) expect(crl.entry(s)).toEqual(here.entry(s));
      expect(crlIssuedBy(crl, NCA)).toBe(true);
    }
    expect(crlIssuedBy(await worker.parse(CRL, [ROOT]), ROOT)).toBe(false);
  });

  it('a tampered CRL does not verify; unreadable bytes are CRL_MALFORMED; the worker goes on', async () => {
    const bad = Uint8Array.from(CRL);
    bad[500] ^= 1;
    expect(crlIssuedBy(await worker.parse(bad, [NCA]), NCA)).toBe(false);
    const e = await worker.parse(CRL.subarray(0, CRL.length - 1), [NCA]).catch((x: unknown) => x);
    expect(isKenseError(e, 'CRL_MALFORMED')).toBe(true);
    expect((await worker.parse(CRL, [NCA])).size).toBe(parseCrl(CRL).size);
  });

  it('a 500 000-entry CRL is read and its signature checked while this thread keeps turning', async () => {
    const h = testHierarchy();
    const der = issueCrl({ issuer: h.ca, thisUpdate: new Date('2026-08-01'), nextUpdate: new Date('2026-08-08'), entries: [], revokedList: syntheticRevokedList(500_000) });
    expect(der.length).toBeGreaterThan(20_000_000);
    const { value: crl, turns } = await turnsDuring(() => worker.parse(der, [h.ca.cert]));
    expect(crl.size).toBe(500_000);
    expect(crl.entry(Buffer.from(syntheticSerial(123_456)).toString('hex'))).toEqual({ revokedAt: new Date('2026-01-01T00:00:00Z'), reason: 'keyCompromise' });
    expect(crlIssuedBy(crl, h.ca.cert)).toBe(true);
    // The index and the hashing ran elsewhere: this thread turned many times meanwhile (parsed here it turns once).
    expect(turns).toBeGreaterThan(20);
  });
});
