// A third connection to the profile database on a worker thread: long or write-heavy work (a downloaded page's
// transaction, building indexes, checkpoints) runs there so that core's event loop never waits for SQLite. Jobs run
// one after another in the order given; the caller holds the store's write lock while a writing job runs.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * One statement and its parameters (an array for `?`, an object for `@name`). A large text parameter goes in `data`
 * (bound as `@data`, params must then be an object), as a string or as UTF-8 bytes. Bytes are the cheap way: views
 * into one buffer (a feed page as received) cross to the worker as that one buffer, copied once, and SQLite takes them
 * without a conversion (the statement binds them as `CAST(@data AS TEXT)`). A string crosses as a bare string, which
 * costs a copy, where the same text inside an object would be walked by the serializer.
 */
export type BackgroundOp = readonly [sql: string, params?: readonly unknown[] | Record<string, unknown> | JsonText, data?: string | Uint8Array];
/** Parameters already serialised with JSON.stringify (done while a page is prepared, in its turns, rather than all at once when a job is posted). */
export type JsonText = string;

/**
 * How a job's statements are wrapped: `true`, one transaction of their own; `false`, none (a checkpoint); a group,
 * one transaction over several jobs — the first job of the group begins it, the one with `commit` ends it, and a
 * failure rolls it back and fails every later job of the group (so a later job can never commit without an earlier one).
 * The caller holds the store's write lock from the group's first job until its commit.
 */
export type Transaction = boolean | { group: number; commit: boolean };

/** How a job crosses to the worker: flat arrays (cheap to post) rather than a tree of objects. */
interface Job {
  id: number;
  transaction: Transaction;
  sql: string[];
  op: Int32Array;
  params: (string | null)[];
  data: (string | null)[];
  /** The buffers that byte data points into, and per op: buffer index, start, end (-1 when the op has none). */
  buffers: Uint8Array[];
  ranges: Int32Array;
}

function toJob(id: number, ops: readonly BackgroundOp[], transaction: Transaction): Job {
  const sqlIndex = new Map<string, number>();
  const bufferIndex = new Map<ArrayBufferLike, number>();
  const buffers: Uint8Array[] = [];
  const op = new Int32Array(ops.length);
  const ranges = new Int32Array(ops.length * 3).fill(-1);
  const params: (string | null)[] = new Array(ops.length);
  const data: (string | null)[] = new Array(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const [sql, p, d] = ops[i];
    let n = sqlIndex.get(sql);
    if (n === undefined) sqlIndex.set(sql, (n = sqlIndex.size));
    op[i] = n;
    params[i] = p === undefined ? null : typeof p === 'string' ? p : JSON.stringify(p);
    data[i] = typeof d === 'string' ? d : null;
    if (d instanceof Uint8Array) {
      let b = bufferIndex.get(d.buffer);
      if (b === undefined) {
        bufferIndex.set(d.buffer, (b = buffers.length));
        buffers.push(new Uint8Array(d.buffer));
      }
      ranges[i * 3] = b;
      ranges[i * 3 + 1] = d.byteOffset;
      ranges[i * 3 + 2] = d.byteOffset + d.byteLength;
    }
  }
  return { id, transaction, sql: [...sqlIndex.keys()], op, params, data, buffers, ranges };
}

// Plain CommonJS passed as text: it runs the same way under tsx, under Vitest, in the bundled benches and in the app.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Sqlite = require(workerData.module);
let db;
const cache = new Map();
// the group whose transaction is open, and the last group that failed
let openGroup = null;
let failedGroup = null;
function statement(sql) {
  let s = cache.get(sql);
  if (!s) {
    if (cache.size > 100) cache.clear();
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}
function runOp(sql, paramsJson, data) {
  const s = statement(sql);
  let params = paramsJson === null ? undefined : JSON.parse(paramsJson);
  if (data !== null) params.data = data;
  const args = params === undefined ? [] : Array.isArray(params) ? params : [params];
  return s.reader ? s.all(...args) : s.run(...args);
}
parentPort.on('message', ({ id, transaction, sql, op, params, data, buffers, ranges }) => {
  try {
    if (!db) {
      db = new Sqlite(workerData.file, { fileMustExist: true });
      db.pragma('key="x' + "'" + Buffer.from(workerData.key).toString('hex') + "'" + '"');
      db.pragma('busy_timeout = 5000');
      // Only downloaded data is written here: a commit need not reach the disk before the next one starts (NORMAL, in
      // WAL: a power cut may lose the last groups, with their cursor, which the next sync downloads again; never a
      // torn state). The write connection keeps FULL: its commits (the outbox) sync the WAL, these frames included.
      db.pragma('synchronous = NORMAL');
      db.pragma('cache_size = -16384');
      db.pragma('wal_autocheckpoint = 0');
    }
    const group = typeof transaction === 'object' ? transaction.group : null;
    if (group !== null && group === failedGroup) throw Object.assign(new Error('an earlier page of this transaction failed'), { code: 'GROUP_FAILED' });
    if (group !== null ? openGroup !== group : transaction) {
      // a group left open (its owner gave up on it) is rolled back, and its later jobs fail
      if (db.inTransaction) {
        if (openGroup !== null) failedGroup = openGroup;
        db.exec('ROLLBACK');
      }
      db.exec('BEGIN IMMEDIATE');
      openGroup = group;
    }
    try {
      for (let i = 0; i < op.length; i++) {
        const b = ranges[i * 3];
        // a view, not a copy: better-sqlite3 binds a Buffer's bytes as they are
        const bytes = b < 0 ? null : Buffer.from(buffers[b].buffer, buffers[b].byteOffset + ranges[i * 3 + 1], ranges[i * 3 + 2] - ranges[i * 3 + 1]);
        runOp(sql[op[i]], params[i], bytes ?? data[i]);
      }
      if (group !== null ? transaction.commit : transaction) {
        openGroup = null;
        db.exec('COMMIT');
      }
    } catch (e) {
      if (group !== null) failedGroup = group;
      openGroup = null;
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
    parentPort.postMessage({ id, ok: true });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, code: e && e.code, message: String(e && e.message) });
  }
});
`;
const sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');

/** An idle worker stops after this long. */
const IDLE_MS = 3000;

interface Pending {
  resolve(): void;
  reject(e: unknown): void;
  worker: Worker;
}

export class BackgroundConnection {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private releaseWanted = false;

  constructor(
    private readonly file: string,
    private readonly key: Uint8Array,
    /** Turns a failure of SQLite ({code, message}) into the error the caller should see. */
    private readonly classify: (e: Error & { code?: string }) => unknown,
  ) {}

  /** Runs `ops` (in one write transaction unless `transaction` says otherwise). Rejects with the classified error. */
  run(ops: readonly BackgroundOp[], transaction: Transaction = true): Promise<void> {
    if (this.closed) return Promise.reject(this.classify(Object.assign(new Error('The database connection is not open'), { code: 'SQLITE_MISUSE' })));
    const worker = this.worker ?? this.start();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      // A job in flight keeps the process alive (a CLI command awaiting it must not exit); an idle worker does not.
      worker.ref();
      const job = toJob(id, ops, transaction);
      worker.postMessage(job, [job.op.buffer as ArrayBuffer, job.ranges.buffer as ArrayBuffer]);
    });
  }

  private start(): Worker {
    const worker = new Worker(WORKER, { eval: true, workerData: { module: sqliteModule, file: this.file, key: Uint8Array.from(this.key) } });
    worker.on('message', (m: { id: number; ok: boolean; code?: string; message?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.idle(worker);
      if (!p) return;
      if (m.ok) p.resolve();
      else p.reject(this.classify(Object.assign(new Error(m.message), { code: m.code })));
    });
    const fail = (e: Error & { code?: string }) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, p] of this.pending) {
        if (p.worker !== worker) continue;
        this.pending.delete(id);
        p.reject(this.classify(e));
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(Object.assign(new Error(`the background database worker stopped (${code})`), { code: 'WORKER_EXIT' })));
    this.worker = worker;
    return worker;
  }

  /** Stops the worker as soon as it has no job (or now, when idle). */
  release(): Promise<void> {
    this.releaseWanted = true;
    const worker = this.worker;
    if (worker && this.pending.size === 0) this.idle(worker);
    return this.stopped;
  }

  /** Settles when the last worker stopped has exited. */
  private stopped: Promise<void> = Promise.resolve();

  private stop(worker: Worker): void {
    if (this.worker === worker) this.worker = null;
    this.stopped = worker.terminate().then(
      () => undefined,
      () => undefined,
    );
  }

  /** No job left: the worker no longer keeps the process alive, and after a while it stops (its memory returns). */
  private idle(worker: Worker): void {
    worker.unref();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.releaseWanted) {
      this.releaseWanted = false;
      this.stop(worker);
      return;
    }
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.worker === worker && this.pending.size === 0) this.stop(worker);
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  /** Stops the worker (its connection closes with it). */
  close(): void {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    void this.worker?.terminate();
    this.worker = null;
  }
}
