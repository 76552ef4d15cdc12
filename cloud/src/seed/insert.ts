// Batched inserts for seeds: rows in chunks that stay below PostgreSQL's 65 535 bind parameters.
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/schema';

export async function insertChunked<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: Insertable<Database[T]>[], chunk = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + chunk) as any).execute();
  }
}
