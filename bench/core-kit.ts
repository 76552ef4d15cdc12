// Kit for core's tests and benchmarks: the real cloud on an ephemeral port (PGlite in a temp folder, demo tenant), core over a temp
// profile folder with the in-memory key vault, and the НУЦ test keys. No stand-ins.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCloud, type CloudServer, type StartOptions } from '../cloud/src/server';
import { TEST_CRL, TEST_PKI_DIR } from '../cloud/src/signatures';
import { createKenseClient, type KenseApi } from '../contract/ipc';
import { Core, type CoreOptions } from '../electron/core/core';
import { coreDispatcher } from '../electron/core/ipc/handlers';
import { MemoryKeyVault, type KeyVault } from '../electron/core/store/key-vault';

export const HEAD_P12 = path.join(TEST_PKI_DIR, 'gost2022-test/legal/valid/head.p12');
export const SIGNRIGHT_P12 = path.join(TEST_PKI_DIR, 'gost2022-test/legal/valid/employee_signright.p12');
export const EMPLOYEE_P12 = path.join(TEST_PKI_DIR, 'gost2022-test/legal/valid/employee.p12');
export const P12_PASSWORD = 'Qwerty12';
export const DEMO = { head: '123456789011', accountant: '123456789012', password: 'Kense-Demo-2026!' };

export function tempDir(prefix = 'kense-core-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestCloud {
  server: CloudServer;
  url: string;
  dataDir: string;
  /** Stops the server (its data stays): the cloud is unreachable. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; `newEpoch`: as after restoring a backup (every cursor resets). */
  restart(o?: { newEpoch?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function startTestCloud(o: StartOptions & { acts?: number } = {}): Promise<TestCloud> {
  const tmp = tempDir('kense-core-cloud-');
  const base: StartOptions = {
    port: 0, trust: 'test', crlFiles: [TEST_CRL], dataDir: tmp.dir, tickIntervalSec: 0,
    rateLimit: { perIpPerMinute: 100_000, perIinPerMinute: 10_000 },
    ...o,
  };
  let server = await startCloud({ ...base, seed: { kind: 'demo', counterparties: 12, acts: o.acts ?? 60 } });
  const port = Number(new URL(server.url).port);
  let running = true;
  const cloud: TestCloud = {
    get server() {
      return server;
    },
    url: server.url,
    dataDir: tmp.dir,
    async stop() {
      if (!running) return;
      running = false;
      await server.close();
    },
    async restart(r = {}) {
      if (running) await cloud.stop();
      server = await startCloud({ ...base, port, seed: { kind: 'none' }, ...(r.newEpoch ? { newEpoch: true } : {}) });
      running = true;
    },
    async close() {
      await cloud.stop();
      tmp.remove();
    },
  };
  return cloud;
}

export interface TestCore {
  core: Core;
  api: KenseApi;
  root: string;
  vault: KeyVault;
  close(): Promise<void>;
}

/** Core over a temp folder, called through its real dispatcher and the typed client (outputs re-validated). */
export function startTestCore(o: Partial<CoreOptions> & { root?: string } = {}): TestCore {
  const tmp = o.root ? null : tempDir();
  const root = o.root ?? (tmp as { dir: string }).dir;
  const vault = o.vault ?? new MemoryKeyVault();
  const core = new Core({ root, vault, appVersion: '0.1.0', platform: 'cli', deviceName: 'core test', autoSync: false, ...o });
  const dispatcher = coreDispatcher(core);
  const api = createKenseClient(
    { invoke: (op, input) => dispatcher.dispatch(op, input), subscribe: (event, l) => core.events.on(event as never, l as never) },
    { validate: true, locale: () => 'en' },
  );
  return {
    core, api, root, vault,
    async close() {
      await core.close();
      tmp?.remove();
    },
  };
}

/** Acts of `company` with more than one signature of our side: the server holds a duplicate. */
export async function duplicateSignatures(cloud: TestCloud): Promise<{ doc_id: string; n: number }[]> {
  const rows = await cloud.server.services.db
    .selectFrom('signatures')
    .select(['doc_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('side', '=', 'ours')
    .groupBy('doc_id')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  return rows.map((r) => ({ doc_id: r.doc_id, n: Number(r.n) }));
}

/** IDs of incoming acts awaiting our signature, as the server sees them (first manager's token). */
export async function serverSignedActIds(cloud: TestCloud): Promise<Set<string>> {
  const rows = await cloud.server.services.db.selectFrom('signatures').select('doc_id').where('side', '=', 'ours').where('doc_type', '=', 'act').execute();
  return new Set(rows.map((r) => r.doc_id));
}

export interface FlakyMode {
  /** Probability a request's connection is dropped before it reaches the server. */
  dropBefore: number;
  /** Probability the server's answer is lost (the request was processed, the connection dropped). */
  dropAfter: number;
  /** Probability of a 502/503 from the "proxy". */
  error: number;
  /** Probability the answer's body is cut mid-way. */
  cut: number;
  /** Extra delay, 0..delayMs. */
  delayMs: number;
  /** Shift of the Date header the client sees (a server clock that differs). */
  dateSkewMs: number;
}

export interface FlakyProxy {
  url: string;
  mode: FlakyMode;
  /** What happened, by fate. */
  counts: Record<'ok' | 'dropBefore' | 'dropAfter' | 'error' | 'cut', number>;
  heal(): void;
  close(): Promise<void>;
}

/** A loopback HTTP proxy in front of the cloud that misbehaves on purpose (seeded randomness). */
export async function startFlakyProxy(target: () => string, mode: Partial<FlakyMode>, random: () => number): Promise<FlakyProxy> {
  const { createServer, request } = await import('node:http');
  const m: FlakyMode = { dropBefore: 0, dropAfter: 0, error: 0, cut: 0, delayMs: 0, dateSkewMs: 0, ...mode };
  const counts = { ok: 0, dropBefore: 0, dropAfter: 0, error: 0, cut: 0 };
  const server = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      setTimeout(() => {
        if (random() < m.dropBefore) {
          counts.dropBefore++;
          req.socket.destroy();
          return;
        }
        if (random() < m.error) {
          counts.error++;
          res.writeHead(random() < 0.5 ? 502 : 503, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
          return;
        }
        const t = new URL(target());
        const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } }, (upRes) => {
          const chunks: Buffer[] = [];
          upRes.on('data', (c: Buffer) => chunks.push(c));
          upRes.on('end', () => {
            const data = Buffer.concat(chunks);
            if (random() < m.dropAfter) {
              counts.dropAfter++;
              req.socket.destroy();
              return;
            }
            const headers = { ...upRes.headers };
            if (m.dateSkewMs && headers.date) headers.date = new Date(Date.parse(headers.date) + m.dateSkewMs).toUTCString();
            if (data.length > 10 && random() < m.cut) {
              counts.cut++;
              res.writeHead(upRes.statusCode ?? 200, { ...headers, 'content-length': String(data.length) });
              res.write(data.subarray(0, Math.floor(data.length / 2)));
              setTimeout(() => req.socket.destroy(), 5);
              return;
            }
            counts.ok++;
            res.writeHead(upRes.statusCode ?? 200, headers).end(data);
          });
        });
        up.on('error', () => req.socket.destroy());
        up.end(Buffer.concat(body));
      }, m.delayMs ? Math.floor(random() * m.delayMs) : 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    mode: m,
    counts,
    heal() {
      Object.assign(m, { dropBefore: 0, dropAfter: 0, error: 0, cut: 0, delayMs: 0 });
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A seeded generator (the seeds' mulberry32): failures a test hits can be replayed with the same seed. */
export { prng as seeded } from '../cloud/src/seed/generate';

/**
 * A bench/ script bundled with esbuild into .bench-build/ (same depth as bench/): a plain `node` start is ~5× faster
 * than tsx, and the process holds only what the script imports (core's RSS is measured that way).
 */
export async function bundleScript(name: string): Promise<string> {
  const { mkdirSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const src = path.join(root, 'bench', `${name}.ts`);
  const out = path.join(root, '.bench-build', `${name}.mjs`);
  // built every time (about a second): a cached bundle would keep running yesterday's core after a change
  const { build } = await import('esbuild');
  mkdirSync(path.dirname(out), { recursive: true });
  await build({ entryPoints: [src], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
  return out;
}
