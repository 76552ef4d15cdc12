// The keychain vault over a stand-in for the OS keychain (the process boundary: DPAPI/Keychain/libsecret), which
// really encrypts (AES-256-GCM under a "login" secret that a test can change, as a password reset does).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isKenseError } from '../../contract/errors';
import { KeychainKeyVault, type OsKeychain } from './keychain-vault';

class StandInKeychain implements OsKeychain {
  secret = randomBytes(32);
  available = true;
  backend = 'gnome_libsecret';
  rotate = false;
  async isAsyncEncryptionAvailable() {
    return this.available;
  }
  async encryptStringAsync(plain: string) {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.secret, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }
  async decryptStringAsync(enc: Buffer) {
    const d = createDecipheriv('aes-256-gcm', this.secret, enc.subarray(0, 12));
    d.setAuthTag(enc.subarray(12, 28));
    const result = Buffer.concat([d.update(enc.subarray(28)), d.final()]).toString('utf8');
    return { shouldReEncrypt: this.rotate, result };
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
}

let dir: string;
beforeEach(async () => void (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kense-keychain-'))));
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const key = () => new Uint8Array(randomBytes(32));
async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return isKenseError(e) ? `${e.code} ${JSON.stringify(e.details)}` : String(e);
  }
}

describe('KeychainKeyVault', () => {
  it('keeps a key wrapped by the keychain: round trip, no plaintext on disk, 0600', async () => {
    const kc = new StandInKeychain();
    const v = new KeychainKeyVault(dir, kc, 'linux');
    const k = key();
    await v.put('p-1', k);
    expect(await v.get('p-1')).toEqual(k);
    const file = path.join(dir, 'p-1.wrapped-key');
    const onDisk = await fs.readFile(file);
    expect(onDisk.toString('utf8')).not.toContain(Buffer.from(k).toString('hex'));
    expect(onDisk.includes(Buffer.from(k))).toBe(false);
    if (process.platform !== 'win32') expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await v.get('p-2')).toBeNull();
    await v.delete('p-1');
    expect(await v.get('p-1')).toBeNull();
  });

  it('refuses Linux basic_text (and an unknown backend) before storing anything', async () => {
    const kc = new StandInKeychain();
    kc.backend = 'basic_text';
    const v = new KeychainKeyVault(dir, kc, 'linux');
    expect(await code(v.put('p-1', key()))).toBe('KEYCHAIN_UNAVAILABLE {"backend":"basic_text"}');
    expect(await fs.readdir(dir)).toEqual([]);
    kc.backend = 'unknown';
    expect(await code(v.put('p-1', key()))).toMatch(/^KEYCHAIN_UNAVAILABLE/);
    // Only Linux has backends: on Windows/macOS the question is not asked.
    expect(await code(new KeychainKeyVault(dir, kc, 'win32').put('p-1', key()))).toBe('resolved');
  });

  it('an unavailable keychain is KEYCHAIN_UNAVAILABLE for reading and writing', async () => {
    const kc = new StandInKeychain();
    const v = new KeychainKeyVault(dir, kc, 'darwin');
    await v.put('p-1', key());
    kc.available = false;
    expect(await code(v.get('p-1'))).toBe('KEYCHAIN_UNAVAILABLE {"platform":"darwin"}');
    expect(await code(v.put('p-2', key()))).toMatch(/^KEYCHAIN_UNAVAILABLE/);
  });

  it('a keychain that changed (account password reset, profile moved) is KEYCHAIN_CHANGED', async () => {
    const kc = new StandInKeychain();
    const v = new KeychainKeyVault(dir, kc, 'win32');
    await v.put('p-1', key());
    kc.secret = randomBytes(32);
    expect(await code(v.get('p-1'))).toBe('KEYCHAIN_CHANGED {"profileId":"p-1"}');
  });

  it('re-wraps the key when the keychain asks (rotated OS key)', async () => {
    const kc = new StandInKeychain();
    const v = new KeychainKeyVault(dir, kc, 'darwin');
    const k = key();
    await v.put('p-1', k);
    const before = await fs.readFile(path.join(dir, 'p-1.wrapped-key'), 'utf8');
    kc.rotate = true;
    expect(await v.get('p-1')).toEqual(k);
    kc.rotate = false;
    expect(await fs.readFile(path.join(dir, 'p-1.wrapped-key'), 'utf8')).not.toBe(before);
    expect(await v.get('p-1')).toEqual(k);
  });

  it('a file that is not ours, or a bad profile id, is refused', async () => {
    const v = new KeychainKeyVault(dir, new StandInKeychain(), 'darwin');
    await fs.writeFile(path.join(dir, 'p-1.wrapped-key'), 'hello');
    expect(await code(v.get('p-1'))).toMatch(/^KEY_VAULT_UNAVAILABLE/);
    expect(await code(v.get('../etc'))).toMatch(/^INVALID_INPUT/);
  });
});
