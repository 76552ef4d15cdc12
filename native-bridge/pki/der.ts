// ASN.1 BER/DER reader and DER writer: the one place that touches tag/length bytes.
// The reader keeps every node's raw bytes so signed structures (tbsCertificate, signed attributes,
// issuer names) are hashed or copied exactly as they arrived, never re-encoded.

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  BMP_STRING: 0x1e,
} as const;

/** Raised for any structural problem in ASN.1 input; callers map it to their own typed error. */
export class Asn1Error extends Error {
  constructor(message: string, readonly offset?: number) {
    super(offset === undefined ? message : `${message} at byte ${offset}`);
    this.name = 'Asn1Error';
  }
}

export interface Asn1Node {
  /** Identifier octet (class + constructed bit + tag number < 31). */
  tag: number;
  constructed: boolean;
  /** Content bytes (for indefinite-length constructed nodes: the bytes between header and EOC). */
  value: Uint8Array;
  /** The whole TLV as it appeared in the input. */
  raw: Uint8Array;
  children: Asn1Node[];
  /** Offset of the TLV in the top-level input, for error messages. */
  offset: number;
}

export interface ReadOptions {
  /** Reject BER-only encodings (indefinite lengths, non-minimal lengths). */
  strictDer?: boolean;
  maxDepth?: number;
  /**
   * Most elements one parse may create. Each node costs a few hundred bytes of heap, so 8 MiB of
   * two-byte elements would otherwise cost gigabytes; the default scales with the input size.
   */
  maxNodes?: number;
}

type ReaderState = { strictDer: boolean; maxDepth: number; nodesLeft: number };

function readerState(input: Uint8Array, options: ReadOptions): ReaderState {
  return {
    strictDer: options.strictDer ?? false,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    nodesLeft: options.maxNodes ?? 100_000 + Math.floor(input.length / 64),
  };
}

const DEFAULT_MAX_DEPTH = 64;

function readHeader(buf: Uint8Array, pos: number, end: number, strict: boolean) {
  if (pos >= end) throw new Asn1Error('unexpected end of data', pos);
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) throw new Asn1Error('high tag numbers are not supported', pos);
  let p = pos + 1;
  if (p >= end) throw new Asn1Error('missing length', p);
  const first = buf[p++];
  let length: number;
  if (first < 0x80) length = first;
  else if (first === 0x80) {
    if (strict) throw new Asn1Error('indefinite length in DER', pos);
    if ((tag & 0x20) === 0) throw new Asn1Error('indefinite length on a primitive value', pos);
    length = -1;
  } else {
    const n = first & 0x7f;
    if (n > 4) throw new Asn1Error('length too large', pos);
    if (p + n > end) throw new Asn1Error('truncated length', p);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[p++];
    if (strict && (length < 0x80 || buf[p - n] === 0)) throw new Asn1Error('non-minimal length in DER', pos);
  }
  return { tag, headerEnd: p, length };
}

function readNode(buf: Uint8Array, pos: number, end: number, depth: number, opts: ReaderState): Asn1Node {
  if (depth > opts.maxDepth) throw new Asn1Error('nesting too deep', pos);
  if (--opts.nodesLeft < 0) throw new Asn1Error('too many ASN.1 elements for the input size', pos);
  const { tag, headerEnd, length } = readHeader(buf, pos, end, opts.strictDer);
  const constructed = (tag & 0x20) !== 0;
  if (length >= 0) {
    const valueEnd = headerEnd + length;
    if (valueEnd > end) throw new Asn1Error('value runs past the end of its container', pos);
    const value = buf.subarray(headerEnd, valueEnd);
    const children: Asn1Node[] = [];
    if (constructed) {
      let p = headerEnd;
      while (p < valueEnd) {
        const child = readNode(buf, p, valueEnd, depth + 1, opts);
        children.push(child);
        p += child.raw.length;
      }
    }
    return { tag, constructed, value, raw: buf.subarray(pos, valueEnd), children, offset: pos };
  }
  // Indefinite length: children until an end-of-contents (00 00).
  const children: Asn1Node[] = [];
  let p = headerEnd;
  for (;;) {
    if (p + 2 > end) throw new Asn1Error('missing end-of-contents', p);
    if (buf[p] === 0 && buf[p + 1] === 0) break;
    const child = readNode(buf, p, end, depth + 1, opts);
    children.push(child);
    p += child.raw.length;
  }
  return { tag, constructed, value: buf.subarray(headerEnd, p), raw: buf.subarray(pos, p + 2), children, offset: pos };
}

/** Parses exactly one ASN.1 element that must span the whole input. */
export function parseAsn1(input: Uint8Array, options: ReadOptions = {}): Asn1Node {
  const node = readNode(input, 0, input.length, 0, readerState(input, options));
  if (node.raw.length !== input.length) throw new Asn1Error('trailing bytes after the ASN.1 element', node.raw.length);
  return node;
}

/** Parses one element from the start of the input, ignoring what follows (e.g. PEM padding). */
export function parseAsn1Prefix(input: Uint8Array, options: ReadOptions = {}): Asn1Node {
  return readNode(input, 0, input.length, 0, readerState(input, options));
}

/**
 * Reads only the tag and length at `pos` (no content): for sniffing what a file is before
 * parsing it whole, e.g. to tell a truncated PKCS#12 from a file that is not one at all.
 * `length` is -1 for an indefinite length.
 */
export function peekHeader(input: Uint8Array, pos = 0): { tag: number; headerEnd: number; length: number } {
  return readHeader(input, pos, input.length, false);
}

// ---------- typed accessors (throw Asn1Error on the wrong shape) ----------

export function expectTag(node: Asn1Node | undefined, tag: number, what: string): Asn1Node {
  if (!node) throw new Asn1Error(`missing ${what}`);
  if (node.tag !== tag) throw new Asn1Error(`${what}: expected tag 0x${tag.toString(16)}, got 0x${node.tag.toString(16)}`, node.offset);
  return node;
}

/** Context-specific tag number n, constructed (explicit tagging or IMPLICIT SEQUENCE). */
export const ctx = (n: number, constructed = true): number => 0x80 | (constructed ? 0x20 : 0) | n;

export function child(node: Asn1Node, index: number, what: string): Asn1Node {
  const c = node.children[index];
  if (!c) throw new Asn1Error(`missing ${what}`, node.offset);
  return c;
}

/** Value bytes of a possibly constructed (BER) string, concatenated. */
export function stringBytes(node: Asn1Node): Uint8Array {
  if (!node.constructed) return node.value;
  const parts = node.children.map(stringBytes);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function readOid(node: Asn1Node): string {
  expectTag(node, TAG.OID, 'object identifier');
  const v = node.value;
  if (v.length === 0 || v.length > 128) throw new Asn1Error('bad object identifier length', node.offset);
  const arcs: number[] = [];
  let acc = 0;
  for (let i = 0; i < v.length; i++) {
    acc = acc * 128 + (v[i] & 0x7f);
    if (acc > Number.MAX_SAFE_INTEGER / 128) throw new Asn1Error('object identifier arc too large', node.offset);
    if ((v[i] & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = acc < 40 ? 0 : acc < 80 ? 1 : 2;
        arcs.push(first, acc - first * 40);
      } else arcs.push(acc);
      acc = 0;
    } else if (i === v.length - 1) throw new Asn1Error('truncated object identifier', node.offset);
  }
  return arcs.join('.');
}

/** INTEGER as a non-negative bigint (negative values are rejected: none of our structures use them). */
export function readUnsigned(node: Asn1Node): bigint {
  expectTag(node, TAG.INTEGER, 'integer');
  const v = node.value;
  if (v.length === 0) throw new Asn1Error('empty integer', node.offset);
  if (v[0] & 0x80) throw new Asn1Error('negative integer', node.offset);
  return bytesToBigint(v);
}

/**
 * INTEGER as a signed bigint (two's complement), for fields RFC 3161/5280 leave as plain INTEGER that
 * real producers do write negative (Kalkan's TSA: TSTInfo serialNumber and nonce with the high bit set).
 */
export function readSigned(node: Asn1Node): bigint {
  expectTag(node, TAG.INTEGER, 'integer');
  const v = node.value;
  if (v.length === 0) throw new Asn1Error('empty integer', node.offset);
  const n = bytesToBigint(v);
  return v[0] & 0x80 ? n - (1n << BigInt(v.length * 8)) : n;
}

export function readSmallInt(node: Asn1Node): number {
  const n = readUnsigned(node);
  if (n > 0xffffffffn) throw new Asn1Error('integer too large', node.offset);
  return Number(n);
}

export function readBitString(node: Asn1Node): { unusedBits: number; bytes: Uint8Array } {
  expectTag(node, TAG.BIT_STRING, 'bit string');
  const v = stringBytes(node);
  if (v.length === 0 || v[0] > 7) throw new Asn1Error('bad bit string', node.offset);
  return { unusedBits: v[0], bytes: v.subarray(1) };
}

export function readBoolean(node: Asn1Node): boolean {
  expectTag(node, TAG.BOOLEAN, 'boolean');
  if (node.value.length !== 1) throw new Asn1Error('bad boolean', node.offset);
  return node.value[0] !== 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const latin1 = new TextDecoder('latin1');

export function readString(node: Asn1Node): string {
  const v = stringBytes(node);
  switch (node.tag) {
    case TAG.UTF8_STRING:
      return utf8.decode(v);
    case TAG.BMP_STRING: {
      let s = '';
      for (let i = 0; i + 1 < v.length; i += 2) s += String.fromCharCode((v[i] << 8) | v[i + 1]);
      return s;
    }
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.VISIBLE_STRING:
    case TAG.T61_STRING:
    case TAG.UTC_TIME:
    case TAG.GENERALIZED_TIME:
      return latin1.decode(v);
    default:
      return utf8.decode(v);
  }
}

export function readTime(node: Asn1Node): Date {
  const s = readString(node);
  let m: RegExpMatchArray | null;
  let d: Date;
  if (node.tag === TAG.UTC_TIME) {
    m = s.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/);
    if (!m) throw new Asn1Error(`bad UTCTime "${s}"`, node.offset);
    const yy = Number(m[1]);
    d = new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
  } else if (node.tag === TAG.GENERALIZED_TIME) {
    m = s.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d{1,9}))?Z$/);
    if (!m) throw new Asn1Error(`bad GeneralizedTime "${s}"`, node.offset);
    const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
    d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms));
  } else throw new Asn1Error('expected a time', node.offset);
  if (Number.isNaN(d.getTime())) throw new Asn1Error(`bad time "${s}"`, node.offset);
  return d;
}

// ---------- DER writer ----------

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One TLV from a tag and already-encoded content. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = content.length === 1 ? content[0] : concatBytes(...content);
  return concatBytes(Uint8Array.of(tag), encodeLength(body.length), body);
}

export const seq = (...items: Uint8Array[]): Uint8Array => tlv(TAG.SEQUENCE, ...items);

/** SET OF, DER-sorted by encoding (X.690 §11.6). */
export function setOf(...items: Uint8Array[]): Uint8Array {
  const sorted = [...items].sort(compareBytes);
  return tlv(TAG.SET, ...sorted);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export const octetString = (bytes: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, bytes);
export const derNull = (): Uint8Array => Uint8Array.of(TAG.NULL, 0);
export const explicit = (n: number, inner: Uint8Array): Uint8Array => tlv(ctx(n), inner);
export const bitString = (bytes: Uint8Array, unusedBits = 0): Uint8Array => tlv(TAG.BIT_STRING, Uint8Array.of(unusedBits), bytes);
export const utf8String = (s: string): Uint8Array => tlv(TAG.UTF8_STRING, new TextEncoder().encode(s));

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new Asn1Error(`bad OID "${dotted}"`);
    return Number(a);
  });
  if (arcs.length < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40)) throw new Asn1Error(`bad OID "${dotted}"`);
  const out: number[] = [];
  const push = (v: number) => {
    const b = [v & 0x7f];
    v = Math.floor(v / 128);
    while (v > 0) {
      b.unshift(0x80 | (v & 0x7f));
      v = Math.floor(v / 128);
    }
    out.push(...b);
  };
  push(arcs[0] * 40 + arcs[1]);
  for (const a of arcs.slice(2)) push(a);
  return tlv(TAG.OID, Uint8Array.from(out));
}

export function integer(value: bigint | number): Uint8Array {
  const v = BigInt(value);
  if (v < 0n) throw new Asn1Error('negative integers are not supported');
  const bytes = bigintToBytes(v);
  if (bytes.length === 0) return tlv(TAG.INTEGER, Uint8Array.of(0));
  return tlv(TAG.INTEGER, bytes[0] & 0x80 ? concatBytes(Uint8Array.of(0), bytes) : bytes);
}

/** INTEGER from unsigned big-endian bytes (e.g. a certificate serial copied as-is). */
export function integerFromBytes(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && (bytes[i + 1] & 0x80) === 0) i++;
  const b = bytes.subarray(i);
  return tlv(TAG.INTEGER, b.length && b[0] & 0x80 ? concatBytes(Uint8Array.of(0), b) : b);
}

function pad2(n: number): string {
  return n.toString().padStart(2, '0');
}

/** UTCTime for 1950–2049 (RFC 5280), GeneralizedTime otherwise. */
export function time(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  const rest = `${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  const enc = new TextEncoder();
  if (y >= 1950 && y < 2050) return tlv(TAG.UTC_TIME, enc.encode(`${pad2(y % 100)}${rest}`));
  return tlv(TAG.GENERALIZED_TIME, enc.encode(`${y.toString().padStart(4, '0')}${rest}`));
}

export function generalizedTime(d: Date): Uint8Array {
  const s = `${d.getUTCFullYear().toString().padStart(4, '0')}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  return tlv(TAG.GENERALIZED_TIME, new TextEncoder().encode(s));
}

/** Re-tags an encoded TLV (IMPLICIT tagging), keeping its content. */
export function retag(encoded: Uint8Array, tag: number): Uint8Array {
  const node = parseAsn1(encoded);
  return tlv(tag, node.value);
}

// ---------- bytes/bigint helpers ----------

export function bytesToBigint(bytes: Uint8Array): bigint {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += bytes[i].toString(16).padStart(2, '0');
  return hex ? BigInt(`0x${hex}`) : 0n;
}

export function bigintToBytes(v: bigint, length?: number): Uint8Array {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (v === 0n) hex = '';
  const out = new Uint8Array(length ?? hex.length / 2);
  const n = hex.length / 2;
  if (length !== undefined && n > length) throw new Asn1Error('integer does not fit');
  const off = out.length - n;
  for (let i = 0; i < n; i++) out[off + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 || /[^0-9a-fA-F]/.test(clean)) throw new Asn1Error('bad hex');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

// ---------- PEM ----------

/** Decodes PEM (any label) or returns the input if it is already binary DER/BER. */
export function pemOrDer(input: Uint8Array | string, label?: string): Uint8Array {
  const text = typeof input === 'string' ? input : looksLikeText(input) ? new TextDecoder().decode(input) : undefined;
  if (text === undefined) return input as Uint8Array;
  const re = label ? new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`) : /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/;
  const m = text.match(re);
  const b64 = (m ? m[1] : text).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length === 0) throw new Asn1Error('neither DER nor PEM/base64');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

function looksLikeText(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  // DER always starts with a constructed SEQUENCE (0x30) for the structures we read.
  if (b[0] === 0x30) return false;
  for (let i = 0; i < Math.min(b.length, 64); i++) {
    const c = b[i];
    if (c !== 9 && c !== 10 && c !== 13 && (c < 32 || c > 126)) return false;
  }
  return true;
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
