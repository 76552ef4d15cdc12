// Notifications, the audit log and the app policy.
import { z } from 'zod';
import { zId, zTimestamp, zVersion } from './common';

export const zNotification = z
  .object({
    id: zId,
    version: zVersion,
    kind: z.enum(['act_incoming', 'act_signed', 'act_refused', 'invoice_issued', 'invoice_overdue', 'payment_received', 'subscription_blocked', 'subscription_unblocked', 'service_act_issued', 'reconciliation_received', 'role_changed', 'key_compromised', 'security', 'support_reply']),
    title: z.string(),
    body: z.string(),
    link: z.object({ entity: z.string(), id: zId }).nullable(),
    createdAt: zTimestamp,
    readAt: zTimestamp.nullable(),
  })
  .meta({ id: 'Notification' });

export const zAuditEntry = z.object({
  id: z.string(),
  at: zTimestamp,
  userId: zId.nullable(),
  userName: z.string().nullable(),
  sessionId: zId.nullable(),
  deviceName: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const zAuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.string().regex(/^\d{1,15}$/).optional().meta({ description: 'Position from the previous page (nextAfter): entries older than it' }),
  action: z.string().max(60).optional(),
});

export const zAppPolicy = z
  .object({
    minimumVersion: z.string().meta({ description: 'Older desktop versions must update before syncing' }),
    latestVersion: z.string(),
    updateChannel: z.enum(['stable', 'beta']),
    killSwitch: z.object({ active: z.boolean(), message: z.string().nullable() }),
  })
  .meta({ id: 'AppPolicy' });

export const zHealth = z.object({ status: z.literal('ok'), storage: z.enum(['pglite', 'postgres']), trust: z.enum(['production', 'test']), time: zTimestamp });
