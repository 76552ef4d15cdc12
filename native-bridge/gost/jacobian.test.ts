import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRYPTOPRO_A, GOST_TEST_256, TC26_256_A, TC26_512_A, type GostCurve } from './curves';
import { gostField } from './field';
import { hashToE, publicKeyFromPrivate, signHash, verifyHash } from './gost3410';
import { isMinusThree, minusThreeArithmetic } from './jacobian';

/** noble's complete-formula arithmetic on the same curve: the independent reference here. */
function setup(curve: GostCurve) {
  const Fp = gostField(curve.p);
  const P = weierstrass({ p: curve.p, n: curve.q, h: curve.h, a: curve.a, b: curve.b, Gx: curve.x, Gy: curve.y }, { Fp });
  return { P, J: minusThreeArithmetic(curve, Fp) };
}

const scalar = (curve: GostCurve) => fc.oneof(fc.bigInt({ min: 1n, max: curve.q - 1n }), fc.constantFrom(1n, 2n, 3n, 15n, 16n, 17n, 31n, 32n, curve.q - 1n, curve.q - 2n));

describe.each([
  ['tc26-512-A', TC26_512_A],
  ['CryptoPro-A', CRYPTOPRO_A],
])('Jacobian a = −3 arithmetic on %s', (_name, curve) => {
  const { P, J } = setup(curve);
  const G = { x: curve.x, y: curve.y };

  it('k·Q equals noble’s k·Q for random and edge scalars and points', () => {
    fc.assert(
      fc.property(scalar(curve), scalar(curve), (k, m) => {
        const Q = P.BASE.multiply(m).toAffine();
        expect(J.toAffine(J.multiply(Q, k))).toEqual(P.fromAffine(Q).multiply(k).toAffine());
      }),
      { numRuns: 25 },
    );
  });

  it('q·G is the point at infinity; (q − 1)·G is −G', () => {
    expect(J.toAffine(J.multiply(G, curve.q))).toBeUndefined();
    expect(J.toAffine(J.multiply(G, curve.q - 1n))).toEqual({ x: G.x, y: curve.p - G.y });
  });

  it('addition: P + P doubles, P + (−P) is infinity, infinity is neutral, mixed and full agree', () => {
    const g = { ...G, z: 1n };
    const twoG = P.BASE.double().toAffine();
    expect(J.toAffine(J.addAffine(g, G))).toEqual(twoG);
    expect(J.toAffine(J.add(g, g))).toEqual(twoG);
    expect(J.toAffine(J.addAffine(g, { x: G.x, y: curve.p - G.y }))).toBeUndefined();
    expect(J.toAffine(J.add(g, { x: G.x, y: curve.p - G.y, z: 1n }))).toBeUndefined();
    const inf = { x: 1n, y: 1n, z: 0n };
    expect(J.toAffine(J.addAffine(inf, G))).toEqual(G);
    expect(J.toAffine(J.add(inf, g))).toEqual(G);
    expect(J.toAffine(J.add(g, inf))).toEqual(G);
    const threeG = J.multiply(G, 3n);
    const fiveG = P.BASE.multiply(5n).toAffine();
    expect(J.toAffine(J.add(threeG, J.double(g)))).toEqual(fiveG);
    expect(J.toAffine(J.addAffine(threeG, twoG))).toEqual(fiveG);
  });

  it('from noble’s projective form without an inversion', () => {
    const p = P.BASE.multiply(12345n).add(P.BASE.multiply(777n)); // Z ≠ 1
    expect(p.Z).not.toBe(1n);
    expect(J.toAffine(J.fromProjective(p))).toEqual(p.toAffine());
    expect(J.toAffine(J.fromProjective(P.ZERO))).toBeUndefined();
  });

  it('x mod q = r is checked on Jacobian coordinates, including x ≥ q', () => {
    const p = J.multiply(G, 987654321n);
    const { x } = J.toAffine(p)!;
    expect(J.xModQEquals(p, x % curve.q)).toBe(true);
    expect(J.xModQEquals(p, (x % curve.q) + 1n)).toBe(false);
    expect(J.xModQEquals(p, 0n)).toBe(false);
    expect(J.xModQEquals({ x: 1n, y: 1n, z: 0n }, 1n)).toBe(false);
    // A point whose x lies in [q, p) (a crafted coordinate: only the x test is exercised).
    const z = 5n;
    const r = 11n;
    expect(J.xModQEquals({ x: ((r + curve.q) * z * z) % curve.p, y: 1n, z }, r)).toBe(curve.q + r < curve.p);
  });

  it('verifyHash (which takes this path here) agrees with noble’s z1·P + z2·Q on valid and altered signatures', () => {
    fc.assert(
      fc.property(scalar(curve), fc.bigInt({ min: 0n, max: (1n << BigInt(8 * curve.bytes)) - 1n }), fc.integer({ min: 0, max: 3 }), (d, alpha, change) => {
        const Q = publicKeyFromPrivate(curve, d);
        const sig = signHash(curve, d, alpha);
        const s = change === 1 ? { r: sig.r, s: (sig.s % (curve.q - 1n)) + 1n } : change === 2 ? { r: (sig.r % (curve.q - 1n)) + 1n, s: sig.s } : sig;
        const a = change === 3 ? alpha + 1n : alpha;
        const v = P.Fn.inv(hashToE(curve, a));
        const C = P.BASE.multiplyUnsafe(P.Fn.create(s.s * v)).add(P.fromAffine(Q).multiplyUnsafe(P.Fn.create(-s.r * v)));
        const reference = !C.is0() && P.Fn.create(C.toAffine().x) === s.r;
        expect(verifyHash(curve, Q, a, s)).toBe(reference);
        if (change === 0) expect(reference).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
});

describe('which curves take this path', () => {
  it('tc26-512-A and CryptoPro-A have a = −3; tc26-256-A and the test curve do not (and are refused)', () => {
    expect(isMinusThree(TC26_512_A)).toBe(true);
    expect(isMinusThree(CRYPTOPRO_A)).toBe(true);
    expect(isMinusThree(TC26_256_A)).toBe(false);
    expect(() => minusThreeArithmetic(GOST_TEST_256, gostField(GOST_TEST_256.p))).toThrow(RangeError);
  });
});
