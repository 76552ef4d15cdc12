// The mutations a client may push (contract MUTATIONS), one handler each; REST actions reuse them.
import type { z } from 'zod';
import { KenseError } from '../../../contract/errors';
import { kzDate } from '../../../contract/kz-calendar';
import type { MUTATIONS, MutationName, MutationOutcome, Role, SyncEntity } from '../../../contract/cloud';
import type { Principal, Services } from '../context';
import type { Trx } from '../feed';
import { signingDecision, type DocKind, type SignerRole } from '../rules/signing';
import { nextActState } from '../rules/act-states';
import { outgoingAllowed } from '../rules/billing';
import { isDeemedAccepted } from '../rules/deadlines';
import type { VerifiedSignature } from '../signatures-api';
import { actFor, actViewFor, publishAct, setActState } from '../domain/acts';
import { storeSignature } from '../domain/signatures';
import { assertNotCompromised, normalizeSerial, recordCertificate } from '../domain/certificates';
import { audit } from '../domain/audit';
import { publishServiceAct, serviceActView } from '../domain/billing';
import { publishReconciliation, reconciliationView } from '../domain/reconciliation';
import { refreshAwaitingDashboard } from '../domain/dashboards';
import { changeRole, getUser, userView } from '../domain/company';
import { notificationFeed, notify, usersWithRoles } from '../domain/notifications';
import { publish } from '../feed';
import { reportCompromise } from '../domain/compromise';
import { reflectToPeer } from '../domain/edo';

type Args<N extends MutationName> = z.infer<(typeof MUTATIONS)[N]>;
export interface Handler<N extends MutationName, P = undefined> {
  roles: readonly Role[];
  prepare?(s: Services, p: Principal, args: Args<N>): Promise<P>;
  apply(trx: Trx, s: Services, p: Principal, args: Args<N>, baseVersion: number | null, prepared: P): Promise<MutationOutcome>;
  /** Side effects after commit (EDO delivery to another tenant), only when applied. */
  after?(s: Services, p: Principal, args: Args<N>): Promise<void>;
}

const ACTS: readonly Role[] = ['first_manager', 'accountant', 'manager'];
const BILLING: readonly Role[] = ['first_manager', 'accountant'];
const ALL: readonly Role[] = ['first_manager', 'accountant', 'manager', 'viewer'];

interface Signed {
  sig: VerifiedSignature;
  role: SignerRole;
  cms: Uint8Array;
}

/** Verifies a CMS over exactly `data` and that this user may sign this document for this company. */
async function verifySigner(s: Services, p: Principal, cmsB64: string, data: Uint8Array, doc: DocKind): Promise<Signed> {
  const cms = new Uint8Array(Buffer.from(cmsB64, 'base64'));
  const sig = await (await s.signatures()).verifyDocument(cms, data);
  await assertNotCompromised(s.db, sig.certificate.serialNumber);
  const d = signingDecision({
    cert: sig.certificate,
    user: { iin: p.user.iin, role: p.viewer.role },
    company: { iinBin: p.company.iin_bin, kind: p.company.kind as 'legal_entity' },
    doc,
  });
  if (!d.ok) throw new KenseError(d.code, { certIin: sig.certificate.iin ?? null, certBin: sig.certificate.bin ?? null, certRoles: sig.certificate.roles });
  return { sig, role: d.role, cms };
}

const signerName = (c: VerifiedSignature['certificate']) => c.commonName ?? [c.surname, c.givenName].filter(Boolean).join(' ') ?? c.subjectDn;
const applied = (entity: SyncEntity, id: string, version: number): MutationOutcome => ({ status: 'applied', entity: { entity, id, version } });

/** The action is not possible in the current state: a conflict when the entity moved since the client saw it. */
function notNow(entity: SyncEntity, id: string, version: number, baseVersion: number | null, current: unknown): MutationOutcome {
  if (baseVersion !== null && baseVersion !== version) return { status: 'conflict', entity: { entity, id, version }, current: current as Record<string, unknown> };
  throw new KenseError('DOCUMENT_STATE', { entity, id, version });
}

async function storeOurSignature(trx: Trx, p: Principal, docType: DocKind, docId: string, signed: Signed, now: Date) {
  const c = signed.sig.certificate;
  await assertNotCompromised(trx, c.serialNumber);
  await recordCertificate(trx, c, p.company.id, p.user.id);
  await storeSignature(trx, {
    companyId: p.company.id, docType, docId, side: 'ours', signerName: signerName(c), signerIin: c.iin ?? null, signerBin: c.bin ?? null,
    role: signed.role, certSerial: normalizeSerial(c.serialNumber), signedAt: now, cms: signed.cms, userId: p.user.id,
  });
}

const auditFor = (trx: Trx, p: Principal, action: string, target: string, now: Date, details: Record<string, unknown> = {}) =>
  audit(trx, { companyId: p.company.id, userId: p.user.id, sessionId: p.sessionId, deviceName: p.deviceName, action, target, details, at: now });

async function subscriptionOf(trx: Trx, companyId: string) {
  const sub = await trx.selectFrom('subscriptions').select(['state', 'blocked_branch_ids']).where('company_id', '=', companyId).executeTakeFirst();
  return { state: (sub?.state ?? 'active') as 'active', blockedBranchIds: JSON.parse(sub?.blocked_branch_ids ?? '[]') as string[] };
}

const signAct: Handler<'signAct', Signed> = {
  roles: ACTS,
  async prepare(s, p, a) {
    const act = await actFor(s.db, p, a.actId);
    return verifySigner(s, p, a.cms, act.canonical, 'act');
  },
  async apply(trx, s, p, a, base, signed) {
    const now = s.clock.now();
    const act = await actFor(trx, p, a.actId);
    const next = nextActState({ direction: act.direction as 'incoming', state: act.state as 'draft' }, 'sign');
    if (!next) return notNow('act', act.id, act.version, base, await actViewFor(trx, act));
    if (act.direction === 'outgoing' && !outgoingAllowed(await subscriptionOf(trx, p.company.id), act.branch_id)) throw new KenseError('TARIFF_BLOCKED');
    await storeOurSignature(trx, p, 'act', act.id, signed, now);
    const updated = await setActState(trx, act, next, now);
    await publishAct(trx, updated);
    await refreshAwaitingDashboard(trx, p.company.id, now);
    await auditFor(trx, p, 'act.sign', `act:${act.id}`, now, { number: act.number, state: next, certSerial: normalizeSerial(signed.sig.certificate.serialNumber) });
    return applied('act', act.id, updated.version);
  },
  after: (s, _p, a) => reflectToPeer(s, a.actId, 'sign'),
};

const refuseAct: Handler<'refuseAct'> = {
  roles: ACTS,
  async apply(trx, s, p, a, base) {
    const now = s.clock.now();
    const act = await actFor(trx, p, a.actId);
    const next = nextActState({ direction: act.direction as 'incoming', state: act.state as 'draft' }, 'refuse');
    if (!next) return notNow('act', act.id, act.version, base, await actViewFor(trx, act));
    const updated = await setActState(trx, act, next, now, { refusal: JSON.stringify({ side: 'ours', reason: a.reason, at: kzIsoNow(now) }) });
    await publishAct(trx, updated);
    await refreshAwaitingDashboard(trx, p.company.id, now);
    await auditFor(trx, p, 'act.refuse', `act:${act.id}`, now, { number: act.number, reason: a.reason });
    return applied('act', act.id, updated.version);
  },
  after: (s, _p, a) => reflectToPeer(s, a.actId, 'refuse'),
};

const withdrawAct: Handler<'withdrawAct'> = {
  roles: ACTS,
  async apply(trx, s, p, a, base) {
    const now = s.clock.now();
    const act = await actFor(trx, p, a.actId);
    const next = nextActState({ direction: act.direction as 'incoming', state: act.state as 'draft' }, 'withdraw');
    if (!next) return notNow('act', act.id, act.version, base, await actViewFor(trx, act));
    const updated = await setActState(trx, act, next, now, { withdrawal: JSON.stringify({ reason: a.reason, at: kzIsoNow(now) }) });
    await publishAct(trx, updated);
    await auditFor(trx, p, 'act.withdraw', `act:${act.id}`, now, { number: act.number, reason: a.reason });
    return applied('act', act.id, updated.version);
  },
  after: (s, _p, a) => reflectToPeer(s, a.actId, 'withdraw'),
};

async function serviceActFor(trx: Trx | Services['db'], p: Principal, id: string) {
  const r = await trx.selectFrom('service_acts').selectAll().where('company_id', '=', p.company.id).where('id', '=', id).executeTakeFirst();
  if (!r) throw new KenseError('NOT_FOUND', { entity: 'service_act', id });
  return r;
}

async function serviceActAnswerable(trx: Trx, s: Services, p: Principal, id: string, base: number | null) {
  const r = await serviceActFor(trx, p, id);
  const today = kzDate(s.clock.now());
  if (isDeemedAccepted(r.state === 'issued', r.deadline, today) || r.state === 'deemed_accepted') throw new KenseError('DEADLINE_PASSED', { deadline: r.deadline });
  if (r.state !== 'issued') return { r, blocked: notNow('service_act', r.id, r.version, base, serviceActView(r, null)) };
  return { r, blocked: null };
}

const signServiceAct: Handler<'signServiceAct', Signed> = {
  roles: BILLING,
  async prepare(s, p, a) {
    const r = await serviceActFor(s.db, p, a.serviceActId);
    return verifySigner(s, p, a.cms, r.canonical, 'service_act');
  },
  async apply(trx, s, p, a, base, signed) {
    const now = s.clock.now();
    const { r, blocked } = await serviceActAnswerable(trx, s, p, a.serviceActId, base);
    if (blocked) return blocked;
    await storeOurSignature(trx, p, 'service_act', r.id, signed, now);
    const u = await trx.updateTable('service_acts').set({ state: 'signed', version: r.version + 1 }).where('id', '=', r.id).returningAll().executeTakeFirstOrThrow();
    await publishServiceAct(trx, u);
    await refreshAwaitingDashboard(trx, p.company.id, now);
    await auditFor(trx, p, 'service_act.sign', `service_act:${r.id}`, now, { month: r.month });
    return applied('service_act', r.id, u.version);
  },
};

const refuseServiceAct: Handler<'refuseServiceAct'> = {
  roles: BILLING,
  async apply(trx, s, p, a, base) {
    const now = s.clock.now();
    const { r, blocked } = await serviceActAnswerable(trx, s, p, a.serviceActId, base);
    if (blocked) return blocked;
    const refusal = JSON.stringify({ reason: a.reason, at: kzIsoNow(now), byUserId: p.user.id });
    const u = await trx.updateTable('service_acts').set({ state: 'refused', refusal, version: r.version + 1 }).where('id', '=', r.id).returningAll().executeTakeFirstOrThrow();
    await publishServiceAct(trx, u);
    await refreshAwaitingDashboard(trx, p.company.id, now);
    await auditFor(trx, p, 'service_act.refuse', `service_act:${r.id}`, now, { month: r.month, reason: a.reason });
    return applied('service_act', r.id, u.version);
  },
};

async function reconciliationFor(trx: Trx | Services['db'], p: Principal, id: string) {
  const r = await trx.selectFrom('reconciliations').selectAll().where('company_id', '=', p.company.id).where('id', '=', id).executeTakeFirst();
  if (!r) throw new KenseError('NOT_FOUND', { entity: 'reconciliation', id });
  return r;
}

async function reconciliationAnswerable(trx: Trx, s: Services, p: Principal, id: string, base: number | null) {
  const r = await reconciliationFor(trx, p, id);
  const awaiting = r.state === 'sent' || r.state === 'signed_by_them';
  if (isDeemedAccepted(awaiting, r.deadline, kzDate(s.clock.now())) || r.state === 'deemed_accepted') throw new KenseError('DEADLINE_PASSED', { deadline: r.deadline });
  if (!awaiting) return { r, blocked: notNow('reconciliation', r.id, r.version, base, reconciliationView(r, [])) };
  return { r, blocked: null };
}

const signReconciliation: Handler<'signReconciliation', Signed> = {
  roles: BILLING,
  async prepare(s, p, a) {
    const r = await reconciliationFor(s.db, p, a.reconciliationId);
    return verifySigner(s, p, a.cms, r.canonical, 'reconciliation');
  },
  async apply(trx, s, p, a, base, signed) {
    const now = s.clock.now();
    const { r, blocked } = await reconciliationAnswerable(trx, s, p, a.reconciliationId, base);
    if (blocked) return blocked;
    await storeOurSignature(trx, p, 'reconciliation', r.id, signed, now);
    const state = r.state === 'signed_by_them' ? 'signed_by_both' : 'signed_by_us';
    const u = await trx.updateTable('reconciliations').set({ state, version: r.version + 1 }).where('id', '=', r.id).returningAll().executeTakeFirstOrThrow();
    await publishReconciliation(trx, u);
    await refreshAwaitingDashboard(trx, p.company.id, now);
    await auditFor(trx, p, 'reconciliation.sign', `reconciliation:${r.id}`, now);
    return applied('reconciliation', r.id, u.version);
  },
};

const refuseReconciliation: Handler<'refuseReconciliation'> = {
  roles: BILLING,
  async apply(trx, s, p, a, base) {
    const now = s.clock.now();
    const { r, blocked } = await reconciliationAnswerable(trx, s, p, a.reconciliationId, base);
    if (blocked) return blocked;
    const refusal = JSON.stringify({ side: 'ours', reason: a.reason, at: kzIsoNow(now) });
    const u = await trx.updateTable('reconciliations').set({ state: 'refused', refusal, version: r.version + 1 }).where('id', '=', r.id).returningAll().executeTakeFirstOrThrow();
    await publishReconciliation(trx, u);
    await refreshAwaitingDashboard(trx, p.company.id, now);
    await auditFor(trx, p, 'reconciliation.refuse', `reconciliation:${r.id}`, now, { reason: a.reason });
    return applied('reconciliation', r.id, u.version);
  },
};

const markNotificationRead: Handler<'markNotificationRead'> = {
  roles: ALL,
  async apply(trx, s, p, a) {
    const n = await trx.selectFrom('notifications').selectAll().where('id', '=', a.notificationId).where('user_id', '=', p.user.id).executeTakeFirst();
    if (!n) throw new KenseError('NOT_FOUND', { entity: 'notification', id: a.notificationId });
    if (n.read_at) return applied('notification', n.id, n.version);
    const u = await trx.updateTable('notifications').set({ read_at: s.clock.now(), version: n.version + 1 }).where('id', '=', n.id).returningAll().executeTakeFirstOrThrow();
    await publish(trx, p.company.id, [notificationFeed(u)]);
    return applied('notification', n.id, u.version);
  },
};

const changeRoleHandler: Handler<'changeRole'> = {
  roles: ['first_manager'],
  async apply(trx, s, p, a, base) {
    const now = s.clock.now();
    const u = await getUser(trx, p.company.id, a.userId);
    if (base !== null && base !== u.version) return { status: 'conflict', entity: { entity: 'user', id: u.id, version: u.version }, current: userView(u, now) };
    const updated = await changeRole(trx, p.company.id, a.userId, a.role, a.branchId, now);
    await notify(trx, p.company.id, [u.id], { kind: 'role_changed', title: 'Роль изменена', body: `Ваша роль: ${a.role}` }, now);
    await auditFor(trx, p, 'user.role_change', `user:${u.id}`, now, { from: u.role, to: a.role, branchId: a.branchId });
    return applied('user', u.id, updated.version);
  },
};

const reportKeyCompromise: Handler<'reportKeyCompromise'> = {
  roles: ALL,
  async apply(trx, s, p, a) {
    await reportCompromise(trx, s, p, a.serial, a.reason ?? null);
    return { status: 'applied', entity: null };
  },
};

function kzIsoNow(now: Date): string {
  return `${new Date(now.getTime() + 5 * 3600_000).toISOString().slice(0, 23)}+05:00`;
}

export const HANDLERS: { [N in MutationName]: Handler<N, never> } = {
  signAct, refuseAct, withdrawAct, signServiceAct, refuseServiceAct, signReconciliation, refuseReconciliation, markNotificationRead,
  changeRole: changeRoleHandler, reportKeyCompromise,
} as unknown as { [N in MutationName]: Handler<N, never> };

export { usersWithRoles };
