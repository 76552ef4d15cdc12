// TOTP (RFC 6238) over HOTP (RFC 4226) with node:crypto; secrets in base32 as authenticator apps expect.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(b: Uint8Array): string {
  let bits = 0, value = 0, out = '';
  for (const byte of b) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '').toUpperCase();
  let bits = 0, value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = B32.indexOf(ch);
    if (i < 0) throw new RangeError('not base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

export function hotp(key: Uint8Array, counter: number, digits = 6, alg: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(alg, key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export const TOTP_STEP_SEC = 30;
export const totpStep = (t: Date): number => Math.floor(t.getTime() / 1000 / TOTP_STEP_SEC);

export function totp(key: Uint8Array, t: Date, digits = 6, alg: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  return hotp(key, totpStep(t), digits, alg);
}

/**
 * Checks a code within ±1 step of clock drift. Returns the matched step (to refuse its reuse), or null.
 * Steps at or before `lastUsedStep` are refused: a code works once.
 */
export function checkTotp(secretB32: string, code: string, t: Date, lastUsedStep = 0): number | null {
  const key = base32Decode(secretB32);
  const now = totpStep(t);
  const given = Buffer.from(code, 'utf8');
  for (const s of [now - 1, now, now + 1]) {
    const want = Buffer.from(hotp(key, s), 'utf8');
    if (s > lastUsedStep && want.length === given.length && timingSafeEqual(want, given)) return s;
  }
  return null;
}

export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

export function otpauthUri(secretB32: string, account: string, issuer = 'kense'): string {
  return `otpauth://totp/${encodeURIComponent(`${issuer}:${account}`)}?secret=${secretB32}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}
