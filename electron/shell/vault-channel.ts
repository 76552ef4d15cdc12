// Core runs in a utility process but the OS keychain (safeStorage) exists only in Electron main: core's KeyVault
// there is a proxy that asks main over the process's parent port. Messages are checked on both sides; errors keep
// their code (KEYCHAIN_CHANGED reaches the user's screen as such).
import { z } from 'zod';
import { KenseError, isErrorCode, isKenseError } from '../../contract/errors';

/** Anything that carries structured-clone messages both ways (Electron parentPort / UtilityProcess, a MessagePort). */
export interface PortLike {
  send(message: unknown): void;
  listen(listener: (message: unknown) => void): () => void;
}

/** What core's KeyVault interface asks (electron/core/store/key-vault.ts), structurally. */
export interface VaultLike {
  readonly kind: string;
  get(profileId: string): Promise<Uint8Array | null>;
  put(profileId: string, key: Uint8Array): Promise<void>;
  delete(profileId: string): Promise<void>;
}

const zKeyHex = z.string().regex(/^[0-9a-f]{64}$/);
const zVaultCall = z.object({
  type: z.literal('vault.call'),
  id: z.int().min(0),
  method: z.enum(['get', 'put', 'delete']),
  profileId: z.string().max(100),
  keyHex: zKeyHex.optional(),
});
const zVaultResult = z.object({
  type: z.literal('vault.result'),
  id: z.int().min(0),
  keyHex: zKeyHex.nullable().optional(),
  error: z.object({ code: z.string(), details: z.record(z.string(), z.unknown()).optional() }).optional(),
});

/** Main's side: answers vault calls with the real (keychain) vault. Returns the function that stops answering. */
export function serveKeyVault(port: PortLike, vault: VaultLike): () => void {
  return port.listen(async (raw) => {
    const call = zVaultCall.safeParse(raw);
    if (!call.success) return;
    const { id, method, profileId, keyHex } = call.data;
    try {
      if (method === 'get') {
        const key = await vault.get(profileId);
        port.send({ type: 'vault.result', id, keyHex: key ? Buffer.from(key).toString('hex') : null });
      } else if (method === 'put') {
        if (!keyHex) throw new KenseError('INVALID_INPUT', { field: 'keyHex' });
        await vault.put(profileId, new Uint8Array(Buffer.from(keyHex, 'hex')));
        port.send({ type: 'vault.result', id });
      } else {
        await vault.delete(profileId);
        port.send({ type: 'vault.result', id });
      }
    } catch (e) {
      const error = isKenseError(e) ? { code: e.code, ...(e.details ? { details: e.details } : {}) } : { code: 'KEY_VAULT_UNAVAILABLE', details: { problem: 'vault failed' } };
      port.send({ type: 'vault.result', id, error });
    }
  });
}

/** Core's side: a KeyVault that asks main. A call main does not answer in time is KEY_VAULT_UNAVAILABLE. */
export function remoteKeyVault(port: PortLike, options: { timeoutMs?: number } = {}): VaultLike & { close(): void } {
  let next = 1;
  const pending = new Map<number, (r: z.infer<typeof zVaultResult> | null) => void>();
  const stop = port.listen((raw) => {
    const r = zVaultResult.safeParse(raw);
    if (!r.success) return;
    pending.get(r.data.id)?.(r.data);
    pending.delete(r.data.id);
  });
  const call = async (method: 'get' | 'put' | 'delete', profileId: string, keyHex?: string) => {
    const id = next++;
    const result = await new Promise<z.infer<typeof zVaultResult> | null>((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(null);
      }, options.timeoutMs ?? 30_000);
      pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      port.send({ type: 'vault.call', id, method, profileId, ...(keyHex ? { keyHex } : {}) });
    });
    if (!result) throw new KenseError('KEY_VAULT_UNAVAILABLE', { problem: 'the app did not answer' });
    if (result.error) throw new KenseError(isErrorCode(result.error.code) ? result.error.code : 'KEY_VAULT_UNAVAILABLE', result.error.details);
    return result;
  };
  return {
    kind: 'os-keychain',
    async get(profileId) {
      const r = await call('get', profileId);
      return r.keyHex ? new Uint8Array(Buffer.from(r.keyHex, 'hex')) : null;
    },
    async put(profileId, key) {
      if (key.length !== 32) throw new RangeError('a database key is 32 bytes');
      await call('put', profileId, Buffer.from(key).toString('hex'));
    },
    async delete(profileId) {
      await call('delete', profileId);
    },
    close() {
      stop();
      for (const resolve of pending.values()) resolve(null);
      pending.clear();
    },
  };
}
