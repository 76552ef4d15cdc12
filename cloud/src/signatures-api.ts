// The contract of the one module that checks signatures (signatures.ts): what the rest of the server needs.
import type { KzCertificate, TimestampVerdict } from '../../native-bridge/pki/types';

export interface VerifiedSignature {
  certificate: KzCertificate;
  /** The signed content (attached CMS) or the data it was checked against (detached). */
  content: Uint8Array;
  signingTime: Date | null;
  cmsSha256: string;
  /** The CMS's own signature timestamp (CAdES-T), as judged: valid, set aside (its TSA not trusted) or none. */
  timestamp: TimestampVerdict | null;
}

export interface SignatureService {
  /** A CMS over a login nonce: trusted chain, valid now, not revoked (as configured), key may authenticate. Throws KenseError. */
  verifyLogin(cms: Uint8Array): Promise<VerifiedSignature>;
  /** A CMS over exactly `data` (attached with identical content, or detached): chain, validity, revocation, key may sign. Throws KenseError. */
  verifyDocument(cms: Uint8Array, data: Uint8Array): Promise<VerifiedSignature>;
  /** The timestamp a CAdES-T carries, judged with the TSAs trusted here (and the server's own test TSA). */
  timestampOf(cms: Uint8Array, data: Uint8Array): Promise<TimestampVerdict | null>;
}
