// CMS SignedData (RFC 5652) reader: a typed model that keeps the raw bytes of everything that is
// hashed or copied (signed attributes, certificates, signer infos), so verification and co-signing
// never depend on re-encoding what somebody else produced.
import {
  Asn1Error, TAG, child, ctx, expectTag, parseAsn1, pemOrDer, readOid, readSmallInt, readTime, stringBytes,
  type Asn1Node,
} from './der';
import { CMS, ESS, PKCS9, SHA } from './oids';


/** Inputs above this are refused before any parsing: no legitimate act comes near it. */
export const MAX_CMS_BYTES = 512 * 1024 * 1024;
/** Element-count guards: real CMS have a handful of each; thousands mean an attack or garbage. */
// Acts carry two parties; 16 covers multi-party contracts and bounds the work a hostile CMS can cause
// (each signer may cost a bounded chain search of up to 64 GOST checks).
const MAX_SIGNERS = 16;
const MAX_CERTIFICATES = 256;
const MAX_ATTRIBUTES = 64;
const MAX_DIGEST_ALGORITHMS = 16;

/** Raised for input that is not a CMS SignedData we can read; verifyCms turns it into a MALFORMED verdict. */
export class CmsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CmsFormatError';
  }
}

export interface AlgorithmIdentifier {
  oid: string;
  /** Raw DER of the parameters, absent when omitted. */
  params?: Uint8Array;
  raw: Uint8Array;
}

export interface CmsAttribute {
  oid: string;
  values: Asn1Node[];
  raw: Uint8Array;
}

export type SignerIdentifier =
  | { type: 'issuerAndSerialNumber'; issuerRaw: Uint8Array; serial: Uint8Array }
  | { type: 'subjectKeyIdentifier'; keyId: Uint8Array };

export interface CmsSignerInfo {
  raw: Uint8Array;
  version: number;
  sid: SignerIdentifier;
  digestAlgorithm: AlgorithmIdentifier;
  /** The signed attributes re-tagged as a SET (what the signature covers), plus the parsed list. */
  signedAttrs?: { der: Uint8Array; attributes: CmsAttribute[] };
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Uint8Array;
  unsignedAttrs: CmsAttribute[];
}

export interface CmsSignedData {
  /** The whole ContentInfo as it arrived (after PEM/base64 decoding). */
  raw: Uint8Array;
  version: number;
  digestAlgorithms: AlgorithmIdentifier[];
  contentType: string;
  /** Encapsulated content; undefined for a detached CMS. */
  content?: Uint8Array;
  /** Raw DER of every X.509 certificate carried (other certificate choices are skipped). */
  certificates: Uint8Array[];
  /** Raw DER of every CertificateList carried. */
  crls: Uint8Array[];
  signerInfos: CmsSignerInfo[];
}

/** Decodes DER/BER, base64 or PEM ("CMS", "PKCS7" or any other label) into bytes. */
export function cmsBytes(input: Uint8Array | string): Uint8Array {
  if (typeof input === 'string' && input.length > (MAX_CMS_BYTES * 4) / 3 + 1024) throw new CmsFormatError('input larger than 512 MiB');
  if (typeof input !== 'string' && input.length > MAX_CMS_BYTES) throw new CmsFormatError('input larger than 512 MiB');
  const bytes = pemOrDer(input);
  if (bytes.length === 0) throw new CmsFormatError('empty input');
  return bytes;
}

/** Parses a CMS ContentInfo holding SignedData. Throws CmsFormatError (never anything else) on bad input. */
export function parseCms(input: Uint8Array | string): CmsSignedData {
  return guard(() => {
    const bytes = cmsBytes(input);
    return parseContentInfo(bytes);
  });
}

/**
 * Legitimate CMS have few elements except the chunks of a BER content (≥ 512 bytes each in every
 * producer we know), so a parse may create 64k elements plus one per 512 bytes of input.
 */
const cmsNodeBudget = (bytes: Uint8Array): number => 65_536 + Math.floor(bytes.length / 512);

/** Runs a parse step and maps every structural failure to CmsFormatError. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CmsFormatError) throw e;
    if (e instanceof Asn1Error || e instanceof RangeError || e instanceof TypeError) throw new CmsFormatError(e.message);
    throw e;
  }
}

// A timestamp token is a CMS inside an unsigned attribute; it is parsed only on demand (tsp.ts) and its
// own unsigned attributes are never followed, so nesting cannot recurse.
function parseContentInfo(bytes: Uint8Array): CmsSignedData {
  const root = expectTag(parseAsn1(bytes, { maxNodes: cmsNodeBudget(bytes) }), TAG.SEQUENCE, 'ContentInfo');
  const type = readOid(child(root, 0, 'contentType'));
  if (type !== CMS.signedData) throw new CmsFormatError(`not a SignedData (content type ${type})`);
  const wrapper = expectTag(child(root, 1, 'content'), ctx(0), 'content [0]');
  const sd = expectTag(child(wrapper, 0, 'SignedData'), TAG.SEQUENCE, 'SignedData');
  return { raw: bytes, ...parseSignedData(sd) };
}

function parseSignedData(sd: Asn1Node): Omit<CmsSignedData, 'raw'> {
  const version = readSmallInt(child(sd, 0, 'version'));
  const algs = expectTag(child(sd, 1, 'digestAlgorithms'), TAG.SET, 'digestAlgorithms');
  if (algs.children.length > MAX_DIGEST_ALGORITHMS) throw new CmsFormatError('too many digest algorithms');
  const encap = expectTag(child(sd, 2, 'encapContentInfo'), TAG.SEQUENCE, 'encapContentInfo');
  const contentType = readOid(child(encap, 0, 'eContentType'));
  let content: Uint8Array | undefined;
  if (encap.children[1]) {
    const explicit = expectTag(encap.children[1], ctx(0), 'eContent [0]');
    // BER producers may chunk the content as a constructed OCTET STRING; stringBytes joins it.
    content = stringBytes(expectOctetString(child(explicit, 0, 'eContent')));
  }
  const certificates: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  let i = 3;
  if (sd.children[i]?.tag === ctx(0)) {
    const set = sd.children[i++];
    if (set.children.length > MAX_CERTIFICATES) throw new CmsFormatError('too many certificates');
    for (const c of set.children) if (c.tag === TAG.SEQUENCE) certificates.push(c.raw);
  }
  if (sd.children[i]?.tag === ctx(1)) {
    const set = sd.children[i++];
    if (set.children.length > MAX_CERTIFICATES) throw new CmsFormatError('too many CRLs');
    for (const c of set.children) if (c.tag === TAG.SEQUENCE) crls.push(c.raw);
  }
  const infos = expectTag(child(sd, i, 'signerInfos'), TAG.SET, 'signerInfos');
  if (sd.children.length !== i + 1) throw new CmsFormatError('unexpected elements after signerInfos');
  if (infos.children.length > MAX_SIGNERS) throw new CmsFormatError('too many signers');
  return {
    version,
    digestAlgorithms: algs.children.map(parseAlgorithm),
    contentType,
    content,
    certificates,
    crls,
    signerInfos: infos.children.map(parseSignerInfo),
  };
}

function expectOctetString(node: Asn1Node): Asn1Node {
  if (node.tag !== TAG.OCTET_STRING && node.tag !== (TAG.OCTET_STRING | 0x20)) throw new Asn1Error('eContent: expected an OCTET STRING', node.offset);
  return node;
}

export function parseAlgorithm(node: Asn1Node): AlgorithmIdentifier {
  expectTag(node, TAG.SEQUENCE, 'AlgorithmIdentifier');
  const params = node.children[1];
  return { oid: readOid(child(node, 0, 'algorithm')), params: params?.raw, raw: node.raw };
}

function parseSignerInfo(node: Asn1Node): CmsSignerInfo {
  expectTag(node, TAG.SEQUENCE, 'SignerInfo');
  const version = readSmallInt(child(node, 0, 'version'));
  const sidNode = child(node, 1, 'sid');
  let sid: SignerIdentifier;
  if (sidNode.tag === TAG.SEQUENCE) {
    const issuer = expectTag(child(sidNode, 0, 'issuer'), TAG.SEQUENCE, 'issuer');
    const serial = expectTag(child(sidNode, 1, 'serialNumber'), TAG.INTEGER, 'serialNumber');
    sid = { type: 'issuerAndSerialNumber', issuerRaw: issuer.raw, serial: serial.value };
  } else if (sidNode.tag === ctx(0, false)) {
    sid = { type: 'subjectKeyIdentifier', keyId: sidNode.value };
  } else throw new CmsFormatError('unknown signer identifier');
  const digestAlgorithm = parseAlgorithm(child(node, 2, 'digestAlgorithm'));
  let i = 3;
  let signedAttrs: CmsSignerInfo['signedAttrs'];
  if (node.children[i]?.tag === ctx(0)) {
    const n = node.children[i++];
    // The signature covers the attributes encoded as SET OF (tag 0x31), not as the [0] IMPLICIT field.
    const der = new Uint8Array(n.raw);
    der[0] = TAG.SET;
    signedAttrs = { der, attributes: parseAttributes(n) };
  }
  const signatureAlgorithm = parseAlgorithm(child(node, i++, 'signatureAlgorithm'));
  const sigNode = expectOctetString(child(node, i++, 'signature'));
  let unsignedAttrs: CmsAttribute[] = [];
  if (node.children[i]?.tag === ctx(1)) unsignedAttrs = parseAttributes(node.children[i++]);
  if (node.children.length !== i) throw new CmsFormatError('unexpected elements in SignerInfo');
  return { raw: node.raw, version, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature: stringBytes(sigNode), unsignedAttrs };
}

function parseAttributes(set: Asn1Node): CmsAttribute[] {
  if (set.children.length > MAX_ATTRIBUTES) throw new CmsFormatError('too many attributes');
  return set.children.map((a) => {
    expectTag(a, TAG.SEQUENCE, 'Attribute');
    const values = expectTag(child(a, 1, 'attrValues'), TAG.SET, 'attrValues');
    if (values.children.length > MAX_ATTRIBUTES) throw new CmsFormatError('too many attribute values');
    return { oid: readOid(child(a, 0, 'attrType')), values: values.children, raw: a.raw };
  });
}

// ---------- typed access to the attributes we understand ----------

/** The single value of an attribute; CMS forbids several values for these attributes. */
export function singleAttribute(attrs: CmsAttribute[], oidWanted: string): Asn1Node | undefined {
  const found = attrs.filter((a) => a.oid === oidWanted);
  if (found.length === 0) return undefined;
  if (found.length > 1 || found[0].values.length !== 1) throw new CmsFormatError(`attribute ${oidWanted} must occur once with one value`);
  return found[0].values[0];
}

export function attrContentType(attrs: CmsAttribute[]): string | undefined {
  const v = singleAttribute(attrs, PKCS9.contentType);
  return v ? readOid(v) : undefined;
}

export function attrMessageDigest(attrs: CmsAttribute[]): Uint8Array | undefined {
  const v = singleAttribute(attrs, PKCS9.messageDigest);
  return v ? expectTag(v, TAG.OCTET_STRING, 'messageDigest').value : undefined;
}

export function attrSigningTime(attrs: CmsAttribute[]): Date | undefined {
  const v = singleAttribute(attrs, PKCS9.signingTime);
  return v ? readTime(v) : undefined;
}

/** One ESSCertID(v2): the hash of the signer certificate and, optionally, its issuer/serial. */
export interface EssCertId {
  version: 1 | 2;
  hashAlgorithmOid: string;
  certHash: Uint8Array;
  issuerSerial?: { issuerNames: Uint8Array[]; serial: Uint8Array };
}

/** First ESSCertID of signingCertificateV2 (preferred) or signingCertificate: the one naming the signer. */
export function attrSigningCertificate(attrs: CmsAttribute[]): EssCertId | undefined {
  const v2 = singleAttribute(attrs, ESS.signingCertificateV2);
  const v1 = v2 ? undefined : singleAttribute(attrs, ESS.signingCertificate);
  const attr = v2 ?? v1;
  if (!attr) return undefined;
  const certs = expectTag(child(expectTag(attr, TAG.SEQUENCE, 'SigningCertificate'), 0, 'certs'), TAG.SEQUENCE, 'certs');
  const id = expectTag(child(certs, 0, 'ESSCertID'), TAG.SEQUENCE, 'ESSCertID');
  let i = 0;
  let hashAlgorithmOid: string = v2 ? SHA.sha256 : SHA.sha1; // ESSCertIDv2's DEFAULT is SHA-256
  if (v2 && id.children[0]?.tag === TAG.SEQUENCE) hashAlgorithmOid = parseAlgorithm(id.children[i++]).oid;
  const certHash = expectTag(child(id, i++, 'certHash'), TAG.OCTET_STRING, 'certHash').value;
  let issuerSerial: EssCertId['issuerSerial'];
  const is = id.children[i];
  if (is) {
    expectTag(is, TAG.SEQUENCE, 'IssuerSerial');
    const names = expectTag(child(is, 0, 'issuer'), TAG.SEQUENCE, 'GeneralNames');
    // Only directoryName [4] entries can name a certificate issuer; keep their inner Name bytes.
    const issuerNames = names.children.filter((g) => g.tag === ctx(4)).map((g) => child(g, 0, 'Name').raw);
    issuerSerial = { issuerNames, serial: expectTag(child(is, 1, 'serial'), TAG.INTEGER, 'serial').value };
  }
  return { version: v2 ? 2 : 1, hashAlgorithmOid, certHash, issuerSerial };
}
