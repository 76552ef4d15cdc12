// The crash test (issue 9): a write storm against `kense cloud serve` in its own process, `kill -9` at a random
// moment, an immediate restart (before the dead process is reaped), and then: every write the server acknowledged
// is there (created things exist with what was sent, deleted ones are gone, applied mutations stayed applied and
// answer `duplicate` when sent again), the requests that were in flight, sent again with the same ids, make their
// thing once, nothing is there twice, and the feed is consistent (numbers increase, a pull continued from a cursor
// taken before the crash converges with a fresh pull, every acknowledged act is in it as it is). On PGlite (a data
// folder) and on PostgreSQL. Used by chaos.test.ts (CI) and by `npm run chaos:cloud -- --kills N`.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from './harness';
import { serveProcess, type ServeProcess } from './serve-process';
import { createThrowawayDatabase, type ThrowawayDatabase } from './pg-database';

export type ChaosStorage = 'pglite' | 'postgres';

export interface ChaosReport {
  storage: ChaosStorage;
  kills: number;
  /** Writes the server answered with success (before or after a crash). */
  acknowledged: number;
  /** Requests cut by a kill, sent again after the restart with the same ids. */
  retried: number;
  /** Writes the server refused with an answer (not acknowledged, not lost). */
  refused: number;
  /** Acknowledged writes not found as acknowledged after a restart. */
  lost: string[];
  /** Things that exist more than once (the same number twice, a retried create made twice). */
  duplicated: string[];
  /** Feed problems: order, convergence, an acknowledged act missing or different in the feed. */
  feed: string[];
  /** Median time from kill -9 to serving again, ms. */
  restartMs: number;
  /**
   * The checks themselves are checked: after the kills, one acknowledged act is deleted and another renumbered
   * behind the server's back (straight in its storage, server stopped) — the verification must report both.
   */
  selfCheck: string;
  seconds: number;
}

interface Options {
  storage: ChaosStorage;
  kills: number;
  /** Admin connection string of a PostgreSQL server to create the test's database on (PostgreSQL only). */
  adminUrl?: string;
  /** Concurrent writers. */
  writers?: number;
  log?: (line: string) => void;
  /** The `kense` entry (bundled callers name it). */
  kense?: string;
}

type Write =
  | { kind: 'counterparty'; id: string; name: string; iinBin: string }
  | { kind: 'act'; id: string; number: string; price: number; counterpartyId: string }
  | { kind: 'delete'; id: string }
  | { kind: 'refuse'; mutationId: string; actId: string; reason: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LINE = (price: number) => ({ name: 'Консультационные услуги', performedOn: '2026-03-02', unit: 'усл.', quantity: '1', price });

export async function runChaos(o: Options): Promise<ChaosReport> {
  const log = o.log ?? (() => undefined);
  const started = Date.now();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kense-chaos-'));
  let databaseUrl: string | undefined;
  let db: ThrowawayDatabase | undefined;
  if (o.storage === 'postgres') {
    if (!o.adminUrl) throw new Error('PostgreSQL needs an admin URL (KENSE_TEST_DATABASE_URL)');
    db = await createThrowawayDatabase(o.adminUrl, 'kense_chaos');
    databaseUrl = db.url;
  }
  const args = ['--port', '0', '--trust', 'test', ...(databaseUrl ? ['--database-url', databaseUrl] : ['--data', path.join(tmp, 'cloud')])];
  const report: ChaosReport = { storage: o.storage, kills: 0, acknowledged: 0, retried: 0, refused: 0, lost: [], duplicated: [], feed: [], restartMs: 0, selfCheck: 'not run', seconds: 0 };
  const restarts: number[] = [];
  const acked: Write[] = [];
  const deleted = new Set<string>();
  let server: ServeProcess | null = null;
  try {
    // The first start seeds a small demo tenant (its users and password are printed); restarts serve what is there.
    server = serveProcess([...args, '--seed', 'demo:40'], { kense: o.kense });
    let ready = await server.ready;
    const headUser = ready.users.find((u) => u.role === 'first_manager')!;
    let c = new Client(ready.url);
    const signIn = async () => (await c.login(headUser.iin, headUser.password, 'chaos-device-01')).accessToken;
    let token = await signIn();
    const cps = (await c.ok('counterpartiesList', { token, query: { limit: 10 } })).items.map((x) => x.id);
    // Incoming acts the storm may refuse (each once), by mutation.
    const refusable = (await c.ok('actsList', { token, query: { direction: 'incoming', limit: 1000 } })).items.filter((a) => ['sent', 'delivered', 'viewed', 'signed_by_them'].includes(a.state)).map((a) => a.id);
    // The feed as a device holds it: pulled before each kill, continued after.
    const local = await c.pullAll(token);
    let cursor = local.cursor;
    let seq = 0;

    /** One write; resolves with true when the server acknowledged it. `inFlight` keeps what a kill cut. */
    const inFlight = new Map<string, Write>();
    const perform = async (w: Write, client: Client, tok: string): Promise<boolean> => {
      const key = w.kind === 'refuse' ? w.mutationId : `${w.kind}:${w.id}`;
      inFlight.set(key, w);
      try {
        let ok = false;
        if (w.kind === 'counterparty') ok = (await client.call('counterpartyCreate', { token: tok, body: { id: w.id, iinBin: w.iinBin, name: w.name } })).ok;
        if (w.kind === 'act') ok = (await client.call('actCreate', { token: tok, body: { id: w.id, counterpartyId: w.counterpartyId, number: w.number, date: '2026-03-02', lines: [LINE(w.price)], handedOver: { position: 'Директор', name: 'Тестов Т.' } } })).ok;
        if (w.kind === 'delete') {
          const r = await client.call('actDelete', { token: tok, params: { id: w.id } });
          ok = r.ok || (!r.ok && r.status === 404); // already gone: its deletion was acknowledged before
        }
        if (w.kind === 'refuse') {
          const r = await client.call('syncMutations', { token: tok, body: { mutations: [{ mutationId: w.mutationId, name: 'refuseAct', args: { actId: w.actId, reason: w.reason }, baseVersion: null }] } });
          const res = r.ok ? r.data.results[0] : null;
          ok = !!res && (res.status === 'applied' || (res.status === 'duplicate' && res.original.status === 'applied'));
        }
        // An answer, either way: no longer in flight (a refusal is the server's answer, not a loss).
        inFlight.delete(key);
        if (ok) {
          acked.push(w);
          report.acknowledged++;
          if (w.kind === 'delete') deleted.add(w.id);
        } else report.refused++;
        return ok;
      } catch {
        return false; // the connection was cut by the kill: stays in flight
      }
    };

    const nextWrite = (): Write => {
      seq++;
      const myActs = acked.filter((w): w is Extract<Write, { kind: 'act' }> => w.kind === 'act' && !deleted.has(w.id));
      const r = Math.random();
      if (r < 0.15 && myActs.length > 3) return { kind: 'delete', id: myActs[Math.floor(Math.random() * myActs.length)].id };
      if (r < 0.25 && refusable.length) return { kind: 'refuse', mutationId: randomUUID(), actId: refusable.pop()!, reason: `Отказ при проверке ${seq}` };
      if (r < 0.45) return { kind: 'counterparty', id: randomUUID(), name: `ТОО «Хаос ${seq}-${randomBytes(2).toString('hex')}»`, iinBin: '240140000011' };
      return { kind: 'act', id: randomUUID(), number: `CH-${seq}-${randomBytes(3).toString('hex')}`, price: 1000 + seq, counterpartyId: cps[seq % cps.length] };
    };

    for (let k = 0; k < o.kills; k++) {
      // The storm: writers back to back until the kill.
      let storming = true;
      const writers = Array.from({ length: o.writers ?? 6 }, async () => {
        while (storming) {
          const ok = await perform(nextWrite(), c, token);
          if (!ok && !storming) return;
        }
      });
      await sleep(150 + Math.random() * 1200);
      const killed = server;
      killed.kill();
      storming = false;
      report.kills++;
      const t0 = Date.now();
      // Restart at once: the dead process may not even be reaped yet.
      server = serveProcess(args, { kense: o.kense });
      await Promise.all(writers);
      ready = await server.ready;
      restarts.push(Date.now() - t0);
      await killed.exited;
      c = new Client(ready.url);
      token = await signIn();

      // What a kill cut is sent again with the same ids: made once, or answered with its first answer.
      const cut = [...inFlight.values()];
      inFlight.clear();
      for (const w of cut) {
        report.retried++;
        if (!(await perform(w, c, token))) report.lost.push(`retry of ${w.kind} ${'id' in w ? w.id : w.mutationId} was not acknowledged after restart ${k + 1}`);
      }
      await verify(c, token, acked, deleted, report, k + 1);
      // The feed continued from the cursor taken before the crash, and (every 5 kills and at the end) a fresh pull.
      const inc = await c.pullAll(token, cursor).catch((e: Error) => {
        report.feed.push(`incremental pull after restart ${k + 1}: ${e.message}`);
        return null;
      });
      if (inc) {
        for (const [key, v] of inc.state) local.state.set(key, v);
        cursor = inc.cursor;
      }
      if ((k + 1) % 5 === 0 || k + 1 === o.kills) await verifyFeed(c, token, local.state, acked, deleted, report, k + 1);
      log(`${o.storage}: kill ${k + 1}/${o.kills}: ${report.acknowledged} acknowledged, ${cut.length} in flight retried, restart ${restarts[restarts.length - 1]} ms; lost ${report.lost.length}, duplicated ${report.duplicated.length}, feed problems ${report.feed.length}`);
    }

    // Self-check: plant two losses behind the server's back and see the verification report them.
    const live = acked.filter((w): w is Extract<Write, { kind: 'act' }> => w.kind === 'act' && !deleted.has(w.id));
    if (live.length >= 2) {
      await server.stop();
      const { openDatabase } = await import('../src/db/connect');
      const db = await openDatabase({ dataDir: databaseUrl ? undefined : path.join(tmp, 'cloud'), databaseUrl, holder: 'crash test self-check' });
      try {
        await db.db.deleteFrom('acts').where('id', '=', live[0].id).execute();
        await db.db.updateTable('acts').set({ number: `${live[1].number}-X` }).where('id', '=', live[1].id).execute();
      } finally {
        await db.close();
      }
      server = serveProcess(args, { kense: o.kense });
      ready = await server.ready;
      c = new Client(ready.url);
      token = await signIn();
      const probe: ChaosReport = { ...report, lost: [], duplicated: [], feed: [] };
      await verify(c, token, acked, deleted, probe, o.kills + 1);
      const found = [live[0].id, live[1].id].filter((id) => probe.lost.some((l) => l.includes(id))).length;
      report.selfCheck = `${found} of 2 planted losses reported`;
      if (found !== 2) report.lost.push(`self-check: the verification reported ${found} of 2 planted losses (${probe.lost.join('; ')})`);
    }
  } finally {
    server?.kill();
    await server?.exited;
    rmSync(tmp, { recursive: true, force: true });
    await db?.drop();
  }
  restarts.sort((a, b) => a - b);
  report.restartMs = restarts[Math.floor(restarts.length / 2)] ?? 0;
  report.seconds = Math.round((Date.now() - started) / 1000);
  return report;
}

/** Every acknowledged write is there as acknowledged, and nothing is there twice. */
async function verify(c: Client, token: string, acked: Write[], deleted: Set<string>, report: ChaosReport, after: number): Promise<void> {
  const acts = new Map<string, { number: string; amountWithVat: number }>();
  const numbers = new Map<string, number>();
  for (let after2: string | undefined; ; ) {
    const page = await c.ok('actsList', { token, query: { direction: 'outgoing', limit: 1000, after: after2 } });
    for (const a of page.items) {
      acts.set(a.id, a);
      numbers.set(a.number, (numbers.get(a.number) ?? 0) + 1);
    }
    if (!page.nextAfter) break;
    after2 = page.nextAfter;
  }
  const cps = new Map<string, number>();
  for (let after2: string | undefined; ; ) {
    const page = await c.ok('counterpartiesList', { token, query: { limit: 1000, after: after2 } });
    for (const x of page.items) cps.set(x.name, (cps.get(x.name) ?? 0) + 1);
    if (!page.nextAfter) break;
    after2 = page.nextAfter;
  }
  for (const [n, count] of numbers) if (count > 1 && n.startsWith('CH-')) report.duplicated.push(`act number ${n} ×${count} after restart ${after}`);
  for (const [n, count] of cps) if (count > 1 && n.startsWith('ТОО «Хаос')) report.duplicated.push(`counterparty ${n} ×${count} after restart ${after}`);
  const refused = new Set<string>();
  for (const w of acked) {
    if (w.kind === 'act' && !deleted.has(w.id)) {
      const a = acts.get(w.id);
      if (!a) report.lost.push(`act ${w.id} (${w.number}) after restart ${after}`);
      else if (a.number !== w.number) report.lost.push(`act ${w.id} holds ${a.number}, not ${w.number}`);
    }
    if (w.kind === 'delete' && acts.has(w.id)) report.lost.push(`deleted act ${w.id} is back after restart ${after}`);
    if (w.kind === 'counterparty' && !cps.has(w.name)) report.lost.push(`counterparty ${w.name} after restart ${after}`);
    if (w.kind === 'refuse') refused.add(w.actId);
  }
  for (const w of acked) {
    if (w.kind !== 'refuse') continue;
    const a = await c.call('actGet', { token, params: { id: w.actId } });
    if (!a.ok || a.data.state !== 'refused') report.lost.push(`refusal of act ${w.actId} after restart ${after} (${a.ok ? a.data.state : a.error.code})`);
    // The mutation's answer survived too: sent again, it is a duplicate of the applied one.
    const again = await c.ok('syncMutations', { token, body: { mutations: [{ mutationId: w.mutationId, name: 'refuseAct', args: { actId: w.actId, reason: w.reason }, baseVersion: null }] } });
    const r = again.results[0];
    if (r.status !== 'duplicate' || r.original.status !== 'applied') report.lost.push(`mutation ${w.mutationId} answered ${r.status} after restart ${after}`);
  }
}

/** The device's feed (pulled before the crashes and continued after) equals a fresh pull and holds the acts as acknowledged. */
async function verifyFeed(c: Client, token: string, local: Map<string, { op: string; version: number; data: Record<string, unknown> | null }>, acked: Write[], deleted: Set<string>, report: ChaosReport, after: number): Promise<void> {
  const fresh = await c.pullAll(token, undefined, 1000);
  const live = (m: typeof local) => new Map([...m.entries()].filter(([, v]) => v.op === 'upsert').map(([k, v]) => [k, v.version]));
  const a = live(local);
  const b = live(fresh.state);
  for (const [k, v] of b) if (a.get(k) !== v) report.feed.push(`after restart ${after}: ${k} is at version ${v}, the continued pull has ${a.get(k) ?? 'nothing'}`);
  for (const [k, v] of a) if (!b.has(k)) report.feed.push(`after restart ${after}: the continued pull has ${k}@${v}, a fresh pull does not`);
  for (const w of acked) {
    if (w.kind !== 'act') continue;
    const x = fresh.state.get(`act:${w.id}`);
    if (deleted.has(w.id)) {
      if (x && x.op !== 'delete') report.feed.push(`deleted act ${w.id} is live in the feed after restart ${after}`);
    } else if (!x || x.op !== 'upsert' || x.data?.number !== w.number) report.feed.push(`act ${w.id} (${w.number}) missing or different in the feed after restart ${after}`);
  }
}
