// Helpers every route module uses: the audit row for the caller, and REST actions run as sync mutations.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { EndpointName, MUTATIONS, MutationName } from '../../../../contract/cloud';
import type { Call } from '../../context';
import { audit } from '../../domain/audit';
import { refreshTimedState } from '../../domain/billing';
import { runAction } from '../../sync/mutations';
import { createOnce, idempotencyKey, replayOf, Replay } from '../../idempotency';
import type { Trx } from '../../feed';

/** Writes an audit row for the caller: who, when, from which session, device and IP. */
export function auditCall(c: Call, action: string, target: string | null = null, details: Record<string, unknown> = {}): Promise<void> {
  return audit(c.s.db, {
    companyId: c.principal.company.id, userId: c.principal.user.id, sessionId: c.principal.sessionId, deviceName: c.principal.deviceName,
    ip: c.ip, action, target, details, at: c.s.clock.now(),
  });
}

/**
 * A create route, exactly once per client key (a client-made `id` or the Idempotency-Key header): a retry gets
 * the first answer before anything is checked again; `before` runs checks outside the transaction; `exists` tells
 * whether a client-made id is already taken (by anything, in any company); `audit` runs only for a fresh create.
 */
export async function createRoute<T>(
  c: Call<unknown, unknown, { id?: string }>,
  route: EndpointName,
  o: { before?: () => Promise<void>; exists?: (trx: Trx, id: string) => Promise<boolean>; create: (trx: Trx, id: string) => Promise<T>; audit: (made: T) => Promise<void> },
): Promise<T | Replay> {
  const k = await idempotencyKey(c, route, c.body.id);
  const early = await replayOf(c, k);
  if (early) return early;
  await o.before?.();
  const id = c.body.id ?? randomUUID();
  const made = await createOnce(c, k, (trx) => o.create(trx, id), c.body.id && o.exists ? (trx) => o.exists!(trx, id) : undefined);
  if (made instanceof Replay) return made;
  await o.audit(made);
  return made;
}

/**
 * A REST action (POST /v1/acts/:id/sign …) is the sync mutation of the same name, run after the timed state is
 * brought up to date (a deadline may just have passed); the answer is the document as it is now.
 */
export async function viaMutation<N extends MutationName, T>(c: Call, name: N, args: z.input<(typeof MUTATIONS)[N]>, answer: () => Promise<T>): Promise<T> {
  await refreshTimedState(c.s, c.principal.company.id);
  await runAction(c.s, c.principal, name, args);
  return answer();
}
