import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isKenseError } from '../../contract/errors';
import { CRYPTOPRO_A, GOST_TEST_256, GOST_TEST_512, TC26_256_A, TC26_512_A, type GostCurve } from './curves';
import { assertPublicKey, hashToE, publicKeyFromPrivate, signHash, verifyHash } from './gost3410';

const n = (h: string): bigint => BigInt(`0x${h}`);

// GOST R 34.10-2012 Appendix A (= RFC 7091 §A), with its fixed k.
const APPENDIX_A = [
  {
    name: 'A.1, 256-bit test curve',
    curve: GOST_TEST_256,
    d: n('7a929ade789bb9be10ed359dd39a72c11b60961f49397eee1d19ce9891ec3b28'),
    Q: {
      x: n('7f2b49e270db6d90d8595bec458b50c58585ba1d4e9b788f6689dbd8e56fd80b'),
      y: n('26f1b489d6701dd185c8413a977b3cbbaf64d1c593d26627dffb101a87ff77da'),
    },
    e: n('2dfbc1b372d89a1188c09c52e0eec61fce52032ab1022e8e67ece6672b043ee5'),
    k: n('77105c9b20bcd3122823c8cf6fcc7b956de33814e95b7fe64fed924594dceab3'),
    r: n('41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493'),
    s: n('01456c64ba4642a1653c235a98a60249bcd6d3f746b631df928014f6c5bf9c40'),
  },
  {
    name: 'A.2, 512-bit test curve',
    curve: GOST_TEST_512,
    d: n('0ba6048aadae241ba40936d47756d7c93091a0e8514669700ee7508e508b102072e8123b2200a0563322dad2827e2714a2636b7bfd18aadfc62967821fa18dd4'),
    Q: {
      x: n('115dc5bc96760c7b48598d8ab9e740d4c4a85a65be33c1815b5c320c854621dd5a515856d13314af69bc5b924c8b4ddff75c45415c1d9dd9dd33612cd530efe1'),
      y: n('37c7c90cd40b0f5621dc3ac1b751cfa0e2634fa0503b3d52639f5d7fb72afd61ea199441d943ffe7f0c70a2759a3cdb84c114e1f9339fdf27f35eca93677beec'),
    },
    e: n('3754f3cfacc9e0615c4f4a7c4d8dab531b09b6f9c170c533a71d147035b0c5917184ee536593f4414339976c647c5d5a407adedb1d560c4fc6777d2972075b8c'),
    k: n('0359e7f4b1410feacc570456c6801496946312120b39d019d455986e364f365886748ed7a44b3e794434006011842286212273a6d14cf70ea3af71bb1ae679f1'),
    r: n('2f86fa60a081091a23dd795e1e3c689ee512a3c82ee0dcc2643c78eea8fcacd35492558486b20f1c9ec197c90699850260c93bcbcd9c5c3317e19344e173ae36'),
    s: n('1081b394696ffe8e6585e7a9362d26b6325f56778aadbc081c0bfbe933d52ff5823ce288e8c4f362526080df7f70ce406a6eeb1f56919cb92a9853bde73e5b4a'),
  },
];

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return isKenseError(e) ? e.code : `not a KenseError: ${String(e)}`;
  }
  return undefined;
};

describe('GOST R 34.10-2012 Appendix A', () => {
  it.each(APPENDIX_A)('$name: public key, signature with the fixed k, verification', (v) => {
    expect(publicKeyFromPrivate(v.curve, v.d)).toEqual(v.Q);
    expect(signHash(v.curve, v.d, v.e, { testOnlyFixedK: v.k })).toEqual({ r: v.r, s: v.s });
    expect(verifyHash(v.curve, v.Q, v.e, { r: v.r, s: v.s })).toBe(true);
  });
});

const PRODUCTION: [string, GostCurve][] = [
  ['tc26-512-A', TC26_512_A],
  ['tc26-256-A', TC26_256_A],
  ['CryptoPro-A', CRYPTOPRO_A],
];

describe('sign and verify', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each(PRODUCTION)('%s: random signatures verify; every tampering fails', (_name, c) => {
    const { q } = c;
    const scalar = fc.bigInt({ min: 1n, max: q - 1n });
    fc.assert(
      fc.property(scalar, fc.bigInt({ min: 0n, max: (1n << BigInt(8 * c.bytes)) - 1n }), fc.nat(8 * c.bytes - 1), (d, alpha, bit) => {
        const Q = publicKeyFromPrivate(c, d);
        const sig = signHash(c, d, alpha);
        expect(sig.r > 0n && sig.r < q && sig.s > 0n && sig.s < q).toBe(true);
        expect(verifyHash(c, Q, alpha, sig)).toBe(true);
        const flip = 1n << BigInt(bit);
        // a flipped bit in the digest changes e unless both values agree mod q
        if (hashToE(c, alpha ^ flip) !== hashToE(c, alpha)) expect(verifyHash(c, Q, alpha ^ flip, sig)).toBe(false);
        expect(verifyHash(c, Q, alpha, { r: sig.r ^ flip, s: sig.s })).toBe(false);
        expect(verifyHash(c, Q, alpha, { r: sig.r, s: sig.s ^ flip })).toBe(false);
        expect(verifyHash(c, publicKeyFromPrivate(c, d === 1n ? 2n : d - 1n), alpha, sig)).toBe(false);
      }),
      { numRuns: 6 },
    );
  });

  it('r or s equal to 0 or ≥ q is rejected before any arithmetic', () => {
    const c = TC26_512_A;
    const d = 12345n;
    const Q = publicKeyFromPrivate(c, d);
    const { r, s } = signHash(c, d, 777n);
    for (const bad of [0n, c.q, c.q + 1n, c.q + r, -r]) {
      expect(verifyHash(c, Q, 777n, { r: bad, s })).toBe(false);
      expect(verifyHash(c, Q, 777n, { r, s: bad })).toBe(false);
    }
    // (r, s) and (r + q, s) are the same residues: only the canonical one is accepted
    expect(verifyHash(c, Q, 777n, { r, s })).toBe(true);
  });

  it('e = α mod q, and 1 when that is 0: digests ≡ 0 mod q sign and verify as e = 1', () => {
    const c = CRYPTOPRO_A;
    expect(hashToE(c, 0n)).toBe(1n);
    expect(hashToE(c, c.q)).toBe(1n);
    expect(hashToE(c, c.q + 5n)).toBe(5n);
    const sig = signHash(c, 99n, c.q);
    expect(verifyHash(c, publicKeyFromPrivate(c, 99n), 1n, sig)).toBe(true);
  });

  it('takes fresh nonces: the same digest signed twice gives different signatures', () => {
    const a = signHash(TC26_512_A, 5n, 42n);
    const b = signHash(TC26_512_A, 5n, 42n);
    expect(a.r).not.toBe(b.r);
  });

  it('refuses to sign without a CSPRNG (GOST_NO_CSPRNG)', () => {
    vi.stubGlobal('crypto', undefined);
    expect(code(() => signHash(TC26_512_A, 5n, 42n))).toBe('GOST_NO_CSPRNG');
    vi.stubGlobal('crypto', {});
    expect(code(() => signHash(CRYPTOPRO_A, 5n, 42n))).toBe('GOST_NO_CSPRNG');
  });

  it('uses crypto.getRandomValues for the nonce', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    signHash(CRYPTOPRO_A, 5n, 42n);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it('rejects a fixed test nonce outside [1, q−1]', () => {
    expect(() => signHash(GOST_TEST_256, 5n, 42n, { testOnlyFixedK: 0n })).toThrow(RangeError);
    expect(() => signHash(GOST_TEST_256, 5n, 42n, { testOnlyFixedK: GOST_TEST_256.q })).toThrow(RangeError);
  });
});

describe('invalid keys are typed errors', () => {
  it('private scalar outside [1, q−1] → GOST_INVALID_KEY', () => {
    for (const d of [0n, -1n, TC26_512_A.q, TC26_512_A.q + 1n]) {
      expect(code(() => publicKeyFromPrivate(TC26_512_A, d))).toBe('GOST_INVALID_KEY');
      expect(code(() => signHash(TC26_512_A, d, 1n))).toBe('GOST_INVALID_KEY');
    }
    expect(code(() => signHash(TC26_512_A, 1 as unknown as bigint, 1n))).toBe('GOST_INVALID_KEY');
  });

  it('public key off the curve, at infinity, or out of the field → GOST_INVALID_PUBLIC_KEY', () => {
    const c = TC26_512_A;
    const Q = publicKeyFromPrivate(c, 7n);
    const sig = { r: 1n, s: 1n };
    for (const bad of [{ x: Q.x, y: Q.y + 1n }, { x: 0n, y: 0n }, { x: Q.x + c.p, y: Q.y }, { x: Q.x, y: -Q.y }]) {
      expect(code(() => verifyHash(c, bad, 1n, sig))).toBe('GOST_INVALID_PUBLIC_KEY');
      expect(code(() => assertPublicKey(c, bad))).toBe('GOST_INVALID_PUBLIC_KEY');
    }
    expect(code(() => verifyHash(c, { x: 'a', y: 1n } as unknown as typeof Q, 1n, sig))).toBe('GOST_INVALID_PUBLIC_KEY');
  });

  it('tc26-256-A (cofactor 4): a curve point outside the order-q subgroup → GOST_INVALID_PUBLIC_KEY', () => {
    const c = TC26_256_A;
    const { p } = c;
    // Plain affine arithmetic, independent of the code under test.
    type Pt = { x: bigint; y: bigint } | null;
    const pow = (b: bigint, e: bigint): bigint => {
      let r = 1n;
      for (b %= p; e > 0n; e >>= 1n, b = (b * b) % p) if (e & 1n) r = (r * b) % p;
      return r;
    };
    const add = (P: Pt, Q: Pt): Pt => {
      if (!P) return Q;
      if (!Q) return P;
      if (P.x === Q.x && (P.y + Q.y) % p === 0n) return null;
      const l = P.x === Q.x ? ((3n * P.x * P.x + c.a) * pow(2n * P.y, p - 2n)) % p : (((Q.y - P.y + p) % p) * pow((Q.x - P.x + p) % p, p - 2n)) % p;
      const x = (((l * l - P.x - Q.x) % p) + 2n * p) % p;
      return { x, y: (((l * (P.x - x) - P.y) % p) + 2n * p) % p };
    };
    const mul = (k: bigint, P: Pt): Pt => {
      let R: Pt = null;
      for (; k > 0n; k >>= 1n, P = add(P, P)) if (k & 1n) R = add(R, P);
      return R;
    };
    expect(mul(c.q, { x: c.x, y: c.y })).toBeNull(); // the helper agrees that P has order q
    let found: { x: bigint; y: bigint } | undefined;
    for (let x = 1n; !found; x++) {
      const rhs = (x ** 3n + c.a * x + c.b) % p;
      const y = pow(rhs, (p + 1n) / 4n); // p ≡ 3 (mod 4)
      if ((y * y) % p === rhs && mul(c.q, { x, y }) !== null) found = { x, y };
    }
    expect(code(() => assertPublicKey(c, found))).toBe('GOST_INVALID_PUBLIC_KEY');
    expect(code(() => verifyHash(c, found, 1n, { r: 1n, s: 1n }))).toBe('GOST_INVALID_PUBLIC_KEY');
  });
});
