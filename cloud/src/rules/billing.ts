// Tariff and billing rules: when a subscription warns or blocks, when a tariff change takes effect, VAT.
import { addCalendarDays, type IsoDate } from '../../../contract/kz-calendar';

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
