// One open profile database: the write connection behind an async lock (a page may be applied over several
// event-loop turns inside one transaction, and nothing else may write meanwhile), the read connection for
// queries, and the small key/value meta table (profile, tokens, cursor, settings).
import { statSync } from 'node:fs';
import type { BackgroundOp } from './background';
import type { Db, OpenedDatabase } from './database';

/** A checkpoint is started after a write once the WAL file has grown past this, at most one per CHECKPOINT_EVERY_MS. */
const CHECKPOINT_WAL_BYTES = 4 * 1024 * 1024;
const CHECKPOINT_EVERY_MS = 500;

/** Sets one meta value (key, JSON text). */
export const META_PUT_SQL = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

/** FIFO async mutex: one writer at a time, whether its transaction is synchronous or spans turns. */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();
  private held = false;
  constructor(private readonly onRelease?: () => void) {}
  get busy(): boolean {
    return this.held;
  }
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(async () => {
      this.held = true;
      try {
        return await fn();
      } finally {
        this.held = false;
        this.onRelease?.();
      }
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export class Store {
  readonly lock = new WriteLock(() => this.afterWrite());
  private lastCheckpointAt = -Infinity;
  private readonly getMeta;
  private readonly putMeta;
  private readonly delMeta;
  private closed = false;

  constructor(
    readonly profileId: string,
    private readonly db: OpenedDatabase,
  ) {
    this.getMeta = db.write.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.putMeta = db.write.prepare<[string, string]>(META_PUT_SQL);
    this.delMeta = db.write.prepare<[string]>('DELETE FROM meta WHERE key = ?');
  }

  /** The writing connection: use inside `lock.run` (or `tx`). */
  get w(): Db {
    return this.db.write;
  }
  /** The reading connection (query_only). */
  get r(): Db {
    return this.db.read;
  }
  get isClosed(): boolean {
    return this.closed;
  }

  meta<T>(key: string): T | undefined {
    const row = this.getMeta.get(key);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }
  /** Writes one meta value; call inside a transaction or the lock. */
  setMeta(key: string, value: unknown): void {
    if (value === undefined) this.delMeta.run(key);
    else this.putMeta.run(key, JSON.stringify(value));
  }

  /** Statements run in one transaction on a worker thread's own connection: hold `lock` meanwhile. */
  background(ops: readonly BackgroundOp[]): Promise<void> {
    return this.db.inBackground(ops);
  }

  /** After each write: a background checkpoint when the WAL has grown (database.ts checkpointInBackground). */
  private afterWrite(): void {
    const now = performance.now();
    if (this.closed || now - this.lastCheckpointAt < CHECKPOINT_EVERY_MS) return;
    let walBytes = 0;
    try {
      walBytes = statSync(`${this.db.write.name}-wal`).size;
    } catch {
      return;
    }
    if (walBytes < CHECKPOINT_WAL_BYTES) return;
    this.lastCheckpointAt = now;
    void this.db.checkpointInBackground();
  }

  /** A synchronous write transaction under the lock. */
  tx<T>(fn: () => T): Promise<T> {
    return this.lock.run(() => this.db.write.transaction(fn).immediate());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
