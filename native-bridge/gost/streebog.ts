// GOST R 34.11-2012 "Streebog" (RFC 6986): 256- and 512-bit hashes, table-driven for speed.
//
// Byte order: the message is read as bytes in memory order and the digest is the state in memory
// order (the least significant byte first in the standard's notation) — the order OpenSSL's gost
// engine, node-gost-crypto and the НУЦ РК material use. The standard prints both reversed.
//
// Speed: L∘P∘S is folded into 8 tables of 256 64-bit words (split into lo/hi int32 tables), so one
// LPS is 64 look-ups and XORs; no allocation per block. A 512-bit value lives in 16 int32 words:
// 64-bit word i has its lo half at 2i and its hi half at 2i+1.
//
// Tables and state are plain JS arrays, not Int32Array. Once anything in the process has detached an
// ArrayBuffer (fetch's web streams, MessagePort transfers, tsx's loader — so: the app's core and the
// CLI), V8 adds a detach check to every typed-array access: typed tables then run at ~26 MiB/s against
// ~46 in a pristine process, while plain arrays run at ~32 MiB/s in both (bench/gost.bench.ts prints both).

/** π: the byte substitution of the standard (shared with GOST R 34.12-2015 "Kuznyechik"). */
const PI = Uint8Array.from([
  252, 238, 221, 17, 207, 110, 49, 22, 251, 196, 250, 218, 35, 197, 4, 77, 233, 119, 240, 219, 147, 46, 153, 186, 23,
  54, 241, 187, 20, 205, 95, 193, 249, 24, 101, 90, 226, 92, 239, 33, 129, 28, 60, 66, 139, 1, 142, 79, 5, 132, 2, 174,
  227, 106, 143, 160, 6, 11, 237, 152, 127, 212, 211, 31, 235, 52, 44, 81, 234, 200, 72, 171, 242, 42, 104, 162, 253,
  58, 206, 204, 181, 112, 14, 86, 8, 12, 118, 18, 191, 114, 19, 71, 156, 183, 93, 135, 21, 161, 150, 41, 16, 123, 154,
  199, 243, 145, 120, 111, 157, 158, 178, 177, 50, 117, 25, 61, 255, 53, 138, 126, 109, 84, 198, 128, 195, 189, 13,
  87, 223, 245, 36, 169, 62, 168, 67, 201, 215, 121, 214, 246, 124, 34, 185, 3, 224, 15, 236, 222, 122, 148, 176, 188,
  220, 232, 40, 80, 78, 51, 10, 74, 167, 151, 96, 115, 30, 0, 98, 68, 26, 184, 56, 130, 100, 159, 38, 65, 173, 69, 70,
  146, 39, 94, 85, 47, 140, 163, 165, 125, 105, 213, 149, 59, 7, 88, 179, 64, 134, 172, 29, 247, 48, 55, 107, 228, 136,
  217, 231, 137, 225, 27, 131, 73, 76, 63, 248, 254, 141, 83, 170, 144, 202, 216, 133, 97, 32, 113, 103, 164, 45, 43,
  9, 91, 203, 155, 37, 208, 190, 229, 108, 82, 89, 166, 116, 210, 230, 244, 180, 192, 209, 102, 175, 194, 57, 75, 99,
  182,
]);

/** Rows of the 64×64 binary matrix A of the linear map l: l(b63…b0) = ⊕ b_i·A[63−i]. */
const A = [
  '8e20faa72ba0b470', '47107ddd9b505a38', 'ad08b0e0c3282d1c', 'd8045870ef14980e',
  '6c022c38f90a4c07', '3601161cf205268d', '1b8e0b0e798c13c8', '83478b07b2468764',
  'a011d380818e8f40', '5086e740ce47c920', '2843fd2067adea10', '14aff010bdd87508',
  '0ad97808d06cb404', '05e23c0468365a02', '8c711e02341b2d01', '46b60f011a83988e',
  '90dab52a387ae76f', '486dd4151c3dfdb9', '24b86a840e90f0d2', '125c354207487869',
  '092e94218d243cba', '8a174a9ec8121e5d', '4585254f64090fa0', 'accc9ca9328a8950',
  '9d4df05d5f661451', 'c0a878a0a1330aa6', '60543c50de970553', '302a1e286fc58ca7',
  '18150f14b9ec46dd', '0c84890ad27623e0', '0642ca05693b9f70', '0321658cba93c138',
  '86275df09ce8aaa8', '439da0784e745554', 'afc0503c273aa42a', 'd960281e9d1d5215',
  'e230140fc0802984', '71180a8960409a42', 'b60c05ca30204d21', '5b068c651810a89e',
  '456c34887a3805b9', 'ac361a443d1c8cd2', '561b0d22900e4669', '2b838811480723ba',
  '9bcf4486248d9f5d', 'c3e9224312c8c1a0', 'effa11af0964ee50', 'f97d86d98a327728',
  'e4fa2054a80b329c', '727d102a548b194e', '39b008152acb8227', '9258048415eb419d',
  '492c024284fbaec0', 'aa16012142f35760', '550b8e9e21f7a530', 'a48b474f9ef5dc18',
  '70a6a56e2440598e', '3853dc371220a247', '1ca76e95091051ad', '0edd37c48a08a6d8',
  '07e095624504536c', '8d70c431ac02a736', 'c83862965601dd1b', '641c314b2b8ee083',
];

/** Iteration constants C1…C12 as printed in the standard (most significant byte first). */
const C_HEX = [
  'b1085bda1ecadae9ebcb2f81c0657c1f2f6a76432e45d016714eb88d7585c4fc4b7ce09192676901a2422a08a460d31505767436cc744d23dd806559f2a64507',
  '6fa3b58aa99d2f1a4fe39d460f70b5d7f3feea720a232b9861d55e0f16b501319ab5176b12d699585cb561c2db0aa7ca55dda21bd7cbcd56e679047021b19bb7',
  'f574dcac2bce2fc70a39fc286a3d843506f15e5f529c1f8bf2ea7514b1297b7bd3e20fe490359eb1c1c93a376062db09c2b6f443867adb31991e96f50aba0ab2',
  'ef1fdfb3e81566d2f948e1a05d71e4dd488e857e335c3c7d9d721cad685e353fa9d72c82ed03d675d8b71333935203be3453eaa193e837f1220cbebc84e3d12e',
  '4bea6bacad4747999a3f410c6ca923637f151c1f1686104a359e35d7800fffbdbfcd1747253af5a3dfff00b723271a167a56a27ea9ea63f5601758fd7c6cfe57',
  'ae4faeae1d3ad3d96fa4c33b7a3039c02d66c4f95142a46c187f9ab49af08ec6cffaa6b71c9ab7b40af21f66c2bec6b6bf71c57236904f35fa68407a46647d6e',
  'f4c70e16eeaac5ec51ac86febf240954399ec6c7e6bf87c9d3473e33197a93c90992abc52d822c3706476983284a05043517454ca23c4af38886564d3a14d493',
  '9b1f5b424d93c9a703e7aa020c6e41414eb7f8719c36de1e89b4443b4ddbc49af4892bcb929b069069d18d2bd1a5c42f36acc2355951a8d9a47f0dd4bf02e71e',
  '378f5a541631229b944c9ad8ec165fde3a7d3a1b258942243cd955b7e00d0984800a440bdbb2ceb17b2b8a9aa6079c540e38dc92cb1f2a607261445183235adb',
  'abbedea680056f52382ae548b2e4f3f38941e71cff8a78db1fffe18a1b3361039fe76702af69334b7a1e6c303b7652f43698fad1153bb6c374b4c7fb98459ced',
  '7bcd9ed0efc889fb3002c6cd635afe94d8fa6bbbebab07612001802114846679' +
    '8a1d71efea48b9caefbacd1d7d476e98dea2594ac06fd85d6bcaa4cd81f32d1b',
  '378ee767f11631bad21380b00449b17acda43c32bcdf1d77f82012d430219f9b5d80ef9d1891cc86e71da4aa88e12852faf417d5d9b21b9948bc924af11bd720',
];

/** 512-bit values and tables as plain arrays of int32 numbers (see the note on speed above). */
type Words = number[];
const words = (n: number): Words => new Array<number>(n).fill(0);

function readBlock(d: Uint8Array, o: number, w: Words, wo: number): void {
  for (let j = 0; j < 16; j++, o += 4) w[wo + j] = d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24);
}

/**
 * The compression function g_N with its tables, built in one closure. Why a closure: tables bound by
 * `const` in a function scope are constants to V8 (known length, so the 128 look-ups of an LPS need
 * no bounds checks). A bundler turns a module's top-level `const` into `var` (esbuild does), and the
 * same tables at module level then made bundled Streebog ~1.5× slower (30 vs 45 MiB/s here).
 */
const compress = (() => {
  /**
   * LPS tables: entry i·256 + b = l(π(b) placed in byte i of a 64-bit word), lo and hi halves apart.
   * Since L and P are linear, LPS(x) is the XOR of 64 such entries.
   */
  const [LPS_LO, LPS_HI] = (() => {
    const lo = new Int32Array(8 * 256);
    const hi = new Int32Array(8 * 256);
    const aHi = A.map((r) => parseInt(r.slice(0, 8), 16) | 0);
    const aLo = A.map((r) => parseInt(r.slice(8), 16) | 0);
    for (let i = 0; i < 8; i++) {
      for (let b = 0; b < 256; b++) {
        for (let bit = 0; bit < 8; bit++) {
          if ((PI[b] >>> bit) & 1) {
            const row = 63 - (8 * i + bit);
            lo[i * 256 + b] ^= aLo[row];
            hi[i * 256 + b] ^= aHi[row];
          }
        }
      }
    }
    return [Array.from(lo), Array.from(hi)];
  })();

  /** C1…C12 in memory order, 16 words each, one after another. */
  const C = (() => {
    const c = words(12 * 16);
    C_HEX.forEach((hex, r) => {
      const bytes = new Uint8Array(64);
      for (let j = 0; j < 64; j++) bytes[63 - j] = parseInt(hex.slice(2 * j, 2 * j + 2), 16);
      readBlock(bytes, 0, c, r * 16);
    });
    return c;
  })();

  /**
   * out = LPS(a ⊕ b). Output word j gathers byte j of every input word i through table i (P is the
   * byte transpose), so words 0–3 take bytes of the lo halves and words 4–7 bytes of the hi halves.
   * Fully unrolled over locals, like lpsRound below. `out` may be `a` or `b`: all input is read first.
   */
  function lpsx(a: Words, b: Words, out: Words): void {
    const L = LPS_LO;
    const H = LPS_HI;
    const l0 = a[0] ^ b[0], h0 = a[1] ^ b[1];
    const l1 = a[2] ^ b[2], h1 = a[3] ^ b[3];
    const l2 = a[4] ^ b[4], h2 = a[5] ^ b[5];
    const l3 = a[6] ^ b[6], h3 = a[7] ^ b[7];
    const l4 = a[8] ^ b[8], h4 = a[9] ^ b[9];
    const l5 = a[10] ^ b[10], h5 = a[11] ^ b[11];
    const l6 = a[12] ^ b[12], h6 = a[13] ^ b[13];
    const l7 = a[14] ^ b[14], h7 = a[15] ^ b[15];
    let b0: number, b1: number, b2: number, b3: number, b4: number, b5: number, b6: number, b7: number;
    b0 = l0 & 255; b1 = 256 | (l1 & 255); b2 = 512 | (l2 & 255); b3 = 768 | (l3 & 255);
    b4 = 1024 | (l4 & 255); b5 = 1280 | (l5 & 255); b6 = 1536 | (l6 & 255); b7 = 1792 | (l7 & 255);
    out[0] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    out[1] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    b0 = (l0 >>> 8) & 255; b1 = 256 | ((l1 >>> 8) & 255); b2 = 512 | ((l2 >>> 8) & 255); b3 = 768 | ((l3 >>> 8) & 255);
    b4 = 1024 | ((l4 >>> 8) & 255); b5 = 1280 | ((l5 >>> 8) & 255); b6 = 1536 | ((l6 >>> 8) & 255); b7 = 1792 | ((l7 >>> 8) & 255);
    out[2] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    out[3] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    b0 = (l0 >>> 16) & 255; b1 = 256 | ((l1 >>> 16) & 255); b2 = 512 | ((l2 >>> 16) & 255); b3 = 768 | ((l3 >>> 16) & 255);
    b4 = 1024 | ((l4 >>> 16) & 255); b5 = 1280 | ((l5 >>> 16) & 255); b6 = 1536 | ((l6 >>> 16) & 255); b7 = 1792 | ((l7 >>> 16) & 255);
    out[4] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    out[5] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    b0 = l0 >>> 24; b1 = 256 | (l1 >>> 24); b2 = 512 | (l2 >>> 24); b3 = 768 | (l3 >>> 24);
    b4 = 1024 | (l4 >>> 24); b5 = 1280 | (l5 >>> 24); b6 = 1536 | (l6 >>> 24); b7 = 1792 | (l7 >>> 24);
    out[6] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    out[7] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    b0 = h0 & 255; b1 = 256 | (h1 & 255); b2 = 512 | (h2 & 255); b3 = 768 | (h3 & 255);
    b4 = 1024 | (h4 & 255); b5 = 1280 | (h5 & 255); b6 = 1536 | (h6 & 255); b7 = 1792 | (h7 & 255);
    out[8] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    out[9] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    b0 = (h0 >>> 8) & 255; b1 = 256 | ((h1 >>> 8) & 255); b2 = 512 | ((h2 >>> 8) & 255); b3 = 768 | ((h3 >>> 8) & 255);
    b4 = 1024 | ((h4 >>> 8) & 255); b5 = 1280 | ((h5 >>> 8) & 255); b6 = 1536 | ((h6 >>> 8) & 255); b7 = 1792 | ((h7 >>> 8) & 255);
    out[10] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    out[11] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    b0 = (h0 >>> 16) & 255; b1 = 256 | ((h1 >>> 16) & 255); b2 = 512 | ((h2 >>> 16) & 255); b3 = 768 | ((h3 >>> 16) & 255);
    b4 = 1024 | ((h4 >>> 16) & 255); b5 = 1280 | ((h5 >>> 16) & 255); b6 = 1536 | ((h6 >>> 16) & 255); b7 = 1792 | ((h7 >>> 16) & 255);
    out[12] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    out[13] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    b0 = h0 >>> 24; b1 = 256 | (h1 >>> 24); b2 = 512 | (h2 >>> 24); b3 = 768 | (h3 >>> 24);
    b4 = 1024 | (h4 >>> 24); b5 = 1280 | (h5 >>> 24); b6 = 1536 | (h6 >>> 24); b7 = 1792 | (h7 >>> 24);
    out[14] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    out[15] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
  }

  /**
   * One round of E, both halves at once: t = LPS(t ⊕ k) and k = LPS(k ⊕ C[ci…]). The two are
   * independent, so interleaving them gives the CPU two chains of work instead of one.
   */
  function lpsRound(t: Words, k: Words, c: Words, ci: number): void {
    const L = LPS_LO;
    const H = LPS_HI;
    const l0 = t[0] ^ k[0], h0 = t[1] ^ k[1];
    const m0 = k[0] ^ c[ci + 0], g0 = k[1] ^ c[ci + 1];
    const l1 = t[2] ^ k[2], h1 = t[3] ^ k[3];
    const m1 = k[2] ^ c[ci + 2], g1 = k[3] ^ c[ci + 3];
    const l2 = t[4] ^ k[4], h2 = t[5] ^ k[5];
    const m2 = k[4] ^ c[ci + 4], g2 = k[5] ^ c[ci + 5];
    const l3 = t[6] ^ k[6], h3 = t[7] ^ k[7];
    const m3 = k[6] ^ c[ci + 6], g3 = k[7] ^ c[ci + 7];
    const l4 = t[8] ^ k[8], h4 = t[9] ^ k[9];
    const m4 = k[8] ^ c[ci + 8], g4 = k[9] ^ c[ci + 9];
    const l5 = t[10] ^ k[10], h5 = t[11] ^ k[11];
    const m5 = k[10] ^ c[ci + 10], g5 = k[11] ^ c[ci + 11];
    const l6 = t[12] ^ k[12], h6 = t[13] ^ k[13];
    const m6 = k[12] ^ c[ci + 12], g6 = k[13] ^ c[ci + 13];
    const l7 = t[14] ^ k[14], h7 = t[15] ^ k[15];
    const m7 = k[14] ^ c[ci + 14], g7 = k[15] ^ c[ci + 15];
    let b0: number, b1: number, b2: number, b3: number, b4: number, b5: number, b6: number, b7: number;
    let d0: number, d1: number, d2: number, d3: number, d4: number, d5: number, d6: number, d7: number;
    b0 = l0 & 255; b1 = 256 | (l1 & 255); b2 = 512 | (l2 & 255); b3 = 768 | (l3 & 255);
    b4 = 1024 | (l4 & 255); b5 = 1280 | (l5 & 255); b6 = 1536 | (l6 & 255); b7 = 1792 | (l7 & 255);
    t[0] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    t[1] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    d0 = m0 & 255; d1 = 256 | (m1 & 255); d2 = 512 | (m2 & 255); d3 = 768 | (m3 & 255);
    d4 = 1024 | (m4 & 255); d5 = 1280 | (m5 & 255); d6 = 1536 | (m6 & 255); d7 = 1792 | (m7 & 255);
    k[0] = L[d0] ^ L[d1] ^ L[d2] ^ L[d3] ^ L[d4] ^ L[d5] ^ L[d6] ^ L[d7];
    k[1] = H[d0] ^ H[d1] ^ H[d2] ^ H[d3] ^ H[d4] ^ H[d5] ^ H[d6] ^ H[d7];
    b0 = (l0 >>> 8) & 255; b1 = 256 | ((l1 >>> 8) & 255); b2 = 512 | ((l2 >>> 8) & 255); b3 = 768 | ((l3 >>> 8) & 255);
    b4 = 1024 | ((l4 >>> 8) & 255); b5 = 1280 | ((l5 >>> 8) & 255); b6 = 1536 | ((l6 >>> 8) & 255); b7 = 1792 | ((l7 >>> 8) & 255);
    t[2] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    t[3] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    d0 = (m0 >>> 8) & 255; d1 = 256 | ((m1 >>> 8) & 255); d2 = 512 | ((m2 >>> 8) & 255); d3 = 768 | ((m3 >>> 8) & 255);
    d4 = 1024 | ((m4 >>> 8) & 255); d5 = 1280 | ((m5 >>> 8) & 255); d6 = 1536 | ((m6 >>> 8) & 255); d7 = 1792 | ((m7 >>> 8) & 255);
    k[2] = L[d0] ^ L[d1] ^ L[d2] ^ L[d3] ^ L[d4] ^ L[d5] ^ L[d6] ^ L[d7];
    k[3] = H[d0] ^ H[d1] ^ H[d2] ^ H[d3] ^ H[d4] ^ H[d5] ^ H[d6] ^ H[d7];
    b0 = (l0 >>> 16) & 255; b1 = 256 | ((l1 >>> 16) & 255); b2 = 512 | ((l2 >>> 16) & 255); b3 = 768 | ((l3 >>> 16) & 255);
    b4 = 1024 | ((l4 >>> 16) & 255); b5 = 1280 | ((l5 >>> 16) & 255); b6 = 1536 | ((l6 >>> 16) & 255); b7 = 1792 | ((l7 >>> 16) & 255);
    t[4] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    t[5] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    d0 = (m0 >>> 16) & 255; d1 = 256 | ((m1 >>> 16) & 255); d2 = 512 | ((m2 >>> 16) & 255); d3 = 768 | ((m3 >>> 16) & 255);
    d4 = 1024 | ((m4 >>> 16) & 255); d5 = 1280 | ((m5 >>> 16) & 255); d6 = 1536 | ((m6 >>> 16) & 255); d7 = 1792 | ((m7 >>> 16) & 255);
    k[4] = L[d0] ^ L[d1] ^ L[d2] ^ L[d3] ^ L[d4] ^ L[d5] ^ L[d6] ^ L[d7];
    k[5] = H[d0] ^ H[d1] ^ H[d2] ^ H[d3] ^ H[d4] ^ H[d5] ^ H[d6] ^ H[d7];
    b0 = l0 >>> 24; b1 = 256 | (l1 >>> 24); b2 = 512 | (l2 >>> 24); b3 = 768 | (l3 >>> 24);
    b4 = 1024 | (l4 >>> 24); b5 = 1280 | (l5 >>> 24); b6 = 1536 | (l6 >>> 24); b7 = 1792 | (l7 >>> 24);
    t[6] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    t[7] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    d0 = m0 >>> 24; d1 = 256 | (m1 >>> 24); d2 = 512 | (m2 >>> 24); d3 = 768 | (m3 >>> 24);
    d4 = 1024 | (m4 >>> 24); d5 = 1280 | (m5 >>> 24); d6 = 1536 | (m6 >>> 24); d7 = 1792 | (m7 >>> 24);
    k[6] = L[d0] ^ L[d1] ^ L[d2] ^ L[d3] ^ L[d4] ^ L[d5] ^ L[d6] ^ L[d7];
    k[7] = H[d0] ^ H[d1] ^ H[d2] ^ H[d3] ^ H[d4] ^ H[d5] ^ H[d6] ^ H[d7];
    b0 = h0 & 255; b1 = 256 | (h1 & 255); b2 = 512 | (h2 & 255); b3 = 768 | (h3 & 255);
    b4 = 1024 | (h4 & 255); b5 = 1280 | (h5 & 255); b6 = 1536 | (h6 & 255); b7 = 1792 | (h7 & 255);
    t[8] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    t[9] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    d0 = g0 & 255; d1 = 256 | (g1 & 255); d2 = 512 | (g2 & 255); d3 = 768 | (g3 & 255);
    d4 = 1024 | (g4 & 255); d5 = 1280 | (g5 & 255); d6 = 1536 | (g6 & 255); d7 = 1792 | (g7 & 255);
    k[8] = L[d0] ^ L[d1] ^ L[d2] ^ L[d3] ^ L[d4] ^ L[d5] ^ L[d6] ^ L[d7];
    k[9] = H[d0] ^ H[d1] ^ H[d2] ^ H[d3] ^ H[d4] ^ H[d5] ^ H[d6] ^ H[d7];
    b0 = (h0 >>> 8) & 255; b1 = 256 | ((h1 >>> 8) & 255); b2 = 512 | ((h2 >>> 8) & 255); b3 = 768 | ((h3 >>> 8) & 255);
    b4 = 1024 | ((h4 >>> 8) & 255); b5 = 1280 | ((h5 >>> 8) & 255); b6 = 1536 | ((h6 >>> 8) & 255); b7 = 1792 | ((h7 >>> 8) & 255);
    t[10] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    t[11] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    d0 = (g0 >>> 8) & 255; d1 = 256 | ((g1 >>> 8) & 255); d2 = 512 | ((g2 >>> 8) & 255); d3 = 768 | ((g3 >>> 8) & 255);
    d4 = 1024 | ((g4 >>> 8) & 255); d5 = 1280 | ((g5 >>> 8) & 255); d6 = 1536 | ((g6 >>> 8) & 255); d7 = 1792 | ((g7 >>> 8) & 255);
    k[10] = L[d0] ^ L[d1] ^ L[d2] ^ L[d3] ^ L[d4] ^ L[d5] ^ L[d6] ^ L[d7];
    k[11] = H[d0] ^ H[d1] ^ H[d2] ^ H[d3] ^ H[d4] ^ H[d5] ^ H[d6] ^ H[d7];
    b0 = (h0 >>> 16) & 255; b1 = 256 | ((h1 >>> 16) & 255); b2 = 512 | ((h2 >>> 16) & 255); b3 = 768 | ((h3 >>> 16) & 255);
    b4 = 1024 | ((h4 >>> 16) & 255); b5 = 1280 | ((h5 >>> 16) & 255); b6 = 1536 | ((h6 >>> 16) & 255); b7 = 1792 | ((h7 >>> 16) & 255);
    t[12] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    t[13] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    d0 = (g0 >>> 16) & 255; d1 = 256 | ((g1 >>> 16) & 255); d2 = 512 | ((g2 >>> 16) & 255); d3 = 768 | ((g3 >>> 16) & 255);
    d4 = 1024 | ((g4 >>> 16) & 255); d5 = 1280 | ((g5 >>> 16) & 255); d6 = 1536 | ((g6 >>> 16) & 255); d7 = 1792 | ((g7 >>> 16) & 255);
    k[12] = L[d0] ^ L[d1] ^ L[d2] ^ L[d3] ^ L[d4] ^ L[d5] ^ L[d6] ^ L[d7];
    k[13] = H[d0] ^ H[d1] ^ H[d2] ^ H[d3] ^ H[d4] ^ H[d5] ^ H[d6] ^ H[d7];
    b0 = h0 >>> 24; b1 = 256 | (h1 >>> 24); b2 = 512 | (h2 >>> 24); b3 = 768 | (h3 >>> 24);
    b4 = 1024 | (h4 >>> 24); b5 = 1280 | (h5 >>> 24); b6 = 1536 | (h6 >>> 24); b7 = 1792 | (h7 >>> 24);
    t[14] = L[b0] ^ L[b1] ^ L[b2] ^ L[b3] ^ L[b4] ^ L[b5] ^ L[b6] ^ L[b7];
    t[15] = H[b0] ^ H[b1] ^ H[b2] ^ H[b3] ^ H[b4] ^ H[b5] ^ H[b6] ^ H[b7];
    d0 = g0 >>> 24; d1 = 256 | (g1 >>> 24); d2 = 512 | (g2 >>> 24); d3 = 768 | (g3 >>> 24);
    d4 = 1024 | (g4 >>> 24); d5 = 1280 | (g5 >>> 24); d6 = 1536 | (g6 >>> 24); d7 = 1792 | (g7 >>> 24);
    k[14] = L[d0] ^ L[d1] ^ L[d2] ^ L[d3] ^ L[d4] ^ L[d5] ^ L[d6] ^ L[d7];
    k[15] = H[d0] ^ H[d1] ^ H[d2] ^ H[d3] ^ H[d4] ^ H[d5] ^ H[d6] ^ H[d7];
  }

  /** g_N(h, m) = E(LPS(h ⊕ N), m) ⊕ h ⊕ m, in place on h; k and t are scratch. */
  return function compress(h: Words, n: Words, m: Words, k: Words, t: Words): void {
    lpsx(h, n, k); // K1
    for (let j = 0; j < 16; j++) t[j] = m[j];
    for (let i = 0; i < 192; i += 16) lpsRound(t, k, C, i); // X[K(i)], S, P, L on t; K(i+1) from K(i), C(i)
    for (let j = 0; j < 16; j++) h[j] ^= t[j] ^ k[j] ^ m[j]; // X[K13], then ⊕ h ⊕ m
  };
})();

/** a += b mod 2^512 over 16 little-endian int32 words. */
function add512(a: Words, b: Words): void {
  let carry = 0;
  for (let j = 0; j < 16; j++) {
    const s = (a[j] >>> 0) + (b[j] >>> 0) + carry;
    a[j] = s | 0;
    carry = s > 0xffffffff ? 1 : 0;
  }
}

/** a += bits mod 2^512 (bits < 2^31). */
function addSmall(a: Words, bits: number): void {
  let carry = bits;
  for (let j = 0; j < 16 && carry !== 0; j++) {
    const s = (a[j] >>> 0) + carry;
    a[j] = s | 0;
    carry = s > 0xffffffff ? 1 : 0;
  }
}

const ZERO = words(16);

/** Incremental Streebog for large inputs: `new Streebog(512).update(a).update(b).digest()`. */
export class Streebog {
  readonly bits: 256 | 512;
  private readonly h = words(16);
  private readonly n = words(16);
  private readonly sigma = words(16);
  private readonly m = words(16);
  private readonly k = words(16);
  private readonly t = words(16);
  private readonly buf = new Uint8Array(64);
  private buffered = 0;
  private finished = false;

  constructor(bits: 256 | 512) {
    if (bits !== 256 && bits !== 512) throw new RangeError('Streebog: bits must be 256 or 512');
    this.bits = bits;
    if (bits === 256) this.h.fill(0x01010101); // IV = 0x01 in every byte
  }

  update(data: Uint8Array): this {
    if (this.finished) throw new Error('Streebog: update after digest');
    let o = 0;
    const len = data.length;
    if (this.buffered > 0) {
      const take = Math.min(64 - this.buffered, len);
      this.buf.set(data.subarray(0, take), this.buffered);
      this.buffered += take;
      o = take;
      if (this.buffered < 64) return this;
      this.blocks(this.buf, 0, 64);
      this.buffered = 0;
    }
    const whole = o + ((len - o) & ~63);
    this.blocks(data, o, whole);
    o = whole;
    if (o < len) {
      this.buf.set(data.subarray(o), 0);
      this.buffered = len - o;
    }
    return this;
  }

  digest(): Uint8Array {
    if (this.finished) throw new Error('Streebog: digest called twice');
    this.finished = true;
    const { h, n, sigma, m, k, t, buf } = this;
    buf.fill(0, this.buffered);
    buf[this.buffered] = 0x01;
    readBlock(buf, 0, m, 0);
    compress(h, n, m, k, t);
    addSmall(n, this.buffered * 8);
    add512(sigma, m);
    compress(h, ZERO, n, k, t);
    compress(h, ZERO, sigma, k, t);
    const out = new Uint8Array(64);
    for (let j = 0; j < 16; j++) {
      const w = h[j];
      out[4 * j] = w;
      out[4 * j + 1] = w >>> 8;
      out[4 * j + 2] = w >>> 16;
      out[4 * j + 3] = w >>> 24;
    }
    return this.bits === 512 ? out : out.slice(32);
  }

  /** Stage 2 of the standard on the whole blocks d[o…end). */
  private blocks(d: Uint8Array, o: number, end: number): void {
    const { h, n, sigma, m, k, t } = this;
    for (; o < end; o += 64) {
      readBlock(d, o, m, 0);
      compress(h, n, m, k, t);
      addSmall(n, 512);
      add512(sigma, m);
    }
  }
}

export function streebog256(data: Uint8Array): Uint8Array {
  return new Streebog(256).update(data).digest();
}

export function streebog512(data: Uint8Array): Uint8Array {
  return new Streebog(512).update(data).digest();
}
