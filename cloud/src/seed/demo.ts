// The demo tenant: АО "ТЕСТ" (БИН 123456789021, НУЦ test PKI) with twelve months of believable data.
// Identities match the keys in resources/test-pki/gost2022-test; counterparties have valid БИН/ИИК.
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { zAccountingImport, type AccountingImport, type ActState, type R1 } from '../../../contract/cloud';
import { addCalendarDays, kzDate } from '../../../contract/kz-calendar';
import type { ActsTable, CounterpartiesTable, ReconciliationsTable, SignaturesTable } from '../db/schema';
import type { Services } from '../context';
import type { SeedReport } from './report';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { kzIso } from '../clock';
import { publish, type FeedItem } from '../feed';
import { actCanonical, actFeed, actView, buildR1 } from '../domain/acts';
import { branchFeed, companyFeed, counterpartyFeed, userFeed } from '../domain/company';
import { invoiceFeed, invoiceNumber, newInvoice, newServiceAct, refreshTimedState, serviceActFeed, serviceActNumber, subscriptionFeed, tariffFeed } from '../domain/billing';
import { billingDue } from '../rules/billing';
import { mirrorHalf, newReconciliation, reconciliationFeed, reconciliationHalf, type Movement } from '../domain/reconciliation';
import { refreshAwaitingDashboard, saveImportDashboards } from '../domain/dashboards';
import { notify } from '../domain/notifications';
import { signatureView } from '../domain/signatures';
import { TARIFF_ID } from './catalog';
import { BANKS, SERVICES, address, companyName, int, personName, pick, prng, validBin, validIik, validIin, type Rng } from './generate';
import { insertChunked } from './insert';

export const DEMO_BIN = '123456789021';
export const DEMO_PASSWORD = 'Kense-Demo-2026!';
/** Serial numbers of the test keys (resources/test-pki/README.md), recorded on seeded signatures. */
const HEAD_SERIAL = '303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E';
const SIGNRIGHT_SERIAL = '179FDD544A7F9A19B77AD38275CA45F20B84E590';

export interface DemoOptions {
  counterparties?: number;
  acts?: number;
  /** Reproducible data: the same seed gives the same tenant. */
  seed?: number;
}

const at = (date: string, hour = 10) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+05:00`);
const monthStart = (today: string, back: number) => {
  const [y, m] = today.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 - back, 1)).toISOString().slice(0, 10);
};

export async function seedDemo(s: Services, o: DemoOptions = {}): Promise<SeedReport> {
  const started = Date.now();
  const existing = await s.db.selectFrom('companies').selectAll().where('iin_bin', '=', DEMO_BIN).executeTakeFirst();
  const users = [
    { iin: '123456789011', fullName: 'ТЕСТОВ ТЕСТ', role: 'first_manager' as const, branch: null as number | null },
    { iin: '123456789012', fullName: 'ТЕСТТОВ ТЕСТТ', role: 'accountant' as const, branch: null },
  ];
  const r = prng(o.seed ?? 20_26);
  users.push({ iin: validIin(r, true), fullName: 'Ахметова Айгуль', role: 'manager' as never, branch: 0 });
  users.push({ iin: validIin(r), fullName: 'Серикбаев Данияр', role: 'viewer' as never, branch: null });
  const report = (id: string, created: boolean, documents: number): SeedReport => ({
    company: { id, name: 'АО "ТЕСТ"', iinBin: DEMO_BIN },
    users: users.map((u) => ({ iin: u.iin, fullName: u.fullName, role: u.role, password: DEMO_PASSWORD })),
    documents,
    created,
    ms: Date.now() - started,
  });
  if (existing) {
    const n = await s.db.selectFrom('acts').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', existing.id).executeTakeFirstOrThrow();
    // The password printed at start must sign in as printed, however long the demo data has been kept: demo users
    // still on it count it as set today (periodic change would otherwise lock the demo after 90 days).
    const demoUsers = await s.db.selectFrom('users').select(['id', 'password_hash']).where('company_id', '=', existing.id).execute();
    for (const u of demoUsers) {
      if (u.password_hash && (await verifyPassword(DEMO_PASSWORD, u.password_hash))) await s.db.updateTable('users').set({ password_changed_at: s.clock.now() }).where('id', '=', u.id).execute();
    }
    await refreshTimedState(s, existing.id);
    return report(existing.id, false, Number(n.n));
  }

  const now = s.clock.now();
  const today = kzDate(now);
  const companyId = randomUUID();
  const company = { name: 'АО "ТЕСТ"', iinBin: DEMO_BIN, address: 'г. Астана, ул. Тестовая, 1' };
  const hash = await hashPassword(DEMO_PASSWORD);
  let documents = 0;

  await s.db.transaction().execute(async (trx) => {
    const feed: FeedItem[] = [];
    const c = await trx.insertInto('companies').values({ id: companyId, name: company.name, iin_bin: DEMO_BIN, kind: 'legal_entity', address: company.address }).returningAll().executeTakeFirstOrThrow();
    feed.push(companyFeed(c));
    const branches = await trx
      .insertInto('branches')
      .values([
        { id: randomUUID(), company_id: companyId, name: 'Филиал АО "ТЕСТ" в г. Алматы', bin: validBin(r, 1), address: 'г. Алматы, пр. Абая, 10' },
        { id: randomUUID(), company_id: companyId, name: 'Филиал АО "ТЕСТ" в г. Шымкент', bin: validBin(r, 1), address: 'г. Шымкент, ул. Байтурсынова, 5' },
      ])
      .returningAll()
      .execute();
    for (const b of branches) feed.push(branchFeed(b, false));
    const userRows = await trx
      .insertInto('users')
      .values(users.map((u) => ({
        id: randomUUID(), company_id: companyId, iin: u.iin, full_name: u.fullName, role: u.role, branch_id: u.branch === null ? null : branches[u.branch].id,
        password_hash: hash, password_changed_at: now,
      })))
      .returningAll()
      .execute();
    for (const u of userRows) feed.push(userFeed(u, now));
    const head = userRows[0], accountant = userRows[1];

    // Counterparties with valid БИН and ИИК; a third belong to a branch.
    const cps: Selectable<CounterpartiesTable>[] = [];
    const nCp = o.counterparties ?? 300;
    const seenBin = new Set<string>();
    for (let i = 0; i < nCp; i++) {
      let bin = validBin(r);
      while (seenBin.has(bin)) bin = validBin(r);
      seenBin.add(bin);
      const bank = pick(r, BANKS);
      cps.push({
        id: randomUUID(), company_id: companyId, branch_id: i % 3 === 0 ? branches[i % 2].id : null, iin_bin: bin, name: companyName(r, i), address: address(r),
        kbe: '17', iik: validIik(r, bank.code), bik: bank.bik, bank: bank.name, email: `info${i}@example.kz`, version: 1, deleted_at: null, created_at: now,
      });
    }
    await insertChunked(trx, 'counterparties', cps);
    for (const cp of cps) feed.push(counterpartyFeed(cp));

    // Tariff history: Старт, then Бизнес for the last six months. Invoices and service acts are what the monthly
    // cycle (rules/billing billingDue) issues for it, so a running server adds nothing twice; one invoice was paid
    // late (the subscription was blocked for a few days, then unblocked by the payment).
    const tariffs = await trx.selectFrom('tariffs').selectAll().execute();
    for (const t of tariffs) feed.push(tariffFeed(t));
    const switchMonth = monthStart(today, 6);
    const priceOf = (id: string) => tariffs.find((t) => t.id === id)!.price_tiyn;
    const history = [
      { tariffId: TARIFF_ID.start, price: priceOf(TARIFF_ID.start), from: monthStart(today, 12), to: switchMonth },
      { tariffId: TARIFF_ID.business, price: priceOf(TARIFF_ID.business), from: switchMonth, to: null },
    ];
    await trx.insertInto('subscription_history').values(history.map((h) => ({ id: randomUUID(), company_id: companyId, tariff_id: h.tariffId, valid_from: h.from, valid_to: h.to }))).execute();
    const due = billingDue({ today, history, invoiced: new Set(), serviceActs: new Set() });
    const monthsBack = (month: string) => (Number(today.slice(0, 4)) - Number(month.slice(0, 4))) * 12 + Number(today.slice(5, 7)) - Number(month.slice(5, 7));
    const LATE = 4;
    const invoices = due.invoices.map((d) => {
      const back = monthsBack(d.period);
      const paidOn = addCalendarDays(d.issuedOn, back === LATE ? 9 : back === 0 ? 0 : 2);
      return newInvoice({ companyId, branchId: null, tariffId: d.tariffId, number: invoiceNumber(d.period, DEMO_BIN), period: d.period, issuedOn: d.issuedOn, amount: d.amount, paidAt: paidOn <= today ? at(paidOn, 12) : null });
    });
    await insertChunked(trx, 'invoices', invoices);
    // As kense recorded them from its bank statement on the day the money arrived.
    const payments = invoices.filter((i) => i.paid_at).map((i) => ({
      id: randomUUID(), company_id: companyId, invoice_id: i.id, amount: i.total, paid_at: i.paid_at!, reference: i.payment_ref!, recorded_at: i.paid_at!, recorded_by: 'seed',
    }));
    await insertChunked(trx, 'invoice_payments', payments);
    for (const i of invoices) feed.push(invoiceFeed(i, today));
    const sub = await trx.insertInto('subscriptions').values({ company_id: companyId, tariff_id: TARIFF_ID.business, unpaid_invoice_ids: JSON.stringify({ unpaid: [], overdue: [] }) }).returningAll().executeTakeFirstOrThrow();
    feed.push(subscriptionFeed(sub));
    const late = invoices.find((i) => monthsBack(i.period) === LATE);

    // Monthly service acts from kense: mostly signed, one refused, the rest left to the 5-working-day rule.
    const sigRows: Selectable<SignaturesTable>[] = [];
    const services = due.serviceActs.map((d) => {
      const back = monthsBack(d.month);
      const sa = newServiceAct(companyId, { name: company.name, iinBin: DEMO_BIN }, d.month, d.issuedOn, d.amount, serviceActNumber(d.month));
      if (back === 5) {
        sa.state = 'refused';
        sa.refusal = JSON.stringify({ reason: 'В акте указан неверный тариф за период', at: `${d.issuedOn}T15:00:00.000+05:00`, byUserId: head.id });
      } else if (back > 2 && back !== 7) {
        sa.state = 'signed';
        sigRows.push(seedSignature(companyId, 'service_act', sa.id, 'ours', head.full_name, head.iin, DEMO_BIN, 'first_head', HEAD_SERIAL, at(addCalendarDays(d.issuedOn, 1), 11), head.id));
      }
      return sa;
    });
    await insertChunked(trx, 'service_acts', services);

    // Acts: outgoing (we perform) and incoming (we buy), over twelve months, in every state.
    const acts: Selectable<ActsTable>[] = [];
    const nActs = o.acts ?? 5000;
    const stateOf = (dir: 'incoming' | 'outgoing', age: number): ActState => {
      const x = r();
      if (dir === 'outgoing') {
        if (age > 60) return x < 0.85 ? 'signed_by_both' : x < 0.9 ? 'refused' : x < 0.95 ? 'withdrawn' : 'viewed';
        if (age > 14) return x < 0.5 ? 'signed_by_both' : x < 0.7 ? 'viewed' : x < 0.85 ? 'delivered' : x < 0.95 ? 'sent' : 'refused';
        return x < 0.3 ? 'draft' : x < 0.5 ? 'signed_by_us' : x < 0.7 ? 'sent' : x < 0.85 ? 'delivered' : x < 0.95 ? 'viewed' : 'signed_by_both';
      }
      if (age > 60) return x < 0.9 ? 'signed_by_both' : 'refused';
      return x < 0.45 ? 'signed_by_them' : x < 0.92 ? 'signed_by_both' : 'refused';
    };
    for (let i = 0; i < nActs; i++) {
      const age = Math.floor(r() * r() * 365);
      const date = addCalendarDays(today, -age);
      const dir = r() < 0.6 ? 'outgoing' : 'incoming';
      const cp = pick(r, cps);
      const id = randomUUID();
      const number = `${dir === 'outgoing' ? 'Т' : 'В'}-${date.slice(2, 4)}${date.slice(5, 7)}-${String(i + 1).padStart(5, '0')}`;
      const lines = Array.from({ length: int(r, 1, 4) }, () => {
        const sv = pick(r, SERVICES);
        return { name: sv.name, performedOn: date, report: '', unit: sv.unit, quantity: String(int(r, 1, 40)), price: int(r, sv.price[0] / 1000, sv.price[1] / 1000) * 1000 };
      });
      const us = { name: company.name, iinBin: DEMO_BIN, address: company.address };
      const them = { name: cp.name, iinBin: cp.iin_bin, address: cp.address };
      const r1: R1 = buildR1({
        documentNumber: number, documentDate: date, performer: dir === 'outgoing' ? us : them, customer: dir === 'outgoing' ? them : us,
        contract: { number: `Д-${cp.iin_bin.slice(-4)}`, date: addCalendarDays(today, -400) }, lines, customerStocks: '', attachments: [],
        handedOver: { position: 'Директор', name: dir === 'outgoing' ? head.full_name : personName(r) },
        accepted: { position: 'Директор', name: dir === 'outgoing' ? personName(r) : head.full_name },
      });
      const canon = actCanonical(id, r1);
      const state = stateOf(dir, age);
      const created = at(date, 9 + (i % 8));
      const updated = new Date(created.getTime() + int(r, 0, Math.min(age, 20)) * 86_400_000);
      const signer = r() < 0.7 ? { u: head, role: 'first_head', serial: HEAD_SERIAL } : { u: accountant, role: 'sign_right', serial: SIGNRIGHT_SERIAL };
      const oursSigned = dir === 'outgoing' ? state !== 'draft' : state === 'signed_by_both';
      const theirsSigned = dir === 'incoming' || state === 'signed_by_both';
      if (theirsSigned) sigRows.push(seedSignature(companyId, 'act', id, 'theirs', personName(r), null, cp.iin_bin, 'counterparty', null, dir === 'incoming' ? created : updated, null));
      if (oursSigned) sigRows.push(seedSignature(companyId, 'act', id, 'ours', signer.u.full_name, signer.u.iin, DEMO_BIN, signer.role, signer.serial, dir === 'outgoing' ? created : updated, signer.u.id));
      acts.push({
        id, company_id: companyId, branch_id: cp.branch_id, direction: dir, number, date, counterparty_id: cp.id, counterparty_name: cp.name,
        counterparty_iin_bin: cp.iin_bin, state, amount_with_vat: r1.totals.amountWithVat, r1: JSON.stringify(r1), canonical: canon.bytes,
        canonical_sha256: canon.sha256, canonical_format: canon.format,
        refusal: state === 'refused' ? JSON.stringify({ side: dir === 'outgoing' ? 'theirs' : 'ours', reason: pick(r, ['Объём работ не соответствует договору', 'Неверная цена за единицу', 'Работы выполнены не полностью']), at: kzIso(updated) }) : null,
        withdrawal: state === 'withdrawn' ? JSON.stringify({ reason: 'Акт выставлен ошибочно', at: kzIso(updated) }) : null,
        version: 1, created_at: created, updated_at: updated, peer_act_id: null, peer_company_id: null,
      });
    }
    await insertChunked(trx, 'acts', acts, 400);
    documents = acts.length;

    // Reconciliation acts with the busiest counterparties, per quarter.
    const recs: Selectable<ReconciliationsTable>[] = [];
    const signedByCp = new Map<string, Movement[]>();
    for (const a of acts) {
      if (a.state !== 'signed_by_both' || !a.counterparty_id) continue;
      const list = signedByCp.get(a.counterparty_id) ?? [];
      list.push({ date: a.date, document: `АВР № ${a.number} от ${a.date.split('-').reverse().join('.')}`, debit: a.direction === 'outgoing' ? a.amount_with_vat : 0, credit: a.direction === 'incoming' ? a.amount_with_vat : 0 });
      signedByCp.set(a.counterparty_id, list);
    }
    const busiest = [...signedByCp.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, 20);
    const recStates = ['signed_by_both', 'signed_by_both', 'signed_by_both', 'signed_by_both', 'signed_by_us', 'sent', 'refused', 'signed_by_them', 'signed_by_both', 'sent'] as const;
    busiest.forEach(([cpId, moves], i) => {
      const cp = cps.find((x) => x.id === cpId)!;
      const back = 3 * (1 + (i % 3));
      const from = monthStart(today, back);
      const to = addCalendarDays(monthStart(today, back - 3), -1);
      const ours = reconciliationHalf(moves.filter((m) => m.date < from).reduce((sum, m) => sum + m.debit - m.credit, 0), moves.filter((m) => m.date >= from && m.date <= to));
      const state = recStates[i % recStates.length];
      const recent = i % 2 === 0;
      const sentOn = recent ? addCalendarDays(today, -2) : addCalendarDays(to, 3);
      const rec = newReconciliation({
        companyId, branchId: cp.branch_id, company: { name: company.name, iinBin: DEMO_BIN }, counterparty: { id: cp.id, name: cp.name, iinBin: cp.iin_bin },
        periodFrom: from, periodTo: to, ours, theirs: state === 'signed_by_both' || state === 'signed_by_them' ? mirrorHalf(ours) : null, state, sentOn, now,
      });
      if (state === 'refused') rec.refusal = JSON.stringify({ side: 'theirs', reason: 'Не учтена оплата по платёжному поручению', at: `${sentOn}T16:00:00.000+05:00` });
      if (state === 'signed_by_both' || state === 'signed_by_us') sigRows.push(seedSignature(companyId, 'reconciliation', rec.id, 'ours', head.full_name, head.iin, DEMO_BIN, 'first_head', HEAD_SERIAL, at(sentOn, 12), head.id));
      if (state === 'signed_by_both' || state === 'signed_by_them') sigRows.push(seedSignature(companyId, 'reconciliation', rec.id, 'theirs', personName(r), null, cp.iin_bin, 'counterparty', null, at(sentOn, 15), null));
      recs.push(rec);
    });
    await insertChunked(trx, 'reconciliations', recs, 200);
    await insertChunked(trx, 'signatures', sigRows, 500);

    // Client views into the feed, signatures included.
    const sigsByDoc = new Map<string, ReturnType<typeof signatureView>[]>();
    for (const sr of sigRows) {
      const l = sigsByDoc.get(sr.doc_id) ?? [];
      l.push(signatureView(sr));
      sigsByDoc.set(sr.doc_id, l);
    }
    for (const sa of services) feed.push(serviceActFeed(sa, sigsByDoc.get(sa.id)?.[0] ?? null));
    for (const a of acts) feed.push(actFeed(a, actView(a, sigsByDoc.get(a.id) ?? [])));
    for (const rec of recs) feed.push(reconciliationFeed(rec, sigsByDoc.get(rec.id) ?? []));
    await publish(trx, companyId, feed);

    await saveImportDashboards(trx, companyId, demoAccounting(r, acts, now, today));
    await refreshAwaitingDashboard(trx, companyId, now);
    await notify(trx, companyId, [head.id], { kind: 'act_incoming', title: 'Новые входящие акты', body: 'Поступили акты, ожидающие вашей подписи.' }, now);
    await notify(trx, companyId, [head.id, accountant.id], { kind: 'invoice_issued', title: 'Счёт kense', body: `Выставлен счёт за ${today.slice(0, 7)}.` }, now);
    await notify(trx, companyId, [head.id], { kind: 'security', title: 'Вход с нового устройства', body: 'Если это были не вы, завершите сеанс в настройках безопасности.' }, now);
    if (late?.paid_at) {
      // The blocked-then-paid month, as the people who lived through it were told.
      const blockedOn = addCalendarDays(late.due_on, 1);
      await notify(trx, companyId, [head.id, accountant.id], { kind: 'invoice_overdue', title: `Счёт № ${late.number} просрочен`, body: `Срок оплаты истёк ${late.due_on.split('-').reverse().join('.')}.`, link: { entity: 'invoice', id: late.id } }, at(blockedOn, 0));
      await notify(trx, companyId, [head.id, accountant.id], { kind: 'subscription_blocked', title: 'Подписка заблокирована', body: 'Счёт не оплачен в срок: исходящие документы недоступны до оплаты.' }, at(blockedOn, 0));
      await notify(trx, companyId, [head.id, accountant.id], { kind: 'subscription_unblocked', title: 'Подписка разблокирована', body: 'Оплата получена: все функции снова доступны.' }, late.paid_at);
    }
  });
  await refreshTimedState(s, companyId);
  return report(companyId, true, documents);
}

function seedSignature(companyId: string, docType: string, docId: string, side: string, name: string, iin: string | null, bin: string | null, role: string, serial: string | null, signedAt: Date, userId: string | null): Selectable<SignaturesTable> {
  return { id: randomUUID(), company_id: companyId, doc_type: docType, doc_id: docId, side, signer_name: name, signer_iin: iin, signer_bin: bin, role, cert_serial: serial, signed_at: signedAt, cms: null, cms_sha256: null, user_id: userId,
    claimed_at: null, timestamp_status: 'none', timestamp_at: null, timestamp_tsa: null, timestamp_source: null, timestamp_attempts: 0, timestamp_next_at: null, timestamp_error: null };
}

/** An accounting export consistent with the acts: sales from our signed acts, debts from the recent ones. */
function demoAccounting(r: Rng, acts: Selectable<ActsTable>[], now: Date, today: string): AccountingImport {
  const signed = acts.filter((a) => a.state === 'signed_by_both');
  const cashflow = Array.from({ length: 90 }, (_, i) => ({ date: addCalendarDays(today, -89 + i), inflow: int(r, 0, 300) * 1_000_000, outflow: int(r, 0, 250) * 1_000_000 }));
  const debts = (dir: string, days: number, share: number) =>
    signed
      .filter((a) => a.direction === dir && a.date >= addCalendarDays(today, -days) && r() < share)
      .map((a) => ({ counterpartyIinBin: a.counterparty_iin_bin, counterpartyName: a.counterparty_name, document: `АВР № ${a.number}`, documentDate: a.date, dueDate: addCalendarDays(a.date, 30), amount: a.amount_with_vat }));
  const imp = {
    format: 'kense-accounting/1' as const,
    asOf: now.toISOString(),
    source: { system: '1C:Бухгалтерия для Казахстана', base: 'demo' },
    accounts: [
      { code: '1030-1', name: 'АО «Kaspi Bank», KZ…4567', kind: 'bank' as const, balance: int(r, 5_000, 40_000) * 100_000 },
      { code: '1030-2', name: 'АО «Народный Банк Казахстана», KZ…1120', kind: 'bank' as const, balance: int(r, 1_000, 15_000) * 100_000 },
      { code: '1010', name: 'Касса', kind: 'cash' as const, balance: int(r, 50, 500) * 100_000 },
    ],
    cashflow,
    sales: signed.filter((a) => a.direction === 'outgoing').map((a) => ({ date: a.date, customerIinBin: a.counterparty_iin_bin, customerName: a.counterparty_name, amount: a.amount_with_vat })),
    receivables: debts('outgoing', 120, 0.5),
    payables: debts('incoming', 90, 0.4),
  };
  return zAccountingImport.parse(imp);
}

