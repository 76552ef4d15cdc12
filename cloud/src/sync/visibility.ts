// SQL translation of rules/access.ts canSee(): the feed is filtered at query time, never after.
import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import { ROLE_SCOPES, type Viewer } from '../rules/access';

type Eb = ExpressionBuilder<Database, 'feed'>;

export function visibleTo(eb: Eb, v: Viewer): ExpressionWrapper<Database, 'feed', SqlBool> {
  const s = ROLE_SCOPES[v.role];
  const scopeOk = [eb('scope', 'in', s.free)];
  if (s.branchBound.length > 0) {
    scopeOk.push(eb.and([eb('scope', 'in', s.branchBound), v.branchId === null ? eb('branch_id', 'is', null) : eb('branch_id', '=', v.branchId)]));
  }
  const mine = [eb('user_id', 'is', null), eb('user_id', '=', v.userId)];
  if (v.role === 'first_manager') mine.push(eb('scope', '=', 'support'));
  return eb.and([eb.or(scopeOk), eb.or(mine)]);
}
