// The documents table (acts, service acts, reconciliation acts): columns taken from feed data, the list the
// office filters, sorts, searches (FTS5) and pages by offset, and one document with its JSON.
import { KenseError } from '../../../contract/errors';
import { awaitsOurSignature } from '../../../contract/rules/act-states';
import type { DocumentFilter, DocumentKind, DocumentRow, LocalState } from '../../../contract/ipc';
import type Sqlite from 'better-sqlite3-multiple-ciphers';
import type { BackgroundOp } from './background';
import type { Db } from './database';

type Statement = Sqlite.Statement<unknown[], unknown>;

export interface DocumentColumns {
  kind: DocumentKind;
  id: string;
  version: number;
  number: string;
  date: string;
  direction: 'incoming' | 'outgoing';
  counterpartyName: string;
  counterpartyIinBin: string;
  amount: number;
  state: string;
  deadline: string | null;
  /** Awaiting our answer by the server's state alone (the local overlay is applied in SQL). */
  awaiting: boolean;
  branchId: string | null;
}

/** The entity names of the feed that are documents. */
export const DOCUMENT_ENTITIES: Record<string, DocumentKind> = { act: 'act', service_act: 'service_act', reconciliation: 'reconciliation' };

function field<T>(data: Record<string, unknown>, key: string, type: 'string' | 'number', nullable = false): T {
  const v = data[key];
  if ((nullable && v === null) || typeof v === type) return v as T;
  throw new KenseError('INTERNAL', { problem: 'feed data does not match the contract', field: key });
}
const str = (d: Record<string, unknown>, k: string) => field<string>(d, k, 'string');
const strOrNull = (d: Record<string, unknown>, k: string) => field<string | null>(d, k, 'string', true);
const int = (d: Record<string, unknown>, k: string) => field<number>(d, k, 'number');

/**
 * The list columns of a feed document. Only these fields are checked here (100 000 rows must apply fast); the
 * whole document is checked against its schema when it is opened.
 */
export function documentColumns(kind: DocumentKind, id: string, version: number, d: Record<string, unknown>): DocumentColumns {
  if (kind === 'act') {
    const direction = str(d, 'direction') as 'incoming' | 'outgoing';
    const state = str(d, 'state');
    return {
      kind, id, version, number: str(d, 'number'), date: str(d, 'date'), direction, counterpartyName: str(d, 'counterpartyName'),
      counterpartyIinBin: str(d, 'counterpartyIinBin'), amount: int(d, 'amountWithVat'), state, deadline: null,
      awaiting: awaitsOurSignature({ direction, state: state as 'draft' }), branchId: strOrNull(d, 'branchId'),
    };
  }
  if (kind === 'service_act') {
    const state = str(d, 'state');
    return {
      kind, id, version, number: str(d, 'number'), date: str(d, 'issuedOn'), direction: 'incoming', counterpartyName: 'kense',
      counterpartyIinBin: '', amount: int(d, 'total'), state, deadline: str(d, 'deadline'), awaiting: state === 'issued', branchId: null,
    };
  }
  const state = str(d, 'state');
  const conclusion = d.conclusion;
  if (!conclusion || typeof conclusion !== 'object') throw new KenseError('INTERNAL', { problem: 'feed data does not match the contract', field: 'conclusion' });
  return {
    kind, id, version, number: `${str(d, 'periodFrom')}…${str(d, 'periodTo')}`, date: str(d, 'sentOn'), direction: 'incoming',
    counterpartyName: str(d, 'counterpartyName'), counterpartyIinBin: str(d, 'counterpartyIinBin'),
    amount: int(conclusion as Record<string, unknown>, 'amount'), state, deadline: str(d, 'deadline'),
    awaiting: state === 'sent' || state === 'signed_by_them', branchId: strOrNull(d, 'branchId'),
  };
}

/** Amount words for the full-text index: tenge, and tenge.tiyn ("1234567 1234567.89"). */
export function searchAmount(tiyn: number): string {
  const t = Math.trunc(tiyn / 100);
  return `${t} ${t}.${String(tiyn % 100).padStart(2, '0')}`;
}

/**
 * The user's search text as an FTS5 query: every word must prefix-match. "1 234 567,89" is an amount
 * (digit groups joined, decimal comma → point), so it finds 1234567.89.
 */
export function ftsQuery(text: string): string | null {
  const joined = text
    .toLowerCase()
    .replace(/(\d)[\s\u00a0\u202f](?=\d{3}(\D|$))/g, '$1')
    .replace(/(\d),(\d)/g, '$1.$2');
  const all = joined.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  // A one-letter word ("Т" of "Т-2612-04988") matches nearly every document as a prefix: it only slows the search
  // down, unless it is all the user typed.
  const words = (all.some((w) => w.length > 1) ? all.filter((w) => w.length > 1) : all).slice(0, 12);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' AND ');
}

/** One document as it is written: its columns, the overlay-free `awaiting`, the search text of the amount, its JSON. */
/** `data` is the JSON as text, or as UTF-8 bytes cut out of the feed page (page-text.ts): bound as they are, stored as TEXT. */
export type DocumentWrite = Omit<DocumentColumns, 'awaiting'> & { awaiting: number; searchAmount: string; data: string | Uint8Array; gen: number };

/**
 * A document's row. An upsert never goes back to an older version — except in a newer generation (a re-download
 * after a server restore, whose versions may be lower than what was cached). It keeps the local overlay (local_state)
 * and applies it to `awaiting`: a document signed here no longer awaits us.
 */
export const DOCUMENT_UPSERT_SQL = `INSERT INTO documents (kind, id, version, number, date, direction, counterparty_name, counterparty_iin_bin, amount, search_amount, state, deadline, server_awaiting, awaiting, branch_id, gen)
     VALUES (@kind, @id, @version, @number, @date, @direction, @counterpartyName, @counterpartyIinBin, @amount, @searchAmount, @state, @deadline, @awaiting, @awaiting, @branchId, @gen)
     ON CONFLICT (kind, id) DO UPDATE SET
       version = excluded.version, number = excluded.number, date = excluded.date, direction = excluded.direction,
       counterparty_name = excluded.counterparty_name, counterparty_iin_bin = excluded.counterparty_iin_bin, amount = excluded.amount,
       search_amount = excluded.search_amount, state = excluded.state, deadline = excluded.deadline, branch_id = excluded.branch_id,
       server_awaiting = excluded.server_awaiting, gen = excluded.gen,
       awaiting = CASE WHEN excluded.server_awaiting = 1 AND documents.local_state NOT IN ('signed_locally', 'refused_locally') THEN 1 ELSE 0 END
     WHERE excluded.version >= documents.version OR excluded.gen > documents.gen`;
/** Its JSON, right after the upsert and only when that wrote the row (changes() > 0: not an older version). */
export const DOCUMENT_BODY_SQL = `INSERT INTO document_bodies (doc, data)
     SELECT rowid, CAST(@data AS TEXT) FROM documents WHERE kind = @kind AND id = @id AND changes() > 0
     ON CONFLICT (doc) DO UPDATE SET data = excluded.data`;

/** The two statements that write one document, as background operations (store/background.ts). */
export function documentOps(doc: DocumentWrite): BackgroundOp[] {
  const { data, ...columns } = doc;
  return [
    [DOCUMENT_UPSERT_SQL, JSON.stringify(columns)],
    [DOCUMENT_BODY_SQL, `{"kind":${JSON.stringify(doc.kind)},"id":${JSON.stringify(doc.id)}}`, data],
  ];
}

/** Writes documents on `db` (the row, then its JSON in document_bodies). */
export function documentWriter(db: Db): (doc: DocumentWrite) => void {
  const row = db.prepare<[DocumentWrite]>(DOCUMENT_UPSERT_SQL);
  const body = db.prepare<[DocumentWrite]>(DOCUMENT_BODY_SQL);
  return (doc) => {
    row.run(doc);
    body.run(doc);
  };
}

export interface ListOptions {
  filter: DocumentFilter;
  sort: { by: 'date' | 'number' | 'amount' | 'counterparty' | 'deadline'; direction: 'asc' | 'desc' };
  offset: number;
  limit: number;
}

const ORDER: Record<ListOptions['sort']['by'], string> = {
  date: 'date {d}, rowid {d}',
  number: 'number {d}, rowid {d}',
  amount: 'amount {d}, rowid {d}',
  counterparty: 'counterparty_name COLLATE NOCASE {d}, rowid {d}',
  deadline: 'deadline IS NULL, deadline {d}, rowid {d}',
};

/**
 * The WHERE of a filter. A search is answered from the FTS index and then checked against documents_filter (which
 * holds every filtered column): `+rowid` keeps SQLite from fetching each matching row by its key instead.
 */
function where(f: DocumentFilter, filterIndex: boolean): { sql: string; params: unknown[]; from: string } {
  const c: string[] = [];
  const p: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    c.push(sql);
    p.push(...values);
  };
  const inList = (col: string, values: readonly unknown[]) => add(`${col} IN (${values.map(() => '?').join(', ')})`, ...values);
  if (f.kinds?.length) inList('kind', f.kinds);
  if (f.direction) add('direction = ?', f.direction);
  if (f.states?.length) inList('state', f.states);
  if (f.localStates?.length) inList('local_state', f.localStates);
  if (f.awaitingSignature !== undefined) add(f.awaitingSignature ? 'awaiting = 1' : 'awaiting = 0');
  if (f.counterpartyIinBin) add('counterparty_iin_bin = ?', f.counterpartyIinBin);
  if (f.dateFrom) add('date >= ?', f.dateFrom);
  if (f.dateTo) add('date <= ?', f.dateTo);
  if (f.amountFrom !== undefined) add('amount >= ?', f.amountFrom);
  if (f.amountTo !== undefined) add('amount <= ?', f.amountTo);
  const q = f.search ? ftsQuery(f.search) : null;
  if (q) add('+rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)', q);
  return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', params: p, from: q && filterIndex ? 'documents INDEXED BY documents_filter' : 'documents' };
}

interface RowRecord {
  kind: DocumentKind; id: string; number: string; date: string; direction: 'incoming' | 'outgoing'; counterparty_name: string; counterparty_iin_bin: string;
  amount: number; state: string; local_state: LocalState; deadline: string | null; awaiting: number; branch_id: string | null;
}
const ROW_COLUMNS = 'kind, id, number, date, direction, counterparty_name, counterparty_iin_bin, amount, state, local_state, deadline, awaiting, branch_id';

const toRow = (r: RowRecord): DocumentRow => ({
  kind: r.kind, id: r.id, number: r.number, date: r.date, direction: r.direction, counterpartyName: r.counterparty_name, counterpartyIinBin: r.counterparty_iin_bin,
  amount: r.amount, state: r.state as DocumentRow['state'], localState: r.local_state, deadline: r.deadline, awaitingSignature: r.awaiting === 1, branchId: r.branch_id,
});

/** Queries over the read connection; statements are prepared once per SQL text. */
export class DocumentQueries {
  private readonly cache = new Map<string, Statement>();
  constructor(private readonly db: Db) {}

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[], unknown>(sql);
      if (this.cache.size > 200) this.cache.clear();
      this.cache.set(sql, s);
    }
    return s;
  }

  /** documents_filter is missing while a bulk download defers the indexes (sync/apply.ts). */
  private filterIndex(): boolean {
    return this.stmt(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'documents_filter'`).get() !== undefined;
  }

  count(filter: DocumentFilter): number {
    const w = where(filter, this.filterIndex());
    return (this.stmt(`SELECT count(*) AS n FROM ${w.from} ${w.sql}`).get(...w.params) as { n: number }).n;
  }

  list(o: ListOptions): DocumentRow[] {
    const w = where(o.filter, this.filterIndex());
    const order = ORDER[o.sort.by].replaceAll('{d}', o.sort.direction === 'asc' ? 'ASC' : 'DESC');
    const rows = this.stmt(`SELECT ${ROW_COLUMNS} FROM ${w.from} ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...w.params, o.limit, o.offset) as RowRecord[];
    return rows.map(toRow);
  }

  get(kind: DocumentKind, id: string): { row: DocumentRow; version: number; data: Record<string, unknown> } | null {
    const r = this.stmt(`SELECT ${ROW_COLUMNS}, version, (SELECT data FROM document_bodies WHERE doc = documents.rowid) AS data FROM documents WHERE kind = ? AND id = ?`).get(kind, id) as (RowRecord & { version: number; data: string }) | undefined;
    return r ? { row: toRow(r), version: r.version, data: JSON.parse(r.data) as Record<string, unknown> } : null;
  }
}
