// The client's relation with kense: tariff catalog, subscription state, invoices, monthly service acts.
import { z } from 'zod';
import { zBik, zIdentity12, zIik, zKbe, zKnp } from '../kz-identifiers';
import { zBase64, zDate, zId, zMonth, zSha256Hex, zTiyn, zTimestamp, zVersion } from './common';
import { zSignatureInfo } from './acts';

export const TARIFF_MODULES = ['dashboards', 'edo', 'integration_1c'] as const;
export const zTariff = z
  .object({
    id: zId,
    version: zVersion,
    code: z.string(),
    name: z.string(),
    pricePerMonth: zTiyn,
    periodMonths: z.int().min(1),
    limits: z.object({ users: z.int().min(1), outgoingDocumentsPerMonth: z.int().min(0), storageGb: z.int().min(1) }),
    modules: z.array(z.enum(TARIFF_MODULES)),
    closedAt: zTimestamp.nullable(),
    successorId: zId.nullable(),
  })
  .meta({ id: 'Tariff' });

export const zSubscription = z
  .object({
    id: zId.meta({ description: 'The company id' }),
    version: zVersion,
    tariffId: zId,
    pendingTariffId: zId.nullable(),
    pendingFrom: zDate.nullable().meta({ description: 'A change of tariff takes effect on the 1st of the next month' }),
    state: z.enum(['active', 'warning', 'blocked']).meta({
      description: 'warning: an invoice is unpaid but not yet overdue; blocked: unpaid past the deadline (read-only for outgoing work)',
    }),
    blockedSince: zDate.nullable(),
    blockedBranchIds: z.array(zId).meta({ description: 'Branches blocked alone for their own debt' }),
    unpaidInvoiceIds: z.array(zId),
    outgoingAllowed: z.boolean(),
  })
  .meta({ id: 'Subscription' });
export const zChangeTariffRequest = z.object({ tariffId: zId });

export const zPaymentDetails = z.object({
  beneficiary: z.string(),
  bin: zIdentity12,
  iik: zIik,
  bank: z.string(),
  bik: zBik,
  kbe: zKbe,
  knp: zKnp,
  purpose: z.string(),
});
export const zInvoice = z
  .object({
    id: zId,
    version: zVersion,
    number: z.string(),
    branchId: zId.nullable(),
    tariffId: zId,
    period: zMonth,
    issuedOn: zDate,
    dueOn: zDate.meta({ description: 'Issue date + 5 calendar days' }),
    amount: zTiyn,
    vatRate: z.int(),
    vat: zTiyn,
    total: zTiyn,
    status: z.enum(['unpaid', 'overdue', 'paid']),
    paidAmount: zTiyn.meta({ description: 'Received so far, from the bank statement; the invoice is paid once this reaches the total (a part payment leaves it unpaid)' }),
    paidAt: zTimestamp.nullable().meta({ description: 'When the payment that completed the total was made' }),
    payment: zPaymentDetails,
  })
  .meta({ id: 'Invoice' });

export const zServiceAct = z
  .object({
    id: zId,
    version: zVersion,
    number: z.string(),
    month: zMonth,
    issuedOn: zDate,
    deadline: zDate.meta({ description: '5 working days (Kazakh calendar) after issue; silence after it = accepted' }),
    amount: zTiyn,
    vatRate: z.int(),
    vat: zTiyn,
    total: zTiyn,
    state: z.enum(['issued', 'signed', 'refused', 'deemed_accepted']),
    canonical: z.object({ format: z.string(), base64: zBase64, sha256: zSha256Hex }),
    signature: zSignatureInfo.nullable(),
    refusal: z.object({ reason: z.string(), at: zTimestamp, byUserId: zId }).nullable(),
  })
  .meta({ id: 'ServiceAct' });

export const zSignRequest = z.object({ cms: zBase64.meta({ description: 'CMS over exactly the canonical bytes (attached or detached)' }) });
export const zRefuseRequest = z.object({ reason: z.string().trim().min(3).max(2000) });
