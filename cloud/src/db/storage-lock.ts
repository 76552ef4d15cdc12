// One process per PGlite folder. PGlite has no lock of its own: two processes opening the same folder both
// "work" and corrupt it. Before storage opens, the process takes an exclusive OS lock on a small SQLite file in
// the folder (`PRAGMA locking_mode=EXCLUSIVE` + `BEGIN EXCLUSIVE`: an fcntl lock on POSIX, LockFileEx on
// Windows) and holds it for its life. The OS drops the lock when the process dies, however it dies (kill -9
// included, before the process is even reaped), so a restart right after a crash works. Who holds the lock is
// written beside it, as information only: the lock, not that file, decides.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { KenseError } from '../../../contract/errors';

export const LOCK_FILE = 'kense-cloud.lock';
export const HOLDER_FILE = 'kense-cloud.lock.json';

export interface LockHolder {
  pid: number;
  command: string;
  host: string;
  since: string;
}

export interface StorageLock {
  folder: string;
  release(): void;
}

/** Locks taken by this process, kept reachable: a collected SQLite handle would close and drop its lock. */
const held = new Map<string, Database.Database>();

function readHolder(folder: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path.join(folder, HOLDER_FILE), 'utf8')) as Partial<LockHolder>;
    return typeof h.pid === 'number' ? { pid: h.pid, command: String(h.command ?? ''), host: String(h.host ?? ''), since: String(h.since ?? '') } : null;
  } catch {
    return null;
  }
}

function inUse(folder: string): KenseError {
  const h = readHolder(folder);
  return new KenseError('STORAGE_IN_USE', {
    folder,
    lockFile: path.join(folder, LOCK_FILE),
    ...(h ? { holderPid: h.pid, holderCommand: h.command, holderHost: h.host, holderSince: h.since } : { holder: 'another process (it has not written its name yet)' }),
  });
}

const busy = (e: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((e as { code?: unknown }).code ?? ''));

/** One attempt: the exclusive lock, or null when another connection holds (or is taking) a lock on the file. */
function tryLock(file: string): Database.Database | null {
  let db: Database.Database;
  try {
    // timeout 0: busy is an answer, not a reason to wait.
    db = new Database(file, { timeout: 0 });
  } catch (e) {
    if (busy(e)) return null;
    throw e;
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (e) {
    db.close();
    if (busy(e)) return null;
    throw e;
  }
}

/** Two processes starting together can each hold SQLite's shared step and both fail: a few tries apart settle it. */
const ATTEMPTS = 10;

/**
 * Takes the folder's lock or refuses with STORAGE_IN_USE naming the holder (within about a quarter of a second).
 * Held until `release()` or the end of the process. A second take in the same process is refused too (SQLite
 * tracks its own locks).
 */
export async function lockStorage(folder: string, command: string): Promise<StorageLock> {
  const dir = path.resolve(folder);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  let db: Database.Database | null = null;
  for (let i = 0; i < ATTEMPTS && !db; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 5 + Math.random() * 30));
    db = tryLock(file);
  }
  if (!db) throw inUse(dir);
  const locked = db;
  held.set(dir, locked);
  const holder: LockHolder = { pid: process.pid, command, host: os.hostname(), since: new Date().toISOString() };
  const tmp = path.join(dir, `.${HOLDER_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(holder)}\n`);
  renameSync(tmp, path.join(dir, HOLDER_FILE));
  let released = false;
  return {
    folder: dir,
    release() {
      if (released) return;
      released = true;
      // The holder note goes first, while the lock still keeps everyone else out.
      if (readHolder(dir)?.pid === process.pid) rmSync(path.join(dir, HOLDER_FILE), { force: true });
      held.delete(dir);
      try {
        locked.exec('ROLLBACK');
      } finally {
        locked.close();
      }
    },
  };
}
