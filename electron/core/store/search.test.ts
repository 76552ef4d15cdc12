// Search with filters over the documents table: the FTS match is checked against documents_filter (migration 0004),
// never by fetching each matching row — and the answers are the same as filtering every row by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentFilter } from '../../../contract/ipc';
import { MemoryKeyVault } from './key-vault';
import { ProfileRoot } from './profiles';
import { Store } from './store';
import { DocumentQueries, documentColumns, searchAmount, documentWriter } from './documents';

const NAMES = ['ТОО «Самал Строй»', 'АО «Сарыарқа Сауда»', 'ТОО «Алатау Транс»', 'ИП Самалов'];
let dir: string;
let store: Store;
let q: DocumentQueries;
const rows: { name: string; number: string; direction: string; awaiting: boolean; date: string; amount: number }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kense-search-'));
  store = new Store('c'.repeat(24), await new ProfileRoot(dir, new MemoryKeyVault()).open('c'.repeat(24), { create: true }));
  const upsert = documentWriter(store.w);
  await store.tx(() => {
    for (let i = 0; i < 400; i++) {
      const direction = i % 3 === 0 ? 'outgoing' : 'incoming';
      const d = {
        direction, state: direction === 'outgoing' ? 'draft' : i % 2 ? 'signed_by_them' : 'signed_by_both', number: `Т-${1000 + i}`,
        date: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, counterpartyName: NAMES[i % NAMES.length],
        counterpartyIinBin: String(100000000000 + i), amountWithVat: 1000_00 + i * 137, branchId: null,
      };
      const c = documentColumns('act', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, 1, d);
      upsert({ ...c, awaiting: c.awaiting ? 1 : 0, searchAmount: searchAmount(c.amount), data: JSON.stringify(d), gen: 0 });
      rows.push({ name: d.counterpartyName, number: d.number, direction, awaiting: c.awaiting, date: d.date, amount: d.amountWithVat });
    }
  });
  q = new DocumentQueries(store.r);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const byHand = (f: DocumentFilter, match: (r: (typeof rows)[number]) => boolean) =>
  rows.filter((r) => match(r) && (f.direction === undefined || r.direction === f.direction) && (f.awaitingSignature === undefined || r.awaiting === f.awaitingSignature));

describe('document search with filters', () => {
  it.each<[DocumentFilter, (r: (typeof rows)[number]) => boolean]>([
    [{ search: 'Са' }, (r) => /(^|[\s«])са/i.test(r.name)],
    [{ search: 'самал', direction: 'incoming' }, (r) => /самал/i.test(r.name)],
    [{ search: 'алатау тр', awaitingSignature: true }, (r) => r.name.includes('Алатау Транс')],
  ])('%j: the same count and rows (newest first) as filtering by hand', (filter, match) => {
    const want = byHand(filter, match).sort((a, b) => (a.date === b.date ? 0 : a.date < b.date ? 1 : -1));
    expect(q.count(filter)).toBe(want.length);
    expect(want.length).toBeGreaterThan(0);
    const got = q.list({ filter, sort: { by: 'date', direction: 'desc' }, offset: 0, limit: 500 });
    expect(got.map((r) => r.number).sort()).toEqual(want.map((r) => r.number).sort());
    expect(got.map((r) => r.date)).toEqual(want.map((r) => r.date));
  });

  it('answers a search from the FTS index and documents_filter, not by fetching every matching row', () => {
    const plan = (sql: string) => (store.r.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('"са"*') as { detail: string }[]).map((x) => x.detail).join(' | ');
    const detail = plan("SELECT count(*) FROM documents INDEXED BY documents_filter WHERE +rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)");
    expect(detail).toContain('COVERING INDEX documents_filter');
    expect(detail).not.toContain('INTEGER PRIMARY KEY');
  });
});
