// OCSP (RFC 6960): building a request (SHA-256 CertID + nonce, as ocsp.pki.gov.kz expects), reading a
// BasicOCSPResponse, and checking who signed it.
import { createHash, randomBytes } from 'node:crypto';
import { KenseError } from '../../contract/errors';
import { certificateFromNode, certificateParts, serialHex } from './certificate';
import {
  type Asn1Node, Asn1Error, TAG, bytesEqual, child, ctx, derNull, explicit, expectTag, integerFromBytes, octetString, oid,
  parseAsn1, readBitString, readOid, readSmallInt, readTime, seq, stringBytes,
} from './der';
import { type Extension, parseExtensions } from './extensions';
import { namesMatch } from './names';
import { CRL_REASONS, EKU, OCSP, SHA } from './oids';
import { verifySignedBytes } from './signatures';
import type { KzCertificate, TrustStore } from './types';

export type OcspResponseStatus = 'successful' | 'malformedRequest' | 'internalError' | 'tryLater' | 'sigRequired' | 'unauthorized';

const RESPONSE_STATUS: Record<number, OcspResponseStatus> = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

export interface OcspCertId {
  hashAlgorithmOid: string;
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  /** Upper-case hex, as KzCertificate.serialNumber. */
  serialNumber: string;
}

export interface OcspSingleResponse {
  certId: OcspCertId;
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  reason?: string;
  thisUpdate: Date;
  nextUpdate?: Date;
}

export interface OcspResponse {
  status: OcspResponseStatus;
  /** Present when status is 'successful'. */
  basic?: BasicOcspResponse;
}

export interface BasicOcspResponse {
  responderId: { byName: Uint8Array } | { byKeyHash: Uint8Array };
  producedAt: Date;
  responses: OcspSingleResponse[];
  nonce?: Uint8Array;
  /** RFC 6960 §4.4.8: "revoked" may also mean "this serial was never issued". */
  extendedRevoke: boolean;
  certs: KzCertificate[];
  signatureAlgorithmOid: string;
  readonly tbs: Uint8Array;
  readonly signature: Uint8Array;
}

const malformed = (reason: string, cause?: unknown) => new KenseError('OCSP_MALFORMED', { reason }, { cause });

/** Parses an OCSPResponse (DER). Structural problems → KenseError('OCSP_MALFORMED'). */
export function parseOcspResponse(der: Uint8Array): OcspResponse {
  try {
    const root = expectTag(parseAsn1(der), TAG.SEQUENCE, 'OCSPResponse');
    const statusNode = expectTag(child(root, 0, 'responseStatus'), TAG.ENUMERATED, 'responseStatus');
    if (statusNode.value.length !== 1) throw new Asn1Error('bad responseStatus');
    const status = RESPONSE_STATUS[statusNode.value[0]];
    if (!status) throw new Asn1Error(`unknown responseStatus ${statusNode.value[0]}`);
    if (status !== 'successful') return { status };
    const bytes = expectTag(child(expectTag(child(root, 1, 'responseBytes'), ctx(0), 'responseBytes'), 0, 'ResponseBytes'), TAG.SEQUENCE, 'ResponseBytes');
    const type = readOid(child(bytes, 0, 'responseType'));
    if (type !== OCSP.basic) throw malformed(`unsupported response type ${type}`);
    return { status, basic: readBasic(parseAsn1(stringBytes(expectTag(child(bytes, 1, 'response'), TAG.OCTET_STRING, 'response')))) };
  } catch (e) {
    if (e instanceof KenseError && e.code !== 'CERT_MALFORMED' && e.code !== 'PKI_UNSUPPORTED_ALGORITHM') throw e;
    throw malformed(e instanceof Error ? e.message : 'unreadable OCSP response', e);
  }
}

function readBasic(node: Asn1Node): BasicOcspResponse {
  expectTag(node, TAG.SEQUENCE, 'BasicOCSPResponse');
  const tbs = expectTag(child(node, 0, 'tbsResponseData'), TAG.SEQUENCE, 'ResponseData');
  const signatureAlgorithmOid = readOid(child(expectTag(child(node, 1, 'signatureAlgorithm'), TAG.SEQUENCE, 'signatureAlgorithm'), 0, 'algorithm'));
  const signature = readBitString(child(node, 2, 'signature')).bytes;
  const certs = node.children[3] ? child(expectTag(node.children[3], ctx(0), 'certs'), 0, 'certs').children.map(certificateFromNode) : [];

  let i = 0;
  if (tbs.children[0]?.tag === ctx(0)) {
    if (readSmallInt(child(tbs.children[0], 0, 'version')) !== 0) throw new Asn1Error('unknown ResponseData version');
    i++;
  }
  const rid = child(tbs, i++, 'responderID');
  let responderId: BasicOcspResponse['responderId'];
  if (rid.tag === ctx(1)) responderId = { byName: expectTag(child(rid, 0, 'byName'), TAG.SEQUENCE, 'Name').raw };
  else if (rid.tag === ctx(2)) responderId = { byKeyHash: stringBytes(expectTag(child(rid, 0, 'byKey'), TAG.OCTET_STRING, 'KeyHash')) };
  else throw new Asn1Error('bad responderID', rid.offset);
  const producedAt = readTime(expectTag(child(tbs, i++, 'producedAt'), TAG.GENERALIZED_TIME, 'producedAt'));
  const responses = expectTag(child(tbs, i++, 'responses'), TAG.SEQUENCE, 'responses').children.map(readSingle);
  let extensions: Extension[] = [];
  if (tbs.children[i]) extensions = parseExtensions(child(expectTag(tbs.children[i++], ctx(1), 'responseExtensions'), 0, 'Extensions'));
  if (tbs.children.length !== i) throw new Asn1Error('unexpected data in ResponseData');
  const nonceExt = extensions.find((e) => e.oid === OCSP.nonce);
  // The nonce extnValue is an OCTET STRING (RFC 8954); some responders put the raw bytes instead.
  let nonce: Uint8Array | undefined;
  if (nonceExt) {
    try {
      nonce = stringBytes(expectTag(parseAsn1(nonceExt.value), TAG.OCTET_STRING, 'nonce'));
    } catch {
      nonce = nonceExt.value;
    }
  }
  return {
    responderId,
    producedAt,
    responses,
    nonce,
    extendedRevoke: extensions.some((e) => e.oid === OCSP.extendedRevoke),
    certs,
    signatureAlgorithmOid,
    tbs: tbs.raw,
    signature,
  };
}

function readSingle(node: Asn1Node): OcspSingleResponse {
  expectTag(node, TAG.SEQUENCE, 'SingleResponse');
  const id = expectTag(child(node, 0, 'certID'), TAG.SEQUENCE, 'CertID');
  const certId: OcspCertId = {
    hashAlgorithmOid: readOid(child(expectTag(child(id, 0, 'hashAlgorithm'), TAG.SEQUENCE, 'hashAlgorithm'), 0, 'algorithm')),
    issuerNameHash: stringBytes(expectTag(child(id, 1, 'issuerNameHash'), TAG.OCTET_STRING, 'issuerNameHash')),
    issuerKeyHash: stringBytes(expectTag(child(id, 2, 'issuerKeyHash'), TAG.OCTET_STRING, 'issuerKeyHash')),
    serialNumber: serialHex(expectTag(child(id, 3, 'serialNumber'), TAG.INTEGER, 'serialNumber').value),
  };
  const st = child(node, 1, 'certStatus');
  let out: Pick<OcspSingleResponse, 'status' | 'revokedAt' | 'reason'>;
  if (st.tag === ctx(0, false)) out = { status: 'good' };
  else if (st.tag === ctx(2, false)) out = { status: 'unknown' };
  else if (st.tag === ctx(1)) {
    out = { status: 'revoked', revokedAt: readTime(expectTag(child(st, 0, 'revocationTime'), TAG.GENERALIZED_TIME, 'revocationTime')) };
    if (st.children[1]) {
      const r = expectTag(child(expectTag(st.children[1], ctx(0), 'revocationReason'), 0, 'CRLReason'), TAG.ENUMERATED, 'CRLReason');
      out.reason = CRL_REASONS[r.value[0]] ?? `reason-${r.value[0]}`;
    }
  } else throw new Asn1Error('bad certStatus', st.offset);
  const thisUpdate = readTime(expectTag(child(node, 2, 'thisUpdate'), TAG.GENERALIZED_TIME, 'thisUpdate'));
  const next = node.children.find((c) => c.tag === ctx(0));
  return { certId, ...out, thisUpdate, ...(next ? { nextUpdate: readTime(child(next, 0, 'nextUpdate')) } : {}) };
}

// ---------- CertID matching and requests ----------

const HASHES: Record<string, string> = { [SHA.sha1]: 'sha1', [SHA.sha256]: 'sha256', [SHA.sha384]: 'sha384', [SHA.sha512]: 'sha512' };

function hashWith(oidStr: string, data: Uint8Array): Uint8Array | undefined {
  const name = HASHES[oidStr];
  return name ? new Uint8Array(createHash(name).update(data).digest()) : undefined;
}

/** Does this CertID name `cert` as issued by `issuer`? (Serial, issuer name hash and issuer key hash.) */
export function certIdMatches(id: OcspCertId, cert: KzCertificate, issuer: KzCertificate): boolean {
  if (id.serialNumber !== cert.serialNumber) return false;
  const nameHash = hashWith(id.hashAlgorithmOid, issuer.subjectRaw);
  const keyHash = hashWith(id.hashAlgorithmOid, certificateParts(issuer).spki.subjectPublicKey);
  return !!nameHash && !!keyHash && bytesEqual(nameHash, id.issuerNameHash) && bytesEqual(keyHash, id.issuerKeyHash);
}

/**
 * An OCSPRequest for one certificate: CertID with SHA-256 (hashAlgorithm with NULL parameters, as
 * the НУЦ РК responder writes it back) and a nonce extension (RFC 8954). Returns the DER and the nonce.
 */
export function buildOcspRequest(cert: KzCertificate, issuer: KzCertificate, opts: { nonce?: Uint8Array | boolean } = {}): { der: Uint8Array; nonce?: Uint8Array } {
  const certId = seq(
    seq(oid(SHA.sha256), derNull()),
    octetString(hashWith(SHA.sha256, issuer.subjectRaw)!),
    octetString(hashWith(SHA.sha256, certificateParts(issuer).spki.subjectPublicKey)!),
    integerFromBytes(certificateParts(cert).serialBytes),
  );
  const nonce = opts.nonce === false ? undefined : opts.nonce instanceof Uint8Array ? opts.nonce : new Uint8Array(randomBytes(16));
  if (nonce && (nonce.length < 1 || nonce.length > 32)) throw new KenseError('INVALID_INPUT', { reason: 'OCSP nonce must be 1..32 bytes' });
  const exts = nonce ? [explicit(2, seq(seq(oid(OCSP.nonce), octetString(octetString(nonce)))))] : [];
  const der = seq(seq(seq(seq(certId)), ...exts));
  return nonce ? { der, nonce } : { der };
}

// ---------- verification ----------

export interface OcspVerification {
  valid: boolean;
  /** Why not, in a sentence for logs (never shown as the only explanation to a user). */
  problem?: string;
  responder?: KzCertificate;
  /** The single response about the certificate asked for (when `cert` was given). */
  single?: OcspSingleResponse;
}

function responderMatches(id: BasicOcspResponse['responderId'], c: KzCertificate): boolean {
  if ('byName' in id) return namesMatch(id.byName, c.subjectRaw);
  const keyHash = hashWith(SHA.sha1, certificateParts(c).spki.subjectPublicKey)!;
  return bytesEqual(keyHash, id.byKeyHash);
}

const sameKey = (a: KzCertificate, b: KzCertificate) => bytesEqual(certificateParts(a).spki.subjectPublicKey, certificateParts(b).spki.subjectPublicKey);

/** Clock skew tolerated between the responder and us. */
const SKEW_MS = 5 * 60_000;

/**
 * Checks an OCSP response: status successful; the responder is the CA itself or a certificate the
 * CA issued for OCSP signing (id-kp-OCSPSigning), valid when the response was produced; the
 * signature over tbsResponseData verifies; the nonce matches when one is expected; the response was
 * not produced after `at`. With `cert`, the single response about it is picked out.
 */
export function verifyOcspResponse(
  resp: OcspResponse,
  opts: { issuer: KzCertificate; trust?: TrustStore; at: Date; cert?: KzCertificate; nonce?: Uint8Array },
): OcspVerification {
  const basic = resp.basic;
  if (resp.status !== 'successful' || !basic) return { valid: false, problem: `responder answered ${resp.status}` };
  const { issuer } = opts;
  const candidates = [...basic.certs, issuer, ...(opts.trust ? [...opts.trust.intermediates, ...opts.trust.anchors] : [])];
  const responder = candidates.find((c) => responderMatches(basic.responderId, c));
  if (!responder) return { valid: false, problem: 'responder certificate not found' };

  if (!sameKey(responder, issuer)) {
    // Delegated responder (RFC 6960 §4.2.2.2): issued by the CA, with id-kp-OCSPSigning.
    if (!namesMatch(responder.issuerRaw, issuer.subjectRaw)) return { valid: false, problem: 'responder not issued by the CA', responder };
    if (!responder.ekuOids.includes(EKU.ocspSigning)) return { valid: false, problem: 'responder lacks id-kp-OCSPSigning', responder };
    const rp = certificateParts(responder);
    if (!safeVerify(issuer, rp.signatureAlgorithmOid, rp.tbs, rp.signatureValue)) return { valid: false, problem: 'responder certificate signature is not the CA’s', responder };
    if (basic.producedAt < responder.notBefore || basic.producedAt > responder.notAfter) return { valid: false, problem: 'responder certificate not valid when the response was produced', responder };
  }
  if (!safeVerify(responder, basic.signatureAlgorithmOid, basic.tbs, basic.signature)) return { valid: false, problem: 'response signature does not verify', responder };
  if (opts.nonce && (!basic.nonce || !bytesEqual(basic.nonce, opts.nonce))) return { valid: false, problem: 'nonce mismatch', responder };
  if (basic.producedAt.getTime() > opts.at.getTime() + SKEW_MS) return { valid: false, problem: 'response produced after the time of checking', responder };
  if (opts.cert) {
    const single = basic.responses.find((r) => certIdMatches(r.certId, opts.cert!, issuer));
    if (!single) return { valid: false, problem: 'response does not cover the certificate', responder };
    return { valid: true, responder, single };
  }
  return { valid: true, responder };
}

function safeVerify(signer: KzCertificate, alg: string, data: Uint8Array, sig: Uint8Array): boolean {
  try {
    return verifySignedBytes(signer, alg, data, sig);
  } catch (e) {
    if (e instanceof KenseError && e.code === 'PKI_UNSUPPORTED_ALGORITHM') return false;
    throw e;
  }
}
