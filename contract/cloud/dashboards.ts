// Dashboard snapshots and the accounting import they are computed from (stands in for the 1C module).
import { z } from 'zod';
import { zIdentity12, zIinOrBin } from '../kz-identifiers';
import { zDate, zId, zMonth, zSignedTiyn, zTiyn, zTimestamp, zVersion } from './common';

/**
 * The accounting export (format `kense-accounting/1`): what kense's 1C integration module reads from
 * the client's base without changing it. Amounts in tiyn; identifiers of counterparties are validated.
 */
export const zAccountingImport = z
  .object({
    format: z.literal('kense-accounting/1'),
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/),
    source: z.object({ system: z.string().max(50), base: z.string().max(200).optional() }),
    accounts: z.array(z.object({ code: z.string().min(1).max(40), name: z.string().min(1).max(200), kind: z.enum(['bank', 'cash']), balance: zSignedTiyn })).max(1000),
    cashflow: z.array(z.object({ date: zDate, inflow: zTiyn, outflow: zTiyn })).max(5000),
    sales: z.array(z.object({ date: zDate, customerIinBin: zIinOrBin, customerName: z.string().max(300), amount: zTiyn })).max(200_000),
    receivables: z.array(z.object({ counterpartyIinBin: zIinOrBin, counterpartyName: z.string().max(300), document: z.string().max(100), documentDate: zDate, dueDate: zDate, amount: zTiyn })).max(100_000),
    payables: z.array(z.object({ counterpartyIinBin: zIinOrBin, counterpartyName: z.string().max(300), document: z.string().max(100), documentDate: zDate, dueDate: zDate, amount: zTiyn })).max(100_000),
  })
  .meta({ id: 'AccountingImport' });
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
