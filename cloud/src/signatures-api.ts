// The contract of the one module that checks signatures (signatures.ts): what the rest of the server needs.
import type { KzCertificate } from '../../native-bridge/pki/types';

export interface VerifiedSignature {
  certificate: KzCertificate;
  /** The signed content (attached CMS) or the data it was checked against (detached). */
  content: Uint8Array;
  signingTime: Date | null;
  cmsSha256: string;
}

export interface SignatureService {
  /** A CMS over a login nonce: trusted chain, valid now, not revoked (as configured), key may authenticate. Throws KenseError. */
  verifyLogin(cms: Uint8Array): Promise<VerifiedSignature>;
  /** A CMS over exactly `data` (attached with identical content, or detached): chain, validity, revocation, key may sign. Throws KenseError. */
  verifyDocument(cms: Uint8Array, data: Uint8Array): Promise<VerifiedSignature>;
}
