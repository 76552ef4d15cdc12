// Public API of the Kazakh PKI layer: certificates, keys, CMS build/verify, timestamps, chains and
// revocation. Other layers import from here only; files behind it may be reorganised freely.
export type * from './types';

// ASN.1 helpers other layers need (armour in/out, hex, byte comparison). The codec itself stays internal.
export { Asn1Error, pemOrDer, toPem, toHex, fromHex, bytesEqual, concatBytes } from './der';
export * from './oids';

// Certificates, names, extensions.
export { parseCertificate, certificateFromNode, certificateSpki, daysLeft, type CertificateSpki } from './certificate';
export { dnString, namesMatch, type NameAttribute, type Rdns } from './names';

// Keys and digests/signatures.
export { openP12, writeP12, type OpenedP12, type WriteP12Options } from './p12';
export { privateKeyFromPkcs8, keyMatchesCertificate } from './keys';
export { digestBytes, digestOidFor, signatureOidFor, verifySignedBytes, isSupportedDigest, isSupportedSignatureAlgorithm } from './signatures';

// CMS.
export { createCms, addCmsSigner, type CreateCmsOptions, type AddCmsSignerOptions } from './cms';
export {
  parseCms, CmsFormatError, MAX_CMS_BYTES, attrContentType, attrMessageDigest, attrSigningCertificate, attrSigningTime,
  type CmsSignedData, type CmsSignerInfo, type CmsAttribute, type SignerIdentifier, type AlgorithmIdentifier, type EssCertId,
} from './cms-parse';
export { verifyCms, findSignerCertificate, type VerifyCmsOptions } from './cms-verify';
export { judgeSigner, settleVerdict, overallStatus, type VerdictFacts, type Judgement } from './verdict';
export { createTimestampToken, signTstInfo, addTimestampToken, parseTimestampToken, parseTstInfo, type TstInfo, type CreateTimestampOptions } from './tsp';

// Trust, chains, revocation.
export {
  loadTrustStore, isEmpty, PRODUCTION_TRUST_DIR, TEST_PKI_DIR, TEST_CRL_FILES, shippedProductionStore, timestampTrust, defaultUserTrustDir, checkTrustCertificate, importTrustCertificate, listUserTrustCertificates, removeTrustCertificate,
  type TrustSource, type TrustStoreOptions, type LoadedTrustStore, type ImportedTrustCertificate,
} from './trust';
export { resourcesDir } from './resources';
export { readOsStoreCertificates, isNucCa, type OsStoreOptions, type OsStoreResult } from './os-store';
export { validateCertificatePath, isSignedBy, clearCertificateSignatureCache, type PathValidationOptions, type PathValidationResult } from './chain';
export { checkRevocation, type RevocationMode, type RevocationEvidence, type RevocationResult, type EvidenceOrigin, type RevocationOrigin, type Sourced } from './revocation';
export { MemoryRevocationStore, FileRevocationStore, type RevocationStore, type RevocationCacheEntry } from './revocation-store';
export {
  RevocationSource, fetchBytes, refreshDue, FetchFailure, DEFAULT_FETCH_LIMITS, type RevocationSourceOptions, type CollectedEvidence, type FetchLimits,
} from './revocation-source';
export { validateSignerPath, type SignerPathOptions } from './signer-path';
export { parseCrl, verifyCrl, type Crl, type CrlEntry } from './crl';
export {
  parseOcspResponse, verifyOcspResponse, buildOcspRequest, certIdMatches,
  type OcspResponse, type BasicOcspResponse, type OcspSingleResponse, type OcspCertId, type OcspResponseStatus, type OcspVerification,
} from './ocsp';
