// Sign-in: ИИН + password (+ TOTP) with lockout and rate limits, or a CMS over a server challenge.
import { randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { KenseError, type Locale } from '../../../contract/errors';
import { identifierIssue, identifierMessage, zIinAtLogin } from '../../../contract/kz-identifiers';
import type { zCertLoginRequest, zDevice, zLoginResponse, zPasswordLoginRequest } from '../../../contract/cloud';
import type { Services } from '../context';
import type { UserRow } from '../db/schema';
import { kzIso } from '../clock';
import { audit } from '../domain/audit';
import { companyView, userView } from '../domain/company';
import { assertNotCompromised, normalizeSerial, recordCertificate } from '../domain/certificates';
import { burnPasswordCheck, passwordExpiresAt, verifyPassword } from './passwords';
import { checkTotp } from './totp';
import { afterFailure, isLocked, type LockState } from './lockout';
import { createSession, issueTokens } from './tokens';

type LoginResponse = z.infer<typeof zLoginResponse>;
type Device = z.infer<typeof zDevice>;
type WithDevice<T> = Omit<T, 'device'> & { device: Device };

/** The device a sign-in names, or one of its own for a client that names none (its session stands alone). */
export function deviceOf(d: Device | undefined, userAgent: string): Device {
  return d ?? { id: `unnamed-${randomUUID()}`, name: userAgent.slice(0, 100) || 'unnamed device', platform: 'other' };
}

function rateLimit(s: Services, key: string, limit: number): void {
  if (!s.limiter.hit(key, limit)) throw new KenseError('RATE_LIMITED');
}

async function finishLogin(s: Services, user: UserRow, method: 'certificate' | 'password', device: Device, ip: string, certSerial?: string): Promise<LoginResponse> {
  const now = s.clock.now();
  return s.db.transaction().execute(async (trx) => {
    const sessionId = await createSession(trx, s, { user, device, method, ip, certSerial });
    await audit(trx, { companyId: user.company_id, userId: user.id, sessionId, deviceName: device.name, ip, action: 'login', details: { method, ...(certSerial ? { certSerial } : {}) }, at: now });
    const tokens = await issueTokens(trx, s, sessionId);
    const company = await trx.selectFrom('companies').selectAll().where('id', '=', user.company_id).executeTakeFirstOrThrow();
    const expires = method === 'password' ? passwordExpiresAt(user.password_changed_at ?? user.created_at, s.config.passwordMaxAgeDays) : null;
    return {
      ...tokens,
      user: userView(user, now),
      company: companyView(company),
      method,
      passwordExpiresAt: expires ? kzIso(expires) : null,
      passwordChangeRequired: expires !== null && expires.getTime() <= now.getTime(),
    };
  });
}

export async function passwordLogin(s: Services, req: WithDevice<z.infer<typeof zPasswordLoginRequest>>, ip: string, locale: Locale = 'ru'): Promise<LoginResponse> {
  rateLimit(s, `ip:${ip}`, s.config.rateLimit.perIpPerMinute);
  rateLimit(s, `iin:${req.iin}`, s.config.rateLimit.perIinPerMinute);
  const iinCheck = zIinAtLogin(s.config.trust === 'test').safeParse(req.iin);
  if (!iinCheck.success) {
    const id = identifierIssue((iinCheck.error.issues[0] as { params?: unknown }).params);
    throw new KenseError('INVALID_INPUT', { fields: [{ path: 'body.iin', ...(id ? { message: identifierMessage(id.identifier, id.problem, locale), problem: id.problem } : { message: iinCheck.error.issues[0].message }) }] });
  }
  let q = s.db.selectFrom('users').selectAll().where('iin', '=', req.iin);
  if (req.companyId) q = q.where('company_id', '=', req.companyId);
  const candidates = await q.orderBy('created_at').execute();
  const found = candidates.find((u) => !u.terminated_at) ?? candidates[0];
  // No password account (unknown ИИН, or a certificate-only user): the same answers, after the same work.
  const account = found?.password_hash ? found : null;
  const phantomKey = `${req.iin}|${req.companyId ?? ''}`;
  const now = s.clock.now();
  const { lockoutThreshold: threshold, lockoutCooldownSec: cooldown } = s.config;
  const lock: LockState = account ? { failed: account.failed_logins, lockedUntil: account.locked_until } : s.phantomLocks.get(phantomKey);
  if (isLocked(lock, now)) {
    await burnPasswordCheck(req.password);
    if (account) await audit(s.db, { companyId: account.company_id, userId: account.id, ip, action: 'login.locked', deviceName: req.device.name, at: now });
    throw new KenseError('ACCOUNT_LOCKED', { until: kzIso(lock.lockedUntil as Date) });
  }
  const fail = async (reason: 'password' | 'totp'): Promise<never> => {
    const next = account ? afterFailure(lock, now, threshold, cooldown) : s.phantomLocks.fail(phantomKey, now, threshold, cooldown);
    if (account) {
      await s.db.updateTable('users').set({ failed_logins: next.failed, locked_until: next.lockedUntil }).where('id', '=', account.id).execute();
      await audit(s.db, { companyId: account.company_id, userId: account.id, ip, deviceName: req.device.name, action: next.locked ? 'account.locked' : 'login.failed', details: { reason, consecutive: next.failed }, at: now });
    }
    throw new KenseError(next.locked ? 'ACCOUNT_LOCKED' : reason === 'totp' ? 'TOTP_INVALID' : 'INVALID_CREDENTIALS', next.locked ? { consecutive: next.failed } : undefined);
  };
  if (!account) {
    await burnPasswordCheck(req.password);
    return fail('password');
  }
  if (!(await verifyPassword(req.password, account.password_hash as string))) return fail('password');
  // Only the holder of the password learns that the account was terminated (the device then wipes its data).
  if (account.terminated_at) throw new KenseError('ACCOUNT_TERMINATED');
  if (account.totp_enabled && account.totp_secret) {
    if (!req.totp) throw new KenseError('TOTP_REQUIRED');
    const step = checkTotp(account.totp_secret, req.totp, now, account.totp_last_step);
    if (step === null) return fail('totp');
    // A code works once: of two sign-ins racing with the same code, only one moves the last used step.
    if (!(await claimTotpStep(s.db, account.id, step))) return fail('totp');
  }
  await s.db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', account.id).execute();
  return finishLogin(s, { ...account, failed_logins: 0, locked_until: null }, 'password', req.device, ip);
}

/** Records `step` as the last used TOTP step unless that step (or a later one) was already used. */
export async function claimTotpStep(db: Services['db'], userId: string, step: number): Promise<boolean> {
  const r = await db.updateTable('users').set({ totp_last_step: step }).where('id', '=', userId).where('totp_last_step', '<', step).returning('id').executeTakeFirst();
  return r !== undefined;
}

export async function newChallenge(s: Services, ip: string): Promise<{ nonce: string; expiresAt: string }> {
  rateLimit(s, `ip:${ip}`, s.config.rateLimit.perIpPerMinute);
  const now = s.clock.now();
  const nonce = `kense-login:${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + s.config.challengeTtlSec * 1000);
  await s.db.deleteFrom('challenges').where('expires_at', '<', new Date(now.getTime() - 3600_000)).execute();
  await s.db.insertInto('challenges').values({ nonce, expires_at: expiresAt }).execute();
  return { nonce, expiresAt: kzIso(expiresAt) };
}

export async function certLogin(s: Services, req: WithDevice<z.infer<typeof zCertLoginRequest>>, ip: string): Promise<LoginResponse> {
  rateLimit(s, `ip:${ip}`, s.config.rateLimit.perIpPerMinute);
  const cms = new Uint8Array(Buffer.from(req.cms, 'base64'));
  const verified = await (await s.signatures()).verifyLogin(cms);
  const now = s.clock.now();
  const nonce = Buffer.from(verified.content).toString('utf8');
  // Single use: only one sign-in can consume a nonce, and only before it expires.
  const consumed = await s.db.updateTable('challenges').set({ used_at: now }).where('nonce', '=', nonce).where('used_at', 'is', null).where('expires_at', '>', now).returning('nonce').executeTakeFirst();
  if (!consumed) throw new KenseError('CHALLENGE_INVALID');
  const cert = verified.certificate;
  try {
    await assertNotCompromised(s.db, cert.serialNumber);
  } catch (e) {
    // A blocked key tried to sign in: the company's log shows it.
    const known = await s.db.selectFrom('certificates').select(['company_id', 'user_id']).where('serial', '=', normalizeSerial(cert.serialNumber)).executeTakeFirst();
    await audit(s.db, { companyId: known?.company_id ?? null, userId: known?.user_id ?? null, ip, deviceName: req.device.name, action: 'login.failed', details: { method: 'certificate', reason: 'compromised', serial: normalizeSerial(cert.serialNumber) }, at: now });
    throw e;
  }
  if (!cert.iin) throw new KenseError('CERT_USER_UNKNOWN', { reason: 'the certificate carries no ИИН' });

  let users = await s.db.selectFrom('users').selectAll().where('iin', '=', cert.iin).execute();
  if (cert.bin) {
    const company = await s.db.selectFrom('companies').select('id').where('iin_bin', '=', cert.bin).executeTakeFirst();
    users = users.filter((u) => u.company_id === company?.id);
  }
  if (req.companyId) users = users.filter((u) => u.company_id === req.companyId);
  if (users.length === 0) {
    await audit(s.db, { companyId: null, userId: null, ip, action: 'login.failed', details: { method: 'certificate', reason: 'unknown_user', serial: cert.serialNumber }, at: now });
    throw new KenseError('CERT_USER_UNKNOWN');
  }
  if (users.length > 1) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'companyId', message: 'the certificate belongs to users of several companies: choose one' }], companies: users.map((u) => u.company_id) });
  const user = users[0];
  if (user.terminated_at) throw new KenseError('ACCOUNT_TERMINATED');
  await recordCertificate(s.db, cert, user.company_id, user.id);
  return finishLogin(s, user, 'certificate', req.device, ip, normalizeSerial(cert.serialNumber));
}
