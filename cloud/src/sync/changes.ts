// GET /v1/sync/changes: keyset pages over (company_id, seq), filtered by the caller's scope in SQL, written
// as JSON text without parsing the stored rows (the feed stores the serialized client view).
import { KenseError } from '../../../contract/errors';
import type { Principal, Services } from '../context';
import { scopeKey, viewerFromScopeKey } from '../rules/access';
import { refreshTimedState } from '../domain/billing';
import { decodeCursor, encodeCursor, type Cursor } from './cursor';
import { visibleTo } from './visibility';

interface Row {
  seq: number;
  entity: string;
  entity_id: string;
  version: number;
  op: string;
  data: string | null;
}

const line = (r: Row, op: string, data: string | null) =>
  `{"seq":${r.seq},"entity":"${r.entity}","id":"${r.entity_id}","version":${r.version},"op":"${op}","data":${data ?? 'null'}}`;

export async function pullChanges(s: Services, p: Principal, rawCursor: string | undefined, limit: number): Promise<string> {
  const companyId = p.company.id;
  await refreshTimedState(s, companyId);
  const { last_seq: lastSeq } = await s.db.selectFrom('companies').select('last_seq').where('id', '=', companyId).executeTakeFirstOrThrow();
  const current = scopeKey(p.viewer);
  const cur: Cursor = rawCursor ? decodeCursor(rawCursor) : { c: companyId, e: s.epoch, s: 0, k: current };
  if (cur.c !== companyId) throw new KenseError('CURSOR_INVALID', { reason: 'another company' });
  // A cursor from another database or from the future (the server was restored from a backup): start over.
  if (cur.e !== s.epoch || cur.s > lastSeq) throw new KenseError('CURSOR_RESET', { serverSeq: lastSeq });

  if (cur.s > 0 && (cur.k !== current || cur.t)) {
    if (cur.t && cur.t.k !== current) throw new KenseError('CURSOR_RESET', { reason: 'scope changed during re-scoping' });
    return rescopePage(s, p, cur, current, limit);
  }

  const rows = (await s.db
    .selectFrom('feed')
    .select(['seq', 'entity', 'entity_id', 'version', 'op', 'data'])
    .where('company_id', '=', companyId)
    .where('seq', '>', cur.s)
    .where('seq', '<=', lastSeq)
    .where((eb) => visibleTo(eb, p.viewer))
    .orderBy('seq')
    .limit(limit)
    .execute()) as Row[];
  const full = rows.length === limit;
  const next = full ? rows[rows.length - 1].seq : lastSeq;
  const parts = rows.map((r) => line(r, r.op, r.data));
  return `{"changes":[${parts.join(',')}],"cursor":"${encodeCursor({ c: companyId, e: s.epoch, s: next, k: current })}","hasMore":${full}}`;
}

/**
 * The caller's role or branch changed since the cursor was issued. Rows up to the cursor's position whose
 * visibility differs are sent again: a tombstone for what is no longer visible, the data for what now is.
 */
async function rescopePage(s: Services, p: Principal, cur: Cursor, current: string, limit: number): Promise<string> {
  const before = viewerFromScopeKey(p.user.id, cur.k);
  if (!before) throw new KenseError('CURSOR_INVALID');
  const after = p.viewer;
  const from = cur.t?.p ?? 0;
  const rows = (await s.db
    .selectFrom('feed')
    .select((eb) => ['seq', 'entity', 'entity_id', 'version', 'op', 'data', visibleTo(eb, after).as('now_visible')])
    .where('company_id', '=', p.company.id)
    .where('seq', '>', from)
    .where('seq', '<=', cur.s)
    .where((eb) => eb.or([eb.and([visibleTo(eb, before), eb.not(visibleTo(eb, after))]), eb.and([visibleTo(eb, after), eb.not(visibleTo(eb, before))])]))
    .orderBy('seq')
    .limit(limit)
    .execute()) as (Row & { now_visible: boolean })[];
  const parts = rows.map((r) => (r.now_visible ? line(r, r.op, r.data) : line(r, 'delete', null)));
  const done = rows.length < limit;
  const next: Cursor = done ? { c: cur.c, e: cur.e, s: cur.s, k: current } : { c: cur.c, e: cur.e, s: cur.s, k: cur.k, t: { k: current, p: rows[rows.length - 1].seq } };
  return `{"changes":[${parts.join(',')}],"cursor":"${encodeCursor(next)}","hasMore":true}`;
}
