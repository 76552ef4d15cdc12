// kense's operator routes (contract/cloud/operator.ts OPERATOR_ENDPOINTS): recording a client's payment (it stands
// in for the bank statement import) and kense support's side of the support requests. Registered only when the
// server was started with an operator token; a client's token never opens them. The token is kept as its SHA-256
// only and compared in constant time; it never reaches a log, an answer or the audit.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { z } from 'zod';
import { KenseError } from '../../../contract/errors';
import { OPERATOR_TOKEN_MIN_LENGTH, type OPERATOR_ENDPOINTS, type OperatorEndpointName, type OperatorPaymentResult, type OperatorTicket } from '../../../contract/cloud/operator';
import type { Services } from '../context';
import type { Db } from '../db/connect';
import type { SupportTicketsTable } from '../db/schema';
import { kzIso } from '../clock';
import { invoiceView, recordPayment, subscriptionView, type PaymentOutcome } from '../domain/billing';
import { supportReply, ticketView } from '../domain/support';
import { audit } from '../domain/audit';
import { companyTx } from '../feed';
import { pageOf } from './routes/types';

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** What the server keeps of the operator token: its SHA-256 (hex). A short token is refused. */
export function operatorTokenDigest(token: string): string {
  if (token.length < OPERATOR_TOKEN_MIN_LENGTH) throw new KenseError('INVALID_INPUT', { option: 'operator token', problem: `shorter than ${OPERATOR_TOKEN_MIN_LENGTH} characters` });
  return sha256(token).toString('hex');
}

/**
 * Refuses unless `authorization` is `Bearer <the operator token>`. Both sides are hashed first, so the comparison
 * takes the same time whatever the presented token's length or content; attempts count against the IP's limit.
 */
export function requireOperator(s: Services, authorization: string | undefined, ip: string): void {
  if (!s.limiter.hit(`operator:${ip}`, s.config.rateLimit.perIpPerMinute)) throw new KenseError('RATE_LIMITED');
  const expected = s.config.operatorTokenSha256;
  const presented = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
  const ok = !!expected && timingSafeEqual(sha256(presented), Buffer.from(expected, 'hex'));
  if (!ok || !presented) throw new KenseError('OPERATOR_AUTH_REQUIRED');
}

export function paymentResult(o: PaymentOutcome): OperatorPaymentResult {
  return {
    payment: { id: o.payment.id, invoiceId: o.payment.invoice_id, amount: o.payment.amount, paidAt: kzIso(o.payment.paid_at), reference: o.payment.reference, recordedAt: kzIso(o.payment.recorded_at) },
    duplicate: o.duplicate,
    company: { id: o.company.id, name: o.company.name, iinBin: o.company.iin_bin },
    invoice: invoiceView(o.invoice, o.today),
    remaining: o.remaining,
    subscription: subscriptionView(o.subscription),
  };
}

type Op = typeof OPERATOR_ENDPOINTS;
type Part<N extends OperatorEndpointName, K extends string> = Op[N] extends Record<K, z.ZodType> ? z.infer<Op[N][K]> : undefined;

/** What an operator handler gets, after requireOperator and the contract's parsing of params, query and body. */
export interface OperatorCall<N extends OperatorEndpointName> {
  s: Services;
  params: Part<N, 'params'>;
  query: Part<N, 'query'>;
  body: Part<N, 'body'>;
  ip: string;
}
/** The answer and its HTTP status (default: the endpoint's `status`, else 200). */
export type OperatorHandlers = { [N in OperatorEndpointName]: (c: OperatorCall<N>) => Promise<{ result: z.infer<Op[N]['response']>; status?: number }> };

type TicketRow = Selectable<SupportTicketsTable>;

async function operatorTickets(db: Db, rows: TicketRow[]): Promise<OperatorTicket[]> {
  const ids = [...new Set(rows.map((r) => r.company_id))];
  const companies = ids.length ? await db.selectFrom('companies').select(['id', 'name', 'iin_bin']).where('id', 'in', ids).execute() : [];
  const byId = new Map(companies.map((c) => [c.id, { id: c.id, name: c.name, iinBin: c.iin_bin }]));
  const out: OperatorTicket[] = [];
  for (const r of rows) out.push({ ...(await ticketView(db, r)), company: byId.get(r.company_id) ?? { id: r.company_id, name: '', iinBin: '' } });
  return out;
}

async function anyTicket(db: Db, id: string): Promise<TicketRow> {
  const t = await db.selectFrom('support_tickets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!t) throw new KenseError('NOT_FOUND', { entity: 'support_ticket', id });
  return t;
}

export const OPERATOR_ROUTES: OperatorHandlers = {
  // The same domain step as `kense cloud record-payment`; a reference already recorded answers 200.
  operatorPayment: async ({ s, body, ip }) => {
    const outcome = await recordPayment(
      s,
      { invoiceId: body.invoiceId, amount: body.amount, paidAt: body.paidAt ? new Date(body.paidAt) : undefined, reference: body.reference },
      { via: 'operator_api', operator: null, ip },
    );
    return { result: paymentResult(outcome), status: outcome.duplicate ? 200 : 201 };
  },
  // kense support's queue across companies, oldest first; `after` is the last id of the previous page.
  operatorSupportTickets: async ({ s, query }) => {
    let q = s.db.selectFrom('support_tickets').selectAll();
    if (query.status) q = q.where('status', '=', query.status);
    if (query.after) {
      const from = await anyTicket(s.db, query.after);
      q = q.where(sql<boolean>`(created_at, id) > (${from.created_at}, ${from.id})`);
    }
    const rows = await q.orderBy('created_at').orderBy('id').limit(query.limit).execute();
    return { result: pageOf(await operatorTickets(s.db, rows), query.limit) };
  },
  operatorSupportTicket: async ({ s, params }) => ({ result: (await operatorTickets(s.db, [await anyTicket(s.db, params.id)]))[0] }),
  // The answer, the move and the audit row (in the client's log, as done by kense support) in one company transaction.
  operatorSupportReply: async ({ s, params, body, ip }) => {
    const { company_id: companyId } = await anyTicket(s.db, params.id);
    const now = s.clock.now();
    await companyTx(s, companyId, async (trx) => {
      const t = await anyTicket(trx, params.id);
      const v = await supportReply(trx, t, body, now);
      await audit(trx, {
        companyId, userId: null, sessionId: null, deviceName: 'kense support (operator_api)', ip, action: 'support.operator_reply', target: `support_ticket:${t.id}`,
        details: { actor: 'kense_operator', via: 'operator_api', agentName: body.agentName, number: v.number, status: v.status }, at: now,
      });
    });
    return { result: (await operatorTickets(s.db, [await anyTicket(s.db, params.id)]))[0] };
  },
};
