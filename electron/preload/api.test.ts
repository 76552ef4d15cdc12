import { describe, expect, it } from 'vitest';
import { createKenseClient, IPC_CHANNELS } from '../../contract/ipc';
import { createPreloadApi, type RendererIpc } from './api';

/** Electron's ipcRenderer at the process boundary: records invokes, delivers main's messages. */
class FakeIpcRenderer implements RendererIpc {
  private readonly handlers = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  calls: unknown[][] = [];
  answer: unknown = { ok: true, output: { total: 3 } };
  async invoke(channel: string, ...args: unknown[]) {
    this.calls.push([channel, ...args]);
    return this.answer;
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), listener]);
    return this;
  }
  fromMain(message: unknown) {
    for (const h of this.handlers.get(IPC_CHANNELS.event) ?? []) h({ sender: { secret: 'main process handle' } }, message);
  }
}

describe('window.kense', () => {
  it('exposes exactly invoke and subscribe, frozen', () => {
    const api = createPreloadApi(new FakeIpcRenderer());
    expect(Object.keys(api).sort()).toEqual(['invoke', 'subscribe']);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('invoke goes to kense:invoke with (op, input) and the renderer’s typed client works over it', async () => {
    const ipc = new FakeIpcRenderer();
    const client = createKenseClient(createPreloadApi(ipc));
    expect(await client.invoke('documents.count', { filter: {} })).toEqual({ total: 3 });
    expect(ipc.calls).toEqual([['kense:invoke', 'documents.count', { filter: {} }]]);
    ipc.answer = { ok: false, error: { code: 'OFFLINE', message: 'm', action: 'a' } };
    await expect(client.invoke('sync.now', {})).rejects.toMatchObject({ code: 'OFFLINE' });
  });

  it('subscribe delivers only the payload of that event and returns the unsubscribe function', () => {
    const ipc = new FakeIpcRenderer();
    const api = createPreloadApi(ipc);
    const got: unknown[] = [];
    const off = api.subscribe('app.busy', (p) => got.push(p));
    api.subscribe('sync.status', () => got.push('wrong'));
    ipc.fromMain({ event: 'app.busy', payload: { signing: true, pushing: false } });
    off();
    ipc.fromMain({ event: 'app.busy', payload: { signing: false, pushing: false } });
    expect(got).toEqual([{ signing: true, pushing: false }]);
  });

  it('a throwing listener does not stop the others; junk from the channel is ignored', () => {
    const ipc = new FakeIpcRenderer();
    const api = createPreloadApi(ipc);
    const got: unknown[] = [];
    api.subscribe('app.openDocument', () => {
      throw new Error('renderer bug');
    });
    api.subscribe('app.openDocument', (p) => got.push(p));
    ipc.fromMain(null);
    ipc.fromMain({ event: 42 });
    ipc.fromMain({ event: 'app.openDocument', payload: { kind: 'act', id: 'x' } });
    expect(got).toEqual([{ kind: 'act', id: 'x' }]);
  });

  it('refuses unknown events and non-function listeners', () => {
    const api = createPreloadApi(new FakeIpcRenderer());
    expect(() => api.subscribe('ipc.secret', () => {})).toThrow(/unknown event/);
    expect(() => api.subscribe('app.busy', 'x' as never)).toThrow(/function/);
  });
});
