// The full demo tenant, as `kense cloud serve --seed demo` makes it: believable, contract-valid, idempotent.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { isValidBin, isValidIik } from '../../contract/kz-identifiers';
import { ACT_STATES } from '../../contract/cloud';
import { startCloud, type CloudServer } from '../src/server';
import { TEST_CRL } from '../src/signatures';
import { Client, DEMO } from './harness';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-demo-'));
let server: CloudServer | undefined;
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('seeds АО "ТЕСТ" with twelve months of data in every state, valid for the contract, and does not duplicate on restart', async () => {
  server = await startCloud({ dataDir: dir, port: 0, trust: 'test', crlFiles: [TEST_CRL], seed: { kind: 'demo' } });
  expect(server.seed).toMatchObject({ created: true, documents: 5000, company: { iinBin: '123456789021' } });
  expect(server.seed!.ms).toBeLessThan(30_000);
  expect(server.seed!.users.map((u) => u.iin)).toEqual(expect.arrayContaining(['123456789011', '123456789012']));
  const c = new Client(server.url);
  const head = (await c.login(DEMO.head)).accessToken;
  const { state } = await c.pullAll(head, undefined, 2000);
  const all = [...state.values()];
  const acts = all.filter((x) => x.entity === 'act').map((x) => x.data!);
  expect(acts).toHaveLength(5000);
  for (const st of ACT_STATES) expect(acts.some((a) => a.state === st), st).toBe(true);
  expect(new Set(acts.map((a) => (a.date as string).slice(0, 7))).size).toBeGreaterThanOrEqual(12);
  const cps = all.filter((x) => x.entity === 'counterparty').map((x) => x.data!);
  expect(cps).toHaveLength(300);
  expect(cps.every((cp) => isValidBin(cp.iinBin as string) && isValidIik((cp.account as { iik: string }).iik))).toBe(true);
  const invoices = all.filter((x) => x.entity === 'invoice').map((x) => x.data!);
  expect(invoices).toHaveLength(12);
  const late = invoices.filter((i) => i.paidAt && (i.paidAt as string).slice(0, 10) > (i.dueOn as string));
  expect(late).toHaveLength(1); // the blocked-then-paid month
  expect(all.filter((x) => x.entity === 'reconciliation')).toHaveLength(20);
  expect(all.filter((x) => x.entity === 'dashboard').map((x) => x.data!.kind).sort()).toEqual(['awaiting_signature', 'money', 'payables', 'receivables', 'sales']);
  const services = all.filter((x) => x.entity === 'service_act').map((x) => x.data!.state);
  expect(services).toEqual(expect.arrayContaining(['signed', 'refused', 'deemed_accepted']));
  await server.close();

  server = await startCloud({ dataDir: dir, port: 0, trust: 'test', crlFiles: [TEST_CRL], seed: { kind: 'demo' } });
  expect(server.seed).toMatchObject({ created: false, documents: 5000 });
  const n = await server.services.db.selectFrom('companies').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  expect(Number(n.n)).toBe(1);
}, 180_000);
