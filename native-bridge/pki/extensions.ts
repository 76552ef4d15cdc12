// Decoders for the X.509 v3 extensions the НУЦ РК profile uses (RFC 5280 §4.2), shared by certificates and CRLs.
import {
  type Asn1Node, Asn1Error, TAG, ctx, expectTag, parseAsn1, readBitString, readBoolean, readOid, readSmallInt,
  stringBytes, toHex,
} from './der';
import { AIA, KEY_USAGE_BITS, type KeyUsageName } from './oids';

export interface Extension {
  oid: string;
  critical: boolean;
  /** Content of extnValue (the DER of the extension's own structure). */
  value: Uint8Array;
}

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension; a repeated OID is an error (RFC 5280 §4.2). */
export function parseExtensions(node: Asn1Node): Extension[] {
  expectTag(node, TAG.SEQUENCE, 'Extensions');
  const seen = new Set<string>();
  return node.children.map((e) => {
    expectTag(e, TAG.SEQUENCE, 'Extension');
    const oid = readOid(e.children[0] ?? missing('extnID', e));
    let i = 1;
    let critical = false;
    if (e.children[i]?.tag === TAG.BOOLEAN) critical = readBoolean(e.children[i++]);
    const value = stringBytes(expectTag(e.children[i], TAG.OCTET_STRING, 'extnValue'));
    if (e.children.length !== i + 1) throw new Asn1Error('bad Extension', e.offset);
    if (seen.has(oid)) throw new Asn1Error(`extension ${oid} appears twice`, e.offset);
    seen.add(oid);
    return { oid, critical, value };
  });
}

function missing(what: string, at: Asn1Node): never {
  throw new Asn1Error(`missing ${what}`, at.offset);
}

export interface BasicConstraints {
  ca: boolean;
  pathLen?: number;
}

export function decodeBasicConstraints(value: Uint8Array): BasicConstraints {
  const n = expectTag(parseAsn1(value), TAG.SEQUENCE, 'BasicConstraints');
  let i = 0;
  let ca = false;
  if (n.children[i]?.tag === TAG.BOOLEAN) ca = readBoolean(n.children[i++]);
  const pathLen = n.children[i] ? readSmallInt(n.children[i++]) : undefined;
  if (n.children.length !== i) throw new Asn1Error('bad BasicConstraints', n.offset);
  return pathLen === undefined ? { ca } : { ca, pathLen };
}

export function decodeKeyUsage(value: Uint8Array): KeyUsageName[] {
  const { bytes } = readBitString(parseAsn1(value));
  return KEY_USAGE_BITS.filter((_, bit) => bit >> 3 < bytes.length && (bytes[bit >> 3] & (0x80 >> (bit & 7))) !== 0);
}

export function decodeExtKeyUsage(value: Uint8Array): string[] {
  const n = expectTag(parseAsn1(value), TAG.SEQUENCE, 'ExtKeyUsageSyntax');
  return n.children.map(readOid);
}

/** SubjectKeyIdentifier ::= OCTET STRING → lower-case hex. */
export function decodeSubjectKeyId(value: Uint8Array): string {
  return toHex(stringBytes(expectTag(parseAsn1(value), TAG.OCTET_STRING, 'SubjectKeyIdentifier')));
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … } → hex of [0]. */
export function decodeAuthorityKeyId(value: Uint8Array): string | undefined {
  const n = expectTag(parseAsn1(value), TAG.SEQUENCE, 'AuthorityKeyIdentifier');
  const keyId = n.children.find((c) => c.tag === ctx(0, false));
  return keyId ? toHex(keyId.value) : undefined;
}

/** GeneralName choices we read (RFC 5280 §4.2.1.6): rfc822Name [1], dNSName [2], URI [6]. */
export interface GeneralNames {
  emails: string[];
  dnsNames: string[];
  uris: string[];
}

const ia5 = new TextDecoder('latin1');

export function readGeneralNames(n: Asn1Node): GeneralNames {
  const out: GeneralNames = { emails: [], dnsNames: [], uris: [] };
  for (const g of n.children) {
    const text = () => ia5.decode(g.value);
    if (g.tag === ctx(1, false)) out.emails.push(text());
    else if (g.tag === ctx(2, false)) out.dnsNames.push(text());
    else if (g.tag === ctx(6, false)) out.uris.push(text());
  }
  return out;
}

export function decodeSubjectAltName(value: Uint8Array): GeneralNames {
  return readGeneralNames(expectTag(parseAsn1(value), TAG.SEQUENCE, 'GeneralNames'));
}

/** CRLDistributionPoints / FreshestCRL → the URIs of every distributionPoint.fullName. */
export function decodeCrlDistributionPoints(value: Uint8Array): string[] {
  const n = expectTag(parseAsn1(value), TAG.SEQUENCE, 'CRLDistributionPoints');
  const uris: string[] = [];
  for (const dp of n.children) {
    expectTag(dp, TAG.SEQUENCE, 'DistributionPoint');
    const name = dp.children.find((c) => c.tag === ctx(0));
    const full = name?.children.find((c) => c.tag === ctx(0));
    if (full) uris.push(...readGeneralNames(full).uris);
  }
  return uris;
}

export function decodeAuthorityInfoAccess(value: Uint8Array): { ocsp: string[]; caIssuers: string[] } {
  const n = expectTag(parseAsn1(value), TAG.SEQUENCE, 'AuthorityInfoAccessSyntax');
  const out = { ocsp: [] as string[], caIssuers: [] as string[] };
  for (const ad of n.children) {
    expectTag(ad, TAG.SEQUENCE, 'AccessDescription');
    const method = readOid(ad.children[0] ?? missing('accessMethod', ad));
    const loc = ad.children[1] ?? missing('accessLocation', ad);
    if (loc.tag !== ctx(6, false)) continue;
    const uri = ia5.decode(loc.value);
    if (method === AIA.ocsp) out.ocsp.push(uri);
    else if (method === AIA.caIssuers) out.caIssuers.push(uri);
  }
  return out;
}

/** CertificatePolicies → policy OIDs. */
export function decodeCertificatePolicies(value: Uint8Array): string[] {
  const n = expectTag(parseAsn1(value), TAG.SEQUENCE, 'CertificatePolicies');
  return n.children.map((p) => readOid(expectTag(p, TAG.SEQUENCE, 'PolicyInformation').children[0] ?? missing('policyIdentifier', p)));
}
