// The client's relation with kense: tariffs, subscription state (warning/blocked), invoices, service acts.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { zInvoice, zServiceAct, zSubscription, zTariff } from '../../../contract/cloud';
import { kzDate } from '../../../contract/kz-calendar';
import { KenseError } from '../../../contract/errors';
import type { Database, InvoicePaymentsTable, InvoicesTable, ServiceActsTable, SubscriptionsTable, TariffsTable } from '../db/schema';
import type { Services } from '../context';
import { kzIso, kzIsoOrNull } from '../clock';
import { companyTx, publish, type FeedItem } from '../feed';
import { billingDue, invoiceDueOn, movesOffClosedTariff, subscriptionState, vatOf, vatRateOn, type SubscriptionFacts, type TariffSpan } from '../rules/billing';
import { serviceActDeadline } from '../rules/deadlines';
import { canonicalBytes } from '../canonical-json';
import { signaturesOf, type SignatureInfo } from './signatures';
import { audit } from './audit';
import { notify, usersWithRoles } from './notifications';
import { refreshAwaitingDashboard } from './dashboards';
import { formatTenge } from '../money';

/** kense's own payment details, printed on every invoice (valid БИН/ИИК; КНП 851 per the offer). */
export const KENSE_PAYMENT = {
  beneficiary: 'ТОО «kense»',
  bin: '180940012348',
  iik: 'KZ64722S000001234567',
  bank: 'АО «Kaspi Bank»',
  bik: 'CASPKZKA',
  kbe: '17',
  knp: '851',
};

export function tariffView(t: Selectable<TariffsTable>): z.infer<typeof zTariff> {
  return {
    id: t.id, version: t.version, code: t.code, name: t.name, pricePerMonth: t.price_tiyn, periodMonths: t.period_months,
    limits: JSON.parse(t.limits), modules: JSON.parse(t.modules), closedAt: kzIsoOrNull(t.closed_at), successorId: t.successor_id,
  };
}
export const tariffFeed = (t: Selectable<TariffsTable>): FeedItem => ({ entity: 'tariff', id: t.id, version: t.version, op: 'upsert', scope: 'catalog', branchId: null, userId: null, data: tariffView(t) });

interface StoredInvoiceSets { unpaid: string[]; overdue: string[] }
const readSets = (s: string): StoredInvoiceSets => {
  const v = JSON.parse(s) as StoredInvoiceSets | string[];
  return Array.isArray(v) ? { unpaid: v, overdue: [] } : v;
};

export function subscriptionView(r: Selectable<SubscriptionsTable>): z.infer<typeof zSubscription> {
  const blocked = JSON.parse(r.blocked_branch_ids) as string[];
  return {
    id: r.company_id, version: r.version, tariffId: r.tariff_id, pendingTariffId: r.pending_tariff_id, pendingFrom: r.pending_from,
    state: r.state as 'active', blockedSince: r.blocked_since, blockedBranchIds: blocked, unpaidInvoiceIds: readSets(r.unpaid_invoice_ids).unpaid,
    outgoingAllowed: r.state !== 'blocked',
  };
}
export const subscriptionFeed = (r: Selectable<SubscriptionsTable>): FeedItem => ({
  entity: 'subscription', id: r.company_id, version: r.version, op: 'upsert', scope: 'billing_status', branchId: null, userId: null, data: subscriptionView(r),
});

export function invoiceStatus(i: Pick<Selectable<InvoicesTable>, 'paid_at' | 'due_on'>, today: string): 'paid' | 'overdue' | 'unpaid' {
  return i.paid_at ? 'paid' : today > i.due_on ? 'overdue' : 'unpaid';
}
export function invoiceView(i: Selectable<InvoicesTable>, today: string): z.infer<typeof zInvoice> {
  return {
    id: i.id, version: i.version, number: i.number, branchId: i.branch_id, tariffId: i.tariff_id, period: i.period, issuedOn: i.issued_on,
    dueOn: i.due_on, amount: i.amount, vatRate: i.vat_rate, vat: i.vat, total: i.total, status: invoiceStatus(i, today),
    paidAmount: i.paid_amount, paidAt: kzIsoOrNull(i.paid_at), payment: JSON.parse(i.payment),
  };
}
export const invoiceFeed = (i: Selectable<InvoicesTable>, today: string): FeedItem => ({
  entity: 'invoice', id: i.id, version: i.version, op: 'upsert', scope: 'billing', branchId: null, userId: null, data: invoiceView(i, today),
});

export function serviceActView(r: Selectable<ServiceActsTable>, sig: SignatureInfo | null): z.infer<typeof zServiceAct> {
  return {
    id: r.id, version: r.version, number: r.number, month: r.month, issuedOn: r.issued_on, deadline: r.deadline, amount: r.amount,
    vatRate: r.vat_rate, vat: r.vat, total: r.total, state: r.state as 'issued',
    canonical: { format: r.canonical_format, base64: Buffer.from(r.canonical).toString('base64'), sha256: r.canonical_sha256 },
    signature: sig, refusal: r.refusal ? JSON.parse(r.refusal) : null,
  };
}
export const serviceActFeed = (r: Selectable<ServiceActsTable>, sig: SignatureInfo | null): FeedItem => ({
  entity: 'service_act', id: r.id, version: r.version, op: 'upsert', scope: 'billing', branchId: null, userId: null, data: serviceActView(r, sig),
});
export async function publishServiceAct(db: Kysely<Database>, r: Selectable<ServiceActsTable>): Promise<z.infer<typeof zServiceAct>> {
  const sig = (await signaturesOf(db, 'service_act', [r.id])).get(r.id)?.[0] ?? null;
  await publish(db, r.company_id, [serviceActFeed(r, sig)]);
  return serviceActView(r, sig);
}

export const SERVICE_ACT_FORMAT = 'kense-service-act+json;v=1';

/** Document numbers of the monthly cycle: one invoice and one service act per company and month. */
export const invoiceNumber = (period: string, iinBin: string): string => `K-${period.replace('-', '')}-${iinBin.slice(-4)}`;
export const serviceActNumber = (month: string): string => `АВР-K-${month.replace('-', '')}`;

/** A monthly service act from kense for `month`, issued on `issuedOn`, with its canonical bytes. */
export function newServiceAct(companyId: string, company: { name: string; iinBin: string }, month: string, issuedOn: string, amount: number, number: string): Selectable<ServiceActsTable> {
  const id = randomUUID();
  const vatRate = vatRateOn(issuedOn);
  const vat = vatOf(amount, vatRate);
  const c = canonicalBytes(SERVICE_ACT_FORMAT, {
    format: SERVICE_ACT_FORMAT, documentId: id, number, month, issuedOn,
    performer: { name: KENSE_PAYMENT.beneficiary, bin: KENSE_PAYMENT.bin }, customer: company,
    service: `Услуги сервиса kense за ${month}`, amount, vatRate, vat, total: amount + vat,
  });
  return {
    id, company_id: companyId, number, month, issued_on: issuedOn, deadline: serviceActDeadline(issuedOn), amount, vat_rate: vatRate, vat,
    total: amount + vat, state: 'issued', canonical: c.bytes, canonical_sha256: c.sha256, canonical_format: c.format, refusal: null, version: 1,
  };
}

export function newInvoice(p: { companyId: string; branchId: string | null; tariffId: string; number: string; period: string; issuedOn: string; amount: number; paidAt: Date | null }): Selectable<InvoicesTable> {
  const vatRate = vatRateOn(p.issuedOn);
  const vat = vatOf(p.amount, vatRate);
  return {
    id: randomUUID(), company_id: p.companyId, branch_id: p.branchId, number: p.number, tariff_id: p.tariffId, period: p.period, issued_on: p.issuedOn,
    due_on: invoiceDueOn(p.issuedOn), amount: p.amount, vat_rate: vatRate, vat, total: p.amount + vat, paid_at: p.paidAt,
    paid_amount: p.paidAt ? p.amount + vat : 0, payment_ref: p.paidAt ? `PP-${p.number}` : null,
    payment: JSON.stringify({ ...KENSE_PAYMENT, purpose: `Оплата по счёту № ${p.number} за ${p.period}, в т.ч. НДС ${vatRate}%` }),
    version: 1,
  };
}

/**
 * Brings time-dependent state up to date for a company: overdue invoices block, a tariff change reaches its
 * 1st of the month, unanswered service and reconciliation acts become accepted. Cheap when nothing changed.
 */
export async function refreshTimedState(s: Services, companyId: string): Promise<void> {
  const today = kzDate(s.clock.now());
  // The monthly cycle depends on the date only: checked once per company and day.
  if (billedOn.get(companyId) !== today) {
    await companyTx(s, companyId, (trx) => runBillingCycle(trx, s, companyId, today));
    billedOn.set(companyId, today);
  }
  const [sub, invoices, dueService, dueRecon] = await Promise.all([
    s.db.selectFrom('subscriptions').selectAll().where('company_id', '=', companyId).executeTakeFirst(),
    s.db.selectFrom('invoices').select(['id', 'branch_id', 'issued_on', 'due_on', 'paid_at']).where('company_id', '=', companyId).where('paid_at', 'is', null).execute(),
    s.db.selectFrom('service_acts').select('id').where('company_id', '=', companyId).where('state', '=', 'issued').where('deadline', '<', today).limit(1).execute(),
    s.db.selectFrom('reconciliations').select('id').where('company_id', '=', companyId).where('state', 'in', ['sent', 'signed_by_them']).where('deadline', '<', today).limit(1).execute(),
  ]);
  if (!sub) return;
  const tariff = await s.db.selectFrom('tariffs').select(['closed_at', 'successor_id']).where('id', '=', sub.tariff_id).executeTakeFirst();
  const closedMove = !!tariff?.successor_id && movesOffClosedTariff(tariff.closed_at ? kzDate(tariff.closed_at) : null, sub.pending_tariff_id !== null, today);
  const facts = subscriptionState(invoices.map((i) => ({ id: i.id, branchId: i.branch_id, issuedOn: i.issued_on, dueOn: i.due_on, paid: false })), today);
  const overdue = invoices.filter((i) => today > i.due_on).map((i) => i.id).sort();
  const changed = subscriptionChanged(sub, facts, overdue) || (sub.pending_from !== null && sub.pending_from <= today) || closedMove;
  if (!changed && dueService.length === 0 && dueRecon.length === 0) return;
  await companyTx(s, companyId, async (trx) => {
    if (changed) await applySubscriptionFacts(trx, s, companyId, today);
    if (dueService.length) {
      const rows = await trx.updateTable('service_acts').set((eb) => ({ state: 'deemed_accepted', version: eb('version', '+', 1) })).where('company_id', '=', companyId).where('state', '=', 'issued').where('deadline', '<', today).returningAll().execute();
      for (const r of rows) await publishServiceAct(trx, r);
    }
    if (dueRecon.length) {
      const { publishReconciliation } = await import('./reconciliation');
      const rows = await trx.updateTable('reconciliations').set((eb) => ({ state: 'deemed_accepted', version: eb('version', '+', 1) })).where('company_id', '=', companyId).where('state', 'in', ['sent', 'signed_by_them']).where('deadline', '<', today).returningAll().execute();
      for (const r of rows) await publishReconciliation(trx, r);
    }
    // Documents accepted by silence no longer await a signature.
    if (dueService.length || dueRecon.length) await refreshAwaitingDashboard(trx, companyId, s.clock.now());
  });
}

/** Days on which the monthly cycle already ran, per company (company ids are unique across databases). */
const billedOn = new Map<string, string>();

/** The client's tariff over time: subscription history, or the current tariff since the company was created. */
async function tariffHistory(db: Kysely<Database>, companyId: string, fallback: { tariffId: string; since: Date }): Promise<TariffSpan[]> {
  const rows = await db
    .selectFrom('subscription_history as h')
    .innerJoin('tariffs as t', 't.id', 'h.tariff_id')
    .select(['h.tariff_id', 't.price_tiyn', 'h.valid_from', 'h.valid_to'])
    .where('h.company_id', '=', companyId)
    .orderBy('h.valid_from')
    .execute();
  if (rows.length) return rows.map((r) => ({ tariffId: r.tariff_id, price: r.price_tiyn, from: r.valid_from, to: r.valid_to }));
  const t = await db.selectFrom('tariffs').select('price_tiyn').where('id', '=', fallback.tariffId).executeTakeFirstOrThrow();
  return [{ tariffId: fallback.tariffId, price: t.price_tiyn, from: kzDate(fallback.since), to: null }];
}

/**
 * The monthly cycle for one company, in its company transaction: a tariff change reaching its 1st is applied
 * first (so a new month bills the new tariff), then the invoices and service acts the rule says are due are
 * issued (the database refuses a second invoice for a month), then the subscription state follows (warning
 * from the invoice date, blocked after the due date). Returns what it issued.
 */
export async function runBillingCycle(trx: Kysely<Database>, s: Services, companyId: string, today: string): Promise<{ invoices: number; serviceActs: number }> {
  const company = await trx.selectFrom('companies').select(['name', 'iin_bin', 'created_at', 'terminated_at']).where('id', '=', companyId).executeTakeFirst();
  const sub = await trx.selectFrom('subscriptions').select('tariff_id').where('company_id', '=', companyId).executeTakeFirst();
  if (!company || company.terminated_at || !sub) return { invoices: 0, serviceActs: 0 };
  await applySubscriptionFacts(trx, s, companyId, today);
  const history = await tariffHistory(trx, companyId, { tariffId: sub.tariff_id, since: company.created_at });
  const [invoiced, acted] = await Promise.all([
    trx.selectFrom('invoices').select('period').where('company_id', '=', companyId).where('branch_id', 'is', null).execute(),
    trx.selectFrom('service_acts').select('month').where('company_id', '=', companyId).execute(),
  ]);
  const due = billingDue({ today, history, invoiced: new Set(invoiced.map((r) => r.period)), serviceActs: new Set(acted.map((r) => r.month)) });
  if (due.invoices.length === 0 && due.serviceActs.length === 0) return { invoices: 0, serviceActs: 0 };
  const now = s.clock.now();
  const who = await usersWithRoles(trx, companyId, ['first_manager', 'accountant']);
  const items: FeedItem[] = [];
  let invoices = 0, serviceActs = 0;
  for (const d of due.invoices) {
    const row = newInvoice({ companyId, branchId: null, tariffId: d.tariffId, number: invoiceNumber(d.period, company.iin_bin), period: d.period, issuedOn: d.issuedOn, amount: d.amount, paidAt: null });
    const inserted = await trx.insertInto('invoices').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
    if (!inserted) continue;
    invoices++;
    items.push(invoiceFeed(inserted, today));
    await notify(trx, companyId, who, {
      kind: 'invoice_issued', title: `Счёт kense № ${inserted.number}`,
      body: `За ${inserted.period}: ${formatTenge(inserted.total)}, оплатить до ${inserted.due_on.split('-').reverse().join('.')} (КНП ${KENSE_PAYMENT.knp}).`,
      link: { entity: 'invoice', id: inserted.id },
    }, now);
  }
  for (const d of due.serviceActs) {
    const row = newServiceAct(companyId, { name: company.name, iinBin: company.iin_bin }, d.month, d.issuedOn, d.amount, serviceActNumber(d.month));
    const inserted = await trx.insertInto('service_acts').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
    if (!inserted) continue;
    serviceActs++;
    items.push(serviceActFeed(inserted, null));
    await notify(trx, companyId, who, {
      kind: 'service_act_issued', title: `Акт kense за ${inserted.month}`,
      body: `Подпишите или откажитесь с причиной до ${inserted.deadline.split('-').reverse().join('.')}; после этого акт считается принятым.`,
      link: { entity: 'service_act', id: inserted.id },
    }, now);
  }
  await publish(trx, companyId, items);
  await applySubscriptionFacts(trx, s, companyId, today);
  if (serviceActs) await refreshAwaitingDashboard(trx, companyId, now);
  return { invoices, serviceActs };
}

/** One pass of the scheduler over every client: the monthly cycle and the time-dependent states. */
export async function tickAll(s: Services): Promise<void> {
  const companies = await s.db.selectFrom('companies').select('id').where('terminated_at', 'is', null).execute();
  for (const c of companies) await refreshTimedState(s, c.id);
}

function subscriptionChanged(sub: Selectable<SubscriptionsTable>, f: SubscriptionFacts, overdue: string[]): boolean {
  const stored = readSets(sub.unpaid_invoice_ids);
  return (
    sub.state !== f.state || sub.blocked_since !== f.blockedSince || sub.blocked_branch_ids !== JSON.stringify(f.blockedBranchIds) ||
    JSON.stringify([...stored.unpaid].sort()) !== JSON.stringify([...f.unpaidInvoiceIds].sort()) || JSON.stringify(stored.overdue) !== JSON.stringify(overdue)
  );
}

/** Recomputes and stores the subscription state inside a company transaction; publishes what changed. */
export async function applySubscriptionFacts(trx: Kysely<Database>, s: Pick<Services, 'clock'>, companyId: string, today: string): Promise<Selectable<SubscriptionsTable>> {
  const now = s.clock.now();
  const sub = await trx.selectFrom('subscriptions').selectAll().where('company_id', '=', companyId).executeTakeFirstOrThrow();
  const unpaid = await trx.selectFrom('invoices').selectAll().where('company_id', '=', companyId).where('paid_at', 'is', null).execute();
  const f = subscriptionState(unpaid.map((i) => ({ id: i.id, branchId: i.branch_id, issuedOn: i.issued_on, dueOn: i.due_on, paid: false })), today);
  const overdue = unpaid.filter((i) => today > i.due_on).map((i) => i.id).sort();
  const stored = readSets(sub.unpaid_invoice_ids);
  let tariffId = sub.tariff_id, pendingTariff = sub.pending_tariff_id, pendingFrom = sub.pending_from;
  const current = await trx.selectFrom('tariffs').select(['closed_at', 'successor_id']).where('id', '=', tariffId).executeTakeFirstOrThrow();
  const moveOff = !!current.successor_id && movesOffClosedTariff(current.closed_at ? kzDate(current.closed_at) : null, pendingTariff !== null, today);
  // Another request may have applied the same facts while this one waited for the lock.
  if (!subscriptionChanged(sub, f, overdue) && !(pendingFrom !== null && pendingFrom <= today) && !moveOff) return sub;
  if (moveOff && current.successor_id) {
    // The client did not choose within the grace days: moved to the successor from today.
    pendingTariff = current.successor_id;
    pendingFrom = today;
  }
  if (pendingFrom !== null && pendingFrom <= today && pendingTariff) {
    await trx.updateTable('subscription_history').set({ valid_to: pendingFrom }).where('company_id', '=', companyId).where('valid_to', 'is', null).execute();
    await trx.insertInto('subscription_history').values({ id: randomUUID(), company_id: companyId, tariff_id: pendingTariff, valid_from: pendingFrom, valid_to: null }).execute();
    tariffId = pendingTariff;
    pendingTariff = null;
    pendingFrom = null;
  }
  const updated = await trx
    .updateTable('subscriptions')
    .set({
      state: f.state, blocked_since: f.blockedSince, blocked_branch_ids: JSON.stringify(f.blockedBranchIds),
      unpaid_invoice_ids: JSON.stringify({ unpaid: f.unpaidInvoiceIds, overdue }), tariff_id: tariffId, pending_tariff_id: pendingTariff, pending_from: pendingFrom,
      version: sub.version + 1,
    })
    .where('company_id', '=', companyId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const items: FeedItem[] = [subscriptionFeed(updated)];
  // Invoices whose status moved (unpaid → overdue) are re-published so the app shows them right.
  const newlyOverdue = overdue.filter((id) => !stored.overdue.includes(id));
  const billingPeople = newlyOverdue.length ? await usersWithRoles(trx, companyId, ['first_manager', 'accountant']) : [];
  for (const i of unpaid.filter((x) => newlyOverdue.includes(x.id))) {
    const bumped = await trx.updateTable('invoices').set({ version: i.version + 1 }).where('id', '=', i.id).returningAll().executeTakeFirstOrThrow();
    items.push(invoiceFeed(bumped, today));
    await notify(trx, companyId, billingPeople, { kind: 'invoice_overdue', title: `Счёт № ${i.number} просрочен`, body: `Срок оплаты истёк ${i.due_on.split('-').reverse().join('.')}.`, link: { entity: 'invoice', id: i.id } }, now);
  }
  const prevBlocked = new Set(JSON.parse(sub.blocked_branch_ids) as string[]);
  const nowBlocked = new Set(f.blockedBranchIds);
  if ([...prevBlocked].some((b) => !nowBlocked.has(b)) || [...nowBlocked].some((b) => !prevBlocked.has(b))) {
    const { branchFeed } = await import('./company');
    const branches = await trx.selectFrom('branches').selectAll().where('company_id', '=', companyId).execute();
    for (const b of branches) if (prevBlocked.has(b.id) !== nowBlocked.has(b.id)) items.push(branchFeed(b, nowBlocked.has(b.id)));
  }
  await publish(trx, companyId, items);
  if (sub.state !== updated.state && (updated.state === 'blocked' || sub.state === 'blocked')) {
    const who = await usersWithRoles(trx, companyId, ['first_manager', 'accountant']);
    const blocked = updated.state === 'blocked';
    await notify(trx, companyId, who, {
      kind: blocked ? 'subscription_blocked' : 'subscription_unblocked',
      title: blocked ? 'Подписка заблокирована' : 'Подписка разблокирована',
      body: blocked ? 'Счёт не оплачен в срок: исходящие документы недоступны до оплаты.' : 'Оплата получена: все функции снова доступны.',
    }, now);
  }
  return updated;
}

/** What is still due on an invoice, in tiyn (0 once paid). */
export const invoiceRemaining = (i: Pick<Selectable<InvoicesTable>, 'paid_at' | 'paid_amount' | 'total'>): number => (i.paid_at ? 0 : Math.max(0, i.total - i.paid_amount));

/** A payment as kense's bank statement shows it. */
export interface PaymentEntry {
  invoiceId: string;
  /** Received, in tiyn; default: all that is still due. */
  amount?: number;
  /** When the payer paid; default now. */
  paidAt?: Date;
  /** The payment document number on the statement: recorded once per paying company. */
  reference: string;
}
/** Who at kense recorded it: only kense's operators do (the CLI on the server's storage, or the operator route). */
export interface PaymentActor {
  via: 'cli' | 'operator_api';
  /** The operator's name where known (the CLI's OS user). */
  operator: string | null;
  ip: string | null;
}
export interface PaymentOutcome {
  /** The reference was already recorded for this invoice and amount: nothing changed. */
  duplicate: boolean;
  payment: Selectable<InvoicePaymentsTable>;
  invoice: Selectable<InvoicesTable>;
  company: { id: string; name: string; iin_bin: string };
  remaining: number;
  subscription: Selectable<SubscriptionsTable>;
  today: string;
}

/** A payment may be dated at most this far ahead of the server clock (clock skew), never later. */
const PAID_AT_SKEW_MS = 5 * 60_000;

/**
 * Records a payment of a kense invoice, in the company transaction: the invoice is paid once what was received
 * reaches its total (a part payment leaves it unpaid, so a blocked subscription stays blocked); more than is due is
 * refused; a reference already recorded for the same invoice and amount is a duplicate that changes nothing, for
 * another invoice or amount a conflict. The invoice goes to the feed, the billing people get a notification, the
 * subscription state follows (unblocking at once, with its notification), and the audit names kense's operator.
 */
export async function recordPayment(s: Pick<Services, 'db' | 'clock'>, entry: PaymentEntry, actor: PaymentActor): Promise<PaymentOutcome> {
  const now = s.clock.now();
  const paidAt = entry.paidAt ?? now;
  if (Number.isNaN(paidAt.getTime())) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'paidAt', message: 'not an instant' }] });
  if (paidAt.getTime() > now.getTime() + PAID_AT_SKEW_MS) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'paidAt', message: 'in the future' }] });
  const reference = entry.reference.trim();
  if (!reference) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'reference', message: 'empty' }] });
  const found = await s.db.selectFrom('invoices').select('company_id').where('id', '=', entry.invoiceId).executeTakeFirst();
  if (!found) throw new KenseError('NOT_FOUND', { entity: 'invoice', id: entry.invoiceId });
  const companyId = found.company_id;
  const today = kzDate(now);
  return companyTx(s, companyId, async (trx) => {
    const company = await trx.selectFrom('companies').select(['id', 'name', 'iin_bin']).where('id', '=', companyId).executeTakeFirstOrThrow();
    const inv = await trx.selectFrom('invoices').selectAll().where('id', '=', entry.invoiceId).executeTakeFirstOrThrow();
    const sub = await trx.selectFrom('subscriptions').selectAll().where('company_id', '=', companyId).executeTakeFirstOrThrow();
    const before = await trx.selectFrom('invoice_payments').selectAll().where('company_id', '=', companyId).where('reference', '=', reference).executeTakeFirst();
    if (before) {
      if (before.invoice_id !== inv.id || (entry.amount !== undefined && entry.amount !== before.amount)) {
        throw new KenseError('PAYMENT_REFERENCE_REUSED', { reference, invoiceId: before.invoice_id, amount: before.amount });
      }
      return { duplicate: true, payment: before, invoice: inv, company, remaining: invoiceRemaining(inv), subscription: sub, today };
    }
    const due = invoiceRemaining(inv);
    const amount = entry.amount ?? due;
    if (amount <= 0 || amount > due) throw new KenseError('PAYMENT_EXCEEDS_DUE', { invoiceId: inv.id, number: inv.number, amount, remaining: due });
    const payment = await trx
      .insertInto('invoice_payments')
      .values({
        id: randomUUID(), company_id: companyId, invoice_id: inv.id, amount, paid_at: paidAt, reference, recorded_at: now,
        recorded_by: `kense operator (${actor.via}${actor.operator ? `: ${actor.operator}` : ''})`,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const received = inv.paid_amount + amount;
    const full = received >= inv.total;
    // Paid when the last money arrived (a statement may list the parts in any order).
    const last = full ? await trx.selectFrom('invoice_payments').select((eb) => eb.fn.max('paid_at').as('at')).where('invoice_id', '=', inv.id).executeTakeFirstOrThrow() : null;
    const invoice = await trx
      .updateTable('invoices')
      .set({ paid_amount: received, paid_at: full ? (last?.at ?? paidAt) : null, payment_ref: full ? reference : inv.payment_ref, version: inv.version + 1 })
      .where('id', '=', inv.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await publish(trx, companyId, [invoiceFeed(invoice, today)]);
    const remaining = invoiceRemaining(invoice);
    const who = await usersWithRoles(trx, companyId, ['first_manager', 'accountant']);
    await notify(trx, companyId, who, {
      kind: 'payment_received',
      title: `Оплата по счёту № ${invoice.number} получена`,
      body: full
        ? `Получено ${formatTenge(amount)}: счёт оплачен.`
        : `Получено ${formatTenge(amount)}, осталось оплатить ${formatTenge(remaining)}${sub.state === 'blocked' ? '; до полной оплаты исходящие документы недоступны' : ''}.`,
      link: { entity: 'invoice', id: invoice.id },
    }, now);
    // A part payment changes nothing in the subscription: only a paid invoice leaves the unpaid set.
    const subscription = full ? await applySubscriptionFacts(trx, s, companyId, today) : sub;
    await audit(trx, {
      companyId, userId: null, sessionId: null, deviceName: `kense operator (${actor.via})`, ip: actor.ip, action: 'invoice.payment', target: `invoice:${invoice.id}`,
      details: {
        actor: 'kense_operator', via: actor.via, operator: actor.operator, paymentId: payment.id, reference, amount, paidAt: kzIso(paidAt),
        received, total: invoice.total, remaining, paid: full, subscription: subscription.state,
      },
      at: now,
    });
    return { duplicate: false, payment, invoice, company, remaining, subscription, today };
  });
}

export const kzToday = (s: Services): string => kzDate(s.clock.now());
export { kzIso };
