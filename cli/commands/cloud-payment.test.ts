// `kense cloud record-payment`: kense's operator records a client's payment on the server's own storage (PGlite
// with the server stopped, PostgreSQL beside a running server); `serve --operator-token-env` opens the operator
// route, and a PGlite folder in use by a running server is refused.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { addCalendarDays, kzDate } from '../../contract/kz-calendar';
import { newInvoice } from '../../cloud/src/domain/billing';
import { formatTenge } from '../../cloud/src/money';
import { HOLDER_FILE } from '../../cloud/src/db/storage-lock';
import { TARIFF_ID } from '../../cloud/src/seed/catalog';
import { startCloud, type CloudServer, type StartOptions } from '../../cloud/src/server';
import { Client, DEMO, createDatabase, operatorCall } from '../../cloud/test/harness';
import { runKense } from './cli-test-kit';

const KENSE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/kense.mjs');
const PG_URL = process.env.KENSE_TEST_DATABASE_URL;
const dirs: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), p));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const DEMO_SEED: StartOptions = { port: 0, trust: 'test', seed: { kind: 'demo', counterparties: 4, acts: 10 }, tickIntervalSec: 0 };

/** The demo tenant with one invoice past its due date: the subscription is blocked. */
async function withOverdueInvoice(server: CloudServer) {
  const db = server.services.db;
  const company = await db.selectFrom('companies').select('id').where('iin_bin', '=', '123456789021').executeTakeFirstOrThrow();
  const today = kzDate(server.services.clock.now());
  const inv = newInvoice({ companyId: company.id, branchId: null, tariffId: TARIFF_ID.business, number: 'K-CLI-1', period: '2018-01', issuedOn: addCalendarDays(today, -10), amount: 1_000_000, paidAt: null });
  await db.insertInto('invoices').values(inv).execute();
  const c = new Client(server.url);
  const head = (await c.login(DEMO.head)).accessToken;
  expect(await c.ok('subscriptionGet', { token: head })).toMatchObject({ state: 'blocked' });
  return inv;
}

describe('kense cloud record-payment', () => {
  it('asks for what it needs and checks it before opening any storage', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const data = path.join(os.tmpdir(), 'kense-no-such-folder-never-created');
    expect(await runKense(['cloud', 'record-payment', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('bank statement') });
    expect(await runKense(['cloud', 'record-payment', '--data', data])).toMatchObject({ code: 2, stderr: expect.stringContaining('--invoice is needed') });
    expect(await runKense(['cloud', 'record-payment', '--invoice', 'K-1', '--data', data])).toMatchObject({ code: 2, stderr: expect.stringContaining('--invoice') });
    expect(await runKense(['cloud', 'record-payment', '--invoice', id, '--amount', '12.50', '--data', data])).toMatchObject({ code: 2, stderr: expect.stringContaining('whole number of tiyn') });
    expect(await runKense(['cloud', 'record-payment', '--invoice', id, '--amount', '0', '--data', data])).toMatchObject({ code: 2, stderr: expect.stringContaining('--amount') });
    expect(await runKense(['cloud', 'record-payment', '--invoice', id, '--paid-at', '2026-01-10T10:00:00', '--data', data])).toMatchObject({ code: 2, stderr: expect.stringContaining('--paid-at') });
    expect(existsSync(data)).toBe(false);
    expect(await runKense(['cloud', 'serve', '--operator-token-env', 'KENSE_TEST_NO_SUCH_VAR'])).toMatchObject({ code: 2, stderr: expect.stringContaining('KENSE_TEST_NO_SUCH_VAR is not set') });
    expect(await runKense(['cloud', 'serve', '--operator-token-env', 'OP'], { OP: 'too-short' })).toMatchObject({ code: 2, stderr: expect.stringContaining('shorter than 32') });
  });

  it('PGlite, server stopped: a part payment leaves it blocked, the rest unblocks, a repeat changes nothing; the client sees it, audited as kense operator (cli)', async () => {
    const data = tmp('kense-pay-cli-');
    let server = await startCloud({ ...DEMO_SEED, dataDir: data });
    const inv = await withOverdueInvoice(server);
    await server.close();
    const pay = (...extra: string[]) => runKense(['cloud', 'record-payment', '--invoice', inv.id, '--data', data, ...extra], {});

    const part = await pay('--amount', '400000', '--reference', 'PP-CLI-1', '--paid-at', '2026-01-10T10:30:00+05:00');
    expect(part).toMatchObject({ code: 0, stderr: '' });
    expect(part.stdout).toContain('payment recorded');
    expect(part.stdout).toContain(`overdue — ${formatTenge(inv.total - 400_000)} still due of ${formatTenge(inv.total)}`);
    expect(part.stdout).toMatch(/subscription: blocked/);
    const again = await pay('--amount', '400000', '--reference', 'PP-CLI-1');
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('already recorded — nothing changed') });
    const reused = await pay('--amount', '1', '--reference', 'PP-CLI-1');
    expect(reused).toMatchObject({ code: 1, stderr: expect.stringContaining('PAYMENT_REFERENCE_REUSED') });
    const rest = await pay('--reference', 'PP-CLI-2');
    expect(rest).toMatchObject({ code: 0 });
    expect(rest.stdout).toContain(`paid (${formatTenge(inv.total)} of ${formatTenge(inv.total)})`);
    expect(rest.stdout).toMatch(/subscription: active — outgoing work allowed/);
    const more = await pay('--amount', '100');
    expect(more).toMatchObject({ code: 1, stderr: expect.stringContaining('PAYMENT_EXCEEDS_DUE') });
    expect(more.stderr).toContain('remaining: 0');

    server = await startCloud({ ...DEMO_SEED, dataDir: data });
    try {
      const c = new Client(server.url);
      const head = (await c.login(DEMO.head)).accessToken;
      expect(await c.ok('subscriptionGet', { token: head })).toMatchObject({ state: 'active', outgoingAllowed: true });
      expect(await c.ok('invoiceGet', { token: head, params: { id: inv.id } })).toMatchObject({ status: 'paid', paidAmount: inv.total });
      const kinds = (await c.ok('notificationsList', { token: head, query: { limit: 1000 } })).items.map((n) => n.kind);
      expect(kinds).toEqual(expect.arrayContaining(['payment_received', 'subscription_unblocked']));
      const audit = (await c.ok('auditList', { token: head, query: { action: 'invoice.payment', limit: 100 } })).items.filter((e) => e.target === `invoice:${inv.id}`);
      expect(audit).toHaveLength(2);
      for (const e of audit) expect(e).toMatchObject({ userId: null, deviceName: 'kense operator (cli)', ip: null, details: { actor: 'kense_operator', via: 'cli', operator: os.userInfo().username } });
    } finally {
      await server.close();
    }
  }, 60_000);

  it('PGlite: while `kense cloud serve` runs on the folder, record-payment refuses it (STORAGE_IN_USE); the operator route of that server takes the token from --operator-token-env', async () => {
    const data = tmp('kense-pay-busy-');
    const token = 'op-'.padEnd(40, 'x7');
    const env: NodeJS.ProcessEnv = { ...process.env, KENSE_TEST_OPERATOR_TOKEN: token };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [KENSE, 'cloud', 'serve', '--port', '0', '--data', data, '--operator-token-env', 'KENSE_TEST_OPERATOR_TOKEN'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`kense cloud serve did not start:\n${out}`)), 60_000);
        child.stderr!.on('data', (d) => (out += String(d)));
        child.stdout!.on('data', (d) => {
          out += String(d);
          const u = /URL:\s+(\S+)\/v1/.exec(out)?.[1];
          if (u && out.includes('Ctrl+C')) {
            clearTimeout(timer);
            resolve(u);
          }
        });
        void exited.then((code) => reject(new Error(`kense cloud serve exited (${code}):\n${out}`)));
      });
      expect(out).toMatch(/operator:\s+POST http:\/\/\S+\/v1\/operator\/payments; GET http:\/\/\S+\/v1\/operator\/support\/tickets, POST …\/:id\/replies — with the token from \$KENSE_TEST_OPERATOR_TOKEN/);
      expect(out).not.toContain(token);
      expect(existsSync(path.join(data, HOLDER_FILE))).toBe(true);

      const busy = await runKense(['cloud', 'record-payment', '--invoice', '00000000-0000-4000-8000-000000000000', '--reference', 'PP-1', '--data', data]);
      expect(busy).toMatchObject({ code: 1, stderr: expect.stringContaining('STORAGE_IN_USE') });
      expect(busy.stderr).toContain('/v1/operator/payments');
      expect(await runKense(['cloud', 'restore-epoch', '--data', data])).toMatchObject({ code: 1, stderr: expect.stringContaining('STORAGE_IN_USE') });

      const unknown = await operatorCall(url, { invoiceId: '00000000-0000-4000-8000-000000000000', reference: 'PP-1' }, token);
      expect(unknown).toMatchObject({ ok: false, status: 404, error: { code: 'NOT_FOUND', details: { entity: 'invoice' } } });
      expect(await operatorCall(url, { invoiceId: '00000000-0000-4000-8000-000000000000', reference: 'PP-1' }, `${token}y`)).toMatchObject({ ok: false, status: 401, error: { code: 'OPERATOR_AUTH_REQUIRED' } });
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(existsSync(path.join(data, HOLDER_FILE))).toBe(false);
  }, 90_000);

  if (!PG_URL) {
    console.warn('SKIPPED kense cloud record-payment [postgres]: KENSE_TEST_DATABASE_URL is not set (.ci/run starts PostgreSQL and sets it)');
    it.skip('PostgreSQL, server running — skipped: KENSE_TEST_DATABASE_URL is not set', () => {});
  } else {
    it('PostgreSQL, server running: the payment recorded beside it unblocks the running server at once', async () => {
      const db = await createDatabase();
      const server = await startCloud({ ...DEMO_SEED, databaseUrl: db.url });
      try {
        const inv = await withOverdueInvoice(server);
        const r = await runKense(['cloud', 'record-payment', '--invoice', inv.id, '--reference', 'PP-PG-1', '--paid-at', '2026-01-10T10:30:00Z', '--database-url', db.url]);
        expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('subscription: active') });
        const c = new Client(server.url);
        const head = (await c.login(DEMO.head)).accessToken;
        expect(await c.ok('subscriptionGet', { token: head })).toMatchObject({ state: 'active', outgoingAllowed: true });
        const inv2 = await c.ok('invoiceGet', { token: head, params: { id: inv.id } });
        expect(inv2).toMatchObject({ status: 'paid', paidAmount: inv.total });
        expect(Date.parse(inv2.paidAt!)).toBe(Date.parse('2026-01-10T10:30:00Z'));
        const { state } = await c.pullAll(head);
        expect([...state.values()].find((x) => x.entity === 'subscription')?.data).toMatchObject({ state: 'active' });
        const audit = (await c.ok('auditList', { token: head, query: { action: 'invoice.payment', limit: 10 } })).items;
        expect(audit[0]).toMatchObject({ userId: null, deviceName: 'kense operator (cli)', details: { via: 'cli', reference: 'PP-PG-1' } });
      } finally {
        await server.close();
        await db.drop();
      }
    }, 60_000);
  }
});
