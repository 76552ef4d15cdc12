// Who sees what: role permissions and the visibility of feed rows. Enforced on every endpoint and on the feed.
import type { Role } from '../cloud';

/** Visibility class of a feed row; each entity is published under one. */
export type Scope =
  | 'company' | 'users' | 'counterparties' | 'catalog' | 'billing_status' | 'billing' | 'acts' | 'reconciliation' | 'dashboards' | 'personal'
  /** Support requests: their author's (userId), and the first manager sees every one of the company. */
  | 'support';

export interface Viewer {
  userId: string;
  role: Role;
  branchId: string | null;
}

/** Scopes a role sees everywhere, and scopes it sees only for its own branch. */
export const ROLE_SCOPES: Record<Role, { free: Scope[]; branchBound: Scope[] }> = {
  first_manager: { free: ['company', 'users', 'counterparties', 'catalog', 'billing_status', 'billing', 'acts', 'reconciliation', 'dashboards', 'personal', 'support'], branchBound: [] },
  accountant: { free: ['company', 'counterparties', 'catalog', 'billing_status', 'billing', 'acts', 'reconciliation', 'dashboards', 'personal', 'support'], branchBound: [] },
  manager: { free: ['company', 'catalog', 'billing_status', 'personal', 'support'], branchBound: ['acts', 'counterparties'] },
  viewer: { free: ['company', 'catalog', 'billing_status', 'dashboards', 'personal', 'support'], branchBound: [] },
};

export interface Visible {
  scope: Scope;
  branchId: string | null;
  userId: string | null;
}

/** The one visibility rule; the feed query is its SQL translation (sync/visibility.ts) and tests compare both. */
export function canSee(v: Viewer, row: Visible): boolean {
  // A row of one user is theirs alone; the first manager also sees every support request of the company.
  if (row.userId !== null && row.userId !== v.userId && !(row.scope === 'support' && v.role === 'first_manager')) return false;
  const s = ROLE_SCOPES[v.role];
  if (s.free.includes(row.scope)) return true;
  return s.branchBound.includes(row.scope) && row.branchId === v.branchId;
}

/** The scope key a cursor remembers: when it changes, the next pull re-scopes (tombstones and new rows). */
export function scopeKey(v: Viewer): string {
  return `${v.role}|${v.branchId ?? ''}`;
}
export function viewerFromScopeKey(userId: string, key: string): Viewer | null {
  const [role, branch] = key.split('|');
  if (!role || !(role in ROLE_SCOPES) || branch === undefined) return null;
  return { userId, role: role as Role, branchId: branch === '' ? null : branch };
}

export const PERMISSIONS: Record<Role, string[]> = {
  first_manager: ['company.manage', 'users.manage', 'billing.read', 'billing.pay', 'tariff.change', 'acts.read', 'acts.sign', 'acts.create', 'reconciliation', 'dashboards.read', 'audit.read', 'counterparties.manage', 'certificates.restore'],
  accountant: ['billing.read', 'billing.pay', 'acts.read', 'acts.sign', 'acts.create', 'reconciliation', 'dashboards.read', 'counterparties.manage'],
  manager: ['acts.read', 'acts.sign', 'acts.create', 'counterparties.manage'],
  viewer: ['dashboards.read'],
};
