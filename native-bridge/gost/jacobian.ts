// Variable-time k·Q in Jacobian coordinates for the curves with a = −3 (tc26-512-A, CryptoPro-A), for
// signature verification only: the scalar and the point are public there.
//
// Why: noble's point code uses complete formulas for any `a` (about 16 field multiplications per
// doubling). With a = −3, doubling in Jacobian coordinates takes 8 (dbl-2001-b) and adding an
// affine point 11 (madd-2007-bl), so the k·Q half of a verification costs about half as much.
// Formulas: Explicit-Formulas Database, "g1p/shortw/jacobian-3".
import type { IField } from '@noble/curves/abstract/modular.js';
import type { GostCurve } from './curves';

/** (X : Y : Z) ↔ (X/Z², Y/Z³); Z = 0 is the point at infinity. */
export interface Jacobian {
  x: bigint;
  y: bigint;
  z: bigint;
}

export interface Affine {
  x: bigint;
  y: bigint;
}

const INFINITY: Jacobian = { x: 1n, y: 1n, z: 0n };

/** wNAF window: 8 precomputed odd multiples, one addition per ~6 bits. */
const W = 5;

export interface MinusThreeArithmetic {
  double(p: Jacobian): Jacobian;
  /** p + q for an affine q (q is never infinity). */
  addAffine(p: Jacobian, q: Affine): Jacobian;
  add(p: Jacobian, q: Jacobian): Jacobian;
  /** From homogeneous projective (x = X/Z, y = Y/Z, as noble keeps points) without an inversion. */
  fromProjective(p: { X: bigint; Y: bigint; Z: bigint }): Jacobian;
  /** k·q for 0 < k; variable time. */
  multiply(q: Affine, k: bigint): Jacobian;
  toAffine(p: Jacobian): Affine | undefined;
  /** Is the affine x of p (not infinity) congruent to r modulo the group order? No inversion needed. */
  xModQEquals(p: Jacobian, r: bigint): boolean;
}

/** True when the curve has a = −3 (mod p), the form this file's formulas need. */
export function isMinusThree(curve: GostCurve): boolean {
  return curve.a === curve.p - 3n;
}

export function minusThreeArithmetic(curve: GostCurve, F: IField<bigint>): MinusThreeArithmetic {
  if (!isMinusThree(curve)) throw new RangeError(`${curve.name}: a ≠ −3`);
  const { mul, sqr, sub } = F;
  const plus = F.add;
  const small = (k: bigint, x: bigint) => F.create(k * x);

  // dbl-2001-b: 3M + 5S.
  const double = (p: Jacobian): Jacobian => {
    if (p.z === 0n || p.y === 0n) return INFINITY;
    const delta = sqr(p.z);
    const gamma = sqr(p.y);
    const beta = mul(p.x, gamma);
    const alpha = small(3n, mul(sub(p.x, delta), plus(p.x, delta)));
    const x = sub(sqr(alpha), small(8n, beta));
    const z = sub(sub(sqr(plus(p.y, p.z)), gamma), delta);
    const y = sub(mul(alpha, sub(small(4n, beta), x)), small(8n, sqr(gamma)));
    return { x, y, z };
  };

  // madd-2007-bl: 7M + 4S; the equal and opposite cases are handled here, not by the formula.
  const addAffine = (p: Jacobian, q: Affine): Jacobian => {
    if (p.z === 0n) return { x: q.x, y: q.y, z: 1n };
    const z1z1 = sqr(p.z);
    const u2 = mul(q.x, z1z1);
    const s2 = mul(q.y, mul(p.z, z1z1));
    const h = sub(u2, p.x);
    const r = small(2n, sub(s2, p.y));
    if (h === 0n) return r === 0n ? double(p) : INFINITY;
    const hh = sqr(h);
    const i = small(4n, hh);
    const j = mul(h, i);
    const v = mul(p.x, i);
    const x = sub(sub(sqr(r), j), small(2n, v));
    const y = sub(mul(r, sub(v, x)), small(2n, mul(p.y, j)));
    const z = sub(sub(sqr(plus(p.z, h)), z1z1), hh);
    return { x, y, z };
  };

  // add-2007-bl: 11M + 5S.
  const addJacobian = (p: Jacobian, q: Jacobian): Jacobian => {
    if (p.z === 0n) return q;
    if (q.z === 0n) return p;
    const z1z1 = sqr(p.z);
    const z2z2 = sqr(q.z);
    const u1 = mul(p.x, z2z2);
    const u2 = mul(q.x, z1z1);
    const s1 = mul(p.y, mul(q.z, z2z2));
    const s2 = mul(q.y, mul(p.z, z1z1));
    const h = sub(u2, u1);
    const r = small(2n, sub(s2, s1));
    if (h === 0n) return r === 0n ? double(p) : INFINITY;
    const i = sqr(small(2n, h));
    const j = mul(h, i);
    const v = mul(u1, i);
    const x = sub(sub(sqr(r), j), small(2n, v));
    const y = sub(mul(r, sub(v, x)), small(2n, mul(s1, j)));
    const z = mul(sub(sub(sqr(plus(p.z, q.z)), z1z1), z2z2), h);
    return { x, y, z };
  };

  // (X/Z, Y/Z) = (XZ/Z², YZ²/Z³).
  const fromProjective = ({ X, Y, Z }: { X: bigint; Y: bigint; Z: bigint }): Jacobian => (Z === 0n ? INFINITY : { x: mul(X, Z), y: mul(Y, sqr(Z)), z: Z });

  const toAffine = (p: Jacobian): Affine | undefined => {
    if (p.z === 0n) return undefined;
    const zi = F.inv(p.z);
    const zi2 = sqr(zi);
    return { x: mul(p.x, zi2), y: mul(p.y, mul(zi2, zi)) };
  };

  /** [1q, 3q, …, (2^(W−1) − 1)q] in affine form, with one inversion for all (Montgomery's trick). */
  const oddMultiples = (q: Affine): Affine[] => {
    const twice = double({ x: q.x, y: q.y, z: 1n });
    const twiceAffine = toAffine(twice);
    const jac: Jacobian[] = [{ x: q.x, y: q.y, z: 1n }];
    for (let i = 1; i < 1 << (W - 2); i++) jac.push(twiceAffine ? addAffine(jac[i - 1], twiceAffine) : INFINITY);
    if (jac.some((p) => p.z === 0n)) return jac.map((p) => toAffine(p) ?? q); // only for points of tiny order: never on these curves
    const prefix: bigint[] = [];
    let acc = 1n;
    for (const p of jac) {
      prefix.push(acc);
      acc = mul(acc, p.z);
    }
    let inv = F.inv(acc);
    const out: Affine[] = new Array(jac.length);
    for (let i = jac.length - 1; i >= 0; i--) {
      const zi = mul(inv, prefix[i]);
      inv = mul(inv, jac[i].z);
      const zi2 = sqr(zi);
      out[i] = { x: mul(jac[i].x, zi2), y: mul(jac[i].y, mul(zi2, zi)) };
    }
    return out;
  };

  /** Width-W NAF digits of k, least significant first: 0 or odd with |d| < 2^(W−1). */
  const wnaf = (k: bigint): number[] => {
    const digits: number[] = [];
    const full = 1 << W;
    const mask = BigInt(full - 1);
    while (k > 0n) {
      let d = 0;
      if (k & 1n) {
        d = Number(k & mask);
        if (d >= full >> 1) d -= full;
        k -= BigInt(d);
      }
      digits.push(d);
      k >>= 1n;
    }
    return digits;
  };

  const multiply = (q: Affine, k: bigint): Jacobian => {
    if (k <= 0n) throw new RangeError('scalar must be positive');
    const table = oddMultiples(q);
    const digits = wnaf(k);
    let acc = INFINITY;
    for (let i = digits.length - 1; i >= 0; i--) {
      acc = double(acc);
      const d = digits[i];
      if (d > 0) acc = addAffine(acc, table[(d - 1) >> 1]);
      else if (d < 0) {
        const t = table[(-d - 1) >> 1];
        acc = addAffine(acc, { x: t.x, y: t.y === 0n ? 0n : curve.p - t.y });
      }
    }
    return acc;
  };

  // x = X/Z² lies in [0, p); x mod q = r means x = r or x = r + q (when that is below p).
  const xModQEquals = (p: Jacobian, r: bigint): boolean => {
    if (p.z === 0n || r <= 0n || r >= curve.q) return false;
    const zz = sqr(p.z);
    if (p.x === mul(r, zz)) return true;
    return r + curve.q < curve.p && p.x === mul(r + curve.q, zz);
  };

  return { double, addAffine, add: addJacobian, fromProjective, multiply, toAffine, xModQEquals };
}
