// Core end to end with 100 000 documents: the initial sync from the reference cloud on PostgreSQL over loopback
// (`kense cloud serve --seed bench:N` in its own process; core in this one: fetch + parse + apply into the encrypted
// database), with the largest event-loop stall; then full-text search p95 through the IPC dispatcher, opening the
// 100 000-document profile to its first query, and this process's RSS holding it. Reference (same run): the bare
// pull of the same pages (fetch + JSON.parse, nothing stored). Needs KENSE_TEST_DATABASE_URL (a throwaway
// PostgreSQL, as .ci/run starts one); without it the bench says it is skipped.
import os from 'node:os';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { report } from './harness';
import { serveProcess } from '../cloud/test/serve-process';
import { startTestCore, tempDir } from './core-kit';
import { maxStall } from './core-apply.bench';
import { MemoryKeyVault } from '../electron/core/store/key-vault';

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
  const name = `kense_core_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const dbUrl = new URL(PG_URL);
  dbUrl.pathname = `/${name}`;
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const t0 = Date.now();
  const served = serveProcess(['--database-url', dbUrl.toString(), '--port', '0', '--trust', 'test', '--seed', `bench:${DOCS}`], { env, timeoutMs: 15 * 60_000 });
  const root = tempDir('kense-bench-core-');
  const vault = new MemoryKeyVault();
  try {
    const { url, users } = await served.ready;
    const user = users[0];
    console.log(`cloud on PostgreSQL with ${DOCS} documents ready in ${((Date.now() - t0) / 1000).toFixed(0)} s; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    const c = startTestCore({ root: root.dir, vault, cloudUrl: url });
    let profileId = '';
    try {
      await c.api.invoke('session.signInWithPassword', { iin: user.iin, password: user.password });
      profileId = c.core.require().id;
      const token = c.core.require().store.meta<{ accessToken: string }>('tokens')!.accessToken;
      const ref = await bareRate(url, token);
      const s0 = performance.now();
      const { result, maxStallMs } = await maxStall(() => c.api.invoke('sync.now', { wait: true }));
      const ms = performance.now() - s0;
      const total = (await c.api.invoke('documents.count', {})).total;
      if (result.lastError || total < DOCS) throw new Error(`sync did not complete: ${JSON.stringify(result.lastError)} (${total} documents)`);
      const rate = total / (ms / 1000);
      report({ what: `initial sync of ${total} documents from the cloud on PostgreSQL, end to end`, ours: `${Math.round(rate)} docs/s (${(ms / 1000).toFixed(1)} s)`, goal: '≥ 10 000 docs/s', reference: `bare pull of the same pages, nothing stored: ${Math.round(ref)} docs/s`, ratio: rate / ref, pass: rate >= 10_000 });
      report({ what: 'largest stall of core’s event loop during the initial sync', ours: `${maxStallMs.toFixed(1)} ms`, goal: '≤ 50 ms', pass: maxStallMs <= 50 });
      global.gc?.();
      const rss = process.memoryUsage().rss / 1024 / 1024;
      report({ what: `core RSS holding ${total} documents (this process: core + the bench)`, ours: `${rss.toFixed(0)} MB`, goal: '≤ 250 MB', pass: rss <= 250 });

      // search as the office types it: name fragments, numbers, БИН prefixes, amounts
      const sample = (await c.api.invoke('documents.list', { offset: 0, limit: 500 })).items;
      const queries = sample.slice(0, 200).map((r, i) => {
        const words = r.counterpartyName.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 3);
        switch (i % 4) {
          case 0: return words[0]?.slice(0, 4) ?? r.number;
          case 1: return r.number;
          case 2: return r.counterpartyIinBin.slice(0, 6);
          default: return (Math.trunc(r.amount / 100)).toLocaleString('ru-RU');
        }
      });
      const times: number[] = [];
      const countTimes: number[] = [];
      for (const q of queries) {
        const a = performance.now();
        await c.api.invoke('documents.list', { filter: { search: q }, offset: 0, limit: 100 });
        times.push(performance.now() - a);
        const b = performance.now();
        await c.api.invoke('documents.count', { filter: { search: q } });
        countTimes.push(performance.now() - b);
      }
      const plain: number[] = [];
      for (let i = 0; i < 50; i++) {
        const a = performance.now();
        await c.api.invoke('documents.list', { offset: i * 1000, limit: 100 });
        plain.push(performance.now() - a);
      }
      report({ what: `full-text search over ${total} documents, first 100 hits (${queries.length} queries)`, ours: `p95 ${pct(times, 0.95).toFixed(1)} ms (median ${pct(times, 0.5).toFixed(1)} ms; count p95 ${pct(countTimes, 0.95).toFixed(1)} ms)`, goal: 'p95 ≤ 20 ms', reference: `a window without search p95 ${pct(plain, 0.95).toFixed(1)} ms`, pass: pct(times, 0.95) <= 20 });
    } finally {
      await c.core.close();
    }
    // open the profile (keyed, probe read, migrations check) to its first query, cold each time
    const opens: number[] = [];
    for (let i = 0; i < 5; i++) {
      const d = startTestCore({ root: root.dir, vault, cloudUrl: url });
      const a = performance.now();
      await d.api.invoke('session.openProfile', { profileId });
      await d.api.invoke('documents.list', { offset: 0, limit: 100 });
      opens.push(performance.now() - a);
      await d.core.close();
    }
    report({ what: `open a ${DOCS}-document profile to its first query`, ours: `median ${pct(opens, 0.5).toFixed(0)} ms (max ${Math.max(...opens).toFixed(0)} ms)`, goal: '≤ 300 ms', pass: pct(opens, 0.5) <= 300 });
  } finally {
    await served.stop();
    root.remove();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
