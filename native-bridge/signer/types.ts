// The one signing interface core uses, whether NCALayer or the bundled .p12 signer does the work.
import type { Locale } from '../../contract/errors';
import type { SignerFilter, SignerKind, SignerKeySummary } from '../../contract/signing';
import type { KzCertificate } from '../pki';

export interface SignOptions {
  /** Which keys may be used; the certificate that signed is checked against it in every case. */
  filter: SignerFilter;
  /** Cancels waiting for the user (key dialog, password) or for NCALayer. */
  signal?: AbortSignal;
  locale?: Locale;
}

export interface CmsSignOptions extends SignOptions {
  /** Leave the document out of the CMS. */
  detached?: boolean;
}

export interface CmsSignResult {
  /** DER CMS, one per document, in the order given. */
  signatures: Uint8Array[];
  certificate: KzCertificate;
}

export interface XmlSignResult {
  /** The documents with an enveloped ds:Signature, in the order given. */
  signed: string[];
  certificate: KzCertificate;
}

export interface SignerDescription {
  kind: SignerKind;
  /** NCALayer: its URL, greeting version, product (NCALayer/KAZTOKEN). Bundled: the key path. */
  detail: Record<string, string | boolean | undefined>;
}

/**
 * A place where the user's key signs. Batch calls take one key choice and one password entry for all
 * documents. Every failure is a KenseError (SIGN_CANCELLED when the user backs out).
 */
export interface Signer {
  readonly kind: SignerKind;
  describe(): Promise<SignerDescription>;
  /** Keys known without asking the user anything (may be empty: NCALayer shows its own dialog). */
  listKeys(filter?: SignerFilter): Promise<SignerKeySummary[]>;
  signCms(documents: Uint8Array[], options: CmsSignOptions): Promise<CmsSignResult>;
  signXml(documents: string[], options: SignOptions): Promise<XmlSignResult>;
  close(): Promise<void>;
}
