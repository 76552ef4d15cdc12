import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ngcStreebog, opensslDigests } from './__fixtures__/reference';
import { Streebog, streebog256, streebog512 } from './streebog';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** The standard prints messages most-significant byte first: memory order is the reverse. */
const fromStandardHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex')).reverse();

// GOST R 34.11-2012 Appendix A / RFC 6986 §10. The digests are printed here exactly as the RFC
// prints them; OpenSSL's gost engine outputs the same characters (checked below on M1).
const M1 = fromStandardHex(
  '323130393837363534333231303938373635343332313039383736353433323130393837363534333231303938373635343332313039383736353433323130',
);
const M2 = fromStandardHex(
  'fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1',
);

describe('Streebog: official vectors (GOST R 34.11-2012, RFC 6986)', () => {
  it('M1 is the ASCII digits, M2 the Igor Tale line in CP1251', () => {
    expect(new TextDecoder().decode(M1)).toBe('012345678901234567890123456789012345678901234567890123456789012');
    expect(new TextDecoder('windows-1251').decode(M2)).toBe('Се ветри, Стрибожи внуци, веютъ с моря стрелами на храбрыя плъкы Игоревы');
  });

  it('512-bit', () => {
    expect(hex(streebog512(M1))).toBe(
      '1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48',
    );
    expect(hex(streebog512(M2))).toBe(
      '1e88e62226bfca6f9994f1f2d51569e0daf8475a3b0fe61a5300eee46d961376035fe83549ada2b8620fcd7c496ce5b33f0cb9dddc2b6460143b03dabac9fb28',
    );
  });

  it('256-bit', () => {
    expect(hex(streebog256(M1))).toBe('9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500');
    expect(hex(streebog256(M2))).toBe('9dd2fe4e90409e5da87f53976d7405b0c0cac628fc669a741d50063c557e8f50');
  });

  it('OpenSSL prints the digest of M1 in the same byte order as we return it', () => {
    const [o512] = opensslDigests('md_gost12_512', [M1]);
    const [o256] = opensslDigests('md_gost12_256', [M1]);
    expect(hex(streebog512(M1))).toBe(o512);
    expect(hex(streebog256(M1))).toBe(o256);
  });
});

/** Random inputs of 0…300 bytes, with the block boundaries always among them. */
const BOUNDARY_LENGTHS = [0, 1, 63, 64, 65, 127, 128, 129, 191, 192, 193, 300];
const input = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 300 }),
  fc.constantFrom(...BOUNDARY_LENGTHS).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
);

describe('Streebog: cross-checks', () => {
  it('equals OpenSSL md_gost12_256/512 on random inputs (one openssl process per digest size)', () => {
    const inputs = [
      ...BOUNDARY_LENGTHS.map((n) => new Uint8Array(n).map((_, i) => (i * 131 + n) & 255)),
      ...fc.sample(input, { numRuns: 120, seed: 0x5eb06 }),
    ];
    const o512 = opensslDigests('md_gost12_512', inputs);
    const o256 = opensslDigests('md_gost12_256', inputs);
    inputs.forEach((d, i) => {
      expect(hex(streebog512(d)), `512, length ${d.length}`).toBe(o512[i]);
      expect(hex(streebog256(d)), `256, length ${d.length}`).toBe(o256[i]);
    });
  });

  it('equals node-gost-crypto on random inputs', () => {
    const ref512 = ngcStreebog(512);
    const ref256 = ngcStreebog(256);
    fc.assert(
      fc.property(input, (d) => {
        expect(hex(streebog512(d))).toBe(hex(ref512(d)));
        expect(hex(streebog256(d))).toBe(hex(ref256(d)));
      }),
      { numRuns: 150 },
    );
  });

  it('incremental update in random chunks equals one-shot', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(150), { maxLength: 12 }), fc.constantFrom(256 as const, 512 as const), (d, cuts, bits) => {
        const h = new Streebog(bits);
        let o = 0;
        for (const c of cuts) {
          h.update(d.subarray(o, Math.min(d.length, o + c)));
          o = Math.min(d.length, o + c);
        }
        h.update(d.subarray(o));
        expect(hex(h.digest())).toBe(hex(bits === 512 ? streebog512(d) : streebog256(d)));
      }),
      { numRuns: 200 },
    );
  });

  it('does not read outside a subarray view', () => {
    const big = new Uint8Array(300).map((_, i) => i);
    const view = big.subarray(37, 37 + 130);
    expect(hex(streebog512(view))).toBe(hex(streebog512(Uint8Array.from(view))));
  });

  it('refuses misuse: wrong size, update or digest after digest', () => {
    expect(() => new Streebog(384 as 256)).toThrow(RangeError);
    const h = new Streebog(512);
    h.digest();
    expect(() => h.update(new Uint8Array(1))).toThrow();
    expect(() => h.digest()).toThrow();
  });
});
