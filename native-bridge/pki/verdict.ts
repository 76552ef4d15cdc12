// A signer's verdict as ETSI EN 319 102-1 (validation of AdES signatures) states it: `valid` (TOTAL-PASSED),
// `invalid` (TOTAL-FAILED) or `indeterminate` (INDETERMINATE), with the sub-indication that decided it. Shared by
// CMS and XML verification; the reasons stay as they are (every consumer's refusals key on them), this only
// names the outcome.
//
// INVALID is kept for what is *proven* wrong:
//   FORMAT_FAILURE      the structure, the signed content type, or a timestamp in it is broken
//   HASH_FAILURE        the document (or the certificate the ESS attribute names) differs from what was signed
//   SIG_CRYPTO_FAILURE  the signature value does not verify with the certificate
//   REVOKED / EXPIRED   made after the revocation / the expiry, with proof of it (below)
//   NOT_YET_VALID       judged at a time before the certificate was issued
// INDETERMINATE is what the evidence at hand cannot settle either way:
//   NO_SIGNING_CERTIFICATE_FOUND, SIGNED_DATA_NOT_FOUND (detached, no document given),
//   CRYPTO_CONSTRAINTS_FAILURE (an algorithm kense does not support),
//   NO_CERTIFICATE_CHAIN_FOUND (no path to a trust anchor, or an empty store),
//   CHAIN_CONSTRAINTS_FAILURE (a path exists but a CA breaks the rules, or the key is not for signing),
//   REVOKED_NO_POE (revoked, nothing proves the signature came first),
//   OUT_OF_BOUNDS_NO_POE / OUT_OF_BOUNDS_NOT_REVOKED (expired at the time judged at, no proof of existence before
//   the expiry; _NOT_REVOKED when revocation data says it was not revoked), TRY_LATER (revocation unknown).
// TOTAL-FAILED wins over INDETERMINATE (ETSI: a cryptographic failure decides whatever the chain says); a chain that
// cannot be confirmed comes before the certificate's own dates and revocation, which only a trusted chain vouches for.
//
// Proof that a signature was made after a moment t (ETSI: "proof that the signature has been created after the
// revocation time / the expiration date"): a verified timestamp after t *and* the signer's own signed signing time
// after t. The timestamp alone only bounds the signature from above — a signature made earlier and stamped later
// keeps its earlier signing time and stays INDETERMINATE; the signing time alone is an unconfirmed claim.
import type { KzCertificate, SignerVerdict, SubIndication, VerdictStatus, VerificationReason } from './types';

export interface VerdictFacts {
  reasons: readonly VerificationReason[];
  certificate?: KzCertificate;
  /** The signer's own signing time (signed attribute; XMLDSig has none). */
  signingTime?: Date;
  /** A verified timestamp's time; a set-aside one proves nothing and is not here. */
  timestampTime?: Date;
  revocation: SignerVerdict['revocation'];
  /** A path to a trust anchor was built (validateCertificatePath's chainFound). */
  chainFound: boolean;
}

export interface Judgement {
  valid: boolean;
  status: VerdictStatus;
  subIndication?: SubIndication;
}

/** Proven failures of the signature itself, first match decides. */
const FAILED: readonly (readonly [VerificationReason, SubIndication])[] = [
  ['MALFORMED', 'FORMAT_FAILURE'],
  ['CONTENT_TYPE_MISMATCH', 'FORMAT_FAILURE'],
  ['TIMESTAMP_INVALID', 'FORMAT_FAILURE'],
  ['DIGEST_MISMATCH', 'HASH_FAILURE'],
  ['ESS_CERT_MISMATCH', 'HASH_FAILURE'],
  ['BAD_SIGNATURE', 'SIG_CRYPTO_FAILURE'],
];

/** The signature was made after `t`, as far as a trusted timestamp and the signer's own claim both say. */
function madeAfter(f: VerdictFacts, t: Date | undefined): boolean {
  if (!t || !f.timestampTime || !f.signingTime) return false;
  return f.timestampTime.getTime() > t.getTime() && f.signingTime.getTime() >= t.getTime();
}

export function judgeSigner(f: VerdictFacts): Judgement {
  const has = (r: VerificationReason) => f.reasons.includes(r);
  if (f.reasons.length === 0) return { valid: true, status: 'valid' };
  const failed = (subIndication: SubIndication): Judgement => ({ valid: false, status: 'invalid', subIndication });
  const unsure = (subIndication: SubIndication): Judgement => ({ valid: false, status: 'indeterminate', subIndication });

  for (const [reason, sub] of FAILED) if (has(reason)) return failed(sub);
  const chainConfirmed = !has('UNTRUSTED_CHAIN') && !has('TRUST_STORE_EMPTY');
  if (chainConfirmed) {
    if (has('CERT_REVOKED') && madeAfter(f, f.revocation.revokedAt)) return failed('REVOKED');
    if (has('CERT_NOT_YET_VALID')) return failed('NOT_YET_VALID');
    if (has('CERT_EXPIRED') && madeAfter(f, f.certificate?.notAfter)) return failed('EXPIRED');
  }
  if (has('NO_SIGNER_CERT')) return unsure('NO_SIGNING_CERTIFICATE_FOUND');
  if (has('DETACHED_DATA_MISSING')) return unsure('SIGNED_DATA_NOT_FOUND');
  if (has('UNSUPPORTED_ALGORITHM')) return unsure('CRYPTO_CONSTRAINTS_FAILURE');
  if (has('TRUST_STORE_EMPTY')) return unsure('NO_CERTIFICATE_CHAIN_FOUND');
  if (has('UNTRUSTED_CHAIN')) return unsure(f.chainFound ? 'CHAIN_CONSTRAINTS_FAILURE' : 'NO_CERTIFICATE_CHAIN_FOUND');
  if (has('KEY_USAGE_NOT_ALLOWED')) return unsure('CHAIN_CONSTRAINTS_FAILURE');
  if (has('CERT_REVOKED')) return unsure('REVOKED_NO_POE');
  if (has('CERT_EXPIRED')) return unsure(f.revocation.status === 'good' ? 'OUT_OF_BOUNDS_NOT_REVOKED' : 'OUT_OF_BOUNDS_NO_POE');
  // Not yet valid under a chain that could not be confirmed is decided by the chain above; here only REVOCATION_UNKNOWN is left.
  if (has('REVOCATION_UNKNOWN')) return unsure('TRY_LATER');
  return failed('FORMAT_FAILURE'); // a reason this table does not know: not confirmed as valid, never silently passed
}

/** Sets `valid`, `status` and `subIndication` of a verdict whose reasons, times and revocation are final. */
export function settleVerdict(v: SignerVerdict, chainFound: boolean): void {
  const j = judgeSigner({ reasons: v.reasons, certificate: v.certificate, signingTime: v.signingTime, timestampTime: v.timestampTime, revocation: v.revocation, chainFound });
  v.valid = j.valid;
  v.status = j.status;
  if (j.subIndication) v.subIndication = j.subIndication;
  else delete v.subIndication;
}

/** A file's verdict from its signers': INVALID when one is (or nothing could be read), else INDETERMINATE when one is, else VALID. */
export function overallStatus(signers: readonly { status: VerdictStatus }[], unreadable = false): VerdictStatus {
  if (unreadable || signers.length === 0) return 'invalid';
  return signers.some((s) => s.status === 'invalid') ? 'invalid' : signers.some((s) => s.status === 'indeterminate') ? 'indeterminate' : 'valid';
}
