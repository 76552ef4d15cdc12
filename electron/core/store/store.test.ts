import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type Sqlite from 'better-sqlite3-multiple-ciphers';
import { isKenseError } from '../../../contract/errors';
import { FileKeyVault, MemoryKeyVault, newDatabaseKey } from './key-vault';
import { ProfileRoot } from './profiles';
import { SCHEMA_VERSION } from './migrations';
import { integrityCheck } from './database';
import { Store } from './store';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'kense-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ID = 'a'.repeat(24);

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isKenseError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a failure');
}

function seedOutbox(db: { write: Sqlite.Database }) {
  db.write
    .prepare(`INSERT INTO outbox (mutation_id, name, args, base_version, target_kind, target_id, created_at) VALUES (?, 'signAct', '{"actId":"x","cms":"AA=="}', 3, 'act', 'x', '2026-11-25T10:00:00+05:00')`)
    .run('11111111-1111-4111-8111-111111111111');
}

describe('the profile database', () => {
  it('is created encrypted, in WAL, with foreign keys, synchronous=FULL, migrated, and reopens', async () => {
    const root = new ProfileRoot(tmp(), new MemoryKeyVault());
    const db = await root.open(ID, { create: true });
    expect(db.write.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.write.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.write.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.write.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.write.pragma('cipher', { simple: true })).toBe('chacha20');
    const store = new Store(ID, db);
    await store.tx(() => store.setMeta('probe', { ИИН: '123456789011' }));
    store.close();
    expect(readFileSync(root.dbFile(ID)).includes(Buffer.from('123456789011'))).toBe(false);
    const again = new Store(ID, await root.open(ID));
    expect(again.meta('probe')).toEqual({ ИИН: '123456789011' });
    expect(integrityCheck(again.w)).toBe('ok');
    again.close();
  });

  it('a wrong key is STORE_WRONG_KEY (found by the probe read), a damaged file STORE_CORRUPTED, a missing key STORE_KEY_LOST', async () => {
    const vault = new MemoryKeyVault();
    const root = new ProfileRoot(tmp(), vault);
    const db = await root.open(ID, { create: true });
    seedOutbox(db);
    db.close();
    const right = (await vault.get(ID)) as Uint8Array;

    await vault.put(ID, newDatabaseKey());
    expect(await failure(root.open(ID))).toBe('STORE_WRONG_KEY');

    await vault.put(ID, right);
    const fd = openSync(root.dbFile(ID), 'r+');
    writeSync(fd, Buffer.alloc(64, 0x55), 0, 64, 0);
    closeSync(fd);
    expect(await failure(root.open(ID))).toBe('STORE_CORRUPTED');

    await vault.delete(ID);
    expect(await failure(root.open(ID))).toBe('STORE_KEY_LOST');
  });

  it('a database from a newer app is refused with STORE_TOO_NEW and left as it is', async () => {
    const root = new ProfileRoot(tmp(), new MemoryKeyVault());
    const db = await root.open(ID, { create: true });
    db.write.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(await failure(root.open(ID))).toBe('STORE_TOO_NEW');
    expect(existsSync(root.dbFile(ID))).toBe(true);
  });

  it('one process per profile: PROFILE_IN_USE while open; a lock left by a dead process is taken over', async () => {
    const root = new ProfileRoot(tmp(), new MemoryKeyVault());
    const db = await root.open(ID, { create: true });
    // another process holding it (our parent is alive)
    db.close();
    writeFileSync(path.join(root.profileDir(ID), 'lock'), String(process.ppid));
    expect(await failure(root.open(ID))).toBe('PROFILE_IN_USE');
    writeFileSync(path.join(root.profileDir(ID), 'lock'), '999999999');
    (await root.open(ID)).close();
  });

  it('the way out: a damaged database is moved aside, its outbox exported readable, and re-queued on rebuild', async () => {
    const root = new ProfileRoot(tmp(), new MemoryKeyVault());
    const db = await root.open(ID, { create: true });
    seedOutbox(db);
    db.close();
    const report = await root.recover(ID, 'STORE_CORRUPTED');
    expect(report.outboxCount).toBe(1);
    expect(JSON.parse(readFileSync(report.outboxFile as string, 'utf8')).mutations[0]).toMatchObject({ mutationId: '11111111-1111-4111-8111-111111111111', name: 'signAct', baseVersion: 3 });
    expect(existsSync(root.dbFile(ID))).toBe(false);
    expect(existsSync(path.join(report.movedTo, 'kense.db'))).toBe(true);
    // a fresh database for the same profile, and the exported changes are handed back once
    (await root.open(ID, { create: true })).close();
    expect(root.takeRecoveredOutbox(ID).flatMap((x) => x.mutations).map((m) => m.mutationId)).toEqual(['11111111-1111-4111-8111-111111111111']);
    expect(root.takeRecoveredOutbox(ID)).toEqual([]);
  });

  it('the file vault keeps keys readable by the user only and refuses a key file others can read', async () => {
    const dir = tmp();
    const vault = new FileKeyVault(path.join(dir, 'keys'));
    const key = newDatabaseKey();
    await vault.put(ID, key);
    expect(await vault.get(ID)).toEqual(key);
    expect(await vault.get('b'.repeat(24))).toBeNull();
    if (process.platform !== 'win32') {
      const file = path.join(dir, 'keys', `${ID}.key`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(dir, 'keys')).mode & 0o777).toBe(0o700);
      const { chmodSync } = await import('node:fs');
      chmodSync(file, 0o644);
      expect(await failure(vault.get(ID))).toBe('KEY_VAULT_UNAVAILABLE');
    }
  });
});
