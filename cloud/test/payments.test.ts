// Payments of kense's invoices are recorded by kense (from its bank statement), never by the client: the client
// route is gone, a client token opens no operator route, a part payment does not unblock, the full one does at
// once (feed, notifications), every payment is in the client's audit as done by kense's operator, a reference is
// recorded once.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { addCalendarDays, kzDate } from '../../contract/kz-calendar';
import { OPERATOR_PAYMENTS_PATH } from '../../contract/cloud/operator';
import { newInvoice } from '../src/domain/billing';
import { TARIFF_ID } from '../src/seed/catalog';
import { startCloud } from '../src/server';
import { DEMO, OPERATOR_TOKEN, eachBackend, operatorCall, operatorPay, startTestCloud, type TestCloud } from './harness';

eachBackend('payments are recorded by kense only', (backend) => {
  let tc: TestCloud;
  let head: string;
  let accountant: string;
  let companyId: string;
  let period = 0;
  const c = () => tc.client;
  beforeAll(async () => {
    tc = await startTestCloud(backend);
  });
  afterAll(async () => tc?.close());
  beforeEach(async () => {
    head = (await c().login(DEMO.head)).accessToken;
    accountant = (await c().login(DEMO.accountant)).accessToken;
    companyId = (await c().ok('company', { token: head })).id;
  });

  /** An invoice of kense past its due date (the subscription is blocked until it is paid). */
  async function overdueInvoice(amount = 1_500_000) {
    const today = kzDate(tc.server.services.clock.now());
    period++;
    const inv = newInvoice({ companyId, branchId: null, tariffId: TARIFF_ID.business, number: `K-PAY-${period}`, period: `2018-${String(period).padStart(2, '0')}`, issuedOn: addCalendarDays(today, -10), amount, paidAt: null });
    await tc.server.services.db.insertInto('invoices').values(inv).execute();
    expect(await c().ok('subscriptionGet', { token: head })).toMatchObject({ state: 'blocked', outgoingAllowed: false });
    return inv;
  }
  const raw = (path: string, token: string | null, body: unknown) =>
    fetch(`${tc.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const auditOf = async (invoiceId: string) =>
    (await c().ok('auditList', { token: head, query: { action: 'invoice.payment', limit: 1000 } })).items.filter((e) => e.target === `invoice:${invoiceId}`);
  const notes = async (token: string) => (await c().ok('notificationsList', { token, query: { limit: 1000 } })).items;

  it('a client (first manager, accountant) cannot record a payment: the client route is gone, a client token opens no operator route', async () => {
    const inv = await overdueInvoice();
    for (const token of [head, accountant]) {
      const old = await raw(`/v1/invoices/${inv.id}/payment`, token, { reference: 'PP-SELF' });
      expect(old.status).toBe(404);
      expect(await old.json()).toMatchObject({ code: 'NOT_FOUND' });
      const viaOperator = await operatorCall(tc.url, { invoiceId: inv.id, reference: 'PP-SELF' }, token);
      expect(viaOperator).toMatchObject({ ok: false, status: 401, error: { code: 'OPERATOR_AUTH_REQUIRED' } });
    }
    const refresh = (await c().login(DEMO.head)).refreshToken;
    for (const token of [refresh, null, '', `${OPERATOR_TOKEN}x`, OPERATOR_TOKEN.slice(0, -1), OPERATOR_TOKEN.toUpperCase()]) {
      expect(await operatorCall(tc.url, { invoiceId: inv.id, reference: 'PP-SELF' }, token)).toMatchObject({ ok: false, status: 401, error: { code: 'OPERATOR_AUTH_REQUIRED' } });
    }
    const basic = await fetch(`${tc.url}${OPERATOR_PAYMENTS_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${OPERATOR_TOKEN}` }, body: JSON.stringify({ invoiceId: inv.id, reference: 'PP-SELF' }) });
    expect(basic.status).toBe(401);
    // Nothing was recorded.
    expect(await c().ok('invoiceGet', { token: accountant, params: { id: inv.id } })).toMatchObject({ status: 'overdue', paidAmount: 0, paidAt: null });
    expect(await c().ok('subscriptionGet', { token: head })).toMatchObject({ state: 'blocked' });
    expect(await auditOf(inv.id)).toEqual([]);
    await operatorPay(tc.url, { invoiceId: inv.id, reference: `PP-CLEAN-${inv.number}` });
  });

  it('a part payment leaves the subscription blocked; the rest unblocks at once, in the feed, the notifications and the audit', async () => {
    const { cursor } = await c().pullAll(head);
    const unblocked = async () => (await notes(head)).filter((n) => n.kind === 'subscription_unblocked').length;
    const inv = await overdueInvoice(1_500_000);
    const unblockedBefore = await unblocked();
    const part = Math.floor(inv.total / 3);
    const first = await operatorCall(tc.url, { invoiceId: inv.id, amount: part, reference: 'PP-A1', paidAt: '2026-01-10T09:15:00+05:00' });
    expect(first).toMatchObject({ ok: true, status: 201, data: { duplicate: false, remaining: inv.total - part, invoice: { status: 'overdue', paidAmount: part, paidAt: null }, subscription: { state: 'blocked' } } });
    expect(await c().ok('subscriptionGet', { token: head })).toMatchObject({ state: 'blocked', outgoingAllowed: false, unpaidInvoiceIds: expect.arrayContaining([inv.id]) });
    expect(await c().ok('invoiceGet', { token: accountant, params: { id: inv.id } })).toMatchObject({ status: 'overdue', paidAmount: part });
    const cp = (await c().ok('counterpartiesList', { token: head, query: { limit: 1 } })).items[0];
    const today = kzDate(tc.server.services.clock.now());
    const newAct = { counterpartyId: cp.id, number: `PAY-${inv.number}`, date: today, lines: [{ name: 'Услуги', performedOn: today, unit: 'усл.', quantity: '1', price: 100_00 }], handedOver: { position: 'Директор', name: 'ТЕСТОВ ТЕСТ' } };
    await c().fails('actCreate', 'TARIFF_BLOCKED', { token: head, body: newAct });
    const partNote = (await notes(accountant)).find((n) => n.kind === 'payment_received' && n.link?.id === inv.id);
    expect(partNote?.body).toMatch(/осталось оплатить/);
    expect(await unblocked()).toBe(unblockedBefore);

    // The rest (no amount: all that is still due).
    const rest = await operatorPay(tc.url, { invoiceId: inv.id, reference: 'PP-A2', paidAt: '2026-01-12T16:40:00+05:00' });
    expect(rest).toMatchObject({ duplicate: false, remaining: 0, payment: { amount: inv.total - part }, invoice: { status: 'paid', paidAmount: inv.total }, subscription: { state: 'active', outgoingAllowed: true } });
    expect(Date.parse(rest.invoice.paidAt!)).toBe(Date.parse('2026-01-12T16:40:00+05:00'));
    expect(await c().ok('subscriptionGet', { token: accountant })).toMatchObject({ state: 'active', outgoingAllowed: true, blockedSince: null });
    await c().ok('actCreate', { token: head, body: newAct });
    expect(await unblocked()).toBe(unblockedBefore + 1);
    for (const token of [head, accountant]) {
      const kinds = (await notes(token)).filter((n) => n.link?.id === inv.id || n.kind === 'subscription_unblocked').map((n) => n.kind);
      expect(kinds).toEqual(expect.arrayContaining(['payment_received', 'subscription_unblocked']));
    }
    // What a device pulling from before the invoice gets: the paid invoice, the active subscription, the notifications.
    const { state } = await c().pullAll(head, cursor);
    expect(state.get(`invoice:${inv.id}`)?.data).toMatchObject({ status: 'paid', paidAmount: inv.total });
    expect(state.get(`subscription:${companyId}`)?.data).toMatchObject({ state: 'active', outgoingAllowed: true });
    const pulled = [...state.values()].filter((x) => x.entity === 'notification').map((x) => x.data!.kind);
    expect(pulled).toEqual(expect.arrayContaining(['payment_received', 'subscription_unblocked']));

    const entries = await auditOf(inv.id);
    expect(entries).toHaveLength(2);
    for (const e of entries) {
      expect(e).toMatchObject({ userId: null, userName: null, sessionId: null, deviceName: 'kense operator (operator_api)', ip: expect.stringMatching(/127\.0\.0\.1/), details: { actor: 'kense_operator', via: 'operator_api' } });
    }
    expect(entries.map((e) => e.details).sort((a, b) => String(a.reference).localeCompare(String(b.reference)))).toEqual([
      expect.objectContaining({ reference: 'PP-A1', amount: part, paid: false, remaining: inv.total - part, subscription: 'blocked' }),
      expect.objectContaining({ reference: 'PP-A2', amount: inv.total - part, paid: true, remaining: 0, subscription: 'active' }),
    ]);
    const csv = await c().ok('auditExport', { token: head });
    expect(csv).toMatch(/kense operator \(operator_api\),127\.0\.0\.1,invoice\.payment,/);
  });

  it('a reference is recorded once: a repeat changes nothing, another invoice or amount under it is refused; more than is due is refused', async () => {
    const inv = await overdueInvoice(800_000);
    const paid = await operatorCall(tc.url, { invoiceId: inv.id, reference: 'PP-B1' });
    expect(paid).toMatchObject({ ok: true, status: 201, data: { duplicate: false, remaining: 0 } });
    const version = (await c().ok('invoiceGet', { token: head, params: { id: inv.id } })).version;
    const before = { audit: (await auditOf(inv.id)).length, notes: (await notes(head)).length };
    for (const body of [{ invoiceId: inv.id, reference: 'PP-B1' }, { invoiceId: inv.id, reference: ' PP-B1 ', amount: inv.total }]) {
      const again = await operatorCall(tc.url, body);
      expect(again).toMatchObject({ ok: true, status: 200, data: { duplicate: true, remaining: 0, invoice: { status: 'paid', paidAmount: inv.total } } });
      if (again.ok && paid.ok) expect(again.data.payment).toEqual(paid.data.payment);
    }
    expect((await c().ok('invoiceGet', { token: head, params: { id: inv.id } })).version).toBe(version);
    expect({ audit: (await auditOf(inv.id)).length, notes: (await notes(head)).length }).toEqual(before);

    const other = await overdueInvoice(800_000);
    expect(await operatorCall(tc.url, { invoiceId: inv.id, reference: 'PP-B1', amount: 100 })).toMatchObject({ ok: false, status: 409, error: { code: 'PAYMENT_REFERENCE_REUSED', details: { invoiceId: inv.id, amount: inv.total } } });
    expect(await operatorCall(tc.url, { invoiceId: other.id, reference: 'PP-B1' })).toMatchObject({ ok: false, status: 409, error: { code: 'PAYMENT_REFERENCE_REUSED' } });
    const over = await operatorCall(tc.url, { invoiceId: other.id, reference: 'PP-B2', amount: other.total + 1 });
    expect(over).toMatchObject({ ok: false, status: 409, error: { code: 'PAYMENT_EXCEEDS_DUE', details: { remaining: other.total, amount: other.total + 1 } } });
    expect(await operatorCall(tc.url, { invoiceId: inv.id, reference: 'PP-B3' })).toMatchObject({ ok: false, status: 409, error: { code: 'PAYMENT_EXCEEDS_DUE', details: { remaining: 0 } } });
    expect(await c().ok('invoiceGet', { token: head, params: { id: other.id } })).toMatchObject({ status: 'overdue', paidAmount: 0 });
    expect(await auditOf(other.id)).toEqual([]);

    // Ten copies of one statement line at once: recorded once. Ten different lines each paying the rest: one wins.
    const copies = await Promise.all(Array.from({ length: 10 }, () => operatorCall(tc.url, { invoiceId: other.id, reference: 'PP-B4', amount: 100_000 })));
    expect(copies.filter((a) => a.status === 201)).toHaveLength(1);
    expect(copies.filter((a) => a.ok && a.data.duplicate)).toHaveLength(9);
    const lines = await Promise.all(Array.from({ length: 10 }, (_, i) => operatorCall(tc.url, { invoiceId: other.id, reference: `PP-B5-${i}` })));
    expect(lines.filter((a) => a.status === 201)).toHaveLength(1);
    expect(lines.filter((a) => !a.ok && a.error.code === 'PAYMENT_EXCEEDS_DUE')).toHaveLength(9);
    expect(await c().ok('invoiceGet', { token: head, params: { id: other.id } })).toMatchObject({ status: 'paid', paidAmount: other.total });
    expect(await auditOf(other.id)).toHaveLength(2);
    const rows = await tc.server.services.db.selectFrom('invoice_payments').select(['amount']).where('invoice_id', '=', other.id).execute();
    expect(rows.map((r) => r.amount).sort((a, b) => a - b)).toEqual([100_000, other.total - 100_000].sort((a, b) => a - b));
    expect(await c().ok('subscriptionGet', { token: head })).toMatchObject({ state: 'active' });
  });

  it('what the operator sends is checked: identifiers, amounts, instants with an offset and not in the future, references', async () => {
    const inv = await overdueInvoice(500_000);
    const bad = async (body: Record<string, unknown>, code: string, status: number) => expect(await operatorCall(tc.url, body)).toMatchObject({ ok: false, status, error: { code } });
    await bad({ invoiceId: 'not-a-uuid', reference: 'PP-C1' }, 'INVALID_INPUT', 400);
    await bad({ invoiceId: inv.id }, 'INVALID_INPUT', 400);
    await bad({ invoiceId: inv.id, reference: 'PP-C1', amount: 0 }, 'INVALID_INPUT', 400);
    await bad({ invoiceId: inv.id, reference: 'PP-C1', amount: 1.5 }, 'INVALID_INPUT', 400);
    await bad({ invoiceId: inv.id, reference: 'PP-C1', paidAt: '2026-01-10T09:15:00' }, 'INVALID_INPUT', 400);
    await bad({ invoiceId: inv.id, reference: 'PP\u0000C1' }, 'INVALID_INPUT', 400);
    await bad({ invoiceId: inv.id, reference: '   ' }, 'INVALID_INPUT', 400);
    const future = new Date(tc.server.services.clock.now().getTime() + 86_400_000).toISOString();
    await bad({ invoiceId: inv.id, reference: 'PP-C1', paidAt: future }, 'INVALID_INPUT', 400);
    await bad({ invoiceId: '00000000-0000-4000-8000-000000000000', reference: 'PP-C1' }, 'NOT_FOUND', 404);
    expect(await c().ok('invoiceGet', { token: head, params: { id: inv.id } })).toMatchObject({ status: 'overdue', paidAmount: 0 });
    await operatorPay(tc.url, { invoiceId: inv.id, reference: 'PP-C1' });
  });
});

it('a server started without an operator token has no operator route; a short token is refused at start', async () => {
  const plain = await startCloud({ port: 0, trust: 'test' });
  try {
    const a = await operatorCall(plain.url, { invoiceId: '00000000-0000-4000-8000-000000000000', reference: 'PP-1' });
    expect(a).toMatchObject({ ok: false, status: 404, error: { code: 'NOT_FOUND' } });
  } finally {
    await plain.close();
  }
  await expect(startCloud({ port: 0, trust: 'test', operatorToken: 'short-token' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
});
