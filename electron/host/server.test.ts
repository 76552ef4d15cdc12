// The host's doors: only 127.0.0.1, only our Host header, the WebSocket only from our origin with the run's token;
// files only from the build folder, with the strict CSP; calls and events cross as the contract's wire messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { createDispatcher, createEventHub, createKenseClient, endpointTransport, serveEndpoint } from '../../contract/ipc';
import { platformDispatcher } from './platform';
import { IPC_SUBPROTOCOL, startHostServer, wsEndpoint, type HostServer } from './server';

const TOKEN = 'a'.repeat(64);
let dir: string;
let server: HostServer;
const hub = createEventHub();

function get(p: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: p, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function open(opts: { origin?: string; protocols?: string[]; host?: string }): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ipc`, opts.protocols ?? [IPC_SUBPROTOCOL, `token.${TOKEN}`], {
      origin: opts.origin ?? server.origin,
      headers: opts.host ? { host: opts.host } : {},
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kense-host-'));
  mkdirSync(path.join(dir, 'www', 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'www', 'index.html'), '<!doctype html><title>office</title>');
  writeFileSync(path.join(dir, 'www', 'assets', 'a.js'), 'export {}');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  const core = createDispatcher({ 'app.busy': () => ({ signing: false, pushing: true }) } as never, { locale: () => 'ru' });
  const platform = platformDispatcher({ downloadsDir: path.join(dir, 'downloads'), keyDirs: [], locale: () => 'en' });
  server = await startHostServer({
    staticDir: path.join(dir, 'www'),
    token: TOKEN,
    onConnection: (endpoint) => serveEndpoint(endpoint, { handles: () => true, dispatch: (op, input, ctx) => (platform.handles(op) ? platform.dispatch(op, input, ctx) : core.dispatch(op, input, ctx)) }, hub),
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('headless host server', () => {
  it('listens on 127.0.0.1 and prints the token only in the fragment', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.openUrl).toBe(`${server.origin}/#token=${TOKEN}`);
  });

  it('serves the office with a strict CSP and refuses traversal and foreign hosts', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect((await get('/assets/a.js')).status).toBe(200);
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
  });

  it('refuses a socket without the token, with a wrong token, from another origin or host', async () => {
    expect(await open({ protocols: [IPC_SUBPROTOCOL] })).toBe(401);
    expect(await open({ protocols: [IPC_SUBPROTOCOL, `token.${'b'.repeat(64)}`] })).toBe(401);
    expect(await open({ origin: 'http://evil.example' })).toBe(403);
    expect(await open({ host: 'localhost:1' })).toBe(421);
  });

  it('carries calls, errors and events of the contract over the socket', async () => {
    const ws = await open({});
    expect(ws).toBeInstanceOf(WebSocket);
    const sock = ws as WebSocket;
    expect(sock.protocol).toBe(IPC_SUBPROTOCOL);
    const transport = endpointTransport(wsEndpoint(sock));
    const api = createKenseClient(transport);
    expect(await api.invoke('app.busy')).toEqual({ signing: false, pushing: true });
    await expect(api.invoke('home.get')).rejects.toMatchObject({ code: 'IPC_UNKNOWN_OPERATION' });
    const saved = await api.invoke('files.save', { suggestedName: '../../Акт Т-1.pdf', mime: 'application/pdf', contentBase64: Buffer.from('%PDF').toString('base64') });
    expect(path.dirname(saved.path!)).toBe(path.join(dir, 'downloads'));
    expect(path.basename(saved.path!)).toBe('Акт Т-1.pdf');
    const got = new Promise((resolve) => api.on('app.busy', resolve));
    hub.emit('app.busy', { signing: true, pushing: false });
    expect(await got).toEqual({ signing: true, pushing: false });
    sock.close();
  });
});
