// Reconciliation acts: built from the acts with a counterparty over a period; both sides sign.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import { KenseError } from '../../../contract/errors';
import type { zReconciliation, zReconciliationHalf } from '../../../contract/cloud';
import type { Database, ReconciliationsTable } from '../db/schema';
import type { Principal } from '../context';
import { canonicalBytes } from '../canonical-json';
import { publish, type FeedItem } from '../feed';
import { reconciliationDeadline } from '../rules/deadlines';
import { exactTiyn, formatTenge, sumTiyn } from '../money';
import { signaturesOf, type SignatureInfo } from './signatures';

export const RECONCILIATION_FORMAT = 'kense-reconciliation+json;v=1';
type Half = z.infer<typeof zReconciliationHalf>;
type Reconciliation = z.infer<typeof zReconciliation>;

export interface Movement {
  date: string;
  document: string;
  debit: number;
  credit: number;
}

/** One half from the seller's view: shipments/acts → debit, payments/purchases → credit. */
export function reconciliationHalf(opening: number, lines: Movement[]): Half {
  const sorted = [...lines].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.document < b.document ? -1 : 1));
  // Turnover over many acts can exceed what is exact: refused (the period is too long to reconcile in one act).
  const debit = sumTiyn(sorted.map((l) => l.debit), 'body.periodFrom');
  const credit = sumTiyn(sorted.map((l) => l.credit), 'body.periodFrom');
  return { opening, lines: sorted, turnover: { debit, credit }, closing: exactTiyn(BigInt(opening) + BigInt(debit) - BigInt(credit), 'body.periodFrom') };
}

/** The counterparty's half mirrors ours: their debit is our credit. */
export function mirrorHalf(h: Half): Half {
  return { opening: -h.opening, lines: h.lines.map((l) => ({ ...l, debit: l.credit, credit: l.debit })), turnover: { debit: h.turnover.credit, credit: h.turnover.debit }, closing: -h.closing };
}

export function conclusion(ours: Half, usName: string, themName: string): Reconciliation['conclusion'] {
  if (ours.closing === 0) return { inFavourOf: 'none', amount: 0, text: 'Задолженность отсутствует' };
  const inFavourOf = ours.closing > 0 ? 'us' : 'counterparty';
  const amount = Math.abs(ours.closing);
  return { inFavourOf, amount, text: `Задолженность в пользу ${inFavourOf === 'us' ? usName : themName} составляет ${formatTenge(amount)}` };
}

export function reconciliationView(r: Selectable<ReconciliationsTable>, sigs: SignatureInfo[]): Reconciliation {
  return {
    id: r.id, version: r.version, branchId: r.branch_id, counterpartyId: r.counterparty_id, counterpartyName: r.counterparty_name,
    counterpartyIinBin: r.counterparty_iin_bin, periodFrom: r.period_from, periodTo: r.period_to, ours: JSON.parse(r.ours),
    theirs: r.theirs ? JSON.parse(r.theirs) : null, conclusion: JSON.parse(r.conclusion), state: r.state as Reconciliation['state'],
    sentOn: r.sent_on, deadline: r.deadline,
    canonical: { format: r.canonical_format, base64: Buffer.from(r.canonical).toString('base64'), sha256: r.canonical_sha256 },
    signatures: sigs, refusal: r.refusal ? JSON.parse(r.refusal) : null,
  };
}
export const reconciliationFeed = (r: Selectable<ReconciliationsTable>, sigs: SignatureInfo[]): FeedItem => ({
  entity: 'reconciliation', id: r.id, version: r.version, op: 'upsert', scope: 'reconciliation', branchId: r.branch_id, userId: null, data: reconciliationView(r, sigs),
});

export async function publishReconciliation(db: Kysely<Database>, r: Selectable<ReconciliationsTable>): Promise<Reconciliation> {
  const sigs = (await signaturesOf(db, 'reconciliation', [r.id])).get(r.id) ?? [];
  await publish(db, r.company_id, [reconciliationFeed(r, sigs)]);
  return reconciliationView(r, sigs);
}

export function newReconciliation(p: {
  companyId: string; branchId: string | null; company: { name: string; iinBin: string };
  counterparty: { id: string; name: string; iinBin: string }; periodFrom: string; periodTo: string; ours: Half; theirs: Half | null;
  state: Reconciliation['state']; sentOn: string; now: Date; id?: string;
}): Selectable<ReconciliationsTable> {
  const id = p.id ?? randomUUID();
  const concl = conclusion(p.ours, p.company.name, p.counterparty.name);
  const c = canonicalBytes(RECONCILIATION_FORMAT, {
    format: RECONCILIATION_FORMAT, documentId: id, seller: p.company, buyer: { name: p.counterparty.name, iinBin: p.counterparty.iinBin },
    periodFrom: p.periodFrom, periodTo: p.periodTo, ours: p.ours, conclusion: concl,
  });
  return {
    id, company_id: p.companyId, branch_id: p.branchId, counterparty_id: p.counterparty.id, counterparty_name: p.counterparty.name,
    counterparty_iin_bin: p.counterparty.iinBin, period_from: p.periodFrom, period_to: p.periodTo, ours: JSON.stringify(p.ours),
    theirs: p.theirs ? JSON.stringify(p.theirs) : null, conclusion: JSON.stringify(concl), state: p.state, sent_on: p.sentOn,
    deadline: reconciliationDeadline(p.sentOn), canonical: c.bytes, canonical_sha256: c.sha256, canonical_format: c.format, refusal: null,
    version: 1, created_at: p.now,
  };
}

/** Movements with a counterparty from the acts both sides signed: our outgoing acts → debit, incoming → credit. */
export async function movementsWith(db: Kysely<Database>, companyId: string, counterpartyId: string, to: string): Promise<Movement[]> {
  const acts = await db
    .selectFrom('acts')
    .select(['date', 'number', 'direction', 'amount_with_vat'])
    .where('company_id', '=', companyId)
    .where('counterparty_id', '=', counterpartyId)
    .where('state', '=', 'signed_by_both')
    .where('date', '<=', to)
    .execute();
  return acts.map((a) => ({
    date: a.date,
    document: `АВР № ${a.number} от ${a.date.split('-').reverse().join('.')}`,
    debit: a.direction === 'outgoing' ? a.amount_with_vat : 0,
    credit: a.direction === 'incoming' ? a.amount_with_vat : 0,
  }));
}

export async function buildReconciliation(db: Kysely<Database>, p: Principal, counterpartyId: string, from: string, to: string, today: string, now: Date, id?: string): Promise<Selectable<ReconciliationsTable>> {
  if (from > to) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'periodFrom', message: 'the period starts after it ends' }] });
  const cp = await db.selectFrom('counterparties').selectAll().where('company_id', '=', p.company.id).where('id', '=', counterpartyId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!cp) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'counterpartyId', message: 'no such counterparty' }] });
  const all = await movementsWith(db, p.company.id, cp.id, to);
  const before = all.filter((m) => m.date < from);
  const opening = exactTiyn(before.reduce((s, m) => s + BigInt(m.debit) - BigInt(m.credit), 0n), 'body.periodFrom');
  const ours = reconciliationHalf(opening, all.filter((m) => m.date >= from));
  return newReconciliation({
    companyId: p.company.id, branchId: cp.branch_id, company: { name: p.company.name, iinBin: p.company.iin_bin },
    counterparty: { id: cp.id, name: cp.name, iinBin: cp.iin_bin }, periodFrom: from, periodTo: to, ours, theirs: null, state: 'sent', sentOn: today, now, id,
  });
}
