// EDO acts (form Р-1) incoming and outgoing, with the canonical bytes every signature covers.
import { z } from 'zod';
import { zIdentity12, zIinOrBin } from '../kz-identifiers';
import { zAfter, zBase64, zClientId, zDate, zId, zSha256Hex, zTiyn, zTimestamp, zVersion } from './common';

export const ACT_STATES = ['draft', 'sent', 'delivered', 'viewed', 'signed_by_us', 'signed_by_them', 'signed_by_both', 'refused', 'withdrawn'] as const;
export const zActState = z.enum(ACT_STATES);
export type ActState = z.infer<typeof zActState>;

export const zParty = z.object({
  name: z.string(),
  iinBin: zIdentity12,
  address: z.string(),
  contacts: z.string().optional(),
});

/** Quantities are decimal strings with up to 3 decimals, so the canonical bytes never depend on float formatting. */
export const zQuantity = z.string().regex(/^\d{1,9}(\.\d{1,3})?$/);

export const zR1Line = z.object({
  no: z.int().min(1),
  name: z.string().min(1).max(500),
  performedOn: zDate,
  report: z.string().max(200).default('').meta({ description: 'сведения об отчёте (дата, номер, количество страниц)' }),
  unit: z.string().min(1).max(20),
  quantity: zQuantity,
  price: zTiyn,
  amount: zTiyn,
});

/** Form Р-1 (Order № 562, Appendix 50) as data. */
export const zR1 = z
  .object({
    form: z.literal('Р-1'),
    documentNumber: z.string(),
    documentDate: zDate,
    customer: zParty,
    performer: zParty,
    contract: z.object({ number: z.string(), date: zDate }).nullable(),
    lines: z.array(zR1Line).min(1),
    totals: z.object({ amount: zTiyn, vatRate: z.int(), vat: zTiyn, amountWithVat: zTiyn }),
    customerStocks: z.string(),
    attachments: z.array(z.string()),
    handedOver: z.object({ position: z.string(), name: z.string() }),
    accepted: z.object({ position: z.string(), name: z.string() }),
  })
  .meta({ id: 'R1' });
export type R1 = z.infer<typeof zR1>;

export const zCanonical = z
  .object({
    format: z.string().meta({ description: 'Serialization of the signed bytes, e.g. kense-r1+json;v=1 (UTF-8 canonical JSON, sorted keys)' }),
    base64: zBase64,
    sha256: zSha256Hex,
  })
  .meta({ id: 'CanonicalBytes', description: 'The exact bytes a signature covers, generated once by the server and never re-serialized' });

/** A signature's timestamp (CAdES-T): what a TSA vouches for, unlike the device's claimed signing time. */
export const zSignatureTimestamp = z
  .object({
    status: z.enum(['pending', 'stamped']).meta({ description: 'pending: the server keeps the signature and obtains a timestamp from its TSA as soon as it answers (retried); stamped: the CMS carries it' }),
    at: zTimestamp.nullable().meta({ description: 'The TSA’s time (genTime); null while pending' }),
    tsa: z.string().nullable().meta({ description: 'The TSA certificate’s name' }),
    source: z.enum(['signer', 'server']).meta({ description: 'signer: the CMS came timestamped (e.g. NCALayer with a TSA); server: this server’s TSA stamped it' }),
  })
  .meta({ id: 'SignatureTimestamp' });

export const zSignatureInfo = z
  .object({
    side: z.enum(['ours', 'theirs']),
    signerName: z.string(),
    signerIin: z.string().nullable(),
    signerBin: z.string().nullable(),
    role: z.enum(['first_head', 'sign_right', 'financial', 'individual', 'counterparty']),
    certSerial: z.string().nullable(),
    signedAt: zTimestamp.meta({ description: 'When the server received the signature' }),
    cmsSha256: zSha256Hex.nullable().meta({ description: 'SHA-256 of `cms` as it is now (the CAdES-T form once stamped)' }),
    claimedAt: zTimestamp.nullable().default(null).meta({ description: 'The signing time the CMS claims (signingTime attribute): the device’s clock, unconfirmed; null when it names none' }),
    timestamp: zSignatureTimestamp.nullable().default(null).meta({ description: 'null: no timestamp and none asked for (the server has no TSA configured)' }),
    cms: zBase64.nullable().default(null).meta({ description: 'The CMS (DER, base64): CAdES-T with id-aa-signatureTimeStampToken once stamped; null for signatures kept without it' }),
  })
  .meta({ id: 'SignatureInfo' });

/** One event of an act's life, oldest first; a signature shows both its claimed time and its timestamp. */
export const zActHistoryEntry = z
  .object({
    at: zTimestamp.meta({ description: 'When the server saw it (for `timestamped`: the TSA’s time)' }),
    event: z.enum(['created', 'signed', 'timestamped', 'refused', 'withdrawn']),
    side: z.enum(['ours', 'theirs']).nullable(),
    by: z.string().nullable().meta({ description: 'Signer, or the TSA for `timestamped`' }),
    claimedAt: zTimestamp.nullable().meta({ description: '`signed`: the signing time the CMS claims (the device’s clock)' }),
    timestampAt: zTimestamp.nullable().meta({ description: '`signed`: the TSA’s time, once stamped' }),
    detail: z.string().nullable().meta({ description: 'The reason of a refusal or withdrawal' }),
  })
  .meta({ id: 'ActHistoryEntry' });

export const zAct = z
  .object({
    id: zId,
    version: zVersion,
    branchId: zId.nullable(),
    direction: z.enum(['incoming', 'outgoing']),
    number: z.string(),
    date: zDate,
    counterpartyId: zId.nullable(),
    counterpartyName: z.string(),
    counterpartyIinBin: zIdentity12,
    state: zActState,
    amountWithVat: zTiyn,
    r1: zR1,
    canonical: zCanonical,
    signatures: z.array(zSignatureInfo),
    refusal: z.object({ side: z.enum(['ours', 'theirs']), reason: z.string(), at: zTimestamp }).nullable(),
    withdrawal: z.object({ reason: z.string(), at: zTimestamp }).nullable(),
    createdAt: zTimestamp,
    updatedAt: zTimestamp,
    history: z.array(zActHistoryEntry).default([]).meta({ description: 'Created, signed (claimed time and timestamp), timestamped, refused, withdrawn — oldest first' }),
  })
  .meta({ id: 'Act' });
export type Act = z.infer<typeof zAct>;

export const zCreateActLine = z.object({
  name: z.string().min(1).max(500),
  performedOn: zDate,
  report: z.string().max(200).default(''),
  unit: z.string().min(1).max(20),
  quantity: zQuantity,
  price: zTiyn,
});
export const zCreateActRequest = z.object({
  id: zClientId,
  counterpartyId: zId,
  branchId: zId.nullable().default(null),
  number: z.string().trim().min(1).max(50).meta({ description: 'Unique among the company’s outgoing documents (DOCUMENT_NUMBER_TAKEN otherwise)' }),
  date: zDate,
  contract: z.object({ number: z.string().min(1).max(50), date: zDate }).nullable().default(null),
  lines: z.array(zCreateActLine).min(1).max(500),
  customerStocks: z.string().max(1000).default(''),
  attachments: z.array(z.string().max(300)).max(50).default([]),
  handedOver: z.object({ position: z.string().max(200), name: z.string().max(200) }),
});
export const zActListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: zAfter,
  state: zActState.optional(),
  direction: z.enum(['incoming', 'outgoing']).optional(),
});
export const zWithdrawRequest = z.object({ reason: z.string().trim().min(3).max(2000) });
/** A party typed in by hand (e.g. when an act is built outside the counterparty list) is validated. */
export const zTypedParty = z.object({ name: z.string().min(2), iinBin: zIinOrBin, address: z.string() });
