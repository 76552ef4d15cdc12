// The local overlay on a document (pure): what its outbox entries make of it, and which applied entries the
// cache has caught up with (the server's version holding our change has been pulled, so the overlay can go).
import type { LocalState } from '../../../contract/ipc';

export type OutboxStatus = 'pending' | 'applied' | 'conflict' | 'rejected';

export interface OverlayEntry {
  seq: number;
  name: string;
  status: OutboxStatus;
  /** For applied entries: the version of the target the server reported (null: it reported none). */
  confirmedVersion: number | null;
}

/** Mutations that sign or refuse a document, by the local state they give it until confirmed. */
const LOCAL_STATE_OF: Record<string, LocalState> = {
  signAct: 'signed_locally',
  signServiceAct: 'signed_locally',
  signReconciliation: 'signed_locally',
  refuseAct: 'refused_locally',
  refuseServiceAct: 'refused_locally',
  refuseReconciliation: 'refused_locally',
};

/**
 * `cachedVersion`: the version of the document in the cache (null: not cached). An applied entry is confirmed —
 * and leaves the outbox — once the cache holds its version; until then the document keeps showing the local
 * change, so it never flips back to "awaiting signature" between the push and the next pull.
 * A conflict or rejection wins over anything pending: the user has to see it.
 */
export function overlayOf(entries: readonly OverlayEntry[], cachedVersion: number | null): { state: LocalState; confirmed: number[] } {
  const confirmed: number[] = [];
  const live: OverlayEntry[] = [];
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    if (e.status === 'applied' && (e.confirmedVersion === null || (cachedVersion !== null && cachedVersion >= e.confirmedVersion))) confirmed.push(e.seq);
    else live.push(e);
  }
  if (live.some((e) => e.status === 'conflict')) return { state: 'sync_conflict', confirmed };
  if (live.some((e) => e.status === 'rejected')) return { state: 'sync_rejected', confirmed };
  for (let i = live.length - 1; i >= 0; i--) {
    const s = LOCAL_STATE_OF[live[i].name];
    if (s) return { state: s, confirmed };
  }
  return { state: 'synced', confirmed };
}
