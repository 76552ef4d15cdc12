// The messages both transports carry (Electron: preload ⇄ main ⇄ core over ipcRenderer/MessagePort; headless host:
// JSON over a loopback WebSocket). Plain data only: strings, numbers, booleans, arrays, objects — no Dates, no bytes.
import { z } from 'zod';
import { zIpcError } from './views';

/** Bumped when an operation or event changes incompatibly. */
export const IPC_VERSION = 1;

/** Every Electron IPC channel of the app starts with this; main refuses any other. */
export const IPC_CHANNEL_PREFIX = 'kense:';
export const IPC_CHANNELS = {
  /** renderer → main: (op, input) → WireResult. */
  invoke: 'kense:invoke',
  /** main → renderer: {event, payload}. */
  event: 'kense:event',
} as const;

export const zWireResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), output: z.unknown() }),
  z.object({ ok: z.literal(false), error: zIpcError }),
]);
export type WireResult = z.infer<typeof zWireResult>;

export const zWireCall = z.object({ type: z.literal('call'), id: z.int().min(0), op: z.string().max(100), input: z.unknown() });
export const zWireReply = z.object({ type: z.literal('result'), id: z.int().min(0), result: zWireResult });
export const zWireEvent = z.object({ type: z.literal('event'), event: z.string().max(100), payload: z.unknown() });
export const zWireMessage = z.discriminatedUnion('type', [zWireCall, zWireReply, zWireEvent]);
export type WireCall = z.infer<typeof zWireCall>;
export type WireReply = z.infer<typeof zWireReply>;
export type WireEvent = z.infer<typeof zWireEvent>;
export type WireMessage = z.infer<typeof zWireMessage>;

/**
 * What a renderer gets from its platform: `window.kense` in Electron (the preload passes calls to main as data —
 * contextBridge would strip an Error's fields, so failures travel as `{ok: false, error}`), or the WebSocket
 * connection in the headless host. `createKenseClient` turns it into the typed API.
 */
export interface IpcTransport {
  invoke(op: string, input: unknown): Promise<WireResult>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** Anything that moves WireMessages both ways: a MessagePort, process.parentPort, a WebSocket. */
export interface MessageEndpoint {
  send(message: WireMessage): void;
  listen(listener: (message: unknown) => void): () => void;
}
