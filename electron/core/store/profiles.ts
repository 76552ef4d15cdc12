// The folder of a Kense installation (the CLI's --profile DIR, the app's user data): one encrypted database per
// (user, company), a lock per database, the way out when a database cannot be opened, and the app settings.
//
//   <root>/settings.json               language, cloud URL, update channel (nothing personal)
//   <root>/device.json                 this installation's random device id
//   <root>/current                     id of the profile opened last
//   <root>/profiles/<id>/kense.db      the encrypted database (+ -wal, -shm, .keycheck), <id>/lock while open
//   <root>/keys/<id>.key               the database key, when the file vault is used
//   <root>/recovery/<time>-<id>/       a database that could not be opened, and its exported outbox
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { KenseError } from '../../../contract/errors';
import { newDatabaseKey, type KeyVault } from './key-vault';
import { openDatabase, type OpenedDatabase } from './database';

export const DB_FILE = 'kense.db';

/** A profile is one (cloud, user, company); its id reveals none of them. */
export function profileIdFor(cloudUrl: string, userId: string, companyId: string): string {
  return createHash('sha256').update(`${new URL(cloudUrl).origin}|${userId}|${companyId}`).digest('hex').slice(0, 24);
}

export interface RecoveryReport {
  reason: 'STORE_WRONG_KEY' | 'STORE_KEY_LOST' | 'STORE_CORRUPTED';
  /** Where the database was moved. */
  movedTo: string;
  /** The unsent changes written out as JSON, when they could be read. */
  outboxFile: string | null;
  outboxCount: number;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

export class ProfileRoot {
  constructor(readonly dir: string, readonly vault: KeyVault) {
    mkdirSync(path.join(dir, 'profiles'), { recursive: true, mode: 0o700 });
  }

  profileDir(id: string): string {
    if (!/^[0-9a-f]{24}$/.test(id)) throw new KenseError('PROFILE_NOT_FOUND', { profileId: id.slice(0, 40) });
    return path.join(this.dir, 'profiles', id);
  }
  dbFile(id: string): string {
    return path.join(this.profileDir(id), DB_FILE);
  }

  /** Profiles with a database on this device. */
  list(): string[] {
    return readdirSync(path.join(this.dir, 'profiles')).filter((id) => /^[0-9a-f]{24}$/.test(id) && existsSync(path.join(this.dir, 'profiles', id, DB_FILE)));
  }

  current(): string | null {
    try {
      const id = readFileSync(path.join(this.dir, 'current'), 'utf8').trim();
      return this.list().includes(id) ? id : null;
    } catch {
      return null;
    }
  }
  setCurrent(id: string | null): void {
    if (id === null) rmSync(path.join(this.dir, 'current'), { force: true });
    else writeFileAtomic(path.join(this.dir, 'current'), `${id}\n`);
  }

  /** This installation's device id (sessions are per user and device). */
  deviceId(): string {
    const file = path.join(this.dir, 'device.json');
    try {
      const id = (JSON.parse(readFileSync(file, 'utf8')) as { id?: unknown }).id;
      if (typeof id === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(id)) return id;
    } catch {
      // first run, or a damaged file: a new id (the server then sees a new device)
    }
    const id = `kense-${randomBytes(12).toString('hex')}`;
    writeFileAtomic(file, `${JSON.stringify({ id })}\n`);
    return id;
  }

  readSettings(): Record<string, unknown> {
    try {
      const v = JSON.parse(readFileSync(path.join(this.dir, 'settings.json'), 'utf8')) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  writeSettings(s: Record<string, unknown>): void {
    writeFileAtomic(path.join(this.dir, 'settings.json'), `${JSON.stringify(s, null, 2)}\n`);
  }

  /** Takes the profile's lock: one process per database. A lock left by a killed process is taken over. */
  private lock(id: string): () => void {
    const file = path.join(this.profileDir(id), 'lock');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return () => {
          try {
            if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
          } catch {
            // already gone
          }
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = Number(readFileSync(file, 'utf8').trim() || '0');
        if (holder && holder !== process.pid && pidAlive(holder)) throw new KenseError('PROFILE_IN_USE', { pid: holder });
        rmSync(file, { force: true });
      }
    }
    throw new KenseError('PROFILE_IN_USE', {});
  }

  /**
   * Opens a profile's database; `create` makes it (and its key) when absent. Failures keep their code
   * (STORE_WRONG_KEY, STORE_KEY_LOST, STORE_CORRUPTED, STORE_TOO_NEW, PROFILE_IN_USE); `recover` is the way out.
   */
  async open(id: string, options: { create?: boolean } = {}): Promise<OpenedDatabase & { id: string }> {
    const dir = this.profileDir(id);
    const exists = existsSync(path.join(dir, DB_FILE));
    if (!exists && !options.create) throw new KenseError('PROFILE_NOT_FOUND', { profileId: id });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const unlock = this.lock(id);
    try {
      let key = await this.vault.get(id);
      if (!key) {
        if (exists) throw new KenseError('STORE_KEY_LOST', { profileId: id, vault: this.vault.kind });
        key = newDatabaseKey();
        await this.vault.put(id, key);
      }
      const db = openDatabase(path.join(dir, DB_FILE), key, { create: !exists });
      return {
        id,
        write: db.write,
        read: db.read,
        inBackground: db.inBackground,
        checkpointInBackground: db.checkpointInBackground,
        releaseBackground: db.releaseBackground,
        close() {
          db.close();
          unlock();
        },
      };
    } catch (e) {
      unlock();
      throw e;
    }
  }

  /**
   * The way out of STORE_WRONG_KEY / STORE_KEY_LOST / STORE_CORRUPTED: the database is moved aside, its outbox
   * written to a readable JSON file when it can still be read, and the key forgotten; signing in again rebuilds
   * the cache from the server and re-queues that outbox (`takeRecoveredOutbox`).
   */
  async recover(id: string, reason: RecoveryReport['reason']): Promise<RecoveryReport> {
    const dir = this.profileDir(id);
    const unlock = this.lock(id);
    try {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const target = path.join(this.dir, 'recovery', `${stamp}-${id}`);
      mkdirSync(target, { recursive: true, mode: 0o700 });
      let outboxFile: string | null = null;
      let outboxCount = 0;
      const key = reason === 'STORE_KEY_LOST' ? null : await this.vault.get(id).catch(() => null);
      if (key) {
        try {
          const rows = readOutboxDespiteDamage(path.join(dir, DB_FILE), key);
          outboxCount = rows.length;
          if (rows.length > 0) {
            outboxFile = path.join(target, 'outbox.json');
            writeFileAtomic(outboxFile, `${JSON.stringify({ format: 'kense-outbox/1', profileId: id, exportedAt: new Date().toISOString(), reason, mutations: rows }, null, 2)}\n`);
          }
        } catch {
          // unreadable with this key: nothing to export
        }
      }
      for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, `${DB_FILE}.keycheck`]) {
        const from = path.join(dir, f);
        if (existsSync(from)) renameSync(from, path.join(target, f));
      }
      await this.vault.delete(id);
      return { reason, movedTo: target, outboxFile, outboxCount };
    } finally {
      unlock();
    }
  }

  /** Unsent changes exported by `recover` for this profile (oldest export first), removed once taken. */
  takeRecoveredOutbox(id: string): { file: string; mutations: ExportedMutation[] }[] {
    const dir = path.join(this.dir, 'recovery');
    if (!existsSync(dir)) return [];
    const out: { file: string; mutations: ExportedMutation[] }[] = [];
    for (const d of readdirSync(dir).filter((d) => d.endsWith(`-${id}`)).sort()) {
      const file = path.join(dir, d, 'outbox.json');
      if (!existsSync(file)) continue;
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as { format?: string; mutations?: ExportedMutation[] };
        if (parsed.format === 'kense-outbox/1' && Array.isArray(parsed.mutations)) out.push({ file, mutations: parsed.mutations });
        renameSync(file, `${file}.requeued`);
      } catch {
        // a damaged export stays where it is for support
      }
    }
    return out;
  }

  /** Deletes a profile's data and key from this device (account terminated, or the user asked). */
  async wipe(id: string): Promise<void> {
    const dir = this.profileDir(id);
    // retried: on Windows a background checkpoint's connection may hold the file for a moment after close
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    await this.vault.delete(id);
    if (this.current() === null) this.setCurrent(null);
  }
}

export interface ExportedMutation {
  mutationId: string;
  name: string;
  args: unknown;
  baseVersion: number | null;
  target: { kind: string; id: string } | null;
  createdAt: string;
  status: string;
}

/** Reads the outbox of a database that may be damaged elsewhere (its pages may still be readable). */
function readOutboxDespiteDamage(file: string, key: Uint8Array): ExportedMutation[] {
  // Read-only and without migrating: nothing is written to a damaged file.
  const db = new Sqlite(file, { fileMustExist: true, readonly: true });
  try {
    db.pragma(`key="x'${Buffer.from(key).toString('hex')}'"`);
    const rows = db.prepare(`SELECT mutation_id, name, args, base_version, target_kind, target_id, created_at, status FROM outbox WHERE status <> 'applied' ORDER BY seq`).all() as {
      mutation_id: string; name: string; args: string; base_version: number | null; target_kind: string | null; target_id: string | null; created_at: string; status: string;
    }[];
    return rows.map((r) => ({
      mutationId: r.mutation_id, name: r.name, args: JSON.parse(r.args) as unknown, baseVersion: r.base_version,
      target: r.target_kind && r.target_id ? { kind: r.target_kind, id: r.target_id } : null, createdAt: r.created_at, status: r.status,
    }));
  } finally {
    db.close();
  }
}
