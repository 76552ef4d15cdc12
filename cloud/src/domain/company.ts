// Companies, branches, users and roles, counterparties: client views, feed publication and changes.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import { KenseError } from '../../../contract/errors';
import type { zBranch, zCompany, zCounterparty, zCreateCounterpartyRequest, zUser, Role } from '../../../contract/cloud';
import type { BranchesTable, CompanyRow, CounterpartiesTable, Database, UserRow } from '../db/schema';
import { publish, type FeedItem } from '../feed';

export function companyView(c: CompanyRow): z.infer<typeof zCompany> {
  return { id: c.id, version: c.version, name: c.name, iinBin: c.iin_bin, kind: c.kind as 'legal_entity', address: c.address, terminated: c.terminated_at !== null };
}
export const companyFeed = (c: CompanyRow): FeedItem => ({ entity: 'company', id: c.id, version: c.version, op: 'upsert', scope: 'company', branchId: null, userId: null, data: companyView(c) });

export function branchView(b: Selectable<BranchesTable>, blocked: boolean): z.infer<typeof zBranch> {
  return { id: b.id, version: b.version, name: b.name, bin: b.bin, address: b.address, blocked };
}
export const branchFeed = (b: Selectable<BranchesTable>, blocked: boolean): FeedItem => ({
  entity: 'branch', id: b.id, version: b.version, op: 'upsert', scope: 'company', branchId: null, userId: null, data: branchView(b, blocked),
});

export function userView(u: UserRow, now: Date): z.infer<typeof zUser> {
  return {
    id: u.id, version: u.version, iin: u.iin, fullName: u.full_name, role: u.role as Role, branchId: u.branch_id,
    locked: u.locked_until !== null && u.locked_until.getTime() > now.getTime(), totpEnabled: u.totp_enabled, terminated: u.terminated_at !== null,
  };
}
export const userFeed = (u: UserRow, now: Date): FeedItem => ({ entity: 'user', id: u.id, version: u.version, op: 'upsert', scope: 'users', branchId: null, userId: null, data: userView(u, now) });

export function counterpartyView(c: Selectable<CounterpartiesTable>): z.infer<typeof zCounterparty> {
  return {
    id: c.id, version: c.version, branchId: c.branch_id, iinBin: c.iin_bin, name: c.name, address: c.address, kbe: c.kbe,
    account: c.iik && c.bik ? { iik: c.iik, bik: c.bik, bank: c.bank ?? '' } : null, email: c.email,
  };
}
export const counterpartyFeed = (c: Selectable<CounterpartiesTable>): FeedItem => ({
  entity: 'counterparty', id: c.id, version: c.version, op: c.deleted_at ? 'delete' : 'upsert', scope: 'counterparties', branchId: c.branch_id, userId: null,
  data: c.deleted_at ? null : counterpartyView(c),
});

export async function getUser(db: Kysely<Database>, companyId: string, id: string): Promise<UserRow> {
  const u = await db.selectFrom('users').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
  if (!u) throw new KenseError('NOT_FOUND', { entity: 'user', id });
  return u;
}

export async function assertBranch(db: Kysely<Database>, companyId: string, branchId: string | null): Promise<void> {
  if (branchId === null) return;
  const b = await db.selectFrom('branches').select('id').where('company_id', '=', companyId).where('id', '=', branchId).executeTakeFirst();
  if (!b) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'branchId', message: 'no such branch in this company' }] });
}

export async function createCounterparty(db: Kysely<Database>, companyId: string, req: z.infer<typeof zCreateCounterpartyRequest>, id: string = randomUUID()): Promise<Selectable<CounterpartiesTable>> {
  await assertBranch(db, companyId, req.branchId);
  const row = await db
    .insertInto('counterparties')
    .values({
      id, company_id: companyId, branch_id: req.branchId, iin_bin: req.iinBin, name: req.name, address: req.address, kbe: req.kbe,
      iik: req.account?.iik ?? null, bik: req.account?.bik ?? null, bank: req.account?.bank ?? null, email: req.email,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await publish(db, companyId, [counterpartyFeed(row)]);
  return row;
}

/** Changes a user's role/branch. The feed needs nothing else: the user's next pull sees a new scope and re-scopes. */
export async function changeRole(db: Kysely<Database>, companyId: string, userId: string, role: Role, branchId: string | null, now: Date): Promise<UserRow> {
  const u = await getUser(db, companyId, userId);
  if (u.role === 'first_manager') throw new KenseError('FORBIDDEN', { reason: 'the first manager’s role is fixed' });
  // A departed user keeps the role they left with (their access is ended; they are added again if they return).
  if (u.terminated_at) throw new KenseError('USER_TERMINATED', { userId: u.id });
  await assertBranch(db, companyId, branchId);
  const updated = await db
    .updateTable('users')
    .set({ role, branch_id: branchId, version: u.version + 1 })
    .where('id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await publish(db, companyId, [userFeed(updated, now)]);
  return updated;
}

export function newBranchId(): string {
  return randomUUID();
}
