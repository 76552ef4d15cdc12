// RFC 3161 timestamp tokens inside CMS (CAdES-T): reading TSTInfo, making tokens (our test TSA and
// the NCALayer emulator's tsaProfile) and attaching a token to a signer as id-aa-signatureTimeStampToken.
import { KenseError } from '../../contract/errors';
import {
  TAG, bytesEqual, child, ctx, derNull, expectTag, generalizedTime, integer, octetString, oid, parseAsn1, readBoolean, readOid,
  readSigned, readTime, readUnsigned, seq, tlv, type Asn1Node,
} from './der';
import { parseAlgorithm, parseCms, CmsFormatError, type CmsSignedData } from './cms-parse';
import { attribute, buildSignerInfo, encodeSignedData } from './cms';
import { digestBytes, digestOidFor } from './signatures';
import { CMS, ESS } from './oids';
import type { KzCertificate, PrivateKeyHandle } from './types';

export interface TstInfo {
  version: number;
  policy: string;
  imprintAlgorithmOid: string;
  imprint: Uint8Array;
  /** Signed: RFC 3161 says INTEGER, and Kalkan's TSA writes values with the high bit set. */
  serialNumber: bigint;
  /** The serialNumber INTEGER's content bytes, as written (compare these, not a re-encoding). */
  serialNumberBytes: Uint8Array;
  genTime: Date;
  ordering: boolean;
  /** Signed, like serialNumber; a request's nonce is matched by `nonceBytes`. */
  nonce?: bigint;
  nonceBytes?: Uint8Array;
}

/** TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime, accuracy?, ordering?, nonce?, tsa [0]?, extensions [1]? } */
export function parseTstInfo(der: Uint8Array): TstInfo {
  const n = expectTag(parseAsn1(der), TAG.SEQUENCE, 'TSTInfo');
  const imprint = expectTag(child(n, 2, 'messageImprint'), TAG.SEQUENCE, 'messageImprint');
  let ordering = false;
  let nonceNode: Asn1Node | undefined;
  for (const c of n.children.slice(5)) {
    if (c.tag === TAG.BOOLEAN) ordering = readBoolean(c);
    else if (c.tag === TAG.INTEGER) nonceNode = c;
  }
  const serial = child(n, 3, 'serialNumber');
  return {
    version: Number(readUnsigned(child(n, 0, 'version'))),
    policy: readOid(child(n, 1, 'policy')),
    imprintAlgorithmOid: parseAlgorithm(child(imprint, 0, 'hashAlgorithm')).oid,
    imprint: expectTag(child(imprint, 1, 'hashedMessage'), TAG.OCTET_STRING, 'hashedMessage').value,
    serialNumber: readSigned(serial),
    serialNumberBytes: serial.value,
    genTime: readTime(expectTag(child(n, 4, 'genTime'), TAG.GENERALIZED_TIME, 'genTime')),
    ordering,
    ...(nonceNode ? { nonce: readSigned(nonceNode), nonceBytes: nonceNode.value } : {}),
  };
}

/** A timestamp token is itself a CMS over TSTInfo; returns both, or throws CmsFormatError. */
export function parseTimestampToken(token: Uint8Array): { cms: CmsSignedData; tstInfo: TstInfo } {
  const cms = parseCms(token);
  if (cms.contentType !== CMS.tstInfo || !cms.content) throw new CmsFormatError('timestamp token does not carry a TSTInfo');
  try {
    return { cms, tstInfo: parseTstInfo(cms.content) };
  } catch (e) {
    throw new CmsFormatError(`bad TSTInfo: ${(e as Error).message}`);
  }
}

/** The message imprint a token must carry for a signer: hash of the signature value (RFC 3161 / CAdES-T). */
export function imprintMatches(tst: TstInfo, signatureValue: Uint8Array): boolean {
  return bytesEqual(digestBytes(tst.imprintAlgorithmOid, signatureValue), tst.imprint);
}

export interface CreateTimestampOptions {
  /** The SignerInfo signature value being timestamped. */
  signatureValue: Uint8Array;
  key: PrivateKeyHandle;
  certificate: KzCertificate;
  /** НУЦ uses 1.2.398.3.3.2.6.4 for GOST-2015. */
  policy: string;
  genTime?: Date;
  serialNumber: bigint;
  /** Imprint hash; default the TSA key's own digest (Streebog-512 for GOST-2015-512, as НУЦ does). */
  imprintAlgorithmOid?: string;
}

/** Makes a timestamp token (a TSA's answer). Used by the test TSA and the NCALayer emulator. */
export function createTimestampToken(o: CreateTimestampOptions): Uint8Array {
  const genTime = o.genTime ?? new Date();
  const hashOid = o.imprintAlgorithmOid ?? digestOidFor(o.key.algorithm);
  const tst = seq(
    integer(1),
    oid(o.policy),
    seq(seq(oid(hashOid), derNull()), octetString(digestBytes(hashOid, o.signatureValue))),
    integer(o.serialNumber),
    generalizedTime(genTime),
  );
  return signTstInfo(tst, { key: o.key, certificate: o.certificate, genTime });
}

/**
 * Wraps a ready TSTInfo (DER) into a token signed by the TSA key: SignedData v3 over id-ct-TSTInfo
 * with the TSA certificate. For TSAs that write TSTInfo their own way (tests rebuild Kalkan's layout).
 */
export function signTstInfo(tst: Uint8Array, o: { key: PrivateKeyHandle; certificate: KzCertificate; genTime: Date }): Uint8Array {
  const signer = buildSignerInfo({ key: o.key, certificate: o.certificate, contentType: CMS.tstInfo, content: tst, signingTime: o.genTime });
  return encodeSignedData({
    version: 3, // RFC 5652 §5.1: eContentType other than id-data → version 3
    digestAlgorithms: [signer.digestAlgorithm],
    contentType: CMS.tstInfo,
    content: tst,
    certificates: [o.certificate.der],
    crls: [],
    signerInfos: [signer.der],
  });
}

/**
 * CAdES-T: attaches `token` to signer `signerIndex` as an unsigned attribute. Only that SignerInfo is
 * re-encoded (its signed part byte-exact); everything else is copied as it was.
 */
export function addTimestampToken(cmsInput: Uint8Array | string, token: Uint8Array, signerIndex = 0): Uint8Array {
  let parsed: CmsSignedData;
  try {
    parsed = parseCms(cmsInput);
    parseTimestampToken(token);
  } catch (e) {
    if (e instanceof CmsFormatError) throw new KenseError('CMS_MALFORMED', { problem: e.message });
    throw e;
  }
  const target = parsed.signerInfos[signerIndex];
  if (!target) throw new KenseError('INVALID_INPUT', { field: 'signerIndex' });
  const node = parseAsn1(target.raw);
  const kept: Asn1Node[] = node.children.filter((c) => c.tag !== ctx(1));
  const existing = node.children.find((c) => c.tag === ctx(1));
  const attrs = [...(existing?.children.map((a) => a.raw) ?? []), attribute(ESS.signatureTimeStampToken, token)];
  const rebuilt = tlv(TAG.SEQUENCE, ...kept.map((c) => c.raw), tlv(ctx(1), ...attrs));
  return encodeSignedData({
    version: parsed.version,
    digestAlgorithms: parsed.digestAlgorithms.map((a) => a.raw),
    contentType: parsed.contentType,
    content: parsed.content,
    certificates: parsed.certificates,
    crls: parsed.crls,
    signerInfos: parsed.signerInfos.map((s, i) => (i === signerIndex ? rebuilt : s.raw)),
  });
}
