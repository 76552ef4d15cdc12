// The audit log: who did what, when, from which device. Written in the same transaction as the action.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface AuditEvent {
  companyId: string | null;
  userId: string | null;
  sessionId?: string | null;
  deviceName?: string | null;
  ip?: string | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
  at: Date;
}

export async function audit(db: Kysely<Database>, e: AuditEvent): Promise<void> {
  await db
    .insertInto('audit')
    .values({
      company_id: e.companyId,
      user_id: e.userId,
      session_id: e.sessionId ?? null,
      device_name: e.deviceName ?? null,
      ip: e.ip ?? null,
      action: e.action,
      target: e.target ?? null,
      details: JSON.stringify(e.details ?? {}),
      at: e.at,
    })
    .execute();
}
