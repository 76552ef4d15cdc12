// Certificates seen by the server, and key compromise: a reported certificate may not log in or sign.
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import { KenseError } from '../../../contract/errors';
import type { zCertificateRecord } from '../../../contract/cloud';
import type { KzCertificate } from '../../../native-bridge/pki/types';
import type { CertificatesTable, Database } from '../db/schema';
import { kzIsoOrNull } from '../clock';

export const normalizeSerial = (s: string): string => s.toUpperCase().replace(/^0+(?=.)/, '');

export function certificateView(r: Selectable<CertificatesTable>): z.infer<typeof zCertificateRecord> {
  return {
    serial: r.serial, userId: r.user_id, iin: r.iin, bin: r.bin, subject: r.subject, notAfter: kzIsoOrNull(r.not_after),
    status: r.status as 'active', compromisedAt: kzIsoOrNull(r.compromised_at),
  };
}

export async function assertNotCompromised(db: Kysely<Database>, serial: string): Promise<void> {
  const r = await db.selectFrom('certificates').select(['status']).where('serial', '=', normalizeSerial(serial)).executeTakeFirst();
  if (r?.status === 'compromised') throw new KenseError('CERT_COMPROMISED', { serial: normalizeSerial(serial) });
}

/** Remembers a certificate that logged in or signed, so it can be listed and reported. */
export async function recordCertificate(db: Kysely<Database>, cert: KzCertificate, companyId: string, userId: string): Promise<void> {
  await db
    .insertInto('certificates')
    .values({
      serial: normalizeSerial(cert.serialNumber), company_id: companyId, user_id: userId, iin: cert.iin ?? null, bin: cert.bin ?? null,
      subject: cert.subjectDn, not_after: cert.notAfter, sha256: cert.sha256,
    })
    .onConflict((oc) => oc.column('serial').doUpdateSet({ company_id: companyId, user_id: userId }))
    .execute();
}
