// Step 3 of signing (ARCHITECTURE.md): nothing a signer returns is trusted. Each CMS is verified against the stored
// canonical bytes — digest, signature, chain to a trusted НУЦ CA, validity at signing time, revocation as far as
// known (CRLs cached while online), key usage — and the certificate must be the user's (ИИН), the company's (БИН),
// with a role that may sign this kind of document, and not reported compromised.
import { KenseError } from '../../../contract/errors';
import { errorForReasons } from '../../../contract/rules/signature-errors';
import { signingDecision, type DocKind, type SignerRole } from '../../../contract/rules/signing';
import type { Role } from '../../../contract/cloud';
import { verifyCms, type KzCertificate, type TrustStore, type SignerVerdict, type Sourced, type Crl } from '../../../native-bridge/pki';
import type { RevocationSource } from '../../../native-bridge/pki/revocation-source';

export interface SigningParty {
  user: { iin: string; role: Role };
  company: { iinBin: string; kind: 'legal_entity' | 'individual_entrepreneur' };
}

export interface AcceptedSignature {
  certificate: KzCertificate;
  role: SignerRole;
  signingTime: Date;
  /** The revocation data this judgement used was past its next update (offline with an old CRL). */
  revocationStale: boolean;
  revocationStatus: SignerVerdict['revocation']['status'];
}

export interface CheckContext {
  trust: TrustStore;
  /** CRLs at hand (the test kit's in test mode). */
  crls: (Uint8Array | Sourced<Crl>)[];
  /** Fetches the CRLs a certificate names while online and keeps them in the profile; offline, the kept ones. */
  revocationSource?: RevocationSource;
  now: Date;
  compromised: (serial: string) => boolean;
}

/** Serials as Kalkan prints them: upper-case hex without leading zeros. */
export const normalizeSerial = (s: string) => s.toUpperCase().replace(/^0+(?=.)/, '');

/**
 * Verifies one returned CMS over exactly `data`. Revocation "unknown" is accepted (offline: the server checks again
 * online); anything else wrong is a KenseError with the reason's code.
 */
export async function checkOwnSignature(cms: Uint8Array, data: Uint8Array, doc: DocKind, party: SigningParty, ctx: CheckContext): Promise<AcceptedSignature> {
  const verdict = await verifyCms(cms, { data, trust: ctx.trust, at: ctx.now, crls: ctx.crls, revocation: 'auto', ...(ctx.revocationSource ? { revocationSource: ctx.revocationSource } : {}) });
  if (verdict.error || verdict.signers.length !== 1) throw new KenseError('SIGNATURE_NOT_ACCEPTED', { reasons: verdict.error ? [verdict.error.reason] : ['signers'], signers: verdict.signers.length });
  const s = verdict.signers[0];
  const blocking = s.reasons.filter((r) => r !== 'REVOCATION_UNKNOWN');
  if (blocking.length > 0 || !s.certificate) throw new KenseError(errorForReasons(blocking.length ? blocking : ['NO_SIGNER_CERT']), { reasons: s.reasons });
  if (!verdict.detached && verdict.content && Buffer.compare(Buffer.from(verdict.content), Buffer.from(data)) !== 0) {
    throw new KenseError('SIGNATURE_NOT_ACCEPTED', { reason: 'the signed content is not the document’s canonical bytes' });
  }
  const cert = s.certificate;
  if (ctx.compromised(normalizeSerial(cert.serialNumber))) throw new KenseError('CERT_COMPROMISED', { serial: normalizeSerial(cert.serialNumber) });
  const decision = signingDecision({ cert, user: party.user, company: party.company, doc });
  if (!decision.ok) throw new KenseError(decision.code, { certIin: cert.iin ?? null, certBin: cert.bin ?? null, certRoles: cert.roles });
  const next = s.revocation.nextUpdate;
  return {
    certificate: cert,
    role: decision.role,
    signingTime: s.signingTime ?? ctx.now,
    revocationStale: next !== undefined && next.getTime() < ctx.now.getTime(),
    revocationStatus: s.revocation.status,
  };
}
