// The IPC contract's events (core → renderer): every event `name → payload` as zod schemas.
import { z } from 'zod';
import { zNotification, zSyncEntity } from '../cloud';
import { zDocumentRef, zIpcError, zSessionStatus, zSyncStatus } from './views';

export const EVENTS = {
  /** Whenever any field of the sync status changes (online, pending count, problems, …). */
  'sync.status': zSyncStatus,
  /** During a pull/rebuild (at most ~10 a second) and a push. */
  'sync.progress': z.object({
    phase: z.enum(['pull', 'push', 'rebuild']),
    /** Changes applied in this round. */
    applied: z.int().min(0),
    /** Changes still expected, when the server said (null: unknown). */
    remaining: z.int().min(0).nullable(),
    pushed: z.int().min(0),
    pending: z.int().min(0),
  }),
  /** Cached data changed: refetch what you show of these entities. `refs` lists documents when few changed. */
  'data.changed': z.object({
    entities: z.array(z.union([zSyncEntity, z.enum(['settings', 'outbox'])])),
    refs: z.array(zDocumentRef).max(100).nullable(),
  }),
  /** A new notification arrived from the server (for the desktop notification and the bell). */
  notification: zNotification,
  /** Progress of documents.sign / certificate sign-in. */
  'signing.progress': z.object({
    requestId: z.string().nullable(),
    phase: z.enum(['waiting_for_signer', 'verifying', 'storing', 'done']),
    done: z.int().min(0),
    total: z.int().min(0),
  }),
  /** Session changed (signed in, out, profile opened). */
  'session.changed': zSessionStatus,
  /** The server ended the session (revoked refresh token, session ended elsewhere): sign in again; outbox kept. */
  'session.expired': z.object({ error: zIpcError, pendingMutations: z.int().min(0) }),
  /** The profile's local data was deleted (account/company terminated, or the user asked). */
  'profile.wiped': z.object({ profileId: z.string(), reason: z.enum(['account_terminated', 'user_request']), error: zIpcError.nullable() }),
  /** Desktop app: core's process stopped and was started again (the outbox is on disk: nothing lost); `gaveUp` after
   * repeated crashes — the window shows `error` (CORE_FAILED) instead of the office. */
  'app.coreRestarted': z.object({ restarts: z.int().min(1), gaveUp: z.boolean(), error: zIpcError.nullable() }),
  /** Desktop app: a kense:// link asked to open this document. */
  'app.openDocument': zDocumentRef,
  /** Signing or pushing started/stopped (the updater and quit wait for both to be false). */
  'app.busy': z.object({ signing: z.boolean(), pushing: z.boolean() }),
} as const satisfies Record<string, z.ZodType>;

export type Events = typeof EVENTS;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, name);
}
