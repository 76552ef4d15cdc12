// Who may sign a document for a company (DOMAIN.md "Who may sign"): pure, table-tested.
import type { Role } from '../cloud';

export type DocKind = 'act' | 'service_act' | 'reconciliation';
/** Documents an employee with the 'financial' EKU (…4.1.2.3) may sign in addition to first head / right to sign. */
const FINANCIAL_DOCS: readonly DocKind[] = ['service_act', 'reconciliation'];

export interface SignerCert {
  iin?: string;
  bin?: string;
  /** EKU roles of a НУЦ РК certificate (first_head, sign_right, financial, …): native-bridge/pki's KzRole. */
  roles: readonly string[];
  subjectType: 'individual' | 'legal_entity' | 'unknown';
  canSign: boolean;
}

export type SignerRole = 'first_head' | 'sign_right' | 'financial' | 'individual';
export type SigningDecision = { ok: true; role: SignerRole } | { ok: false; code: 'CERT_KEY_USAGE' | 'CERT_WRONG_SIGNER' | 'SIGN_RIGHT_MISSING' | 'FORBIDDEN' };

export function signingDecision(p: {
  cert: SignerCert;
  user: { iin: string; role: Role };
  company: { iinBin: string; kind: 'legal_entity' | 'individual_entrepreneur' };
  doc: DocKind;
}): SigningDecision {
  const { cert, user, company, doc } = p;
  if (user.role === 'viewer') return { ok: false, code: 'FORBIDDEN' };
  if (!cert.canSign) return { ok: false, code: 'CERT_KEY_USAGE' };
  if (!cert.iin || cert.iin !== user.iin) return { ok: false, code: 'CERT_WRONG_SIGNER' };
  if (company.kind === 'individual_entrepreneur') {
    // An ИП signs with an individual key whose ИИН is the entrepreneur's.
    if (!cert.bin && cert.subjectType === 'individual' && cert.iin === company.iinBin) return { ok: true, role: 'individual' };
    return { ok: false, code: 'CERT_WRONG_SIGNER' };
  }
  if (cert.bin !== company.iinBin) return { ok: false, code: 'CERT_WRONG_SIGNER' };
  if (cert.roles.includes('first_head')) return { ok: true, role: 'first_head' };
  if (cert.roles.includes('sign_right')) return { ok: true, role: 'sign_right' };
  if (cert.roles.includes('financial') && FINANCIAL_DOCS.includes(doc)) return { ok: true, role: 'financial' };
  return { ok: false, code: 'SIGN_RIGHT_MISSING' };
}
