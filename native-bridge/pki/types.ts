// Public types of the Kazakh PKI layer: the certificate model, key handles and verification verdicts.
// Other layers (ncalayer, signer, cloud, core) code against these; change them on purpose.
import type { VerificationReasonCode, VerificationSubIndication } from '../../contract/errors/pki';

export type KeyAlgorithm = 'RSA' | 'GOST2004' | 'GOST2015_256' | 'GOST2015_512';

/** Roles granted by the EKU of a НУЦ РК certificate (NCALAYER_AND_PKI.md §4). */
export type KzRole =
  | 'first_head' // 1.2.398.3.3.4.1.2.1
  | 'sign_right' // 1.2.398.3.3.4.1.2.2
  | 'financial' // 1.2.398.3.3.4.1.2.3
  | 'hr' // 1.2.398.3.3.4.1.2.4
  | 'employee' // 1.2.398.3.3.4.1.2.5
  | 'information_system'; // 1.2.398.3.3.4.1.2.6

export type SubjectType = 'individual' | 'legal_entity' | 'unknown';

/** A parsed X.509 certificate read through the НУЦ РК profile. */
export interface KzCertificate {
  der: Uint8Array;
  /** Upper-case hex without leading zeros stripped, as printed by Kalkan/NCALayer. */
  serialNumber: string;
  subjectDn: string;
  issuerDn: string;
  /** Raw DER of the issuer Name, copied as-is into CMS issuerAndSerialNumber. */
  issuerRaw: Uint8Array;
  subjectRaw: Uint8Array;
  commonName?: string;
  issuerCommonName?: string;
  surname?: string;
  givenName?: string;
  patronymic?: string;
  iin?: string;
  bin?: string;
  organization?: string;
  email?: string;
  country?: string;
  subjectType: SubjectType;
  roles: KzRole[];
  /** May the key make signatures of documents (emailProtection EKU)? */
  canSign: boolean;
  /** May the key authenticate (clientAuth EKU; GOST-2015 keys: yes, the one key does both)? */
  canAuthenticate: boolean;
  ekuOids: string[];
  keyUsage: string[];
  keyAlgorithm: KeyAlgorithm;
  signatureAlgorithmOid: string;
  /** Subject key identifier, 40 lower-case hex (= p12 localKeyID = NCALayer alias). */
  subjectKeyId?: string;
  authorityKeyId?: string;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** SHA-256 of the DER, lower-case hex. */
  sha256: string;
  ocspUrls: string[];
  /** CRL distribution points (full CRLs). */
  crlUrls: string[];
  /** freshestCRL: where the delta CRLs are (НУЦ: nca_d_gost_2022.crl). */
  deltaCrlUrls: string[];
  caIssuerUrls: string[];
}

/**
 * Machine-readable reasons a signer (or the whole CMS) is not valid. The list, with what each means
 * to a user in ru/kk/en, lives in contract/errors/pki.ts (VERIFICATION_REASONS).
 */
export type VerificationReason = VerificationReasonCode;

/**
 * A signer's verdict as ETSI EN 319 102-1 names it: `valid` (TOTAL-PASSED), `invalid` (TOTAL-FAILED: proven
 * wrong — broken, altered, or made with a certificate proven revoked/expired/not yet valid at that time) or
 * `indeterminate` (not confirmed: the evidence at hand proves neither). Decided in verdict.ts.
 */
export type VerdictStatus = 'valid' | 'invalid' | 'indeterminate';

/** The ETSI sub-indication that decided a verdict that is not valid; meanings in contract/errors/pki.ts. */
export type SubIndication = VerificationSubIndication;

/**
 * Where the time a signer's certificate was judged at came from: given by the caller, a verified
 * timestamp token, the signer's own (unconfirmed) signingTime attribute, or the moment of checking.
 */
export type ValidationTimeSource = 'given' | 'timestamp' | 'signing_time' | 'now';

/**
 * What a signature timestamp (CAdES-T) proved, per ETSI EN 319 102-1: `valid` — its time is used;
 * `invalid` — broken, or it stamps another signature value (the signer is INVALID, TIMESTAMP_INVALID);
 * `set_aside` — its TSA cannot be chained to trust (or it cannot be checked here): it proves nothing and
 * the signer is judged without it.
 */
export interface TimestampVerdict {
  status: 'valid' | 'set_aside' | 'invalid';
  /** genTime, when the token could be read. */
  time?: Date;
  /** The TSA certificate's name (CN, else the DN). */
  tsa?: string;
  /** Why it is set aside or invalid, in plain English. */
  reason?: string;
}

export interface SignerVerdict {
  /** status === 'valid': no reason at all. */
  valid: boolean;
  status: VerdictStatus;
  /** Absent when valid. */
  subIndication?: SubIndication;
  reasons: VerificationReason[];
  certificate?: KzCertificate;
  signingTime?: Date;
  /** Time from a verified timestamp token, when present. */
  timestampTime?: Date;
  /** The signature timestamp, when the signer carries one: verified, set aside or invalid (and why). */
  timestamp?: TimestampVerdict;
  /** The time validity (and revocation) was judged at, and where it came from; absent without a certificate. */
  validationTime?: Date;
  validationTimeSource?: ValidationTimeSource;
  digestAlgorithmOid: string;
  signatureAlgorithmOid: string;
  chain: KzCertificate[];
  revocation: {
    status: 'good' | 'revoked' | 'unknown' | 'not_checked';
    source?: 'crl' | 'ocsp';
    revokedAt?: Date;
    /** thisUpdate of the CRL / OCSP answer that decided: what was known as of when. */
    checkedAt?: Date;
    /** Its nextUpdate, when it states one. */
    nextUpdate?: Date;
    /** Where that evidence came from: fetched now, the cache, a file the user named, the test kit's CRL, or the caller. */
    origin?: 'network' | 'cache' | 'file' | 'shipped_test_crl' | 'given';
    url?: string;
    file?: string;
    /** When it was fetched (network/cache). */
    fetchedAt?: Date;
  };
  /** What the chain and revocation checks set aside or found wrong, in plain English (logs, `kense verify`). */
  problems?: string[];
}

export interface CmsVerdict {
  /** true only when the structure parsed and every signer is valid. */
  valid: boolean;
  detached: boolean;
  /** Encapsulated content (attached CMS) or undefined. */
  content?: Uint8Array;
  signers: SignerVerdict[];
  /** Set when the CMS itself could not be parsed; signers is then empty. */
  error?: { reason: 'MALFORMED'; message: string };
}

/**
 * An opened private key. The scalar/RSA key never leaves this object; `destroy()` wipes it.
 * Signatures come out in the encoding CMS and XMLDSig carry: RSA PKCS#1 v1.5; GOST Kazakh `r‖s`
 * little-endian (NCALAYER_AND_PKI.md §5).
 */
export interface PrivateKeyHandle {
  readonly algorithm: KeyAlgorithm;
  /** Hash `data` with the algorithm's digest (SHA-256 for RSA, Streebog/GOST-94 for GOST) and sign. */
  sign(data: Uint8Array): Uint8Array;
  /** Sign a digest computed by the caller with the algorithm's digest function. */
  signDigest(digest: Uint8Array): Uint8Array;
  destroy(): void;
  readonly destroyed: boolean;
}

/** Trust anchors (roots) and known intermediate CAs used to build chains. */
export interface TrustStore {
  readonly name: string;
  readonly anchors: readonly KzCertificate[];
  readonly intermediates: readonly KzCertificate[];
}
