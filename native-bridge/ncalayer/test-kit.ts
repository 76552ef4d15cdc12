// Real peers for tests of the NCALayer client: wss servers that misbehave on purpose (wrong greeting,
// malformed replies, closing mid-request), a plain HTTP listener, and a TLS identity in a temp folder.
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { isKenseError, type ErrorCode } from '../../contract/errors';
import { SignerFilterSchema, type SignerFilter, type SignerFilterInput } from '../../contract/signing';
import { ensureEmulatorTls, type EmulatorTlsIdentity } from '../signer/emulator-tls';
import { EmulatorKeyring, scanKeyring } from '../signer/emulator-keyring';
import { startNcaLayerServer, type NcaLayerServerOptions } from '../signer/emulator-server';

/** The НУЦ test keys the emulator and the bundled signer use in tests (every password `Qwerty12`). */
export const TEST_KEYS_DIR = path.resolve(import.meta.dirname, '../../resources/test-pki/gost2022-test/legal/valid');

/** The error code a promise ends with, or 'resolved'; anything that is not a KenseError is rethrown. */
export async function codeOf(p: Promise<unknown>): Promise<ErrorCode | 'resolved'> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    if (!isKenseError(e)) throw e;
    return e.code;
  }
}

/** A signer filter that allows the НУЦ test keys, narrowed by `x`. */
export const testFilter = (x: SignerFilterInput = {}): SignerFilter => SignerFilterSchema.parse({ allowTestKeys: true, ...x });

/** Closes a listening server after destroying the sockets it holds. */
function closeServer(server: net.Server, sockets: Iterable<{ destroy(): void }> = []): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise<void>((r) => {
    server.close(() => r());
    (server as http.Server).closeAllConnections?.();
  });
}

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
    close: () => {
      wss.close();
      return closeServer(server, [...sockets].map((s) => ({ destroy: () => s.terminate() })));
    },
  };
}

/** Something that is not NCALayer on a port: a plain HTTP server, or an HTTPS server without WebSocket. */
export async function otherServer(kind: 'http' | 'https', identity?: Pick<EmulatorTlsIdentity, 'keyPem' | 'certPem'>) {
  const handler = (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(404).end('not here');
  const server = kind === 'http' ? http.createServer(handler) : https.createServer({ key: identity?.keyPem, cert: identity?.certPem }, handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `wss://127.0.0.1:${port}`, close: () => closeServer(server) };
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
  return { url: `wss://127.0.0.1:${port}`, close: () => closeServer(server, socks) };
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
  const entries = await scanKeyring(o.keysDir ?? TEST_KEYS_DIR);
  const keyring = new EmulatorKeyring({ keys: entries, password: async () => o.password ?? 'Qwerty12', offerTestKeys: o.offerTestKeys });
  const requests: { module: string; method: string; raw: unknown }[] = [];
  const server = await startNcaLayerServer({ backend: keyring, tls: { key: identity.keyPem, cert: identity.certPem }, port: 0, ...o, onRequest: (r) => requests.push(r) });
  return { ...server, requests, keyring };
}
