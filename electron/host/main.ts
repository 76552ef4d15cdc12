// `npm run start:web`: the headless host. Core (in this process) + the built office over http and the IPC contract
// over a WebSocket, on 127.0.0.1 only, with a per-run token. With no configuration it starts the embedded demo
// (reference cloud with the demo tenant, NCALayer emulator with the НУЦ test keys) and prints the address to open.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serveEndpoint } from '../../contract/ipc';
import type { Locale } from '../../contract/errors';
import { REPO_ROOT } from './children';
import { EmbeddedDemo } from './demo';
import { openCore, type CoreHandle } from '../core';
import { platformDispatcher, routeDispatcher } from './platform';
import { startHostServer, type HostServer } from './server';
import { portOr, readPorts, writePorts } from './ports';

const HELP = `npm run start:web -- [options]   (node electron/host/start.mjs [options])

The Kense office in any Chromium: core + the built renderer on http://127.0.0.1, the IPC contract over a WebSocket
guarded by a per-run token. With no --cloud-url it starts the demo: kense cloud serve --seed demo and the NCALayer
emulator over the НУЦ test keys (password Qwerty12), in .kense-data/web.
  --port N              port of the office (default: the one it had last time, else any free port; 0: any)
  --data DIR            profile and demo data (default .kense-data/web)
  --cloud-url URL       a kense cloud to use instead of the demo
  --ncalayer-url URL    NCALayer to sign with (default wss://127.0.0.1:13579 with --cloud-url)
  --ncalayer-ca FILE    trust this CA for NCALayer's TLS (the emulator's ca.crt)
  --key-dir DIR         where key files (.p12) are looked for (repeatable; the demo: its users' test keys)
  --test-control        e2e only: open a loopback control endpoint that stops/starts the demo cloud
`;

export interface HostOptions {
  port?: number;
  dataDir: string;
  cloudUrl?: string;
  ncalayerUrl?: string;
  ncalayerCa?: string;
  keyDirs?: string[];
  testControl?: boolean;
  log?: (line: string) => void;
}

export interface RunningHost {
  server: HostServer;
  demo: EmbeddedDemo | null;
  control: { url: string; token: string } | null;
  close(): Promise<void>;
}

export async function startHost(o: HostOptions): Promise<RunningHost> {
  // The office's port, when not given, is the one it had last time (if free): the browser keeps the office's code
  // cached for an origin, so a daily start opens faster.
  mkdirSync(o.dataDir, { recursive: true });
  const portFile = path.join(o.dataDir, 'office-port.json');
  const port = o.port ?? (await portOr(readPorts(portFile).office));
  const demo = o.cloudUrl ? null : new EmbeddedDemo(path.join(o.dataDir, 'demo'), [port]);
  try {
    const host = await startHostWith({ ...o, port }, demo);
    if (o.port === undefined) writePorts(portFile, { office: host.server.port });
    return host;
  } catch (e) {
    // The demo's servers are child processes: a host that could not start must not leave them behind.
    await demo?.stop().catch(() => undefined);
    throw e;
  }
}

async function startHostWith(o: HostOptions, demo: EmbeddedDemo | null): Promise<RunningHost> {
  const log = o.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const token = randomBytes(32).toString('hex');
  let locale: Locale = 'ru';
  const keyDirs = o.keyDirs?.length ? o.keyDirs : demo ? [demo.keyringDir] : [];

  // The office opens at once (from the cache); the demo's servers come up behind it on addresses chosen now.
  const planned = demo ? await demo.plan() : null;
  const endpoints = planned?.endpoints ?? null;
  // On the very first start the emulator creates its TLS CA, which core reads when it opens: wait for it (≈1 s).
  if (planned && !existsSync(planned.endpoints.ncalayerCaFile)) await planned.emulator.catch(() => undefined);
  const caFile = o.ncalayerCa ?? endpoints?.ncalayerCaFile ?? null;
  const core: CoreHandle = await openCore({
    dataDir: path.join(o.dataDir, 'profile'),
    cloudUrl: o.cloudUrl ?? endpoints?.cloudUrl ?? null,
    ncalayer: { url: o.ncalayerUrl ?? endpoints?.ncalayerUrl ?? 'wss://127.0.0.1:13579', caFile: caFile && existsSync(caFile) ? caFile : null },
    keyDirs,
    testTrust: demo !== null,
    locale: () => locale,
  });
  const platform = platformDispatcher({ downloadsDir: path.join(o.dataDir, 'downloads'), keyDirs, locale: () => locale });
  const dispatcher = routeDispatcher(platform, core.dispatcher);
  // The language of errors follows the office's setting.
  core.events.onAny((event, payload) => {
    if (event === 'session.changed' || event === 'data.changed') void dispatcher.dispatch('settings.get', {}).then((r) => {
      if (r.ok) locale = (r.output as { language: Locale }).language;
    });
    void payload;
  });
  const serve = (port: number | undefined) =>
    startHostServer({ staticDir: path.join(REPO_ROOT, 'dist', 'renderer'), port, token, onConnection: (endpoint) => serveEndpoint(endpoint, dispatcher, core.events) });
  // A remembered port taken meanwhile by another program: any free one.
  const server = await serve(o.port).catch((e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? serve(0) : Promise.reject(e)));

  let control: RunningHost['control'] = null;
  let controlServer: Server | null = null;
  if (o.testControl && demo) {
    const ctl = await startTestControl(demo);
    control = { url: ctl.url, token: ctl.token };
    controlServer = ctl.server;
  }

  if (planned) {
    // First start seeds the demo tenant (≈15 s); later starts reuse it.
    log('  starting the demo cloud and the NCALayer emulator…');
    try {
      await planned.ready;
    } catch (e) {
      log(`  the demo could not start: ${(e as Error).message} — the office still opens from its cache`);
    }
  }
  log('');
  log('  Kense Office (headless host) is running.');
  log(`  Open: ${server.openUrl}`);
  if (endpoints) {
    log(`  demo cloud:  ${endpoints.cloudUrl}/v1   NCALayer emulator: ${endpoints.ncalayerUrl} (test keys, signs without asking)`);
    log('  sign in with a test key (ЭЦП tab → NCALayer) or with ИИН + password:');
    for (const u of endpoints.users) log(`    ${u.iin}  ${u.password}  ${u.role.padEnd(14)} ${u.name}`);
  }
  if (control) log(`  test control: ${control.url} token ${control.token}`);
  log('  Ctrl+C stops it.');

  return {
    server,
    demo,
    control,
    async close() {
      controlServer?.closeAllConnections();
      await new Promise<void>((r) => (controlServer ? controlServer.close(() => r()) : r()));
      await server.close();
      await core.close();
      await demo?.stop();
    },
  };
}

/**
 * e2e only (--test-control): a second loopback endpoint, with its own token, that stops and starts the demo cloud —
 * "the network went away" for the office. Never opened in a normal run.
 */
async function startTestControl(demo: EmbeddedDemo): Promise<{ server: Server; url: string; token: string }> {
  const token = randomBytes(24).toString('hex');
  const server = createServer((req, res) => {
    const send = (status: number, body: object) => {
      // No keep-alive: the e2e calls seconds apart, and a pooled socket closed meanwhile fails the next call.
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'close' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}` || req.headers.origin) return send(401, { error: 'unauthorized' });
    const run = async () => {
      if (req.method === 'POST' && req.url === '/cloud/stop') await demo.stopCloud();
      else if (req.method === 'POST' && req.url === '/cloud/start') await demo.startCloud();
      else if (!(req.method === 'GET' && req.url === '/state')) return send(404, { error: 'not found' });
      send(200, { cloudRunning: demo.cloudRunning, cloudUrl: demo.endpoints?.cloudUrl ?? null });
    };
    run().catch((e: Error) => send(500, { error: e.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  return { server, token, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        'cloud-url': { type: 'string' },
        'ncalayer-url': { type: 'string' },
        'ncalayer-ca': { type: 'string' },
        'key-dir': { type: 'string', multiple: true },
        'test-control': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    process.stderr.write(`--port must be 0…65535\n\n${HELP}`);
    return 2;
  }
  let host: RunningHost;
  try {
    host = await startHost({
      port,
      dataDir: path.resolve(values.data ?? path.join(REPO_ROOT, '.kense-data', 'web')),
      cloudUrl: values['cloud-url'],
      ncalayerUrl: values['ncalayer-url'],
      ncalayerCa: values['ncalayer-ca'],
      keyDirs: values['key-dir']?.map((d) => path.resolve(d)),
      testControl: values['test-control'] ?? false,
    });
  } catch (e) {
    process.stderr.write(`kense host: could not start: ${(e as Error).message}\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('kense host: stopping…\n');
  await host.close();
  return 0;
}
