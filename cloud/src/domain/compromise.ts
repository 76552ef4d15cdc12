// Key compromise: from the report on, the certificate may not log in or sign, until the first manager restores it.
import type { Kysely } from 'kysely';
import { KenseError } from '../../../contract/errors';
import type { Database } from '../db/schema';
import type { Principal, Services } from '../context';
import { audit } from './audit';
import { normalizeSerial } from './certificates';
import { notify, usersWithRoles } from './notifications';

/** The owner reports their certificate; the first manager may report any certificate of the company. */
export async function reportCompromise(db: Kysely<Database>, s: Services, p: Principal, rawSerial: string, reason: string | null) {
  const serial = normalizeSerial(rawSerial);
  const now = s.clock.now();
  const cert = await db.selectFrom('certificates').selectAll().where('serial', '=', serial).executeTakeFirst();
  const fm = p.viewer.role === 'first_manager';
  if (cert) {
    const own = cert.user_id === p.user.id || (cert.iin === p.user.iin && cert.company_id === p.company.id);
    const company = cert.company_id === p.company.id;
    if (!own && !(fm && company)) throw new KenseError('FORBIDDEN', { reason: 'not your certificate' });
    await db.updateTable('certificates').set({ status: 'compromised', compromised_at: now, compromised_by: p.user.id, restored_at: null }).where('serial', '=', serial).execute();
  } else {
    // Never seen here: blocked all the same, so it cannot be used from now on.
    await db
      .insertInto('certificates')
      .values({ serial, company_id: p.company.id, user_id: fm ? null : p.user.id, iin: fm ? null : p.user.iin, bin: null, subject: '(reported before first use)', not_after: null, sha256: null, status: 'compromised', compromised_at: now, compromised_by: p.user.id })
      .execute();
  }
  // Sessions opened with this key end now: whoever holds the key may also hold such a session.
  const ended = await db.updateTable('sessions').set({ ended_at: now, end_reason: 'key_compromised' }).where('cert_serial', '=', serial).where('ended_at', 'is', null).returning('id').execute();
  await audit(db, { companyId: p.company.id, userId: p.user.id, sessionId: p.sessionId, deviceName: p.deviceName, ip: p.ip, action: 'certificate.compromised', target: `certificate:${serial}`, details: { reason, sessionsEnded: ended.length }, at: now });
  const fms = await usersWithRoles(db, p.company.id, ['first_manager']);
  await notify(db, p.company.id, [...new Set([...fms, p.user.id])], { kind: 'key_compromised', title: 'Ключ ЭЦП заблокирован', body: `Сертификат ${serial} заблокирован для входа и подписи.` }, now);
  return db.selectFrom('certificates').selectAll().where('serial', '=', serial).executeTakeFirstOrThrow();
}

export async function restoreCertificate(db: Kysely<Database>, s: Services, p: Principal, rawSerial: string) {
  const serial = normalizeSerial(rawSerial);
  const cert = await db.selectFrom('certificates').selectAll().where('serial', '=', serial).where('company_id', '=', p.company.id).executeTakeFirst();
  if (!cert) throw new KenseError('NOT_FOUND', { entity: 'certificate', serial });
  const now = s.clock.now();
  const r = await db.updateTable('certificates').set({ status: 'active', restored_at: now }).where('serial', '=', serial).returningAll().executeTakeFirstOrThrow();
  await audit(db, { companyId: p.company.id, userId: p.user.id, sessionId: p.sessionId, deviceName: p.deviceName, ip: p.ip, action: 'certificate.restored', target: `certificate:${serial}`, at: now });
  return r;
}
