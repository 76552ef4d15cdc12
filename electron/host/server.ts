// The headless host's network face: the built office over http and the IPC contract over a WebSocket, both on
// 127.0.0.1 only. A page gets in with the per-run token (in the URL's #fragment, never sent in a request line);
// the WebSocket upgrade must come from our own origin and carry the token, and every request must name our host
// (a DNS-rebinding page on another name is refused).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { timingSafeEqual, createHash } from 'node:crypto';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MessageEndpoint, WireMessage } from '../../contract/ipc';
import { OFFICE_MIME, OFFICE_SECURITY_HEADERS, officeContentSecurityPolicy } from '../../contract/office-page';

export const IPC_PATH = '/ipc';
export const IPC_SUBPROTOCOL = 'kense-ipc.v1';
const TOKEN_PROTOCOL_PREFIX = 'token.';
/** verify.file carries up to 2 × 64 MiB in base64. */
const MAX_MESSAGE_BYTES = 192 * 1024 * 1024;

/** The office's policy (contract/office-page.ts, as Electron's app:// handler sends it), plus this host's WebSocket. */
export function contentSecurityPolicy(origin: string): string {
  return officeContentSecurityPolicy([origin.replace(/^http/, 'ws')]);
}

export interface HostServerOptions {
  staticDir: string;
  port?: number;
  token: string;
  /** A page's socket passed the checks: serve the IPC contract on it. Returns the function that stops serving. */
  onConnection(endpoint: MessageEndpoint, info: { remote: string }): () => void;
}

export interface HostServer {
  url: string;
  origin: string;
  port: number;
  /** The address a user opens (the token in the fragment). */
  openUrl: string;
  connections(): number;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The contract's message endpoint over a `ws` socket (either end: the host's side, or a Node client of the host). */
export function wsEndpoint(ws: WebSocket): MessageEndpoint {
  return {
    send(message: WireMessage) {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    listen(listener) {
      const onMessage = (data: Buffer, isBinary: boolean) => {
        if (isBinary) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString('utf8'));
        } catch {
          return;
        }
        listener(parsed);
      };
      ws.on('message', onMessage);
      return () => void ws.off('message', onMessage);
    },
  };
}

export async function startHostServer(opts: HostServerOptions): Promise<HostServer> {
  const root = path.resolve(opts.staticDir);
  if (!existsSync(path.join(root, 'index.html'))) {
    throw new Error(`the office is not built: ${path.join(root, 'index.html')} is missing (run npm run build:renderer)`);
  }
  let origin = '';
  let hostHeader = '';
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  const live = new Set<WebSocket>();

  const refuse = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(text);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.host !== hostHeader) return refuse(res, 421, 'wrong host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(req.url ?? '/', origin).pathname);
    } catch {
      return refuse(res, 400, 'bad path');
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(root, `.${rel}`);
    // Only files inside the build folder: no traversal, no symlinked escapes by name.
    if (!file.startsWith(root + path.sep) || rel.includes('\0')) return refuse(res, 404, 'not found');
    let st;
    try {
      st = statSync(file);
    } catch {
      return refuse(res, 404, 'not found');
    }
    if (!st.isFile()) return refuse(res, 404, 'not found');
    const isHtml = file.endsWith('.html');
    res.writeHead(200, {
      'content-type': OFFICE_MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-length': st.size,
      'cache-control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
      'content-security-policy': contentSecurityPolicy(origin),
      ...OFFICE_SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const deny = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', origin).pathname;
    } catch {
      return deny(400, 'Bad Request');
    }
    if (pathname !== IPC_PATH) return deny(404, 'Not Found');
    if (req.headers.host !== hostHeader) return deny(421, 'Misdirected Request');
    if (req.headers.origin !== origin) return deny(403, 'Forbidden');
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const offered = protocols.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
    if (!protocols.includes(IPC_SUBPROTOCOL) || !offered || !sameSecret(offered.slice(TOKEN_PROTOCOL_PREFIX.length), opts.token)) return deny(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      live.add(ws);
      const stop = opts.onConnection(wsEndpoint(ws), { remote: req.socket.remoteAddress ?? '' });
      ws.on('close', () => {
        live.delete(ws);
        stop();
      });
      ws.on('error', () => ws.terminate());
    });
  });
  // The token must be the one we chose: the server echoes only our protocol name, never the token.
  wss.options.handleProtocols = (protocols: Set<string>) => (protocols.has(IPC_SUBPROTOCOL) ? IPC_SUBPROTOCOL : false);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  hostHeader = `127.0.0.1:${port}`;
  origin = `http://${hostHeader}`;
  return {
    url: `${origin}/`,
    origin,
    port,
    openUrl: `${origin}/#token=${opts.token}`,
    connections: () => live.size,
    async close() {
      for (const ws of live) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
