// kense's operator route: recording a client's payment (it stands in for the bank statement import). Registered
// only when the server was started with an operator token; a client's token never opens it. The token is kept
// as its SHA-256 only and compared in constant time; it never reaches a log, an answer or the audit.
import { createHash, timingSafeEqual } from 'node:crypto';
import { KenseError } from '../../../contract/errors';
import { OPERATOR_TOKEN_MIN_LENGTH, type OperatorPaymentRequest, type OperatorPaymentResult } from '../../../contract/cloud/operator';
import type { Services } from '../context';
import { kzIso } from '../clock';
import { invoiceView, recordPayment, subscriptionView, type PaymentOutcome } from '../domain/billing';

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

/** POST /v1/operator/payments, after requireOperator: the same domain step as `kense cloud record-payment`. */
export async function operatorPayment(s: Services, body: OperatorPaymentRequest, ip: string): Promise<OperatorPaymentResult> {
  const outcome = await recordPayment(
    s,
    { invoiceId: body.invoiceId, amount: body.amount, paidAt: body.paidAt ? new Date(body.paidAt) : undefined, reference: body.reference },
    { via: 'operator_api', operator: null, ip },
  );
  return paymentResult(outcome);
}
