// A third connection to the profile database on a worker thread: long or write-heavy work (a downloaded page's
// transaction, building indexes, checkpoints) runs there so that core's event loop never waits for SQLite. Jobs run
// one after another in the order given; the caller holds the store's write lock while a writing job runs.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * One statement and its parameters (an array for `?`, an object for `@name`). A large text parameter goes in `data`
 * (bound as `@data`, params must then be an object): it crosses to the worker as a bare string, which costs a copy,
 * where the same text inside an object would be walked by the serializer — tens of ms per page on the event loop.
 */
export type BackgroundOp = readonly [sql: string, params?: readonly unknown[] | Record<string, unknown>, data?: string];

/** How a job crosses to the worker: flat arrays (cheap to post) rather than a tree of objects. */
interface Job {
  id: number;
  transaction: boolean;
  sql: string[];
  op: Int32Array;
  params: (string | null)[];
  data: (string | null)[];
}

function toJob(id: number, ops: readonly BackgroundOp[], transaction: boolean): Job {
  const sqlIndex = new Map<string, number>();
  const op = new Int32Array(ops.length);
  const params: (string | null)[] = new Array(ops.length);
  const data: (string | null)[] = new Array(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const [sql, p, d] = ops[i];
    let n = sqlIndex.get(sql);
    if (n === undefined) sqlIndex.set(sql, (n = sqlIndex.size));
    op[i] = n;
    params[i] = p === undefined ? null : JSON.stringify(p);
    data[i] = d ?? null;
  }
  return { id, transaction, sql: [...sqlIndex.keys()], op, params, data };
}

// Plain CommonJS passed as text: it runs the same way under tsx, under Vitest, in the bundled benches and in the app.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Sqlite = require(workerData.module);
let db;
const cache = new Map();
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
parentPort.on('message', ({ id, transaction, sql, op, params, data }) => {
  try {
    if (!db) {
      db = new Sqlite(workerData.file, { fileMustExist: true });
      db.pragma('key="x' + "'" + Buffer.from(workerData.key).toString('hex') + "'" + '"');
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = FULL');
      db.pragma('cache_size = -8192');
      db.pragma('wal_autocheckpoint = 0');
    }
    if (transaction) db.exec('BEGIN IMMEDIATE');
    try {
      for (let i = 0; i < op.length; i++) runOp(sql[op[i]], params[i], data[i]);
      if (transaction) db.exec('COMMIT');
    } catch (e) {
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

  /** Runs `ops` (in one write transaction unless `transaction` is false). Rejects with the classified error. */
  run(ops: readonly BackgroundOp[], transaction = true): Promise<void> {
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
      worker.postMessage(job, [job.op.buffer as ArrayBuffer]);
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
