// The `Signer` interface over NCALayer. Nothing NCALayer returns is trusted: every CMS is verified
// against the document that was sent, every XML signature is verified and its document compared with
// the one sent, and the signer certificate is checked against the filter — before anything is returned.
import { KenseError } from '../../contract/errors';
import type { SignerKeySummary } from '../../contract/signing';
import { bytesEqual, verifyCms, type KzCertificate, type RevocationMode, type SignerVerdict, type TrustStore, type VerificationReason } from '../pki';
import { refuseUnfit } from '../signer/filter';
import type { CmsSignOptions, CmsSignResult, SignOptions, Signer, SignerDescription, XmlSignResult } from '../signer/types';
import { canonicalizeDocument } from '../xml/c14n';
import { allSignatures, verifyXml } from '../xml/dsig';
import { parseXml } from '../xml/parser';
import { NcaLayerClient, type NcaLayerClientOptions } from './client';

export interface NcaLayerSignerOptions extends NcaLayerClientOptions {
  /** Trust anchors for verifying what comes back (production НУЦ roots; the test roots in test mode). */
  trust: TrustStore;
  /** When the returned signatures are judged; default: now. */
  now?: () => Date;
  revocation?: RevocationMode;
  crls?: Uint8Array[];
  /**
   * 'refuse' (default): a signature whose certificate does not chain to `trust` is refused. 'accept': an
   * unknown chain (UNTRUSTED_CHAIN, TRUST_STORE_EMPTY) is left to the caller to report (`kense sign` prints
   * a warning); everything else — bad signature, expired, revoked, not for signing — is still refused.
   */
  unknownChain?: 'refuse' | 'accept';
}

const CHAIN_REASONS: ReadonlySet<VerificationReason> = new Set(['UNTRUSTED_CHAIN', 'TRUST_STORE_EMPTY']);

/** Reasons that mean the bytes are not a valid signature of our document by that key. */
const CRYPTO_REASONS: ReadonlySet<VerificationReason> = new Set([
  'MALFORMED',
  'DIGEST_MISMATCH',
  'BAD_SIGNATURE',
  'ESS_CERT_MISMATCH',
  'NO_SIGNER_CERT',
  'CONTENT_TYPE_MISMATCH',
  'DETACHED_DATA_MISSING',
  'UNSUPPORTED_ALGORITHM',
  'TIMESTAMP_INVALID',
]);

function refuse(index: number, reasons: VerificationReason[], extra: Record<string, unknown> = {}): never {
  const crypto = reasons.filter((r) => CRYPTO_REASONS.has(r));
  if (crypto.length > 0 || reasons.length === 0) throw new KenseError('NCALAYER_BAD_SIGNATURE', { index, reasons, ...extra });
  throw new KenseError('SIGNER_CERTIFICATE_NOT_VALID', { index, reasons, ...extra });
}

function sameSigner(a: KzCertificate, b: KzCertificate): boolean {
  return bytesEqual(a.der, b.der);
}

export class NcaLayerSigner implements Signer {
  readonly kind = 'ncalayer' as const;
  readonly client: NcaLayerClient;

  constructor(private readonly o: NcaLayerSignerOptions) {
    this.client = new NcaLayerClient(o);
  }

  async describe(): Promise<SignerDescription> {
    const p = await this.client.detectProduct();
    return {
      kind: 'ncalayer',
      detail: {
        url: this.client.url,
        product: p.product,
        version: p.version,
        ...(p.kaztoken ? { kaztokenVersion: p.kaztoken.version } : {}),
        tlsTrustedBy: this.client.connection.trustedBy,
      },
    };
  }

  /** NCALayer lists keys only inside its own dialog; nothing is known beforehand. */
  async listKeys(): Promise<SignerKeySummary[]> {
    return [];
  }

  /** The reasons that refuse a returned signature (all of them, unless an unknown chain is the caller's to report). */
  private judged(reasons: VerificationReason[]): VerificationReason[] {
    return this.o.unknownChain === 'accept' ? reasons.filter((r) => !CHAIN_REASONS.has(r)) : reasons;
  }

  private at(): Date {
    return this.o.now?.() ?? new Date();
  }

  async signCms(documents: Uint8Array[], options: CmsSignOptions): Promise<CmsSignResult> {
    if (documents.length === 0) throw new KenseError('INVALID_INPUT', { reason: 'no documents' });
    const r = await this.client.signCms(documents, { filter: options.filter, detached: options.detached, signal: options.signal, locale: options.locale });
    if (r.cms.length !== documents.length) throw new KenseError('NCALAYER_PROTOCOL_ERROR', { reason: 'signature count differs' });
    const at = this.at();
    const verdicts = await Promise.all(
      r.cms.map((cms, i) => verifyCms(cms, { data: documents[i], trust: this.o.trust, at, revocation: this.o.revocation ?? 'none', crls: this.o.crls })),
    );
    let certificate: KzCertificate | undefined;
    verdicts.forEach((v, i) => {
      if (v.error || v.signers.length !== 1) refuse(i, ['MALFORMED'], { signers: v.signers.length });
      const s = v.signers[0] as SignerVerdict;
      const reasons = this.judged(s.reasons);
      if (reasons.length) refuse(i, reasons);
      if (v.detached !== (options.detached === true)) throw new KenseError('NCALAYER_PROTOCOL_ERROR', { reason: 'attached/detached differs from the request', index: i });
      if (!v.detached && !(v.content && bytesEqual(v.content, documents[i]))) refuse(i, ['DIGEST_MISMATCH'], { problem: 'encapsulated content differs' });
      const c = s.certificate as KzCertificate;
      if (certificate && !sameSigner(certificate, c)) throw new KenseError('NCALAYER_PROTOCOL_ERROR', { reason: 'documents of one batch signed by different keys' });
      certificate = c;
    });
    refuseUnfit(certificate as KzCertificate, options.filter);
    return { signatures: r.cms, certificate: certificate as KzCertificate };
  }

  async signXml(documents: string[], options: SignOptions): Promise<XmlSignResult> {
    if (documents.length === 0) throw new KenseError('INVALID_INPUT', { reason: 'no documents' });
    // Our own documents must parse safely before they go anywhere.
    const originals = documents.map((d) => canonicalizeDocument(parseXml(d)));
    const r = await this.client.signXml(documents, { filter: options.filter, signal: options.signal, locale: options.locale });
    if (r.xml.length !== documents.length) throw new KenseError('NCALAYER_PROTOCOL_ERROR', { reason: 'signature count differs' });
    const at = this.at();
    let certificate: KzCertificate | undefined;
    for (let i = 0; i < r.xml.length; i++) {
      let signedDoc;
      try {
        signedDoc = parseXml(r.xml[i]);
      } catch (e) {
        throw new KenseError('NCALAYER_PROTOCOL_ERROR', { reason: 'signed XML does not parse', index: i }, { cause: e });
      }
      const newSigs = allSignatures(signedDoc.root);
      const before = allSignatures(parseXml(documents[i]).root).length;
      if (newSigs.length !== before + 1) refuse(i, ['MALFORMED'], { problem: 'expected exactly one new ds:Signature' });
      const own = newSigs[newSigs.length - 1];
      // The signed document must be the one we sent, plus the signature and nothing else.
      if (canonicalizeDocument(signedDoc, { exclude: own }) !== originals[i]) refuse(i, ['DIGEST_MISMATCH'], { problem: 'document differs from the one sent' });
      const v = await verifyXml(r.xml[i], { trust: this.o.trust, at, revocation: this.o.revocation ?? 'none', crls: this.o.crls });
      const s = v.signatures[v.signatures.length - 1];
      if (!s) refuse(i, ['MALFORMED']);
      const reasons = this.judged(s.reasons);
      if (reasons.length) refuse(i, reasons);
      const c = s.certificate as KzCertificate;
      if (certificate && !sameSigner(certificate, c)) throw new KenseError('NCALAYER_PROTOCOL_ERROR', { reason: 'documents of one batch signed by different keys' });
      certificate = c;
    }
    refuseUnfit(certificate as KzCertificate, options.filter);
    return { signed: r.xml, certificate: certificate as KzCertificate };
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
