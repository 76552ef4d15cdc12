// The mutations a client may push (contract MUTATIONS), one handler each; REST actions reuse them.
import type { z } from 'zod';
import type { Kysely, Selectable } from 'kysely';
import { KenseError } from '../../../contract/errors';
import { kzDate } from '../../../contract/kz-calendar';
import type { MUTATIONS, MutationName, MutationOutcome, Role, SyncEntity } from '../../../contract/cloud';
import type { Principal, Services } from '../context';
import type { Database, ReconciliationsTable, ServiceActsTable } from '../db/schema';
import { kzIso } from '../clock';
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

/**
 * Our signature, stored in the transaction that changes the document. A CMS with a valid timestamp of its own is
 * kept as it came; one without (signed offline: only the device's claimed time) is kept `pending` when a TSA is
 * configured, and stamped after commit (`stampAfter`) or by the retry loop — never lost meanwhile.
 */
async function storeOurSignature(trx: Trx, s: Services, p: Principal, docType: DocKind, docId: string, signed: Signed, now: Date) {
  const c = signed.sig.certificate;
  await assertNotCompromised(trx, c.serialNumber);
  await recordCertificate(trx, c, p.company.id, p.user.id);
  const own = signed.sig.timestamp;
  await storeSignature(trx, {
    companyId: p.company.id, docType, docId, side: 'ours', signerName: signerName(c), signerIin: c.iin ?? null, signerBin: c.bin ?? null,
    role: signed.role, certSerial: normalizeSerial(c.serialNumber), signedAt: now, cms: signed.cms, userId: p.user.id,
    claimedAt: signed.sig.signingTime,
    timestamp: own?.status === 'valid' && own.time ? { status: 'stamped', at: own.time, tsa: own.tsa ?? null, source: 'signer' } : s.timestamps.enabled ? { status: 'pending' } : null,
  });
}

/** After a signature committed: the server's TSA stamps it now (a failure leaves it pending for the retry loop). */
const stampAfter = async (s: Services, p: Principal): Promise<void> => {
  await s.timestamps.stampPending({ companyId: p.company.id });
};

const auditFor = (trx: Trx, p: Principal, action: string, target: string, now: Date, details: Record<string, unknown> = {}) =>
  audit(trx, { companyId: p.company.id, userId: p.user.id, sessionId: p.sessionId, deviceName: p.deviceName, ip: p.ip, action, target, details, at: now });

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
    await storeOurSignature(trx, s, p, 'act', act.id, signed, now);
    const updated = await setActState(trx, act, next, now);
    await publishAct(trx, updated);
    await refreshAwaitingDashboard(trx, p.company.id, now);
    await auditFor(trx, p, 'act.sign', `act:${act.id}`, now, { number: act.number, state: next, certSerial: normalizeSerial(signed.sig.certificate.serialNumber) });
    return applied('act', act.id, updated.version);
  },
  // Stamped first, so that the peer's copy is the CAdES-T too.
  after: async (s, p, a) => {
    await stampAfter(s, p);
    await reflectToPeer(s, a.actId, 'sign');
  },
};

/** Refusal (incoming) and withdrawal (outgoing) of an act: a state change with a reason, reflected to the peer tenant. */
function actAnswer<N extends 'refuseAct' | 'withdrawAct'>(_name: N, action: 'refuse' | 'withdraw'): Handler<N> {
  return {
    roles: ACTS,
    async apply(trx, s, p, a, base) {
      const now = s.clock.now();
      const act = await actFor(trx, p, a.actId);
      const next = nextActState({ direction: act.direction as 'incoming', state: act.state as 'draft' }, action);
      if (!next) return notNow('act', act.id, act.version, base, await actViewFor(trx, act));
      const extra = action === 'refuse'
        ? { refusal: JSON.stringify({ side: 'ours', reason: a.reason, at: kzIso(now) }) }
        : { withdrawal: JSON.stringify({ reason: a.reason, at: kzIso(now) }) };
      const updated = await setActState(trx, act, next, now, extra);
      await publishAct(trx, updated);
      // A refused incoming act no longer awaits our signature; a withdrawn outgoing one never did.
      if (action === 'refuse') await refreshAwaitingDashboard(trx, p.company.id, now);
      await auditFor(trx, p, `act.${action}`, `act:${act.id}`, now, { number: act.number, reason: a.reason });
      return applied('act', act.id, updated.version);
    },
    after: (s, _p, a) => reflectToPeer(s, a.actId, action),
  };
}
const refuseAct = actAnswer('refuseAct', 'refuse');
const withdrawAct = actAnswer('withdrawAct', 'withdraw');

type DocRow = { id: string; version: number; state: string; deadline: string; canonical: Uint8Array };

/** A document sent to us (kense's service act, a counterparty's reconciliation act): sign or refuse before the deadline, silence = accepted. */
interface Answerable<R extends DocRow> {
  kind: 'service_act' | 'reconciliation';
  load(db: Kysely<Database>, companyId: string, id: string): Promise<R | undefined>;
  awaiting(r: R): boolean;
  view(r: R): unknown;
  signedState(r: R): string;
  refusal(p: Principal, reason: string, now: Date): string;
  /** Stores the new state (version + 1) and publishes the document. */
  save(trx: Trx, r: R, set: { state: string; refusal?: string }): Promise<R>;
  details(r: R): Record<string, unknown>;
}

const SERVICE_ACT: Answerable<Selectable<ServiceActsTable>> = {
  kind: 'service_act',
  load: (db, companyId, id) => db.selectFrom('service_acts').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst(),
  awaiting: (r) => r.state === 'issued',
  view: (r) => serviceActView(r, null),
  signedState: () => 'signed',
  refusal: (p, reason, now) => JSON.stringify({ reason, at: kzIso(now), byUserId: p.user.id }),
  async save(trx, r, set) {
    const u = await trx.updateTable('service_acts').set({ ...set, version: r.version + 1 }).where('id', '=', r.id).returningAll().executeTakeFirstOrThrow();
    await publishServiceAct(trx, u);
    return u;
  },
  details: (r) => ({ month: r.month }),
};

const RECONCILIATION: Answerable<Selectable<ReconciliationsTable>> = {
  kind: 'reconciliation',
  load: (db, companyId, id) => db.selectFrom('reconciliations').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst(),
  awaiting: (r) => r.state === 'sent' || r.state === 'signed_by_them',
  view: (r) => reconciliationView(r, []),
  signedState: (r) => (r.state === 'signed_by_them' ? 'signed_by_both' : 'signed_by_us'),
  refusal: (_p, reason, now) => JSON.stringify({ side: 'ours', reason, at: kzIso(now) }),
  async save(trx, r, set) {
    const u = await trx.updateTable('reconciliations').set({ ...set, version: r.version + 1 }).where('id', '=', r.id).returningAll().executeTakeFirstOrThrow();
    await publishReconciliation(trx, u);
    return u;
  },
  details: () => ({}),
};

async function loadDoc<R extends DocRow>(doc: Answerable<R>, db: Kysely<Database>, p: Principal, id: string): Promise<R> {
  const r = await doc.load(db, p.company.id, id);
  if (!r) throw new KenseError('NOT_FOUND', { entity: doc.kind, id });
  return r;
}

/** The document, or why it cannot be answered now: DEADLINE_PASSED once silence made it accepted; conflict or DOCUMENT_STATE otherwise. */
async function answerable<R extends DocRow>(doc: Answerable<R>, trx: Trx, s: Services, p: Principal, id: string, base: number | null) {
  const r = await loadDoc(doc, trx, p, id);
  if (isDeemedAccepted(doc.awaiting(r), r.deadline, kzDate(s.clock.now())) || r.state === 'deemed_accepted') throw new KenseError('DEADLINE_PASSED', { deadline: r.deadline });
  return { r, blocked: doc.awaiting(r) ? null : notNow(doc.kind, r.id, r.version, base, doc.view(r)) };
}

function signDoc<N extends 'signServiceAct' | 'signReconciliation', R extends DocRow>(_name: N, doc: Answerable<R>, argsOf: (a: Args<N>) => { id: string; cms: string }): Handler<N, Signed> {
  return {
    roles: BILLING,
    async prepare(s, p, a) {
      const { id, cms } = argsOf(a);
      return verifySigner(s, p, cms, (await loadDoc(doc, s.db, p, id)).canonical, doc.kind);
    },
    async apply(trx, s, p, a, base, signed) {
      const now = s.clock.now();
      const { r, blocked } = await answerable(doc, trx, s, p, argsOf(a).id, base);
      if (blocked) return blocked;
      await storeOurSignature(trx, s, p, doc.kind, r.id, signed, now);
      const u = await doc.save(trx, r, { state: doc.signedState(r) });
      await refreshAwaitingDashboard(trx, p.company.id, now);
      await auditFor(trx, p, `${doc.kind}.sign`, `${doc.kind}:${r.id}`, now, doc.details(r));
      return applied(doc.kind, r.id, u.version);
    },
    after: (s, p) => stampAfter(s, p),
  };
}

function refuseDoc<N extends 'refuseServiceAct' | 'refuseReconciliation', R extends DocRow>(_name: N, doc: Answerable<R>, argsOf: (a: Args<N>) => { id: string; reason: string }): Handler<N> {
  return {
    roles: BILLING,
    async apply(trx, s, p, a, base) {
      const now = s.clock.now();
      const { id, reason } = argsOf(a);
      const { r, blocked } = await answerable(doc, trx, s, p, id, base);
      if (blocked) return blocked;
      const u = await doc.save(trx, r, { state: 'refused', refusal: doc.refusal(p, reason, now) });
      await refreshAwaitingDashboard(trx, p.company.id, now);
      await auditFor(trx, p, `${doc.kind}.refuse`, `${doc.kind}:${r.id}`, now, { ...doc.details(r), reason });
      return applied(doc.kind, r.id, u.version);
    },
  };
}

const signServiceAct = signDoc('signServiceAct', SERVICE_ACT, (a) => ({ id: a.serviceActId, cms: a.cms }));
const refuseServiceAct = refuseDoc('refuseServiceAct', SERVICE_ACT, (a) => ({ id: a.serviceActId, reason: a.reason }));
const signReconciliation = signDoc('signReconciliation', RECONCILIATION, (a) => ({ id: a.reconciliationId, cms: a.cms }));
const refuseReconciliation = refuseDoc('refuseReconciliation', RECONCILIATION, (a) => ({ id: a.reconciliationId, reason: a.reason }));

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

export const HANDLERS: { [N in MutationName]: Handler<N, never> } = {
  signAct, refuseAct, withdrawAct, signServiceAct, refuseServiceAct, signReconciliation, refuseReconciliation, markNotificationRead,
  changeRole: changeRoleHandler, reportKeyCompromise,
} as unknown as { [N in MutationName]: Handler<N, never> };

export { usersWithRoles };
