// X.501 Names: decoding attribute values, the readable DN string, and name matching for chains.
import { type Asn1Node, Asn1Error, TAG, expectTag, parseAsn1, readOid, readString, toHex } from './der';
import { X500 } from './oids';

export interface NameAttribute {
  type: string;
  value: string;
  /** ASN.1 tag of the value (UTF8String, PrintableString, BMPString, …). */
  tag: number;
}

/** A Name as a list of RDNs in encoded order; each RDN is a set of attributes (almost always one). */
export type Rdns = NameAttribute[][];

/** Short names as Kalkan/NCALayer print them (2.5.4.5 is SERIALNUMBER here, 2.5.4.4 SURNAME, 2.5.4.42 G). */
const SHORT_NAMES: Record<string, string> = {
  [X500.commonName]: 'CN',
  [X500.surname]: 'SURNAME',
  [X500.serialNumber]: 'SERIALNUMBER',
  [X500.countryName]: 'C',
  [X500.localityName]: 'L',
  [X500.stateOrProvinceName]: 'ST',
  [X500.streetAddress]: 'STREET',
  [X500.organizationName]: 'O',
  [X500.organizationalUnitName]: 'OU',
  [X500.title]: 'T',
  [X500.businessCategory]: 'BUSINESSCATEGORY',
  [X500.postalCode]: 'POSTALCODE',
  [X500.givenName]: 'G',
  [X500.emailAddress]: 'E',
  [X500.domainComponent]: 'DC',
  [X500.userId]: 'UID',
};

const STRING_TAGS = new Set<number>([
  TAG.UTF8_STRING, TAG.PRINTABLE_STRING, TAG.BMP_STRING, TAG.IA5_STRING, TAG.T61_STRING, TAG.VISIBLE_STRING,
  0x1c, // UniversalString (UCS-4), rare but legal in DirectoryString
]);

function decodeValue(node: Asn1Node): string {
  if (node.tag === 0x1c) {
    const v = node.value;
    let s = '';
    for (let i = 0; i + 3 < v.length; i += 4) s += String.fromCodePoint(((v[i] << 24) | (v[i + 1] << 16) | (v[i + 2] << 8) | v[i + 3]) >>> 0);
    return s;
  }
  return readString(node);
}

export function parseName(node: Asn1Node): Rdns {
  expectTag(node, TAG.SEQUENCE, 'Name');
  return node.children.map((rdn) => {
    expectTag(rdn, TAG.SET, 'RelativeDistinguishedName');
    if (rdn.children.length === 0) throw new Asn1Error('empty RDN', rdn.offset);
    return rdn.children.map((atv) => {
      expectTag(atv, TAG.SEQUENCE, 'AttributeTypeAndValue');
      if (atv.children.length !== 2) throw new Asn1Error('bad AttributeTypeAndValue', atv.offset);
      const type = readOid(atv.children[0]);
      const v = atv.children[1];
      // Non-string values (rare) keep their BER as #hex, as RFC 4514 §2.4 prescribes.
      const value = STRING_TAGS.has(v.tag) ? decodeValue(v) : `#${toHex(v.raw)}`;
      return { type, value, tag: v.tag };
    });
  });
}

/** First value of an attribute type, or undefined. */
export function nameAttribute(rdns: Rdns, type: string): string | undefined {
  for (const rdn of rdns) for (const a of rdn) if (a.type === type) return a.value;
  return undefined;
}

export function nameAttributes(rdns: Rdns, type: string): string[] {
  const out: string[] = [];
  for (const rdn of rdns) for (const a of rdn) if (a.type === type) out.push(a.value);
  return out;
}

function escapeValue(v: string): string {
  if (v.startsWith('#') && /^#[0-9a-f]+$/.test(v)) return v;
  let s = v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (s.startsWith(' ') || s.startsWith('#')) s = `\\${s}`;
  if (s.endsWith(' ') && s.length > 1) s = `${s.slice(0, -1)}\\ `;
  return s;
}

/**
 * Readable DN with RFC 4514 escaping, in **encoded order** (as Kalkan and NCALayer print it;
 * RFC 4514 itself would reverse the RDNs), e.g. `CN=ТЕСТОВ ТЕСТ,SURNAME=ТЕСТОВ,SERIALNUMBER=IIN…,C=KZ`.
 */
export function dnString(rdns: Rdns): string {
  return rdns
    .map((rdn) => rdn.map((a) => `${SHORT_NAMES[a.type] ?? a.type}=${escapeValue(a.value)}`).join('+'))
    .join(',');
}

/** Value normalisation of RFC 5280 §7.1 (simplified RFC 4518): case-fold, trim, collapse spaces. */
function normalise(v: string): string {
  return v.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Do two encoded Names denote the same entity? Byte-equal names match at once; otherwise the
 * attribute values are compared after normalisation, because a CA may re-encode its own name
 * (PrintableString vs UTF8String) between its certificate and the certificates it issues.
 */
export function namesMatch(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length === b.length && a.every((x, i) => x === b[i])) return true;
  let ra: Rdns;
  let rb: Rdns;
  try {
    ra = parseName(parseAsn1(a));
    rb = parseName(parseAsn1(b));
  } catch {
    return false;
  }
  if (ra.length !== rb.length) return false;
  for (let i = 0; i < ra.length; i++) {
    const x = ra[i].map((t) => `${t.type}=${normalise(t.value)}`).sort();
    const y = rb[i].map((t) => `${t.type}=${normalise(t.value)}`).sort();
    if (x.length !== y.length || x.some((s, j) => s !== y[j])) return false;
  }
  return true;
}
