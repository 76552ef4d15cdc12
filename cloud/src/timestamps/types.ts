// What the rest of the server sees of the timestamp service (a leaf module: types only).
import type { KzCertificate } from '../../../native-bridge/pki/types';
import type { TimestampAuthority } from '../../../contract/cloud/timestamps';

export interface TimestampService {
  /** A TSA is configured: signatures without a timestamp are kept `pending` and stamped. */
  readonly enabled: boolean;
  authority(): Promise<TimestampAuthority>;
  /**
   * Stamps the pending signatures that are due (of one company, or all), each with its own TSA exchange; a TSA that
   * fails leaves the signature pending with a later retry. Never throws.
   */
  stampPending(o?: { companyId?: string }): Promise<{ stamped: number; failed: number }>;
  /** Roots to trust for timestamps besides the НУЦ ones: the built-in test TSA's, once made. */
  tsaAnchors(): KzCertificate[];
  /** The built-in test TSA's RFC 3161 answer (only when it runs). */
  answerQuery?(query: Uint8Array): Promise<Uint8Array>;
  close(): void;
}
