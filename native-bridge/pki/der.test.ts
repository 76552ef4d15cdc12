import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Asn1Error, TAG, bigintToBytes, bytesToBigint, concatBytes, fromHex, generalizedTime, integer, oid, parseAsn1,
  pemOrDer, readOid, readTime, readUnsigned, seq, setOf, time, tlv, toHex, toPem,
} from './der';

describe('DER writer and reader', () => {
  it('encodes OIDs and reads them back (incl. large arcs)', () => {
    expect(toHex(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
    for (const o of ['1.2.398.3.10.1.1.2.3.2', '2.5.4.42', '2.999.3', '1.3.6.1.4.1.311.21.20']) {
      expect(readOid(parseAsn1(oid(o)))).toBe(o);
    }
  });

  it('encodes integers minimally with a sign byte when needed', () => {
    expect(toHex(integer(0))).toBe('020100');
    expect(toHex(integer(127))).toBe('02017f');
    expect(toHex(integer(128))).toBe('02020080');
    expect(readUnsigned(parseAsn1(integer(2n ** 255n)))).toBe(2n ** 255n);
  });

  it('sorts SET OF by encoding', () => {
    expect(toHex(setOf(Uint8Array.of(0x04, 1, 2), Uint8Array.of(0x02, 1, 1)))).toBe('3106020101040102');
  });

  it('writes UTCTime before 2050 and GeneralizedTime after', () => {
    const d = new Date('2026-11-25T10:20:30Z');
    expect(new TextDecoder().decode(time(d).subarray(2))).toBe('261125102030Z');
    expect(readTime(parseAsn1(time(d))).toISOString()).toBe(d.toISOString());
    const far = new Date('2051-01-02T03:04:05Z');
    expect(time(far)[0]).toBe(TAG.GENERALIZED_TIME);
    expect(readTime(parseAsn1(generalizedTime(far))).toISOString()).toBe(far.toISOString());
  });

  it('reads BER indefinite lengths and keeps raw bytes', () => {
    const ber = fromHex('3080' + '020101' + '0403616263' + '0000');
    const n = parseAsn1(ber);
    expect(n.children).toHaveLength(2);
    expect(n.raw).toHaveLength(ber.length);
    expect(() => parseAsn1(ber, { strictDer: true })).toThrow(Asn1Error);
  });

  it('rejects truncated, trailing, deep and oversize-length input with Asn1Error', () => {
    expect(() => parseAsn1(fromHex('3005020101'))).toThrow(Asn1Error);
    expect(() => parseAsn1(fromHex('020101ff'))).toThrow(Asn1Error);
    expect(() => parseAsn1(fromHex('30850000000001'))).toThrow(Asn1Error);
    let deep: Uint8Array = Uint8Array.of(0x05, 0);
    for (let i = 0; i < 100; i++) deep = seq(deep);
    expect(() => parseAsn1(deep)).toThrow(/too deep/);
    expect(() => parseAsn1(fromHex('3080020101'))).toThrow(Asn1Error);
  });

  it('never throws anything but Asn1Error on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          parseAsn1(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(Asn1Error);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips random structures', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (parts) => {
        const enc = seq(...parts.map((p) => tlv(TAG.OCTET_STRING, p)));
        const n = parseAsn1(enc, { strictDer: true });
        expect(n.children.map((c) => toHex(c.value))).toEqual(parts.map(toHex));
      }),
    );
  });

  it('bigint helpers and PEM', () => {
    expect(toHex(bigintToBytes(0x1234n, 4))).toBe('00001234');
    expect(bytesToBigint(fromHex('00ff'))).toBe(255n);
    const der = seq(integer(5));
    expect(toHex(pemOrDer(toPem(der, 'CERTIFICATE')))).toBe(toHex(der));
    expect(toHex(pemOrDer(der))).toBe(toHex(der));
    expect(() => pemOrDer('not base64 !!')).toThrow(Asn1Error);
  });
});

describe('element budget', () => {
  it('refuses inputs that would create more nodes than allowed, quickly and without huge memory', () => {
    // 4 MiB of empty OCTET STRINGs inside an indefinite-length SEQUENCE: 2M elements.
    const body = new Uint8Array(4 * 1024 * 1024).fill(0).map((_, i) => (i % 2 === 0 ? 0x04 : 0x00));
    const input = concatBytes(Uint8Array.of(0x30, 0x80), body, Uint8Array.of(0, 0));
    const t0 = Date.now();
    expect(() => parseAsn1(input)).toThrow(/too many ASN.1 elements/);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(() => parseAsn1(seq(seq(), seq(), seq()), { maxNodes: 3 })).toThrow(/too many/);
    expect(parseAsn1(seq(seq(), seq(), seq()), { maxNodes: 4 }).children).toHaveLength(3);
  });
});
