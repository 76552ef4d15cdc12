// The sync protocol: a role-scoped, ordered pull of changes and an idempotent push of mutations.
import { z } from 'zod';
import { zBase64, zCertSerial, zId, zRole, zVersion } from './common';
import { zBranch, zCompany, zCounterparty, zUser } from './company';
import { zInvoice, zServiceAct, zSubscription, zTariff } from './billing';
import { zAct } from './acts';
import { zReconciliation } from './reconciliation';
import { zDashboard } from './dashboards';
import { zNotification } from './notifications';
import { zSupportTicket } from './support';

/** Every entity the feed carries and the schema of its data. */
export const SYNC_ENTITIES = {
  company: zCompany,
  branch: zBranch,
  user: zUser,
  counterparty: zCounterparty,
  tariff: zTariff,
  subscription: zSubscription,
  invoice: zInvoice,
  service_act: zServiceAct,
  act: zAct,
  reconciliation: zReconciliation,
  dashboard: zDashboard,
  notification: zNotification,
  support_ticket: zSupportTicket,
} as const;
export type SyncEntity = keyof typeof SYNC_ENTITIES;
export const zSyncEntity = z.enum(Object.keys(SYNC_ENTITIES) as [SyncEntity, ...SyncEntity[]]);

export const zChangesQuery = z.object({
  cursor: z.string().max(500).optional().meta({ description: 'Opaque cursor from the previous answer; absent = from the beginning' }),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

/**
 * One change. The feed holds the latest state of each entity once (an update moves it to the end), so a
 * first pull from no cursor yields every visible entity exactly once. `delete` is a tombstone: the entity
 * was deleted, or this user lost access to it (role or branch changed); `data` is then null.
 */
export const zChange = z
  .object({
    seq: z.int().min(1),
    entity: zSyncEntity,
    id: z.string(),
    version: zVersion,
    op: z.enum(['upsert', 'delete']),
    data: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'Change' });
export type Change = z.infer<typeof zChange>;

export const zChangesResponse = z.object({
  changes: z.array(zChange),
  cursor: z.string().meta({ description: 'Opaque; send it back to continue' }),
  hasMore: z.boolean(),
});

/** Arguments of each mutation by name. */
export const MUTATIONS = {
  signAct: z.object({ actId: zId, cms: zBase64 }),
  refuseAct: z.object({ actId: zId, reason: z.string().trim().min(3).max(2000) }),
  withdrawAct: z.object({ actId: zId, reason: z.string().trim().min(3).max(2000) }),
  signServiceAct: z.object({ serviceActId: zId, cms: zBase64 }),
  refuseServiceAct: z.object({ serviceActId: zId, reason: z.string().trim().min(3).max(2000) }),
  signReconciliation: z.object({ reconciliationId: zId, cms: zBase64 }),
  refuseReconciliation: z.object({ reconciliationId: zId, reason: z.string().trim().min(3).max(2000) }),
  markNotificationRead: z.object({ notificationId: zId }),
  changeRole: z.object({ userId: zId, role: zRole.exclude(['first_manager']), branchId: zId.nullable() }),
  reportKeyCompromise: z.object({ serial: zCertSerial, reason: z.string().max(500).optional() }),
} as const;
export type MutationName = keyof typeof MUTATIONS;
export const MUTATION_NAMES = Object.keys(MUTATIONS) as MutationName[];

export const zMutation = z.object({
  mutationId: z.uuid().meta({ description: 'Created once by the client and reused on every retry' }),
  name: z.string().max(60),
  args: z.unknown(),
  baseVersion: z.int().min(0).nullable().meta({ description: 'Version of the target entity the user acted on' }),
});
export type Mutation = z.infer<typeof zMutation>;
export const zMutationsRequest = z.object({ mutations: z.array(zMutation).min(1).max(100) });

const zEntityRef = z.object({ entity: zSyncEntity, id: z.string(), version: zVersion });
export const zMutationOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('applied'), entity: zEntityRef.nullable() }),
  z.object({ status: z.literal('conflict'), entity: zEntityRef, current: z.record(z.string(), z.unknown()).nullable() }),
  z.object({ status: z.literal('rejected'), code: z.string(), message: z.string(), action: z.string(), details: z.record(z.string(), z.unknown()).optional() }).meta({
    description: 'message and action in the Accept-Language locale of this answer (also on replays)',
  }),
]);
export type MutationOutcome = z.infer<typeof zMutationOutcome>;
export const zMutationResult = z.union([
  zMutationOutcome.and(z.object({ mutationId: z.uuid() })),
  z.object({ mutationId: z.uuid(), status: z.literal('duplicate'), original: zMutationOutcome.meta({ description: 'The first answer to this mutationId' }) }),
]);
export type MutationResult = z.infer<typeof zMutationResult>;
export const zMutationsResponse = z.object({ results: z.array(zMutationResult) });
