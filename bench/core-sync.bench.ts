// Core end to end with 100 000 documents: the initial sync from the reference cloud on PostgreSQL over loopback
// (`kense cloud serve --seed bench:N` in its own process; core in this one: fetch + parse + apply into the encrypted
// database), with the largest event-loop stall; then full-text search p95 through the IPC dispatcher, opening the
// 100 000-document profile to its first query, and this process's RSS holding it. Reference (same run): the bare
// pull of the same pages (fetch + JSON.parse, nothing stored). Needs KENSE_TEST_DATABASE_URL (a throwaway
// PostgreSQL, as .ci/run starts one); without it the bench says it is skipped.
import os from 'node:os';
import { report } from './harness';
import { serveProcess } from '../cloud/test/serve-process';
import { spawnSync } from 'node:child_process';
import { bundleScript, tempDir } from './core-kit';
import { createThrowawayDatabase } from '../cloud/test/pg-database';

const DOCS = Number(process.env.KENSE_BENCH_DOCS ?? 100_000);
const PG_URL = process.env.KENSE_TEST_DATABASE_URL;

async function bareRate(url: string, token: string): Promise<number> {
  const t0 = performance.now();
  let cursor = '';
  let n = 0;
  for (;;) {
    const res = await fetch(`${url}/v1/sync/changes?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    const page = (await res.json()) as { changes: unknown[]; cursor: string; hasMore: boolean };
    n += page.changes.length;
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return n / ((performance.now() - t0) / 1000);
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

export async function run(): Promise<void> {
  if (!PG_URL) {
    console.log('SKIPPED core-sync: KENSE_TEST_DATABASE_URL is not set (start a throwaway PostgreSQL as .ci/run does)');
    return;
  }
  const db = await createThrowawayDatabase(PG_URL, 'kense_core_bench');
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const t0 = Date.now();
  const served = serveProcess(['--database-url', db.url, '--port', '0', '--trust', 'test', '--seed', `bench:${DOCS}`], { env, timeoutMs: 15 * 60_000 });
  const root = tempDir('kense-bench-core-');
  try {
    const { url, users } = await served.ready;
    const user = users[0];
    console.log(`cloud on PostgreSQL with ${DOCS} documents ready in ${((Date.now() - t0) / 1000).toFixed(0)} s; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    const script = await bundleScript('core-sync-child');
    const child = (extra: Record<string, string>) => {
      // KENSE_BENCH_CHILD_ARGS: extra node flags for core's process (e.g. --cpu-prof to see where a stall comes from)
      const extraArgs = (process.env.KENSE_BENCH_CHILD_ARGS ?? '').split(' ').filter(Boolean);
      const r = spawnSync(process.execPath, ['--expose-gc', ...extraArgs, script], { env: { ...process.env, KENSE_BENCH_ROOT: root.dir, KENSE_BENCH_CLOUD: url, ...extra }, encoding: 'utf8', timeout: 15 * 60_000 });
      const line = r.stdout.trim().split('\n').pop() ?? '';
      try {
        return JSON.parse(line) as Record<string, number | string | null>;
      } catch {
        throw new Error(`core child failed: ${r.stdout}\n${r.stderr}`);
      }
    };
    // the reference: the same pages pulled bare by this process
    const login = (await (await fetch(`${url}/v1/auth/password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ iin: user.iin, password: user.password }) })).json()) as { accessToken: string };
    const ref = await bareRate(url, login.accessToken);
    const r = child({ MODE: 'sync', KENSE_BENCH_IIN: user.iin, KENSE_BENCH_PASSWORD: user.password });
    if (r.crash || r.error || (r.total as number) < DOCS) throw new Error(`sync did not complete: ${JSON.stringify(r)}`);
    const total = r.total as number;
    const rate = total / ((r.syncMs as number) / 1000);
    report({ what: `initial sync of ${total} documents from the cloud on PostgreSQL, end to end (core in its own process)`, ours: `${Math.round(rate)} docs/s (${((r.syncMs as number) / 1000).toFixed(1)} s)`, goal: '≥ 10 000 docs/s', reference: `bare pull of the same pages, nothing stored: ${Math.round(ref)} docs/s`, ratio: rate / ref, pass: rate >= 10_000 });
    if (process.env.KENSE_BENCH_CHILD_ARGS) console.log(`     (the largest stall ended at ${Math.round(r.maxStallAt as number)} ms of core's process clock)`);
    report({ what: 'largest stall of core’s event loop during the initial sync', ours: `${(r.maxStall as number).toFixed(1)} ms`, goal: '≤ 50 ms', pass: (r.maxStall as number) <= 50 });
    report({ what: `core RSS holding ${total} documents (core alone in its process, after GC)`, ours: `${(r.rssMb as number).toFixed(0)} MB (${(r.rssAfterSearchMb as number).toFixed(0)} MB after the searches)`, goal: '≤ 250 MB', pass: (r.rssMb as number) <= 250 });
    report({ what: `full-text search over ${total} documents, first 100 hits (200 queries: names, numbers, БИН, amounts)`, ours: `p95 ${(r.ftsP95 as number).toFixed(1)} ms (median ${(r.ftsMedian as number).toFixed(1)} ms; count p95 ${(r.countP95 as number).toFixed(1)} ms)`, goal: 'p95 ≤ 20 ms', reference: `a window without search p95 ${(r.plainP95 as number).toFixed(1)} ms`, pass: (r.ftsP95 as number) <= 20 });
    const opens: number[] = [];
    for (let i = 0; i < 5; i++) opens.push(child({ MODE: 'open', KENSE_BENCH_PROFILE: r.profileId as string }).openMs as number);
    report({ what: `open a ${total}-document profile to its first query (cold process: core loaded, keyed, probed, migrated, first window)`, ours: `median ${pct(opens, 0.5).toFixed(0)} ms (max ${Math.max(...opens).toFixed(0)} ms)`, goal: '≤ 300 ms', pass: pct(opens, 0.5) <= 300 });
  } finally {
    await served.stop();
    root.remove();
    await db.drop();
  }
}
