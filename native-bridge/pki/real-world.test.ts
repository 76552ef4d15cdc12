// Signatures KalkanCrypt really produced (resources/test-pki/real-world, sources in its README), judged
// at their own time: they must come out VALID or INDETERMINATE as the evidence allows — never INVALID,
// also when judged now, long after their certificates expired (ETSI EN 319 102-1: OUT_OF_BOUNDS_NO_POE).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyXml } from '../xml/dsig';
import { parseCms } from './cms-parse';
import { verifyCms } from './cms-verify';
import { ESS } from './oids';
import { parseTimestampToken } from './tsp';
import { TEST_PKI } from './test-kit';
import { loadTrustStore } from './trust';

const REAL = path.join(TEST_PKI, 'real-world');
const CADES_T = readFileSync(path.join(REAL, 'kalkan-cades-t-gost2004.cms'), 'utf8');
const XML = readFileSync(path.join(REAL, 'kalkan-xmldsig-gost2015-512.xml'));
const PRODUCTION = loadTrustStore('production', { osStore: false });
const TEST = loadTrustStore('test');

describe('Kalkan CAdES-T of 2018 (GOST 34.310-2004, НУЦ TSA «TSP», production CA of 2018)', () => {
  it('its TSTInfo serial number is a negative INTEGER — read, not refused', () => {
    const si = parseCms(CADES_T).signerInfos[0];
    const token = si.unsignedAttrs.find((a) => a.oid === ESS.signatureTimeStampToken)!.values[0].raw;
    const { tstInfo } = parseTimestampToken(token);
    expect(tstInfo.serialNumberBytes[0]).toBe(0xf8);
    expect(tstInfo.serialNumber < 0n).toBe(true);
    expect(tstInfo.policy).toBe('1.2.398.3.3.2.6.1');
    expect(tstInfo.genTime).toEqual(new Date('2018-12-21T09:25:04Z'));
  });

  it('production store: the timestamp verifies and sets the time; chain to the 2015 root (expired since, valid then); VALID without revocation', async () => {
    const v = await verifyCms(CADES_T, { trust: PRODUCTION, revocation: 'none' });
    const s = v.signers[0];
    expect(s.reasons).toEqual([]);
    expect(s.status).toBe('valid');
    expect(s.timestamp).toEqual({ status: 'valid', time: new Date('2018-12-21T09:25:04Z'), tsa: 'TSP' });
    expect(s).toMatchObject({ validationTimeSource: 'timestamp', validationTime: new Date('2018-12-21T09:25:04Z'), signingTime: new Date('2018-12-21T09:24:00Z') });
    expect(s.chain.map((c) => c.sha256.slice(0, 8))).toEqual([s.certificate!.sha256.slice(0, 8), '908521d0', '9ab210e5']); // nca_gost.cer → root_gost.cer
    expect(s.certificate).toMatchObject({ iin: '123456789012', bin: '123456789021', keyAlgorithm: 'GOST2004' });
    expect(new TextDecoder().decode(v.content)).toBe('Testovaya podpis! Esli vi eto chitaete, znachit podpis proverena!');
  });

  it('with revocation required and no CRL of 2018 at hand: INDETERMINATE (REVOCATION_UNKNOWN only), never INVALID', async () => {
    const v = await verifyCms(CADES_T, { trust: PRODUCTION, revocation: 'crl-or-ocsp' });
    expect(v.signers[0].reasons).toEqual(['REVOCATION_UNKNOWN']);
    expect(v.signers[0]).toMatchObject({ status: 'indeterminate', subIndication: 'TRY_LATER' });
  });

  it('test store: the timestamp still verifies (TSAs are chained to production too); the signer does not chain — UNTRUSTED_CHAIN', async () => {
    const v = await verifyCms(CADES_T, { trust: TEST, revocation: 'none' });
    expect(v.signers[0].timestamp?.status).toBe('valid');
    expect(v.signers[0].reasons).toEqual(['UNTRUSTED_CHAIN']);
    expect(v.signers[0]).toMatchObject({ status: 'indeterminate', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
  });
});

describe('Kalkan XMLDSig (GOST 34.10-2015-512, SDK 2.0.13, test CA 2022)', () => {
  const at = new Date('2024-01-01T00:00:00Z');

  it('verifies at a time inside its certificate (Kalkan writes r‖s little-endian in XML too)', async () => {
    const v = await verifyXml(XML, { trust: TEST, at, revocation: 'none' });
    expect(v.valid).toBe(true);
    expect(v.signatures[0]).toMatchObject({ reasons: [], status: 'valid', validationTimeSource: 'given', signatureMethod: 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512' });
  });

  it("the kit's CRL (2026) came after the certificate expired (2024-11): it cannot speak for it → INDETERMINATE, not VALID", async () => {
    const crl = readFileSync(path.join(TEST_PKI, 'gost2022-test/ca/nca_gost2022_test.crl'));
    const v = await verifyXml(XML, { trust: TEST, at, revocation: 'crl', crls: [new Uint8Array(crl)] });
    expect(v.signatures[0].reasons).toEqual(['REVOCATION_UNKNOWN']);
    expect(v.signatures[0].problems?.join('\n')).toMatch(/was issued after the certificate expired \(2024-11-09T12:03:12\.000Z\)/);
  });

  it('judged now (no time given: XMLDSig carries none, and no timestamp): expired by now → INDETERMINATE (OUT_OF_BOUNDS_NO_POE), not INVALID', async () => {
    const crl = readFileSync(path.join(TEST_PKI, 'gost2022-test/ca/nca_gost2022_test.crl'));
    for (const opts of [{ revocation: 'none' as const }, { revocation: 'crl' as const, crls: [new Uint8Array(crl)] }]) {
      const s = (await verifyXml(XML, { trust: TEST, ...opts })).signatures[0];
      expect(s.reasons).toContain('CERT_EXPIRED');
      expect(s).toMatchObject({ valid: false, status: 'indeterminate', subIndication: 'OUT_OF_BOUNDS_NO_POE', validationTimeSource: 'now' });
    }
    // Under production trust (a test key): no chain — that decides first, still INDETERMINATE.
    const p = (await verifyXml(XML, { trust: PRODUCTION })).signatures[0];
    expect(p.reasons).toEqual(expect.arrayContaining(['CERT_EXPIRED', 'UNTRUSTED_CHAIN']));
    expect(p).toMatchObject({ status: 'indeterminate', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
  });

  it('a changed value in the document → DIGEST_MISMATCH: INVALID (HASH_FAILURE), at any time', async () => {
    const tampered = new TextEncoder().encode(new TextDecoder().decode(XML).replace('native XML interoperability', 'native XML interoperabilitY'));
    const s = (await verifyXml(tampered, { trust: TEST, at, revocation: 'none' })).signatures[0];
    expect(s.reasons).toEqual(['DIGEST_MISMATCH']);
    expect(s).toMatchObject({ status: 'invalid', subIndication: 'HASH_FAILURE' });
    expect((await verifyXml(tampered, { trust: TEST })).signatures[0]).toMatchObject({ status: 'invalid', subIndication: 'HASH_FAILURE' });
  });
});
