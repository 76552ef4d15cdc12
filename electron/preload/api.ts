// What the preload puts on `window.kense`: the contract's IpcTransport and nothing else — `invoke(op, input)` to
// main (which guards and relays it) and `subscribe(event, listener)` returning the unsubscribe function. The
// renderer never sees ipcRenderer, an IPC event object (its `sender` would reach main's API) or any Node value.
import { IPC_CHANNELS, isEventName, type IpcTransport, type WireResult } from '../../contract/ipc';

/** The part of Electron's ipcRenderer the preload uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createPreloadApi(ipc: RendererIpc): IpcTransport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  ipc.on(IPC_CHANNELS.event, (_event, message) => {
    const m = message as { event?: unknown; payload?: unknown } | null;
    if (!m || typeof m.event !== 'string') return;
    for (const l of [...(listeners.get(m.event) ?? [])]) {
      try {
        l(m.payload);
      } catch {
        // A renderer listener's failure is the renderer's; the others still get the event.
      }
    }
  });
  return Object.freeze({
    invoke(op: string, input: unknown): Promise<WireResult> {
      // Main's guard judges the operation and the input; only plain strings cross.
      return ipc.invoke(IPC_CHANNELS.invoke, String(op), input) as Promise<WireResult>;
    },
    subscribe(event: string, listener: (payload: unknown) => void): () => void {
      if (!isEventName(event)) throw new TypeError(`unknown event: ${String(event).slice(0, 100)}`);
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    },
  });
}
