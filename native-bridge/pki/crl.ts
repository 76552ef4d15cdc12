// Certificate revocation lists (RFC 5280 §5), read so that a ~20 MB НУЦ РК CRL costs one pass and four bytes
// per revoked serial: entries are found through a hash table of their offsets (typed arrays, no string per
// serial) and decoded only when looked up. The index is plain data (`indexCrl`): a server builds it in a worker
// thread and hands it over without a copy, and `crlFromIndex` makes the CRL from it at once (no pass, no parse).
import { KenseError } from '../../contract/errors';
import {
  type Asn1Node, Asn1Error, TAG, child, ctx, expectTag, parseAsn1, parseAsn1Prefix, peekHeader, pemOrDer, readBitString, readOid, readSmallInt,
  readTime, readUnsigned,
} from './der';
import { type Extension, decodeAuthorityKeyId, parseExtensions } from './extensions';
import { dnString, namesMatch, parseName } from './names';
import { CRL_REASONS, EXT } from './oids';
import { verifySignedBytes } from './signatures';
import type { KzCertificate } from './types';

export interface CrlEntry {
  revokedAt: Date;
  /** CRLReason name (RFC 5280 §5.3.1), when the entry states one. */
  reason?: string;
  invalidityDate?: Date;
}

export interface Crl {
  issuerRaw: Uint8Array;
  issuerDn: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber?: bigint;
  /** Set on a delta CRL: the number of the base CRL it updates. */
  deltaOf?: bigint;
  /** ExpiredCertsOnCRL: revoked certificates that expired after this date are still listed. */
  expiredCertsOnCrl?: Date;
  authorityKeyId?: string;
  signatureAlgorithmOid: string;
  /** Number of revoked entries. */
  size: number;
  /** The entry for a serial (upper-case hex as in KzCertificate.serialNumber), or undefined. */
  entry(serial: string): CrlEntry | undefined;
  serials(): IterableIterator<string>;
  /** Exact signed bytes and signature, for verification against the issuer. */
  readonly tbs: Uint8Array;
  readonly signatureValue: Uint8Array;
}

/** CRL extensions we understand; an unknown critical one makes the CRL unusable (RFC 5280 §5.2). */
const UNDERSTOOD = new Set<string>([EXT.authorityKeyIdentifier, EXT.cRLNumber, EXT.deltaCRLIndicator, EXT.freshestCRL, EXT.issuingDistributionPoint]);

function malformed(reason: string, cause?: unknown): KenseError {
  return new KenseError('CRL_MALFORMED', { reason }, { cause });
}

/** Reads one element at `pos` inside `[pos, end)` without descending into siblings. */
function elementAt(buf: Uint8Array, pos: number, end: number): Asn1Node {
  return parseAsn1Prefix(buf.subarray(pos, end));
}

/** What `readCrl` finds, as plain data (structured-cloneable, its table transferable): positions into the DER. */
export interface CrlIndex extends Pick<Crl, 'issuerDn' | 'thisUpdate' | 'nextUpdate' | 'crlNumber' | 'deltaOf' | 'expiredCertsOnCrl' | 'authorityKeyId' | 'signatureAlgorithmOid' | 'size' | 'signatureValue'> {
  /** [start, end) of the issuer Name, of tbsCertList, in the DER. */
  issuerAt: [number, number];
  tbsAt: [number, number];
  /** Open addressing, linear probing: each slot holds 1 + the offset of an entry, or 0; the length is a power of two. */
  slots: Uint32Array;
}

/**
 * Parses a CRL (DER, or PEM). When `issuer` is given the
 * signature, name and key identifier are checked too; a CRL that fails is CRL_MALFORMED.
 */
export function parseCrl(input: Uint8Array, opts: { issuer?: KzCertificate } = {}): Crl {
  const { der, index } = indexCrl(input);
  const crl = crlFromIndex(der, index);
  if (opts.issuer && !verifyCrl(crl, opts.issuer)) throw malformed('not signed by the given issuer');
  return crl;
}

/** The costly half of parseCrl (one pass over the whole list): the DER (decoded from PEM when need be) and its index. */
export function indexCrl(input: Uint8Array): { der: Uint8Array; index: CrlIndex } {
  try {
    // DER as published by НУЦ РК; a PEM "X509 CRL" is decoded first (binary input passes through as is).
    const der = pemOrDer(input);
    return { der, index: readCrl(der) };
  } catch (e) {
    if (e instanceof KenseError) throw e;
    throw malformed(e instanceof Asn1Error ? e.message : 'unreadable CRL', e);
  }
}

/** The CRL over `der` from its index (made by indexCrl over the same bytes): no pass over the list. */
export function crlFromIndex(der: Uint8Array, index: CrlIndex): Crl {
  const { issuerAt, tbsAt, slots, ...facts } = index;
  return {
    ...facts,
    issuerRaw: der.subarray(...issuerAt),
    entry: (serial) => {
      const key = /^[0-9a-f]*$/i.test(serial) && serial.length % 2 === 0 ? Buffer.from(serial, 'hex') : undefined;
      const at = key && key.length > 0 ? findSlot(der, slots, key, 0, key.length) : -1;
      if (at < 0 || slots[at] === 0) return undefined;
      // Entries are decoded on demand, so damage inside one surfaces here, as the same typed error.
      try {
        return decodeEntry(elementAt(der, slots[at] - 1, der.length));
      } catch (e) {
        throw malformed(e instanceof Asn1Error ? `entry ${serial}: ${e.message}` : 'unreadable entry', e);
      }
    },
    serials: () => serialsOf(der, slots),
    tbs: der.subarray(...tbsAt),
  };
}

function readCrl(buf: Uint8Array): CrlIndex {
  // Walk the outer layers by header only: a full tree of a 20 MB CRL would be millions of nodes.
  const outer = peekHeader(buf, 0);
  if (outer.tag !== TAG.SEQUENCE || outer.length < 0) throw new Asn1Error('CertificateList must be a DER SEQUENCE');
  const outerEnd = outer.headerEnd + outer.length;
  if (outerEnd !== buf.length) throw new Asn1Error('CRL length does not match the data');
  const tbsHeader = peekHeader(buf, outer.headerEnd);
  if (tbsHeader.tag !== TAG.SEQUENCE || tbsHeader.length < 0) throw new Asn1Error('tbsCertList must be a DER SEQUENCE');
  const tbsEnd = tbsHeader.headerEnd + tbsHeader.length;
  if (tbsEnd > outerEnd) throw new Asn1Error('tbsCertList runs past the CRL');

  const sigAlg = elementAt(buf, tbsEnd, outerEnd);
  const signatureAlgorithmOid = readOid(child(expectTag(sigAlg, TAG.SEQUENCE, 'signatureAlgorithm'), 0, 'algorithm'));
  const sigNode = elementAt(buf, tbsEnd + sigAlg.raw.length, outerEnd);
  const signatureValue = readBitString(sigNode).bytes;
  if (tbsEnd + sigAlg.raw.length + sigNode.raw.length !== outerEnd) throw new Asn1Error('trailing data in CertificateList');

  let pos = tbsHeader.headerEnd;
  let node = elementAt(buf, pos, tbsEnd);
  if (node.tag === TAG.INTEGER) {
    if (readSmallInt(node) !== 1) throw new Asn1Error('unknown CRL version');
    pos += node.raw.length;
    node = elementAt(buf, pos, tbsEnd);
  }
  const innerAlg = readOid(child(expectTag(node, TAG.SEQUENCE, 'signature'), 0, 'algorithm'));
  if (innerAlg !== signatureAlgorithmOid) throw new Asn1Error('signature algorithm differs inside and outside tbsCertList');
  pos += node.raw.length;
  const issuerStart = pos;
  const issuerNode = elementAt(buf, pos, tbsEnd);
  const issuer = parseName(issuerNode);
  pos += issuerNode.raw.length;
  const thisNode = elementAt(buf, pos, tbsEnd);
  const thisUpdate = readTime(thisNode);
  pos += thisNode.raw.length;
  let nextUpdate: Date | undefined;
  if (pos < tbsEnd && (buf[pos] === TAG.UTC_TIME || buf[pos] === TAG.GENERALIZED_TIME)) {
    const n = elementAt(buf, pos, tbsEnd);
    nextUpdate = readTime(n);
    pos += n.raw.length;
  }
  let table: { slots: Uint32Array; size: number } = { slots: new Uint32Array(1), size: 0 };
  if (pos < tbsEnd && buf[pos] === TAG.SEQUENCE) {
    const h = peekHeader(buf, pos);
    if (h.length < 0) throw new Asn1Error('revokedCertificates must have a definite length');
    const end = h.headerEnd + h.length;
    if (end > tbsEnd) throw new Asn1Error('revokedCertificates runs past tbsCertList');
    table = indexEntries(buf, h.headerEnd, end);
    pos = end;
  }
  let extensions: Extension[] = [];
  if (pos < tbsEnd) {
    const n = expectTag(elementAt(buf, pos, tbsEnd), ctx(0), 'crlExtensions');
    extensions = parseExtensions(child(n, 0, 'crlExtensions'));
    pos += n.raw.length;
  }
  if (pos !== tbsEnd) throw new Asn1Error('unexpected data in tbsCertList');
  for (const e of extensions) if (e.critical && !UNDERSTOOD.has(e.oid)) throw malformed(`unsupported critical CRL extension ${e.oid}`);
  const ext = (o: string) => extensions.find((e) => e.oid === o)?.value;

  return {
    issuerAt: [issuerStart, issuerStart + issuerNode.raw.length],
    tbsAt: [outer.headerEnd, tbsEnd],
    issuerDn: dnString(issuer),
    thisUpdate,
    nextUpdate,
    crlNumber: ext(EXT.cRLNumber) ? readUnsigned(parseAsn1(ext(EXT.cRLNumber)!)) : undefined,
    deltaOf: ext(EXT.deltaCRLIndicator) ? readUnsigned(parseAsn1(ext(EXT.deltaCRLIndicator)!)) : undefined,
    expiredCertsOnCrl: ext(EXT.expiredCertsOnCRL) ? readTime(parseAsn1(ext(EXT.expiredCertsOnCRL)!)) : undefined,
    authorityKeyId: ext(EXT.authorityKeyIdentifier) ? decodeAuthorityKeyId(ext(EXT.authorityKeyIdentifier)!) : undefined,
    signatureAlgorithmOid,
    signatureValue: Uint8Array.from(signatureValue),
    size: table.size,
    slots: table.slots,
  };
}

/** FNV-1a over bytes [from, to) of `buf`. */
function hashOf(buf: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h >>> 0;
}

/** [from, to) of the serial's magnitude in the entry at `offset` (the DER sign byte dropped, as serialHex drops it). */
function serialAt(der: Uint8Array, offset: number): [number, number] {
  const entry = peekHeader(der, offset);
  const serial = peekHeader(der, entry.headerEnd);
  let from = serial.headerEnd;
  const to = from + serial.length;
  if (to - from > 1 && der[from] === 0 && der[from + 1] & 0x80) from++;
  return [from, to];
}

/** The slot holding the serial `key[from, to)`, or the empty slot where it would go; -1 when the table is full. */
function findSlot(der: Uint8Array, slots: Uint32Array, key: Uint8Array, from: number, to: number): number {
  const mask = slots.length - 1;
  const n = to - from;
  for (let i = hashOf(key, from, to) & mask, probes = 0; probes < slots.length; i = (i + 1) & mask, probes++) {
    if (slots[i] === 0) return i;
    const [a, b] = serialAt(der, slots[i] - 1);
    if (b - a !== n) continue;
    let same = true;
    for (let k = 0; k < n && same; k++) same = der[a + k] === key[from + k];
    if (same) return i;
  }
  return -1;
}

/**
 * One pass over revokedCertificates, headers only (no node trees): each entry's offset checked and kept, then a
 * table of twice as many slots (a later entry for the same serial replaces an earlier one, as a Map would).
 */
function indexEntries(buf: Uint8Array, start: number, end: number): { slots: Uint32Array; size: number } {
  let offsets = new Uint32Array(1024);
  let n = 0;
  let p = start;
  while (p < end) {
    const entry = peekHeader(buf, p);
    if (entry.tag !== TAG.SEQUENCE || entry.length < 0) throw new Asn1Error('bad revoked-certificate entry', p);
    const entryEnd = entry.headerEnd + entry.length;
    if (entryEnd > end) throw new Asn1Error('revoked-certificate entry runs past the list', p);
    const serial = peekHeader(buf, entry.headerEnd);
    const to = serial.headerEnd + serial.length;
    if (serial.tag !== TAG.INTEGER || serial.length <= 0 || to > entryEnd) throw new Asn1Error('bad serial in CRL entry', p);
    if (n === offsets.length) {
      const grown = new Uint32Array(n * 2);
      grown.set(offsets);
      offsets = grown;
    }
    offsets[n++] = p;
    p = entryEnd;
  }
  let size = 1;
  while (size < 2 * n) size *= 2;
  const slots = new Uint32Array(size);
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    const [from, to] = serialAt(buf, offsets[i]);
    const at = findSlot(buf, slots, buf, from, to);
    if (slots[at] === 0) distinct++;
    slots[at] = offsets[i] + 1;
  }
  return { slots, size: distinct };
}

/** Every serial on the list, upper-case hex. */
function* serialsOf(der: Uint8Array, slots: Uint32Array): IterableIterator<string> {
  const hex = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  for (const v of slots) {
    if (v === 0) continue;
    const [from, to] = serialAt(der, v - 1);
    yield hex.toString('hex', from, to).toUpperCase();
  }
}

function decodeEntry(node: Asn1Node): CrlEntry {
  const revokedAt = readTime(child(node, 1, 'revocationDate'));
  const out: CrlEntry = { revokedAt };
  if (node.children[2]) {
    for (const e of parseExtensions(node.children[2])) {
      if (e.oid === EXT.cRLReason) {
        const r = parseAsn1(e.value);
        expectTag(r, TAG.ENUMERATED, 'CRLReason');
        const code = r.value[0];
        out.reason = CRL_REASONS[code] ?? `reason-${code}`;
      } else if (e.oid === EXT.invalidityDate) {
        out.invalidityDate = readTime(parseAsn1(e.value));
      }
    }
  }
  return out;
}

/**
 * Is the CRL issued and signed by `issuer`? Name must match, the AKI (when both sides carry key
 * identifiers) must equal the issuer's SKI, the issuer may sign CRLs (cRLSign when KeyUsage is
 * present), and the signature must verify.
 */
export function verifyCrl(crl: Crl, issuer: KzCertificate): boolean {
  if (!namesMatch(crl.issuerRaw, issuer.subjectRaw)) return false;
  if (crl.authorityKeyId && issuer.subjectKeyId && crl.authorityKeyId !== issuer.subjectKeyId) return false;
  if (issuer.keyUsage.length > 0 && !issuer.keyUsage.includes('cRLSign')) return false;
  try {
    return verifySignedBytes(issuer, crl.signatureAlgorithmOid, crl.tbs, crl.signatureValue);
  } catch (e) {
    if (e instanceof KenseError && e.code === 'PKI_UNSUPPORTED_ALGORITHM') return false;
    throw e;
  }
}
