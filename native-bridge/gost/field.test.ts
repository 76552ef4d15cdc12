import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRYPTOPRO_A, GOST_TEST_512, TC26_256_A, TC26_512_A } from './curves';
import { gostField } from './field';

const m = (x: bigint, p: bigint): bigint => ((x % p) + p) % p;

describe('gostField: folding reduction for p = 2^k − c', () => {
  it.each([
    ['2^512 − 569', TC26_512_A.p],
    ['2^256 − 617', CRYPTOPRO_A.p],
  ])('%s agrees with plain modular arithmetic, also on unreduced and negative input', (_n, p) => {
    expect(TC26_256_A.p).toBe(CRYPTOPRO_A.p);
    const F = gostField(p);
    const bits = p.toString(2).length;
    const element = fc.oneof(
      fc.bigInt({ min: 0n, max: p - 1n }),
      fc.constantFrom(0n, 1n, p - 1n, p - 2n, (1n << BigInt(bits - 1)) - 1n),
    );
    const wild = fc.oneof(element, fc.bigInt({ min: -(p * p * 4n), max: p * p * 4n }), fc.constantFrom(p, 2n * p, p * p, (1n << BigInt(2 * bits)) - 1n, -p, -1n));
    fc.assert(
      fc.property(element, element, (a, b) => {
        expect(F.mul(a, b)).toBe(m(a * b, p));
        expect(F.sqr(a)).toBe(m(a * a, p));
        expect(F.add(a, b)).toBe(m(a + b, p));
        expect(F.sub(a, b)).toBe(m(a - b, p));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(wild, wild, (a, b) => {
        expect(F.mul(a, b)).toBe(m(a * b, p));
        expect(F.add(a, b)).toBe(m(a + b, p));
        expect(F.sub(a, b)).toBe(m(a - b, p));
        expect(F.create(a)).toBe(m(a, p));
      }),
      { numRuns: 1000 },
    );
    expect(F.ORDER).toBe(p);
    expect(F.mul(F.inv(12345n), 12345n)).toBe(1n);
  });

  it('other primes get the generic field', () => {
    const F = gostField(GOST_TEST_512.p);
    expect(Object.prototype.hasOwnProperty.call(F, 'mul')).toBe(false);
    expect(F.mul(GOST_TEST_512.p - 1n, 2n)).toBe(GOST_TEST_512.p - 2n);
  });
});
