// Signatures on documents (acts, service acts, reconciliation acts): storage and client view. A signature keeps
// what the CMS claims (the device's signing time) apart from what a TSA vouches for (its timestamp), and the
// CAdES-T form once it is stamped.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { zSignatureInfo } from '../../../contract/cloud';
import type { Database, SignaturesTable } from '../db/schema';
import { kzIso, kzIsoOrNull } from '../clock';
import { sha256Hex } from '../canonical-json';

export type DocType = 'act' | 'service_act' | 'reconciliation';
export type SignatureInfo = z.infer<typeof zSignatureInfo>;

export function signatureView(r: Selectable<SignaturesTable>): SignatureInfo {
  const ts = r.timestamp_status === 'pending' || r.timestamp_status === 'stamped' ? r.timestamp_status : null;
  return {
    side: r.side as 'ours', signerName: r.signer_name, signerIin: r.signer_iin, signerBin: r.signer_bin, role: r.role as 'first_head',
    certSerial: r.cert_serial, signedAt: kzIso(r.signed_at), cmsSha256: r.cms_sha256,
    claimedAt: kzIsoOrNull(r.claimed_at),
    timestamp: ts ? { status: ts, at: kzIsoOrNull(r.timestamp_at), tsa: r.timestamp_tsa, source: (r.timestamp_source as 'signer' | 'server' | null) ?? 'server' } : null,
    cms: r.cms ? Buffer.from(r.cms).toString('base64') : null,
  };
}

export async function signaturesOf(db: Kysely<Database>, docType: DocType, docIds: string[]): Promise<Map<string, SignatureInfo[]>> {
  const out = new Map<string, SignatureInfo[]>();
  if (docIds.length === 0) return out;
  const rows = await db.selectFrom('signatures').selectAll().where('doc_type', '=', docType).where('doc_id', 'in', docIds).orderBy('signed_at').execute();
  for (const r of rows) {
    const list = out.get(r.doc_id) ?? [];
    list.push(signatureView(r));
    out.set(r.doc_id, list);
  }
  return out;
}

export interface NewSignature {
  companyId: string;
  docType: DocType;
  docId: string;
  side: 'ours' | 'theirs';
  signerName: string;
  signerIin: string | null;
  signerBin: string | null;
  role: SignatureInfo['role'];
  certSerial: string | null;
  /** When the server received it. */
  signedAt: Date;
  cms: Uint8Array | null;
  userId: string | null;
  /** The signing time the CMS claims (signed attribute), if any. */
  claimedAt?: Date | null;
  /**
   * The CMS's own timestamp (checked valid), or `pending` when this server's TSA is to stamp it, or none (no TSA
   * configured: the signature stays as it came).
   */
  timestamp?: { status: 'stamped'; at: Date; tsa: string | null; source: 'signer' } | { status: 'pending' } | null;
}

export async function storeSignature(db: Kysely<Database>, n: NewSignature): Promise<string> {
  const id = randomUUID();
  const ts = n.timestamp ?? null;
  await db
    .insertInto('signatures')
    .values({
      id, company_id: n.companyId, doc_type: n.docType, doc_id: n.docId, side: n.side, signer_name: n.signerName,
      signer_iin: n.signerIin, signer_bin: n.signerBin, role: n.role, cert_serial: n.certSerial, signed_at: n.signedAt,
      cms: n.cms, cms_sha256: n.cms ? sha256Hex(n.cms) : null, user_id: n.userId, claimed_at: n.claimedAt ?? null,
      timestamp_status: ts?.status ?? 'none',
      ...(ts?.status === 'stamped' ? { timestamp_at: ts.at, timestamp_tsa: ts.tsa, timestamp_source: ts.source } : {}),
      ...(ts?.status === 'pending' ? { timestamp_next_at: n.signedAt } : {}),
    })
    .execute();
  return id;
}
