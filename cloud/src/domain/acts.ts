// EDO acts (form Р-1): building the Р-1 data and its canonical bytes, the client view, state changes.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { KenseError } from '../../../contract/errors';
import type { Act, ActState, R1, zCreateActRequest } from '../../../contract/cloud';
import type { ActRow, Database } from '../db/schema';
import type { Principal } from '../context';
import { canonicalBytes, type CanonicalBytes } from '../canonical-json';
import { kzIso } from '../clock';
import { publish, type FeedItem } from '../feed';
import { lineAmount, vatOf, vatRateOn } from '../rules/billing';
import { exactTiyn, sumTiyn } from '../money';
import { signaturesOf, type SignatureInfo } from './signatures';

export const ACT_CANONICAL_FORMAT = 'kense-r1+json;v=1';

export interface PartyData {
  name: string;
  iinBin: string;
  address: string;
}

export interface R1Input {
  documentNumber: string;
  documentDate: string;
  customer: PartyData;
  performer: PartyData;
  contract: { number: string; date: string } | null;
  lines: { name: string; performedOn: string; report: string; unit: string; quantity: string; price: number }[];
  customerStocks: string;
  attachments: string[];
  handedOver: { position: string; name: string };
  accepted: { position: string; name: string };
}

/**
 * Р-1 data with computed amounts: line amounts, total, VAT at the rate of the document date. Every amount stays
 * an exact integer of tiyn: a line, total or total with VAT above 2^53 − 1 is INVALID_INPUT naming the field.
 */
export function buildR1(i: R1Input): R1 {
  const lines = i.lines.map((l, n) => ({
    no: n + 1, name: l.name, performedOn: l.performedOn, report: l.report, unit: l.unit, quantity: l.quantity, price: l.price,
    // lineAmount is exact below 2^53 (BigInt inside); above, the number is no longer an exact integer and is refused.
    amount: exactTiyn(lineAmount(l.price, l.quantity), `body.lines.${n}.quantity`),
  }));
  const amount = sumTiyn(lines.map((l) => l.amount), 'body.lines');
  const vatRate = vatRateOn(i.documentDate);
  const vat = exactTiyn(vatOf(amount, vatRate), 'body.lines');
  exactTiyn(BigInt(amount) + BigInt(vat), 'body.lines');
  return {
    form: 'Р-1',
    documentNumber: i.documentNumber,
    documentDate: i.documentDate,
    customer: { ...i.customer },
    performer: { ...i.performer },
    contract: i.contract,
    lines,
    totals: { amount, vatRate, vat, amountWithVat: amount + vat },
    customerStocks: i.customerStocks,
    attachments: i.attachments,
    handedOver: i.handedOver,
    accepted: i.accepted,
  };
}

/** The bytes both parties sign: canonical JSON of the document id and its Р-1 data. Made once, stored as is. */
export function actCanonical(documentId: string, r1: R1): CanonicalBytes {
  return canonicalBytes(ACT_CANONICAL_FORMAT, { format: ACT_CANONICAL_FORMAT, documentId, r1 });
}

/**
 * The act's life, oldest first: created, each signature (when the server got it, the time the CMS claims and the
 * TSA's time), each timestamp (at the TSA's time), a refusal or withdrawal with its reason.
 */
export function actHistory(r: ActRow, signatures: SignatureInfo[], refusal: Act['refusal'], withdrawal: Act['withdrawal']): Act['history'] {
  const h: Act['history'] = [{ at: kzIso(r.created_at), event: 'created', side: null, by: null, claimedAt: null, timestampAt: null, detail: null }];
  for (const s of signatures) {
    const stamped = s.timestamp?.status === 'stamped' ? s.timestamp.at : null;
    h.push({ at: s.signedAt, event: 'signed', side: s.side, by: s.signerName, claimedAt: s.claimedAt, timestampAt: stamped, detail: null });
    if (stamped) h.push({ at: stamped, event: 'timestamped', side: s.side, by: s.timestamp?.tsa ?? null, claimedAt: s.claimedAt, timestampAt: stamped, detail: null });
  }
  if (refusal) h.push({ at: refusal.at, event: 'refused', side: refusal.side, by: null, claimedAt: null, timestampAt: null, detail: refusal.reason });
  if (withdrawal) h.push({ at: withdrawal.at, event: 'withdrawn', side: null, by: null, claimedAt: null, timestampAt: null, detail: withdrawal.reason });
  return h.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export function actView(r: ActRow, signatures: SignatureInfo[]): Act {
  const refusal = r.refusal ? (JSON.parse(r.refusal) as Act['refusal']) : null;
  const withdrawal = r.withdrawal ? (JSON.parse(r.withdrawal) as Act['withdrawal']) : null;
  return {
    id: r.id,
    version: r.version,
    branchId: r.branch_id,
    direction: r.direction as Act['direction'],
    number: r.number,
    date: r.date,
    counterpartyId: r.counterparty_id,
    counterpartyName: r.counterparty_name,
    counterpartyIinBin: r.counterparty_iin_bin,
    state: r.state as ActState,
    amountWithVat: r.amount_with_vat,
    r1: JSON.parse(r.r1) as R1,
    canonical: { format: r.canonical_format, base64: Buffer.from(r.canonical).toString('base64'), sha256: r.canonical_sha256 },
    signatures,
    refusal,
    withdrawal,
    createdAt: kzIso(r.created_at),
    updatedAt: kzIso(r.updated_at),
    history: actHistory(r, signatures, refusal, withdrawal),
  };
}

export const actFeed = (r: ActRow, view: Act | null): FeedItem => ({
  entity: 'act', id: r.id, version: r.version, op: view ? 'upsert' : 'delete', scope: 'acts', branchId: r.branch_id, userId: null, data: view,
});

export async function publishAct(db: Kysely<Database>, r: ActRow): Promise<Act> {
  const sigs = await signaturesOf(db, 'act', [r.id]);
  const view = actView(r, sigs.get(r.id) ?? []);
  await publish(db, r.company_id, [actFeed(r, view)]);
  return view;
}

/** An act the caller may see (a manager: only their branch), or NOT_FOUND. */
export async function actFor(db: Kysely<Database>, p: Principal, id: string): Promise<ActRow> {
  const r = await db.selectFrom('acts').selectAll().where('company_id', '=', p.company.id).where('id', '=', id).executeTakeFirst();
  if (!r || (p.viewer.role === 'manager' && r.branch_id !== p.viewer.branchId)) throw new KenseError('NOT_FOUND', { entity: 'act', id });
  return r;
}

export async function actViewFor(db: Kysely<Database>, r: ActRow): Promise<Act> {
  const sigs = await signaturesOf(db, 'act', [r.id]);
  return actView(r, sigs.get(r.id) ?? []);
}

export async function createOutgoingAct(db: Kysely<Database>, p: Principal, req: z.infer<typeof zCreateActRequest>, now: Date, id: string = randomUUID()): Promise<ActRow> {
  const cp = await db.selectFrom('counterparties').selectAll().where('company_id', '=', p.company.id).where('id', '=', req.counterpartyId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!cp) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'counterpartyId', message: 'no such counterparty' }] });
  let branchId = req.branchId;
  if (p.viewer.role === 'manager') {
    if (branchId !== null && branchId !== p.viewer.branchId) throw new KenseError('FORBIDDEN', { reason: 'another branch' });
    branchId = p.viewer.branchId;
  }
  // A company's outgoing numbers do not repeat (checked under the company lock, so two creates cannot both pass).
  const taken = await db.selectFrom('acts').select('id').where('company_id', '=', p.company.id).where('direction', '=', 'outgoing').where('number', '=', req.number).executeTakeFirst();
  if (taken) throw new KenseError('DOCUMENT_NUMBER_TAKEN', { number: req.number, actId: taken.id, fields: [{ path: 'body.number', problem: 'duplicate', message: 'taken' }] });
  const r1 = buildR1({
    documentNumber: req.number,
    documentDate: req.date,
    performer: { name: p.company.name, iinBin: p.company.iin_bin, address: p.company.address },
    customer: { name: cp.name, iinBin: cp.iin_bin, address: cp.address },
    contract: req.contract,
    lines: req.lines,
    customerStocks: req.customerStocks,
    attachments: req.attachments,
    handedOver: req.handedOver,
    accepted: { position: '', name: '' },
  });
  const c = actCanonical(id, r1);
  return db
    .insertInto('acts')
    .values({
      id, company_id: p.company.id, branch_id: branchId, direction: 'outgoing', number: req.number, date: req.date, counterparty_id: cp.id,
      counterparty_name: cp.name, counterparty_iin_bin: cp.iin_bin, state: 'draft', amount_with_vat: r1.totals.amountWithVat,
      r1: JSON.stringify(r1), canonical: c.bytes, canonical_sha256: c.sha256, canonical_format: c.format, created_at: now, updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setActState(db: Kysely<Database>, r: ActRow, state: ActState, now: Date, extra: { refusal?: string; withdrawal?: string } = {}): Promise<ActRow> {
  return db
    .updateTable('acts')
    .set({ state, version: r.version + 1, updated_at: now, ...(extra.refusal ? { refusal: extra.refusal } : {}), ...(extra.withdrawal ? { withdrawal: extra.withdrawal } : {}) })
    .where('id', '=', r.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
