// Helpers every route module uses: the audit row for the caller, and REST actions run as sync mutations.
import type { z } from 'zod';
import type { MUTATIONS, MutationName } from '../../../../contract/cloud';
import type { Call } from '../../context';
import { audit } from '../../domain/audit';
import { refreshTimedState } from '../../domain/billing';
import { runAction } from '../../sync/mutations';

/** Writes an audit row for the caller: who, when, from which session, device and IP. */
export function auditCall(c: Call, action: string, target: string | null = null, details: Record<string, unknown> = {}): Promise<void> {
  return audit(c.s.db, {
    companyId: c.principal.company.id, userId: c.principal.user.id, sessionId: c.principal.sessionId, deviceName: c.principal.deviceName,
    ip: c.ip, action, target, details, at: c.s.clock.now(),
  });
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
