// The SQL filter of the feed must agree with the pure rule canSee() on every combination.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../db/connect';
import { ROLE_SCOPES, canSee, type Scope, type Viewer } from '../rules/access';
import { visibleTo } from './visibility';

let o: OpenedDatabase;
const company = randomUUID();
const branches = [randomUUID(), randomUUID()];
const users = [randomUUID(), randomUUID()];
const scopes = [...new Set(Object.values(ROLE_SCOPES).flatMap((s) => [...s.free, ...s.branchBound]))] as Scope[];
const rows: { seq: number; scope: Scope; branchId: string | null; userId: string | null }[] = [];

beforeAll(async () => {
  o = await openDatabase({});
  await o.db.insertInto('companies').values({ id: company, name: 'x', iin_bin: '240140000011', kind: 'legal_entity', address: '' }).execute();
  let seq = 0;
  for (const scope of scopes) for (const branchId of [null, ...branches]) for (const userId of [null, ...users]) rows.push({ seq: ++seq, scope, branchId, userId });
  await o.db
    .insertInto('feed')
    .values(rows.map((r) => ({ company_id: company, seq: r.seq, entity: 'act', entity_id: String(r.seq), version: 1, op: 'upsert', scope: r.scope, branch_id: r.branchId, user_id: r.userId, data: '{}' })))
    .execute();
});
afterAll(async () => o?.close());

it('SQL visibility equals canSee() for every role, branch and user', async () => {
  const viewers: Viewer[] = [];
  for (const role of Object.keys(ROLE_SCOPES) as Viewer['role'][]) for (const branchId of [null, ...branches]) viewers.push({ role, branchId, userId: users[0] });
  for (const v of viewers) {
    const got = (await o.db.selectFrom('feed').select('seq').where('company_id', '=', company).where((eb) => visibleTo(eb, v)).orderBy('seq').execute()).map((r) => r.seq);
    const want = rows.filter((r) => canSee(v, r)).map((r) => r.seq);
    expect(got, `${v.role}/${v.branchId}`).toEqual(want);
  }
});
