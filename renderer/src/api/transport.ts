// How the office reaches core: `window.kense` in the desktop app (preload), or the headless host's loopback
// WebSocket — the same wire either way (contract/ipc), so nothing above this file knows which.
import { createKenseClient, endpointTransport, type IpcTransport, type KenseApi, type MessageEndpoint, type WireMessage } from '../../../contract/ipc';
import type { Locale } from '../../../contract/errors';

declare global {
  interface Window {
    kense?: IpcTransport;
  }
}

export const IPC_PATH = '/ipc';
export const IPC_SUBPROTOCOL = 'kense-ipc.v1';
const TOKEN_KEY = 'kense.host.token';

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'no_token';

/**
 * The host's token arrives once in the URL fragment (#token=…). It is kept in this tab's sessionStorage so a reload
 * reconnects, and removed from the address bar so it is not bookmarked or shared by accident.
 */
export function takeHostToken(loc: Location = window.location, storage: Storage = window.sessionStorage): string | null {
  const m = /(?:^#|&)token=([0-9a-f]{32,128})(?:&|$)/.exec(loc.hash);
  if (m) {
    storage.setItem(TOKEN_KEY, m[1]);
    window.history.replaceState(null, '', loc.pathname + loc.search);
    return m[1];
  }
  return storage.getItem(TOKEN_KEY);
}

function socketEndpoint(ws: WebSocket): MessageEndpoint {
  return {
    send(message: WireMessage) {
      if (ws.readyState !== WebSocket.OPEN) throw new Error('socket not open');
      ws.send(JSON.stringify(message));
    },
    listen(listener) {
      const onMessage = (ev: MessageEvent) => {
        if (typeof ev.data !== 'string') return;
        try {
          listener(JSON.parse(ev.data));
        } catch {
          /* not our message */
        }
      };
      ws.addEventListener('message', onMessage);
      return () => ws.removeEventListener('message', onMessage);
    },
  };
}

export interface Connection {
  api: KenseApi;
  state(): ConnectionState;
  onState(listener: (s: ConnectionState) => void): () => void;
}

/** Connects to whichever platform is there. */
export function connect(locale: () => Locale): Connection {
  if (window.kense) {
    const api = createKenseClient(window.kense, { locale });
    return { api, state: () => 'open', onState: () => () => undefined };
  }
  const listeners = new Set<(s: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  const set = (s: ConnectionState) => {
    state = s;
    for (const l of listeners) l(s);
  };
  const token = takeHostToken();
  let transport: ReturnType<typeof endpointTransport> | null = null;
  let opened: Promise<void> = Promise.resolve();
  if (!token) {
    state = 'no_token';
  } else {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${IPC_PATH}`;
    const ws = new WebSocket(url, [IPC_SUBPROTOCOL, `token.${token}`]);
    transport = endpointTransport(socketEndpoint(ws), { locale });
    opened = new Promise<void>((resolve) => {
      ws.addEventListener('open', () => {
        performance.mark('kense:socket-open');
        set('open');
        resolve();
      });
      ws.addEventListener('close', () => {
        transport?.close();
        set('closed');
        resolve();
      });
    });
  }
  // Calls made before the socket opens wait for it rather than failing.
  const waiting: IpcTransport = {
    invoke: async (op, input) => {
      await opened;
      if (!transport) throw new Error('no host token');
      return transport.invoke(op, input);
    },
    subscribe: (event, listener) => transport?.subscribe(event, listener) ?? (() => undefined),
  };
  const api = createKenseClient(waiting, { locale });
  return {
    api,
    state: () => state,
    onState(l) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
}
