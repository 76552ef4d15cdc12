// Routes: EDO acts and reconciliation acts.
import { KenseError } from '../../../../contract/errors';
import { kzDate } from '../../../../contract/kz-calendar';
import { actFeed, actFor, actView, actViewFor, createOutgoingAct, publishAct, setActState } from '../../domain/acts';
import { buildReconciliation, publishReconciliation, reconciliationView } from '../../domain/reconciliation';
import { refreshAwaitingDashboard } from '../../domain/dashboards';
import { refreshTimedState } from '../../domain/billing';
import { signaturesOf } from '../../domain/signatures';
import { companyTx, publish } from '../../feed';
import { nextActState } from '../../rules/act-states';
import { outgoingAllowed } from '../../rules/billing';
import { deliverOutgoing } from '../../domain/edo';
import type { Call } from '../../context';
import { pageOf, type Handlers } from './types';
import { auditCall as act, createRoute, viaMutation } from './shared';

/** New outgoing documents are outgoing work: refused while the company (or the branch) is blocked. */
async function assertOutgoingAllowed(c: Call, branchId: string | null): Promise<void> {
  await refreshTimedState(c.s, c.principal.company.id);
  const sub = await c.s.db.selectFrom('subscriptions').select(['state', 'blocked_branch_ids']).where('company_id', '=', c.principal.company.id).executeTakeFirst();
  if (sub && !outgoingAllowed({ state: sub.state as 'active', blockedBranchIds: JSON.parse(sub.blocked_branch_ids) }, branchId)) throw new KenseError('TARIFF_BLOCKED');
}

const actOut = async (c: Call, id: string) => actViewFor(c.s.db, await actFor(c.s.db, c.principal, id));

async function reconciliationOut(c: Call, id: string) {
  const r = await c.s.db.selectFrom('reconciliations').selectAll().where('company_id', '=', c.principal.company.id).where('id', '=', id).executeTakeFirst();
  if (!r) throw new KenseError('NOT_FOUND', { entity: 'reconciliation', id });
  return reconciliationView(r, (await signaturesOf(c.s.db, 'reconciliation', [r.id])).get(r.id) ?? []);
}

export const actRoutes: Handlers<
  'actsList' | 'actGet' | 'actCreate' | 'actSend' | 'actSign' | 'actRefuse' | 'actWithdraw' | 'actDelete' |
  'reconciliationsList' | 'reconciliationGet' | 'reconciliationCreate' | 'reconciliationSign' | 'reconciliationRefuse'
> = {
  actsList: async (c) => {
    let q = c.s.db.selectFrom('acts').selectAll().where('company_id', '=', c.principal.company.id);
    if (c.principal.viewer.role === 'manager') q = c.principal.viewer.branchId ? q.where('branch_id', '=', c.principal.viewer.branchId) : q.where('branch_id', 'is', null);
    if (c.query.state) q = q.where('state', '=', c.query.state);
    if (c.query.direction) q = q.where('direction', '=', c.query.direction);
    if (c.query.after) q = q.where('id', '>', c.query.after);
    const rows = await q.orderBy('id').limit(c.query.limit).execute();
    const sigs = await signaturesOf(c.s.db, 'act', rows.map((r) => r.id));
    return pageOf(rows.map((r) => actView(r, sigs.get(r.id) ?? [])), c.query.limit);
  },
  actGet: async (c) => actOut(c, c.params.id),
  actCreate: async (c) => {
    const now = c.s.clock.now();
    return createRoute(c, 'actCreate', {
      before: () => assertOutgoingAllowed(c, c.principal.viewer.role === 'manager' ? c.principal.viewer.branchId : c.body.branchId),
      exists: async (trx, id) => !!(await trx.selectFrom('acts').select('id').where('id', '=', id).executeTakeFirst()),
      create: async (trx, id) => {
        const row = await createOutgoingAct(trx, c.principal, c.body, now, id);
        const v = await publishAct(trx, row);
        await refreshAwaitingDashboard(trx, c.principal.company.id, now);
        return v;
      },
      audit: (view) => act(c, 'act.create', `act:${view.id}`, { number: view.number }),
    });
  },
  actSend: async (c) => {
    const now = c.s.clock.now();
    const r0 = await actFor(c.s.db, c.principal, c.params.id);
    await assertOutgoingAllowed(c, r0.branch_id);
    const view = await companyTx(c.s, c.principal.company.id, async (trx) => {
      const r = await actFor(trx, c.principal, c.params.id);
      const next = nextActState({ direction: r.direction as 'outgoing', state: r.state as 'draft' }, 'send');
      if (!next) throw new KenseError('DOCUMENT_STATE', { state: r.state });
      return publishAct(trx, await setActState(trx, r, next, now));
    });
    await act(c, 'act.send', `act:${view.id}`, { number: view.number });
    // A counterparty that is a kense client here receives the act at once (EDO between tenants).
    await deliverOutgoing(c.s, view.id);
    return actOut(c, view.id);
  },
  actSign: async (c) => viaMutation(c, 'signAct', { actId: c.params.id, cms: c.body.cms }, () => actOut(c, c.params.id)),
  actRefuse: async (c) => viaMutation(c, 'refuseAct', { actId: c.params.id, reason: c.body.reason }, () => actOut(c, c.params.id)),
  actWithdraw: async (c) => viaMutation(c, 'withdrawAct', { actId: c.params.id, reason: c.body.reason }, () => actOut(c, c.params.id)),
  actDelete: async (c) => {
    const now = c.s.clock.now();
    await companyTx(c.s, c.principal.company.id, async (trx) => {
      const r = await actFor(trx, c.principal, c.params.id);
      if (!nextActState({ direction: r.direction as 'outgoing', state: r.state as 'draft' }, 'delete')) throw new KenseError('DOCUMENT_STATE', { state: r.state });
      await trx.deleteFrom('acts').where('id', '=', r.id).execute();
      await publish(trx, c.principal.company.id, [actFeed({ ...r, version: r.version + 1 }, null)]);
      await refreshAwaitingDashboard(trx, c.principal.company.id, now);
    });
    await act(c, 'act.delete', `act:${c.params.id}`);
    return { ok: true };
  },

  reconciliationsList: async (c) => {
    await refreshTimedState(c.s, c.principal.company.id);
    let q = c.s.db.selectFrom('reconciliations').selectAll().where('company_id', '=', c.principal.company.id);
    if (c.query.after) q = q.where('id', '>', c.query.after);
    const rows = await q.orderBy('id').limit(c.query.limit).execute();
    const sigs = await signaturesOf(c.s.db, 'reconciliation', rows.map((r) => r.id));
    return pageOf(rows.map((r) => reconciliationView(r, sigs.get(r.id) ?? [])), c.query.limit);
  },
  reconciliationGet: async (c) => {
    await refreshTimedState(c.s, c.principal.company.id);
    return reconciliationOut(c, c.params.id);
  },
  reconciliationCreate: async (c) => {
    const now = c.s.clock.now();
    return createRoute(c, 'reconciliationCreate', {
      before: () => assertOutgoingAllowed(c, null),
      exists: async (trx, id) => !!(await trx.selectFrom('reconciliations').select('id').where('id', '=', id).executeTakeFirst()),
      create: async (trx, id) => {
        const row = await buildReconciliation(trx, c.principal, c.body.counterpartyId, c.body.periodFrom, c.body.periodTo, kzDate(now), now, id);
        await trx.insertInto('reconciliations').values(row).execute();
        const v = await publishReconciliation(trx, row);
        await refreshAwaitingDashboard(trx, c.principal.company.id, now);
        return v;
      },
      audit: (view) => act(c, 'reconciliation.create', `reconciliation:${view.id}`),
    });
  },
  reconciliationSign: async (c) => viaMutation(c, 'signReconciliation', { reconciliationId: c.params.id, cms: c.body.cms }, () => reconciliationOut(c, c.params.id)),
  reconciliationRefuse: async (c) => viaMutation(c, 'refuseReconciliation', { reconciliationId: c.params.id, reason: c.body.reason }, () => reconciliationOut(c, c.params.id)),
};
