// Signatures on documents (acts, service acts, reconciliation acts): storage and client view.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { zSignatureInfo } from '../../../contract/cloud';
import type { Database, SignaturesTable } from '../db/schema';
import { kzIso } from '../clock';
import { sha256Hex } from '../canonical-json';

export type DocType = 'act' | 'service_act' | 'reconciliation';
export type SignatureInfo = z.infer<typeof zSignatureInfo>;

export function signatureView(r: Selectable<SignaturesTable>): SignatureInfo {
  return {
    side: r.side as 'ours', signerName: r.signer_name, signerIin: r.signer_iin, signerBin: r.signer_bin, role: r.role as 'first_head',
    certSerial: r.cert_serial, signedAt: kzIso(r.signed_at), cmsSha256: r.cms_sha256,
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
  signedAt: Date;
  cms: Uint8Array | null;
  userId: string | null;
}

export async function storeSignature(db: Kysely<Database>, n: NewSignature): Promise<void> {
  await db
    .insertInto('signatures')
    .values({
      id: randomUUID(), company_id: n.companyId, doc_type: n.docType, doc_id: n.docId, side: n.side, signer_name: n.signerName,
      signer_iin: n.signerIin, signer_bin: n.signerBin, role: n.role, cert_serial: n.certSerial, signed_at: n.signedAt,
      cms: n.cms, cms_sha256: n.cms ? sha256Hex(n.cms) : null, user_id: n.userId,
    })
    .execute();
}
