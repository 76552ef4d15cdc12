// The sync feed: one row per entity holding its latest client view, re-numbered from the company's sequence
// on every change. Writers of a company take the company row lock first, so sequence order = commit order
// and a reader never skips a number that commits later.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './db/schema';
import type { Services } from './context';
import type { SyncEntity } from '../../contract/cloud';
import type { Scope } from './rules/access';
import { continueSegment } from './feed-segments';

export interface FeedItem {
  entity: SyncEntity;
  id: string;
  version: number;
  op: 'upsert' | 'delete';
  scope: Scope;
  branchId: string | null;
  userId: string | null;
  /** The client view (validated by the contract in tests); null for a tombstone. */
  data: unknown;
}

export type Trx = Transaction<Database>;

/** Runs `fn` in a transaction holding the company's write lock. */
export async function companyTx<T>(s: Pick<Services, 'db'>, companyId: string, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return s.db.transaction().execute(async (trx) => {
    await sql`select id from companies where id = ${companyId} for update`.execute(trx);
    return fn(trx);
  });
}

const CHUNK = 1000;

export async function publish(db: Kysely<Database>, companyId: string, items: FeedItem[]): Promise<void> {
  if (items.length === 0) return;
  const last = new Map<string, FeedItem>();
  for (const it of items) last.set(`${it.entity}\u0000${it.id}`, it);
  const unique = [...last.values()];
  const { last_seq } = await db
    .updateTable('companies')
    .set({ last_seq: sql`last_seq + ${unique.length}` })
    .where('id', '=', companyId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  let seq = last_seq - unique.length;
  await continueSegment(db, companyId, seq + 1, last_seq);
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = unique.slice(i, i + CHUNK).map((it) => ({
      company_id: companyId,
      seq: ++seq,
      entity: it.entity,
      entity_id: it.id,
      version: it.version,
      op: it.op,
      scope: it.scope,
      branch_id: it.branchId,
      user_id: it.userId,
      data: it.op === 'delete' ? null : JSON.stringify(it.data),
    }));
    await db
      .insertInto('feed')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['company_id', 'entity', 'entity_id']).doUpdateSet((eb) => ({
          seq: eb.ref('excluded.seq'),
          version: eb.ref('excluded.version'),
          op: eb.ref('excluded.op'),
          scope: eb.ref('excluded.scope'),
          branch_id: eb.ref('excluded.branch_id'),
          user_id: eb.ref('excluded.user_id'),
          data: eb.ref('excluded.data'),
        })),
      )
      .execute();
  }
}

/** The current version of an entity in the feed (for tombstones), or 0. */
export async function feedVersion(db: Kysely<Database>, companyId: string, entity: SyncEntity, id: string): Promise<number> {
  const r = await db.selectFrom('feed').select('version').where('company_id', '=', companyId).where('entity', '=', entity).where('entity_id', '=', id).executeTakeFirst();
  return r?.version ?? 0;
}
