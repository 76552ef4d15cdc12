// The accounting import (stands in for the 1C module). Everything heavy — parsing up to 20 MiB, checking every
// row, the exact sums of the snapshots, the request's digest, the rows serialized in parts — is `prepareImport`,
// run in a worker thread (import-worker/) so that the server's event loop and heap never carry it. The server then
// writes the parts one small insert at a time and commits the import and its dashboards in one short transaction.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { KenseError, isKenseError, type Locale } from '../../../contract/errors';
import { zAccountingImport, type AccountingImport } from '../../../contract/cloud';
import type { Db } from '../db/connect';
import { Slicer } from '../slicer';
import { jsonDigest } from '../canonical-json';
import { JsonBodyError, parseJsonBody } from '../http/json-body';
import { fieldsOf, problemFields, safeParseSliced } from '../http/validate';
import { importSnapshots } from './dashboards';
import type { ImportHeader, ImportPart, PreparedImport } from '../import-types';

/** Rows per stored part (about 100 KB of JSON: one insert of it takes PGlite a few milliseconds). */
const PART_ROWS = 500;
const KINDS = ['accounts', 'cashflow', 'sales', 'receivables', 'payables'] as const;
// A part's bytes are an array buffer of their own (transferable), never a slice of Buffer's shared pool.
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** What the import row itself keeps: the header and how many rows of each kind its upload holds. */
export function importHeader(imp: AccountingImport): ImportHeader {
  return { format: imp.format, asOf: imp.asOf, source: imp.source, rows: Object.fromEntries(KINDS.map((k) => [k, imp[k].length])) };
}

export type { ImportPart, PreparedImport } from '../import-types';

/** From the request bytes to what the server stores, or the refusal (field problems in `locale`). */
export async function prepareImport(bytes: Uint8Array, locale: Locale): Promise<PreparedImport> {
  let value: unknown;
  try {
    value = await parseJsonBody(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    if (e instanceof JsonBodyError) return { ok: false, code: 'INVALID_INPUT', details: { fields: problemFields(e.problems, locale) } };
    throw e;
  }
  const r = await safeParseSliced(zAccountingImport, value ?? {});
  if (!r.success) return { ok: false, code: 'INVALID_INPUT', details: { fields: fieldsOf(r.error, 'body', locale).slice(0, 20) } };
  const imp = r.data as AccountingImport;
  let snapshots;
  try {
    snapshots = await importSnapshots(imp);
  } catch (e) {
    if (isKenseError(e)) return { ok: false, code: e.code, details: e.details };
    throw e;
  }
  const parts: ImportPart[] = [];
  for (const kind of KINDS) {
    for (let i = 0; i < imp[kind].length; i += PART_ROWS) {
      const rows = imp[kind].slice(i, i + PART_ROWS);
      parts.push({ kind, rows: rows.length, data: utf8.encode(JSON.stringify(rows)) });
    }
  }
  return { ok: true, importId: imp.importId, asOf: imp.asOf, source: imp.source.system, header: importHeader(imp), snapshots, parts, digest: jsonDigest({ route: 'accountingImport', body: imp }) };
}

/** A refusal from `prepareImport` as the error to throw. */
export function importRefusal(p: Extract<PreparedImport, { ok: false }>): KenseError {
  return new KenseError(p.code, p.details);
}

/** Writes the parts under a new upload id (returned), one insert at a time; nothing names them until the import commits. */
export async function storeImportParts(db: Db, parts: readonly ImportPart[], now: Date): Promise<string> {
  const upload = randomUUID();
  const slicer = new Slicer();
  try {
    for (let i = 0; i < parts.length; i++) {
      await db.insertInto('accounting_import_parts').values({ upload_id: upload, part: i, kind: parts[i].kind, rows: parts[i].rows, data: fromUtf8.decode(parts[i].data), created_at: now }).execute();
      await slicer.step();
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
