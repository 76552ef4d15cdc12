// Core's KeyVault on the OS keychain (Electron safeStorage, async API): each profile's random database key is
// encrypted by the OS (DPAPI on Windows, Keychain on macOS, libsecret/KWallet on Linux) and the ciphertext kept in a
// 0600 file beside the profiles. Linux's `basic_text` backend (a hard-coded password: no protection) is refused.
// Failures are the user's screens: KEYCHAIN_UNAVAILABLE (no keychain to ask) and KEYCHAIN_CHANGED (the keychain
// no longer decrypts what it encrypted — a reset account password, a profile copied to another machine).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { KenseError } from '../../contract/errors';

/** The part of Electron's safeStorage the vault uses (main passes the real one). */
export interface OsKeychain {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

const SAFE_ID = /^[a-z0-9-]{1,64}$/;
const HEADER = 'kense-wrapped-db-key v1';
const KEY_HEX = /^[0-9a-f]{64}$/;

export class KeychainKeyVault {
  readonly kind = 'os-keychain';

  constructor(
    readonly dir: string,
    private readonly keychain: OsKeychain,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  private file(profileId: string): string {
    if (!SAFE_ID.test(profileId)) throw new KenseError('INVALID_INPUT', { profileId });
    return path.join(this.dir, `${profileId}.wrapped-key`);
  }

  /** Throws KEYCHAIN_UNAVAILABLE unless the OS keychain can protect a key now. */
  async ensureUsable(): Promise<void> {
    if (this.platform === 'linux') {
      const backend = this.keychain.getSelectedStorageBackend?.() ?? 'unknown';
      if (backend === 'basic_text' || backend === 'unknown') throw new KenseError('KEYCHAIN_UNAVAILABLE', { backend });
    }
    let available = false;
    try {
      available = await this.keychain.isAsyncEncryptionAvailable();
    } catch {
      available = false;
    }
    if (!available) throw new KenseError('KEYCHAIN_UNAVAILABLE', { platform: this.platform });
  }

  async get(profileId: string): Promise<Uint8Array | null> {
    const file = this.file(profileId);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new KenseError('KEY_VAULT_UNAVAILABLE', { path: file, problem: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
    }
    const m = new RegExp(`^${HEADER} ([A-Za-z0-9+/=]+)\\s*$`).exec(text);
    if (!m) throw new KenseError('KEY_VAULT_UNAVAILABLE', { path: file, problem: 'not a wrapped key file' });
    await this.ensureUsable();
    let plain: { shouldReEncrypt: boolean; result: string };
    try {
      plain = await this.keychain.decryptStringAsync(Buffer.from(m[1], 'base64'));
    } catch {
      throw new KenseError('KEYCHAIN_CHANGED', { profileId });
    }
    if (!KEY_HEX.test(plain.result)) throw new KenseError('KEYCHAIN_CHANGED', { profileId });
    const key = new Uint8Array(Buffer.from(plain.result, 'hex'));
    // The OS rotated its key or offers a stronger level: store the key wrapped anew.
    if (plain.shouldReEncrypt) await this.put(profileId, key);
    return key;
  }

  async put(profileId: string, key: Uint8Array): Promise<void> {
    if (key.length !== 32) throw new RangeError('a database key is 32 bytes');
    const file = this.file(profileId);
    await this.ensureUsable();
    let wrapped: Buffer;
    try {
      wrapped = await this.keychain.encryptStringAsync(Buffer.from(key).toString('hex'));
    } catch {
      throw new KenseError('KEYCHAIN_UNAVAILABLE', { platform: this.platform });
    }
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, `${HEADER} ${wrapped.toString('base64')}\n`, { mode: 0o600 });
      await fs.rename(tmp, file);
    } catch (e) {
      throw new KenseError('KEY_VAULT_UNAVAILABLE', { path: file, problem: (e as NodeJS.ErrnoException).code ?? 'unwritable' });
    }
  }

  async delete(profileId: string): Promise<void> {
    await fs.rm(this.file(profileId), { force: true });
  }
}
