// The monthly billing cycle on a running server with its clock moved: the invoice on the 1st (new tariff from the
// 1st), the previous month's service act, blocking after the due date, deemed acceptance, unblocking on payment;
// running the cycle again issues nothing twice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kzDate, addCalendarDays } from '../../contract/kz-calendar';
import { isValidIik, isValidBin } from '../../contract/kz-identifiers';
import { invoiceDueOn, serviceActIssuedOn } from '../src/rules/billing';
import { serviceActDeadline } from '../src/rules/deadlines';
import { b64bytes, cmsB64 } from './keys';
import { DEMO, eachBackend, operatorPay, startTestCloud, type TestCloud } from './harness';

eachBackend('cloud monthly billing cycle', (backend) => {
  let tc: TestCloud;
  const c = () => tc.client;
  beforeAll(async () => {
    tc = await startTestCloud(backend, { seed: { kind: 'demo', counterparties: 6, acts: 20 }, tickIntervalSec: 0 });
  });
  afterAll(async () => tc?.close());

  /** Moves the server clock to 09:00 Kazakhstan time on `day`; a fresh session (tokens expire meanwhile). */
  const moveTo = async (day: string) => {
    const clock = tc.server.services.clock;
    clock.advance(Date.parse(`${day}T09:00:00+05:00`) - clock.now().getTime());
    return (await c().login(DEMO.head)).accessToken;
  };
  const counts = async () => {
    const db = tc.server.services.db;
    const companyId = tc.server.seed!.company.id;
    const [i, a] = await Promise.all([
      db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', companyId).executeTakeFirstOrThrow(),
      db.selectFrom('service_acts').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', companyId).executeTakeFirstOrThrow(),
    ]);
    return { invoices: Number(i.n), serviceActs: Number(a.n) };
  };

  it('issues the month’s invoice on the 1st at the new tariff and the previous month’s service act, once; blocks after the due date; payment unblocks', async () => {
    let head = (await c().login(DEMO.head)).accessToken;
    const seeded = await counts();
    expect(seeded).toEqual({ invoices: 12, serviceActs: 12 });
    await tc.server.tick();
    expect(await counts()).toEqual(seeded); // the demo is exactly what the cycle would have issued

    const tariffs = (await c().ok('tariffsList', { token: head })).items;
    const corporate = tariffs.find((t) => t.code === 'corporate')!;
    const business = tariffs.find((t) => t.code === 'business')!;
    const change = await c().ok('subscriptionChange', { token: head, body: { tariffId: corporate.id } });
    const first = change.pendingFrom!;
    const lastMonth = addCalendarDays(first, -1).slice(0, 7);

    // The first working day of the month (the 1st, unless a weekend or holiday): both papers are out by then.
    const actOn = serviceActIssuedOn(lastMonth);
    head = await moveTo(actOn);
    await tc.server.tick();
    await tc.server.tick();
    await c().ok('subscriptionGet', { token: head });
    expect(await counts()).toEqual({ invoices: seeded.invoices + 1, serviceActs: seeded.serviceActs + 1 });

    const invoices = (await c().ok('invoicesList', { token: head, query: { limit: 100 } })).items;
    const inv = invoices.find((i) => i.period === first.slice(0, 7))!;
    expect(inv).toMatchObject({ issuedOn: first, dueOn: invoiceDueOn(first), tariffId: corporate.id, amount: corporate.pricePerMonth, status: 'unpaid', paidAt: null });
    expect(inv.total).toBe(inv.amount + inv.vat);
    expect(inv.payment).toMatchObject({ knp: '851', kbe: '17', bik: expect.stringMatching(/^[A-Z]{4}KZ/) });
    expect(isValidIik(inv.payment.iik) && isValidBin(inv.payment.bin)).toBe(true);
    const acts = (await c().ok('serviceActsList', { token: head, query: { limit: 100 } })).items;
    const act = acts.find((a) => a.month === lastMonth)!;
    expect(act).toMatchObject({ issuedOn: actOn, deadline: serviceActDeadline(actOn), amount: business.pricePerMonth, state: 'issued' });
    const sub = await c().ok('subscriptionGet', { token: head });
    expect(sub).toMatchObject({ tariffId: corporate.id, pendingTariffId: null, state: 'warning', outgoingAllowed: true, unpaidInvoiceIds: [inv.id] });
    const notes = (await c().ok('notificationsList', { token: head, query: { limit: 1000 } })).items.map((n) => n.kind);
    expect(notes).toEqual(expect.arrayContaining(['invoice_issued', 'service_act_issued']));
    const { state } = await c().pullAll(head);
    expect(state.get(`invoice:${inv.id}`)?.data).toMatchObject({ status: 'unpaid', period: inv.period });

    // The day after the due date: blocked for outgoing work; the invoice is overdue.
    head = await moveTo(addCalendarDays(inv.dueOn, 1));
    await tc.server.tick();
    expect(await c().ok('subscriptionGet', { token: head })).toMatchObject({ state: 'blocked', blockedSince: addCalendarDays(inv.dueOn, 1), outgoingAllowed: false });
    expect((await c().ok('invoiceGet', { token: head, params: { id: inv.id } })).status).toBe('overdue');
    const cp = (await c().ok('counterpartiesList', { token: head, query: { limit: 1 } })).items[0];
    const newAct = { counterpartyId: cp.id, number: 'BLK-1', date: first, lines: [{ name: 'Услуги', performedOn: first, unit: 'усл.', quantity: '1', price: 100_00 }], handedOver: { position: 'Директор', name: 'ТЕСТОВ ТЕСТ' } };
    await c().fails('actCreate', 'TARIFF_BLOCKED', { token: head, body: newAct });
    expect((await c().ok('notificationsList', { token: head, query: { limit: 1000 } })).items.map((n) => n.kind)).toEqual(expect.arrayContaining(['invoice_overdue', 'subscription_blocked']));

    // Silence past the service act's deadline: accepted, no longer answerable.
    head = await moveTo(addCalendarDays(act.deadline, 1));
    await tc.server.tick();
    const accepted = await c().ok('serviceActGet', { token: head, params: { id: act.id } });
    expect(accepted.state).toBe('deemed_accepted');
    await c().fails('serviceActSign', 'DEADLINE_PASSED', { token: head, params: { id: act.id }, body: { cms: cmsB64('head', b64bytes(act.canonical.base64)) } });

    // Payment unblocks at once; the cycle still issues nothing twice.
    await operatorPay(tc.url, { invoiceId: inv.id, reference: 'PP-2001' });
    expect(await c().ok('subscriptionGet', { token: head })).toMatchObject({ state: 'active', outgoingAllowed: true, blockedSince: null });
    await c().ok('actCreate', { token: head, body: { ...newAct, number: 'BLK-2' } });
    await tc.server.tick();
    expect(await counts()).toEqual({ invoices: seeded.invoices + 1, serviceActs: seeded.serviceActs + 1 });
    expect(kzDate(tc.server.services.clock.now()) > first).toBe(true);
  }, 60_000);

  it('a refresh token lives 30 days, then sign-in is needed again', async () => {
    const s = await c().login(DEMO.head);
    tc.server.services.clock.advance((tc.server.services.config.refreshTokenTtlSec - 60) * 1000);
    const rotated = await c().ok('authRefresh', { body: { refreshToken: s.refreshToken } });
    tc.server.services.clock.advance(tc.server.services.config.refreshTokenTtlSec * 1000 + 1000);
    const e = await c().fails('authRefresh', 'REFRESH_TOKEN_INVALID', { body: { refreshToken: rotated.refreshToken } });
    expect(e.details).toMatchObject({ reason: 'expired' });
  });
});
