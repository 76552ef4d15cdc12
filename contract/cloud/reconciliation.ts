// Reconciliation acts (акт сверки): two mirrored halves, a conclusion, both sides sign within 5 calendar days.
import { z } from 'zod';
import { zIdentity12 } from '../kz-identifiers';
import { zClientId, zDate, zId, zSignedTiyn, zTiyn, zTimestamp, zVersion } from './common';
import { zCanonical, zSignatureInfo } from './acts';

export const zReconciliationHalf = z.object({
  opening: zSignedTiyn.meta({ description: 'Opening balance: positive = the counterparty owes the seller' }),
  lines: z.array(z.object({ date: zDate, document: z.string(), debit: zTiyn, credit: zTiyn })),
  turnover: z.object({ debit: zTiyn, credit: zTiyn }),
  closing: zSignedTiyn,
});

export const zReconciliation = z
  .object({
    id: zId,
    version: zVersion,
    branchId: zId.nullable(),
    counterpartyId: zId,
    counterpartyName: z.string(),
    counterpartyIinBin: zIdentity12,
    periodFrom: zDate,
    periodTo: zDate,
    ours: zReconciliationHalf,
    theirs: zReconciliationHalf.nullable(),
    conclusion: z.object({ inFavourOf: z.enum(['us', 'counterparty', 'none']), amount: zTiyn, text: z.string() }),
    state: z.enum(['sent', 'signed_by_us', 'signed_by_them', 'signed_by_both', 'refused', 'deemed_accepted']),
    sentOn: zDate,
    deadline: zDate.meta({ description: '5 calendar days after it was sent; silence = accepted' }),
    canonical: zCanonical,
    signatures: z.array(zSignatureInfo),
    refusal: z.object({ side: z.enum(['ours', 'theirs']), reason: z.string(), at: zTimestamp }).nullable(),
  })
  .meta({ id: 'Reconciliation' });

export const zCreateReconciliationRequest = z.object({ id: zClientId, counterpartyId: zId, periodFrom: zDate, periodTo: zDate });
