// Routes: sign-in, tokens, password and TOTP, sessions, certificates and key compromise.
import { KenseError } from '../../../../contract/errors';
import { kzIso } from '../../clock';
import { certLogin, claimTotpStep, deviceOf, newChallenge, passwordLogin } from '../../auth/login';
import { endSession, rotateRefreshToken } from '../../auth/tokens';
import { hashPassword, PASSWORD_MIN_LENGTH, passwordProblems, verifyPassword } from '../../auth/passwords';
import { PASSWORD_WARNINGS } from '../../../../contract/cloud';
import { checkTotp, newTotpSecret, otpauthUri } from '../../auth/totp';
import { companyView, userView } from '../../domain/company';
import { certificateView, normalizeSerial } from '../../domain/certificates';
import { reportCompromise, restoreCertificate } from '../../domain/compromise';
import { PERMISSIONS } from '../../rules/access';
import type { Handlers } from './types';
import { auditCall as act } from './shared';

export const authRoutes: Handlers<
  'authChallenge' | 'authCert' | 'authPassword' | 'authRefresh' | 'authLogout' | 'passwordPolicy' | 'passwordChange' | 'totpSetup' | 'totpEnable' | 'totpDisable' | 'me' |
  'sessionsList' | 'sessionEnd' | 'certificatesList' | 'certificateCompromised' | 'certificateRestore'
> = {
  authChallenge: async (c) => newChallenge(c.s, c.ip),
  authCert: async (c) => certLogin(c.s, { ...c.body, device: deviceOf(c.body.device, c.userAgent) }, c.ip),
  authPassword: async (c) => passwordLogin(c.s, { ...c.body, device: deviceOf(c.body.device, c.userAgent) }, c.ip, c.locale),
  authRefresh: async (c) => rotateRefreshToken(c.s, c.body.refreshToken, c.ip),
  authLogout: async (c) => {
    await endSession(c.s.db, c.principal.sessionId, 'logout', c.s.clock.now());
    await act(c, 'logout');
    return { ok: true };
  },
  passwordPolicy: async (c) => ({
    minLength: PASSWORD_MIN_LENGTH,
    requires: ['lower', 'upper', 'digit', 'symbol'],
    latinOnly: true,
    maxAgeDays: c.s.config.passwordMaxAgeDays,
    lockoutThreshold: c.s.config.lockoutThreshold,
    lockoutMinutes: Math.ceil(c.s.config.lockoutCooldownSec / 60),
    warnings: (Object.keys(PASSWORD_WARNINGS) as (keyof typeof PASSWORD_WARNINGS)[]).map((code) => ({ code, message: PASSWORD_WARNINGS[code][c.locale] })),
  }),
  passwordChange: async (c) => {
    const u = c.principal.user;
    if (!u.password_hash || !(await verifyPassword(c.body.currentPassword, u.password_hash))) throw new KenseError('INVALID_CREDENTIALS');
    const problems = passwordProblems(c.body.newPassword);
    if (problems.length) throw new KenseError('PASSWORD_POLICY', { problems });
    if (c.body.newPassword === c.body.currentPassword) throw new KenseError('PASSWORD_POLICY', { problems: ['same_as_current'] });
    await c.s.db.updateTable('users').set({ password_hash: await hashPassword(c.body.newPassword), password_changed_at: c.s.clock.now() }).where('id', '=', u.id).execute();
    await act(c, 'password.change');
    return { ok: true };
  },
  totpSetup: async (c) => {
    const secret = newTotpSecret();
    await c.s.db.updateTable('users').set({ totp_pending_secret: secret }).where('id', '=', c.principal.user.id).execute();
    return { secret, otpauthUri: otpauthUri(secret, c.principal.user.iin) };
  },
  totpEnable: async (c) => {
    const u = await c.s.db.selectFrom('users').selectAll().where('id', '=', c.principal.user.id).executeTakeFirstOrThrow();
    if (!u.totp_pending_secret) throw new KenseError('TOTP_INVALID', { reason: 'no setup in progress' });
    const step = checkTotp(u.totp_pending_secret, c.body.code, c.s.clock.now());
    if (step === null) throw new KenseError('TOTP_INVALID');
    await c.s.db.updateTable('users').set({ totp_secret: u.totp_pending_secret, totp_pending_secret: null, totp_enabled: true, totp_last_step: step, version: u.version + 1 }).where('id', '=', u.id).execute();
    await act(c, 'totp.enable');
    return { ok: true };
  },
  totpDisable: async (c) => {
    const u = c.principal.user;
    if (!u.totp_enabled || !u.totp_secret) return { ok: true };
    const step = checkTotp(u.totp_secret, c.body.code, c.s.clock.now(), u.totp_last_step);
    if (step === null || !(await claimTotpStep(c.s.db, u.id, step))) throw new KenseError('TOTP_INVALID');
    await c.s.db.updateTable('users').set({ totp_secret: null, totp_enabled: false, version: u.version + 1 }).where('id', '=', u.id).execute();
    await act(c, 'totp.disable');
    return { ok: true };
  },
  me: async (c) => ({
    user: userView(c.principal.user, c.s.clock.now()),
    company: companyView(c.principal.company),
    role: c.principal.viewer.role,
    permissions: PERMISSIONS[c.principal.viewer.role],
  }),
  sessionsList: async (c) => {
    const rows = await c.s.db.selectFrom('sessions').selectAll().where('user_id', '=', c.principal.user.id).where('ended_at', 'is', null).orderBy('created_at').execute();
    return {
      items: rows.map((r) => ({
        id: r.id, device: { id: r.device_id, name: r.device_name, platform: r.platform }, method: r.method as 'password', createdAt: kzIso(r.created_at),
        lastSeenAt: kzIso(r.last_seen_at), ip: r.ip, current: r.id === c.principal.sessionId,
      })),
    };
  },
  sessionEnd: async (c) => {
    const r = await c.s.db.selectFrom('sessions').select('id').where('id', '=', c.params.id).where('user_id', '=', c.principal.user.id).executeTakeFirst();
    if (!r) throw new KenseError('NOT_FOUND', { entity: 'session', id: c.params.id });
    await endSession(c.s.db, r.id, 'ended_by_user', c.s.clock.now());
    await act(c, 'session.end', `session:${r.id}`);
    return { ok: true };
  },
  certificatesList: async (c) => {
    let q = c.s.db.selectFrom('certificates').selectAll().where('company_id', '=', c.principal.company.id);
    if (c.principal.viewer.role !== 'first_manager') q = q.where('user_id', '=', c.principal.user.id);
    const rows = await q.orderBy('first_seen_at').execute();
    return { items: rows.map(certificateView) };
  },
  certificateCompromised: async (c) => certificateView(await c.s.db.transaction().execute((trx) => reportCompromise(trx, c.s, c.principal, c.params.serial, c.body.reason ?? null))),
  certificateRestore: async (c) => certificateView(await restoreCertificate(c.s.db, c.s, c.principal, normalizeSerial(c.params.serial))),
};
