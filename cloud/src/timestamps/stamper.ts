// Signatures that reached the server without a timestamp (signed offline: only the device's claimed time) are
// stamped by the server's TSA: an RFC 3161 request over the signature value, the answer checked (status, imprint,
// nonce, the token verified against the trusted TSAs), the token attached as id-aa-signatureTimeStampToken
// (CAdES-T) and the document published again. A TSA that does not answer loses nothing: the signature stays
// `pending` and is retried with growing pauses (at most an hour) until it is stamped.
import * as pki from '../../../native-bridge/pki';
import type { KzCertificate } from '../../../native-bridge/pki/types';
import type { TimestampAuthority } from '../../../contract/cloud/timestamps';
import { TEST_TSA_PATH } from '../../../contract/cloud/timestamps';
import type { CloudConfig } from '../config';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import type { SignatureService } from '../signatures-api';
import { companyTx, type Trx } from '../feed';
import { sha256Hex } from '../canonical-json';
import { publishAct } from '../domain/acts';
import { publishServiceAct } from '../domain/billing';
import { publishReconciliation } from '../domain/reconciliation';
import { BuiltinTsa } from './builtin-tsa';
import { encodeTimeStampRequest, newNonce, parseTimeStampResponse, postTimeStampQuery, sameNonce } from './rfc3161';
import type { TimestampService } from './types';

const RUN_LIMIT = 50;
const MAX_PAUSE_MS = 3600_000;

interface Deps {
  db: Db;
  clock: Clock;
  config: Pick<CloudConfig, 'tsa'>;
  signatures: () => Promise<SignatureService>;
  /** The server's own address, once it listens (the built-in TSA's URL in `authority`). */
  url: () => string;
}

export function createTimestamps(d: Deps): TimestampService {
  const { tsa } = d.config;
  let builtin: Promise<BuiltinTsa> | null = null;
  // The configured TSA's own roots (a private or test TSA), and the built-in one's once made.
  const configured = (tsa.roots ?? []).map((der) => pki.parseCertificate(der));
  let anchors: KzCertificate[] = configured;
  const loadBuiltin = () =>
    (builtin ??= BuiltinTsa.load(d.db, d.clock.now()).then((b) => {
      anchors = [...configured, b.root];
      return b;
    }));
  const exchange = async (query: Uint8Array): Promise<Uint8Array> =>
    tsa.mode === 'builtin' ? (await loadBuiltin()).answer(query, d.clock.now()) : postTimeStampQuery(tsa.url!, query, tsa.timeoutMs);

  /** Stamps one signature (and its copies at an EDO peer), or records why not and when to try again. */
  async function stampOne(id: string): Promise<boolean> {
    const row = await d.db.selectFrom('signatures').selectAll().where('id', '=', id).where('timestamp_status', '=', 'pending').executeTakeFirst();
    if (!row?.cms || !row.cms_sha256) return false;
    try {
      const cms = new Uint8Array(row.cms);
      const signer = pki.parseCms(cms).signerInfos[0];
      const hashOid = pki.isSupportedDigest(signer.digestAlgorithm.oid) ? signer.digestAlgorithm.oid : pki.SHA.sha256;
      const hash = pki.digestBytes(hashOid, signer.signature);
      const nonce = newNonce();
      const answer = parseTimeStampResponse(await exchange(encodeTimeStampRequest({ hashOid, hash, nonce })));
      if (answer.status > 1 || !answer.token) throw new Error(`the TSA refused (status ${answer.status}${answer.text ? `: ${answer.text}` : ''})`);
      const { tstInfo } = pki.parseTimestampToken(answer.token);
      if (!pki.bytesEqual(tstInfo.imprint, hash) || !sameNonce(tstInfo.nonceBytes, nonce)) throw new Error('the TSA answered another request (imprint or nonce differ)');
      const stamped = pki.addTimestampToken(cms, answer.token);
      const verdict = await (await d.signatures()).timestampOf(stamped, await canonicalOf(d.db, row.doc_type, row.doc_id));
      if (verdict?.status !== 'valid') throw new Error(`the timestamp does not verify (${verdict?.reason ?? 'none found'})`);
      await attach(d.db, row.cms_sha256, stamped, verdict.time ?? tstInfo.genTime, verdict.tsa ?? null);
      return true;
    } catch (e) {
      const attempts = row.timestamp_attempts + 1;
      const pause = Math.min(MAX_PAUSE_MS, tsa.retrySec * 1000 * 2 ** Math.min(attempts - 1, 10));
      await d.db
        .updateTable('signatures')
        .set({ timestamp_attempts: attempts, timestamp_next_at: new Date(d.clock.now().getTime() + pause), timestamp_error: String((e as Error)?.message ?? e).slice(0, 300) })
        .where('id', '=', id)
        .where('timestamp_status', '=', 'pending')
        .execute();
      return false;
    }
  }

  let turn: Promise<unknown> = Promise.resolve();
  const stampPending = (o: { companyId?: string } = {}) => {
    // One run at a time in this process (several processes on one PostgreSQL: the update is conditional).
    const run = turn.then(async () => {
      if (tsa.mode === 'none') return { stamped: 0, failed: 0 };
      let q = d.db.selectFrom('signatures').select('id').where('timestamp_status', '=', 'pending').where('timestamp_next_at', '<=', d.clock.now());
      if (o.companyId) q = q.where('company_id', '=', o.companyId);
      const due = await q.orderBy('timestamp_next_at').limit(RUN_LIMIT).execute();
      let stamped = 0;
      for (const r of due) if (await stampOne(r.id)) stamped++;
      return { stamped, failed: due.length - stamped };
    });
    turn = run.catch(() => undefined);
    return run.catch((e: Error) => {
      console.error('kense cloud: timestamping failed:', e.message);
      return { stamped: 0, failed: 0 };
    });
  };

  const timer = tsa.mode !== 'none' && tsa.retrySec > 0 ? setInterval(() => void stampPending(), tsa.retrySec * 1000) : undefined;
  timer?.unref();

  return {
    enabled: tsa.mode !== 'none',
    async authority(): Promise<TimestampAuthority> {
      if (tsa.mode === 'none') return { mode: 'none', url: null, tsa: null, certificates: [], retrySeconds: tsa.retrySec };
      if (tsa.mode === 'rfc3161') return { mode: 'rfc3161', url: tsa.url ?? null, tsa: null, certificates: [], retrySeconds: tsa.retrySec };
      const b = await loadBuiltin();
      return { mode: 'builtin', url: d.url() ? `${d.url()}${TEST_TSA_PATH}` : null, tsa: b.name, certificates: [b.certificate.der, b.root.der].map((x) => Buffer.from(x).toString('base64')), retrySeconds: tsa.retrySec };
    },
    stampPending,
    tsaAnchors: () => anchors,
    ...(tsa.mode === 'builtin' ? { answerQuery: async (query: Uint8Array) => (await loadBuiltin()).answer(query, d.clock.now()) } : {}),
    close: () => clearInterval(timer),
  };
}

/** The bytes a document's signatures cover (a detached CMS is checked against them). */
async function canonicalOf(db: Db, docType: string, docId: string): Promise<Uint8Array> {
  const table = docType === 'act' ? 'acts' : docType === 'service_act' ? 'service_acts' : 'reconciliations';
  const r = await db.selectFrom(table).select('canonical').where('id', '=', docId).executeTakeFirstOrThrow();
  return new Uint8Array(r.canonical);
}

/** The CAdES-T replaces the CMS in every row holding it (ours and an EDO peer's copy); each document is published again. */
async function attach(db: Db, oldSha: string, stamped: Uint8Array, at: Date, tsaName: string | null): Promise<void> {
  const rows = await db.selectFrom('signatures').select(['id', 'company_id', 'doc_type', 'doc_id']).where('cms_sha256', '=', oldSha).where('timestamp_status', '=', 'pending').execute();
  const byCompany = new Map<string, typeof rows>();
  for (const r of rows) byCompany.set(r.company_id, [...(byCompany.get(r.company_id) ?? []), r]);
  for (const [companyId, list] of byCompany) {
    await companyTx({ db }, companyId, async (trx) => {
      const updated = await trx
        .updateTable('signatures')
        .set({ cms: stamped, cms_sha256: sha256Hex(stamped), timestamp_status: 'stamped', timestamp_at: at, timestamp_tsa: tsaName, timestamp_source: 'server', timestamp_error: null, timestamp_next_at: null })
        .where('id', 'in', list.map((r) => r.id))
        .where('timestamp_status', '=', 'pending')
        .returning(['doc_type', 'doc_id'])
        .execute();
      for (const doc of new Map(updated.map((u) => [`${u.doc_type}:${u.doc_id}`, u])).values()) await republish(trx, doc.doc_type, doc.doc_id);
    });
  }
}

async function republish(trx: Trx, docType: string, docId: string): Promise<void> {
  if (docType === 'act') {
    const a = await trx.selectFrom('acts').selectAll().where('id', '=', docId).executeTakeFirst();
    if (a) await publishAct(trx, await trx.updateTable('acts').set({ version: a.version + 1 }).where('id', '=', a.id).returningAll().executeTakeFirstOrThrow());
  } else if (docType === 'service_act') {
    const a = await trx.selectFrom('service_acts').selectAll().where('id', '=', docId).executeTakeFirst();
    if (a) await publishServiceAct(trx, await trx.updateTable('service_acts').set({ version: a.version + 1 }).where('id', '=', a.id).returningAll().executeTakeFirstOrThrow());
  } else {
    const a = await trx.selectFrom('reconciliations').selectAll().where('id', '=', docId).executeTakeFirst();
    if (a) await publishReconciliation(trx, await trx.updateTable('reconciliations').set({ version: a.version + 1 }).where('id', '=', a.id).returningAll().executeTakeFirstOrThrow());
  }
}
