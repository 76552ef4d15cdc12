import { describe, expect, it } from 'vitest';
import { CRYPTOPRO_A, GOST_CURVES, GOST_TEST_256, GOST_TEST_512, TC26_256_A, TC26_512_A, curveByOid } from './curves';
import { publicKeyFromPrivate } from './gost3410';

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

function powMod(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b = mod(b, m);
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

function isProbablePrime(n: bigint): boolean {
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n]) {
    let x = powMod(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < s && composite; i++) {
      x = (x * x) % n;
      if (x === n - 1n) composite = false;
    }
    if (composite) return false;
  }
  return true;
}

describe('GOST curve tables', () => {
  it.each(GOST_CURVES.map((c) => [c.name, c] as const))('%s: consistent constants', (_name, c) => {
    expect(isProbablePrime(c.p)).toBe(true);
    expect(isProbablePrime(c.q)).toBe(true);
    // the base point is on the curve
    expect(mod(c.y * c.y - (c.x ** 3n + c.a * c.x + c.b), c.p)).toBe(0n);
    // Hasse: the group order h·q lies within p + 1 ± 2√p
    const t = c.p + 1n - c.h * c.q;
    expect(t * t <= 4n * c.p).toBe(true);
    // sizes
    expect(c.p < 1n << BigInt(8 * c.bytes)).toBe(true);
    expect(c.q < 1n << BigInt(8 * c.bytes)).toBe(true);
  });

  it.each(GOST_CURVES.map((c) => [c.name, c] as const))('%s: the base point has order q ((q−1)·P = −P)', (_name, c) => {
    expect(publicKeyFromPrivate(c, c.q - 1n)).toEqual({ x: c.x, y: c.p - c.y });
  });

  it('finds curves by Russian and Kazakh OIDs', () => {
    expect(curveByOid('1.2.398.3.10.1.1.2.2.1')).toBe(TC26_512_A);
    expect(curveByOid('1.2.643.7.1.2.1.2.1')).toBe(TC26_512_A);
    expect(curveByOid('1.2.398.3.10.1.1.1.1.1')).toBe(CRYPTOPRO_A);
    expect(curveByOid('1.2.643.2.2.35.1')).toBe(CRYPTOPRO_A);
    expect(curveByOid('1.2.398.3.10.1.1.2.1.1')).toBe(TC26_256_A);
    expect(curveByOid('1.2.643.2.2.35.0')).toBe(GOST_TEST_256);
    expect(curveByOid('1.2.643.7.1.2.1.2.0')).toBe(GOST_TEST_512);
    expect(curveByOid('1.2.3')).toBeUndefined();
  });
});
