// Routes: tariffs, subscription, invoices (read only: kense records payments from its bank statement, see
// domain/billing recordPayment and the operator route), monthly service acts.
import { KenseError } from '../../../../contract/errors';
import { kzDate } from '../../../../contract/kz-calendar';
import { invoiceView, refreshTimedState, serviceActView, subscriptionFeed, subscriptionView, tariffView } from '../../domain/billing';
import { signaturesOf } from '../../domain/signatures';
import { companyTx, publish } from '../../feed';
import { tariffChangeEffectiveFrom } from '../../rules/billing';
import type { Call } from '../../context';
import { pageOf, type Handlers } from './types';
import { auditCall as act, viaMutation } from './shared';

async function serviceActOut(c: Call, id: string) {
  const r = await c.s.db.selectFrom('service_acts').selectAll().where('company_id', '=', c.principal.company.id).where('id', '=', id).executeTakeFirst();
  if (!r) throw new KenseError('NOT_FOUND', { entity: 'service_act', id });
  const sig = (await signaturesOf(c.s.db, 'service_act', [r.id])).get(r.id)?.[0] ?? null;
  return serviceActView(r, sig);
}

export const billingRoutes: Handlers<
  'tariffsList' | 'subscriptionGet' | 'subscriptionChange' | 'invoicesList' | 'invoiceGet' | 'serviceActsList' | 'serviceActGet' | 'serviceActSign' | 'serviceActRefuse'
> = {
  tariffsList: async (c) => ({ items: (await c.s.db.selectFrom('tariffs').selectAll().orderBy('price_tiyn').execute()).map(tariffView) }),
  subscriptionGet: async (c) => {
    await refreshTimedState(c.s, c.principal.company.id);
    return subscriptionView(await c.s.db.selectFrom('subscriptions').selectAll().where('company_id', '=', c.principal.company.id).executeTakeFirstOrThrow());
  },
  subscriptionChange: async (c) => {
    const t = await c.s.db.selectFrom('tariffs').selectAll().where('id', '=', c.body.tariffId).executeTakeFirst();
    if (!t) throw new KenseError('NOT_FOUND', { entity: 'tariff', id: c.body.tariffId });
    if (t.closed_at) throw new KenseError('TARIFF_CLOSED', { successorId: t.successor_id });
    const from = tariffChangeEffectiveFrom(kzDate(c.s.clock.now()));
    const row = await companyTx(c.s, c.principal.company.id, async (trx) => {
      const sub = await trx.selectFrom('subscriptions').selectAll().where('company_id', '=', c.principal.company.id).executeTakeFirstOrThrow();
      const same = sub.tariff_id === t.id;
      const r = await trx
        .updateTable('subscriptions')
        .set({ pending_tariff_id: same ? null : t.id, pending_from: same ? null : from, version: sub.version + 1 })
        .where('company_id', '=', sub.company_id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await publish(trx, c.principal.company.id, [subscriptionFeed(r)]);
      return r;
    });
    await act(c, 'tariff.change', `tariff:${t.id}`, { effectiveFrom: from });
    return subscriptionView(row);
  },
  invoicesList: async (c) => {
    let q = c.s.db.selectFrom('invoices').selectAll().where('company_id', '=', c.principal.company.id);
    if (c.query.after) q = q.where('id', '>', c.query.after);
    const today = kzDate(c.s.clock.now());
    return pageOf((await q.orderBy('id').limit(c.query.limit).execute()).map((i) => invoiceView(i, today)), c.query.limit);
  },
  invoiceGet: async (c) => {
    const r = await c.s.db.selectFrom('invoices').selectAll().where('company_id', '=', c.principal.company.id).where('id', '=', c.params.id).executeTakeFirst();
    if (!r) throw new KenseError('NOT_FOUND', { entity: 'invoice', id: c.params.id });
    return invoiceView(r, kzDate(c.s.clock.now()));
  },
  serviceActsList: async (c) => {
    await refreshTimedState(c.s, c.principal.company.id);
    let q = c.s.db.selectFrom('service_acts').selectAll().where('company_id', '=', c.principal.company.id);
    if (c.query.after) q = q.where('id', '>', c.query.after);
    const rows = await q.orderBy('id').limit(c.query.limit).execute();
    const sigs = await signaturesOf(c.s.db, 'service_act', rows.map((r) => r.id));
    return pageOf(rows.map((r) => serviceActView(r, sigs.get(r.id)?.[0] ?? null)), c.query.limit);
  },
  serviceActGet: async (c) => {
    await refreshTimedState(c.s, c.principal.company.id);
    return serviceActOut(c, c.params.id);
  },
  serviceActSign: async (c) => viaMutation(c, 'signServiceAct', { serviceActId: c.params.id, cms: c.body.cms }, () => serviceActOut(c, c.params.id)),
  serviceActRefuse: async (c) => viaMutation(c, 'refuseServiceAct', { serviceActId: c.params.id, reason: c.body.reason }, () => serviceActOut(c, c.params.id)),
};
