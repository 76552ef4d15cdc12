// CMS SignedData verification: a verdict per signer with machine-readable reasons, never an exception.
//
// Time of validation (`at`), when the caller gives none:
//   1. the genTime of a valid timestamp token from a trusted TSA — the only time a third party vouches for;
//   2. otherwise the signer's own signingTime attribute;
//   3. otherwise now.
// Why (2) and not "now": НУЦ РК certificates live one year and acts are kept for years, so judging
// at "now" would turn every act older than its signer's certificate into "expired". The price is
// that signingTime is asserted by the signer, so a holder of a revoked key could backdate: with (2),
// a revocation dated any time up to now still counts (nothing shows the signature came first). The
// verdict says which time was used (validationTime/validationTimeSource). The places that know when
// a signature really arrived (core right after signing, the cloud on sync) pass that moment as `at`;
// the CLI's --at overrides everything.
//
// What the reasons add up to — VALID, INVALID (proven wrong) or INDETERMINATE (not confirmed), with the
// ETSI EN 319 102-1 sub-indication — is decided in verdict.ts: an expired or revoked certificate without
// proof that the signature came after it, or a chain that does not reach a trust anchor, is INDETERMINATE.
import { KenseError } from '../../contract/errors';
import { Asn1Error, bytesEqual } from './der';
import {
  CmsFormatError, attrContentType, attrMessageDigest, attrSigningCertificate, attrSigningTime, parseCms,
  type CmsSignedData, type CmsSignerInfo, type SignerIdentifier,
} from './cms-parse';
import { parseTimestampToken, imprintMatches } from './tsp';
import { certificateParts, parseCertificate } from './certificate';
import { digestBytes, verifySignedBytes } from './signatures';
import { validateCertificatePath } from './chain';
import type { RevocationEvidence, RevocationMode } from './revocation';
import type { RevocationSource } from './revocation-source';
import { validateSignerPath } from './signer-path';
import { isEmpty, timestampTrust } from './trust';
import { settleVerdict } from './verdict';
import { CMS, EKU, ESS, EXT, KZ_GOST, RSA, SHA } from './oids';
import type { CmsVerdict, KzCertificate, SignerVerdict, TimestampVerdict, TrustStore, ValidationTimeSource, VerificationReason } from './types';

export interface VerifyCmsOptions {
  /** The signed document, for a detached CMS (ignored-but-compared for an attached one). */
  data?: Uint8Array;
  /** A ready hash of the detached document, made with the signer's digest algorithm. */
  digest?: Uint8Array;
  trust: TrustStore;
  /**
   * What a timestamp's TSA is chained against. Default: `trust` plus the shipped production CAs (the НУЦ
   * timestamp service has a production certificate whatever key it stamps; see trust.ts timestampTrust).
   */
  tsaTrust?: TrustStore;
  at?: Date;
  /** DER (or already parsed, to parse a 20 MB CRL once) CRLs and OCSP responses to judge revocation by. */
  crls?: RevocationEvidence['crls'];
  ocspResponses?: RevocationEvidence['ocspResponses'];
  /** Default 'auto': use what is given; 'crl'/'ocsp'/'crl-or-ocsp' make missing evidence a REVOCATION_UNKNOWN. */
  revocation?: RevocationMode;
  /** Fetches (and keeps) the CRLs/OCSP answers signer certificates name, beside `crls`/`ocspResponses`. */
  revocationSource?: RevocationSource;
}

/** Verifies every signer. Bad input gives `{ valid:false, signers:[], error:{ reason:'MALFORMED' } }`. */
export async function verifyCms(cms: Uint8Array | string, opts: VerifyCmsOptions): Promise<CmsVerdict> {
  let parsed: CmsSignedData;
  try {
    parsed = parseCms(cms);
  } catch (e) {
    return malformed(e);
  }
  if (parsed.signerInfos.length === 0) return malformed(new CmsFormatError('the CMS has no signers'));
  // RFC 5652 §5.1 fixes the version from the content; a wrong one means the envelope was edited.
  const expectedVersion = parsed.contentType === CMS.data && parsed.signerInfos.every((si) => si.version === 1) ? 1 : 3;
  if (parsed.version !== expectedVersion) return malformed(new CmsFormatError(`SignedData version ${parsed.version}, expected ${expectedVersion}`));
  const certificates = parseCertificates(parsed.certificates);
  const signers: SignerVerdict[] = [];
  for (const si of parsed.signerInfos) {
    try {
      signers.push(await verifySigner(parsed, si, certificates, opts));
    } catch (e) {
      // Anything unexpected inside one signer (an attribute we cannot read) fails that signer only.
      const failed: SignerVerdict = { ...emptyVerdict(si), reasons: [reasonOf(e)] };
      settleVerdict(failed, false);
      signers.push(failed);
    }
  }
  return {
    valid: signers.every((s) => s.valid),
    detached: parsed.content === undefined,
    content: parsed.content,
    signers,
  };
}

function malformed(e: unknown): CmsVerdict {
  const message = e instanceof CmsFormatError ? e.message : e instanceof Error ? `unreadable CMS (${e.name})` : 'unreadable CMS';
  return { valid: false, detached: false, signers: [], error: { reason: 'MALFORMED', message } };
}

function reasonOf(e: unknown): VerificationReason {
  if (e instanceof KenseError && /ALGORITHM/.test(e.code)) return 'UNSUPPORTED_ALGORITHM';
  return 'MALFORMED';
}

function parseCertificates(ders: Uint8Array[]): KzCertificate[] {
  const out: KzCertificate[] = [];
  for (const der of ders) {
    try {
      out.push(parseCertificate(der));
    } catch {
      // An unreadable extra certificate is not fatal: the signer's own one may still be fine.
    }
  }
  return out;
}

function emptyVerdict(si: CmsSignerInfo): SignerVerdict {
  return {
    valid: false,
    status: 'invalid', // until settleVerdict
    reasons: [],
    digestAlgorithmOid: si.digestAlgorithm.oid,
    signatureAlgorithmOid: si.signatureAlgorithm.oid,
    chain: [],
    revocation: { status: 'not_checked' },
  };
}

/**
 * The certificate a SignerIdentifier names, among those carried in the CMS. The issuer must match
 * byte for byte: every producer we know (Kalkan, OpenSSL, us) copies it from the certificate, and a
 * lenient name comparison would let an edited identifier still point at the certificate.
 */
export function findSignerCertificate(sid: SignerIdentifier, certs: KzCertificate[]): KzCertificate | undefined {
  if (sid.type === 'subjectKeyIdentifier') {
    const hex = Buffer.from(sid.keyId).toString('hex');
    return certs.find((c) => c.subjectKeyId === hex);
  }
  const serial = stripZeros(sid.serial);
  return certs.find((c) => bytesEqual(c.issuerRaw, sid.issuerRaw) && bytesEqual(stripZeros(certificateParts(c).serialBytes), serial));
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/**
 * Producers put either the signature OID (Kalkan) or the bare key OID (OpenSSL) in
 * signatureAlgorithm; a key OID means "this key type with the signer's digest algorithm".
 */
const SIGNATURE_FOR_KEY: Record<string, Record<string, string>> = {
  [RSA.rsaEncryption]: { [SHA.sha256]: RSA.sha256WithRSAEncryption, [SHA.sha1]: RSA.sha1WithRSAEncryption, [SHA.sha384]: RSA.sha384WithRSAEncryption, [SHA.sha512]: RSA.sha512WithRSAEncryption },
  [KZ_GOST.gost2015_512Key]: { [KZ_GOST.gost34112015_512]: KZ_GOST.gost2015_512WithGost34112015_512 },
  [KZ_GOST.gost2015_256Key]: { [KZ_GOST.gost34112015_256]: KZ_GOST.gost2015_256WithGost34112015_256 },
  [KZ_GOST.gost34310_2004Key]: { [KZ_GOST.gost34311_95]: KZ_GOST.gost34311_95WithGost34310_2004 },
};

/** Digest each signature algorithm implies: the signer's digestAlgorithm must agree with it. */
const DIGEST_OF_SIGNATURE: Record<string, string> = {
  [RSA.sha256WithRSAEncryption]: SHA.sha256,
  [RSA.sha1WithRSAEncryption]: SHA.sha1,
  [RSA.sha384WithRSAEncryption]: SHA.sha384,
  [RSA.sha512WithRSAEncryption]: SHA.sha512,
  [KZ_GOST.gost2015_512WithGost34112015_512]: KZ_GOST.gost34112015_512,
  [KZ_GOST.gost2015_256WithGost34112015_256]: KZ_GOST.gost34112015_256,
  [KZ_GOST.gost34311_95WithGost34310_2004]: KZ_GOST.gost34311_95,
};

export function signatureAlgorithmOf(si: CmsSignerInfo): string | undefined {
  const declared = si.signatureAlgorithm.oid;
  const sig = SIGNATURE_FOR_KEY[declared]?.[si.digestAlgorithm.oid] ?? declared;
  return DIGEST_OF_SIGNATURE[sig] === si.digestAlgorithm.oid ? sig : undefined;
}

interface CoreResult {
  reasons: Set<VerificationReason>;
  certificate?: KzCertificate;
  signingTime?: Date;
  /** The signature over the signed attributes (or content) verified with the certificate's key. */
  signatureOk?: boolean;
}

/**
 * The cryptographic part shared by document signers and timestamp tokens: find the certificate,
 * check contentType, messageDigest, ESS certificate hash and the signature. No chain, no time.
 */
export function verifySignerCore(cms: CmsSignedData, si: CmsSignerInfo, certs: KzCertificate[], external?: { data?: Uint8Array; digest?: Uint8Array }): CoreResult {
  const reasons = new Set<VerificationReason>();
  if (!envelopeConsistent(cms, si)) reasons.add('MALFORMED');
  const certificate = findSignerCertificate(si.sid, certs);
  if (!certificate) {
    reasons.add('NO_SIGNER_CERT');
    return { reasons };
  }
  const sigOid = signatureAlgorithmOf(si);
  if (!sigOid) {
    reasons.add('UNSUPPORTED_ALGORITHM');
    return { reasons, certificate };
  }
  const content = cms.content ?? external?.data;
  const contentDigest = (): Uint8Array | undefined => (content ? digestBytes(si.digestAlgorithm.oid, content) : external?.digest);
  if (cms.content && external?.data && !bytesEqual(cms.content, external.data)) reasons.add('DIGEST_MISMATCH');

  if (!si.signedAttrs) {
    // Without signed attributes the signature is over the content itself (RFC 5652 §5.4).
    if (!content) reasons.add('DETACHED_DATA_MISSING');
    else if (!verifySignedBytes(certificate, sigOid, content, si.signature)) reasons.add('BAD_SIGNATURE');
    return { reasons, certificate, signatureOk: !reasons.has('BAD_SIGNATURE') && !reasons.has('DETACHED_DATA_MISSING') };
  }
  // The signature first: an attribute that is unreadable is then reported next to BAD_SIGNATURE, not instead of it.
  const signatureOk = verifySignedBytes(certificate, sigOid, si.signedAttrs.der, si.signature);
  if (!signatureOk) reasons.add('BAD_SIGNATURE');
  const attrs = si.signedAttrs.attributes;
  const read = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof CmsFormatError || e instanceof Asn1Error)) throw e;
      reasons.add('MALFORMED');
      return undefined;
    }
  };
  if (read(() => attrContentType(attrs)) !== cms.contentType) reasons.add('CONTENT_TYPE_MISMATCH');
  const md = read(() => attrMessageDigest(attrs));
  const actual = contentDigest();
  if (!actual) reasons.add('DETACHED_DATA_MISSING');
  else if (!md || !bytesEqual(md, actual)) reasons.add('DIGEST_MISMATCH');
  const ess = read(() => attrSigningCertificate(attrs));
  if (ess) {
    const hashOk = bytesEqual(digestBytes(ess.hashAlgorithmOid, certificate.der), ess.certHash);
    const serialOk = !ess.issuerSerial || bytesEqual(stripZeros(ess.issuerSerial.serial), stripZeros(certificateParts(certificate).serialBytes));
    if (!hashOk || !serialOk) reasons.add('ESS_CERT_MISMATCH');
  }
  // A signing time is the signer's claim; it means something only under a signature that verified.
  return { reasons, certificate, signingTime: read(() => attrSigningTime(attrs)), signatureOk };
}

const isNullOrAbsent = (params?: Uint8Array): boolean => params === undefined || (params.length === 2 && params[0] === 0x05 && params[1] === 0);

/**
 * The parts of the envelope the signature does not cover must still agree with what it does cover:
 * SignerInfo version vs identifier type, the signer's digest listed in SignedData, and NULL/absent
 * parameters (the only ones RSA PKCS#1 v1.5, SHA-2 and the GOST algorithms have).
 */
function envelopeConsistent(cms: CmsSignedData, si: CmsSignerInfo): boolean {
  if (si.version !== (si.sid.type === 'issuerAndSerialNumber' ? 1 : 3)) return false;
  if (!cms.digestAlgorithms.some((a) => a.oid === si.digestAlgorithm.oid)) return false;
  return [...cms.digestAlgorithms, si.digestAlgorithm, si.signatureAlgorithm].every((a) => isNullOrAbsent(a.params));
}


async function verifySigner(cms: CmsSignedData, si: CmsSignerInfo, certs: KzCertificate[], opts: VerifyCmsOptions): Promise<SignerVerdict> {
  const verdict = emptyVerdict(si);
  const core = verifySignerCore(cms, si, certs, { data: opts.data, digest: opts.digest });
  const reasons = core.reasons;
  verdict.certificate = core.certificate;
  verdict.signingTime = core.signingTime;

  const token = si.unsignedAttrs.find((a) => a.oid === ESS.signatureTimeStampToken);
  const notes: string[] = [];
  if (token) {
    // ETSI EN 319 102-1: a broken timestamp, or one over another signature, makes the signature INVALID;
    // one whose TSA cannot be trusted proves nothing and is set aside — the signer is judged without it.
    const ts = await verifyTimestamp(token.values[0]?.raw, si.signature, opts);
    verdict.timestamp = ts;
    if (ts.status === 'valid') verdict.timestampTime = ts.time;
    else if (ts.status === 'invalid') reasons.add('TIMESTAMP_INVALID');
    else notes.push(`timestamp set aside${ts.tsa ? ` (TSA «${ts.tsa}»)` : ''}: ${ts.reason}`);
  }
  const certificate = core.certificate;
  let chainFound = false;
  if (certificate) {
    // See the file header for the order; an unverified signing time is never used.
    const now = new Date();
    const [at, source]: [Date, ValidationTimeSource] = opts.at
      ? [opts.at, 'given']
      : verdict.timestampTime
        ? [verdict.timestampTime, 'timestamp']
        : core.signatureOk && verdict.signingTime
          ? [verdict.signingTime, 'signing_time']
          : [now, 'now'];
    verdict.validationTime = at;
    verdict.validationTimeSource = source;
    if (certificate.keyUsage.length > 0 && !certificate.keyUsage.some((u) => u === 'digitalSignature' || u === 'nonRepudiation')) reasons.add('KEY_USAGE_NOT_ALLOWED');
    if (isEmpty(opts.trust)) reasons.add('TRUST_STORE_EMPTY');
    const path = await validateSignerPath(certificate, {
      trust: opts.trust,
      extraCerts: certs,
      at,
      revokedUntil: source === 'signing_time' ? now : undefined,
      crls: opts.crls,
      ocspResponses: opts.ocspResponses,
      revocation: opts.revocation,
      revocationSource: opts.revocationSource,
    });
    verdict.chain = path.chain;
    verdict.revocation = path.revocation;
    chainFound = path.chainFound;
    notes.push(...path.problems);
    for (const r of path.reasons) reasons.add(r);
    // An empty store is its own, plainer message; "untrusted" would suggest a forged signature.
    if (reasons.has('TRUST_STORE_EMPTY')) reasons.delete('UNTRUSTED_CHAIN');
  }
  if (notes.length) verdict.problems = [...new Set(notes)];
  verdict.reasons = [...reasons];
  settleVerdict(verdict, chainFound);
  return verdict;
}

/** Clock skew tolerated for a timestamp that claims a time after ours. */
const TIMESTAMP_SKEW_MS = 5 * 60_000;

const nameOf = (c: KzCertificate) => c.commonName ?? c.subjectDn;

/**
 * A signature timestamp: well-formed, signed by its TSA, over this signature value, TSA certificate for
 * timeStamping only (critical EKU, RFC 3161 §2.3) — otherwise `invalid`; the TSA chained to trust at
 * genTime — otherwise `set_aside`, saying which TSA and why.
 */
async function verifyTimestamp(tokenDer: Uint8Array | undefined, signatureValue: Uint8Array, opts: VerifyCmsOptions): Promise<TimestampVerdict> {
  if (!tokenDer) return { status: 'invalid', reason: 'the timestamp attribute is empty' };
  let cms: CmsSignedData;
  let tstInfo;
  try {
    ({ cms, tstInfo } = parseTimestampToken(tokenDer));
  } catch (e) {
    return { status: 'invalid', reason: `unreadable timestamp token (${e instanceof CmsFormatError ? e.message : 'bad structure'})` };
  }
  const time = tstInfo.genTime;
  if (cms.signerInfos.length !== 1) return { status: 'invalid', time, reason: `a timestamp token has one signer, this one has ${cms.signerInfos.length}` };
  const certs = parseCertificates(cms.certificates);
  let core: CoreResult;
  try {
    core = verifySignerCore(cms, cms.signerInfos[0], certs);
  } catch (e) {
    return { status: 'invalid', time, reason: `unreadable timestamp signer (${reasonOf(e)})` };
  }
  const tsaCert = core.certificate;
  if (!tsaCert) return { status: 'set_aside', time, reason: 'the token does not carry the TSA certificate, so it cannot be checked' };
  const tsa = nameOf(tsaCert);
  if (core.reasons.has('UNSUPPORTED_ALGORITHM')) return { status: 'set_aside', time, tsa, reason: 'the token uses an algorithm kense does not support' };
  if (core.reasons.size > 0) return { status: 'invalid', time, tsa, reason: `the token itself is not intact (${[...core.reasons].join(', ')})` };
  let imprintOk: boolean;
  try {
    imprintOk = imprintMatches(tstInfo, signatureValue);
  } catch {
    return { status: 'set_aside', time, tsa, reason: `the imprint hash ${tstInfo.imprintAlgorithmOid} is not supported` };
  }
  if (!imprintOk) return { status: 'invalid', time, tsa, reason: 'the token stamps another signature value (message imprint differs)' };
  const ekuExt = certificateParts(tsaCert).extensions.find((e) => e.oid === EXT.extKeyUsage);
  if (!tsaCert.ekuOids.includes(EKU.timeStamping) || tsaCert.ekuOids.length !== 1) return { status: 'invalid', time, tsa, reason: 'the TSA certificate is not for timestamping only (extendedKeyUsage must be timeStamping alone)' };
  if (!ekuExt?.critical) return { status: 'invalid', time, tsa, reason: 'the TSA certificate\'s extendedKeyUsage is not marked critical (RFC 3161 §2.3)' };
  if (time.getTime() > Date.now() + TIMESTAMP_SKEW_MS) return { status: 'set_aside', time, tsa, reason: `its time ${time.toISOString()} is in the future` };
  const trust = opts.tsaTrust ?? timestampTrust(opts.trust);
  const path = await validateCertificatePath(tsaCert, { trust, extraCerts: certs, at: time, revocation: 'none' });
  if (path.reasons.length > 0) return { status: 'set_aside', time, tsa, reason: `the TSA cannot be trusted at ${time.toISOString()} (${path.reasons.join(', ')}: ${path.problems.join('; ') || 'no path to a trust anchor'})` };
  return { status: 'valid', time, tsa };
}
