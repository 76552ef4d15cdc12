// Sync pull benchmark: 100 000 documents pulled page by page (1 000 per page) over loopback HTTP from a
// separate `kense cloud serve` process, on PGlite and on PostgreSQL; the client parses every page (fetch +
// JSON). Reference: the same keyset pages read straight from the same database by this process (no HTTP, no
// auth, no JSON parsing). The cores are shared with other work, so the CPU time the server process and this
// client spent per pull is printed beside the wall-clock figure (Linux: /proc; elsewhere only the client's).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { measure, report } from './harness';
import { openDatabase } from '../cloud/src/db/connect';
import { createThrowawayDatabase } from '../cloud/test/pg-database';

const DOCS = Number(process.env.KENSE_BENCH_DOCS ?? 100_000);
const PAGE = 1000;
const KENSE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../cli/bin/kense.mjs');

interface Served {
  url: string;
  pid: number | undefined;
  iin: string;
  password: string;
  seedLine: string;
  stop(): Promise<void>;
}

/** Starts `kense cloud serve --seed bench:N` and waits for its URL and credentials. */
function serve(args: string[], env: NodeJS.ProcessEnv): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [KENSE, 'cloud', 'serve', '--port', '0', '--trust', 'test', '--seed', `bench:${DOCS}`, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 15 * 60_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const url = /URL:\s+(\S+)\/v1/.exec(out)?.[1];
      const cred = /^\s+(\d{12})\s+(\S+)\s+first_manager/m.exec(out);
      if (url && cred && out.includes('Ctrl+C')) {
        clearTimeout(timer);
        resolve({
          url, pid: child.pid, iin: cred[1], password: cred[2], seedLine: /tenant: .*$/m.exec(out)?.[0] ?? '',
          stop: () => new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }),
        });
      }
    });
    child.stderr!.on('data', (d) => (out += String(d)));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

/** CPU time (user + system) a process has used, in ms, or null where /proc is not there. */
function processCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

async function pullAll(url: string, token: string): Promise<number> {
  let cursor = '';
  let n = 0;
  for (;;) {
    const res = await fetch(`${url}/v1/sync/changes?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    const page = (await res.json()) as { changes: { entity: string }[]; cursor: string; hasMore: boolean };
    for (const c of page.changes) if (c.entity === 'act') n++;
    cursor = page.cursor;
    if (!page.hasMore) return n;
  }
}

async function directRate(opts: { dataDir?: string; databaseUrl?: string }, docs: number): Promise<number> {
  const o = await openDatabase(opts);
  try {
    const company = await o.db.selectFrom('companies').select('id').where('iin_bin', '=', '240140000011').executeTakeFirstOrThrow();
    const m = await measure('direct', async () => {
      let seq = 0;
      for (;;) {
        const rows = await sql<{ seq: number; data: string }>`select seq, data from feed where company_id = ${company.id} and seq > ${seq} order by seq limit ${PAGE}`.execute(o.db);
        if (rows.rows.length < PAGE) return;
        seq = rows.rows[rows.rows.length - 1].seq;
      }
    }, { warmup: 1, runs: 5, budgetMs: 60_000 });
    return docs / (m.medianMs / 1000);
  } finally {
    await o.close();
  }
}

async function benchOne(label: string, opts: { dataDir?: string; databaseUrl?: string }, goal?: number): Promise<void> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const t0 = Date.now();
  const s = await serve(opts.databaseUrl ? ['--database-url', opts.databaseUrl] : ['--data', opts.dataDir!], env);
  let rate = 0;
  let got = 0;
  let cpu = '';
  try {
    console.log(`  ${label}: ${s.seedLine} (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
    const login = await fetch(`${s.url}/v1/auth/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ iin: s.iin, password: s.password, device: { id: 'bench-device', name: 'bench', platform: 'cli' } }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    got = await pullAll(s.url, accessToken);
    if (got < DOCS) throw new Error(`pulled ${got} documents, expected ${DOCS}`);
    const server0 = processCpuMs(s.pid);
    const client0 = process.cpuUsage();
    const m = await measure(`${label} pull`, () => pullAll(s.url, accessToken), { warmup: 1, runs: 5, budgetMs: 90_000 });
    const client = process.cpuUsage(client0);
    const server1 = processCpuMs(s.pid);
    rate = got / (m.medianMs / 1000);
    const perPull = (ms: number) => `${(ms / (m.runs + 1) / 1000).toFixed(2)} s`; // the warm-up pull included
    cpu = `; CPU per pull: server ${server0 === null || server1 === null ? 'n/a' : perPull(server1 - server0)}, client ${perPull((client.user + client.system) / 1000)} (load average ${os.loadavg()[0].toFixed(1)})`;
  } finally {
    await s.stop();
  }
  const ref = await directRate(opts, got);
  report({
    what: `${label}: pull ${got.toLocaleString('en')} documents over loopback HTTP (${PAGE}/page, server in its own process)`,
    ours: `${Math.round(rate).toLocaleString('en')} docs/s${cpu}`,
    goal: goal ? `≥ ${goal.toLocaleString('en')} docs/s` : 'none (embedded storage)',
    reference: `same pages read straight from ${label}, no HTTP: ${Math.round(ref).toLocaleString('en')} docs/s`,
    ratio: rate / ref,
    pass: goal ? rate >= goal : true,
  });
}

/** KENSE_BENCH_STORAGE=postgres|pglite runs one of the two. PostgreSQL goes first: the PGlite reference
 * read loads a WASM Postgres into this process, which would then weigh on the client's garbage collector. */
export async function run(): Promise<void> {
  const only = process.env.KENSE_BENCH_STORAGE;
  if (only !== 'pglite') await runPostgres();
  // PGlite keeps its data folder between runs so the seed is made once.
  if (only !== 'postgres') await benchOne('PGlite', { dataDir: path.join(os.tmpdir(), `kense-bench-pglite-${DOCS}`) });
}

async function runPostgres(): Promise<void> {
  const admin = process.env.KENSE_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!admin) {
    console.log('SKIP PostgreSQL: set KENSE_TEST_DATABASE_URL (or DATABASE_URL) to a server this benchmark may create a database on');
    return;
  }
  const db = await createThrowawayDatabase(admin, 'kense_bench');
  try {
    await benchOne('PostgreSQL', { databaseUrl: db.url }, 20_000);
  } finally {
    await db.drop();
  }
}
