// Password policy (DOMAIN.md) and hashing with scrypt (memory-hard), per-user salt, parameters kept with the hash.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (pw: string, salt: Buffer, len: number, o: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(pw, salt, len, o, (e, k) => (e ? reject(e) : resolve(k))));

/** N=2^15, r=8, p=1: 32 MiB per hash; ~50–100 ms on one core. */
const PARAMS = { N: 32768, r: 8, p: 1 };
const KEYLEN = 32;

export type PolicyProblem = 'too_short' | 'no_lower' | 'no_upper' | 'no_digit' | 'no_symbol' | 'not_latin';

export const PASSWORD_MIN_LENGTH = 8;

/** At least 8 characters: Latin lower and upper case, digits and symbols. Returns every unmet rule. */
export function passwordProblems(pw: string): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  if (pw.length < PASSWORD_MIN_LENGTH) out.push('too_short');
  if (!/[a-z]/.test(pw)) out.push('no_lower');
  if (!/[A-Z]/.test(pw)) out.push('no_upper');
  if (!/\d/.test(pw)) out.push('no_digit');
  if (!/[^A-Za-z0-9]/.test(pw)) out.push('no_symbol');
  if (/[^\x20-\x7e]/.test(pw)) out.push('not_latin');
  return out;
}

/** Periodic change: when a password set at `changedAt` must be changed. */
export const passwordExpiresAt = (changedAt: Date, maxAgeDays: number): Date => new Date(changedAt.getTime() + maxAgeDays * 86_400_000);

/** `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pw, salt, KEYLEN, { ...PARAMS, maxmem: 128 * PARAMS.N * PARAMS.r * 2 });
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(pw: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !hash) return false;
  const N = Number(n), R = Number(r), P = Number(p);
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(pw, Buffer.from(salt, 'base64'), expected.length, { N, r: R, p: P, maxmem: 128 * N * R * 2 });
  return timingSafeEqual(key, expected);
}

/** Spends the same time as a real check, so an unknown ИИН is not told apart by timing. */
let dummy: string | undefined;
export async function burnPasswordCheck(pw: string): Promise<void> {
  dummy ??= await hashPassword('dummy-Password-1!');
  await verifyPassword(pw, dummy);
}
