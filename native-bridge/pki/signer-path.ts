// A signer's certificate path with revocation evidence gathered on the way: the path is built first,
// and only a path that ends at a trust anchor has its CRLs/OCSP fetched (the URLs are then ones a
// trusted CA wrote; a stranger's certificate makes us fetch nothing). Shared by CMS and XML verification.
import { type PathValidationOptions, type PathValidationResult, validateCertificatePath } from './chain';
import type { RevocationSource } from './revocation-source';
import type { KzCertificate } from './types';

export interface SignerPathOptions extends PathValidationOptions {
  /** Fetches and keeps CRLs/OCSP answers the certificate names (see revocation-source.ts). */
  revocationSource?: RevocationSource;
}

export async function validateSignerPath(cert: KzCertificate, opts: SignerPathOptions): Promise<PathValidationResult> {
  const mode = opts.revocation ?? 'auto';
  const source = opts.revocationSource;
  if (!source || mode === 'none') return validateCertificatePath(cert, opts);
  const first = validateCertificatePath(cert, { ...opts, revocation: 'none' });
  const issuer = first.chain[1];
  if (!first.trusted || !issuer) {
    const r = validateCertificatePath(cert, opts);
    // Without an issuer checkRevocation already says so; with one, say why nothing was fetched.
    return issuer ? { ...r, problems: [...r.problems, 'revocation data not fetched: the certificate does not chain to a trust anchor'] } : r;
  }
  const ev = await source.evidenceFor(cert, issuer, { mode, have: opts.crls });
  const r = validateCertificatePath(cert, { ...opts, crls: [...(opts.crls ?? []), ...ev.crls], ocspResponses: [...(opts.ocspResponses ?? []), ...ev.ocspResponses] });
  return { ...r, problems: [...ev.notes, ...r.problems] };
}
