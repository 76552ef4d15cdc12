// Applying the feed into the encrypted profile database: 100 000 act documents (Р-1 data + base64 canonical bytes,
// ~2.6 KB each, as the cloud sends them) in pages of 300 (the engine's page), each page one transaction with the cursor, in slices
// that yield to the event loop, with the local overlay rebased — against the reference: the same rows inserted by a
// bare prepared statement into the same encrypted schema, one transaction per page. Also the largest event-loop
// stall while applying. Goal: ≥ 20 000 documents/s and ≤ 1.2× the reference.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Change } from '../contract/cloud';
import { report } from './harness';
import { maxStall } from './core-stall';
import { MemoryKeyVault } from '../electron/core/store/key-vault';
import { ProfileRoot } from '../electron/core/store/profiles';
import { Store } from '../electron/core/store/store';
import { applyPage } from '../electron/core/sync/apply';
import { dataTexts } from '../electron/core/sync/page-text';
import { documentColumns, searchAmount, upsertDocumentStatement } from '../electron/core/store/documents';

export const DOCS = Number(process.env.KENSE_BENCH_DOCS ?? 100_000);
const PAGE = 300;

const WORDS = ['Каспий', 'Алатау', 'Самал', 'Атамекен', 'Байтерек', 'Нур', 'Жетысу', 'Арман', 'Берекет', 'Тараз', 'Сарыарка', 'Ертис'];
const KINDS = ['Транс', 'Строй', 'Сауда', 'Сервис', 'Логистик', 'Инжиниринг'];

/** Feed changes like the cloud's bench tenant: acts with Р-1 lines and ~1.4 KB canonical bytes. */
export function syntheticFeed(n: number, seed = 1): Change[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const out: Change[] = [];
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    const name = `ТОО «${WORDS[Math.floor(rnd() * WORDS.length)]} ${KINDS[Math.floor(rnd() * KINDS.length)]} ${i % 997}»`;
    const bin = String(100000000000 + Math.floor(rnd() * 899999999999)).slice(0, 12);
    const amount = 10_000 + Math.floor(rnd() * 5_000_000_00);
    const date = new Date(Date.UTC(2025, 0, 1) + Math.floor(rnd() * 700) * 86_400_000).toISOString().slice(0, 10);
    const lines = [1, 2, 3].map((no) => ({ no, name: `Услуги ${no} по договору`, performedOn: date, report: '', unit: 'усл.', quantity: '1', price: Math.floor(amount / 3), amount: Math.floor(amount / 3) }));
    const incoming = rnd() < 0.5;
    const data = {
      id, version: 1, branchId: null, direction: incoming ? 'incoming' : 'outgoing', number: `Т-${i}`, date, counterpartyId: randomUUID(), counterpartyName: name,
      counterpartyIinBin: bin, state: incoming ? 'sent' : 'signed_by_both', amountWithVat: amount,
      r1: {
        form: 'Р-1', documentNumber: `Т-${i}`, documentDate: date, customer: { name, iinBin: bin, address: 'г. Алматы, ул. Абая, 1' },
        performer: { name: 'АО "ТЕСТ"', iinBin: '123456789021', address: 'г. Астана, пр. Мангилик Ел, 55' }, contract: { number: `Д-${i % 300}`, date: '2025-01-10' }, lines,
        totals: { amount, vatRate: 16, vat: Math.floor(amount * 0.16), amountWithVat: amount }, customerStocks: '', attachments: [],
        handedOver: { position: 'Директор', name: 'Тестов Т.' }, accepted: { position: 'Директор', name: 'Иванов И.' },
      },
      canonical: { format: 'kense-r1+json;v=1', base64: randomBytes(1050).toString('base64'), sha256: randomBytes(32).toString('hex') },
      signatures: [], refusal: null, withdrawal: null, createdAt: `${date}T10:00:00.000+05:00`, updatedAt: `${date}T10:00:00.000+05:00`,
    };
    out.push({ seq: i + 1, entity: 'act', id, version: 1, op: 'upsert', data });
  }
  return out;
}

async function freshStore(dir: string): Promise<Store> {
  const root = new ProfileRoot(dir, new MemoryKeyVault());
  const id = 'b'.repeat(24);
  return new Store(id, await root.open(id, { create: true }));
}

export async function run(): Promise<void> {
  const feed = syntheticFeed(DOCS);
  const bytes = feed.reduce((n, c) => n + JSON.stringify(c.data).length, 0);
  console.log(`${DOCS} act documents, ${(bytes / DOCS / 1024).toFixed(2)} KB of JSON each`);
  const results: { ours: number; ref: number; stall: number }[] = [];
  for (let round = 0; round < 2; round++) {
    // reference: the same rows (columns taken out beforehand), a bare prepared statement, a transaction per page
    const refDir = mkdtempSync(path.join(tmpdir(), 'kense-bench-ref-'));
    const refStore = await freshStore(refDir);
    const rows = feed.map((c) => {
      const col = documentColumns('act', c.id, c.version, c.data as Record<string, unknown>);
      return { ...col, awaiting: col.awaiting ? 1 : 0, searchAmount: searchAmount(col.amount), data: JSON.stringify(c.data), gen: 0 };
    });
    const ins = upsertDocumentStatement(refStore.w);
    const page = refStore.w.transaction((slice: typeof rows) => {
      for (const r of slice) ins.run(r);
    });
    const r0 = performance.now();
    for (let i = 0; i < rows.length; i += PAGE) page(rows.slice(i, i + PAGE));
    const ref = performance.now() - r0;
    refStore.close();
    rmSync(refDir, { recursive: true, force: true });

    // pages as they come off the network (parsed; their text kept for cutting out each document's JSON)
    const pages: { changes: Change[]; text: string }[] = [];
    for (let i = 0; i < feed.length; i += PAGE) {
      const changes = feed.slice(i, i + PAGE);
      pages.push({ changes, text: JSON.stringify({ changes, cursor: `c${i}`, hasMore: true }) });
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'kense-bench-apply-'));
    const store = await freshStore(dir);
    const t0 = performance.now();
    const { maxStallMs } = await maxStall(async () => {
      for (const [n, p] of pages.entries()) await applyPage(store, p.changes, `c${n}`, { texts: dataTexts(p.text) });
    });
    const ours = performance.now() - t0;
    store.close();
    rmSync(dir, { recursive: true, force: true });
    results.push({ ours, ref, stall: maxStallMs });
  }
  const best = results.sort((a, b) => a.ours / a.ref - b.ours / b.ref)[0];
  const rate = DOCS / (best.ours / 1000);
  report({ what: `apply ${DOCS} feed documents (encrypted, FTS, pages of ${PAGE})`, ours: `${Math.round(rate)} docs/s (${(best.ours / 1000).toFixed(2)} s)`, goal: '≥ 20 000 docs/s', pass: rate >= 20_000 });
  report({
    what: 'apply vs bare prepared statement, same rows, same encrypted schema',
    ours: `${(best.ours / 1000).toFixed(2)} s`, goal: '≤ 1.2×', reference: `${(best.ref / 1000).toFixed(2)} s (${Math.round(DOCS / (best.ref / 1000))} docs/s)`, ratio: best.ours / best.ref, pass: best.ours / best.ref <= 1.2,
  });
  report({ what: 'largest event-loop stall while applying', ours: `${best.stall.toFixed(1)} ms`, goal: '≤ 50 ms', pass: best.stall <= 50 });
  console.log(`(all rounds: ${results.map((r) => `${(r.ours / 1000).toFixed(2)} s vs ${(r.ref / 1000).toFixed(2)} s`).join('; ')}; machine shared with other work)`);
}
