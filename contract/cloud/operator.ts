// kense's own operator API: not part of the client contract (not in ENDPOINTS, not in the OpenAPI document,
// not reachable with a client token), described by its own table OPERATOR_ENDPOINTS from which the server registers
// the routes. Recording a client's payment stands in for the bank statement import; kense support answers the
// support requests of every company.
import { z } from 'zod';
import { page, zId, zIdParams, zTiyn, zTimestamp } from './common';
import type { Endpoint } from './endpoints';
import { zInvoice, zSubscription } from './billing';
import { SUPPORT_LIMITS, zSupportStatus, zSupportTicket } from './support';

/** Present only when the server was started with an operator token (`kense cloud serve --operator-token-env VAR`). */
export const OPERATOR_PAYMENTS_PATH = '/v1/operator/payments';

/** An operator token shorter than this is refused at start: it must not be guessable. */
export const OPERATOR_TOKEN_MIN_LENGTH = 32;

export const zOperatorPaymentRequest = z.object({
  invoiceId: zId,
  amount: z.int().min(1).max(Number.MAX_SAFE_INTEGER).optional().meta({ description: 'Received, in tiyn; default: all that is still due' }),
  paidAt: zTimestamp.optional().meta({ description: 'When the payer paid (from the statement), with an explicit offset; default now' }),
  reference: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'no control characters')
    .meta({ description: 'The payment document number from the bank statement; recording the same reference again changes nothing' }),
});
export type OperatorPaymentRequest = z.infer<typeof zOperatorPaymentRequest>;

export const zPaymentRecord = z.object({
  id: zId,
  invoiceId: zId,
  amount: zTiyn,
  paidAt: zTimestamp,
  reference: z.string(),
  recordedAt: zTimestamp,
});

export const zOperatorPaymentResult = z.object({
  payment: zPaymentRecord,
  /** true: this reference was already recorded for this invoice and amount; nothing changed. */
  duplicate: z.boolean(),
  company: z.object({ id: zId, name: z.string(), iinBin: z.string() }),
  invoice: zInvoice,
  /** Still due on the invoice after this payment, in tiyn (0 = paid). */
  remaining: zTiyn,
  subscription: zSubscription,
});
export type OperatorPaymentResult = z.infer<typeof zOperatorPaymentResult>;

/** kense support's side of the support requests (same operator token). */
export const OPERATOR_SUPPORT_PATH = '/v1/operator/support/tickets';

export const zOperatorTicket = zSupportTicket.extend({ company: z.object({ id: zId, name: z.string(), iinBin: z.string() }) });
export type OperatorTicket = z.infer<typeof zOperatorTicket>;
export const zOperatorTicketsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: zId.optional(),
  status: zSupportStatus.optional(),
});
export const zOperatorTickets = page(zOperatorTicket);
/** kense support answers; it may move the request on (in progress, waiting for the customer, resolved, closed). */
export const zOperatorReplyRequest = z.object({
  body: z.string().trim().min(1).max(SUPPORT_LIMITS.reply).regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'no control characters'),
  status: z.enum(['in_progress', 'waiting_for_customer', 'resolved', 'closed']).optional(),
  agentName: z.string().trim().min(1).max(100).default('kense support'),
});
export type OperatorReplyRequest = z.infer<typeof zOperatorReplyRequest>;

/** An operator route: always behind the operator token (`Authorization: Bearer <token>`), never a client's token. */
export type OperatorEndpoint = Omit<Endpoint, 'auth' | 'roles' | 'contentType'>;

/**
 * kense's operator routes. All exist only when the server was started with an operator token
 * (`kense cloud serve --operator-token-env VAR`) and answer OPERATOR_AUTH_REQUIRED (401) to any other bearer.
 */
export const OPERATOR_ENDPOINTS = {
  operatorPayment: {
    method: 'POST', path: OPERATOR_PAYMENTS_PATH, tag: 'operator', body: zOperatorPaymentRequest, response: zOperatorPaymentResult, status: 201,
    summary: 'Record a client’s payment of a kense invoice (201; 200 when the reference was already recorded: nothing changed)',
  },
  operatorSupportTickets: {
    method: 'GET', path: OPERATOR_SUPPORT_PATH, tag: 'operator', query: zOperatorTicketsQuery, response: zOperatorTickets,
    summary: 'Support requests of every company, oldest first (filter by status; keyset pages by id)',
  },
  operatorSupportTicket: {
    method: 'GET', path: `${OPERATOR_SUPPORT_PATH}/:id`, tag: 'operator', params: zIdParams, response: zOperatorTicket,
    summary: 'One support request with its replies, attachments listed',
  },
  operatorSupportReply: {
    method: 'POST', path: `${OPERATOR_SUPPORT_PATH}/:id/replies`, tag: 'operator', params: zIdParams, body: zOperatorReplyRequest, response: zOperatorTicket,
    summary: 'kense support answers (optionally moving the request on); the first answer sets firstResponseAt, the author is notified',
  },
} as const satisfies Record<string, OperatorEndpoint>;
export type OperatorEndpointName = keyof typeof OPERATOR_ENDPOINTS;
