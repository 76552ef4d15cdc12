// Core's proxy vault talking to main's keychain vault over a real MessageChannel (as the utility process's port).
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { KenseError, isKenseError } from '../../contract/errors';
import { remoteKeyVault, serveKeyVault, type PortLike, type VaultLike } from './vault-channel';

const port = (p: MessagePort): PortLike => ({
  send: (m) => p.postMessage(m),
  listen: (l) => {
    const h = (m: unknown) => l(m);
    p.on('message', h);
    return () => void p.off('message', h);
  },
});

class MapVault implements VaultLike {
  readonly kind = 'test';
  keys = new Map<string, Uint8Array>();
  failWith: KenseError | Error | null = null;
  async get(id: string) {
    if (this.failWith) throw this.failWith;
    return this.keys.get(id) ?? null;
  }
  async put(id: string, k: Uint8Array) {
    if (this.failWith) throw this.failWith;
    this.keys.set(id, k);
  }
  async delete(id: string) {
    this.keys.delete(id);
  }
}

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

function pair(timeoutMs?: number) {
  const { port1, port2 } = new MessageChannel();
  const vault = new MapVault();
  const stop = serveKeyVault(port(port1), vault);
  const remote = remoteKeyVault(port(port2), { timeoutMs });
  closers.push(() => (stop(), remote.close(), port1.close(), port2.close()));
  return { vault, remote, port1, stop };
}

describe('vault over the parent port', () => {
  it('puts, gets and deletes a key through main', async () => {
    const { vault, remote } = pair();
    const k = new Uint8Array(randomBytes(32));
    await remote.put('p-1', k);
    expect(vault.keys.get('p-1')).toEqual(k);
    expect(await remote.get('p-1')).toEqual(k);
    expect(await remote.get('p-2')).toBeNull();
    await remote.delete('p-1');
    expect(await remote.get('p-1')).toBeNull();
  });

  it('keeps the error code (the user sees KEYCHAIN_CHANGED), hides anything else', async () => {
    const { vault, remote } = pair();
    vault.failWith = new KenseError('KEYCHAIN_CHANGED', { profileId: 'p-1' });
    const e = await remote.get('p-1').catch((x: unknown) => x);
    expect(isKenseError(e, 'KEYCHAIN_CHANGED') && e.details).toEqual({ profileId: 'p-1' });
    vault.failWith = new Error('secret internals');
    const e2 = await remote.get('p-1').catch((x: unknown) => x);
    expect(isKenseError(e2, 'KEY_VAULT_UNAVAILABLE')).toBe(true);
    expect(JSON.stringify((e2 as KenseError).details)).not.toContain('secret internals');
  });

  it('no answer from main in time is KEY_VAULT_UNAVAILABLE', async () => {
    const { remote, stop } = pair(50);
    stop();
    const e = await remote.get('p-1').catch((x: unknown) => x);
    expect(isKenseError(e, 'KEY_VAULT_UNAVAILABLE')).toBe(true);
  });

  it('main ignores malformed calls', async () => {
    const { vault, port1 } = pair();
    const { port1: a, port2: b } = new MessageChannel();
    closers.push(() => (a.close(), b.close()));
    serveKeyVault(port(a), vault);
    const replies: unknown[] = [];
    b.on('message', (m) => replies.push(m));
    b.postMessage({ type: 'vault.call', id: 1, method: 'put', profileId: 'p', keyHex: 'zz' });
    b.postMessage({ type: 'vault.call', id: 2, method: 'exec', profileId: 'p' });
    await new Promise((r) => setTimeout(r, 30));
    expect(replies).toEqual([]);
    expect(vault.keys.size).toBe(0);
    void port1;
  });
});
