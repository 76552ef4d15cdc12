import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, checkTotp, hotp, totp } from './totp';
import { hashPassword, passwordProblems, verifyPassword } from './passwords';
import { RateLimiter } from './rate-limit';
import { afterFailure, isLocked, PhantomLockouts } from './lockout';

// RFC 6238 Appendix B: the seeds are ASCII "1234567890" repeated to the hash's key length.
const seed = (n: number) => new Uint8Array(Buffer.from('1234567890'.repeat(7).slice(0, n), 'ascii'));
describe('TOTP (RFC 6238 test vectors, 8 digits)', () => {
  it.each([
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ])('T=%i', (t, sha1, sha256, sha512) => {
    const at = new Date(t * 1000);
    expect(totp(seed(20), at, 8, 'sha1')).toBe(sha1);
    expect(totp(seed(32), at, 8, 'sha256')).toBe(sha256);
    expect(totp(seed(64), at, 8, 'sha512')).toBe(sha512);
  });
  it('HOTP (RFC 4226 Appendix D)', () => {
    const key = seed(20);
    expect([0, 1, 2, 3, 9].map((c) => hotp(key, c))).toEqual(['755224', '287082', '359152', '969429', '520489']);
  });
  it('accepts ±1 step, refuses reuse and other codes', () => {
    const secret = base32Encode(seed(20));
    expect(base32Decode(secret)).toEqual(seed(20));
    const t = new Date(1_700_000_000_000);
    const code = totp(seed(20), t);
    const step = checkTotp(secret, code, new Date(t.getTime() + 30_000));
    expect(step).not.toBeNull();
    expect(checkTotp(secret, code, t, step!)).toBeNull();
    expect(checkTotp(secret, code, new Date(t.getTime() + 120_000))).toBeNull();
    expect(checkTotp(secret, code === '000000' ? '000001' : '000000', t)).toBeNull();
  });
});

describe('passwords', () => {
  it.each([
    ['Kense-Demo-2026!', []],
    ['short1!A', []],
    ['Sh0rt!', ['too_short']],
    ['alllower1!', ['no_upper']],
    ['ALLUPPER1!', ['no_lower']],
    ['NoDigits!!', ['no_digit']],
    ['NoSymbol12', ['no_symbol']],
    ['Пароль-123a', ['not_latin']],
  ])('%s → %j', (pw, problems) => expect(passwordProblems(pw)).toEqual(expect.arrayContaining(problems)));
  it('scrypt hash with per-user salt and stored parameters', async () => {
    const a = await hashPassword('Kense-Demo-2026!');
    const b = await hashPassword('Kense-Demo-2026!');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('Kense-Demo-2026!', a)).toBe(true);
    expect(await verifyPassword('Kense-Demo-2026?', a)).toBe(false);
  });
});

describe('rate limiter', () => {
  it('counts per key per minute', () => {
    let now = 0;
    const l = new RateLimiter(() => now);
    expect([1, 2, 3].map(() => l.hit('k', 2))).toEqual([true, true, false]);
    expect(l.hit('other', 2)).toBe(true);
    now = 60_000;
    expect(l.hit('k', 2)).toBe(true);
  });
});

describe('lockout', () => {
  const t0 = new Date('2026-11-25T10:00:00Z');
  const later = (sec: number) => new Date(t0.getTime() + sec * 1000);
  it.each([
    ['first failure', { failed: 0, lockedUntil: null }, { failed: 1, locked: false }],
    ['fourth failure', { failed: 3, lockedUntil: null }, { failed: 4, locked: false }],
    ['fifth in a row locks', { failed: 4, lockedUntil: null }, { failed: 5, locked: true }],
    ['after a cool-down the count restarts', { failed: 5, lockedUntil: later(-1) }, { failed: 1, locked: false }],
  ] as const)('%s', (_t, before, after) => expect(afterFailure(before, t0, 5, 900)).toMatchObject(after));
  it('a lock lasts the cool-down', () => {
    const s = afterFailure({ failed: 4, lockedUntil: null }, t0, 5, 900);
    expect([isLocked(s, later(899)), isLocked(s, later(900))]).toEqual([true, false]);
  });
  it('an ИИН without an account locks like an account', () => {
    const p = new PhantomLockouts();
    expect([1, 2, 3, 4, 5].map(() => p.fail('x', t0, 5, 900).locked)).toEqual([false, false, false, false, true]);
    expect(isLocked(p.get('x'), later(10))).toBe(true);
    expect(isLocked(p.get('y'), later(10))).toBe(false);
  });
});
