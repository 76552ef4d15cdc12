// Sign-in: ИИН + password (+ TOTP) with lockout and rate limits, or a CMS over a server challenge.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { KenseError } from '../../../contract/errors';
import { zIinAtLogin } from '../../../contract/kz-identifiers';
import type { zCertLoginRequest, zLoginResponse, zPasswordLoginRequest } from '../../../contract/cloud';
import type { Services } from '../context';
import type { UserRow } from '../db/schema';
import { kzIso } from '../clock';
import { audit } from '../domain/audit';
import { companyView, userView } from '../domain/company';
import { assertNotCompromised, recordCertificate } from '../domain/certificates';
import { burnPasswordCheck, verifyPassword } from './passwords';
import { checkTotp } from './totp';
import { createSession, issueTokens } from './tokens';

type LoginResponse = z.infer<typeof zLoginResponse>;

function rateLimit(s: Services, key: string, limit: number): void {
  if (!s.limiter.hit(key, limit)) throw new KenseError('RATE_LIMITED');
}

async function finishLogin(s: Services, user: UserRow, method: 'certificate' | 'password', device: z.infer<typeof zPasswordLoginRequest>['device'], ip: string): Promise<LoginResponse> {
  const now = s.clock.now();
  return s.db.transaction().execute(async (trx) => {
    const sessionId = await createSession(trx, s, { user, device, method, ip });
    const tokens = await issueTokens(trx, s, sessionId);
    await audit(trx, { companyId: user.company_id, userId: user.id, sessionId, deviceName: device.name, ip, action: 'login', details: { method }, at: now });
    const company = await trx.selectFrom('companies').selectAll().where('id', '=', user.company_id).executeTakeFirstOrThrow();
    const changed = user.password_changed_at ?? user.created_at;
    return {
      ...tokens,
      user: userView(user, now),
      company: companyView(company),
      method,
      passwordExpiresAt: method === 'password' ? kzIso(new Date(changed.getTime() + s.config.passwordMaxAgeDays * 86_400_000)) : null,
    };
  });
}

export async function passwordLogin(s: Services, req: z.infer<typeof zPasswordLoginRequest>, ip: string): Promise<LoginResponse> {
  rateLimit(s, `ip:${ip}`, s.config.rateLimit.perIpPerMinute);
  rateLimit(s, `iin:${req.iin}`, s.config.rateLimit.perIinPerMinute);
  const iinCheck = zIinAtLogin(s.config.trust === 'test').safeParse(req.iin);
  if (!iinCheck.success) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'iin', message: iinCheck.error.issues[0].message }] });

  let q = s.db.selectFrom('users').selectAll().where('iin', '=', req.iin);
  if (req.companyId) q = q.where('company_id', '=', req.companyId);
  const candidates = await q.orderBy('created_at').execute();
  const user = candidates.find((u) => !u.terminated_at) ?? candidates[0];
  const now = s.clock.now();
  if (!user || !user.password_hash) {
    await burnPasswordCheck(req.password);
    throw new KenseError('INVALID_CREDENTIALS');
  }
  if (user.terminated_at) throw new KenseError('ACCOUNT_TERMINATED');
  if (user.locked_until && user.locked_until.getTime() > now.getTime()) {
    await audit(s.db, { companyId: user.company_id, userId: user.id, ip, action: 'login.locked', deviceName: req.device.name, at: now });
    throw new KenseError('ACCOUNT_LOCKED', { until: kzIso(user.locked_until) });
  }
  // After the cool-down the count starts again.
  const failedSoFar = user.locked_until ? 0 : user.failed_logins;

  const fail = async (reason: string): Promise<never> => {
    const failed = failedSoFar + 1;
    const lock = failed >= s.config.lockoutThreshold;
    await s.db
      .updateTable('users')
      .set({ failed_logins: failed, locked_until: lock ? new Date(now.getTime() + s.config.lockoutCooldownSec * 1000) : null })
      .where('id', '=', user.id)
      .execute();
    await audit(s.db, { companyId: user.company_id, userId: user.id, ip, deviceName: req.device.name, action: lock ? 'account.locked' : 'login.failed', details: { reason, consecutive: failed }, at: now });
    throw new KenseError(lock ? 'ACCOUNT_LOCKED' : reason === 'totp' ? 'TOTP_INVALID' : 'INVALID_CREDENTIALS', lock ? { consecutive: failed } : undefined);
  };

  if (!(await verifyPassword(req.password, user.password_hash))) return fail('password');
  if (user.totp_enabled && user.totp_secret) {
    if (!req.totp) throw new KenseError('TOTP_REQUIRED');
    const step = checkTotp(user.totp_secret, req.totp, now, user.totp_last_step);
    if (step === null) return fail('totp');
    await s.db.updateTable('users').set({ totp_last_step: step }).where('id', '=', user.id).execute();
  }
  await s.db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
  return finishLogin(s, { ...user, failed_logins: 0, locked_until: null }, 'password', req.device, ip);
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

export async function certLogin(s: Services, req: z.infer<typeof zCertLoginRequest>, ip: string): Promise<LoginResponse> {
  rateLimit(s, `ip:${ip}`, s.config.rateLimit.perIpPerMinute);
  const cms = new Uint8Array(Buffer.from(req.cms, 'base64'));
  const verified = await (await s.signatures()).verifyLogin(cms);
  const now = s.clock.now();
  const nonce = Buffer.from(verified.content).toString('utf8');
  // Single use: only one sign-in can consume a nonce, and only before it expires.
  const consumed = await s.db.updateTable('challenges').set({ used_at: now }).where('nonce', '=', nonce).where('used_at', 'is', null).where('expires_at', '>', now).returning('nonce').executeTakeFirst();
  if (!consumed) throw new KenseError('CHALLENGE_INVALID');
  const cert = verified.certificate;
  await assertNotCompromised(s.db, cert.serialNumber);
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
  return finishLogin(s, user, 'certificate', req.device, ip);
}
