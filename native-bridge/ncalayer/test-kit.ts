// Real peers for tests of the NCALayer client: wss servers that misbehave on purpose (wrong greeting,
// malformed replies, closing mid-request), a plain HTTP listener, and a TLS identity in a temp folder.
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ensureEmulatorTls, type EmulatorTlsIdentity } from '../signer/emulator-tls';
import { EmulatorKeyring, scanKeyring } from '../signer/emulator-keyring';
import { startNcaLayerServer, type NcaLayerServerOptions } from '../signer/emulator-server';

export function tempTlsIdentity(): EmulatorTlsIdentity {
  return ensureEmulatorTls(mkdtempSync(path.join(os.tmpdir(), 'kense-nca-tls-')));
}

export interface ScriptedPeer {
  url: string;
  port: number;
  /** Texts received from clients (heartbeats included). */
  received: string[];
  sockets: Set<WebSocket>;
  close(): Promise<void>;
}

/**
 * A wss server whose behaviour is a function: `onConnect` runs when a client connects (send a greeting or
 * not), `onMessage` decides what to do with each text frame.
 */
export async function scriptedPeer(
  identity: Pick<EmulatorTlsIdentity, 'keyPem' | 'certPem'>,
  script: {
    onConnect?: (ws: WebSocket) => void;
    onMessage?: (ws: WebSocket, text: string, index: number) => void;
  },
): Promise<ScriptedPeer> {
  const server = https.createServer({ key: identity.keyPem, cert: identity.certPem });
  const wss = new WebSocketServer({ server });
  const received: string[] = [];
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => {});
    let i = 0;
    (script.onConnect ?? ((w: WebSocket) => w.send('{"result":{"version":"1.4"}}')))(ws);
    ws.on('message', (d) => {
      const text = d.toString();
      received.push(text);
      script.onMessage?.(ws, text, i++);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `wss://127.0.0.1:${port}`,
    port,
    received,
    sockets,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.terminate();
        wss.close();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Something that is not NCALayer on a port: a plain HTTP server, or an HTTPS server without WebSocket. */
export async function otherServer(kind: 'http' | 'https', identity?: Pick<EmulatorTlsIdentity, 'keyPem' | 'certPem'>) {
  const handler = (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(404).end('not here');
  const server = kind === 'http' ? http.createServer(handler) : https.createServer({ key: identity?.keyPem, cert: identity?.certPem }, handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `wss://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A TCP listener that accepts and never says a word. */
export async function silentTcp() {
  const socks = new Set<net.Socket>();
  const server = net.createServer((s) => {
    socks.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `wss://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of socks) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A port nothing listens on (bound, read, released). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The NCALayer emulator over the test keys, in this process (real wss on a free port). */
export async function startTestEmulator(
  identity: EmulatorTlsIdentity,
  o: Partial<Omit<NcaLayerServerOptions, 'backend' | 'tls'>> & { keysDir?: string; offerTestKeys?: boolean; password?: string } = {},
) {
  const entries = await scanKeyring(o.keysDir ?? path.resolve(import.meta.dirname, '../../resources/test-pki/gost2022-test/legal/valid'));
  const keyring = new EmulatorKeyring({ keys: entries, password: async () => o.password ?? 'Qwerty12', offerTestKeys: o.offerTestKeys });
  const requests: { module: string; method: string; raw: unknown }[] = [];
  const server = await startNcaLayerServer({ backend: keyring, tls: { key: identity.keyPem, cert: identity.certPem }, port: 0, ...o, onRequest: (r) => requests.push(r) });
  return { ...server, requests, keyring };
}
