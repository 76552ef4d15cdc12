// The guard and the relay over the real contract: a real dispatcher answers core's side through a MessageChannel,
// as core does from its utility process.
import { afterEach, describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort as NodeMessagePort } from 'node:worker_threads';
import {
  IPC_CHANNELS, createDispatcher, createEventHub, endpointTransport, serveEndpoint, type MessageEndpoint, type WireMessage,
} from '../../contract/ipc';
import { createIpcGuard, type GuardRefusal, type IpcSender } from './ipc-guard';
import { createIpcRelay, forwardCoreEvents } from './ipc-relay';

const ours: IpcSender = { webContentsId: 1, frame: { url: 'app://kense/index.html', isMainFrame: true } };
const refusals: { channel: string; op: string | null; refusal: GuardRefusal; origin: string | null }[] = [];
const guard = createIpcGuard({ isOurWindow: (id) => id === 1, locale: () => 'ru', onRefused: (e) => refusals.push(e) });

function portEndpoint(p: NodeMessagePort): MessageEndpoint {
  return {
    send: (m: WireMessage) => p.postMessage(m),
    listen: (l) => {
      const h = (m: unknown) => l(m);
      p.on('message', h);
      return () => void p.off('message', h);
    },
  };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((c) => c());
  refusals.length = 0;
});

function coreOverPort() {
  const { port1, port2 } = new MessageChannel();
  const hub = createEventHub();
  const seen: string[] = [];
  const dispatcher = createDispatcher<'sync.now'>(
    {
      'sync.now': async (input) => {
        seen.push(`sync.now wait=${input.wait}`);
        return { online: false, state: 'offline', lastSyncAt: null, lastAttemptAt: null, nextAttemptAt: null, pendingMutations: 2, conflicts: 0, rejected: 0, stuck: null, clockSkewSeconds: null, clockWarning: null, lastError: null };
      },
    },
    { locale: () => 'ru' },
  );
  const stop = serveEndpoint(portEndpoint(port2), dispatcher, hub);
  const transport = endpointTransport(portEndpoint(port1));
  cleanups.push(() => {
    stop();
    transport.close();
    port1.close();
    port2.close();
  });
  return { transport, hub, seen };
}

const platform = createDispatcher<'signer.chooseKeyFile'>({ 'signer.chooseKeyFile': async () => ({ path: '/home/u/key.p12' }) }, { locale: () => 'ru' });

describe('IPC guard', () => {
  it.each([
    ['another channel', 'kense:other', ours, 'channel'],
    ['a channel without our prefix', 'invoke', ours, 'channel'],
    ['a window that is not ours', IPC_CHANNELS.invoke, { ...ours, webContentsId: 7 }, 'foreign_window'],
    ['a frame that is gone', IPC_CHANNELS.invoke, { ...ours, frame: null }, 'frame_gone'],
    ['a subframe', IPC_CHANNELS.invoke, { ...ours, frame: { url: 'app://kense/index.html', isMainFrame: false } }, 'subframe'],
    ['a page from elsewhere', IPC_CHANNELS.invoke, { ...ours, frame: { url: 'https://evil.example/', isMainFrame: true } }, 'foreign_origin'],
    ['a file: page', IPC_CHANNELS.invoke, { ...ours, frame: { url: 'file:///tmp/x.html', isMainFrame: true } }, 'foreign_origin'],
  ] as const)('refuses %s', (_n, channel, sender, refusal) => {
    const v = guard.check(channel, sender as IpcSender, 'sync.now', {});
    expect(v).toMatchObject({ ok: false, refusal, result: { ok: false, error: { code: 'INTERNAL' } } });
    expect(refusals.at(-1)?.refusal).toBe(refusal);
  });

  it('refuses an unknown operation and a bad payload with the contract’s codes', () => {
    expect(guard.check(IPC_CHANNELS.invoke, ours, 'fs.readFile', {})).toMatchObject({ ok: false, refusal: 'unknown_operation', result: { error: { code: 'IPC_UNKNOWN_OPERATION' } } });
    expect(guard.check(IPC_CHANNELS.invoke, ours, '__proto__', {})).toMatchObject({ ok: false, refusal: 'unknown_operation' });
    expect(guard.check(IPC_CHANNELS.invoke, ours, 'sync.now', { wait: 'yes' })).toMatchObject({ ok: false, refusal: 'invalid_input', result: { error: { code: 'INVALID_INPUT' } } });
    expect(guard.check(IPC_CHANNELS.invoke, ours, 'documents.sign', { via: 'p12', items: [] })).toMatchObject({ ok: false, refusal: 'invalid_input' });
  });

  it('logs channel, operation, reason and origin — never the input', () => {
    guard.check(IPC_CHANNELS.invoke, { ...ours, frame: { url: 'https://evil.example/x?y', isMainFrame: true } }, 'documents.sign', { via: 'p12', password: 'Qwerty12', items: [] });
    guard.check(IPC_CHANNELS.invoke, ours, 'documents.sign', { via: 'p12', password: 'Qwerty12', items: [] });
    expect(JSON.stringify(refusals)).not.toContain('Qwerty12');
    expect(refusals[0]).toEqual({ channel: 'kense:invoke', op: 'documents.sign', refusal: 'foreign_origin', origin: 'https://evil.example' });
  });

  it('passes a valid call from our main frame with defaults filled in', () => {
    expect(guard.check(IPC_CHANNELS.invoke, ours, 'sync.now', {})).toEqual({ ok: true, op: 'sync.now', input: { wait: false } });
  });
});

describe('IPC relay', () => {
  it('relays a core operation to core over a MessagePort and answers a platform one itself', async () => {
    const core = coreOverPort();
    const relay = createIpcRelay({ guard, platform, core: () => core.transport, locale: () => 'ru' });
    expect(await relay.invoke(ours, 'sync.now', { wait: true })).toMatchObject({ ok: true, output: { pendingMutations: 2 } });
    expect(core.seen).toEqual(['sync.now wait=true']);
    expect(await relay.invoke(ours, 'signer.chooseKeyFile', {})).toEqual({ ok: true, output: { path: '/home/u/key.p12' } });
  });

  it('refused calls never reach core (nor count as the office being up)', async () => {
    const core = coreOverPort();
    const accepted: number[] = [];
    const relay = createIpcRelay({ guard, platform, core: () => core.transport, locale: () => 'ru', onAccepted: (s) => accepted.push(s.webContentsId) });
    expect(await relay.invoke({ ...ours, webContentsId: 9 }, 'sync.now', {})).toMatchObject({ ok: false });
    expect(await relay.invoke(ours, 'sync.now', { wait: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(core.seen).toEqual([]);
    expect(accepted).toEqual([]);
    await relay.invoke(ours, 'sync.now', {});
    expect(accepted).toEqual([1]);
  });

  it('answers CORE_RESTARTING while core is down', async () => {
    const relay = createIpcRelay({ guard, platform, core: () => null, locale: () => 'kk' });
    const r = await relay.invoke(ours, 'sync.now', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'CORE_RESTARTING' } });
    expect(r.ok === false && r.error.message).toMatch(/қайта іске қосылуда/);
  });

  it('forwards core’s events to the windows', async () => {
    const core = coreOverPort();
    const got: [string, unknown][] = [];
    const stop = forwardCoreEvents(core.transport, (e, p) => got.push([e, p]));
    core.hub.emit('app.busy', { signing: true, pushing: false });
    await new Promise((r) => setTimeout(r, 20));
    stop();
    core.hub.emit('app.busy', { signing: false, pushing: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([['app.busy', { signing: true, pushing: false }]]);
  });
});
