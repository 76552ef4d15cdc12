import { describe, expect, it } from 'vitest';
import { KenseError } from '../errors';
import {
  CORE_OPERATIONS, EVENT_NAMES, OPERATIONS, OPERATION_NAMES, PLATFORM_OPERATIONS, createDispatcher, createEventHub, createKenseClient, endpointTransport,
  isIpcError, serveEndpoint, type Handlers, type MessageEndpoint, type WireMessage,
} from './index';

/** Both ends of a real MessageChannel (what Electron's MessagePort and the utility process use). */
function portPair(json = false): [MessageEndpoint, MessageEndpoint, () => void] {
  const ch = new MessageChannel();
  const wrap = (port: MessagePort): MessageEndpoint => ({
    // json: what the headless host's WebSocket does (text frames)
    send: (m) => port.postMessage(json ? JSON.stringify(m) : m),
    listen(l) {
      const h = (e: MessageEvent) => l(json ? JSON.parse(e.data as string) : e.data);
      port.addEventListener('message', h);
      port.start();
      return () => port.removeEventListener('message', h);
    },
  });
  return [wrap(ch.port1), wrap(ch.port2), () => (ch.port1.close(), ch.port2.close())];
}

const status = {
  online: true, state: 'idle', lastSyncAt: '2026-11-25T10:00:00.000+05:00', lastAttemptAt: null, nextAttemptAt: null, pendingMutations: 2, conflicts: 0,
  rejected: 1, stuck: null, clockSkewSeconds: null, clockWarning: null, lastError: null,
} as const;

type Some = 'sync.status' | 'documents.count' | 'sync.now' | 'invoices.get' | 'app.busy';
const handlers: Handlers<Some> = {
  'sync.status': () => status,
  'documents.count': ({ filter }) => ({ total: filter.search === 'many' ? 100_000 : 3 }),
  'sync.now': () => {
    throw new KenseError('OFFLINE', { at: new Date('2026-11-25T05:00:00Z') });
  },
  'invoices.get': () => {
    throw new Error('secret token abc in a bug');
  },
  // a handler that breaks its own contract
  'app.busy': () => ({ signing: 'yes' }) as unknown as { signing: boolean; pushing: boolean },
};

describe('the IPC contract', () => {
  it('names are area.verb, every operation has both schemas, platform ones are few', () => {
    for (const n of OPERATION_NAMES) expect(n).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    for (const n of EVENT_NAMES) expect(n).toMatch(/^[a-z]+(\.[a-zA-Z]+)?$/);
    for (const spec of Object.values(OPERATIONS)) expect(spec.input && spec.output).toBeTruthy();
    expect(PLATFORM_OPERATIONS.sort()).toEqual(['files.save', 'signer.chooseKeyFile']);
    expect(CORE_OPERATIONS.length + PLATFORM_OPERATIONS.length).toBe(OPERATION_NAMES.length);
  });

  it('the dispatcher validates input, maps errors and never leaks an unexpected message', async () => {
    const unexpected: string[] = [];
    const d = createDispatcher(handlers, { locale: () => 'en', onUnexpected: (op) => unexpected.push(op) });
    expect(await d.dispatch('documents.count', {})).toEqual({ ok: true, output: { total: 3 } });
    const bad = await d.dispatch('documents.count', { filter: { amountFrom: -1 } });
    expect(bad.ok === false && bad.error.code).toBe('INVALID_INPUT');
    expect(bad.ok === false && bad.error.details).toMatchObject({ fields: [{ path: 'filter.amountFrom' }] });
    const unknown = await d.dispatch('acts.hack', {});
    expect(unknown.ok === false && unknown.error.code).toBe('IPC_UNKNOWN_OPERATION');
    // a real operation this side does not handle (e.g. a platform one sent to core)
    expect((await d.dispatch('files.save', { suggestedName: 'a', mime: 'x', contentBase64: '' })).ok).toBe(false);
    const offline = await d.dispatch('sync.now', {});
    expect(offline).toMatchObject({ ok: false, error: { code: 'OFFLINE', message: 'No connection to the kense server.', details: { at: '2026-11-25T05:00:00.000Z' } } });
    const internal = await d.dispatch('invoices.get', { id: '00000000-0000-4000-8000-000000000000' });
    expect(internal.ok === false && internal.error.code).toBe('INTERNAL');
    expect(JSON.stringify(internal)).not.toContain('secret');
    const broken = await d.dispatch('app.busy', {});
    expect(broken.ok === false && broken.error.code).toBe('INTERNAL');
    expect(unexpected).toEqual(['invoices.get', 'app.busy']);
  });

  it.each([['structured clone (MessagePort)', false], ['JSON text (WebSocket)', true]])('the typed client over %s: calls, errors, events', async (_t, json) => {
    const [a, b, close] = portPair(json);
    const hub = createEventHub();
    const stop = serveEndpoint(b, createDispatcher(handlers, { locale: () => 'kk' }), hub);
    const transport = endpointTransport(a);
    const api = createKenseClient(transport, { validate: true });
    expect(await api.invoke('documents.count', { filter: { search: 'many' } })).toEqual({ total: 100_000 });
    expect(await api.invoke('sync.status')).toEqual(status);
    const err = await api.invoke('sync.now', { wait: true }).catch((e: unknown) => e);
    expect(isIpcError(err, 'OFFLINE')).toBe(true);
    expect((err as Error).message).toBe('kense серверімен байланыс жоқ.');

    const seen: number[] = [];
    const off = api.on('sync.progress', (p) => seen.push(p.applied));
    hub.emit('sync.progress', { phase: 'pull', applied: 1000, remaining: null, pushed: 0, pending: 0 });
    // a payload that breaks its schema is not sent
    hub.emit('sync.progress', { phase: 'pull', applied: -5 } as never);
    await new Promise((r) => setTimeout(r, 20));
    off();
    hub.emit('sync.progress', { phase: 'pull', applied: 2000, remaining: null, pushed: 0, pending: 0 });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([1000]);

    // closing the transport answers what is in flight, it does not hang
    stop();
    const late = api.invoke('sync.status');
    transport.close();
    expect(isIpcError(await late.catch((e: unknown) => e), 'INTERNAL')).toBe(true);
    close();
  });

  it('wire messages are plain data', () => {
    const m: WireMessage = { type: 'call', id: 1, op: 'sync.status', input: {} };
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});
