// Where the random 256-bit key of each profile database lives. The desktop app wraps it with the OS keychain
// (Electron safeStorage, in electron/main); the CLI and the headless host keep it in a file only the user can read;
// tests keep it in memory.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KenseError } from '../../../contract/errors';

export const DB_KEY_BYTES = 32;

export interface KeyVault {
  /** A short name for logs and the doctor (never the key). */
  readonly kind: string;
  /** The key of a profile, or null when the vault has none (lost). KEY_VAULT_UNAVAILABLE when it cannot answer. */
  get(profileId: string): Promise<Uint8Array | null>;
  put(profileId: string, key: Uint8Array): Promise<void>;
  delete(profileId: string): Promise<void>;
}

export function newDatabaseKey(): Uint8Array {
  return new Uint8Array(randomBytes(DB_KEY_BYTES));
}

export class MemoryKeyVault implements KeyVault {
  readonly kind = 'memory';
  private readonly keys = new Map<string, Uint8Array>();
  async get(profileId: string) {
    const k = this.keys.get(profileId);
    return k ? new Uint8Array(k) : null;
  }
  async put(profileId: string, key: Uint8Array) {
    this.keys.set(profileId, new Uint8Array(key));
  }
  async delete(profileId: string) {
    this.keys.delete(profileId);
  }
}

const SAFE_ID = /^[a-z0-9-]{1,64}$/;

/**
 * One file per profile in a folder only the user may enter (0700), each file 0600. It is as safe as the user's
 * account: anyone who can read the user's files can read the key — which is why the desktop app uses the OS
 * keychain instead. A file others can read is refused rather than used (the key may have leaked).
 */
export class FileKeyVault implements KeyVault {
  readonly kind = 'file';
  constructor(readonly dir: string) {}

  private file(profileId: string): string {
    if (!SAFE_ID.test(profileId)) throw new KenseError('INVALID_INPUT', { profileId });
    return path.join(this.dir, `${profileId}.key`);
  }

  async get(profileId: string): Promise<Uint8Array | null> {
    const file = this.file(profileId);
    let text: string;
    try {
      if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
        throw new KenseError('KEY_VAULT_UNAVAILABLE', { path: file, problem: 'the key file can be read by other users' });
      }
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      if (e instanceof KenseError) throw e;
      throw new KenseError('KEY_VAULT_UNAVAILABLE', { path: file, problem: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
    }
    const parsed = /^kense-db-key v1 ([0-9a-f]{64})\s*$/.exec(text);
    if (!parsed) throw new KenseError('KEY_VAULT_UNAVAILABLE', { path: file, problem: 'not a key file' });
    return new Uint8Array(Buffer.from(parsed[1], 'hex'));
  }

  async put(profileId: string, key: Uint8Array): Promise<void> {
    if (key.length !== DB_KEY_BYTES) throw new RangeError('a database key is 32 bytes');
    const file = this.file(profileId);
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      if (process.platform !== 'win32') chmodSync(this.dir, 0o700);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `kense-db-key v1 ${Buffer.from(key).toString('hex')}\n`, { mode: 0o600 });
      renameSync(tmp, file);
    } catch (e) {
      throw new KenseError('KEY_VAULT_UNAVAILABLE', { path: file, problem: (e as NodeJS.ErrnoException).code ?? 'unwritable' });
    }
  }

  async delete(profileId: string): Promise<void> {
    rmSync(this.file(profileId), { force: true });
  }
}
