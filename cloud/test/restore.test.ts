// A server restored from a backup: cursors issued after the backup point answer CURSOR_RESET even once the
// sequence has grown past them again (feed segments); `kense cloud restore-epoch` / `serve --new-epoch` reset all.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../../cli/main';
import { startCloud, type CloudServer, type StartOptions } from '../src/server';
import { TEST_CRL } from '../src/signatures';
import { forgetServedSequences } from '../src/feed-segments';
import { decodeCursor } from '../src/sync/cursor';
import { Client, DEMO, eachBackend } from './harness';
import { asAdmin } from './pg-database';

const PG_URL = process.env.KENSE_TEST_DATABASE_URL;

/** A place for a database that can be backed up and restored: a PGlite folder, or a PostgreSQL database. */
interface Store {
  opts: Pick<StartOptions, 'dataDir' | 'databaseUrl'>;
  backup(): Promise<Store>;
  drop(): Promise<void>;
}

const admin = (sqlText: string) => asAdmin(PG_URL as string, sqlText);

async function newStore(backend: 'pglite' | 'postgres', template?: string): Promise<Store> {
  if (backend === 'pglite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-restore-'));
    if (template) cpSync(template, dir, { recursive: true });
    return { opts: { dataDir: dir }, backup: () => newStore('pglite', dir), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `kense_r_${randomBytes(6).toString('hex')}`;
  await admin(`create database ${name}${template ? ` template ${template}` : ''}`);
  const u = new URL(PG_URL as string);
  u.pathname = `/${name}`;
  return { opts: { databaseUrl: u.toString() }, backup: () => newStore('postgres', name), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

eachBackend('cloud restored from a backup', (backend) => {
  const stores: Store[] = [];
  let server: CloudServer | undefined;
  afterAll(async () => {
    await server?.close();
    for (const st of stores) await st.drop();
  });
  const start = async (st: Store, extra: StartOptions = {}) => {
    // As a freshly started process: it has served nothing yet.
    forgetServedSequences();
    server = await startCloud({ ...st.opts, port: 0, trust: 'test', crlFiles: [TEST_CRL], seed: { kind: 'demo', counterparties: 6, acts: 20 }, rateLimit: { perIpPerMinute: 10_000, perIinPerMinute: 1000 }, ...extra });
    const c = new Client(server.url);
    return { c, head: (await c.login(DEMO.head)).accessToken };
  };
  const stop = async () => {
    await server?.close();
    server = undefined;
  };
  const addCounterparties = async (c: Client, token: string, n: number) => {
    for (let i = 0; i < n; i++) await c.ok('counterpartyCreate', { token, body: { iinBin: '240140000203', name: `ТОО «После ${i}»` } });
  };

  it('restored and restarted: a cursor past the backup answers CURSOR_RESET even after the sequence grew past it; older cursors go on', async () => {
    const live = await newStore(backend);
    stores.push(live);
    let { c, head } = await start(live);
    const before = await c.pullAll(head);
    await stop();
    const backup = await live.backup();
    stores.push(backup);

    ({ c, head } = await start(live));
    await addCounterparties(c, head, 3);
    const after = await c.pullAll(head, before.cursor);
    expect(decodeCursor(after.cursor).s).toBeGreaterThan(decodeCursor(before.cursor).s);
    await stop();

    // The backup is put back (restored into another database or folder: the same thing for the server).
    ({ c, head } = await start(backup));
    await c.fails('syncChanges', 'CURSOR_RESET', { token: head, query: { cursor: after.cursor } });
    await addCounterparties(c, head, 8);
    const company = await c.ok('company', { token: head });
    const lastSeq = (await server!.services.db.selectFrom('companies').select('last_seq').where('id', '=', company.id).executeTakeFirstOrThrow()).last_seq;
    expect(lastSeq).toBeGreaterThan(decodeCursor(after.cursor).s);
    const reset = await c.fails('syncChanges', 'CURSOR_RESET', { token: head, query: { cursor: after.cursor } });
    expect(reset.status).toBe(409);
    // A cursor from before the backup point saw the same history: it simply continues, and converges.
    const cont = await c.pullAll(head, before.cursor);
    const fresh = await c.pullAll(head);
    const merged = new Map([...before.state, ...cont.state]);
    const live2 = (m: typeof merged) => [...m.entries()].filter(([, v]) => v.op === 'upsert').map(([k, v]) => `${k}@${v.version}`).sort();
    expect(live2(merged)).toEqual(live2(fresh.state));
    await stop();
  }, 120_000);

  it('restored underneath a running server: the server notices the sequence went back', async () => {
    const live = await newStore(backend);
    stores.push(live);
    const { c, head } = await start(live);
    const company = await c.ok('company', { token: head });
    const db = server!.services.db;
    const base = (await db.selectFrom('companies').select('last_seq').where('id', '=', company.id).executeTakeFirstOrThrow()).last_seq;
    await addCounterparties(c, head, 3);
    const { cursor } = await c.pullAll(head);
    // What a restore of the backup taken at `base` does to the feed, done while the server runs.
    await db.deleteFrom('feed').where('company_id', '=', company.id).where('seq', '>', base).execute();
    await db.deleteFrom('feed_segments').where('company_id', '=', company.id).where('from_seq', '>', base).execute();
    await db.updateTable('feed_segments').set({ next_seq: base + 1 }).where('company_id', '=', company.id).where('next_seq', '>', base + 1).execute();
    await db.updateTable('companies').set({ last_seq: base }).where('id', '=', company.id).execute();
    await addCounterparties(c, head, 8);
    await c.fails('syncChanges', 'CURSOR_RESET', { token: head, query: { cursor } });
    await stop();
  }, 60_000);

  it('kense cloud restore-epoch (and serve --new-epoch) make every cursor answer CURSOR_RESET', async () => {
    const live = await newStore(backend);
    stores.push(live);
    let { c, head } = await start(live);
    const first = await c.pullAll(head);
    await stop();
    let out = '';
    const sink = new Writable({ write: (chunk, _e, cb) => ((out += String(chunk)), cb()) });
    const storageArgs = live.opts.dataDir ? ['--data', live.opts.dataDir] : ['--database-url', live.opts.databaseUrl as string];
    expect(await runCli(['cloud', 'restore-epoch', ...storageArgs], { stdout: sink, stderr: sink, env: {} })).toBe(0);
    expect(out).toMatch(/database epoch \S+ → \S+/);
    ({ c, head } = await start(live));
    await c.fails('syncChanges', 'CURSOR_RESET', { token: head, query: { cursor: first.cursor } });
    const second = await c.pullAll(head);
    await stop();
    ({ c, head } = await start(live, { newEpoch: true }));
    await c.fails('syncChanges', 'CURSOR_RESET', { token: head, query: { cursor: second.cursor } });
    await stop();
  }, 60_000);
});
