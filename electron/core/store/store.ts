// One open profile database: the write connection behind an async lock (a page may be applied over several
// event-loop turns inside one transaction, and nothing else may write meanwhile), the read connection for
// queries, and the small key/value meta table (profile, tokens, cursor, settings).
import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import type { BackgroundOp, Transaction } from './background';
import type { Db, OpenedDatabase } from './database';

/**
 * Frames in the WAL not yet copied into the database, read from the wal-index (the -shm file, which holds frame
 * numbers and hashes, nothing of the content): mxFrame at byte 16 of its header, nBackfill at byte 96, in the
 * machine's byte order (sqlite.org/walformat.html). 0 when there is no -shm file.
 */
export function walFramesPending(dbFile: string): number {
  let fd: number | undefined;
  try {
    fd = openSync(`${dbFile}-shm`, 'r');
    const b = Buffer.alloc(100);
    if (readSync(fd, b, 0, 100, 0) < 100) return 0;
    const le = endianness() === 'LE';
    const mxFrame = le ? b.readUInt32LE(16) : b.readUInt32BE(16);
    const backfilled = le ? b.readUInt32LE(96) : b.readUInt32BE(96);
    return Math.max(0, mxFrame - backfilled);
  } catch {
    return 0;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A checkpoint is started after a write once the WAL holds this much not yet copied, at most one per CHECKPOINT_EVERY_MS.
 * A download rewrites the same index pages in every group: each checkpoint copies them again, so fewer, larger ones
 * copy less (SQLite's own default is 1 000 pages: 16 MB at our page size).
 */
const CHECKPOINT_WAL_BYTES = 32 * 1024 * 1024;
const CHECKPOINT_EVERY_MS = 500;

/** Sets one meta value (key, JSON text). */
export const META_PUT_SQL = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

/** FIFO async mutex: one writer at a time, whether its transaction is synchronous or spans turns. */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();
  private held = false;
  private queued = 0;
  constructor(private readonly onRelease?: () => void) {}
  get busy(): boolean {
    return this.held;
  }
  /** Callers waiting for the lock. */
  get waiting(): number {
    return this.queued;
  }
  /** Takes the lock until the returned function is called (for work whose end is not one function's end). */
  acquire(): Promise<() => void> {
    return new Promise((granted) => {
      void this.run(() => new Promise<void>((release) => granted(release)));
    });
  }
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    this.queued++;
    const result = this.tail.then(async () => {
      this.queued--;
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
  private readonly pageSize: number;
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
    this.pageSize = db.write.pragma('page_size', { simple: true }) as number;
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

  /** Statements run in one transaction (or a group's: background.ts) on a worker thread's own connection: hold `lock` meanwhile. */
  background(ops: readonly BackgroundOp[], transaction?: Transaction): Promise<void> {
    return this.db.inBackground(ops, transaction);
  }

  /** After each write: a background checkpoint when the WAL holds enough not yet copied (database.ts checkpointInBackground). */
  private afterWrite(): void {
    const now = performance.now();
    if (this.closed || now - this.lastCheckpointAt < CHECKPOINT_EVERY_MS) return;
    if (walFramesPending(this.db.write.name) * this.pageSize < CHECKPOINT_WAL_BYTES) return;
    this.lastCheckpointAt = now;
    void this.db.checkpointInBackground();
  }

  /** Copies every committed WAL page into the database file, on the checkpointer's thread (after one in flight). */
  async checkpoint(): Promise<void> {
    await this.db.checkpointInBackground();
    await this.db.checkpointInBackground();
  }

  /** Lets the background connection's worker go now (after a download: its memory returns at once). */
  releaseBackground(): Promise<void> {
    return this.db.releaseBackground();
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
