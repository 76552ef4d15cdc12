// The one place where the server checks signatures (login CMS, document CMS) through native-bridge/pki:
// trust store by mode, CRLs from configuration, verdict reasons mapped to the cloud's error codes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as pki from '../../native-bridge/pki';
import type { CmsVerdict, KzCertificate, TimestampVerdict, TrustStore } from '../../native-bridge/pki/types';
import { KenseError } from '../../contract/errors';
import { errorForReasons } from '../../contract/rules/signature-errors';
import type { CloudConfig, TrustMode } from './config';
import type { SignatureService, VerifiedSignature } from './signatures-api';
import { sha256Hex } from './canonical-json';
import type { Clock } from './clock';

// The resources folder is found the PKI layer's way (repository, bundle, or KENSE_RESOURCES when packaged).
export const TEST_PKI_DIR = path.join(pki.resourcesDir(), 'test-pki');
/** The test CRL the demo loads (lists every revoked certificate of the GOST-2022 test kit). */
export const TEST_CRL = path.join(TEST_PKI_DIR, 'gost2022-test/ca/nca_gost2022_test.crl');

/**
 * Trusted roots: the shipped production НУЦ РК CAs, or the test CAs of resources/test-pki (never in
 * production). The server does not read the OS certificate store: it trusts exactly what it ships.
 */
export function loadTrust(mode: TrustMode): TrustStore {
  return pki.loadTrustStore(mode, { osStore: false });
}

/** The first reason that explains a failed verdict, as the user-facing code (shared with core: contract/rules). */
export { errorForReasons };

function single(verdict: CmsVerdict): { certificate: KzCertificate; signingTime: Date | null; timestamp: TimestampVerdict | null } {
  if (verdict.error || verdict.signers.length === 0) throw new KenseError('CMS_INVALID', { reasons: ['MALFORMED'] });
  if (verdict.signers.length !== 1) throw new KenseError('CMS_INVALID', { reason: 'exactly one signer expected', signers: verdict.signers.length });
  const s = verdict.signers[0];
  if (!verdict.valid || !s.valid) throw new KenseError(errorForReasons(s.reasons), { reasons: s.reasons });
  if (!s.certificate) throw new KenseError('CMS_INVALID', { reasons: ['NO_SIGNER_CERT'] });
  return { certificate: s.certificate, signingTime: s.signingTime ?? null, timestamp: s.timestamp ?? null };
}

/**
 * `tsaAnchors`: roots trusted for timestamps besides the НУЦ ones (the server's own test TSA in the demo), asked on
 * each check (the test TSA is made on first use).
 */
export function createSignatureService(config: Pick<CloudConfig, 'trust' | 'revocation' | 'crlFiles'>, clock: Clock, tsaAnchors: () => KzCertificate[] = () => []): SignatureService {
  const trust = loadTrust(config.trust);
  // Loaded once: the PKI layer caches parsed CRLs by buffer identity.
  const crls = config.crlFiles.map((f) => new Uint8Array(readFileSync(f)));
  const tsaTrust = (): TrustStore => {
    const base = pki.timestampTrust(trust);
    const extra = tsaAnchors();
    return extra.length ? { ...base, name: `${base.name}+server TSA`, anchors: [...base.anchors, ...extra] } : base;
  };
  const opts = () => ({ trust, at: clock.now(), crls, revocation: config.revocation, tsaTrust: tsaTrust() });

  return {
    async verifyLogin(cms): Promise<VerifiedSignature> {
      const verdict = await pki.verifyCms(cms, opts());
      if (verdict.detached || !verdict.content) throw new KenseError('CMS_INVALID', { reason: 'the login signature must carry the challenge (attached CMS)' });
      const { certificate, signingTime, timestamp } = single(verdict);
      if (!certificate.canAuthenticate) throw new KenseError('CERT_KEY_USAGE', { reason: 'this key may not authenticate' });
      return { certificate, content: verdict.content, signingTime, cmsSha256: sha256Hex(cms), timestamp };
    },
    async verifyDocument(cms, data): Promise<VerifiedSignature> {
      const verdict = await pki.verifyCms(cms, { ...opts(), data });
      // An attached CMS must carry exactly the canonical bytes; nothing is normalised.
      if (!verdict.detached && (!verdict.content || !pki.bytesEqual(verdict.content, data))) {
        throw new KenseError('CMS_INVALID', { reason: 'the signed content is not the document’s canonical bytes' });
      }
      const { certificate, signingTime, timestamp } = single(verdict);
      if (!certificate.canSign) throw new KenseError('CERT_KEY_USAGE', { reason: 'this key may not sign documents' });
      return { certificate, content: data, signingTime, cmsSha256: sha256Hex(cms), timestamp };
    },
    async timestampOf(cms, data) {
      const verdict = await pki.verifyCms(cms, { trust, data, crls, revocation: 'none', tsaTrust: tsaTrust() });
      return verdict.signers[0]?.timestamp ?? null;
    },
  };
}
