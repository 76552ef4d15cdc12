// Routes: the company, branches, users and roles, counterparties.
import { KenseError } from '../../../../contract/errors';
import { NCA_TEST_IDENTIFIERS } from '../../../../contract/kz-identifiers';
import { hashPassword, passwordProblems } from '../../auth/passwords';
import { branchFeed, branchView, changeRole, companyView, counterpartyFeed, counterpartyView, createCounterparty, getUser, userFeed, userView } from '../../domain/company';
import { notify } from '../../domain/notifications';
import { companyTx, publish } from '../../feed';
import type { Call } from '../../context';
import { pageOf, type Handlers } from './types';
import { auditCall as act, createRoute } from './shared';
import type { Trx } from '../../feed';

async function blockedBranches(c: Call): Promise<Set<string>> {
  const sub = await c.s.db.selectFrom('subscriptions').select('blocked_branch_ids').where('company_id', '=', c.principal.company.id).executeTakeFirst();
  return new Set(JSON.parse(sub?.blocked_branch_ids ?? '[]') as string[]);
}

export const companyRoutes: Handlers<
  'company' | 'branchesList' | 'branchCreate' | 'usersList' | 'userCreate' | 'userChangeRole' | 'userUnlock' | 'userTerminate' |
  'counterpartiesList' | 'counterpartyGet' | 'counterpartyCreate' | 'counterpartyDelete'
> = {
  company: async (c) => companyView(c.principal.company),
  branchesList: async (c) => {
    const blocked = await blockedBranches(c);
    const rows = await c.s.db.selectFrom('branches').selectAll().where('company_id', '=', c.principal.company.id).orderBy('name').execute();
    return { items: rows.map((b) => branchView(b, blocked.has(b.id))) };
  },
  branchCreate: async (c) =>
    createRoute(c, 'branchCreate', {
      exists: async (trx, id) => !!(await trx.selectFrom('branches').select('id').where('id', '=', id).executeTakeFirst()),
      create: async (trx, id) => {
        const b = await trx.insertInto('branches').values({ id, company_id: c.principal.company.id, name: c.body.name, bin: c.body.bin, address: c.body.address }).returningAll().executeTakeFirstOrThrow();
        await publish(trx, c.principal.company.id, [branchFeed(b, false)]);
        return branchView(b, false);
      },
      audit: (b) => act(c, 'branch.create', `branch:${b.id}`),
    }),
  usersList: async (c) => {
    const rows = await c.s.db.selectFrom('users').selectAll().where('company_id', '=', c.principal.company.id).orderBy('full_name').execute();
    return { items: rows.map((u) => userView(u, c.s.clock.now())) };
  },
  userCreate: async (c) => {
    const now = c.s.clock.now();
    let hash = '';
    const takenIin = (db: Pick<Trx, 'selectFrom'>) => db.selectFrom('users').select('id').where('company_id', '=', c.principal.company.id).where('iin', '=', c.body.iin).executeTakeFirst();
    const iinTaken = () => new KenseError('INVALID_INPUT', { fields: [{ path: 'body.iin', message: 'a user with this ИИН already exists' }] });
    return createRoute(c, 'userCreate', {
      before: async () => {
        const problems = passwordProblems(c.body.initialPassword);
        if (problems.length) throw new KenseError('PASSWORD_POLICY', { problems });
        if (await takenIin(c.s.db)) throw iinTaken();
        hash = await hashPassword(c.body.initialPassword);
      },
      exists: async (trx, id) => !!(await trx.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()),
      create: async (trx, id) => {
        if (c.body.branchId) {
          const b = await trx.selectFrom('branches').select('id').where('id', '=', c.body.branchId).where('company_id', '=', c.principal.company.id).executeTakeFirst();
          if (!b) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'body.branchId', message: 'no such branch' }] });
        }
        // Checked again under the lock: two creates of one ИИН at once make one user.
        if (await takenIin(trx)) throw iinTaken();
        const row = await trx
          .insertInto('users')
          .values({ id, company_id: c.principal.company.id, iin: c.body.iin, full_name: c.body.fullName, role: c.body.role, branch_id: c.body.branchId, password_hash: hash, password_changed_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        await publish(trx, c.principal.company.id, [userFeed(row, now)]);
        return userView(row, now);
      },
      audit: (u) => act(c, 'user.create', `user:${u.id}`, { role: u.role }),
    });
  },
  userChangeRole: async (c) => {
    const now = c.s.clock.now();
    const u = await companyTx(c.s, c.principal.company.id, async (trx) => {
      const before = await getUser(trx, c.principal.company.id, c.params.id);
      if (c.body.baseVersion !== undefined && c.body.baseVersion !== before.version) throw new KenseError('CONFLICT', { entity: 'user', version: before.version });
      const after = await changeRole(trx, c.principal.company.id, c.params.id, c.body.role, c.body.branchId, now);
      await notify(trx, c.principal.company.id, [after.id], { kind: 'role_changed', title: 'Роль изменена', body: `Ваша роль: ${after.role}` }, now);
      return after;
    });
    await act(c, 'user.role_change', `user:${u.id}`, { role: u.role, branchId: u.branch_id });
    return userView(u, now);
  },
  userUnlock: async (c) => {
    const u = await getUser(c.s.db, c.principal.company.id, c.params.id);
    if (u.terminated_at) throw new KenseError('USER_TERMINATED', { userId: u.id });
    const now = c.s.clock.now();
    const row = await companyTx(c.s, c.principal.company.id, async (trx) => {
      const r = await trx.updateTable('users').set({ failed_logins: 0, locked_until: null, version: u.version + 1 }).where('id', '=', u.id).returningAll().executeTakeFirstOrThrow();
      await publish(trx, c.principal.company.id, [userFeed(r, now)]);
      return r;
    });
    await act(c, 'user.unlock', `user:${u.id}`);
    return userView(row, now);
  },
  userTerminate: async (c) => {
    const u = await getUser(c.s.db, c.principal.company.id, c.params.id);
    if (u.id === c.principal.user.id || u.role === 'first_manager') throw new KenseError('FORBIDDEN', { reason: 'the first manager cannot be terminated here' });
    const now = c.s.clock.now();
    const row = await companyTx(c.s, c.principal.company.id, async (trx) => {
      const r = await trx.updateTable('users').set({ terminated_at: now, version: u.version + 1 }).where('id', '=', u.id).returningAll().executeTakeFirstOrThrow();
      // Sessions and tokens stay: every call with them answers ACCOUNT_TERMINATED, so the device wipes its data.
      await trx.updateTable('certificates').set({ status: 'compromised', compromised_at: now, compromised_by: c.principal.user.id }).where('user_id', '=', u.id).where('status', '=', 'active').execute();
      await publish(trx, c.principal.company.id, [userFeed(r, now)]);
      return r;
    });
    await act(c, 'user.terminate', `user:${u.id}`);
    return userView(row, now);
  },
  counterpartiesList: async (c) => {
    let q = c.s.db.selectFrom('counterparties').selectAll().where('company_id', '=', c.principal.company.id).where('deleted_at', 'is', null);
    if (c.principal.viewer.role === 'manager') q = c.principal.viewer.branchId ? q.where('branch_id', '=', c.principal.viewer.branchId) : q.where('branch_id', 'is', null);
    if (c.query.iinBin) q = q.where('iin_bin', '=', c.query.iinBin);
    if (c.query.after) q = q.where('id', '>', c.query.after);
    const rows = await q.orderBy('id').limit(c.query.limit).execute();
    return pageOf(rows.map(counterpartyView), c.query.limit);
  },
  counterpartyGet: async (c) => {
    const r = await c.s.db.selectFrom('counterparties').selectAll().where('company_id', '=', c.principal.company.id).where('id', '=', c.params.id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!r || (c.principal.viewer.role === 'manager' && r.branch_id !== c.principal.viewer.branchId)) throw new KenseError('NOT_FOUND', { entity: 'counterparty', id: c.params.id });
    return counterpartyView(r);
  },
  counterpartyCreate: async (c) => {
    const body = { ...c.body };
    if (c.principal.viewer.role === 'manager') body.branchId = c.principal.viewer.branchId;
    return createRoute(c, 'counterpartyCreate', {
      before: async () => {
        if (body.iinBin === c.principal.company.iin_bin || NCA_TEST_IDENTIFIERS.includes(body.iinBin)) {
          throw new KenseError('INVALID_INPUT', { fields: [{ path: 'body.iinBin', message: 'a company cannot be its own counterparty' }] });
        }
      },
      exists: async (trx, id) => !!(await trx.selectFrom('counterparties').select('id').where('id', '=', id).executeTakeFirst()),
      create: async (trx, id) => counterpartyView(await createCounterparty(trx, c.principal.company.id, body, id)),
      audit: (row) => act(c, 'counterparty.create', `counterparty:${row.id}`, { iinBin: row.iinBin }),
    });
  },
  counterpartyDelete: async (c) => {
    const now = c.s.clock.now();
    await companyTx(c.s, c.principal.company.id, async (trx) => {
      const r = await trx.selectFrom('counterparties').selectAll().where('company_id', '=', c.principal.company.id).where('id', '=', c.params.id).where('deleted_at', 'is', null).executeTakeFirst();
      if (!r || (c.principal.viewer.role === 'manager' && r.branch_id !== c.principal.viewer.branchId)) throw new KenseError('NOT_FOUND', { entity: 'counterparty', id: c.params.id });
      const d = await trx.updateTable('counterparties').set({ deleted_at: now, version: r.version + 1 }).where('id', '=', r.id).returningAll().executeTakeFirstOrThrow();
      await publish(trx, c.principal.company.id, [counterpartyFeed(d)]);
    });
    await act(c, 'counterparty.delete', `counterparty:${c.params.id}`);
    return { ok: true };
  },
};
