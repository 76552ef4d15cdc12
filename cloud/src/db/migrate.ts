// Applies the numbered migrations in order, each in one transaction; a database from a newer server is refused.
import { sql, type Kysely } from 'kysely';
import { statements as m0001 } from './migrations/0001_initial';
import { statements as m0002 } from './migrations/0002_edo_peers';
import { statements as m0003 } from './migrations/0003_feed_segments';
import { statements as m0004 } from './migrations/0004_billing_cycle';
import { statements as m0005 } from './migrations/0005_session_certificate';
import { statements as m0006 } from './migrations/0006_invoice_payments';
import { statements as m0007 } from './migrations/0007_tenant_keys_and_parts';
import { statements as m0008 } from './migrations/0008_signature_timestamps';
import { statements as m0009 } from './migrations/0009_support';
import { statements as m0010 } from './migrations/0010_revocation_cache';
import { statements as m0011 } from './migrations/0011_revocation_parts';

const MIGRATIONS: { id: number; name: string; statements: string[] }[] = [
  { id: 1, name: '0001_initial', statements: m0001 },
  { id: 2, name: '0002_edo_peers', statements: m0002 },
  { id: 3, name: '0003_feed_segments', statements: m0003 },
  { id: 4, name: '0004_billing_cycle', statements: m0004 },
  { id: 5, name: '0005_session_certificate', statements: m0005 },
  { id: 6, name: '0006_invoice_payments', statements: m0006 },
  { id: 7, name: '0007_tenant_keys_and_parts', statements: m0007 },
  { id: 8, name: '0008_signature_timestamps', statements: m0008 },
  { id: 9, name: '0009_support', statements: m0009 },
  { id: 10, name: '0010_revocation_cache', statements: m0010 },
  { id: 11, name: '0011_revocation_parts', statements: m0011 },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrate(db: Kysely<any>): Promise<{ applied: string[] }> {
  await sql`create table if not exists schema_migrations (id int primary key, name text not null, applied_at timestamptz not null default now())`.execute(db);
  const done = await sql<{ id: number }>`select id from schema_migrations order by id`.execute(db);
  const have = new Set(done.rows.map((r) => Number(r.id)));
  const newest = Math.max(0, ...have);
  const known = Math.max(...MIGRATIONS.map((m) => m.id));
  if (newest > known) throw new Error(`database schema ${newest} is newer than this server (${known}); upgrade the server`);
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    if (have.has(m.id)) continue;
    await db.transaction().execute(async (trx) => {
      for (const s of m.statements) await sql.raw(s).execute(trx);
      await sql`insert into schema_migrations (id, name) values (${m.id}, ${m.name})`.execute(trx);
    });
    applied.push(m.name);
  }
  return { applied };
}
