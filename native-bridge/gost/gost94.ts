// GOST R 34.11-94 hash (RFC 5831) = Kazakh GOST 34.311-95, over the GOST 28147-89 block cipher.
//
// НУЦ РК uses the "test" S-box (id-GostR3411-94-TestParamSet, "D-TEST"), the default here. OpenSSL's
// md_gost94 is hard-wired to the CryptoPro S-box instead, and additionally hashes one zero block for
// an empty message (so its digest of "" is not the standard's); both byte orders are the same:
// message and digest in memory order, the digest being H with its least significant byte first.

/** An S-box set: row r (0…7) substitutes nibble r of a 32-bit word (row 0 = least significant nibble). */
export interface Gost94ParamSet {
  name: string;
  oid: string;
  sbox: readonly (readonly number[])[];
}

export const GOST94_TEST_PARAMSET: Gost94ParamSet = {
  name: 'id-GostR3411-94-TestParamSet',
  oid: '1.2.643.2.2.30.0',
  sbox: [
    [4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3],
    [14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9],
    [5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11],
    [7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3],
    [6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2],
    [4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14],
    [13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12],
    [1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12],
  ],
};

export const GOST94_CRYPTOPRO_PARAMSET: Gost94ParamSet = {
  name: 'id-GostR3411-94-CryptoProParamSet',
  oid: '1.2.643.2.2.30.1',
  sbox: [
    [10, 4, 5, 6, 8, 1, 3, 7, 13, 12, 14, 0, 9, 2, 11, 15],
    [5, 15, 4, 0, 2, 13, 11, 9, 1, 7, 6, 3, 12, 14, 10, 8],
    [7, 15, 12, 14, 9, 4, 1, 0, 3, 11, 5, 2, 6, 10, 8, 13],
    [4, 10, 7, 12, 0, 15, 2, 8, 14, 1, 6, 5, 13, 11, 9, 3],
    [7, 6, 4, 11, 9, 12, 2, 10, 1, 8, 0, 14, 15, 13, 3, 5],
    [7, 6, 2, 4, 13, 9, 15, 0, 10, 1, 5, 11, 8, 14, 12, 3],
    [13, 14, 4, 1, 7, 0, 5, 10, 3, 12, 8, 15, 6, 2, 9, 11],
    [1, 3, 10, 9, 5, 11, 4, 15, 8, 6, 7, 14, 13, 0, 2, 12],
  ],
};

/** C3 of the key schedule in memory order (C2 = C4 = 0). */
const C3 = Uint8Array.from([
  0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00,
  0x00, 0xff, 0xff, 0x00, 0xff, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0xff,
]);

/** The 28147-89 round function f(x) = S(x) <<< 11 as 4 byte tables: f(x) = ⊕ F[p·256 + byte p of x]. */
const roundTables = new WeakMap<Gost94ParamSet, Uint32Array>();
function roundTable(ps: Gost94ParamSet): Uint32Array {
  let f = roundTables.get(ps);
  if (f) return f;
  f = new Uint32Array(4 * 256);
  for (let p = 0; p < 4; p++) {
    for (let b = 0; b < 256; b++) {
      const v = ((ps.sbox[2 * p][b & 15] | (ps.sbox[2 * p + 1][b >>> 4] << 4)) << (8 * p)) >>> 0;
      f[p * 256 + b] = ((v << 11) | (v >>> 21)) >>> 0;
    }
  }
  roundTables.set(ps, f);
  return f;
}

function le32(d: Uint8Array, o: number): number {
  return (d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24)) >>> 0;
}

/** Incremental GOST R 34.11-94: `new Gost3411_94().update(a).update(b).digest()` (32 bytes). */
export class Gost3411_94 {
  readonly paramSet: Gost94ParamSet;
  private readonly f: Uint32Array;
  private readonly h = new Uint8Array(32);
  private readonly sigma = new Uint8Array(32);
  private readonly buf = new Uint8Array(32);
  private buffered = 0;
  private length = 0; // bytes hashed so far
  private finished = false;
  // scratch, reused for every block
  private readonly u = new Uint8Array(32);
  private readonly v = new Uint8Array(32);
  private readonly w = new Uint8Array(32);
  private readonly s = new Uint8Array(32);
  private readonly key = new Uint32Array(8);

  constructor(paramSet: Gost94ParamSet = GOST94_TEST_PARAMSET) {
    this.paramSet = paramSet;
    this.f = roundTable(paramSet);
  }

  update(data: Uint8Array): this {
    if (this.finished) throw new Error('Gost3411_94: update after digest');
    this.length += data.length;
    let o = 0;
    if (this.buffered > 0) {
      const take = Math.min(32 - this.buffered, data.length);
      this.buf.set(data.subarray(0, take), this.buffered);
      this.buffered += take;
      o = take;
      if (this.buffered < 32) return this;
      this.block(this.buf, 0);
      this.buffered = 0;
    }
    for (; o + 32 <= data.length; o += 32) this.block(data, o);
    if (o < data.length) {
      this.buf.set(data.subarray(o), 0);
      this.buffered = data.length - o;
    }
    return this;
  }

  digest(): Uint8Array {
    if (this.finished) throw new Error('Gost3411_94: digest called twice');
    this.finished = true;
    if (this.buffered > 0) {
      this.buf.fill(0, this.buffered); // the last partial block is padded with zeros
      this.block(this.buf, 0);
    }
    const bits = new Uint8Array(32);
    let l = BigInt(this.length) * 8n;
    for (let i = 0; l > 0n; i++, l >>= 8n) bits[i] = Number(l & 0xffn);
    this.step(bits, 0);
    this.step(this.sigma, 0);
    return this.h.slice();
  }

  private block(d: Uint8Array, o: number): void {
    this.step(d, o);
    let carry = 0; // Σ += M mod 2^256
    for (let i = 0; i < 32; i++) {
      carry += this.sigma[i] + d[o + i];
      this.sigma[i] = carry;
      carry >>>= 8;
    }
  }

  /** One step of the compression function: H = ψ^61(H ⊕ ψ(M ⊕ ψ^12(S))), S from 4 encryptions of H. */
  private step(m: Uint8Array, mo: number): void {
    const { h, u, v, w, s } = this;
    for (let i = 0; i < 32; i++) {
      u[i] = h[i];
      v[i] = m[mo + i];
    }
    for (let j = 0; j < 4; j++) {
      if (j > 0) {
        transformA(u);
        if (j === 2) for (let i = 0; i < 32; i++) u[i] ^= C3[i];
        transformA(v);
        transformA(v);
      }
      for (let i = 0; i < 32; i++) w[i] = u[i] ^ v[i];
      this.setKeyP(w);
      this.encrypt(h, 8 * j, s, 8 * j);
    }
    for (let i = 0; i < 12; i++) psi(s);
    for (let i = 0; i < 32; i++) s[i] ^= m[mo + i];
    psi(s);
    for (let i = 0; i < 32; i++) s[i] ^= h[i];
    for (let i = 0; i < 61; i++) psi(s);
    h.set(s);
  }

  /** Key = P(W): byte i + 4k of the key is byte 8i + k of W; then read as 8 little-endian words. */
  private setKeyP(wb: Uint8Array): void {
    for (let k = 0; k < 8; k++) {
      this.key[k] = (wb[k] | (wb[8 + k] << 8) | (wb[16 + k] << 16) | (wb[24 + k] << 24)) >>> 0;
    }
  }

  /** GOST 28147-89 simple-substitution encryption of one 64-bit block. */
  private encrypt(src: Uint8Array, so: number, dst: Uint8Array, dO: number): void {
    const k = this.key;
    const F = this.f;
    let n1 = le32(src, so);
    let n2 = le32(src, so + 4);
    for (let r = 0; r < 3; r++) {
      for (let i = 0; i < 8; i += 2) {
        n2 ^= round(F, (n1 + k[i]) >>> 0);
        n1 ^= round(F, (n2 + k[i + 1]) >>> 0);
      }
    }
    for (let i = 7; i > 0; i -= 2) {
      n2 ^= round(F, (n1 + k[i]) >>> 0);
      n1 ^= round(F, (n2 + k[i - 1]) >>> 0);
    }
    for (let i = 0; i < 4; i++) {
      dst[dO + i] = n2 >>> (8 * i);
      dst[dO + 4 + i] = n1 >>> (8 * i);
    }
  }
}

function round(F: Uint32Array, x: number): number {
  return F[x & 255] ^ F[256 | ((x >>> 8) & 255)] ^ F[512 | ((x >>> 16) & 255)] ^ F[768 | (x >>> 24)];
}

/** A(y4‖y3‖y2‖y1) = (y1 ⊕ y2)‖y4‖y3‖y2 on 64-bit words, in place. */
function transformA(y: Uint8Array): void {
  for (let i = 0; i < 8; i++) {
    const y1 = y[i];
    const y2 = y[8 + i];
    y[i] = y2;
    y[8 + i] = y[16 + i];
    y[16 + i] = y[24 + i];
    y[24 + i] = y1 ^ y2;
  }
}

/** ψ on sixteen 16-bit words η16…η1: shift right one word, the new top is η1⊕η2⊕η3⊕η4⊕η13⊕η16. */
function psi(y: Uint8Array): void {
  const lo = y[0] ^ y[2] ^ y[4] ^ y[6] ^ y[24] ^ y[30];
  const hi = y[1] ^ y[3] ^ y[5] ^ y[7] ^ y[25] ^ y[31];
  y.copyWithin(0, 2);
  y[30] = lo;
  y[31] = hi;
}

export function gost3411_94(data: Uint8Array, paramSet: Gost94ParamSet = GOST94_TEST_PARAMSET): Uint8Array {
  return new Gost3411_94(paramSet).update(data).digest();
}
