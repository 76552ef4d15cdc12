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
