// Sessions and tokens. Tokens are opaque random strings and the database keeps only their SHA-256.
// Why not signed (JWT-like) tokens: ending a session, terminating an account or blocking a compromised key
// must take effect on the very next call, which needs a lookup anyway; with opaque tokens that lookup is
// the only check, and a leaked database holds nothing that can be replayed. Access tokens live 10 minutes.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { KenseError } from '../../../contract/errors';
import type { Database, UserRow } from '../db/schema';
import type { Principal, Services } from '../context';
import { sha256Hex } from '../canonical-json';
import { kzIso } from '../clock';
import { audit } from '../domain/audit';
import { passwordExpiresAt } from './passwords';

export const newToken = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;
export const tokenHash = (t: string): string => sha256Hex(t);

export interface IssuedTokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  sessionId: string;
}

export async function issueTokens(db: Kysely<Database>, s: Services, sessionId: string): Promise<IssuedTokens> {
  const now = s.clock.now();
  const access = newToken('ka');
  const refresh = newToken('kr');
  const accessExp = new Date(now.getTime() + s.config.accessTokenTtlSec * 1000);
  const refreshExp = new Date(now.getTime() + s.config.refreshTokenTtlSec * 1000);
  await db.insertInto('access_tokens').values({ hash: tokenHash(access), session_id: sessionId, expires_at: accessExp }).execute();
  await db.insertInto('refresh_tokens').values({ hash: tokenHash(refresh), session_id: sessionId, expires_at: refreshExp, created_at: now }).execute();
  return { accessToken: access, accessTokenExpiresAt: kzIso(accessExp), refreshToken: refresh, refreshTokenExpiresAt: kzIso(refreshExp), sessionId };
}

export interface DeviceInfo {
  id: string;
  name: string;
  platform: string;
  appVersion?: string;
}

/** One session per (user, device): signing in again on the same device ends the previous session. */
export async function createSession(db: Kysely<Database>, s: Services, p: { user: UserRow; device: DeviceInfo; method: 'certificate' | 'password'; ip: string; certSerial?: string }): Promise<string> {
  const now = s.clock.now();
  const previous = await db.selectFrom('sessions').select('id').where('user_id', '=', p.user.id).where('device_id', '=', p.device.id).where('ended_at', 'is', null).execute();
  for (const prev of previous) await endSession(db, prev.id, 'replaced', now);
  const id = randomUUID();
  await db
    .insertInto('sessions')
    .values({
      id, user_id: p.user.id, company_id: p.user.company_id, device_id: p.device.id, device_name: p.device.name, platform: p.device.platform,
      app_version: p.device.appVersion ?? null, method: p.method, ip: p.ip, created_at: now, last_seen_at: now, cert_serial: p.certSerial ?? null,
    })
    .execute();
  return id;
}

export async function endSession(db: Kysely<Database>, sessionId: string, reason: string, at: Date): Promise<void> {
  // Tokens stay (an ended session makes them useless) so that presenting one later gets the precise
  // answer: SESSION_ENDED, or ACCOUNT_TERMINATED for a terminated account (remote wipe).
  await db.updateTable('sessions').set({ ended_at: at, end_reason: reason }).where('id', '=', sessionId).where('ended_at', 'is', null).execute();
}

/** Resolves `Authorization: Bearer <token>` to the caller, or throws the precise reason it cannot. */
export async function resolveAccessToken(s: Services, token: string | undefined, ip = ''): Promise<Principal> {
  if (!token) throw new KenseError('AUTH_REQUIRED');
  // One round trip: token, session, user and company together.
  const row = await s.db
    .selectFrom('access_tokens as t')
    .innerJoin('sessions as ss', 'ss.id', 't.session_id')
    .innerJoin('users as u', 'u.id', 'ss.user_id')
    .innerJoin('companies as c', 'c.id', 'u.company_id')
    .selectAll('u')
    .select([
      't.expires_at as t_expires_at', 'ss.id as s_id', 'ss.method as s_method', 'ss.ended_at as s_ended_at', 'ss.device_name as s_device_name', 'ss.last_seen_at as s_last_seen_at',
      'c.id as c_id', 'c.name as c_name', 'c.iin_bin as c_iin_bin', 'c.kind as c_kind', 'c.address as c_address', 'c.last_seq as c_last_seq',
      'c.version as c_version', 'c.terminated_at as c_terminated_at', 'c.created_at as c_created_at',
    ])
    .where('t.hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row) throw new KenseError('AUTH_REQUIRED', { reason: 'unknown_token' });
  const { t_expires_at, s_id, s_method, s_ended_at, s_device_name, s_last_seen_at, c_id, c_name, c_iin_bin, c_kind, c_address, c_last_seq, c_version, c_terminated_at, c_created_at, ...user } = row;
  const company = { id: c_id, name: c_name, iin_bin: c_iin_bin, kind: c_kind, address: c_address, last_seq: c_last_seq, version: c_version, terminated_at: c_terminated_at, created_at: c_created_at };
  const session = { id: s_id, ended_at: s_ended_at, device_name: s_device_name, last_seen_at: s_last_seen_at, expires_at: t_expires_at };
  // A terminated account is told so on every call (remote wipe), before anything else.
  if (user.terminated_at || company.terminated_at) throw new KenseError('ACCOUNT_TERMINATED');
  if (session.ended_at) throw new KenseError('SESSION_ENDED');
  const now = s.clock.now();
  if (session.expires_at.getTime() <= now.getTime()) throw new KenseError('TOKEN_EXPIRED');
  if (now.getTime() - session.last_seen_at.getTime() > 60_000) {
    await s.db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', session.id).execute();
  }
  const expires = s_method === 'password' && user.password_hash ? passwordExpiresAt(user.password_changed_at ?? user.created_at, s.config.passwordMaxAgeDays) : null;
  return {
    user,
    company,
    sessionId: session.id,
    passwordExpired: expires !== null && expires.getTime() <= now.getTime(),
    deviceName: session.device_name,
    ip,
    viewer: { userId: user.id, role: user.role as Principal['viewer']['role'], branchId: user.branch_id },
  };
}

/** Rotates a refresh token. Presenting one that was already rotated ends the whole session (token theft). */
export async function rotateRefreshToken(s: Services, token: string, ip: string): Promise<IssuedTokens> {
  const now = s.clock.now();
  return s.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('refresh_tokens as r')
      .innerJoin('sessions as ss', 'ss.id', 'r.session_id')
      .innerJoin('users as u', 'u.id', 'ss.user_id')
      .innerJoin('companies as c', 'c.id', 'u.company_id')
      .select(['r.hash', 'r.used_at', 'r.expires_at', 'ss.id as session_id', 'ss.ended_at', 'ss.device_name', 'u.id as user_id', 'u.company_id', 'u.terminated_at', 'c.terminated_at as company_terminated_at'])
      .where('r.hash', '=', tokenHash(token))
      .executeTakeFirst();
    if (!row) throw new KenseError('REFRESH_TOKEN_INVALID');
    if (row.terminated_at || row.company_terminated_at) throw new KenseError('ACCOUNT_TERMINATED');
    if (row.ended_at) throw new KenseError('SESSION_ENDED');
    // Claim the token atomically: of two concurrent presentations only one rotates it.
    const claimed = row.used_at ? undefined : await trx.updateTable('refresh_tokens').set({ used_at: now }).where('hash', '=', row.hash).where('used_at', 'is', null).returning('hash').executeTakeFirst();
    if (!claimed) {
      await endSession(trx, row.session_id, 'refresh_token_reuse', now);
      await audit(trx, { companyId: row.company_id, userId: row.user_id, sessionId: row.session_id, deviceName: row.device_name, ip, action: 'session.refresh_reuse', at: now });
      return { reused: true } as never;
    }
    if (row.expires_at.getTime() <= now.getTime()) throw new KenseError('REFRESH_TOKEN_INVALID', { reason: 'expired' });
    await trx.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.session_id).execute();
    return issueTokens(trx, s, row.session_id);
  }).then((r) => {
    // The reuse verdict is raised after commit so the session stays ended.
    if ((r as unknown as { reused?: boolean }).reused) throw new KenseError('REFRESH_TOKEN_REUSED');
    return r;
  });
}
