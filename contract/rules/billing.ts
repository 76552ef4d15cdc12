// Tariff and billing rules: when a subscription warns or blocks, when a tariff change takes effect, VAT.
import { addCalendarDays, addWorkingDays, type IsoDate } from '../kz-calendar';
import { serviceActDeadline } from './deadlines';

export const INVOICE_PAYMENT_DAYS = 5;

export function invoiceDueOn(issuedOn: IsoDate): IsoDate {
  return addCalendarDays(issuedOn, INVOICE_PAYMENT_DAYS);
}

export interface InvoiceFacts {
  id: string;
  branchId: string | null;
  issuedOn: IsoDate;
  dueOn: IsoDate;
  paid: boolean;
}

export interface SubscriptionFacts {
  state: 'active' | 'warning' | 'blocked';
  blockedSince: IsoDate | null;
  blockedBranchIds: string[];
  unpaidInvoiceIds: string[];
  outgoingAllowed: boolean;
}

/**
 * Unpaid past the due date (issue + 5 calendar days) → blocked from the next day; unpaid but not yet due →
 * warning (shown from the invoice date). A branch's own invoice blocks only that branch.
 */
export function subscriptionState(invoices: InvoiceFacts[], today: IsoDate): SubscriptionFacts {
  const unpaid = invoices.filter((i) => !i.paid && i.issuedOn <= today).sort((a, b) => (a.dueOn < b.dueOn ? -1 : 1));
  const overdue = unpaid.filter((i) => today > i.dueOn);
  const companyOverdue = overdue.filter((i) => i.branchId === null);
  const blockedBranchIds = [...new Set(overdue.filter((i) => i.branchId !== null).map((i) => i.branchId as string))].sort();
  const state = companyOverdue.length > 0 ? 'blocked' : unpaid.some((i) => i.branchId === null) ? 'warning' : 'active';
  return {
    state,
    blockedSince: companyOverdue.length > 0 ? addCalendarDays(companyOverdue[0].dueOn, 1) : null,
    blockedBranchIds,
    unpaidInvoiceIds: unpaid.map((i) => i.id),
    outgoingAllowed: state !== 'blocked',
  };
}

/** Outgoing work (signing or sending outgoing documents, new documents) is allowed unless the company or the branch is blocked. */
export function outgoingAllowed(s: Pick<SubscriptionFacts, 'state' | 'blockedBranchIds'>, branchId: string | null): boolean {
  if (s.state === 'blocked') return false;
  return branchId === null || !s.blockedBranchIds.includes(branchId);
}

/** A change of tariff takes effect on the 1st of the next month. */
export function tariffChangeEffectiveFrom(today: IsoDate): IsoDate {
  const [y, m] = today.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** Days a client keeps a closed tariff before being moved to its successor (unless they chose another). */
export const CLOSED_TARIFF_GRACE_DAYS = 3;

/** A client on a closed tariff with no change of their own is moved to the successor once the grace days pass. */
export function movesOffClosedTariff(closedOn: IsoDate | null, hasPendingChoice: boolean, today: IsoDate): boolean {
  return closedOn !== null && !hasPendingChoice && today > addCalendarDays(closedOn, CLOSED_TARIFF_GRACE_DAYS);
}

/** VAT rate in percent on a date: 16% from 01.01.2026, 12% before. */
export function vatRateOn(date: IsoDate): number {
  return date >= '2026-01-01' ? 16 : 12;
}

/** Rounded half up, in integer tiyn. */
export function vatOf(amount: number, ratePercent: number): number {
  return Number((BigInt(amount) * BigInt(ratePercent) * 2n + 100n) / 200n);
}

/** price × quantity ('12.5', up to 3 decimals), rounded half up to the tiyn. */
export function lineAmount(price: number, quantity: string): number {
  const [int, frac = ''] = quantity.split('.');
  const milli = BigInt(int) * 1000n + BigInt((frac + '000').slice(0, 3));
  return Number((BigInt(price) * milli * 2n + 1000n) / 2000n);
}

/** The client's tariff over a span of days (subscription history); `to` is exclusive, null = still current. */
export interface TariffSpan {
  tariffId: string;
  /** Monthly price in tiyn. */
  price: number;
  from: IsoDate;
  to: IsoDate | null;
}

export interface BillingFacts {
  today: IsoDate;
  /** Oldest first; the first span starts the subscription. */
  history: TariffSpan[];
  /** Months (YYYY-MM) that already have the company's tariff invoice. */
  invoiced: ReadonlySet<string>;
  /** Months that already have kense's service act. */
  serviceActs: ReadonlySet<string>;
}

export interface DueInvoice { period: string; issuedOn: IsoDate; dueOn: IsoDate; tariffId: string; amount: number }
export interface DueServiceAct { month: string; issuedOn: IsoDate; deadline: IsoDate; tariffId: string; amount: number }

/** How far back a late run bills: a server that was off for long does not flood a client with old papers. */
export const BILLING_CATCH_UP_MONTHS = 12;

const monthOf = (d: IsoDate): string => d.slice(0, 7);
const firstOf = (month: string): IsoDate => `${month}-01`;
function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  return t.toISOString().slice(0, 7);
}
const lastDayOf = (month: string): IsoDate => addCalendarDays(firstOf(addMonths(month, 1)), -1);

/** The tariff in force on a day (the span holding it), or null before the subscription started. */
export function tariffOn(history: TariffSpan[], day: IsoDate): TariffSpan | null {
  return history.find((h) => h.from <= day && (h.to === null || day < h.to)) ?? null;
}

/** kense's service act for a month is issued on the first working day of the next month. */
export const serviceActIssuedOn = (month: string): IsoDate => addWorkingDays(lastDayOf(month), 1);

/**
 * The monthly cycle, as a pure rule: for every month of the subscription (at most BILLING_CATCH_UP_MONTHS back)
 * the tariff invoice, issued on the 1st (or on the day the subscription started) and due 5 calendar days later,
 * at the price of the tariff in force that day (a change takes effect on the 1st, so a new month bills the new
 * tariff); and for every finished month kense's service act, issued on the first working day of the next month
 * with 5 working days to answer. Only what is missing and already due today — running it twice issues nothing twice.
 */
export function billingDue(f: BillingFacts): { invoices: DueInvoice[]; serviceActs: DueServiceAct[] } {
  const invoices: DueInvoice[] = [];
  const serviceActs: DueServiceAct[] = [];
  if (f.history.length === 0) return { invoices, serviceActs };
  const started = f.history[0].from;
  const current = monthOf(f.today);
  const earliest = [monthOf(started), addMonths(current, -BILLING_CATCH_UP_MONTHS)].sort()[1];
  for (let month = earliest; month <= current; month = addMonths(month, 1)) {
    const issuedOn = started > firstOf(month) ? started : firstOf(month);
    const tariff = tariffOn(f.history, issuedOn);
    if (tariff && month >= addMonths(current, -(BILLING_CATCH_UP_MONTHS - 1)) && issuedOn <= f.today && !f.invoiced.has(month)) {
      invoices.push({ period: month, issuedOn, dueOn: invoiceDueOn(issuedOn), tariffId: tariff.tariffId, amount: tariff.price });
    }
    const actOn = serviceActIssuedOn(month);
    if (tariff && month < current && actOn <= f.today && !f.serviceActs.has(month)) {
      serviceActs.push({ month, issuedOn: actOn, deadline: serviceActDeadline(actOn), tariffId: tariff.tariffId, amount: tariff.price });
    }
  }
  return { invoices, serviceActs };
}
