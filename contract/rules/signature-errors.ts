// Which error a failed signature verdict is, by its reasons (native-bridge/pki VerificationReason), in the order
// the user should fix them. Shared by the cloud (checking what it receives) and core (checking what a signer returned).
import type { ErrorCode } from '../errors';

const CMS_PROBLEMS = ['MALFORMED', 'DIGEST_MISMATCH', 'BAD_SIGNATURE', 'ESS_CERT_MISMATCH', 'NO_SIGNER_CERT', 'CONTENT_TYPE_MISMATCH', 'DETACHED_DATA_MISSING', 'UNSUPPORTED_ALGORITHM', 'TIMESTAMP_INVALID'];

/** The first reason that explains a failed verdict, as the user-facing code. */
export function errorForReasons(reasons: readonly string[]): ErrorCode {
  if (reasons.some((r) => CMS_PROBLEMS.includes(r))) return 'CMS_INVALID';
  if (reasons.includes('UNTRUSTED_CHAIN') || reasons.includes('TRUST_STORE_EMPTY')) return 'CERT_UNTRUSTED';
  if (reasons.includes('CERT_REVOKED')) return 'CERT_REVOKED';
  if (reasons.includes('CERT_EXPIRED') || reasons.includes('CERT_NOT_YET_VALID')) return 'CERT_EXPIRED';
  if (reasons.includes('KEY_USAGE_NOT_ALLOWED')) return 'CERT_KEY_USAGE';
  if (reasons.includes('REVOCATION_UNKNOWN')) return 'CERT_REVOCATION_UNKNOWN';
  return 'CMS_INVALID';
}
