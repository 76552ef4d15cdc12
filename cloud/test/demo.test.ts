// The full demo tenant as a new user gets it: `kense cloud serve --seed demo` in its own process, the printed
// password signs in, the data is believable and contract-valid, and a second start reuses it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { isValidBin, isValidIik } from '../../contract/kz-identifiers';
import { ACT_STATES } from '../../contract/cloud';
import { Client } from './harness';
import { serveProcess, type ServedUser } from './serve-process';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-demo-'));
const running: { stop(): Promise<number | null> }[] = [];
afterAll(async () => {
  for (const r of running) await r.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `kense cloud serve --seed demo` and waits for the lines a user reads. */
async function serveDemo(): Promise<{ out: () => string; url: string; users: ServedUser[]; stop(): Promise<number | null> }> {
  const served = serveProcess(['--seed', 'demo', '--port', '0', '--data', dir], { timeoutMs: 150_000 });
  running.push(served);
  const { url, users } = await served.ready;
  return { out: served.out, url, users, stop: () => served.stop() };
}

it('kense cloud serve --seed demo: АО "ТЕСТ" with twelve months of data in every state, the password printed, reused on restart', async () => {
  const first = await serveDemo();
  expect(first.out()).toMatch(/demo tenant: АО "ТЕСТ", БИН 123456789021 — 5000 documents seeded in/);
  expect(first.out()).toMatch(/trust:\s+test/);
  expect(first.users.map((u) => `${u.iin} ${u.role}`)).toEqual(expect.arrayContaining(['123456789011 first_manager', '123456789012 accountant']));
  expect(first.users.map((u) => u.role).sort()).toEqual(['accountant', 'first_manager', 'manager', 'viewer']);
  const c = new Client(first.url);
  const headUser = first.users.find((u) => u.role === 'first_manager')!;
  const head = (await c.login(headUser.iin, headUser.password)).accessToken;
  for (const u of first.users) await c.login(u.iin, u.password);
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
  const notes = all.filter((x) => x.entity === 'notification').map((x) => x.data!.kind);
  expect(notes).toEqual(expect.arrayContaining(['subscription_blocked', 'subscription_unblocked']));
  expect(all.filter((x) => x.entity === 'reconciliation')).toHaveLength(20);
  expect(all.filter((x) => x.entity === 'dashboard').map((x) => x.data!.kind).sort()).toEqual(['awaiting_signature', 'money', 'payables', 'receivables', 'sales']);
  const services = all.filter((x) => x.entity === 'service_act').map((x) => x.data!.state);
  expect(services).toHaveLength(12);
  expect(services).toEqual(expect.arrayContaining(['signed', 'refused', 'deemed_accepted']));
  const company = (await c.ok('company', { token: head })).id;
  expect(await first.stop()).toBe(0);
  expect(first.out()).toContain('kense cloud: stopping');

  const second = await serveDemo();
  expect(second.out()).toMatch(/5000 documents \(already there\)/);
  const c2 = new Client(second.url);
  const head2 = (await c2.login(headUser.iin, headUser.password)).accessToken;
  expect((await c2.ok('company', { token: head2 })).id).toBe(company);
  const again = [...(await c2.pullAll(head2, undefined, 2000)).state.values()];
  expect(again.filter((x) => x.entity === 'act')).toHaveLength(5000);
  expect(again.filter((x) => x.entity === 'invoice')).toHaveLength(12);
  expect(await second.stop()).toBe(0);
}, 300_000);
