// Applies pulled feed pages into the store: one transaction per page together with the cursor, worked through in
// slices so the event loop never waits long, the local overlay re-applied on top of the pulled state (rebase).
import type { Change, SyncEntity } from '../../../contract/cloud';
import type { DocumentRef } from '../../../contract/ipc';
import type { BackgroundOp } from '../store/background';
import { DOCUMENT_ENTITIES, documentColumns, documentOps, documentWriter, searchAmount, type DocumentWrite } from '../store/documents';
import { META_PUT_SQL, type Store } from '../store/store';
import { SLICE_MS, yieldToEventLoop } from '../turns';
import { overlayOf, type OutboxStatus } from './overlay';


/**
 * One write transaction held across event-loop turns: the store's lock keeps every other writer out meanwhile,
 * readers (the other connection) see the last commit. Rolled back if `work` throws.
 */
export function inSlicedTransaction<T>(store: Store, work: () => Promise<T>): Promise<T> {
  return store.lock.run(async () => {
    const w = store.w;
    w.exec('BEGIN IMMEDIATE');
    try {
      const r = await work();
      w.exec('COMMIT');
      return r;
    } catch (e) {
      if (w.inTransaction) w.exec('ROLLBACK');
      throw e;
    }
  });
}

export interface ApplyResult {
  applied: number;
  entities: Set<SyncEntity>;
  /** Documents changed (up to 101 kept: more means "many"). */
  refs: DocumentRef[];
  /** New notifications (not updates of known ones). */
  notifications: Record<string, unknown>[];
}

type Stmts = ReturnType<typeof statements>;
const stmtCache = new WeakMap<Store, Stmts>();

const DELETE_DOC_SQL = 'DELETE FROM documents WHERE kind = ? AND id = ?';
const UPSERT_ENTITY_SQL = `INSERT INTO entities (entity, id, version, data, gen) VALUES (@entity, @id, @version, CAST(@data AS TEXT), @gen)
       ON CONFLICT (entity, id) DO UPDATE SET version = excluded.version, data = excluded.data, gen = excluded.gen
       WHERE excluded.version >= entities.version OR excluded.gen > entities.gen`;
const DELETE_ENTITY_SQL = 'DELETE FROM entities WHERE entity = ? AND id = ?';

function statements(store: Store) {
  const w = store.w;
  return {
    upsertDoc: documentWriter(w),
    deleteDoc: w.prepare<[string, string]>(DELETE_DOC_SQL),
    upsertEntity: w.prepare<[{ entity: string; id: string; version: number; data: string | Uint8Array; gen: number }]>(UPSERT_ENTITY_SQL),
    entityExists: w.prepare<[string, string], { n: number }>('SELECT 1 AS n FROM entities WHERE entity = ? AND id = ?'),
    deleteEntity: w.prepare<[string, string]>(DELETE_ENTITY_SQL),
    outboxTargets: w.prepare<[], { k: string }>(`SELECT DISTINCT target_kind || ':' || target_id AS k FROM outbox WHERE target_id IS NOT NULL`),
    outboxFor: w.prepare<[string, string], { seq: number; name: string; status: OutboxStatus; confirmed_version: number | null }>(
      'SELECT seq, name, status, confirmed_version FROM outbox WHERE target_kind = ? AND target_id = ?',
    ),
    deleteOutbox: w.prepare<[number]>('DELETE FROM outbox WHERE seq = ?'),
    docVersion: w.prepare<[string, string], { version: number }>('SELECT version FROM documents WHERE kind = ? AND id = ?'),
    setLocal: w.prepare<[string, string, string, string]>(
      `UPDATE documents SET local_state = ?, awaiting = CASE WHEN server_awaiting = 1 AND ? NOT IN ('signed_locally', 'refused_locally') THEN 1 ELSE 0 END WHERE kind = ? AND id = ?`,
    ),
  };
}

export function stmts(store: Store): Stmts {
  let s = stmtCache.get(store);
  if (!s) stmtCache.set(store, (s = statements(store)));
  return s;
}

/**
 * Re-derives a document's local state from its outbox entries (inside the caller's transaction) and drops applied
 * entries the cache has caught up with. Returns the new local state.
 */
export function rebaseDocument(store: Store, kind: string, id: string): string {
  const s = stmts(store);
  const entries = s.outboxFor.all(kind, id).map((r) => ({ seq: r.seq, name: r.name, status: r.status, confirmedVersion: r.confirmed_version }));
  const cached = s.docVersion.get(kind, id)?.version ?? null;
  const { state, confirmed } = overlayOf(entries, cached);
  for (const seq of confirmed) s.deleteOutbox.run(seq);
  s.setLocal.run(state, state, kind, id);
  return state;
}

/** The writes of a page: made at once on the write connection, or collected for the background connection. */
interface PageWrites {
  doc(doc: DocumentWrite): void;
  deleteDoc(kind: string, id: string): void;
  entity(entity: string, id: string, version: number, data: string | Uint8Array, gen: number): void;
  deleteEntity(entity: string, id: string): void;
}

function directWrites(s: Stmts): PageWrites {
  return {
    doc: s.upsertDoc,
    deleteDoc: (kind, id) => s.deleteDoc.run(kind, id),
    entity: (entity, id, version, data, gen) => s.upsertEntity.run({ entity, id, version, data, gen }),
    deleteEntity: (entity, id) => s.deleteEntity.run(entity, id),
  };
}

function collectedWrites(ops: BackgroundOp[]): PageWrites {
  return {
    doc: (doc) => ops.push(...documentOps(doc)),
    deleteDoc: (kind, id) => ops.push([DELETE_DOC_SQL, [kind, id]]),
    entity: (entity, id, version, data, gen) => ops.push([UPSERT_ENTITY_SQL, JSON.stringify({ entity, id, version, gen }), data]),
    deleteEntity: (entity, id) => ops.push([DELETE_ENTITY_SQL, [entity, id]]),
  };
}

/** A feed page as the engine received it. */
export interface FeedPage {
  changes: readonly Change[];
  cursor: string;
  hasMore: boolean;
  /** each change's data as the server wrote it, UTF-8 (page-text.ts); null: serialise the parsed values */
  slices?: readonly (Uint8Array | null)[] | null;
}

type ApplyOptions = {
  collectNotifications?: boolean;
  /** each change's data as the server wrote it, UTF-8 (page-text.ts) */
  slices?: readonly (Uint8Array | null)[] | null;
  /**
   * Write the page on the background connection (a download: store/background.ts), so that its transaction and
   * COMMIT never hold core's event loop. A page that touches a document with local changes is applied here instead
   * (its rebase belongs in the same transaction).
   */
  background?: boolean;
};

/**
 * Goes through a page in slices of SLICE_MS, handing each write to `writes`. Returns the keys (kind:id) of the
 * documents it writes.
 */
async function writePage(store: Store, changes: readonly Change[], options: ApplyOptions, writes: PageWrites, result: ApplyResult): Promise<string[]> {
  const s = stmts(store);
  const slices = options.slices && options.slices.length === changes.length ? options.slices : null;
  const gen = store.meta<number>('generation') ?? 0;
  const keys: string[] = [];
  let sliceStart = performance.now();
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    const kind = DOCUMENT_ENTITIES[c.entity];
    if (kind) {
      if (c.op === 'delete' || c.data === null) writes.deleteDoc(kind, c.id);
      else {
        const col = documentColumns(kind, c.id, c.version, c.data);
        writes.doc({ ...col, awaiting: col.awaiting ? 1 : 0, searchAmount: searchAmount(col.amount), data: slices?.[i] ?? JSON.stringify(c.data), gen });
      }
      keys.push(`${kind}:${c.id}`);
      if (result.refs.length <= 100) result.refs.push({ kind, id: c.id });
    } else if (c.op === 'delete' || c.data === null) {
      writes.deleteEntity(c.entity, c.id);
    } else {
      if (c.entity === 'notification' && options.collectNotifications && !s.entityExists.get(c.entity, c.id)) result.notifications.push(c.data);
      writes.entity(c.entity, c.id, c.version, slices?.[i] ?? JSON.stringify(c.data), gen);
    }
    result.entities.add(c.entity);
    result.applied++;
    if ((i & 31) === 31 && performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return keys;
}

const newResult = (): ApplyResult => ({ applied: 0, entities: new Set(), refs: [], notifications: [] });

/** A page turned into background operations, not yet written. */
interface PreparedPage {
  ops: BackgroundOp[];
  keys: string[];
  result: ApplyResult;
}

/** Works out a page's writes for the background connection (in turns; no lock needed: nothing is written yet). */
async function preparePage(store: Store, page: FeedPage, options: ApplyOptions): Promise<PreparedPage> {
  const ops: BackgroundOp[] = [];
  const result = newResult();
  const keys = await writePage(store, page.changes, options, collectedWrites(ops), result);
  return { ops, keys, result };
}

const pendingTargets = (store: Store) => new Set(stmts(store).outboxTargets.all().map((r) => r.k));

/** Whether a prepared page writes a document with local changes (call under the lock: a signature may have come in since). */
function touchesLocalChange(store: Store, page: PreparedPage): boolean {
  const pending = pendingTargets(store);
  return pending.size > 0 && page.keys.some((k) => pending.has(k));
}

/**
 * Applies one page and stores `cursor` in the same transaction. The transaction is held across slices of
 * SLICE_MS (the store's write lock keeps every other writer out meanwhile; readers see the last commit) — or, with
 * `background`, made on the background connection while this thread holds the lock.
 */
export async function applyPage(store: Store, changes: readonly Change[], cursor: string, options: ApplyOptions = {}): Promise<ApplyResult> {
  if (options.background) {
    const prepared = await preparePage(store, { changes, cursor, hasMore: true, slices: options.slices }, options);
    // checked under the lock: a page touching a document with local changes is applied here, with its rebase
    const written = await store.lock.run(async () => {
      if (touchesLocalChange(store, prepared)) return false;
      await store.background([...prepared.ops, [META_PUT_SQL, ['cursor', JSON.stringify(cursor)]]]);
      return true;
    });
    if (written) return prepared.result;
  }
  return inSlicedTransaction(store, async () => {
    const s = stmts(store);
    const result = newResult();
    const pending = pendingTargets(store);
    const keys = await writePage(store, changes, options, directWrites(s), result);
    for (const key of new Set(keys.filter((k) => pending.has(k)))) {
      const at = key.indexOf(':');
      rebaseDocument(store, key.slice(0, at), key.slice(at + 1));
    }
    store.setMeta('cursor', cursor);
    return result;
  });
}

/** A download's pages are written in transactions of about this many changes (each ends with its last page's cursor)… */
export const DOWNLOAD_GROUP = 2400;
/** …or fewer: a transaction is committed at most this long after it began (the write lock is held meanwhile). */
const DOWNLOAD_GROUP_MS = 500;
/** Pages handed to the worker and not yet written, at most (each holds its page's bytes). */
const IN_FLIGHT = 3;

let groups = 0;

/**
 * Writes a download's pages on the background connection while the next ones are fetched and prepared here: core's
 * thread and the worker work at the same time. Each page goes to the worker as soon as it is prepared; the worker
 * writes several pages in one transaction (a group: background.ts) and commits after about DOWNLOAD_GROUP changes,
 * DOWNLOAD_GROUP_MS, the last page, or when someone else waits for the write lock (a signature). Each page's ops end
 * with its cursor, so data and cursor still commit together, and a kill loses at most the open group, which the
 * next sync downloads again. The random-keyed index pages are then rewritten once per group instead of once per page.
 * The store's write lock is held from a group's first page to its commit.
 */
export class DownloadWriter {
  private release: (() => void) | null = null;
  private group = 0;
  private groupChanges = 0;
  private groupStart = 0;
  private jobs: Promise<void>[] = [];
  private results: ApplyResult[] = [];
  private failure: unknown = null;
  private timer: NodeJS.Timeout | null = null;
  /** add, commit and the timer's commit run one after another */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    /** told of each page once it is committed, in order */
    private readonly onApplied: (r: ApplyResult) => void,
    private readonly groupSize = DOWNLOAD_GROUP,
  ) {}

  /** Prepares `page` (in turns) and hands it to the worker; waits only while IN_FLIGHT pages are not yet written. Throws an earlier page's failure. */
  add(page: FeedPage, options: Omit<ApplyOptions, 'background' | 'slices'> = {}): Promise<void> {
    return this.serial(async () => {
      // Pages ready one after another would otherwise follow each other in microtasks, the event loop never turning.
      await yieldToEventLoop();
      this.throwFailure();
      const opts = { ...options, slices: page.slices };
      const prepared = await preparePage(this.store, page, opts);
      if (!this.release) await this.open();
      // checked under the lock: a page touching a document with local changes is applied with its rebase, here
      if (touchesLocalChange(this.store, prepared)) {
        await this.commit();
        this.onApplied(await applyPage(this.store, page.changes, page.cursor, opts));
        return;
      }
      this.groupChanges += page.changes.length;
      const commit = this.groupChanges >= this.groupSize || !page.hasMore || performance.now() - this.groupStart >= DOWNLOAD_GROUP_MS || this.store.lock.waiting > 0;
      const job = this.store.background([...prepared.ops, [META_PUT_SQL, ['cursor', JSON.stringify(page.cursor)]]], { group: this.group, commit });
      job.catch((e: unknown) => (this.failure ??= e));
      this.jobs.push(job);
      this.results.push(prepared.result);
      if (commit) await this.finishGroup();
      else if (this.jobs.length > IN_FLIGHT) await this.jobs[this.jobs.length - 1 - IN_FLIGHT].catch(() => undefined);
      this.throwFailure();
    });
  }

  /** Commits what was handed over and waits for it; throws the first failure. */
  async flush(): Promise<void> {
    await this.serial(() => this.commit());
    this.throwFailure();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const r = this.chain.then(fn);
    this.chain = r.catch(() => undefined);
    return r;
  }

  private throwFailure(): void {
    if (this.failure !== null) throw this.failure;
  }

  private async open(): Promise<void> {
    this.release = await this.store.lock.acquire();
    this.group = ++groups;
    this.groupChanges = 0;
    this.groupStart = performance.now();
    // a slow network must not keep the lock (and the pages) waiting: commit by time even when no page comes
    this.timer = setTimeout(() => void this.serial(() => this.commit()).catch(() => undefined), DOWNLOAD_GROUP_MS);
  }

  /** Ends the open group: a commit job when the last page handed over did not carry one. */
  private async commit(): Promise<void> {
    if (!this.release) return;
    if (this.failure === null) {
      const job = this.store.background([], { group: this.group, commit: true });
      job.catch((e: unknown) => (this.failure ??= e));
      this.jobs.push(job);
    }
    await this.finishGroup();
  }

  /** Waits for the group's jobs, lets the lock go, and tells of its pages once they are committed. */
  private async finishGroup(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const jobs = this.jobs;
    const results = this.results;
    this.jobs = [];
    this.results = [];
    await Promise.allSettled(jobs);
    const release = this.release;
    this.release = null;
    release?.();
    if (this.failure === null) for (const r of results) this.onApplied(r);
  }
}

/**
 * CURSOR_RESET (the server was restored from a backup) or a re-download the user asked for: a new generation starts
 * and the cursor starts over. Nothing is deleted now — the office keeps working from the cache while the feed is
 * downloaded again; `finishRebuild` sweeps what the new generation did not bring once it is complete. The outbox
 * stays (it is pushed again; mutation ids make that safe).
 */
export async function startRebuild(store: Store): Promise<void> {
  await store.tx(() => {
    const gen = (store.meta<number>('generation') ?? 0) + 1;
    store.setMeta('generation', gen);
    store.setMeta('rebuilding', gen);
    store.setMeta('cursor', undefined);
  });
}

export function rebuilding(store: Store): boolean {
  return store.meta<number>('rebuilding') !== undefined;
}

/** After the last page of a re-download: rows of older generations are gone from the server's view. In slices, one transaction. */
export async function finishRebuild(store: Store): Promise<number> {
  return inSlicedTransaction(store, async () => {
    const gen = store.meta<number>('rebuilding');
    if (gen === undefined) return 0;
    const w = store.w;
    // walked by rowid in slices (no index on gen: it would cost every insert of the download)
    const next = w.prepare<[number, number], { rowid: number }>('SELECT rowid FROM documents WHERE rowid > ? AND gen < ? ORDER BY rowid LIMIT 500');
    const del = w.prepare<[number]>('DELETE FROM documents WHERE rowid = ?');
    let removed = 0;
    {
      for (let after = 0, batch = next.all(after, gen); batch.length > 0; batch = next.all(after, gen)) {
        for (const r of batch) removed += del.run(r.rowid).changes;
        after = batch[batch.length - 1].rowid;
        await yieldToEventLoop();
      }
      removed += w.prepare('DELETE FROM entities WHERE gen < ?').run(gen).changes;
      // documents of pending changes that the server no longer shows keep their outbox entries (pushed, answered)
      store.setMeta('rebuilding', undefined);
    }
    return removed;
  });
}

// ── bulk download ────────────────────────────────────────────────────────────────────────────
// The first download of a company (or a re-download after CURSOR_RESET) writes tens of thousands of documents. Every
// secondary index of documents has random keys (dates, БИН, UUIDs): kept up to date row by row, each page's commit
// rewrites ~1 000 scattered encrypted pages. So while such a download runs, the indexes and the FTS triggers are
// dropped (their SQL kept in meta, in the same transaction) and built once at the end, in sorted order, on a worker
// thread. Queries keep working meanwhile (a full scan of the small documents rows; search finds what was there before).

const BULK_KEY = 'bulkLoad';
interface BulkState {
  indexes: string[];
  triggers: string[];
}

export function bulkLoading(store: Store): boolean {
  return store.meta<BulkState>(BULK_KEY) !== undefined;
}

/** Drops the secondary indexes of documents and its FTS triggers, remembering their SQL. Idempotent. */
export function beginBulkLoad(store: Store): Promise<void> {
  return store.tx(() => {
    if (bulkLoading(store)) return;
    const w = store.w;
    const schema = (type: string, extra: string) =>
      w.prepare<[string], { name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name = 'documents' AND sql IS NOT NULL ${extra}`).all(type);
    const indexes = schema('index', '');
    const triggers = schema('trigger', `AND sql LIKE '%documents_fts%'`);
    for (const i of indexes) w.exec(`DROP INDEX "${i.name}"`);
    for (const t of triggers) w.exec(`DROP TRIGGER "${t.name}"`);
    store.setMeta(BULK_KEY, { indexes: indexes.map((i) => i.sql), triggers: triggers.map((t) => t.sql) } satisfies BulkState);
  });
}

/**
 * Builds what beginBulkLoad dropped — the indexes, the FTS table from the documents rows, the triggers — in one
 * transaction on a worker thread (core's event loop stays free; readers see the old state until it commits).
 * Returns false when no bulk download was open.
 */
export function finishBulkLoad(store: Store): Promise<boolean> {
  return store.lock.run(async () => {
    const bulk = store.meta<BulkState>(BULK_KEY);
    if (!bulk) return false;
    const sql = [...bulk.indexes, `INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')`, ...bulk.triggers];
    await store.background([...sql.map((s) => [s] as const), ['DELETE FROM meta WHERE key = ?', [BULK_KEY]]]);
    return true;
  });
}
