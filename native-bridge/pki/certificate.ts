// X.509 certificates read through the НУЦ РК profile (NCALAYER_AND_PKI.md §4) into the typed KzCertificate.
import { createHash } from 'node:crypto';
import { KenseError } from '../../contract/errors';
import {
  type Asn1Node, Asn1Error, TAG, child, ctx, expectTag, parseAsn1, pemOrDer, readBitString, readOid, readSmallInt,
  readTime, stringBytes,
} from './der';
import {
  type BasicConstraints, type Extension, decodeAuthorityInfoAccess, decodeAuthorityKeyId, decodeBasicConstraints,
  decodeCertificatePolicies, decodeCrlDistributionPoints, decodeExtKeyUsage, decodeKeyUsage, decodeSubjectAltName,
  decodeSubjectKeyId, parseExtensions,
} from './extensions';
import { type Rdns, dnString, nameAttribute, nameAttributes, parseName } from './names';
import { EKU, EXT, KZ_EKU, KZ_GOST, RSA, X500 } from './oids';
import type { KeyAlgorithm, KzCertificate, KzRole, SubjectType } from './types';

/** SubjectPublicKeyInfo in the form our signature code consumes. */
export interface CertificateSpki {
  algorithmOid: string;
  /** OIDs inside the algorithm parameters (GOST parameter sets); empty for RSA (NULL). */
  paramsOids: string[];
  /** GOST: Kazakh `x‖y`, each little-endian. RSA: DER RSAPublicKey. */
  publicKey: Uint8Array;
  /** Value of the subjectPublicKey BIT STRING (what OCSP key hashes and SKI method 1 hash). */
  subjectPublicKey: Uint8Array;
  /** The whole SubjectPublicKeyInfo DER (node:crypto `createPublicKey({ type: 'spki' })`). */
  der: Uint8Array;
}

/** Parts of a certificate that chain validation needs and the public model does not carry. */
export interface CertificateParts {
  tbs: Uint8Array;
  /** signatureAlgorithm of the outer Certificate. */
  signatureAlgorithmOid: string;
  /** signature.algorithm inside tbsCertificate (must equal the outer one). */
  tbsSignatureAlgorithmOid: string;
  signatureValue: Uint8Array;
  spki: CertificateSpki;
  basicConstraints?: BasicConstraints;
  extensions: Extension[];
  policyOids: string[];
  version: number;
  serialBytes: Uint8Array;
}

const KEY_ALGORITHMS: Record<string, KeyAlgorithm> = {
  [RSA.rsaEncryption]: 'RSA',
  [KZ_GOST.gost34310_2004Key]: 'GOST2004',
  [KZ_GOST.gost2015_256Key]: 'GOST2015_256',
  [KZ_GOST.gost2015_512Key]: 'GOST2015_512',
};

const ROLES: Record<string, KzRole> = {
  [KZ_EKU.firstHead]: 'first_head',
  [KZ_EKU.signRight]: 'sign_right',
  [KZ_EKU.financial]: 'financial',
  [KZ_EKU.hr]: 'hr',
  [KZ_EKU.employee]: 'employee',
  [KZ_EKU.informationSystem]: 'information_system',
};

/** Extensions whose meaning we check; an unknown one marked critical makes the certificate unusable. */
export const UNDERSTOOD_EXTENSIONS = new Set<string>([
  EXT.subjectKeyIdentifier, EXT.authorityKeyIdentifier, EXT.keyUsage, EXT.extKeyUsage, EXT.basicConstraints,
  EXT.subjectAltName, EXT.cRLDistributionPoints, EXT.freshestCRL, EXT.authorityInfoAccess, EXT.certificatePolicies,
]);

const parts = new WeakMap<KzCertificate, CertificateParts>();

function malformed(reason: string, cause?: unknown): KenseError {
  return new KenseError('CERT_MALFORMED', { reason }, { cause });
}

/** Parses a certificate given as DER, PEM or bare base64. Bad input → KenseError('CERT_MALFORMED'). */
export function parseCertificate(input: Uint8Array | string): KzCertificate {
  let der: Uint8Array;
  try {
    der = pemOrDer(input, typeof input === 'string' && input.includes('BEGIN CERTIFICATE') ? 'CERTIFICATE' : undefined);
  } catch (e) {
    throw malformed('neither DER nor PEM', e);
  }
  let root: Asn1Node;
  try {
    root = parseAsn1(der);
  } catch (e) {
    throw malformed(e instanceof Asn1Error ? e.message : 'unreadable ASN.1', e);
  }
  return certificateFromNode(root);
}

/**
 * Builds the model from an already-parsed Certificate node (e.g. inside a CMS or an OCSP response).
 * The bytes are copied first, so the model is a plain Uint8Array that does not pin a larger buffer.
 */
export function certificateFromNode(root: Asn1Node): KzCertificate {
  try {
    return build(parseAsn1(new Uint8Array(root.raw)));
  } catch (e) {
    if (e instanceof KenseError) throw e;
    throw malformed(e instanceof Asn1Error ? e.message : 'unreadable certificate', e);
  }
}

function readAlgorithm(node: Asn1Node): { oid: string; params?: Asn1Node } {
  expectTag(node, TAG.SEQUENCE, 'AlgorithmIdentifier');
  return { oid: readOid(child(node, 0, 'algorithm')), params: node.children[1] };
}

function readSpki(node: Asn1Node): CertificateSpki {
  expectTag(node, TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  const alg = readAlgorithm(child(node, 0, 'algorithm'));
  const { bytes } = readBitString(child(node, 1, 'subjectPublicKey'));
  const paramsOids = alg.params?.tag === TAG.SEQUENCE ? alg.params.children.filter((c) => c.tag === TAG.OID).map(readOid) : [];
  let publicKey = bytes;
  if (alg.oid !== RSA.rsaEncryption && KEY_ALGORITHMS[alg.oid]) {
    // GOST keys are an OCTET STRING inside the BIT STRING (RFC 4491 §2.3.2), x‖y little-endian.
    publicKey = stringBytes(expectTag(parseAsn1(bytes), TAG.OCTET_STRING, 'GOST public key'));
  }
  return { algorithmOid: alg.oid, paramsOids, publicKey, subjectPublicKey: bytes, der: node.raw };
}

const HEX_UPPER = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/**
 * A serial number's INTEGER content as upper-case hex, the form Kalkan/NCALayer print and our CRL
 * index keys on: only the DER sign byte is dropped, other leading zeros stay ("0FF062…").
 */
export function serialHex(bytes: Uint8Array): string {
  const start = bytes.length > 1 && bytes[0] === 0 && bytes[1] & 0x80 ? 1 : 0;
  let s = '';
  for (let i = start; i < bytes.length; i++) s += HEX_UPPER[bytes[i]];
  return s;
}

function build(root: Asn1Node): KzCertificate {
  expectTag(root, TAG.SEQUENCE, 'Certificate');
  if (root.children.length !== 3) throw new Asn1Error('Certificate must have 3 parts', root.offset);
  const tbs = expectTag(root.children[0], TAG.SEQUENCE, 'tbsCertificate');
  const outerAlg = readAlgorithm(root.children[1]);
  const { bytes: signatureValue, unusedBits } = readBitString(root.children[2]);
  if (unusedBits !== 0) throw new Asn1Error('signature has unused bits', root.children[2].offset);

  let i = 0;
  let version = 1;
  if (tbs.children[0]?.tag === ctx(0)) version = readSmallInt(child(tbs.children[i++], 0, 'version')) + 1;
  if (version < 1 || version > 3) throw new Asn1Error(`unknown certificate version ${version}`, tbs.offset);
  const serialNode = expectTag(tbs.children[i++], TAG.INTEGER, 'serialNumber');
  if (serialNode.value.length === 0 || serialNode.value.length > 40) throw new Asn1Error('bad serial number', serialNode.offset);
  const tbsAlg = readAlgorithm(child(tbs, i++, 'signature'));
  const issuerNode = child(tbs, i++, 'issuer');
  const issuer = parseName(issuerNode);
  const validity = expectTag(child(tbs, i++, 'validity'), TAG.SEQUENCE, 'Validity');
  const notBefore = readTime(child(validity, 0, 'notBefore'));
  const notAfter = readTime(child(validity, 1, 'notAfter'));
  const subjectNode = child(tbs, i++, 'subject');
  const subject = parseName(subjectNode);
  const spki = readSpki(child(tbs, i++, 'subjectPublicKeyInfo'));
  let extensions: Extension[] = [];
  for (; i < tbs.children.length; i++) {
    const c = tbs.children[i];
    if (c.tag === ctx(1, false) || c.tag === ctx(2, false) || c.tag === ctx(1) || c.tag === ctx(2)) continue; // unique IDs
    if (c.tag !== ctx(3) || version !== 3) throw new Asn1Error('unexpected field in tbsCertificate', c.offset);
    extensions = parseExtensions(child(c, 0, 'extensions'));
  }
  if (outerAlg.oid !== tbsAlg.oid) throw new Asn1Error('signature algorithm differs inside and outside tbsCertificate');

  const keyAlgorithm = KEY_ALGORITHMS[spki.algorithmOid];
  if (!keyAlgorithm) throw new KenseError('PKI_UNSUPPORTED_ALGORITHM', { keyAlgorithmOid: spki.algorithmOid });

  const ext = (oid: string) => extensions.find((e) => e.oid === oid)?.value;
  const basicConstraints = ext(EXT.basicConstraints) ? decodeBasicConstraints(ext(EXT.basicConstraints)!) : undefined;
  const keyUsage = ext(EXT.keyUsage) ? decodeKeyUsage(ext(EXT.keyUsage)!) : [];
  const ekuOids = ext(EXT.extKeyUsage) ? decodeExtKeyUsage(ext(EXT.extKeyUsage)!) : [];
  const san = ext(EXT.subjectAltName) ? decodeSubjectAltName(ext(EXT.subjectAltName)!) : undefined;
  const aia = ext(EXT.authorityInfoAccess) ? decodeAuthorityInfoAccess(ext(EXT.authorityInfoAccess)!) : { ocsp: [], caIssuers: [] };
  const crlUrls = ext(EXT.cRLDistributionPoints) ? decodeCrlDistributionPoints(ext(EXT.cRLDistributionPoints)!) : [];
  const deltaCrlUrls = ext(EXT.freshestCRL) ? decodeCrlDistributionPoints(ext(EXT.freshestCRL)!) : [];
  const policyOids = ext(EXT.certificatePolicies) ? decodeCertificatePolicies(ext(EXT.certificatePolicies)!) : [];
  const isCa = basicConstraints ? basicConstraints.ca : false;

  const der = root.raw;
  const cert: KzCertificate = {
    der,
    serialNumber: serialHex(serialNode.value),
    subjectDn: dnString(subject),
    issuerDn: dnString(issuer),
    issuerRaw: issuerNode.raw,
    subjectRaw: subjectNode.raw,
    ...identity(subject, ekuOids, san?.emails ?? []),
    issuerCommonName: nameAttribute(issuer, X500.commonName),
    roles: ekuOids.flatMap((o) => (ROLES[o] ? [ROLES[o]] : [])),
    canSign: ekuOids.includes(EKU.emailProtection),
    canAuthenticate: ekuOids.includes(EKU.clientAuth) || isGost2015UserKey(keyAlgorithm, isCa, ekuOids, keyUsage),
    ekuOids,
    keyUsage,
    keyAlgorithm,
    signatureAlgorithmOid: outerAlg.oid,
    subjectKeyId: ext(EXT.subjectKeyIdentifier) ? decodeSubjectKeyId(ext(EXT.subjectKeyIdentifier)!) : undefined,
    authorityKeyId: ext(EXT.authorityKeyIdentifier) ? decodeAuthorityKeyId(ext(EXT.authorityKeyIdentifier)!) : undefined,
    notBefore,
    notAfter,
    isCa,
    sha256: createHash('sha256').update(der).digest('hex'),
    ocspUrls: aia.ocsp,
    crlUrls,
    deltaCrlUrls,
    caIssuerUrls: aia.caIssuers,
  };
  for (const k of Object.keys(cert) as (keyof KzCertificate)[]) if (cert[k] === undefined) delete cert[k];
  parts.set(cert, {
    tbs: tbs.raw,
    signatureAlgorithmOid: outerAlg.oid,
    tbsSignatureAlgorithmOid: tbsAlg.oid,
    signatureValue,
    spki,
    basicConstraints,
    extensions,
    policyOids,
    version,
    serialBytes: serialNode.value,
  });
  return cert;
}

/**
 * GOST-2015 user keys carry no clientAuth EKU: the one key logs in and signs (§4). "User" = a
 * НУЦ РК individual/legal-entity EKU, so OCSP/TSA service certificates do not qualify.
 */
function isGost2015UserKey(alg: KeyAlgorithm, isCa: boolean, ekuOids: string[], keyUsage: string[]): boolean {
  if ((alg !== 'GOST2015_512' && alg !== 'GOST2015_256') || isCa) return false;
  const person = ekuOids.some((o) => o === KZ_EKU.individual || o === KZ_EKU.legalEntity || o.startsWith(`${KZ_EKU.legalEntity}.`));
  return person && (keyUsage.length === 0 || keyUsage.includes('digitalSignature'));
}

type Identity = Pick<KzCertificate, 'commonName' | 'surname' | 'givenName' | 'patronymic' | 'iin' | 'bin' | 'organization' | 'email' | 'country' | 'subjectType'>;

function identity(subject: Rdns, ekuOids: string[], sanEmails: string[]): Identity {
  const commonName = nameAttribute(subject, X500.commonName);
  const surname = nameAttribute(subject, X500.surname);
  const iin = nameAttributes(subject, X500.serialNumber).map((v) => /^IIN(\d{12})$/.exec(v)?.[1]).find(Boolean);
  const bin = nameAttributes(subject, X500.organizationalUnitName).map((v) => /^BIN(\d{12})$/.exec(v)?.[1]).find(Boolean);
  let subjectType: SubjectType = 'unknown';
  if (ekuOids.includes(KZ_EKU.individual)) subjectType = 'individual';
  else if (ekuOids.some((o) => o === KZ_EKU.legalEntity || o.startsWith(`${KZ_EKU.legalEntity}.`))) subjectType = 'legal_entity';
  return {
    commonName,
    surname,
    givenName: givenNameFromCn(commonName, surname),
    // НУЦ РК puts the patronymic into GIVENNAME (2.5.4.42).
    patronymic: nameAttribute(subject, X500.givenName),
    iin,
    bin,
    organization: nameAttribute(subject, X500.organizationName),
    email: nameAttribute(subject, X500.emailAddress) ?? sanEmails[0],
    country: nameAttribute(subject, X500.countryName),
    subjectType,
  };
}

/** CN is "SURNAME NAME"; the name is what follows the surname (only for personal certificates). */
function givenNameFromCn(cn: string | undefined, surname: string | undefined): string | undefined {
  if (!cn || !surname) return undefined;
  const rest = cn.startsWith(`${surname} `) ? cn.slice(surname.length + 1).trim() : undefined;
  return rest || undefined;
}

/** Internal parts of a certificate (re-parsed from `der` when the object did not come from this module). */
export function certificateParts(cert: KzCertificate): CertificateParts {
  let p = parts.get(cert);
  if (!p) {
    p = parts.get(parseCertificate(cert.der))!;
    parts.set(cert, p);
  }
  return p;
}

export function certificateSpki(cert: KzCertificate): CertificateSpki {
  return certificateParts(cert).spki;
}

/** The exact bytes of tbsCertificate, as signed by the issuer. */
export function tbsOf(cert: KzCertificate): Uint8Array {
  return certificateParts(cert).tbs;
}

/** Days from `at` until notAfter (negative when expired), rounded down. */
export function daysLeft(cert: KzCertificate, at: Date): number {
  return Math.floor((cert.notAfter.getTime() - at.getTime()) / 86_400_000);
}
