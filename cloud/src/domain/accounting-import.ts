// The accounting import (stands in for the 1C module): its rows are kept in parts written one small insert at a
// time (the event loop and, on PGlite, the one connection are handed back between them), then the import and the
// dashboards it rebuilds are committed in one short company transaction.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AccountingImport } from '../../../contract/cloud';
import type { Db } from '../db/connect';
import { Slicer } from '../slicer';

/** Rows per stored part (about 300 KB of JSON). */
const PART_ROWS = 2000;
const KINDS = ['accounts', 'cashflow', 'sales', 'receivables', 'payables'] as const;

/** What the import row itself keeps: the header and how many rows of each kind its upload holds. */
export function importHeader(imp: AccountingImport) {
  return { format: imp.format, asOf: imp.asOf, source: imp.source, rows: Object.fromEntries(KINDS.map((k) => [k, imp[k].length])) };
}

/** Writes the rows in parts under a new upload id (returned); nothing names them until the import commits. */
export async function storeImportParts(db: Db, imp: AccountingImport, now: Date): Promise<string> {
  const upload = randomUUID();
  const slicer = new Slicer();
  let part = 0;
  try {
    for (const kind of KINDS) {
      for (let i = 0; i < imp[kind].length; i += PART_ROWS) {
        const rows = imp[kind].slice(i, i + PART_ROWS);
        await db.insertInto('accounting_import_parts').values({ upload_id: upload, part: part++, kind, rows: rows.length, data: JSON.stringify(rows), created_at: now }).execute();
        await slicer.step();
      }
    }
  } catch (e) {
    await dropImportParts(db, upload);
    throw e;
  }
  return upload;
}

export async function dropImportParts(db: Db, upload: string): Promise<void> {
  await db.deleteFrom('accounting_import_parts').where('upload_id', '=', upload).execute().catch(() => undefined);
}

/** Parts of uploads no import names, older than an hour (a failed request, a crash mid-upload). */
export async function dropOrphanImportParts(db: Db, now: Date): Promise<void> {
  await db
    .deleteFrom('accounting_import_parts')
    .where('created_at', '<', new Date(now.getTime() - 3600_000))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('accounting_imports as i').select(sql`1`.as('x')).whereRef('i.upload_id', '=', 'accounting_import_parts.upload_id'))))
    .execute();
}
