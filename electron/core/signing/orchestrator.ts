// Signing and refusing documents, online or not (ARCHITECTURE.md, "Signing an act offline"): rules first, then the
// signer (one key choice, one password for the batch), then every returned CMS verified, then one transaction that
// stores the signatures, the local states, the outbox entries and the audit rows. The sync engine does the rest.
import { createHash } from 'node:crypto';
import { KenseError, isKenseError, type Locale } from '../../../contract/errors';
import type { MutationName } from '../../../contract/cloud';
import type { DocumentKind, DocumentRef, IpcErrorPayload, LocalState } from '../../../contract/ipc';
import { nextActState } from '../../../contract/rules/act-states';
import { outgoingAllowed } from '../../../contract/rules/billing';
import { isDeemedAccepted } from '../../../contract/rules/deadlines';
import { PERMISSIONS } from '../../../contract/rules/access';
import type { SignerFilterInput } from '../../../contract/signing';
import { SignerFilterSchema } from '../../../contract/signing';
import { kzDate } from '../../../contract/kz-calendar';
import type { Signer } from '../../../native-bridge/signer/types';
import type { KzCertificate } from '../../../native-bridge/pki';
import { isTestCertificate } from '../../../native-bridge/signer/filter';
import { rebaseDocument } from '../sync/apply';
import { Outbox } from '../store/outbox';
import type { Store } from '../store/store';
import { DocumentQueries } from '../store/documents';
import { kzIso } from '../time';
import { checkOwnSignature, normalizeSerial, type AcceptedSignature, type CheckContext, type SigningParty } from './signature-check';
import type { ProfileInfo } from '../profile-info';

export interface SigningDeps {
  store: Store;
  profile: ProfileInfo;
  check: () => Promise<Omit<CheckContext, 'now'>>;
  now: () => Date;
  locale: () => Locale;
  progress?: (phase: 'waiting_for_signer' | 'verifying' | 'storing' | 'done', done: number, total: number) => void;
}

export interface ItemResult {
  ref: DocumentRef;
  ok: boolean;
  localState: LocalState | null;
  error: IpcErrorPayload | null;
}

/** Days before expiry when a signature brings a warning (doctor uses the same marks). */
export const CERT_WARN_DAYS = 30;

const SIGN_MUTATION: Record<DocumentKind, MutationName> = { act: 'signAct', service_act: 'signServiceAct', reconciliation: 'signReconciliation' };
const REFUSE_MUTATION: Record<DocumentKind, MutationName> = { act: 'refuseAct', service_act: 'refuseServiceAct', reconciliation: 'refuseReconciliation' };
const ARG_ID: Record<DocumentKind, string> = { act: 'actId', service_act: 'serviceActId', reconciliation: 'reconciliationId' };
/** Who may answer each kind (the server's endpoint roles). */
const PERMISSION: Record<DocumentKind, string> = { act: 'acts.sign', service_act: 'billing.read', reconciliation: 'reconciliation' };

export function payloadOf(e: unknown, locale: Locale): IpcErrorPayload {
  const k = isKenseError(e) ? e : new KenseError('INTERNAL');
  const p = k.toPayload(locale);
  return { code: p.code, message: p.message, action: p.action, ...(p.details ? { details: JSON.parse(JSON.stringify(p.details)) as Record<string, unknown> } : {}) };
}

interface Loaded {
  ref: DocumentRef;
  version: number;
  data: Record<string, unknown>;
  bytes: Uint8Array;
}

/** Why this document cannot be answered now (the server's rules, mirrored), or null. */
export function refusalReason(deps: Pick<SigningDeps, 'store' | 'profile' | 'now'>, ref: DocumentRef, action: 'sign' | 'refuse'): KenseError | null {
  const doc = new DocumentQueries(deps.store.r).get(ref.kind, ref.id);
  if (!doc) return new KenseError('NOT_FOUND', { entity: ref.kind, id: ref.id });
  if (!PERMISSIONS[deps.profile.role].includes(PERMISSION[ref.kind])) return new KenseError('FORBIDDEN', { role: deps.profile.role });
  if (doc.row.localState === 'signed_locally' || doc.row.localState === 'refused_locally') return new KenseError('DOCUMENT_STATE', { localState: doc.row.localState });
  const today = kzDate(deps.now());
  if (ref.kind === 'act') {
    const direction = doc.row.direction;
    if (!nextActState({ direction, state: doc.row.state as 'draft' }, action)) return new KenseError('DOCUMENT_STATE', { state: doc.row.state });
    if (direction === 'outgoing' && action === 'sign') {
      const sub = deps.store.r.prepare(`SELECT data FROM entities WHERE entity = 'subscription' LIMIT 1`).get() as { data: string } | undefined;
      const s = sub ? (JSON.parse(sub.data) as { state: 'active' | 'warning' | 'blocked'; blockedBranchIds: string[] }) : null;
      if (s && !outgoingAllowed(s, doc.row.branchId)) return new KenseError('TARIFF_BLOCKED', { branchId: doc.row.branchId });
    }
    return null;
  }
  if (!doc.row.awaitingSignature && doc.row.localState !== 'sync_conflict' && doc.row.localState !== 'sync_rejected') return new KenseError('DOCUMENT_STATE', { state: doc.row.state });
  if (doc.row.deadline && (doc.row.state === 'deemed_accepted' || isDeemedAccepted(true, doc.row.deadline, today))) return new KenseError('DEADLINE_PASSED', { deadline: doc.row.deadline });
  return null;
}

function load(store: Store, ref: DocumentRef): Loaded {
  const doc = new DocumentQueries(store.r).get(ref.kind, ref.id);
  if (!doc) throw new KenseError('NOT_FOUND', { entity: ref.kind, id: ref.id });
  const canonical = doc.data.canonical as { base64?: unknown; sha256?: unknown } | undefined;
  if (!canonical || typeof canonical.base64 !== 'string' || typeof canonical.sha256 !== 'string') throw new KenseError('CANONICAL_BYTES_CORRUPT', { ref });
  const bytes = new Uint8Array(Buffer.from(canonical.base64, 'base64'));
  if (createHash('sha256').update(bytes).digest('hex') !== canonical.sha256) throw new KenseError('CANONICAL_BYTES_CORRUPT', { ref });
  return { ref, version: doc.version, data: doc.data, bytes };
}

export function signingParty(p: ProfileInfo): SigningParty {
  return { user: { iin: p.iin, role: p.role }, company: { iinBin: p.companyIinBin, kind: p.companyKind } };
}

/** The signer filter for a batch: a company key of this user and company (or the entrepreneur's own key). */
export function filterFor(p: ProfileInfo, kinds: DocumentKind[]): SignerFilterInput {
  const ip = p.companyKind === 'individual_entrepreneur';
  return {
    purpose: 'signature',
    subject: ip ? 'individual' : 'legal_entity',
    // NCALayer cannot say "head or right to sign or financial": financial documents are checked after signing.
    role: ip || kinds.some((k) => k !== 'act') ? 'any' : 'head_or_sign_right',
    iin: p.iin,
    ...(ip ? {} : { bin: p.companyIinBin }),
    allowTestKeys: p.trust === 'test',
  };
}

function recordCertificate(store: Store, c: KzCertificate, at: string): void {
  store.w
    .prepare(
      `INSERT INTO certificates (serial, common_name, iin, bin, not_before, not_after, test, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (serial) DO UPDATE SET last_used_at = excluded.last_used_at`,
    )
    .run(normalizeSerial(c.serialNumber), c.commonName ?? null, c.iin ?? null, c.bin ?? null, kzIso(c.notBefore), kzIso(c.notAfter), isTestCertificate(c) ? 1 : 0, at);
}

export function audit(store: Store, at: string, action: string, target: string | null, details: Record<string, unknown>): void {
  store.w.prepare('INSERT INTO audit (at, action, target, details) VALUES (?, ?, ?, ?)').run(at, action, target, JSON.stringify(details));
}

/**
 * Signs `refs` with `signer` in one batch. Documents the rules refuse are reported and not sent to the signer;
 * a signer failure (cancel, wrong password, NCALayer gone) throws; a returned signature that fails the checks is
 * reported for its document and not kept.
 */
export async function signDocuments(deps: SigningDeps, refs: DocumentRef[], signer: Signer, signal?: AbortSignal): Promise<{ results: ItemResult[]; certificate: KzCertificate | null; warnings: IpcErrorPayload[] }> {
  const locale = deps.locale();
  const results = new Map<string, ItemResult>();
  const key = (r: DocumentRef) => `${r.kind}:${r.id}`;
  const ready: Loaded[] = [];
  for (const ref of refs) {
    if (results.has(key(ref))) continue;
    const why = refusalReason(deps, ref, 'sign');
    if (why) {
      results.set(key(ref), { ref, ok: false, localState: null, error: payloadOf(why, locale) });
      continue;
    }
    try {
      ready.push(load(deps.store, ref));
    } catch (e) {
      results.set(key(ref), { ref, ok: false, localState: null, error: payloadOf(e, locale) });
    }
  }
  let certificate: KzCertificate | null = null;
  const warnings: IpcErrorPayload[] = [];
  if (ready.length > 0) {
    deps.progress?.('waiting_for_signer', 0, ready.length);
    const filter = SignerFilterSchema.parse(filterFor(deps.profile, ready.map((r) => r.ref.kind)));
    const signed = await signer.signCms(
      ready.map((r) => r.bytes),
      { filter, detached: true, locale, ...(signal ? { signal } : {}) },
    );
    if (signed.signatures.length !== ready.length) throw new KenseError('NCALAYER_PROTOCOL_ERROR', { expected: ready.length, got: signed.signatures.length });
    certificate = signed.certificate;
    const ctx = { ...(await deps.check()), now: deps.now() };
    const party = signingParty(deps.profile);
    const accepted: { doc: Loaded; cms: Uint8Array; sig: AcceptedSignature }[] = [];
    let stale = false;
    for (let i = 0; i < ready.length; i++) {
      deps.progress?.('verifying', i, ready.length);
      try {
        const sig = await checkOwnSignature(signed.signatures[i], ready[i].bytes, ready[i].ref.kind, party, ctx);
        stale ||= sig.revocationStale;
        accepted.push({ doc: ready[i], cms: signed.signatures[i], sig });
      } catch (e) {
        results.set(key(ready[i].ref), { ref: ready[i].ref, ok: false, localState: null, error: payloadOf(e, locale) });
      }
    }
    deps.progress?.('storing', accepted.length, ready.length);
    const at = kzIso(deps.now());
    const outbox = new Outbox(deps.store);
    await deps.store.tx(() => {
      for (const a of accepted) {
        const { ref } = a.doc;
        const cmsB64 = Buffer.from(a.cms).toString('base64');
        const mutationId = outbox.enqueue({ name: SIGN_MUTATION[ref.kind], args: { [ARG_ID[ref.kind]]: ref.id, cms: cmsB64 }, baseVersion: a.doc.version, target: ref }, at);
        const c = a.sig.certificate;
        deps.store.w
          .prepare('INSERT INTO local_signatures (mutation_id, kind, id, cms, cms_sha256, signer, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(mutationId, ref.kind, ref.id, Buffer.from(a.cms), createHash('sha256').update(a.cms).digest('hex'),
            JSON.stringify({ name: c.commonName ?? c.subjectDn, iin: c.iin ?? null, bin: c.bin ?? null, serial: normalizeSerial(c.serialNumber), role: a.sig.role }), kzIso(a.sig.signingTime));
        recordCertificate(deps.store, c, at);
        const state = rebaseDocument(deps.store, ref.kind, ref.id) as LocalState;
        audit(deps.store, at, `${ref.kind}.sign`, `${ref.kind}:${ref.id}`, { number: a.doc.data.number ?? null, certSerial: normalizeSerial(c.serialNumber), mutationId, offline: true });
        results.set(key(ref), { ref, ok: true, localState: state, error: null });
      }
    });
    deps.progress?.('done', accepted.length, ready.length);
    const days = Math.floor((certificate.notAfter.getTime() - deps.now().getTime()) / 86_400_000);
    if (days <= CERT_WARN_DAYS) warnings.push(payloadOf(new KenseError('CERT_EXPIRING_SOON', { daysLeft: days, notAfter: kzIso(certificate.notAfter), serial: normalizeSerial(certificate.serialNumber) }), locale));
    if (stale) warnings.push(payloadOf(new KenseError('REVOCATION_DATA_STALE'), locale));
  }
  return { results: refs.map((r) => results.get(key(r)) as ItemResult).filter((r, i, all) => all.findIndex((x) => key(x.ref) === key(r.ref)) === i), certificate, warnings };
}

/** Refuses with a reason: one transaction stores the local state, the outbox entry and the audit row. */
export async function refuseDocument(deps: SigningDeps, ref: DocumentRef, reason: string): Promise<ItemResult> {
  const why = refusalReason(deps, ref, 'refuse');
  if (why) throw why;
  const doc = new DocumentQueries(deps.store.r).get(ref.kind, ref.id);
  if (!doc) throw new KenseError('NOT_FOUND', { entity: ref.kind, id: ref.id });
  const at = kzIso(deps.now());
  const outbox = new Outbox(deps.store);
  const state = await deps.store.tx(() => {
    const mutationId = outbox.enqueue({ name: REFUSE_MUTATION[ref.kind], args: { [ARG_ID[ref.kind]]: ref.id, reason }, baseVersion: doc.version, target: ref }, at);
    const s = rebaseDocument(deps.store, ref.kind, ref.id) as LocalState;
    audit(deps.store, at, `${ref.kind}.refuse`, `${ref.kind}:${ref.id}`, { number: doc.data.number ?? null, mutationId, reasonLength: reason.length });
    return s;
  });
  return { ref, ok: true, localState: state, error: null };
}
