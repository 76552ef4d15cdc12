// Dashboard snapshots computed from the imported accounting data, plus "documents awaiting signature".
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { AccountingImport, Dashboard, zAwaitingData, zDebtData, zMoneyData, zSalesData } from '../../../contract/cloud';
import { addCalendarDays, kzDate } from '../../../contract/kz-calendar';
import type { Database, DashboardsTable } from '../db/schema';
import { kzIso } from '../clock';
import { publish, type FeedItem } from '../feed';

type Money = z.infer<typeof zMoneyData>;
type Sales = z.infer<typeof zSalesData>;
type Debt = z.infer<typeof zDebtData>;
type Awaiting = z.infer<typeof zAwaitingData>;

const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

export function moneySnapshot(imp: AccountingImport): Money {
  const asOf = kzDate(new Date(imp.asOf));
  const from30 = addCalendarDays(asOf, -30);
  const recent = imp.cashflow.filter((c) => c.date > from30 && c.date <= asOf).sort((a, b) => (a.date < b.date ? -1 : 1));
  return {
    total: imp.accounts.reduce((s, a) => s + a.balance, 0),
    accounts: imp.accounts.map((a) => ({ code: a.code, name: a.name, kind: a.kind, balance: a.balance })),
    inflow30d: recent.reduce((s, c) => s + c.inflow, 0),
    outflow30d: recent.reduce((s, c) => s + c.outflow, 0),
    daily: recent,
  };
}

export function salesSnapshot(imp: AccountingImport): Sales {
  const asOf = kzDate(new Date(imp.asOf));
  const [y, m] = asOf.split('-').map(Number);
  const months: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  const byMonth = new Map(months.map((k) => [k, 0]));
  const from31 = addCalendarDays(asOf, -31);
  const byDay = new Map<string, number>();
  const byCustomer = new Map<string, { name: string; amount: number }>();
  for (const s of imp.sales) {
    const k = s.date.slice(0, 7);
    if (!byMonth.has(k) || s.date > asOf) continue;
    byMonth.set(k, (byMonth.get(k) ?? 0) + s.amount);
    if (s.date > from31) byDay.set(s.date, (byDay.get(s.date) ?? 0) + s.amount);
    const c = byCustomer.get(s.customerIinBin) ?? { name: s.customerName, amount: 0 };
    c.amount += s.amount;
    byCustomer.set(s.customerIinBin, c);
  }
  return {
    total12m: [...byMonth.values()].reduce((a, b) => a + b, 0),
    byMonth: months.map((month) => ({ month, amount: byMonth.get(month) ?? 0 })),
    byDay: [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, amount]) => ({ date, amount })),
    topCustomers: [...byCustomer.entries()].sort((a, b) => b[1].amount - a[1].amount).slice(0, 10).map(([iinBin, c]) => ({ iinBin, name: c.name, amount: c.amount })),
  };
}

/** Aging by days since the document date: 0–30, 31–60, 61–90, 90+; overdue = past the due date. */
export function debtSnapshot(items: AccountingImport['receivables'], asOfIso: string): Debt {
  const asOf = kzDate(new Date(asOfIso));
  const aging = { d0_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0 };
  const per = new Map<string, { name: string; amount: number; overdue: number }>();
  let total = 0, overdue = 0;
  for (const it of items) {
    const age = daysBetween(it.documentDate, asOf);
    if (age <= 30) aging.d0_30 += it.amount;
    else if (age <= 60) aging.d31_60 += it.amount;
    else if (age <= 90) aging.d61_90 += it.amount;
    else aging.d90_plus += it.amount;
    const late = it.dueDate < asOf ? it.amount : 0;
    total += it.amount;
    overdue += late;
    const p = per.get(it.counterpartyIinBin) ?? { name: it.counterpartyName, amount: 0, overdue: 0 };
    p.amount += it.amount;
    p.overdue += late;
    per.set(it.counterpartyIinBin, p);
  }
  const top = [...per.entries()].sort((a, b) => b[1].amount - a[1].amount).slice(0, 10).map(([iinBin, p]) => ({ iinBin, ...p }));
  return { total, overdue, aging, top };
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

export async function saveImportDashboards(db: Kysely<Database>, companyId: string, imp: AccountingImport): Promise<string[]> {
  const asOf = new Date(imp.asOf);
  await saveDashboard(db, companyId, 'money', asOf, moneySnapshot(imp));
  await saveDashboard(db, companyId, 'sales', asOf, salesSnapshot(imp));
  await saveDashboard(db, companyId, 'receivables', asOf, debtSnapshot(imp.receivables, imp.asOf));
  await saveDashboard(db, companyId, 'payables', asOf, debtSnapshot(imp.payables, imp.asOf));
  return ['money', 'sales', 'receivables', 'payables'];
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
