// CMS SignedData builder in the exact layout NCALayer/Kalkan produce (NCALAYER_AND_PKI.md §6),
// attached or detached, plus co-signing (a second party signs the same act inside the same CMS).
import { createHash } from 'node:crypto';
import { KenseError } from '../../contract/errors';
import {
  TAG, bytesEqual, child, concatBytes, ctx, derNull, explicit, expectTag, octetString, oid, parseAsn1, seq, setOf, time, tlv,
  integer,
} from './der';
import { CmsFormatError, parseCms, type CmsSignedData } from './cms-parse';
import { CMS, ESS, PKCS9 } from './oids';
import { digestBytes, digestOidFor, signatureOidFor } from './signatures';
import type { KzCertificate, PrivateKeyHandle } from './types';

export interface CreateCmsOptions {
  /** The document. Omit only when `digest` is given. */
  data?: Uint8Array;
  /**
   * A ready hash of the document (NCALayer's createCAdESFromBase64Hash): the CMS is then detached.
   * Must be made with the key's digest (Streebog-512 for GOST-2015-512, SHA-256 for RSA).
   */
  digest?: Uint8Array;
  key: PrivateKeyHandle;
  certificate: KzCertificate;
  detached?: boolean;
  signingTime?: Date;
}

export interface AddCmsSignerOptions {
  key: PrivateKeyHandle;
  certificate: KzCertificate;
  /** Required when the CMS is detached (or give `digest`); checked against the content when attached. */
  data?: Uint8Array;
  digest?: Uint8Array;
  signingTime?: Date;
}

/** Builds a CMS SignedData with one signer. Returns DER. */
export function createCms(opts: CreateCmsOptions): Uint8Array {
  if (opts.digest && opts.data) throw new KenseError('INVALID_INPUT', { field: 'digest', problem: 'give data or digest, not both' });
  if (!opts.digest && !opts.data) throw new KenseError('CMS_DATA_REQUIRED');
  const detached = opts.detached === true || opts.digest !== undefined;
  const signer = buildSignerInfo({
    key: opts.key,
    certificate: opts.certificate,
    contentType: CMS.data,
    content: opts.data,
    digest: opts.digest,
    signingTime: opts.signingTime ?? new Date(),
  });
  return encodeSignedData({
    version: 1,
    digestAlgorithms: [signer.digestAlgorithm],
    contentType: CMS.data,
    content: detached ? undefined : opts.data,
    certificates: [opts.certificate.der],
    crls: [],
    signerInfos: [signer.der],
  });
}

/**
 * Co-signing: adds one SignerInfo over the same content. Existing signer infos, certificates and
 * CRLs are copied byte-exact; digest algorithms and certificates are merged without duplicates.
 * Signer order is signing order (SET OF order carries no meaning in CMS, and the act screen shows it).
 */
export function addCmsSigner(cms: Uint8Array | string, opts: AddCmsSignerOptions): Uint8Array {
  let parsed: CmsSignedData;
  try {
    parsed = parseCms(cms);
  } catch (e) {
    if (e instanceof CmsFormatError) throw new KenseError('CMS_MALFORMED', { problem: e.message });
    throw e;
  }
  if (parsed.content && opts.data && !bytesEqual(parsed.content, opts.data)) throw new KenseError('CMS_DATA_MISMATCH');
  const content = parsed.content ?? opts.data;
  if (!content && !opts.digest) throw new KenseError('CMS_DATA_REQUIRED');
  const signer = buildSignerInfo({
    key: opts.key,
    certificate: opts.certificate,
    contentType: parsed.contentType,
    content: opts.digest ? undefined : content,
    digest: opts.digest,
    signingTime: opts.signingTime ?? new Date(),
  });
  const digestAlgorithms = parsed.digestAlgorithms.map((a) => a.raw);
  if (!parsed.digestAlgorithms.some((a) => a.oid === signer.digestOid)) digestAlgorithms.push(signer.digestAlgorithm);
  const certificates = [...parsed.certificates];
  if (!certificates.some((c) => bytesEqual(c, opts.certificate.der))) certificates.push(opts.certificate.der);
  return encodeSignedData({
    version: Math.max(parsed.version, 1),
    digestAlgorithms,
    contentType: parsed.contentType,
    content: parsed.content,
    certificates,
    crls: parsed.crls,
    signerInfos: [...parsed.signerInfos.map((s) => s.raw), signer.der],
  });
}

// ---------- building blocks (also used by the timestamp authority in tsp.ts) ----------

export interface SignedDataParts {
  version: number;
  /** Encoded AlgorithmIdentifiers. */
  digestAlgorithms: Uint8Array[];
  contentType: string;
  content?: Uint8Array;
  certificates: Uint8Array[];
  crls: Uint8Array[];
  /** Encoded SignerInfos. */
  signerInfos: Uint8Array[];
}

/** ContentInfo { signedData, [0] SignedData }. Sets keep the given order (see addCmsSigner). */
export function encodeSignedData(p: SignedDataParts): Uint8Array {
  const encap = p.content === undefined ? seq(oid(p.contentType)) : seq(oid(p.contentType), explicit(0, octetString(p.content)));
  const parts = [integer(p.version), tlv(TAG.SET, ...p.digestAlgorithms), encap];
  if (p.certificates.length) parts.push(tlv(ctx(0), ...p.certificates));
  if (p.crls.length) parts.push(tlv(ctx(1), ...p.crls));
  parts.push(tlv(TAG.SET, ...p.signerInfos));
  return seq(oid(CMS.signedData), explicit(0, seq(...parts)));
}

export interface SignerInfoInput {
  key: PrivateKeyHandle;
  certificate: KzCertificate;
  contentType: string;
  content?: Uint8Array;
  digest?: Uint8Array;
  signingTime: Date;
}

export interface BuiltSignerInfo {
  der: Uint8Array;
  digestOid: string;
  digestAlgorithm: Uint8Array;
  signature: Uint8Array;
}

const DIGEST_LENGTH: Record<string, number> = {
  '2.16.840.1.101.3.4.2.1': 32,
  '1.2.398.3.10.1.3.1': 32,
  '1.2.398.3.10.1.3.2': 32,
  '1.2.398.3.10.1.3.3': 64,
};

/** One SignerInfo v1 with the four signed attributes of §6, signed by `key`. */
export function buildSignerInfo(input: SignerInfoInput): BuiltSignerInfo {
  const { key, certificate } = input;
  if (key.destroyed || key.algorithm !== certificate.keyAlgorithm) throw new KenseError('CMS_KEY_MISMATCH');
  const digestOid = digestOidFor(key.algorithm);
  const sigOid = signatureOidFor(key.algorithm);
  let messageDigest: Uint8Array;
  if (input.digest) {
    if (input.digest.length !== DIGEST_LENGTH[digestOid]) throw new KenseError('INVALID_INPUT', { field: 'digest', problem: `expected ${DIGEST_LENGTH[digestOid]} bytes for ${digestOid}` });
    messageDigest = input.digest;
  } else if (input.content) messageDigest = digestBytes(digestOid, input.content);
  else throw new KenseError('CMS_DATA_REQUIRED');
  const signedAttrs = setOf(
    attribute(PKCS9.contentType, oid(input.contentType)),
    attribute(PKCS9.signingTime, time(wholeSeconds(input.signingTime))),
    attribute(ESS.signingCertificateV2, signingCertificateV2(certificate.der)),
    attribute(PKCS9.messageDigest, octetString(messageDigest)),
  );
  const signature = key.sign(signedAttrs);
  const digestAlgorithm = seq(oid(digestOid), derNull());
  const der = seq(
    integer(1),
    issuerAndSerialNumber(certificate),
    digestAlgorithm,
    // [0] IMPLICIT: same content bytes as the signed SET, only the tag differs.
    concatBytes(Uint8Array.of(ctx(0)), signedAttrs.subarray(1)),
    seq(oid(sigOid), derNull()),
    octetString(signature),
  );
  return { der, digestOid, digestAlgorithm, signature };
}

export const attribute = (type: string, value: Uint8Array): Uint8Array => seq(oid(type), setOf(value));

/** SigningCertificateV2 { certs { ESSCertIDv2 { certHash = SHA-256(cert) } } }: SHA-256 is the DEFAULT, so omitted. */
export function signingCertificateV2(certDer: Uint8Array): Uint8Array {
  const hash = new Uint8Array(createHash('sha256').update(certDer).digest());
  return seq(seq(seq(octetString(hash))));
}

const issuerSerialCache = new WeakMap<KzCertificate, Uint8Array>();

/** Issuer Name and serial INTEGER copied byte-for-byte from the certificate (never re-encoded). */
export function issuerAndSerialNumber(cert: KzCertificate): Uint8Array {
  const cached = issuerSerialCache.get(cert);
  if (cached) return cached;
  const tbs = expectTag(child(expectTag(parseAsn1(cert.der), TAG.SEQUENCE, 'Certificate'), 0, 'tbsCertificate'), TAG.SEQUENCE, 'tbsCertificate');
  const hasVersion = tbs.children[0]?.tag === ctx(0);
  const serial = expectTag(child(tbs, hasVersion ? 1 : 0, 'serialNumber'), TAG.INTEGER, 'serialNumber');
  const encoded = seq(cert.issuerRaw, serial.raw);
  issuerSerialCache.set(cert, encoded);
  return encoded;
}

/** UTCTime carries whole seconds; drop milliseconds so the attribute and the reported time agree. */
function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
