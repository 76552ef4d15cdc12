// The bulk download (sync/apply.ts): indexes and FTS triggers deferred and rebuilt exactly, on a worker thread;
// queries and search keep working meanwhile; a kill in the middle leaves a database that finishes the job on the
// next open. Also the document bodies migration from a version-5 database, and the background checkpoint.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from '../../../contract/cloud';
import { syntheticFeed } from '../../../bench/core-apply.bench';
import { applyPage, beginBulkLoad, bulkLoading, DownloadWriter, finishBulkLoad, type ApplyResult, type FeedPage } from '../sync/apply';
import { dataSlices } from '../sync/page-text';
import { integrityCheck, migrate } from './database';
import { DocumentQueries } from './documents';
import { MemoryKeyVault } from './key-vault';
import { MIGRATIONS } from './migrations';
import { ProfileRoot } from './profiles';
import { Store, walFramesPending } from './store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const ID = 'd'.repeat(24);

async function openStore(dir: string, vault: MemoryKeyVault, create = false): Promise<Store> {
  return new Store(ID, await new ProfileRoot(dir, vault).open(ID, { create }));
}

const schemaOf = (s: Store) =>
  s.r.prepare(`SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('documents', 'documents_fts') AND sql IS NOT NULL ORDER BY type, name`).all();

const defaultFilter = { sort: { by: 'date', direction: 'desc' }, offset: 0, limit: 5 } as const;

describe('bulk download', () => {
  it('defers the indexes and FTS triggers, keeps queries working, and builds exactly the same schema back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kense-bulk-'));
    dirs.push(dir);
    const vault = new MemoryKeyVault();
    let store = await openStore(dir, vault, true);
    const before = schemaOf(store);
    const feed = syntheticFeed(1200, 7);
    await beginBulkLoad(store);
    expect(bulkLoading(store)).toBe(true);
    const during = schemaOf(store) as { type: string; name: string }[];
    expect(during.filter((r) => r.type === 'index')).toEqual([]);
    expect(during.some((r) => r.name === 'documents_ai')).toBe(false);
    expect(during.some((r) => r.name === 'documents_body_ad')).toBe(true);
    await applyPage(store, feed.slice(0, 600), 'c1');
    // the list, the count and a search work without the indexes (search sees what the FTS held: nothing yet)
    const q = new DocumentQueries(store.r);
    expect(q.count({})).toBe(600);
    expect(q.list({ filter: {}, ...defaultFilter })).toHaveLength(5);
    expect(q.count({ search: 'Т-5' })).toBe(0);
    // killed here: the next open still knows the indexes are owed and finishes the download
    store.close();
    store = await openStore(dir, vault);
    expect(bulkLoading(store)).toBe(true);
    await applyPage(store, feed.slice(600) as Change[], 'c2');
    expect(await finishBulkLoad(store)).toBe(true);
    expect(await finishBulkLoad(store)).toBe(false);
    expect(bulkLoading(store)).toBe(false);
    expect(schemaOf(store)).toEqual(before);
    const q2 = new DocumentQueries(store.r);
    expect(q2.count({})).toBe(1200);
    expect(q2.count({ search: 'Т-1199' })).toBe(1);
    const d = feed[1199];
    expect(q2.get('act', d.id)?.data).toEqual(d.data);
    // the FTS triggers are back: a document written now is found at once
    await applyPage(store, [{ ...feed[0], version: 2, data: { ...(feed[0].data as object), number: 'НОВЫЙ-77' } }] as Change[], 'c3');
    expect(q2.count({ search: 'НОВЫЙ-77' })).toBe(1);
    store.w.prepare(`INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')`).run();
    expect(integrityCheck(store.w)).toBe('ok');
    store.close();
  });

  it('a page written on the background connection equals the same page written here; a page touching a local change is applied here', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kense-bulk-'));
    dirs.push(dir);
    const vault = new MemoryKeyVault();
    const a = await openStore(dir, vault, true);
    const feed = syntheticFeed(300, 3);
    const notice = { seq: 301, entity: 'notification', id: 'n1', version: 1, op: 'upsert', data: { id: 'n1', text: 'Ақпарат "quoted" \\ ✓' } } as Change;
    const older = { ...feed[5], version: 0, data: { ...(feed[5].data as object), number: 'OLDER' } } as Change;
    const page = [...feed, notice, older, { ...feed[7], op: 'delete', data: null } as Change];
    const r1 = await applyPage(a, page, 'cur-1', { background: true });
    expect(r1.applied).toBe(page.length);
    const dump = (s: Store) => ({
      docs: s.r.prepare('SELECT d.kind, d.id, d.version, d.number, d.awaiting, d.local_state, b.data FROM documents d JOIN document_bodies b ON b.doc = d.rowid ORDER BY d.id').all(),
      entities: s.r.prepare('SELECT entity, id, version, data FROM entities ORDER BY id').all(),
      cursor: s.meta('cursor'),
    });
    const dir2 = mkdtempSync(path.join(tmpdir(), 'kense-bulk-'));
    dirs.push(dir2);
    const b = await openStore(dir2, new MemoryKeyVault(), true);
    await applyPage(b, page, 'cur-1');
    expect(dump(a)).toEqual(dump(b));
    expect(dump(a).docs).toHaveLength(299);
    expect(new DocumentQueries(a.r).get('act', feed[5].id)?.data).toEqual(feed[5].data);
    // a local change waits on feed[9]: its page is applied on this thread, with the rebase, in one transaction
    a.w.prepare(`INSERT INTO outbox (mutation_id, name, args, target_kind, target_id, created_at) VALUES ('m-1', 'signAct', '{}', 'act', ?, '2026-12-04T10:00:00+05:00')`).run(feed[9].id);
    await applyPage(a, [{ ...feed[9], version: 2 }] as Change[], 'cur-2', { background: true });
    expect(a.r.prepare('SELECT local_state FROM documents WHERE id = ?').get(feed[9].id)).toEqual({ local_state: 'signed_locally' });
    expect(a.meta('cursor')).toBe('cur-2');
    a.close();
    b.close();
  });

  it('a failing background job rolls back and says so with a code', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kense-bulk-'));
    dirs.push(dir);
    const store = await openStore(dir, new MemoryKeyVault(), true);
    await expect(store.lock.run(() => store.background([['CREATE TABLE t (x)'], ['CREATE TABLE t (x)']]))).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(store.r.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 't'`).get()).toEqual({ n: 0 });
    store.close();
  });
});

/** Pages of `size` as the server sends them: the parsed changes, and each change's data cut out of the UTF-8 answer. */
function feedPages(feed: Change[], size: number): FeedPage[] {
  const pages: FeedPage[] = [];
  for (let i = 0; i < feed.length; i += size) {
    const page = { changes: feed.slice(i, i + size), cursor: `cur-${i + size}`, hasMore: i + size < feed.length };
    pages.push({ ...page, slices: dataSlices(Buffer.from(JSON.stringify(page))) });
  }
  return pages;
}

const docCount = (s: Store) => (s.r.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;

describe('download writer (pages in groups on the background connection)', () => {
  async function fresh(): Promise<Store> {
    const dir = mkdtempSync(path.join(tmpdir(), 'kense-bulk-'));
    dirs.push(dir);
    return openStore(dir, new MemoryKeyVault(), true);
  }

  it('stores each document as the server sent it, with the cursor of the last page, exactly as page by page here', async () => {
    const feed = syntheticFeed(1500, 11);
    const pages = feedPages(feed, 300);
    const a = await fresh();
    await beginBulkLoad(a);
    const told: ApplyResult[] = [];
    const writer = new DownloadWriter(a, (r) => told.push(r), 600);
    for (const p of pages) await writer.add(p);
    await writer.flush();
    await finishBulkLoad(a);
    expect(told.map((r) => r.applied)).toEqual([300, 300, 300, 300, 300]);
    const b = await fresh();
    for (const p of pages) await applyPage(b, p.changes, p.cursor);
    const dump = (s: Store) => ({
      docs: s.r.prepare('SELECT d.kind, d.id, d.version, d.number, d.awaiting, d.local_state, typeof(b.data) AS t, b.data FROM documents d JOIN document_bodies b ON b.doc = d.rowid ORDER BY d.id').all(),
      cursor: s.meta('cursor'),
    });
    expect(dump(a)).toEqual(dump(b));
    expect(dump(a).cursor).toBe('cur-1500');
    // the bytes as sent: TEXT, and the same JSON the server wrote (Cyrillic included)
    const row = a.r.prepare('SELECT typeof(data) AS t, data FROM document_bodies WHERE doc = (SELECT rowid FROM documents WHERE id = ?)').get(feed[42].id) as { t: string; data: string };
    expect(row).toEqual({ t: 'text', data: JSON.stringify(feed[42].data) });
    expect(new DocumentQueries(a.r).count({ search: 'Т-1499' })).toBe(1);
    expect(integrityCheck(a.w)).toBe('ok');
    a.close();
    b.close();
  });

  it('a page that fails takes its whole group with it: nothing of the group, the cursor of the last group committed, the error thrown', async () => {
    const store = await fresh();
    // the fifth page's 10th document cannot be written
    const feed = syntheticFeed(1800, 5);
    (feed[4 * 300 + 9].data as Record<string, unknown>).number = 'BOOM';
    store.w.exec(`CREATE TRIGGER boom BEFORE INSERT ON documents WHEN NEW.number = 'BOOM' BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    await beginBulkLoad(store);
    const told: ApplyResult[] = [];
    const writer = new DownloadWriter(store, (r) => told.push(r), 900);
    const pages = feedPages(feed, 300);
    let failure: unknown = null;
    try {
      for (const p of pages) await writer.add(p);
      await writer.flush();
    } catch (e) {
      failure = e;
    }
    expect(failure).toMatchObject({ code: 'INTERNAL' });
    await expect(writer.flush()).rejects.toBe(failure);
    expect(told).toHaveLength(3);
    expect(docCount(store)).toBe(900);
    expect(store.meta('cursor')).toBe('cur-900');
    // the lock was let go: another writer gets in
    await store.tx(() => store.setMeta('after', 1));
    expect(integrityCheck(store.w)).toBe('ok');
    store.close();
  });

  it('commits early for someone waiting on the write lock, and by time when no page comes; a page touching a local change is applied with its rebase', async () => {
    const store = await fresh();
    const feed = syntheticFeed(1500, 9);
    const pages = feedPages(feed, 300);
    await beginBulkLoad(store);
    const writer = new DownloadWriter(store, () => undefined, 100_000);
    await writer.add(pages[0]);
    await writer.add(pages[1]);
    // the group is open (the lock held): a signature waits, and the next page commits the group for it
    let signed = false;
    const sign = store.tx(() => {
      store.w.prepare(`INSERT INTO outbox (mutation_id, name, args, target_kind, target_id, created_at) VALUES ('m-1', 'signAct', '{}', 'act', ?, '2026-12-04T10:00:00+05:00')`).run(feed[700].id);
      signed = true;
    });
    expect(signed).toBe(false);
    await writer.add(pages[2]);
    await sign;
    expect(signed).toBe(true);
    expect(docCount(store)).toBe(900);
    expect(store.meta('cursor')).toBe('cur-900');
    // page 3 carries feed[1000]; nothing comes after it for a while: committed by time, without a flush
    await writer.add(pages[3]);
    const since = Date.now();
    while (docCount(store) < 1200 && Date.now() - since < 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(docCount(store)).toBe(1200);
    expect(Date.now() - since).toBeGreaterThanOrEqual(300);
    // feed[700] has a local change: a new version of it is applied here with the rebase (still signed locally)
    await writer.add({ changes: [{ ...feed[700], version: 2 }] as Change[], cursor: 'cur-x', hasMore: true, slices: null });
    await writer.add(pages[4]);
    await writer.flush();
    expect(store.r.prepare('SELECT version, local_state FROM documents WHERE id = ?').get(feed[700].id)).toEqual({ version: 2, local_state: 'signed_locally' });
    expect(docCount(store)).toBe(1500);
    expect(store.meta('cursor')).toBe('cur-1500');
    await finishBulkLoad(store);
    expect(integrityCheck(store.w)).toBe('ok');
    store.close();
  });
});

describe('document bodies migration', () => {
  it('moves each document JSON of a version-5 database into document_bodies', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kense-bulk-'));
    dirs.push(dir);
    const file = path.join(dir, 'v5.db');
    const db = new Sqlite(file);
    for (const m of MIGRATIONS.filter((m) => m.version <= 5)) m.up(db);
    db.pragma('user_version = 5');
    db.prepare(
      `INSERT INTO documents (kind, id, version, number, date, direction, counterparty_name, counterparty_iin_bin, amount, search_amount, state, server_awaiting, awaiting, data)
       VALUES ('act', 'x1', 1, 'Т-1', '2026-01-02', 'incoming', 'ТОО Ромашка', '123456789012', 100, '1.00', 'sent', 1, 1, '{"number":"Т-1"}')`,
    ).run();
    expect(migrate(db)).toEqual({ from: 5, to: MIGRATIONS[MIGRATIONS.length - 1].version });
    expect(db.prepare(`SELECT data FROM document_bodies WHERE doc = (SELECT rowid FROM documents WHERE id = 'x1')`).get()).toEqual({ data: '{"number":"Т-1"}' });
    expect(new DocumentQueries(db).count({ search: 'Ромашка' })).toBe(1);
    db.prepare(`DELETE FROM documents WHERE id = 'x1'`).run();
    expect(db.prepare('SELECT count(*) AS n FROM document_bodies').get()).toEqual({ n: 0 });
    expect(integrityCheck(db)).toBe('ok');
    db.close();
  });
});

describe('background checkpoint', () => {
  it('copies the WAL into the database file on a worker thread, not inside a COMMIT', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kense-bulk-'));
    dirs.push(dir);
    const store = await openStore(dir, new MemoryKeyVault(), true);
    const file = store.w.name;
    const sizeBefore = statSync(file).size;
    // ~36 MB committed: this connection never checkpoints by itself (wal_autocheckpoint = 0), so only the WAL holds it
    const write = store.w.prepare('INSERT INTO audit (at, action, details) VALUES (?, ?, ?)');
    store.w.transaction(() => {
      for (let i = 0; i < 12_000; i++) write.run('2026-12-04T10:00:00+05:00', 'bench', 'x'.repeat(3000));
    })();
    expect(statSync(file).size).toBe(sizeBefore);
    expect(walFramesPending(file) * (store.w.pragma('page_size', { simple: true }) as number)).toBeGreaterThan(33 * 1024 * 1024);
    // a write through the lock starts it (the WAL is past 32 MB)
    await store.tx(() => store.setMeta('probe', 1));
    const deadline = Date.now() + 10_000;
    while (walFramesPending(file) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(33 * 1024 * 1024);
    expect(walFramesPending(file)).toBe(0);
    expect(integrityCheck(store.w)).toBe('ok');
    store.close();
  });
});
