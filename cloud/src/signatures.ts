// The one place where the server checks signatures (login CMS, document CMS) through native-bridge/pki:
// trust store by mode, revocation (CRL files from configuration, the test kit's CRL, and what certificates name —
// fetched, kept in the database, refreshed before their next update), verdict reasons mapped to the cloud's codes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as pki from '../../native-bridge/pki';
import type { Crl } from '../../native-bridge/pki/crl';
import type { Sourced } from '../../native-bridge/pki/revocation';
import type { RevocationStore } from '../../native-bridge/pki/revocation-store';
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
 * Reads CRLs and checks them against the certificates that may have issued them. The server's is its CRL worker
 * (crl-worker/): a 20 MB CRL is read and its signature hashed there, never on the thread that answers requests.
 */
export interface CrlReader {
  parse(bytes: Uint8Array, issuers: readonly KzCertificate[]): Promise<Crl>;
  parseFile(file: string, issuers: readonly KzCertificate[]): Promise<Crl>;
}

/** In this thread (tests, tools): the signature is checked when first asked (crlIssuedBy). */
const READ_HERE: CrlReader = {
  parse: async (bytes) => pki.parseCrl(bytes),
  parseFile: async (file) => pki.parseCrl(new Uint8Array(readFileSync(file))),
};

/** The configured CRL files, parsed once and labelled: the test kit's own CRL says so in verdicts. */
function configuredCrls(files: readonly string[], reader: CrlReader, issuers: readonly KzCertificate[]): Promise<Sourced<Crl>[]> {
  const shipped = new Set(pki.TEST_CRL_FILES.map((f) => path.resolve(f)));
  return Promise.all(files.map(async (f) => ({ evidence: await reader.parseFile(f, issuers), from: { origin: shipped.has(path.resolve(f)) ? 'shipped_test_crl' : 'file', file: f } }) as Sourced<Crl>));
}

/**
 * What the signer certificates name, fetched and kept in `store` (the server's database): CRLs, and OCSP answers
 * when the mode allows and no current CRL is at hand. None when revocation is not checked or nothing is kept.
 */
function revocationSource(config: Pick<CloudConfig, 'revocation'> & Partial<Pick<CloudConfig, 'revocationFetch'>>, clock: Clock, store: RevocationStore | undefined, reader: CrlReader): pki.RevocationSource | undefined {
  if (config.revocation === 'none' || !store) return undefined;
  const f = config.revocationFetch ?? { online: true, timeoutMs: 15_000, idleTimeoutMs: 5_000 };
  return new pki.RevocationSource({
    store, online: f.online, now: () => clock.now(), ocsp: config.revocation === 'crl' ? 'never' : 'fallback', parseCrl: (bytes, issuer) => reader.parse(bytes, [issuer]),
    limits: { timeoutMs: f.timeoutMs, idleTimeoutMs: f.idleTimeoutMs }, ...(f.resolveUrl ? { resolveUrl: f.resolveUrl } : {}),
  });
}

/**
 * `tsaAnchors`: roots trusted for timestamps besides the НУЦ ones (the server's own test TSA in the demo), asked on
 * each check (the test TSA is made on first use). `store`: where fetched CRLs/OCSP answers are kept (the server
 * passes its database); without one, only the configured CRL files speak.
 */
export function createSignatureService(
  config: Pick<CloudConfig, 'trust' | 'revocation' | 'crlFiles'> & Partial<Pick<CloudConfig, 'revocationFetch'>>,
  clock: Clock,
  tsaAnchors: () => KzCertificate[] = () => [],
  store?: RevocationStore,
  reader: CrlReader = READ_HERE,
): SignatureService {
  const trust = loadTrust(config.trust);
  // Read on first use, once (a НУЦ CRL is megabytes), checked against the CAs of the trust store that may have issued it.
  let crlsRead: Promise<Sourced<Crl>[]> | undefined;
  const crls = () => (crlsRead ??= configuredCrls(config.crlFiles, reader, [...trust.anchors, ...trust.intermediates]));
  const source = revocationSource(config, clock, store, reader);
  // Made now, with the trust store: checking the shipped roots' signatures is a few hundred milliseconds of one thread.
  const base = pki.timestampTrust(trust);
  const tsaTrust = (): TrustStore => {
    const extra = tsaAnchors();
    return extra.length ? { ...base, name: `${base.name}+server TSA`, anchors: [...base.anchors, ...extra] } : base;
  };
  const opts = async () => ({ trust, at: clock.now(), crls: await crls(), revocation: config.revocation, tsaTrust: tsaTrust(), ...(source ? { revocationSource: source } : {}) });

  return {
    async verifyLogin(cms): Promise<VerifiedSignature> {
      const verdict = await pki.verifyCms(cms, await opts());
      if (verdict.detached || !verdict.content) throw new KenseError('CMS_INVALID', { reason: 'the login signature must carry the challenge (attached CMS)' });
      const { certificate, signingTime, timestamp } = single(verdict);
      if (!certificate.canAuthenticate) throw new KenseError('CERT_KEY_USAGE', { reason: 'this key may not authenticate' });
      return { certificate, content: verdict.content, signingTime, cmsSha256: sha256Hex(cms), timestamp };
    },
    async verifyDocument(cms, data): Promise<VerifiedSignature> {
      const verdict = await pki.verifyCms(cms, { ...(await opts()), data });
      // An attached CMS must carry exactly the canonical bytes; nothing is normalised.
      if (!verdict.detached && (!verdict.content || !pki.bytesEqual(verdict.content, data))) {
        throw new KenseError('CMS_INVALID', { reason: 'the signed content is not the document’s canonical bytes' });
      }
      const { certificate, signingTime, timestamp } = single(verdict);
      if (!certificate.canSign) throw new KenseError('CERT_KEY_USAGE', { reason: 'this key may not sign documents' });
      return { certificate, content: data, signingTime, cmsSha256: sha256Hex(cms), timestamp };
    },
    async timestampOf(cms, data) {
      const verdict = await pki.verifyCms(cms, { trust, data, crls: await crls(), revocation: 'none', tsaTrust: tsaTrust() });
      return verdict.signers[0]?.timestamp ?? null;
    },
  };
}
