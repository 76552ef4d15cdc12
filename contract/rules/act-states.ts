// The lifecycle of an EDO act (DOMAIN.md "Lifecycle of an act"): which action is allowed in which state.
import type { ActState } from '../cloud';

export type ActAction = 'sign' | 'refuse' | 'send' | 'withdraw' | 'delete';

export interface ActFacts {
  direction: 'incoming' | 'outgoing';
  state: ActState;
}

const AWAITING_US: readonly ActState[] = ['sent', 'delivered', 'viewed', 'signed_by_them'];
const OUT_OPEN: readonly ActState[] = ['signed_by_us', 'sent', 'delivered', 'viewed'];

/** The state after `action`, or null when the action is not allowed now. */
export function nextActState(a: ActFacts, action: ActAction): ActState | null {
  if (a.direction === 'incoming') {
    if (!AWAITING_US.includes(a.state)) return null;
    if (action === 'sign') return a.state === 'signed_by_them' ? 'signed_by_both' : 'signed_by_us';
    if (action === 'refuse') return 'refused';
    return null;
  }
  switch (action) {
    case 'sign':
      return a.state === 'draft' ? 'signed_by_us' : null;
    case 'send':
      return a.state === 'signed_by_us' ? 'sent' : null;
    case 'withdraw':
      return OUT_OPEN.includes(a.state) ? 'withdrawn' : null;
    case 'delete':
      return a.state === 'draft' ? 'draft' : null;
    default:
      return null;
  }
}

/** Is this act waiting for the director's signature (dashboard "documents awaiting signature")? */
export const awaitsOurSignature = (a: ActFacts): boolean => (a.direction === 'incoming' ? AWAITING_US.includes(a.state) : a.state === 'draft');
