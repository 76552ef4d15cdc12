// Core alone in a process (as in the desktop's utility process), for core-sync.bench.ts: MODE=sync signs in and
// runs the initial sync, measuring wall time, the largest event-loop stall, RSS, and search; MODE=open opens the
// synced profile cold and times it to the first query. Prints one JSON line.
import path from 'node:path';
import { createKenseClient } from '../contract/ipc';
import { Core } from '../electron/core/core';
import { coreDispatcher } from '../electron/core/ipc/handlers';
import { FileKeyVault } from '../electron/core/store/key-vault';
import { maxStall as measureStall } from './core-stall';

const env = process.env;
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function main(): Promise<void> {
  const t0 = performance.now();
  const root = env.KENSE_BENCH_ROOT as string;
  const core = new Core({ root, vault: new FileKeyVault(path.join(root, 'keys')), appVersion: '0.1.0', platform: 'other', deviceName: 'bench', cloudUrl: env.KENSE_BENCH_CLOUD, autoSync: false });
  const dispatcher = coreDispatcher(core);
  const api = createKenseClient({ invoke: (op, input) => dispatcher.dispatch(op, input), subscribe: (e, l) => core.events.on(e as never, l as never) });
  if (env.MODE === 'open') {
    await api.invoke('session.openProfile', { profileId: env.KENSE_BENCH_PROFILE as string });
    const first = await api.invoke('documents.list', { offset: 0, limit: 100 });
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ openMs: ms, rows: first.items.length }));
    await core.close();
    return;
  }
  await api.invoke('session.signInWithPassword', { iin: env.KENSE_BENCH_IIN as string, password: env.KENSE_BENCH_PASSWORD as string });
  const s0 = performance.now();
  const { result: st, maxStallMs: maxStall, maxStallAt } = await measureStall(() => api.invoke('sync.now', { wait: true }));
  const syncMs = performance.now() - s0;
  const total = (await api.invoke('documents.count', {})).total;
  global.gc?.();
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  const sample = (await api.invoke('documents.list', { offset: 0, limit: 500 })).items;
  const queries = sample.slice(0, 200).map((r, i) => {
    const words = r.counterpartyName.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 3);
    return [words[0]?.slice(0, 4) ?? r.number, r.number, r.counterpartyIinBin.slice(0, 6), Math.trunc(r.amount / 100).toLocaleString('ru-RU')][i % 4];
  });
  const list: number[] = [];
  const count: number[] = [];
  for (const q of queries) {
    let a = performance.now();
    await api.invoke('documents.list', { filter: { search: q }, offset: 0, limit: 100 });
    list.push(performance.now() - a);
    a = performance.now();
    await api.invoke('documents.count', { filter: { search: q } });
    count.push(performance.now() - a);
  }
  const plain: number[] = [];
  for (let i = 0; i < 50; i++) {
    const a = performance.now();
    await api.invoke('documents.list', { offset: i * 1000, limit: 100 });
    plain.push(performance.now() - a);
  }
  console.log(JSON.stringify({
    profileId: core.require().id, total, syncMs, maxStall, maxStallAt, rssMb, error: st.lastError?.code ?? null,
    ftsP95: pct(list, 0.95), ftsMedian: pct(list, 0.5), countP95: pct(count, 0.95), plainP95: pct(plain, 0.95), rssAfterSearchMb: process.memoryUsage().rss / 1024 / 1024,
  }));
  await core.close();
}

main().catch((e: Error) => {
  console.log(JSON.stringify({ crash: e.message }));
  process.exit(3);
});
