// Stalls (issue 9): no request may keep the server's event loop busy for long. A prober in a process of its own
// asks GET /v1/health back to back and records how long each answer took, first with the server idle (the
// reference, same run), then while the largest accounting import the server accepts (20 MiB: 50 000 sales,
// 20 000 receivables, 20 000 payables, 1 000 cash days, 500 accounts) is uploaded again and again by the demo's
// first manager, then while pages of 5 000 feed changes are pulled and while batches of 100 mutations are pushed.
// Goal: /v1/health p99 and max ≤ 100 ms during the import. Storage: PGlite (and PostgreSQL when
// KENSE_TEST_DATABASE_URL is set; KENSE_BENCH_STORAGE=pglite|postgres picks one).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './harness';
import { serveProcess } from '../cloud/test/serve-process';
import { ACCOUNTING_IMPORT_LIMITS as L } from '../contract/cloud/dashboards';
import { createThrowawayDatabase } from '../cloud/test/pg-database';

// bench/ and the bundle's .bench-build/ are at the same depth.
const KENSE = fileURLToPath(new URL('../cli/bin/kense.mjs', import.meta.url));
const ROUNDS = Number(process.env.KENSE_BENCH_STALL_ROUNDS ?? 4);

/** The prober: a plain Node child (no TypeScript) that asks /v1/health back to back until told to stop. */
const PROBER = `
const url = process.argv[1];
let phase = null; const lat = {};
process.on('message', (m) => {
  if (m.cmd === 'phase') { phase = m.name; lat[phase] = lat[phase] || []; }
  if (m.cmd === 'stop') { phase = null; process.send({ lat }); }
});
(async () => {
  for (;;) {
    if (!phase) { await new Promise((r) => setTimeout(r, 5)); continue; }
    const p = phase; const t0 = performance.now();
    const res = await fetch(url); await res.arrayBuffer();
    lat[p].push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 2));
  }
})();
`;

interface Prober {
  phase(name: string): void;
  stop(): Promise<Record<string, number[]>>;
  child: ChildProcess;
}
function prober(url: string): Prober {
  const child = spawn(process.execPath, ['-e', PROBER, `${url}/v1/health`], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    child,
    phase: (name) => child.send({ cmd: 'phase', name }),
    stop: () =>
      new Promise((resolve) => {
        child.once('message', (m: { lat: Record<string, number[]> }) => {
          child.kill();
          resolve(m.lat);
        });
        child.send({ cmd: 'stop' });
      }),
  };
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
};
const fmt = (xs: number[]) => `p50 ${q(xs, 0.5).toFixed(1)} ms, p99 ${q(xs, 0.99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} probes)`;

/** A valid ИИН/БИН from 11 digits (check digit per the rule). */
function bin(first11: string): string {
  const d = [...first11].map(Number);
  let k = d.reduce((s, x, i) => s + x * (i + 1), 0) % 11;
  if (k === 10) k = d.reduce((s, x, i) => s + x * (((i + 2) % 11) + 1), 0) % 11;
  return k === 10 ? bin(`${first11.slice(0, 10)}${(Number(first11[10]) + 1) % 10}`) : `${first11}${k}`;
}

/** The largest import the server takes: every limit reached, believable names, under the byte limit. */
export function maximalImport(): Buffer {
  const cps = Array.from({ length: 400 }, (_, i) => ({ iinBin: bin(`1504400${String(1000 + i).padStart(4, '0')}`), name: `ТОО «Контрагент ${i} Строй Сервис Алматы»` }));
  const day = (i: number) => `2026-${String(1 + (i % 11)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  const debt = (i: number) => ({ counterpartyIinBin: cps[i % cps.length].iinBin, counterpartyName: cps[i % cps.length].name, document: `Реализация ТМЗ и услуг № ${i} от ${day(i)}`, documentDate: day(i), dueDate: day(i + 3), amount: 1_000_00 + i });
  const body = {
    format: 'kense-accounting/1',
    asOf: '2026-11-25T18:00:00+05:00',
    source: { system: '1C:Бухгалтерия для Казахстана 3.0', base: 'Основная' },
    accounts: Array.from({ length: L.accounts }, (_, i) => ({ code: `1030.${i}`, name: `Расчётный счёт ${i} в АО «Народный банк»`, kind: i % 10 ? 'bank' : 'cash', balance: 1_000_000_00 + i })),
    cashflow: Array.from({ length: L.cashflow }, (_, i) => ({ date: `${2024 + Math.floor(i / 365)}-${String(1 + Math.floor((i % 365) / 31)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, inflow: 5_000_00 * (i % 7), outflow: 3_000_00 * (i % 5) })),
    sales: Array.from({ length: L.sales }, (_, i) => ({ date: day(i), customerIinBin: cps[i % cps.length].iinBin, customerName: cps[i % cps.length].name, amount: 50_000_00 + i })),
    receivables: Array.from({ length: L.receivables }, (_, i) => debt(i)),
    payables: Array.from({ length: L.payables }, (_, i) => debt(i + 7)),
  };
  const bytes = Buffer.from(JSON.stringify(body));
  if (bytes.length > L.bytes) throw new Error(`the maximal import is ${bytes.length} bytes, over the limit ${L.bytes}`);
  return bytes;
}

async function post(url: string, token: string, path: string, body: Buffer | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function benchOne(label: string, args: string[]): Promise<void> {
  const server = serveProcess(['--port', '0', '--seed', 'demo', ...args], { kense: KENSE });
  const { url, users } = await server.ready;
  const headUser = users.find((u) => u.role === 'first_manager')!;
  const login = await post(url, '', '/v1/auth/password', JSON.stringify({ iin: headUser.iin, password: headUser.password, device: { id: 'bench-stall', name: 'bench', platform: 'cli' } }));
  const token = login.accessToken as string;
  const body = maximalImport();
  const p = prober(url);
  try {
    await new Promise((r) => setTimeout(r, 300));
    p.phase('idle');
    await new Promise((r) => setTimeout(r, 3000));
    p.phase('import');
    const importMs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      await post(url, token, '/v1/imports/accounting', body, { 'idempotency-key': randomUUID() });
      importMs.push(performance.now() - t0);
    }
    p.phase('pull');
    for (let i = 0; i < ROUNDS; i++) {
      for (let cursor = '', more = true; more; ) {
        const res = await fetch(`${url}/v1/sync/changes?limit=5000${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
        const page = (await res.json()) as { cursor: string; hasMore: boolean };
        cursor = page.cursor;
        more = page.hasMore;
      }
    }
    p.phase('mutations');
    const reason = `Отказ: ${'объём работ не соответствует договору; '.repeat(50)}`.slice(0, 2000);
    for (let i = 0; i < ROUNDS; i++) {
      const mutations = Array.from({ length: 100 }, () => ({ mutationId: randomUUID(), name: 'refuseAct', args: { actId: randomUUID(), reason }, baseVersion: null }));
      await post(url, token, '/v1/sync/mutations', JSON.stringify({ mutations }));
    }
    const lat = await p.stop();
    const sizeMb = (body.length / 1024 / 1024).toFixed(1);
    console.log(`  ${label}: idle (reference): ${fmt(lat.idle)}`);
    console.log(`  ${label}: during ${ROUNDS} maximal imports (${sizeMb} MiB each, ${Math.round(q(importMs, 0.5))} ms median): ${fmt(lat.import)}`);
    console.log(`  ${label}: during ${ROUNDS} full pulls at 5 000 changes a page: ${fmt(lat.pull)}`);
    console.log(`  ${label}: during ${ROUNDS} pushes of 100 mutations: ${fmt(lat.mutations)}   (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
    const worst = Math.max(q(lat.import, 0.99), Math.max(...lat.import));
    report({
      what: `${label}: /v1/health p99 / max while another tenant uploads a maximal accounting import (${sizeMb} MiB)`,
      ours: `${q(lat.import, 0.99).toFixed(1)} / ${Math.max(...lat.import).toFixed(1)} ms`,
      goal: '≤ 100 ms',
      reference: `idle server, same run: ${q(lat.idle, 0.99).toFixed(1)} / ${Math.max(...lat.idle).toFixed(1)} ms`,
      pass: worst <= 100,
    });
  } finally {
    p.child.kill();
    await server.stop();
    // With KENSE_CLOUD_STALL_LOG=<ms> the server named each long turn of its event loop and what was in flight.
    for (const l of server.out().split('\n').filter((x) => x.includes('event loop held'))) console.log(`  ${label} server: ${l}`);
  }
}

export async function run(): Promise<void> {
  const only = process.env.KENSE_BENCH_STORAGE;
  if (only !== 'postgres') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-bench-stall-'));
    try {
      await benchOne('PGlite', ['--data', path.join(dir, 'cloud')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only === 'pglite') return;
  const admin = process.env.KENSE_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!admin) {
    console.log('SKIP PostgreSQL: set KENSE_TEST_DATABASE_URL (or DATABASE_URL) to a server this benchmark may create a database on');
    return;
  }
  const db = await createThrowawayDatabase(admin, 'kense_bench');
  try {
    await benchOne('PostgreSQL', ['--database-url', db.url]);
  } finally {
    await db.drop();
  }
}
