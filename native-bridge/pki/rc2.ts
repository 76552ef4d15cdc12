// RC2 block cipher (RFC 2268), CBC mode with PKCS#5 padding — only because НУЦ РК .p12 files
// encrypt their certificate bag with pbeWithSHA1And40BitRC2-CBC, and OpenSSL 3 (Node) and
// BoringSSL (Electron) no longer offer RC2 without a legacy provider.

/** PITABLE of RFC 2268 §2: a permutation of 0..255 derived from the digits of π. */
const PITABLE = Uint8Array.from(
  Buffer.from(
    'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e8254d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb6266fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed708e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731' +
      '2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad',
    'hex',
  ),
);

const BLOCK = 8;

/** Expanded key K[0..63] (RFC 2268 §2) for a key and its effective bit length T1. */
export function rc2ExpandKey(key: Uint8Array, effectiveBits = key.length * 8): Uint16Array {
  const T = key.length;
  if (T < 1 || T > 128) throw new RangeError('RC2 key must be 1..128 bytes');
  if (effectiveBits < 1 || effectiveBits > 1024) throw new RangeError('RC2 effective key bits must be 1..1024');
  const L = new Uint8Array(128);
  L.set(key);
  for (let i = T; i < 128; i++) L[i] = PITABLE[(L[i - 1] + L[i - T]) & 0xff];
  const T8 = Math.ceil(effectiveBits / 8);
  const TM = 0xff >> (8 * T8 - effectiveBits);
  L[128 - T8] = PITABLE[L[128 - T8] & TM];
  for (let i = 127 - T8; i >= 0; i--) L[i] = PITABLE[L[i + 1] ^ L[i + T8]];
  const K = new Uint16Array(64);
  for (let i = 0; i < 64; i++) K[i] = L[2 * i] | (L[2 * i + 1] << 8);
  L.fill(0);
  return K;
}

const S = [1, 2, 3, 5];
const rol = (x: number, s: number) => ((x << s) | (x >>> (16 - s))) & 0xffff;
const ror = (x: number, s: number) => ((x >>> s) | (x << (16 - s))) & 0xffff;

function words(b: Uint8Array, o: number): number[] {
  return [b[o] | (b[o + 1] << 8), b[o + 2] | (b[o + 3] << 8), b[o + 4] | (b[o + 5] << 8), b[o + 6] | (b[o + 7] << 8)];
}

function putWords(R: number[], out: Uint8Array, o: number): void {
  for (let i = 0; i < 4; i++) {
    out[o + 2 * i] = R[i] & 0xff;
    out[o + 2 * i + 1] = R[i] >>> 8;
  }
}

export function rc2EncryptBlock(K: Uint16Array, input: Uint8Array, inOff: number, out: Uint8Array, outOff: number): void {
  const R = words(input, inOff);
  let j = 0;
  const mix = () => {
    for (let i = 0; i < 4; i++) {
      const a = R[(i + 3) & 3];
      R[i] = (R[i] + K[j++] + (a & R[(i + 2) & 3]) + (~a & R[(i + 1) & 3])) & 0xffff;
      R[i] = rol(R[i], S[i]);
    }
  };
  const mash = () => {
    for (let i = 0; i < 4; i++) R[i] = (R[i] + K[R[(i + 3) & 3] & 63]) & 0xffff;
  };
  for (let r = 0; r < 5; r++) mix();
  mash();
  for (let r = 0; r < 6; r++) mix();
  mash();
  for (let r = 0; r < 5; r++) mix();
  putWords(R, out, outOff);
}

export function rc2DecryptBlock(K: Uint16Array, input: Uint8Array, inOff: number, out: Uint8Array, outOff: number): void {
  const R = words(input, inOff);
  let j = 63;
  const rmix = () => {
    for (let i = 3; i >= 0; i--) {
      R[i] = ror(R[i], S[i]);
      const a = R[(i + 3) & 3];
      R[i] = (R[i] - K[j--] - (a & R[(i + 2) & 3]) - (~a & R[(i + 1) & 3])) & 0xffff;
    }
  };
  const rmash = () => {
    for (let i = 3; i >= 0; i--) R[i] = (R[i] - K[R[(i + 3) & 3] & 63]) & 0xffff;
  };
  for (let r = 0; r < 5; r++) rmix();
  rmash();
  for (let r = 0; r < 6; r++) rmix();
  rmash();
  for (let r = 0; r < 5; r++) rmix();
  putWords(R, out, outOff);
}

/** RC2-CBC encryption with PKCS#5 padding. */
export function rc2CbcEncrypt(key: Uint8Array, effectiveBits: number, iv: Uint8Array, plain: Uint8Array): Uint8Array {
  if (iv.length !== BLOCK) throw new RangeError('RC2 IV must be 8 bytes');
  const K = rc2ExpandKey(key, effectiveBits);
  const pad = BLOCK - (plain.length % BLOCK);
  const out = new Uint8Array(plain.length + pad);
  out.set(plain);
  out.fill(pad, plain.length);
  let prev = iv;
  for (let o = 0; o < out.length; o += BLOCK) {
    for (let i = 0; i < BLOCK; i++) out[o + i] ^= prev[i];
    rc2EncryptBlock(K, out, o, out, o);
    prev = out.subarray(o, o + BLOCK);
  }
  K.fill(0);
  return out;
}

/** RC2-CBC decryption; returns undefined when the padding is wrong (usually: wrong password). */
export function rc2CbcDecrypt(key: Uint8Array, effectiveBits: number, iv: Uint8Array, cipher: Uint8Array): Uint8Array | undefined {
  if (iv.length !== BLOCK) throw new RangeError('RC2 IV must be 8 bytes');
  if (cipher.length === 0 || cipher.length % BLOCK) return undefined;
  const K = rc2ExpandKey(key, effectiveBits);
  const out = new Uint8Array(cipher.length);
  for (let o = 0; o < cipher.length; o += BLOCK) {
    rc2DecryptBlock(K, cipher, o, out, o);
    const prev = o === 0 ? iv : cipher.subarray(o - BLOCK, o);
    for (let i = 0; i < BLOCK; i++) out[o + i] ^= prev[i];
  }
  K.fill(0);
  const pad = out[out.length - 1];
  if (pad < 1 || pad > BLOCK) return undefined;
  for (let i = out.length - pad; i < out.length; i++) if (out[i] !== pad) return undefined;
  return out.subarray(0, out.length - pad);
}
