// What `kense sign` checks about the signatures it made (through either signer) before writing them:
// an expired, not-yet-valid or revoked certificate, or a key not for signing, is refused; a chain that
// does not reach the trust store in use, or revocation that cannot be learned, is a warning printed next
// to the result — signing never fails only because this computer lacks a root.
import { KenseError, type Locale } from '../../contract/errors';
import { VERIFICATION_REASONS } from '../../contract/errors/pki';
import { verifyCms, type RevocationSource, type SignerVerdict, type TrustStore, type VerificationReason } from '../../native-bridge/pki';
import { verifyXml } from '../../native-bridge/xml';
import type { GivenEvidence } from './verification';

/** Reasons that are the reader's to judge, not a fault of the key: warned about, never refused. */
const WARN_ONLY: ReadonlySet<VerificationReason> = new Set(['UNTRUSTED_CHAIN', 'TRUST_STORE_EMPTY', 'REVOCATION_UNKNOWN']);

export interface SignedCheck {
  warnings: VerificationReason[];
  /** Plain-English notes behind the warnings (which store, what could not be fetched). */
  notes: string[];
}

/**
 * Verifies each signature just made, at now, with revocation required. Throws SIGNER_CERTIFICATE_NOT_VALID
 * (nothing is written) for any reason but the warn-only ones; returns the warnings otherwise.
 */
export async function checkSigned(
  outputs: Uint8Array[],
  documents: Uint8Array[],
  o: { format: 'cms' | 'xml'; detached: boolean; trust: TrustStore; evidence: GivenEvidence; source?: RevocationSource; now?: Date },
): Promise<SignedCheck> {
  const at = o.now ?? new Date();
  const common = { trust: o.trust, at, crls: o.evidence.crls, ocspResponses: o.evidence.ocspResponses, revocation: 'crl-or-ocsp' as const, revocationSource: o.source };
  const warnings = new Set<VerificationReason>();
  const notes = new Set<string>();
  for (let i = 0; i < outputs.length; i++) {
    let signers: SignerVerdict[];
    if (o.format === 'xml') {
      const v = await verifyXml(outputs[i], common);
      signers = v.signatures.slice(-1); // ours is the last one
    } else {
      const v = await verifyCms(outputs[i], { ...common, data: o.detached ? documents[i] : undefined });
      signers = v.signers.slice(-1);
    }
    const s = signers[0];
    if (!s) throw new KenseError('SIGNER_CERTIFICATE_NOT_VALID', { index: i, reasons: ['MALFORMED'] });
    const refused = s.reasons.filter((r) => !WARN_ONLY.has(r));
    if (refused.length) throw new KenseError('SIGNER_CERTIFICATE_NOT_VALID', { index: i, reasons: refused });
    for (const r of s.reasons) warnings.add(r);
    for (const p of s.problems ?? []) notes.add(p);
  }
  return { warnings: [...warnings], notes: [...notes] };
}

const WARNING: Record<Locale, string> = { ru: 'Предупреждение', kk: 'Ескерту', en: 'Warning' };

/** "Warning: REASON: what it means" lines with what to do, in the user's language. */
export function warningLines(check: SignedCheck, locale: Locale, storeName: string): string[] {
  const lines: string[] = [];
  for (const r of check.warnings) {
    const spec = VERIFICATION_REASONS[r];
    lines.push(`${WARNING[locale]}: ${r} (${storeName}): ${spec.message[locale]}`, `  → ${spec.action[locale]}`);
  }
  if (lines.length) lines.push(...check.notes.map((n) => `  ${n}`));
  return lines;
}
