// One document as the office shows it: the cached entity checked against its schema, signatures (the server's and
// those made here, not yet confirmed), history, the problem to deal with, and whether it may be signed/refused now.
import { KenseError } from '../../../contract/errors';
import { zAct, zReconciliation, zServiceAct, type zSignatureInfo } from '../../../contract/cloud';
import type { z } from 'zod';

type SignatureInfo = z.infer<typeof zSignatureInfo>;
import type { DocumentDetail, DocumentRef, SignatureView, SyncProblem } from '../../../contract/ipc';
import { DocumentQueries } from '../store/documents';
import { Outbox, type OutboxRow } from '../store/outbox';
import { payloadOf, refusalReason } from '../signing/orchestrator';
import type { Core, OpenProfile } from '../core';

/** What a server signature may carry about time (older servers: neither; with a TSA: the claimed time and the stamp). */
type SignatureWithTimes = SignatureInfo & { claimedAt?: string | null; timestamp?: { at: string | null } | null };

/** The server's signature as the office shows it: as the server sent it, with the TSA's time pulled up. */
function signatureView(s: SignatureWithTimes): SignatureView {
  return { ...s, timestampAt: s.timestamp?.at ?? null, pending: false } as SignatureView;
}

export function problemOf(row: OutboxRow, stuckSince: string | null): SyncProblem | null {
  const status = row.status === 'conflict' || row.status === 'rejected' ? row.status : stuckSince ? 'stuck' : null;
  if (!status || !row.error) return null;
  return { mutationId: row.mutationId, name: row.name, target: row.target, status, error: row.error, createdAt: row.createdAt, at: row.answeredAt ?? row.lastAttemptAt ?? row.createdAt, attempts: row.attempts };
}

export function documentDetail(core: Core, p: OpenProfile, ref: DocumentRef): DocumentDetail {
  const doc = new DocumentQueries(p.store.r).get(ref.kind, ref.id);
  if (!doc) throw new KenseError('NOT_FOUND', { entity: ref.kind, id: ref.id });
  const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T => {
    const r = schema.safeParse(doc.data);
    if (!r.success) throw new KenseError('INTERNAL', { problem: 'cached document does not match the contract', ref });
    return r.data;
  };
  const data: DocumentDetail['data'] =
    ref.kind === 'act' ? { kind: 'act', act: parse(zAct) } : ref.kind === 'service_act' ? { kind: 'service_act', serviceAct: parse(zServiceAct) } : { kind: 'reconciliation', reconciliation: parse(zReconciliation) };
  const server: SignatureWithTimes[] = data.kind === 'act' ? data.act.signatures : data.kind === 'reconciliation' ? data.reconciliation.signatures : data.serviceAct.signature ? [data.serviceAct.signature] : [];
  const outbox = new Outbox(p.store).byTarget(ref);
  const live = new Set(outbox.map((r) => r.mutationId));
  const local = (p.store.r.prepare('SELECT mutation_id, cms_sha256, signer, signed_at FROM local_signatures WHERE kind = ? AND id = ? ORDER BY signed_at').all(ref.kind, ref.id) as {
    mutation_id: string; cms_sha256: string; signer: string; signed_at: string;
  }[]).filter((r) => live.has(r.mutation_id) && !server.some((s) => s.cmsSha256 === r.cms_sha256));
  const signatures: SignatureView[] = [
    ...server.map(signatureView),
    ...local.map((r) => {
      const s = JSON.parse(r.signer) as { name: string; iin: string | null; bin: string | null; serial: string; role: SignatureView['role'] };
      // made here: the time is the device's own (claimed); the server stamps it once it has it
      return { side: 'ours', signerName: s.name, signerIin: s.iin, signerBin: s.bin, role: s.role, certSerial: s.serial, signedAt: r.signed_at, claimedAt: r.signed_at, timestamp: null, cms: null, timestampAt: null, pending: true, cmsSha256: r.cms_sha256 } as SignatureView;
    }),
  ];

  const history: DocumentDetail['history'] = [];
  const created = (doc.data.createdAt ?? doc.data.issuedOn ?? doc.data.sentOn) as string | undefined;
  if (created) history.push({ at: created.length === 10 ? `${created}T00:00:00.000+05:00` : created, event: 'created', who: null, text: null });
  for (const s of signatures) {
    // both times when the server has stamped it: the device's claimed time, and the TSA's
    const claimed = (s as SignatureWithTimes).claimedAt;
    history.push({ at: s.pending ? s.signedAt : (claimed ?? s.signedAt), event: s.pending ? 'signed_locally' : 'signed', who: s.signerName, text: s.certSerial });
    if (s.timestampAt) history.push({ at: s.timestampAt, event: 'timestamped', who: null, text: s.certSerial });
  }
  const refusal = doc.data.refusal as { reason: string; at: string; side?: string } | null | undefined;
  if (refusal) history.push({ at: refusal.at, event: 'refused', who: refusal.side ?? null, text: refusal.reason });
  const withdrawal = doc.data.withdrawal as { reason: string; at: string } | null | undefined;
  if (withdrawal) history.push({ at: withdrawal.at, event: 'withdrawn', who: null, text: withdrawal.reason });
  for (const r of outbox) {
    if (r.name.startsWith('refuse')) history.push({ at: r.createdAt, event: 'refused_locally', who: p.info.userName, text: (r.args as { reason?: string }).reason ?? null });
    if (r.status === 'applied' && r.answeredAt) history.push({ at: r.answeredAt, event: 'confirmed', who: null, text: null });
    if ((r.status === 'conflict' || r.status === 'rejected') && r.answeredAt) history.push({ at: r.answeredAt, event: r.status, who: null, text: r.error?.message ?? null });
  }
  history.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  const problemRow = outbox.find((r) => r.status === 'conflict' || r.status === 'rejected');
  const canonical = doc.data.canonical as { format: string; base64: string; sha256: string };
  const allowed = (action: 'sign' | 'refuse') => {
    const why = refusalReason({ store: p.store, profile: p.info, now: core.now }, ref, action);
    return { allowed: why === null, reason: why ? payloadOf(why, core.locale()) : null };
  };
  return {
    ref,
    data,
    row: doc.row,
    signatures,
    history,
    problem: problemRow ? problemOf(problemRow, null) : null,
    canonical: { format: canonical.format, sha256: canonical.sha256, size: Buffer.from(canonical.base64, 'base64').length },
    sign: allowed('sign'),
    refuse: allowed('refuse'),
  };
}
