// Signature timestamps (CAdES-T) judged as ETSI EN 319 102-1 asks, with the causes of issue 8 rebuilt
// here: the НУЦ TSA certificate lives under another store than the signer's (production vs test), Kalkan
// writes TSTInfo INTEGERs with the high bit set, a TSA whose CA is unknown proves nothing but forges
// nothing, a token over another signature or from a non-TSA certificate is INVALID.
import { describe, expect, it } from 'vitest';
import { createCms } from './cms';
import { parseCms } from './cms-parse';
import { verifyCms } from './cms-verify';
import { testTsa } from './ca-test-kit';
import { TAG, bytesEqual, derNull, generalizedTime, integer, octetString, oid, seq, tlv } from './der';
import { EKU, KZ_GOST, KZ_POLICY } from './oids';
import { digestBytes } from './signatures';
import { addTimestampToken, createTimestampToken, parseTimestampToken, parseTstInfo, signTstInfo } from './tsp';
import { loadTrustStore, shippedProductionStore, timestampTrust } from './trust';
import { pinClockToTestMaterial, testP12 } from './test-kit';

pinClockToTestMaterial();

const ACT = new TextEncoder().encode('Акт сверки № 3 от 25.11.2026');
const head = testP12('gost2022-test/legal/valid/head.p12');
const TEST = loadTrustStore('test');
const SIGNED_AT = new Date('2026-11-20T09:30:00Z');

const nuc = testTsa('(kense test)');

/** A head-signed CMS and its signature value. */
function signed() {
  const cms = createCms({ data: ACT, key: head.key, certificate: head.certificate, signingTime: SIGNED_AT });
  return { cms, signature: parseCms(cms).signerInfos[0].signature };
}

/** TSTInfo the way НУЦ's TSA writes it: GOST-2015 policy, Streebog-512 imprint, serial and nonce INTEGERs copied as bytes. */
function kalkanTstInfo(o: { signature: Uint8Array; genTime: Date; serial: Uint8Array; nonce?: Uint8Array }): Uint8Array {
  return seq(
    integer(1),
    oid(KZ_POLICY.tsaGost2015),
    seq(seq(oid(KZ_GOST.gost34112015_512), derNull()), octetString(digestBytes(KZ_GOST.gost34112015_512, o.signature))),
    tlv(TAG.INTEGER, o.serial),
    generalizedTime(o.genTime),
    ...(o.nonce ? [tlv(TAG.INTEGER, o.nonce)] : []),
  );
}

function stamp(h: ReturnType<typeof testTsa>, imprintOf?: Uint8Array, genTime = new Date(SIGNED_AT.getTime() + 2000)) {
  const { cms, signature } = signed();
  const token = createTimestampToken({ signatureValue: imprintOf ?? signature, key: h.key, certificate: h.tsa.cert, policy: KZ_POLICY.tsaGost2015, genTime, serialNumber: 77n });
  return { cms: addTimestampToken(cms, token), unstamped: cms, token, genTime };
}

describe('TSTInfo INTEGERs with the high bit set (Kalkan) are read, not refused', () => {
  it('a negative nonce and a negative serial number, hand-built DER, parse and keep their bytes', () => {
    const { signature } = signed();
    const nonce = Uint8Array.of(0x9c, 0x5e, 0x01, 0x7f, 0x33, 0x42, 0x10, 0xaa); // high bit set: negative as DER INTEGER
    const serial = Uint8Array.of(0xf8, 0x3b, 0x27, 0xc2, 0x61, 0x1c, 0x2f, 0xa7, 0x2f, 0x82, 0x65, 0x50, 0xd0, 0x99, 0x1d, 0xc6, 0xc7, 0x12, 0x3a, 0x96);
    const tst = parseTstInfo(kalkanTstInfo({ signature, genTime: SIGNED_AT, serial, nonce }));
    expect(bytesEqual(tst.nonceBytes!, nonce)).toBe(true);
    expect(tst.nonce).toBe(-0x63a1fe80ccbdef56n);
    expect(tst.nonce! < 0n).toBe(true);
    expect(bytesEqual(tst.serialNumberBytes, serial)).toBe(true);
    expect(tst.serialNumber < 0n).toBe(true);
    expect(tst.policy).toBe(KZ_POLICY.tsaGost2015);
  });

  it('a CAdES-T whose token carries them verifies: timestamp valid, its time used', async () => {
    const { cms, signature } = signed();
    const genTime = new Date(SIGNED_AT.getTime() + 1000);
    const tst = kalkanTstInfo({ signature, genTime, serial: Uint8Array.of(0xb8, 0x98, 0x69, 0x6b), nonce: Uint8Array.of(0xa6, 0xc3, 0x09, 0x02, 0x3f, 0x7a, 0xf3, 0xa6) });
    const token = signTstInfo(tst, { key: nuc.key, certificate: nuc.tsa.cert, genTime });
    expect(parseTimestampToken(token).tstInfo.nonce! < 0n).toBe(true);
    const v = await verifyCms(addTimestampToken(cms, token), { trust: TEST, tsaTrust: timestampTrust(TEST, nuc.store), revocation: 'none' });
    expect(v.signers[0]).toMatchObject({ reasons: [], valid: true, validationTimeSource: 'timestamp', timestamp: { status: 'valid', tsa: 'TIME-STAMPING AUTHORITY', time: genTime } });
  });
});

describe('timestamp verdicts (ETSI EN 319 102-1)', () => {
  it('the TSA under another store than the signer (production TSA, test key): valid with the stores combined', async () => {
    const { cms, genTime } = stamp(nuc);
    // Signer's store only: the TSA is unknown there → set aside, never INVALID.
    const alone = await verifyCms(cms, { trust: TEST, tsaTrust: TEST, revocation: 'none' });
    expect(alone.signers[0]).toMatchObject({ valid: true, reasons: [], validationTimeSource: 'signing_time', timestamp: { status: 'set_aside', tsa: 'TIME-STAMPING AUTHORITY' } });
    // Test anchors + production anchors for TSAs only: the timestamp counts.
    const both = await verifyCms(cms, { trust: TEST, tsaTrust: timestampTrust(TEST, nuc.store), revocation: 'none' });
    expect(both.signers[0]).toMatchObject({ valid: true, reasons: [], validationTimeSource: 'timestamp', validationTime: genTime, timestampTime: genTime, timestamp: { status: 'valid', time: genTime } });
    expect(both.signers[0].chain.map((c) => c.commonName)).toEqual([head.certificate.commonName, 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022', 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022']);
  });

  it('by default timestamps are chained to the store in use plus the shipped production CAs', () => {
    const production = shippedProductionStore();
    const combined = timestampTrust(TEST);
    expect(production.anchors.length).toBeGreaterThan(0);
    for (const a of production.anchors) expect(combined.anchors.map((c) => c.sha256)).toContain(a.sha256);
    for (const a of TEST.anchors) expect(combined.anchors.map((c) => c.sha256)).toContain(a.sha256);
    expect(combined.intermediates.map((c) => c.commonName)).toContain('ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022');
    expect(timestampTrust(production)).toBe(production); // nothing to add: the same store
  });

  it('a test key never becomes valid in production mode, whatever the timestamp', async () => {
    const { cms } = stamp(nuc);
    const v = await verifyCms(cms, { trust: nuc.store, revocation: 'none' });
    expect(v.signers[0].timestamp?.status).toBe('valid');
    expect(v.signers[0].reasons).toEqual(['UNTRUSTED_CHAIN']);
  });

  it('a TSA whose CA is unknown: set aside with which TSA and why; the signer is judged without it (VALID, not INVALID)', async () => {
    const stranger = testTsa('(unknown)');
    const { cms } = stamp(stranger);
    const v = await verifyCms(cms, { trust: TEST, tsaTrust: timestampTrust(TEST, nuc.store), revocation: 'none' });
    const s = v.signers[0];
    expect(s).toMatchObject({ valid: true, reasons: [], validationTimeSource: 'signing_time', validationTime: SIGNED_AT });
    expect(s.timestampTime).toBeUndefined();
    expect(s.timestamp).toMatchObject({ status: 'set_aside', tsa: 'TIME-STAMPING AUTHORITY' });
    expect(s.timestamp?.reason).toMatch(/the TSA cannot be trusted at .*UNTRUSTED_CHAIN.*ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ \(GOST\) 2022 \(unknown\)/);
    expect(s.problems?.[0]).toMatch(/^timestamp set aside \(TSA «TIME-STAMPING AUTHORITY»\): /);
  });

  it('a timestamp over another signature value → INVALID (TIMESTAMP_INVALID)', async () => {
    const { cms } = stamp(nuc, new Uint8Array(128).fill(7));
    const v = await verifyCms(cms, { trust: TEST, tsaTrust: timestampTrust(TEST, nuc.store), revocation: 'none' });
    expect(v.signers[0].reasons).toEqual(['TIMESTAMP_INVALID']);
    expect(v.signers[0].timestamp).toMatchObject({ status: 'invalid', reason: 'the token stamps another signature value (message imprint differs)' });
    expect(v.signers[0].timestampTime).toBeUndefined();
  });

  it('a TSA certificate without timeStamping, or with it not critical → INVALID', async () => {
    for (const [h, why] of [
      [testTsa('(no eku)', { eku: [EKU.emailProtection] }), /not for timestamping only/],
      [testTsa('(lax eku)', { ekuCritical: false }), /not marked critical/],
    ] as const) {
      const { cms } = stamp(h);
      const v = await verifyCms(cms, { trust: TEST, tsaTrust: timestampTrust(TEST, h.store), revocation: 'none' });
      expect(v.signers[0].reasons).toEqual(['TIMESTAMP_INVALID']);
      expect(v.signers[0].timestamp?.reason).toMatch(why);
    }
  });

  it('a token whose own signature was tampered with → INVALID; garbage in the attribute → INVALID', async () => {
    const { token, unstamped } = stamp(nuc);
    const tsaSignature = parseCms(token).signerInfos[0].signature;
    const bent = Uint8Array.from(token);
    const at = bent.length - tsaSignature.length + 10;
    bent[at] ^= 0x01;
    const v = await verifyCms(addTimestampToken(unstamped, bent), { trust: TEST, tsaTrust: timestampTrust(TEST, nuc.store), revocation: 'none' });
    expect(v.signers[0].reasons).toEqual(['TIMESTAMP_INVALID']);
    expect(v.signers[0].timestamp?.reason).toMatch(/^the token itself is not intact \(BAD_SIGNATURE/);
  });

  it('a timestamp claiming a time in the future is set aside', async () => {
    const { cms } = stamp(nuc, undefined, new Date(Date.now() + 86_400_000));
    const v = await verifyCms(cms, { trust: TEST, tsaTrust: timestampTrust(TEST, nuc.store), revocation: 'none' });
    expect(v.signers[0]).toMatchObject({ valid: true, timestamp: { status: 'set_aside' } });
    expect(v.signers[0].timestamp?.reason).toMatch(/in the future/);
  });
});
