// Core in its own process under the supervisor, as in the app: a real core (temp profile folder) in a forked Node
// process, the contract relayed through main's guard, killed with SIGKILL mid-run and brought back.
import { afterEach, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDispatcher, type IpcTransport, type MessageEndpoint } from '../../contract/ipc';
import { CoreSupervisor, type CoreChild, type CoreRestartInfo, type CoreStart } from '../shell/core-supervisor';
import { createIpcGuard, type IpcSender } from '../shell/ipc-guard';
import { createIpcRelay } from '../shell/ipc-relay';
import type { PortLike, VaultLike } from '../shell/vault-channel';

const CHILD = path.join(import.meta.dirname, 'node-core-child.ts');
const ours: IpcSender = { webContentsId: 1, frame: { url: 'app://kense/index.html', isMainFrame: true } };

class MapVault implements VaultLike {
  readonly kind = 'test';
  keys = new Map<string, Uint8Array>();
  async get(id: string) {
    return this.keys.get(id) ?? null;
  }
  async put(id: string, k: Uint8Array) {
    this.keys.set(id, k);
  }
  async delete(id: string) {
    this.keys.delete(id);
  }
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(o: { maxRestarts?: number } = {}) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kense-core-proc-'));
  const children: ChildProcess[] = [];
  const config: CoreStart['config'] = { dataDir, cloudUrl: null, ncalayer: null, keyDirs: [], testTrust: true, locale: 'ru', appVersion: '0.1.0', platform: 'linux' };
  const spawn = (): CoreChild => {
    const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    children.push(child);
    const tagged = (ch: 'control' | 'contract'): PortLike => ({
      send: (m) => void (child.connected && child.send({ ch, m })),
      listen: (l) => {
        const h = (raw: unknown) => {
          const t = raw as { ch?: string; m?: unknown };
          if (t?.ch === ch) l(t.m);
        };
        child.on('message', h);
        return () => void child.off('message', h);
      },
    });
    const control = tagged('control');
    control.send({ type: 'core.start', config });
    return {
      control,
      contract: tagged('contract') as MessageEndpoint,
      onExit: (l) => void child.once('exit', (code) => l(code)),
      kill: () => void child.kill('SIGKILL'),
    };
  };
  const restarts: CoreRestartInfo[] = [];
  const connected: IpcTransport[] = [];
  const supervisor = new CoreSupervisor({ spawn, vault: new MapVault(), maxRestarts: o.maxRestarts ?? 3, backoffMs: () => 50, onRestart: (i) => restarts.push(i), onConnected: (t) => connected.push(t) });
  const guard = createIpcGuard({ isOurWindow: (id) => id === 1, locale: () => 'ru' });
  const platform = createDispatcher<never>({} as never, { locale: () => 'ru' });
  const relay = createIpcRelay({ guard, platform, core: () => supervisor.transport, locale: () => 'ru' });
  cleanup.push(async () => {
    await supervisor.stop(2_000);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await fs.rm(dataDir, { recursive: true, force: true });
  });
  supervisor.start();
  return { supervisor, relay, restarts, connected, children };
}

async function until<T>(f: () => Promise<T | null | undefined> | T | null | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('core in its process', () => {
  it('answers through main’s guard, comes back after SIGKILL and says so, shuts down cleanly', async () => {
    const s = await setup();
    const first = await s.relay.invoke(ours, 'session.status', {});
    expect(first).toMatchObject({ ok: true });

    s.children[0].kill('SIGKILL');
    // While it is down: CORE_RESTARTING, never a hang.
    await until(() => s.supervisor.transport === null);
    expect(await s.relay.invoke(ours, 'session.status', {})).toMatchObject({ ok: false, error: { code: 'CORE_RESTARTING' } });
    await until(() => s.restarts.length === 1);
    expect(s.restarts[0]).toMatchObject({ restarts: 1, gaveUp: false });
    const again = await until(async () => {
      const r = await s.relay.invoke(ours, 'session.status', {});
      return r.ok ? r : null;
    });
    expect(again).toEqual(first);
    expect(s.connected.length).toBe(2);

    await s.supervisor.stop(5_000);
    expect(s.children[1].exitCode).toBe(0);
  }, 60_000);

  it('gives up after repeated crashes and says so', async () => {
    const s = await setup({ maxRestarts: 1 });
    await until(async () => (await s.relay.invoke(ours, 'session.status', {})).ok);
    s.children[0].kill('SIGKILL');
    await until(() => s.children.length === 2 && s.supervisor.transport);
    s.children[1].kill('SIGKILL');
    await until(() => s.restarts.some((r) => r.gaveUp));
    expect(s.restarts.at(-1)).toMatchObject({ gaveUp: true, restarts: 1 });
    expect(s.supervisor.gaveUp).toBe(true);
    expect(s.children.length).toBe(2);
    expect(await s.relay.invoke(ours, 'session.status', {})).toMatchObject({ ok: false, error: { code: 'CORE_RESTARTING' } });
  }, 60_000);
});
