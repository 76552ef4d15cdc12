// Object identifiers used by the Kazakh PKI layer, named after the standard that defines them.
// Kazakh GOST OIDs: NCALAYER_AND_PKI.md §5 (arc 1.2.398.3.10 of НУЦ РК / Kalkan).

/** RSA (PKCS #1, RFC 8017). */
export const RSA = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
  rsassaPss: '1.2.840.113549.1.1.10',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
} as const;

/** SHA family (FIPS 180-4; OIDs from RFC 3279 / NIST CSOR). */
export const SHA = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;

/** Kazakh GOST algorithms (СТ РК ГОСТ Р 34.310-2004, 34.311-95, ГОСТ 34.10-2015, 34.11-2015). */
export const KZ_GOST = {
  /** GOST 34.310-2004 public key. */
  gost34310_2004Key: '1.2.398.3.10.1.1.1.1',
  /** Its only parameter set (= CryptoPro-A curve). */
  gost34310_2004ParamSetA: '1.2.398.3.10.1.1.1.1.1',
  /** GOST 34.311-95 with GOST 34.310-2004 (signature). */
  gost34311_95WithGost34310_2004: '1.2.398.3.10.1.1.1.2',
  /** GOST 34.311-95 hash (= GOST R 34.11-94 with the test S-box). */
  gost34311_95: '1.2.398.3.10.1.3.1',
  /** Hash parameter set that accompanies the 2004 key (the "test" S-box). */
  gost34311_95ParamSet: '1.2.398.3.10.1.3.1.1.0',
  gost2015_256Key: '1.2.398.3.10.1.1.2.1',
  gost2015_512Key: '1.2.398.3.10.1.1.2.2',
  /** Parameter set of the 512-bit key (= tc26-512-paramSetA). */
  gost2015_512ParamSetA: '1.2.398.3.10.1.1.2.2.1',
  gost2015_256WithGost34112015_256: '1.2.398.3.10.1.1.2.3.1',
  gost2015_512WithGost34112015_512: '1.2.398.3.10.1.1.2.3.2',
  gost34112015_256: '1.2.398.3.10.1.3.2',
  gost34112015_512: '1.2.398.3.10.1.3.3',
} as const;

/** Russian GOST OIDs (RFC 4357, RFC 7836): the same mathematics, used to cross-check with OpenSSL's gost engine. */
export const RU_GOST = {
  gostR3410_2001Key: '1.2.643.2.2.19',
  gostR3411_94: '1.2.643.2.2.9',
  gostR3411_94WithGostR3410_2001: '1.2.643.2.2.3',
  cryptoProParamSetA: '1.2.643.2.2.35.1',
  gostR3411_94TestParamSet: '1.2.643.2.2.30.0',
  gostR3411_94CryptoProParamSet: '1.2.643.2.2.30.1',
  gost3410_2012_256Key: '1.2.643.7.1.1.1.1',
  gost3410_2012_512Key: '1.2.643.7.1.1.1.2',
  streebog256: '1.2.643.7.1.1.2.2',
  streebog512: '1.2.643.7.1.1.2.3',
  signWithStreebog256: '1.2.643.7.1.1.3.2',
  signWithStreebog512: '1.2.643.7.1.1.3.3',
  tc26_256ParamSetA: '1.2.643.7.1.2.1.1.1',
  tc26_512ParamSetA: '1.2.643.7.1.2.1.2.1',
} as const;

/** Public-key OIDs we do not support but must recognise to refuse clearly. */
export const OTHER_KEYS = {
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  dsa: '1.2.840.10040.4.1',
} as const;

/** X.500 / X.520 attribute types seen in НУЦ РК names, with the short names Kalkan prints. */
export const X500 = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  countryName: '2.5.4.6',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  streetAddress: '2.5.4.9',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  title: '2.5.4.12',
  businessCategory: '2.5.4.15',
  postalCode: '2.5.4.17',
  /** In НУЦ РК certificates this holds the **patronymic** (отчество). */
  givenName: '2.5.4.42',
  emailAddress: '1.2.840.113549.1.9.1',
  domainComponent: '0.9.2342.19200300.100.1.25',
  userId: '0.9.2342.19200300.100.1.1',
} as const;

/** Certificate and CRL extensions (RFC 5280 §4.2, §5.2, §5.3). */
export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  cRLNumber: '2.5.29.20',
  cRLReason: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  deltaCRLIndicator: '2.5.29.27',
  /** ExpiredCertsOnCRL (X.509 2016): the CRL keeps entries of expired certificates since the date given. */
  expiredCertsOnCRL: '2.5.29.60',
  issuingDistributionPoint: '2.5.29.28',
  certificateIssuer: '2.5.29.29',
  nameConstraints: '2.5.29.30',
  cRLDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  freshestCRL: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  /** НУЦ РК private extension seen on every test certificate (non-critical). */
  kzCertificateExtension: '1.2.398.3.3.5',
} as const;

/** Access methods inside Authority Information Access (RFC 5280 §4.2.2.1). */
export const AIA = {
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
} as const;

/** Extended key usage purposes (RFC 5280 §4.2.1.12). */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

/** НУЦ РК EKU values that say who holds the key (NCALAYER_AND_PKI.md §4). */
export const KZ_EKU = {
  individual: '1.2.398.3.3.4.1.1',
  legalEntity: '1.2.398.3.3.4.1.2',
  firstHead: '1.2.398.3.3.4.1.2.1',
  signRight: '1.2.398.3.3.4.1.2.2',
  financial: '1.2.398.3.3.4.1.2.3',
  hr: '1.2.398.3.3.4.1.2.4',
  employee: '1.2.398.3.3.4.1.2.5',
  informationSystem: '1.2.398.3.3.4.1.2.6',
  identifiedAtCon: '1.2.398.3.3.4.3.1',
  identifiedRemotely: '1.2.398.3.3.4.3.2',
  identifiedByDigitalId: '1.2.398.3.3.4.3.2.1',
} as const;

/** НУЦ РК certificate policies seen on the test material. */
export const KZ_POLICY = {
  /** End-entity certificates of the 2022 GOST CA. */
  endEntity: '1.2.398.3.3.2',
  /** Legacy GOST-2004 signature certificates. */
  gostSignature2004: '1.2.398.3.3.2.1',
  /** Legacy RSA authentication certificates. */
  rsaAuthentication: '1.2.398.3.3.2.4',
  /** НУЦ TSA policy for GOST-2015 timestamps. */
  tsaGost2015: '1.2.398.3.3.2.6.4',
  /** CA certificates. */
  certificationAuthority: '1.2.398.3.3.1.1',
} as const;

/** CMS content types and attributes (RFC 5652, PKCS #9 RFC 2985, ESS RFC 2634/5035, RFC 3161). */
export const CMS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  digestedData: '1.2.840.113549.1.7.5',
  encryptedData: '1.2.840.113549.1.7.6',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
} as const;

export const PKCS9 = {
  emailAddress: '1.2.840.113549.1.9.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  counterSignature: '1.2.840.113549.1.9.6',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  x509Crl: '1.2.840.113549.1.9.23.1',
} as const;

export const ESS = {
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

/** PKCS #12 (RFC 7292) bag types and password-based encryption schemes. */
export const PKCS12 = {
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  crlBag: '1.2.840.113549.1.12.10.1.4',
  secretBag: '1.2.840.113549.1.12.10.1.5',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  pbeWithSHAAnd128BitRC4: '1.2.840.113549.1.12.1.1',
  pbeWithSHAAnd40BitRC4: '1.2.840.113549.1.12.1.2',
  pbeWithSHAAnd3KeyTripleDESCBC: '1.2.840.113549.1.12.1.3',
  pbeWithSHAAnd2KeyTripleDESCBC: '1.2.840.113549.1.12.1.4',
  pbeWithSHAAnd128BitRC2CBC: '1.2.840.113549.1.12.1.5',
  pbeWithSHAAnd40BitRC2CBC: '1.2.840.113549.1.12.1.6',
} as const;

/** PKCS #5 v2.1 (RFC 8018) and the ciphers/PRFs it names. */
export const PKCS5 = {
  pbkdf2: '1.2.840.113549.1.5.12',
  pbes2: '1.2.840.113549.1.5.13',
  hmacWithSHA1: '1.2.840.113549.2.7',
  hmacWithSHA256: '1.2.840.113549.2.9',
  hmacWithSHA384: '1.2.840.113549.2.10',
  hmacWithSHA512: '1.2.840.113549.2.11',
  desEde3Cbc: '1.2.840.113549.3.7',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
} as const;

/** OCSP (RFC 6960). */
export const OCSP = {
  basic: '1.3.6.1.5.5.7.48.1.1',
  nonce: '1.3.6.1.5.5.7.48.1.2',
  crlRef: '1.3.6.1.5.5.7.48.1.3',
  noCheck: '1.3.6.1.5.5.7.48.1.5',
  /** Extended revoked definition (RFC 6960 §4.4.8): "revoked" also means "never issued". */
  extendedRevoke: '1.3.6.1.5.5.7.48.1.9',
} as const;

/** KeyUsage bit names in bit order (RFC 5280 §4.2.1.3). */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

/** CRLReason values (RFC 5280 §5.3.1); 7 is unused. */
export const CRL_REASONS: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};
