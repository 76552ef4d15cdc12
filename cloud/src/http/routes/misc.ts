// Routes: health, OpenAPI, app policy, dashboards and the accounting import, notifications, audit, sync.
import { randomUUID } from 'node:crypto';
import { KenseError } from '../../../../contract/errors';
import { buildOpenApi } from '../../../../contract/cloud';
import { kzIso } from '../../clock';
import { dashboardView, refreshAwaitingDashboard, saveSnapshots } from '../../domain/dashboards';
import { dropImportParts, storeImportParts } from '../../domain/accounting-import';
import { createOnce, idempotencyKey, replayOf, Replay } from '../../idempotency';
import { notificationFeed, notificationView } from '../../domain/notifications';
import { companyTx, publish } from '../../feed';
import { pullChanges } from '../../sync/changes';
import { applyMutations } from '../../sync/mutations';
import { pageOf, RawJson, type Handlers } from './types';
import { auditCall } from './shared';

let openapiCache: Record<string, unknown> | undefined;

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // Cells starting with = + - @ are prefixed so spreadsheets do not run them as formulas.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const miscRoutes: Handlers<
  'health' | 'openapi' | 'appPolicy' | 'timestampAuthority' | 'dashboardsList' | 'accountingImport' | 'notificationsList' | 'notificationRead' | 'auditList' | 'auditExport' | 'syncChanges' | 'syncMutations'
> = {
  health: async (c) => ({ status: 'ok', storage: c.s.storage, trust: c.s.config.trust, time: kzIso(c.s.clock.now()) }),
  openapi: async () => (openapiCache ??= buildOpenApi()),
  appPolicy: async (c) => ({ ...c.s.config.appPolicy }),
  timestampAuthority: async (c) => c.s.timestamps.authority(),
  dashboardsList: async (c) => {
    const rows = await c.s.db.selectFrom('dashboards').selectAll().where('company_id', '=', c.principal.company.id).orderBy('kind').execute();
    return { items: rows.map(dashboardView) };
  },
  accountingImport: async (c) => {
    // The worker has parsed and checked the import, made its snapshots (every sum exact) and its parts.
    const prep = c.prepared!;
    // A retry (same importId or Idempotency-Key) gets the first answer.
    const k = await idempotencyKey(c, 'accountingImport', prep.importId, prep.digest);
    const early = await replayOf(c, k);
    if (early) return early;
    const now = c.s.clock.now();
    const id = prep.importId ?? randomUUID();
    const companyId = c.principal.company.id;
    // The rows go in first, one part per insert; the transaction only links them and saves five small snapshots.
    const upload = await storeImportParts(c.s.db, prep.parts, now);
    let made;
    try {
      made = await createOnce(
        c,
        k,
        async (trx) => {
          await trx.insertInto('accounting_imports').values({ id, company_id: companyId, user_id: c.principal.user.id, imported_at: now, as_of: new Date(prep.asOf), data: JSON.stringify(prep.header), upload_id: upload }).execute();
          const kinds = await saveSnapshots(trx, companyId, new Date(prep.asOf), prep.snapshots);
          await refreshAwaitingDashboard(trx, companyId, now);
          return { importId: id, dashboards: [...kinds, 'awaiting_signature'] };
        },
        async (trx) => !!(await trx.selectFrom('accounting_imports').select('id').where('id', '=', id).executeTakeFirst()),
      );
    } catch (e) {
      await dropImportParts(c.s.db, upload);
      throw e;
    }
    if (made instanceof Replay) {
      await dropImportParts(c.s.db, upload);
      return made;
    }
    await auditCall(c, 'accounting.import', `import:${id}`, { asOf: prep.asOf, source: prep.source, rows: prep.header.rows });
    return made;
  },
  notificationsList: async (c) => {
    let q = c.s.db.selectFrom('notifications').selectAll().where('user_id', '=', c.principal.user.id);
    if (c.query.after) q = q.where('id', '>', c.query.after);
    return pageOf((await q.orderBy('id').limit(c.query.limit).execute()).map(notificationView), c.query.limit);
  },
  notificationRead: async (c) => {
    const row = await companyTx(c.s, c.principal.company.id, async (trx) => {
      const n = await trx.selectFrom('notifications').selectAll().where('id', '=', c.params.id).where('user_id', '=', c.principal.user.id).executeTakeFirst();
      if (!n) throw new KenseError('NOT_FOUND', { entity: 'notification', id: c.params.id });
      if (n.read_at) return n;
      const u = await trx.updateTable('notifications').set({ read_at: c.s.clock.now(), version: n.version + 1 }).where('id', '=', n.id).returningAll().executeTakeFirstOrThrow();
      await publish(trx, c.principal.company.id, [notificationFeed(u)]);
      return u;
    });
    return notificationView(row);
  },
  auditList: async (c) => {
    let q = c.s.db
      .selectFrom('audit as a')
      .leftJoin('users as u', 'u.id', 'a.user_id')
      .select(['a.id', 'a.at', 'a.user_id', 'u.full_name', 'a.session_id', 'a.device_name', 'a.ip', 'a.action', 'a.target', 'a.details'])
      .where('a.company_id', '=', c.principal.company.id);
    if (c.query.action) q = q.where('a.action', '=', c.query.action);
    if (c.query.after) q = q.where('a.id', '<', Number(c.query.after));
    const rows = await q.orderBy('a.id', 'desc').limit(c.query.limit).execute();
    const items = rows.map((r) => ({
      id: String(r.id), at: kzIso(r.at), userId: r.user_id, userName: r.full_name, sessionId: r.session_id, deviceName: r.device_name, ip: r.ip,
      action: r.action, target: r.target, details: JSON.parse(r.details) as Record<string, unknown>,
    }));
    return pageOf(items, c.query.limit);
  },
  auditExport: async (c) => {
    const rows = await c.s.db
      .selectFrom('audit as a')
      .leftJoin('users as u', 'u.id', 'a.user_id')
      .select(['a.id', 'a.at', 'u.iin', 'u.full_name', 'a.device_name', 'a.ip', 'a.action', 'a.target', 'a.details'])
      .where('a.company_id', '=', c.principal.company.id)
      .orderBy('a.id')
      .execute();
    await auditCall(c, 'audit.export', null, { rows: rows.length });
    const head = 'id,at,iin,user,device,ip,action,target,details';
    return [head, ...rows.map((r) => [r.id, kzIso(r.at), r.iin, r.full_name, r.device_name, r.ip, r.action, r.target, r.details].map(csvCell).join(','))].join('\n') + '\n';
  },
  syncChanges: async (c) => new RawJson(await pullChanges(c.s, c.principal, c.query.cursor, c.query.limit)),
  syncMutations: async (c) => ({ results: await applyMutations(c.s, c.principal, c.body.mutations, c.locale) }),
};
