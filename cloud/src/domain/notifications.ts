// Notifications to users: stored, published on the user's personal feed.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { zNotification } from '../../../contract/cloud';
import type { Database, NotificationsTable } from '../db/schema';
import { kzIso, kzIsoOrNull } from '../clock';
import { publish, type FeedItem } from '../feed';

export type NotificationKind = z.infer<typeof zNotification>['kind'];

export function notificationView(n: Selectable<NotificationsTable>): z.infer<typeof zNotification> {
  return {
    id: n.id, version: n.version, kind: n.kind as NotificationKind, title: n.title, body: n.body,
    link: n.link ? (JSON.parse(n.link) as { entity: string; id: string }) : null, createdAt: kzIso(n.created_at), readAt: kzIsoOrNull(n.read_at),
  };
}
export const notificationFeed = (n: Selectable<NotificationsTable>): FeedItem => ({
  entity: 'notification', id: n.id, version: n.version, op: 'upsert', scope: 'personal', branchId: null, userId: n.user_id, data: notificationView(n),
});

export async function notify(
  db: Kysely<Database>,
  companyId: string,
  userIds: string[],
  n: { kind: NotificationKind; title: string; body: string; link?: { entity: string; id: string } },
  now: Date,
): Promise<void> {
  if (userIds.length === 0) return;
  const rows = await db
    .insertInto('notifications')
    .values(userIds.map((u) => ({ id: randomUUID(), company_id: companyId, user_id: u, kind: n.kind, title: n.title, body: n.body, link: n.link ? JSON.stringify(n.link) : null, created_at: now })))
    .returningAll()
    .execute();
  await publish(db, companyId, rows.map(notificationFeed));
}

/** Users of a company holding one of the roles (active only). */
export async function usersWithRoles(db: Kysely<Database>, companyId: string, roles: string[]): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('company_id', '=', companyId).where('role', 'in', roles).where('terminated_at', 'is', null).execute();
  return rows.map((r) => r.id);
}
