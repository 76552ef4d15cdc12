// Dashboard snapshots and the accounting import they are computed from (stands in for the 1C module).
import { z } from 'zod';
import { zIdentity12, zIinOrBin } from '../kz-identifiers';
import { zDate, zId, zMonth, zSignedTiyn, zTiyn, zTimestamp, zVersion } from './common';

/**
 * How much one import may carry: a year of a medium company's 1C data (Kazakh law: up to 250 employees) —
 * about 200 sales documents a working day, the open receivables and payables, a year of daily cash movement.
 * A bigger base is exported for a shorter period (every import replaces the money, sales and debt snapshots).
 */
export const ACCOUNTING_IMPORT_LIMITS = {
  accounts: 500,
  cashflow: 1000,
  sales: 50_000,
  receivables: 20_000,
  payables: 20_000,
  /** The whole request body (JSON, UTF-8). */
  bytes: 20 * 1024 * 1024,
} as const;

export const zImportAccount = z.object({ code: z.string().min(1).max(40), name: z.string().min(1).max(200), kind: z.enum(['bank', 'cash']), balance: zSignedTiyn });
export const zImportCashflowDay = z.object({ date: zDate, inflow: zTiyn, outflow: zTiyn });
export const zImportSale = z.object({ date: zDate, customerIinBin: zIinOrBin, customerName: z.string().max(300), amount: zTiyn });
export const zImportDebt = z.object({ counterpartyIinBin: zIinOrBin, counterpartyName: z.string().max(300), document: z.string().max(100), documentDate: zDate, dueDate: zDate, amount: zTiyn });

const L = ACCOUNTING_IMPORT_LIMITS;
/**
 * The accounting export (format `kense-accounting/1`): what kense's 1C integration module reads from
 * the client's base without changing it. Amounts in tiyn; identifiers of counterparties are validated; every
 * sum the dashboards show (balances, turnover, sales, debts) must stay exact — an export whose sums exceed
 * 2^53 − 1 tiyn is refused, never rounded.
 */
export const zAccountingImport = z
  .object({
    format: z.literal('kense-accounting/1'),
    importId: zId.optional().meta({ description: 'Made by the client once per import and sent again on a retry: the retry answers the first result (or send an Idempotency-Key header)' }),
    asOf: zTimestamp,
    source: z.object({ system: z.string().max(50), base: z.string().max(200).optional() }),
    accounts: z.array(zImportAccount).max(L.accounts),
    cashflow: z.array(zImportCashflowDay).max(L.cashflow),
    sales: z.array(zImportSale).max(L.sales),
    receivables: z.array(zImportDebt).max(L.receivables),
    payables: z.array(zImportDebt).max(L.payables),
  })
  .meta({ id: 'AccountingImport', description: `At most ${L.bytes / 1024 / 1024} MiB: a year of a medium company's data (${L.sales.toLocaleString('en')} sales rows, ${L.receivables.toLocaleString('en')} receivables, ${L.payables.toLocaleString('en')} payables)` });
export type AccountingImport = z.infer<typeof zAccountingImport>;

export const zAging = z.object({ d0_30: zTiyn, d31_60: zTiyn, d61_90: zTiyn, d90_plus: zTiyn });
const zTop = z.array(z.object({ iinBin: zIdentity12, name: z.string(), amount: zTiyn, overdue: zTiyn }));

export const zMoneyData = z.object({
  total: zSignedTiyn,
  accounts: z.array(z.object({ code: z.string(), name: z.string(), kind: z.enum(['bank', 'cash']), balance: zSignedTiyn })),
  inflow30d: zTiyn,
  outflow30d: zTiyn,
  daily: z.array(z.object({ date: zDate, inflow: zTiyn, outflow: zTiyn })),
});
export const zSalesData = z.object({
  total12m: zTiyn,
  byMonth: z.array(z.object({ month: zMonth, amount: zTiyn })),
  byDay: z.array(z.object({ date: zDate, amount: zTiyn })),
  topCustomers: z.array(z.object({ iinBin: zIdentity12, name: z.string(), amount: zTiyn })),
});
export const zDebtData = z.object({ total: zTiyn, overdue: zTiyn, aging: zAging, top: zTop });
export const zAwaitingData = z.object({
  count: z.int().min(0),
  items: z.array(z.object({ entity: z.enum(['act', 'service_act', 'reconciliation']), id: zId, number: z.string(), counterpartyName: z.string(), amount: zTiyn, deadline: zDate.nullable() })),
});

export const zDashboard = z
  .discriminatedUnion('kind', [
    z.object({ id: zId, version: zVersion, kind: z.literal('money'), asOf: zTimestamp, data: zMoneyData }),
    z.object({ id: zId, version: zVersion, kind: z.literal('sales'), asOf: zTimestamp, data: zSalesData }),
    z.object({ id: zId, version: zVersion, kind: z.literal('receivables'), asOf: zTimestamp, data: zDebtData }),
    z.object({ id: zId, version: zVersion, kind: z.literal('payables'), asOf: zTimestamp, data: zDebtData }),
    z.object({ id: zId, version: zVersion, kind: z.literal('awaiting_signature'), asOf: zTimestamp, data: zAwaitingData }),
  ])
  .meta({ id: 'Dashboard' });
export type Dashboard = z.infer<typeof zDashboard>;
export const zImportResult = z.object({ importId: zId, dashboards: z.array(z.string()) });
