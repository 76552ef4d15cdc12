// Dashboard snapshots computed from the imported accounting data, plus "documents awaiting signature".
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { AccountingImport, Dashboard, zAwaitingData, zDebtData, zMoneyData, zSalesData } from '../../../contract/cloud';
import { addCalendarDays, kzDate } from '../../../contract/kz-calendar';
import type { Database, DashboardsTable } from '../db/schema';
import { kzIso } from '../clock';
import { publish, type FeedItem } from '../feed';
import { exactTiyn, sumTiyn } from '../money';
import { Slicer, forEachSliced } from '../slicer';

type Money = z.infer<typeof zMoneyData>;
type Sales = z.infer<typeof zSalesData>;
type Debt = z.infer<typeof zDebtData>;
type Awaiting = z.infer<typeof zAwaitingData>;

const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** Rows are folded in slices (an import of 90 000 rows never holds the event loop), and every sum is exact. */
async function fold<T>(rows: readonly T[], slicer: Slicer, fn: (row: T) => void): Promise<void> {
  await forEachSliced(rows, fn, slicer);
}

export async function moneySnapshot(imp: AccountingImport, slicer = new Slicer()): Promise<Money> {
  const asOf = kzDate(new Date(imp.asOf));
  const from30 = addCalendarDays(asOf, -30);
  const recent = imp.cashflow.filter((c) => c.date > from30 && c.date <= asOf).sort((a, b) => (a.date < b.date ? -1 : 1));
  let total = 0n;
  await fold(imp.accounts, slicer, (a) => (total += BigInt(a.balance)));
  return {
    total: exactTiyn(total, 'body.accounts'),
    accounts: imp.accounts.map((a) => ({ code: a.code, name: a.name, kind: a.kind, balance: a.balance })),
    inflow30d: sumTiyn(recent.map((c) => c.inflow), 'body.cashflow'),
    outflow30d: sumTiyn(recent.map((c) => c.outflow), 'body.cashflow'),
    daily: recent,
  };
}

export async function salesSnapshot(imp: AccountingImport, slicer = new Slicer()): Promise<Sales> {
  const asOf = kzDate(new Date(imp.asOf));
  const [y, m] = asOf.split('-').map(Number);
  const months: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  const byMonth = new Map(months.map((k) => [k, 0n]));
  const from31 = addCalendarDays(asOf, -31);
  const byDay = new Map<string, bigint>();
  const byCustomer = new Map<string, { name: string; amount: bigint }>();
  let total = 0n;
  await fold(imp.sales, slicer, (s) => {
    const k = s.date.slice(0, 7);
    const month = byMonth.get(k);
    if (month === undefined || s.date > asOf) return;
    const a = BigInt(s.amount);
    total += a;
    byMonth.set(k, month + a);
    if (s.date > from31) byDay.set(s.date, (byDay.get(s.date) ?? 0n) + a);
    const c = byCustomer.get(s.customerIinBin) ?? { name: s.customerName, amount: 0n };
    c.amount += a;
    byCustomer.set(s.customerIinBin, c);
  });
  // Every other sum is a part of this one (amounts are not negative): if it is exact, they all are.
  const total12m = exactTiyn(total, 'body.sales');
  return {
    total12m,
    byMonth: months.map((month) => ({ month, amount: Number(byMonth.get(month) ?? 0n) })),
    byDay: [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, amount]) => ({ date, amount: Number(amount) })),
    topCustomers: [...byCustomer.entries()]
      .sort((a, b) => (b[1].amount > a[1].amount ? 1 : b[1].amount < a[1].amount ? -1 : 0))
      .slice(0, 10)
      .map(([iinBin, c]) => ({ iinBin, name: c.name, amount: Number(c.amount) })),
  };
}

/** Aging by days since the document date: 0–30, 31–60, 61–90, 90+; overdue = past the due date. */
export async function debtSnapshot(items: AccountingImport['receivables'], asOfIso: string, field: string, slicer = new Slicer()): Promise<Debt> {
  const asOf = kzDate(new Date(asOfIso));
  const aging = { d0_30: 0n, d31_60: 0n, d61_90: 0n, d90_plus: 0n };
  const per = new Map<string, { name: string; amount: bigint; overdue: bigint }>();
  let total = 0n, overdue = 0n;
  await fold(items, slicer, (it) => {
    const a = BigInt(it.amount);
    const age = daysBetween(it.documentDate, asOf);
    if (age <= 30) aging.d0_30 += a;
    else if (age <= 60) aging.d31_60 += a;
    else if (age <= 90) aging.d61_90 += a;
    else aging.d90_plus += a;
    const late = it.dueDate < asOf ? a : 0n;
    total += a;
    overdue += late;
    const p = per.get(it.counterpartyIinBin) ?? { name: it.counterpartyName, amount: 0n, overdue: 0n };
    p.amount += a;
    p.overdue += late;
    per.set(it.counterpartyIinBin, p);
  });
  // Every other sum is a part of the total (amounts are not negative).
  const exactTotal = exactTiyn(total, field);
  const top = [...per.entries()]
    .sort((a, b) => (b[1].amount > a[1].amount ? 1 : b[1].amount < a[1].amount ? -1 : 0))
    .slice(0, 10)
    .map(([iinBin, p]) => ({ iinBin, name: p.name, amount: Number(p.amount), overdue: Number(p.overdue) }));
  return {
    total: exactTotal,
    overdue: Number(overdue),
    aging: { d0_30: Number(aging.d0_30), d31_60: Number(aging.d31_60), d61_90: Number(aging.d61_90), d90_plus: Number(aging.d90_plus) },
    top,
  };
}

export function dashboardView(r: Selectable<DashboardsTable>): Dashboard {
  return { id: r.id, version: r.version, kind: r.kind, asOf: kzIso(r.as_of), data: JSON.parse(r.data) } as Dashboard;
}
export const dashboardFeed = (r: Selectable<DashboardsTable>): FeedItem => ({
  entity: 'dashboard', id: r.id, version: r.version, op: 'upsert', scope: 'dashboards', branchId: null, userId: null, data: dashboardView(r),
});

export async function saveDashboard(db: Kysely<Database>, companyId: string, kind: Dashboard['kind'], asOf: Date, data: unknown): Promise<void> {
  const existing = await db.selectFrom('dashboards').selectAll().where('company_id', '=', companyId).where('kind', '=', kind).executeTakeFirst();
  const row = existing
    ? await db.updateTable('dashboards').set({ as_of: asOf, data: JSON.stringify(data), version: existing.version + 1 }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow()
    : await db.insertInto('dashboards').values({ id: randomUUID(), company_id: companyId, kind, as_of: asOf, data: JSON.stringify(data) }).returningAll().executeTakeFirstOrThrow();
  await publish(db, companyId, [dashboardFeed(row)]);
}

/** The four snapshots of an import, computed in slices; a sum that cannot be exact is refused (INVALID_INPUT). */
export async function importSnapshots(imp: AccountingImport): Promise<{ kind: 'money' | 'sales' | 'receivables' | 'payables'; data: unknown }[]> {
  const slicer = new Slicer();
  return [
    { kind: 'money', data: await moneySnapshot(imp, slicer) },
    { kind: 'sales', data: await salesSnapshot(imp, slicer) },
    { kind: 'receivables', data: await debtSnapshot(imp.receivables, imp.asOf, 'body.receivables', slicer) },
    { kind: 'payables', data: await debtSnapshot(imp.payables, imp.asOf, 'body.payables', slicer) },
  ];
}

export async function saveSnapshots(db: Kysely<Database>, companyId: string, asOf: Date, snapshots: { kind: Dashboard['kind']; data: unknown }[]): Promise<string[]> {
  for (const x of snapshots) await saveDashboard(db, companyId, x.kind, asOf, x.data);
  return snapshots.map((x) => x.kind);
}

export async function saveImportDashboards(db: Kysely<Database>, companyId: string, imp: AccountingImport): Promise<string[]> {
  return saveSnapshots(db, companyId, new Date(imp.asOf), await importSnapshots(imp));
}

/** Documents waiting for the director's signature, nearest deadline first (at most 50 listed). */
export async function awaitingSnapshot(db: Kysely<Database>, companyId: string): Promise<Awaiting> {
  const acts = await db
    .selectFrom('acts')
    .select(['id', 'number', 'counterparty_name', 'amount_with_vat', 'date'])
    .where('company_id', '=', companyId)
    .where((eb) => eb.or([eb.and([eb('direction', '=', 'incoming'), eb('state', 'in', ['sent', 'delivered', 'viewed', 'signed_by_them'])]), eb.and([eb('direction', '=', 'outgoing'), eb('state', '=', 'draft')])]))
    .orderBy('date')
    .execute();
  const services = await db.selectFrom('service_acts').select(['id', 'number', 'total', 'deadline']).where('company_id', '=', companyId).where('state', '=', 'issued').execute();
  const recs = await db.selectFrom('reconciliations').select(['id', 'counterparty_name', 'deadline', 'period_to']).where('company_id', '=', companyId).where('state', 'in', ['sent', 'signed_by_them']).execute();
  const items: Awaiting['items'] = [
    ...services.map((x) => ({ entity: 'service_act' as const, id: x.id, number: x.number, counterpartyName: 'kense', amount: x.total, deadline: x.deadline })),
    ...recs.map((x) => ({ entity: 'reconciliation' as const, id: x.id, number: `сверка по ${x.period_to}`, counterpartyName: x.counterparty_name, amount: 0, deadline: x.deadline })),
    ...acts.map((x) => ({ entity: 'act' as const, id: x.id, number: x.number, counterpartyName: x.counterparty_name, amount: x.amount_with_vat, deadline: null })),
  ];
  return { count: items.length, items: items.slice(0, 50) };
}

export async function refreshAwaitingDashboard(db: Kysely<Database>, companyId: string, now: Date): Promise<void> {
  await saveDashboard(db, companyId, 'awaiting_signature', now, await awaitingSnapshot(db, companyId));
}
