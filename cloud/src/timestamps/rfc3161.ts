// RFC 3161 over HTTP: TimeStampReq / TimeStampResp in DER (the codec is native-bridge/pki/der.ts), a client for a
// TSA at a URL (the НУЦ РК service by configuration), and the answer of the server's own test TSA.
import { randomBytes } from 'node:crypto';
import { TAG, bytesEqual, child, derNull, expectTag, integer, integerFromBytes, oid, octetString, parseAsn1, readOid, readSigned, seq, utf8String, type Asn1Node } from '../../../native-bridge/pki/der';

export const TSQ_TYPE = 'application/timestamp-query';
export const TSR_TYPE = 'application/timestamp-reply';

export interface TimeStampRequest {
  hashOid: string;
  /** The AlgorithmIdentifier as written (a TSTInfo copies it). */
  hashAlgorithmDer: Uint8Array;
  hash: Uint8Array;
  policy?: string;
  nonce?: Uint8Array;
  certReq: boolean;
}

/** TimeStampReq ::= SEQUENCE { version 1, messageImprint, reqPolicy?, nonce?, certReq BOOLEAN DEFAULT FALSE, extensions [0]? } */
export function encodeTimeStampRequest(o: { hashOid: string; hash: Uint8Array; nonce: Uint8Array; policy?: string }): Uint8Array {
  return seq(
    integer(1),
    seq(seq(oid(o.hashOid), derNull()), octetString(o.hash)),
    ...(o.policy ? [oid(o.policy)] : []),
    integerFromBytes(o.nonce),
    Uint8Array.of(TAG.BOOLEAN, 1, 0xff),
  );
}

export function parseTimeStampRequest(der: Uint8Array): TimeStampRequest {
  const n = expectTag(parseAsn1(der), TAG.SEQUENCE, 'TimeStampReq');
  const imprint = expectTag(child(n, 1, 'messageImprint'), TAG.SEQUENCE, 'messageImprint');
  const alg = expectTag(child(imprint, 0, 'hashAlgorithm'), TAG.SEQUENCE, 'hashAlgorithm');
  const out: TimeStampRequest = {
    hashOid: readOid(child(alg, 0, 'algorithm')),
    hashAlgorithmDer: alg.raw,
    hash: expectTag(child(imprint, 1, 'hashedMessage'), TAG.OCTET_STRING, 'hashedMessage').value,
    certReq: false,
  };
  for (const c of n.children.slice(2)) {
    if (c.tag === TAG.OID) out.policy = readOid(c);
    else if (c.tag === TAG.INTEGER) out.nonce = c.value;
    else if (c.tag === TAG.BOOLEAN) out.certReq = c.value[0] !== 0;
  }
  return out;
}

/** TimeStampResp granting `token` (a ContentInfo): status 0. */
export function timeStampGranted(token: Uint8Array): Uint8Array {
  return seq(seq(integer(0)), token);
}

/** TimeStampResp refusing: status 2 (rejection) with a text. */
export function timeStampRejected(text: string): Uint8Array {
  return seq(seq(integer(2), seq(utf8String(text))));
}

export interface TimeStampResponse {
  /** 0 granted, 1 granted with modifications, 2 rejection, 3 waiting, 4 revocation warning, 5 revocation notification. */
  status: number;
  text: string | null;
  token: Uint8Array | null;
}

export function parseTimeStampResponse(der: Uint8Array): TimeStampResponse {
  const n = expectTag(parseAsn1(der), TAG.SEQUENCE, 'TimeStampResp');
  const info = expectTag(child(n, 0, 'status'), TAG.SEQUENCE, 'PKIStatusInfo');
  const status = Number(readSigned(expectTag(child(info, 0, 'status'), TAG.INTEGER, 'status')));
  const free = info.children.find((c: Asn1Node) => c.tag === TAG.SEQUENCE);
  const text = free ? free.children.map((c: Asn1Node) => new TextDecoder().decode(c.value)).join(' ') : null;
  const token = n.children[1]?.raw ?? null;
  return { status, text, token };
}

/** A random positive nonce of 8 bytes. */
export function newNonce(): Uint8Array {
  const b = new Uint8Array(randomBytes(8));
  b[0] &= 0x7f;
  if (b[0] === 0) b[0] = 1;
  return b;
}

/** Same nonce, compared as the INTEGER contents a TSA writes (a leading zero byte may be added or dropped). */
export function sameNonce(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b) return false;
  const strip = (x: Uint8Array) => {
    let i = 0;
    while (i < x.length - 1 && x[i] === 0) i++;
    return x.subarray(i);
  };
  return bytesEqual(strip(a), strip(b));
}

/** An RFC 3161 exchange over HTTP POST; refuses answers above 64 KB and gives up after `timeoutMs`. */
export async function postTimeStampQuery(url: string, query: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': TSQ_TYPE, accept: TSR_TYPE }, body: new Uint8Array(query), signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`the TSA answered HTTP ${res.status}`);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > 65536) throw new Error('the TSA answer is larger than 64 KB');
  const body = new Uint8Array(await res.arrayBuffer());
  if (body.length > 65536) throw new Error('the TSA answer is larger than 64 KB');
  return body;
}
