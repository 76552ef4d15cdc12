// GOST R 34.10-2012 / -2001 signatures (= Kazakh GOST 34.10-2015 / 34.310-2004) on the curves of
// ./curves, as integers: encodings of keys and signatures live in ./kz.
//
// Point arithmetic is @noble/curves' Weierstrass code over our faster field (./field): signing uses
// its constant-time `multiply` over a precomputed table of the base point; verification uses
// `multiplyUnsafe` for z1·P (public inputs only) and, on the a = −3 curves, our Jacobian code for
// z2·Q (./jacobian, about twice as fast as general-`a` formulas). "Constant-time" here means the sequence of point operations
// does not depend on the nonce; JavaScript BigInt arithmetic itself is not constant-time.
import { weierstrass, type WeierstrassPoint, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { KenseError } from '../../contract/errors';
import type { GostCurve } from './curves';
import { gostField } from './field';
import { isMinusThree, minusThreeArithmetic, type MinusThreeArithmetic } from './jacobian';

export interface GostPublicKey {
  x: bigint;
  y: bigint;
}

export interface GostSignature {
  r: bigint;
  s: bigint;
}

export interface GostSignOptions {
  /**
   * TEST ONLY. A fixed nonce k, for the examples of GOST R 34.10-2012 Appendix A. A fixed or repeated
   * k reveals the private key; production code never passes this.
   */
  testOnlyFixedK?: bigint;
}

/** Window of the base-point table: 8 costs ~0.1–0.2 s once per 512-bit curve; a signature then takes < 1 ms. */
const BASE_WINDOW = 8;

const pointTypes = new WeakMap<GostCurve, WeierstrassPointCons<bigint>>();
const jacobians = new WeakMap<GostCurve, MinusThreeArithmetic>();

function pointType(curve: GostCurve): WeierstrassPointCons<bigint> {
  let P = pointTypes.get(curve);
  if (!P) {
    const Fp = gostField(curve.p);
    P = weierstrass({ p: curve.p, n: curve.q, h: curve.h, a: curve.a, b: curve.b, Gx: curve.x, Gy: curve.y }, { Fp });
    P.BASE.precompute(BASE_WINDOW); // lazy: built on the first signature
    pointTypes.set(curve, P);
    if (isMinusThree(curve)) jacobians.set(curve, minusThreeArithmetic(curve, Fp));
  }
  return P;
}

const mod = (a: bigint, m: bigint): bigint => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

/** e = α mod q, and 1 when that is 0 (GOST R 34.10-2012 §6.1 step 2). */
export function hashToE(curve: GostCurve, alpha: bigint): bigint {
  const e = mod(alpha, curve.q);
  return e === 0n ? 1n : e;
}

function assertPrivateKey(curve: GostCurve, d: bigint): void {
  if (typeof d !== 'bigint' || d <= 0n || d >= curve.q) throw new KenseError('GOST_INVALID_KEY', { reason: 'scalar out of range', curve: curve.name });
}

/** Q = d·P. */
export function publicKeyFromPrivate(curve: GostCurve, d: bigint): GostPublicKey {
  assertPrivateKey(curve, d);
  const { x, y } = pointType(curve).BASE.multiply(d).toAffine();
  return { x, y };
}

/** A validated curve point for Q: on the curve, not the identity, in the order-q subgroup. */
function publicPoint(curve: GostCurve, Q: GostPublicKey): WeierstrassPoint<bigint> {
  const P = pointType(curve);
  try {
    if (typeof Q?.x !== 'bigint' || typeof Q?.y !== 'bigint') throw new Error('coordinates are not integers');
    const point = P.fromAffine({ x: Q.x, y: Q.y });
    point.assertValidity();
    return point;
  } catch (cause) {
    throw new KenseError('GOST_INVALID_PUBLIC_KEY', { curve: curve.name }, { cause });
  }
}

/** Throws GOST_INVALID_PUBLIC_KEY unless Q is a valid public key on the curve. */
export function assertPublicKey(curve: GostCurve, Q: GostPublicKey): void {
  publicPoint(curve, Q);
}

/** A uniform nonce in [1, q−1] from the platform CSPRNG (64 extra bits make the bias negligible). */
function randomK(curve: GostCurve): bigint {
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (typeof webCrypto?.getRandomValues !== 'function') throw new KenseError('GOST_NO_CSPRNG');
  const bytes = webCrypto.getRandomValues(new Uint8Array(curve.bytes + 8));
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  bytes.fill(0);
  return (n % (curve.q - 1n)) + 1n;
}

/**
 * Signs the integer α of a digest (GOST R 34.10-2012 §6.1): e = α mod q (1 if 0), random k,
 * C = k·P, r = x_C mod q, s = (r·d + k·e) mod q; retried while r or s is 0.
 */
export function signHash(curve: GostCurve, d: bigint, alpha: bigint, opts: GostSignOptions = {}): GostSignature {
  assertPrivateKey(curve, d);
  const P = pointType(curve);
  const q = curve.q;
  const e = hashToE(curve, alpha);
  for (;;) {
    const k = opts.testOnlyFixedK ?? randomK(curve);
    if (k <= 0n || k >= q) throw new RangeError('testOnlyFixedK must be in [1, q-1]');
    const r = mod(P.BASE.multiply(k).toAffine().x, q);
    const s = mod(r * d + k * e, q);
    if (r !== 0n && s !== 0n) return { r, s };
    if (opts.testOnlyFixedK !== undefined) throw new RangeError('testOnlyFixedK gives r = 0 or s = 0');
  }
}

/**
 * Checks a signature on the integer α of a digest (§6.2): 0 < r, s < q; v = e⁻¹; z1 = s·v, z2 = −r·v;
 * C = z1·P + z2·Q; valid when x_C mod q = r. Throws GOST_INVALID_PUBLIC_KEY for a bad Q.
 */
export function verifyHash(curve: GostCurve, Q: GostPublicKey, alpha: bigint, sig: GostSignature): boolean {
  const point = publicPoint(curve, Q);
  const q = curve.q;
  const { r, s } = sig;
  if (typeof r !== 'bigint' || typeof s !== 'bigint' || r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const P = pointType(curve);
  const v = P.Fn.inv(hashToE(curve, alpha));
  const z1 = mod(s * v, q);
  const z2 = mod(-r * v, q);
  // Two products summed beats noble's joint mulAddUnsafe here: z1·P walks the precomputed base table.
  const z1P = P.BASE.multiplyUnsafe(z1);
  const J = jacobians.get(curve);
  if (J) {
    const C = J.add(J.fromProjective(z1P), J.multiply(point.toAffine(), z2));
    return J.xModQEquals(C, r);
  }
  const C = z1P.add(point.multiplyUnsafe(z2));
  if (C.is0()) return false;
  return mod(C.toAffine().x, q) === r;
}
