// Restore detection for the sync feed. A cursor names a position in the company's sequence; after the server is
// restored from a backup the sequence goes back and then grows again over the same numbers with other rows, so
// the position alone cannot tell. The sequence is therefore cut into segments with random marks, and a cursor
// carries the mark of the segment holding its position: a number re-issued after a restore lies in a newer
// segment with another mark, and the cursor answers CURSOR_RESET.
//
// A write continues the company's last segment only when nothing can have happened in between: the segment is
// open (every start of the server closes all segments, since it may follow a restore), the sequence continues
// where the segment ends, and this process never saw the sequence further on (a restore underneath a running
// server). `kense cloud restore-epoch` additionally invalidates every cursor at once.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './db/schema';

/** Highest committed `last_seq` this process has served per company (company ids are unique across databases). */
const highWater = new Map<string, number>();

const newMark = (): string => randomBytes(9).toString('base64url');

/** Called by `publish` with the sequence numbers [start, end] it just took, in the writer's transaction. */
export async function continueSegment(db: Kysely<Database>, companyId: string, start: number, end: number): Promise<void> {
  const last = await db.selectFrom('feed_segments').select(['from_seq', 'next_seq', 'closed']).where('company_id', '=', companyId).orderBy('from_seq', 'desc').limit(1).executeTakeFirst();
  const seen = highWater.get(companyId) ?? 0;
  if (last && !last.closed && last.next_seq === start && start > seen) {
    await db.updateTable('feed_segments').set({ next_seq: end + 1 }).where('company_id', '=', companyId).where('from_seq', '=', last.from_seq).execute();
    return;
  }
  if (start <= seen) console.warn(`kense cloud: the feed of company ${companyId} went back from ${seen} to ${start - 1} (restored from a backup?); older cursors past it answer CURSOR_RESET`);
  await db
    .insertInto('feed_segments')
    .values({ company_id: companyId, from_seq: start, next_seq: end + 1, mark: newMark(), closed: false })
    .onConflict((oc) => oc.columns(['company_id', 'from_seq']).doUpdateSet({ next_seq: end + 1, mark: newMark(), closed: false }))
    .execute();
}

/**
 * Called by a pull with the company's committed `last_seq`. If it is below what this process already served, the
 * database was restored underneath it: the open segment is closed so that the next write starts a new one.
 */
export async function observeSequence(db: Kysely<Database>, companyId: string, lastSeq: number): Promise<void> {
  const seen = highWater.get(companyId) ?? 0;
  if (lastSeq >= seen) {
    highWater.set(companyId, lastSeq);
    return;
  }
  console.warn(`kense cloud: the feed of company ${companyId} is at ${lastSeq}, this server already served ${seen} (restored from a backup?); older cursors past it answer CURSOR_RESET`);
  await closeSegments(db, companyId);
  highWater.set(companyId, lastSeq);
}

/** Closes the open segments (of one company, or all): the next write of each company starts a new segment. */
export async function closeSegments(db: Kysely<Database>, companyId?: string): Promise<void> {
  let q = db.updateTable('feed_segments').set({ closed: true }).where('closed', '=', false);
  if (companyId) q = q.where('company_id', '=', companyId);
  await q.execute();
}

/** The mark of the segment holding each position (0 and positions before any segment have the mark ''). */
export async function segmentMarks(db: Kysely<Database>, companyId: string, positions: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const wanted = [...new Set(positions.filter((p) => p > 0))].sort((a, b) => b - a);
  for (const p of positions) if (p <= 0) out.set(p, '');
  if (wanted.length === 0) return out;
  // Usually every position lies in one of the few newest segments: one query, then one per straggler.
  const rows = await db.selectFrom('feed_segments').select(['from_seq', 'mark']).where('company_id', '=', companyId).where('from_seq', '<=', wanted[0]).orderBy('from_seq', 'desc').limit(16).execute();
  for (const p of wanted) {
    // rows hold every segment starting in [oldest row, newest position], so the first one at or before p is p's.
    const hit = rows.find((r) => r.from_seq <= p);
    if (hit || rows.length < 16) {
      out.set(p, hit?.mark ?? '');
      continue;
    }
    const r = await db.selectFrom('feed_segments').select('mark').where('company_id', '=', companyId).where('from_seq', '<=', p).orderBy('from_seq', 'desc').limit(1).executeTakeFirst();
    out.set(p, r?.mark ?? '');
  }
  return out;
}

/** A new database epoch: every cursor issued before answers CURSOR_RESET (run after restoring a backup). */
export async function rotateEpoch(db: Kysely<Database>): Promise<{ previous: string; epoch: string }> {
  const epoch = randomBytes(16).toString('hex');
  return db.transaction().execute(async (trx) => {
    const prev = await trx.selectFrom('meta').select('value').where('key', '=', 'epoch').executeTakeFirst();
    await sql`insert into meta (key, value) values ('epoch', ${epoch}) on conflict (key) do update set value = excluded.value`.execute(trx);
    await closeSegments(trx);
    return { previous: prev?.value ?? '', epoch };
  });
}

/** Tests: forget what this process has served, as a freshly started process would. */
export function forgetServedSequences(): void {
  highWater.clear();
}
