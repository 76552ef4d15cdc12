// Opening one profile database: raw 256-bit key, a probe read (a wrong key shows only there), WAL, foreign keys,
// synchronous=FULL, numbered migrations in one transaction. Every way it can fail has its own code.
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { KenseError } from '../../../contract/errors';
import { BackgroundConnection, type BackgroundOp, type Transaction } from './background';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Db = Sqlite.Database;

export interface OpenedDatabase {
  /** The one connection that writes (sync, signing). Writes go through the profile's write lock. */
  write: Db;
  /** A second connection for queries: in WAL it reads the last committed state while a page is being applied. */
  read: Db;
  /**
   * Runs `ops` in one write transaction on a third connection in a worker thread (background.ts), so that long work
   * (a downloaded page, building indexes) never holds core's event loop. The caller holds the store's write lock.
   */
  inBackground(ops: readonly BackgroundOp[], transaction?: Transaction): Promise<void>;
  /**
   * Copies committed WAL pages into the database file (a PASSIVE checkpoint) on a worker thread, so that no COMMIT
   * of core pays for it. At most one runs at a time; the returned promise never rejects (a missed checkpoint is
   * made up by the next one, or by SQLite at close).
   */
  checkpointInBackground(): Promise<void>;
  /** Stops the background worker once its jobs are done (the next job starts a new one); settles when it has exited. */
  releaseBackground(): Promise<void>;
  close(): void;
}

/** A check value of the key kept beside the database: tells "wrong key" from "damaged file" without revealing the key. */
const keyCheck = (key: Uint8Array) => createHmac('sha256', key).update('kense profile key check v1').digest('hex');
export const keyCheckFile = (dbFile: string) => `${dbFile}.keycheck`;

function sqliteCode(e: unknown): string | undefined {
  return (e as { code?: string })?.code;
}

function keyed(file: string, key: Uint8Array, create: boolean): Db {
  const db = new Sqlite(file, { fileMustExist: !create });
  try {
    db.pragma(`key="x'${Buffer.from(key).toString('hex')}'"`);
    // Wrong key or damaged first page: SQLITE_NOTADB here and only here.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Applies the pending migrations in one transaction; a database from a newer app is refused. */
export function migrate(db: Db): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SCHEMA_VERSION) throw new KenseError('STORE_TOO_NEW', { databaseVersion: from, appVersion: SCHEMA_VERSION });
  const pending = MIGRATIONS.filter((m) => m.version > from);
  if (pending.length === 0) return { from, to: from };
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
  return { from, to: SCHEMA_VERSION };
}

function classify(e: unknown, file: string, key: Uint8Array): KenseError {
  if (e instanceof KenseError) return e;
  const code = sqliteCode(e);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code === 'SQLITE_CORRUPT_VTAB') {
    // The key that made this database left its check value: if it matches, the key is right and the file is damaged.
    const check = existsSync(keyCheckFile(file)) ? readFileSync(keyCheckFile(file), 'utf8').trim() : null;
    if (code === 'SQLITE_NOTADB' && check !== keyCheck(key)) return new KenseError('STORE_WRONG_KEY', { sqlite: code }, { cause: e });
    return new KenseError('STORE_CORRUPTED', { sqlite: code }, { cause: e });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return new KenseError('PROFILE_IN_USE', { sqlite: code }, { cause: e });
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_IOERR' || code?.startsWith('SQLITE_IOERR')) {
    return new KenseError('STORE_CORRUPTED', { sqlite: code, problem: 'cannot open or write the file' }, { cause: e });
  }
  return new KenseError('INTERNAL', { sqlite: code ?? 'unknown' }, { cause: e });
}

/**
 * Opens (or with `create`, creates) the database in `file` with `key`. Throws STORE_WRONG_KEY, STORE_CORRUPTED,
 * STORE_TOO_NEW or PROFILE_IN_USE; the caller decides the way out (profiles.ts).
 */
export function openDatabase(file: string, key: Uint8Array, options: { create?: boolean } = {}): OpenedDatabase {
  const creating = options.create === true && !existsSync(file);
  let write: Db | undefined;
  let read: Db | undefined;
  try {
    write = keyed(file, key, creating);
    // Document bodies are ~3 KB of JSON each: a 16 KB page holds five, where an 8 KB page holds two and leaves a fifth
    // of itself empty (3.1 KB acts as in the bench: about 3 % of each page unused instead of 22 %; less to encrypt and write).
    if (creating) write.pragma('page_size = 16384');
    write.pragma('journal_mode = WAL');
    write.pragma('foreign_keys = ON');
    write.pragma('synchronous = FULL');
    write.pragma('busy_timeout = 5000');
    write.pragma('cache_size = -16384');
    // Checkpoints run on a worker thread after writes (checkpointInBackground, called by the store after each write
    // once the WAL has grown): never inside a COMMIT of this connection, where copying pages would hold the event loop.
    write.pragma('wal_autocheckpoint = 0');
    write.pragma('journal_size_limit = 67108864');
    if (creating) writeFileSync(keyCheckFile(file), `${keyCheck(key)}\n`, { mode: 0o600 });
    migrate(write);
    read = keyed(file, key, false);
    read.pragma('query_only = ON');
    read.pragma('cache_size = -16384');
    read.pragma('busy_timeout = 5000');
    const w = write;
    const r = read;
    const background = new BackgroundConnection(file, key, (e) => classify(e, file, key));
    // checkpoints on a connection of their own: a checkpoint copies pages while the next transaction is written
    const checkpointer = new BackgroundConnection(file, key, (e) => classify(e, file, key));
    let checkpoint: Promise<void> | null = null;
    return {
      write: w,
      read: r,
      inBackground: (ops, transaction) => background.run(ops, transaction),
      checkpointInBackground: () =>
        (checkpoint ??= checkpointer
          .run([['PRAGMA wal_checkpoint(PASSIVE)']], false)
          .catch(() => undefined)
          .finally(() => (checkpoint = null))),
      releaseBackground: async () => {
        await Promise.all([background.release(), checkpointer.release()]);
      },
      close() {
        background.close();
        checkpointer.close();
        r.close();
        w.close();
      },
    };
  } catch (e) {
    read?.close();
    write?.close();
    throw classify(e, file, key);
  }
}

/** Full check (kill test, doctor): `PRAGMA integrity_check` answers 'ok' for a sound database. */
export function integrityCheck(db: Db): string {
  return (db.pragma('integrity_check', { simple: true }) as string) ?? 'no answer';
}
