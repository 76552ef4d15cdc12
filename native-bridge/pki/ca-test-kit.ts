// Test helpers: a tiny certification authority that issues certificates, CRLs and OCSP responses
// with fresh RSA or GOST-2015-512 keys, for the cases the НУЦ РК material cannot show (swapped
// issuers, expired CAs, missing keyCertSign, large CRLs, tampered responses). Tests only.
import { createHash, generateKeyPairSync, randomBytes, sign as nodeSign, type KeyObject } from 'node:crypto';
import { bytesToIntLE, kzAlgorithms, kzPublicKeyFromPrivate, kzSign } from '../gost';
import { parseCertificate } from './certificate';
import {
  TAG, bitString, ctx, derNull, explicit, generalizedTime, integer, integerFromBytes, octetString, oid, seq, setOf, time, tlv, utf8String,
} from './der';
import { encodeGostPkcs8, privateKeyFromPkcs8 } from './keys';
import { AIA, EKU, EXT, KEY_USAGE_BITS, type KeyUsageName, KZ_GOST, OCSP, RSA, SHA, X500 } from './oids';
import type { KzCertificate, PrivateKeyHandle, TrustStore } from './types';

export interface TestKey {
  algorithm: 'RSA' | 'GOST2015_512';
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  /** The BIT STRING value of the SPKI (for key hashes). */
  publicKeyBits: Uint8Array;
  signatureOid: string;
  sign(data: Uint8Array): Uint8Array;
}

export function rsaTestKey(bits = 1024): TestKey & { privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  // RSAPublicKey is the BIT STRING content: SPKI minus its AlgorithmIdentifier.
  const rsaPublicKey = new Uint8Array(publicKey.export({ format: 'der', type: 'pkcs1' }));
  return {
    algorithm: 'RSA',
    spki,
    publicKeyBits: rsaPublicKey,
    signatureOid: RSA.sha256WithRSAEncryption,
    sign: (data) => new Uint8Array(nodeSign('sha256', data, privateKey)),
    privateKey,
  };
}

export function gostTestKey(): TestKey & { d: bigint } {
  const info = kzAlgorithms.GOST2015_512;
  const d = (bytesToIntLE(new Uint8Array(randomBytes(72))) % (info.curve.q - 1n)) + 1n;
  const pub = kzPublicKeyFromPrivate('GOST2015_512', d);
  const publicKeyBits = octetString(pub);
  const spki = seq(seq(oid(KZ_GOST.gost2015_512Key), seq(oid(KZ_GOST.gost2015_512ParamSetA), oid(KZ_GOST.gost34112015_512))), bitString(publicKeyBits));
  return { algorithm: 'GOST2015_512', spki, publicKeyBits, signatureOid: KZ_GOST.gost2015_512WithGost34112015_512, sign: (data) => kzSign('GOST2015_512', d, data), d };
}

export type NameSpec = [type: string, value: string][];

/** Name with C as PrintableString and everything else UTF8String, as НУЦ РК writes names. */
export function encodeName(spec: NameSpec): Uint8Array {
  return seq(
    ...spec.map(([type, value]) =>
      setOf(seq(oid(type), type === X500.countryName ? tlv(TAG.PRINTABLE_STRING, new TextEncoder().encode(value)) : utf8String(value))),
    ),
  );
}

function keyUsage(names: KeyUsageName[]): Uint8Array {
  const bits = names.map((n) => KEY_USAGE_BITS.indexOf(n));
  const max = Math.max(...bits);
  const bytes = new Uint8Array((max >> 3) + 1);
  for (const b of bits) bytes[b >> 3] |= 0x80 >> (b & 7);
  // DER: the unused bits are those after the last set bit.
  return bitString(bytes, 7 - (max & 7));
}

function extension(extnOid: string, value: Uint8Array, critical = false): Uint8Array {
  return seq(oid(extnOid), ...(critical ? [Uint8Array.of(TAG.BOOLEAN, 1, 0xff)] : []), octetString(value));
}

const algorithmId = (sigOid: string) => (sigOid === RSA.sha256WithRSAEncryption ? seq(oid(sigOid), derNull()) : seq(oid(sigOid)));

/** CRLDistributionPoints / FreshestCRL with one fullName URI per point. */
function distributionPoints(urls: string[]): Uint8Array {
  return seq(...urls.map((u) => seq(explicit(0, explicit(0, tlv(ctx(6, false), new TextEncoder().encode(u)))))));
}

export interface Issued {
  cert: KzCertificate;
  key: TestKey;
  nameDer: Uint8Array;
}

export interface IssueOptions {
  subject: NameSpec;
  key?: TestKey;
  /** Omit for a self-signed certificate. */
  issuer?: Issued;
  serial?: Uint8Array;
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
  pathLen?: number;
  keyUsage?: KeyUsageName[];
  eku?: string[];
  /** Mark extendedKeyUsage critical (RFC 3161 requires it of a TSA). */
  ekuCritical?: boolean;
  /** CRL distribution point URLs (cRLDistributionPoints), e.g. a loopback server in tests. */
  crlUrls?: string[];
  /** Delta CRL URLs (freshestCRL). */
  deltaCrlUrls?: string[];
  /** OCSP responder URLs (authorityInfoAccess). */
  ocspUrls?: string[];
  /** Skip the SKI/AKI extensions (to test name-only chaining). */
  noKeyIds?: boolean;
  extraExtensions?: Uint8Array[];
  /** Sign with this key instead of the issuer's (a forged certificate). */
  signWith?: TestKey;
}

export function issue(o: IssueOptions): Issued {
  const key = o.key ?? rsaTestKey();
  const nameDer = encodeName(o.subject);
  const issuerName = o.issuer ? o.issuer.nameDer : nameDer;
  const signer = o.signWith ?? (o.issuer ? o.issuer.key : key);
  const ski = createHash('sha1').update(key.publicKeyBits).digest();
  const exts: Uint8Array[] = [];
  if (!o.noKeyIds) {
    exts.push(extension(EXT.subjectKeyIdentifier, octetString(ski)));
    const issuerSki = o.issuer ? createHash('sha1').update(o.issuer.key.publicKeyBits).digest() : ski;
    exts.push(extension(EXT.authorityKeyIdentifier, seq(tlv(ctx(0, false), issuerSki))));
  }
  if (o.ca !== undefined) exts.push(extension(EXT.basicConstraints, seq(...(o.ca ? [Uint8Array.of(TAG.BOOLEAN, 1, 0xff)] : []), ...(o.pathLen !== undefined ? [integer(o.pathLen)] : [])), true));
  if (o.keyUsage) exts.push(extension(EXT.keyUsage, keyUsage(o.keyUsage), true));
  if (o.eku) exts.push(extension(EXT.extKeyUsage, seq(...o.eku.map(oid)), o.ekuCritical));
  if (o.crlUrls) exts.push(extension(EXT.cRLDistributionPoints, distributionPoints(o.crlUrls)));
  if (o.deltaCrlUrls) exts.push(extension(EXT.freshestCRL, distributionPoints(o.deltaCrlUrls)));
  if (o.ocspUrls) exts.push(extension(EXT.authorityInfoAccess, seq(...o.ocspUrls.map((u) => seq(oid(AIA.ocsp), tlv(ctx(6, false), new TextEncoder().encode(u)))))));
  exts.push(...(o.extraExtensions ?? []));
  const tbs = seq(
    explicit(0, integer(2)),
    integerFromBytes(o.serial ?? new Uint8Array(randomBytes(16))),
    algorithmId(signer.signatureOid),
    issuerName,
    seq(time(o.notBefore ?? new Date('2025-01-01T00:00:00Z')), time(o.notAfter ?? new Date('2030-01-01T00:00:00Z'))),
    nameDer,
    key.spki,
    explicit(3, seq(...exts)),
  );
  const der = seq(tbs, algorithmId(signer.signatureOid), bitString(signer.sign(tbs)));
  return { cert: parseCertificate(der), key, nameDer };
}

/** The signing handle of an issued GOST-2015-512 test key (what createCms and createTimestampToken take). */
export function gostKeyHandle(i: Issued): PrivateKeyHandle {
  return privateKeyFromPkcs8(encodeGostPkcs8('GOST2015_512', (i.key as ReturnType<typeof gostTestKey>).d));
}

/**
 * A GOST hierarchy named like НУЦ's production one, with a TSA in the shape of «TIME-STAMPING AUTHORITY» (valid
 * 2025–2028; timeStamping EKU, critical unless told otherwise), and the store its root anchors.
 */
export function testTsa(tag: string, tsaOpts: { eku?: string[]; ekuCritical?: boolean } = {}) {
  const root = issue({ subject: [[X500.commonName, `НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022 ${tag}`], [X500.countryName, 'KZ']], key: gostTestKey(), ca: true, keyUsage: ['keyCertSign', 'cRLSign'] });
  const ca = issue({ subject: [[X500.commonName, `ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022 ${tag}`], [X500.countryName, 'KZ']], key: gostTestKey(), issuer: root, ca: true, keyUsage: ['keyCertSign', 'cRLSign'] });
  const tsa = issue({
    subject: [[X500.commonName, 'TIME-STAMPING AUTHORITY'], [X500.countryName, 'KZ']],
    key: gostTestKey(),
    issuer: ca,
    keyUsage: ['digitalSignature'],
    eku: tsaOpts.eku ?? [EKU.timeStamping],
    ekuCritical: tsaOpts.ekuCritical ?? true,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2028-01-01T00:00:00Z'),
  });
  const store: TrustStore = { name: `production-like ${tag}`, anchors: [root.cert], intermediates: [ca.cert] };
  return { root, ca, tsa, key: gostKeyHandle(tsa), store };
}

/** A root → intermediate (CA) → leaf chain in the НУЦ РК shape. */
export function testHierarchy(opts: { gost?: boolean; leaf?: Partial<IssueOptions>; intermediate?: Partial<IssueOptions> } = {}): { root: Issued; ca: Issued; leaf: Issued } {
  const newKey = () => (opts.gost ? gostTestKey() : rsaTestKey());
  const root = issue({ subject: [[X500.commonName, 'ТЕСТ ROOT CA'], [X500.countryName, 'KZ']], key: newKey(), ca: true, keyUsage: ['keyCertSign', 'cRLSign'] });
  const ca = issue({ subject: [[X500.commonName, 'ТЕСТ ISSUING CA'], [X500.countryName, 'KZ']], key: newKey(), issuer: root, ca: true, pathLen: 0, keyUsage: ['keyCertSign', 'cRLSign'], ...opts.intermediate });
  const leaf = issue({
    subject: [[X500.commonName, 'ТЕСТОВ ТЕСТ'], [X500.surname, 'ТЕСТОВ'], [X500.serialNumber, 'IIN123456789011'], [X500.countryName, 'KZ']],
    key: newKey(),
    issuer: ca,
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    eku: ['1.3.6.1.5.5.7.3.4', '1.2.398.3.3.4.1.1'],
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2027-01-01T00:00:00Z'),
    ...opts.leaf,
  });
  return { root, ca, leaf };
}

export interface CrlEntrySpec {
  serial: Uint8Array;
  revokedAt: Date;
  reason?: number;
}

/** A signed CRL from entry specs, or from a prebuilt revokedCertificates list for production-sized tests. */
export function issueCrl(o: {
  issuer: Issued;
  thisUpdate: Date;
  nextUpdate?: Date;
  entries: CrlEntrySpec[];
  /** Ready DER content of revokedCertificates (instead of `entries`), for very large lists. */
  revokedList?: Uint8Array;
  crlNumber?: number;
  signWith?: TestKey;
  extraExtensions?: Uint8Array[];
}): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const e of o.entries) {
    const ext = e.reason !== undefined ? [seq(extension(EXT.cRLReason, tlv(TAG.ENUMERATED, Uint8Array.of(e.reason))))] : [];
    const entry = seq(integerFromBytes(e.serial), time(e.revokedAt), ...ext);
    parts.push(entry);
    total += entry.length;
  }
  // One buffer, filled in place: spreading 10⁵ entries into seq(...) would overflow the call stack.
  let list: Uint8Array = new Uint8Array(total);
  for (let i = 0, o2 = 0; i < parts.length; o2 += parts[i].length, i++) list.set(parts[i], o2);
  if (o.revokedList) list = o.revokedList;
  const signer = o.signWith ?? o.issuer.key;
  const crlExts = [
    extension(EXT.authorityKeyIdentifier, seq(tlv(ctx(0, false), createHash('sha1').update(o.issuer.key.publicKeyBits).digest()))),
    extension(EXT.cRLNumber, integer(o.crlNumber ?? 1)),
    ...(o.extraExtensions ?? []),
  ];
  const tbs = seq(
    integer(1),
    algorithmId(signer.signatureOid),
    o.issuer.nameDer,
    time(o.thisUpdate),
    ...(o.nextUpdate ? [time(o.nextUpdate)] : []),
    ...(list.length ? [tlv(TAG.SEQUENCE, list)] : []),
    explicit(0, seq(...crlExts)),
  );
  return seq(tbs, algorithmId(signer.signatureOid), bitString(signer.sign(tbs)));
}

/** Serial number `i` of syntheticRevokedList: 20 bytes, the first 0x10–0x6f, `i` in the last four. */
export function syntheticSerial(i: number): Uint8Array {
  const s = new Uint8Array(20);
  s[0] = 0x10 + (i % 0x60);
  new DataView(s.buffer).setUint32(16, i);
  return s;
}

/**
 * revokedCertificates content for issueCrl of `n` entries — SEQUENCE { INTEGER(syntheticSerial(i)), UTCTime
 * 2026-01-01, [cRLReason keyCompromise on every third] } — patched into a byte template: a production-sized list
 * (НУЦ's ~500 000 entries, ~20 MB) in a blink, where the DER writer would dominate a test's time.
 */
export function syntheticRevokedList(n: number): Uint8Array {
  const reason = Uint8Array.from(Buffer.from('300c300a0603551d1504030a0101', 'hex'));
  const time = new TextEncoder().encode('260101000000Z');
  const out = new Uint8Array(n * (41 + reason.length));
  let o = 0;
  for (let i = 0; i < n; i++) {
    const withReason = i % 3 === 0;
    const len = 37 + (withReason ? reason.length : 0);
    out.set([0x30, len, 0x02, 20], o);
    out.set(syntheticSerial(i), o + 4);
    out.set([0x17, 13, ...time], o + 24);
    if (withReason) out.set(reason, o + 39);
    o += 2 + len;
  }
  return out.subarray(0, o);
}

export type OcspStatusSpec = { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason?: number } | { status: 'unknown' };

/** A signed BasicOCSPResponse about `cert` (issued by `issuer`), signed by `responder` (default: the issuer). */
export function issueOcspResponse(o: {
  cert: KzCertificate;
  issuer: Issued;
  responder?: Issued;
  status: OcspStatusSpec;
  producedAt: Date;
  thisUpdate?: Date;
  nextUpdate?: Date;
  nonce?: Uint8Array;
  byKey?: boolean;
  includeResponderCert?: boolean;
}): Uint8Array {
  const responder = o.responder ?? o.issuer;
  const certId = seq(
    seq(oid(SHA.sha256), derNull()),
    octetString(createHash('sha256').update(o.issuer.nameDer).digest()),
    octetString(createHash('sha256').update(o.issuer.key.publicKeyBits).digest()),
    integerFromBytes(Buffer.from(o.cert.serialNumber, 'hex')),
  );
  const s = o.status;
  const certStatus =
    s.status === 'good'
      ? tlv(ctx(0, false))
      : s.status === 'unknown'
        ? tlv(ctx(2, false))
        : tlv(ctx(1), generalizedTime(s.revokedAt), ...(s.reason !== undefined ? [explicit(0, tlv(TAG.ENUMERATED, Uint8Array.of(s.reason)))] : []));
  const single = seq(certId, certStatus, generalizedTime(o.thisUpdate ?? o.producedAt), ...(o.nextUpdate ? [explicit(0, generalizedTime(o.nextUpdate))] : []));
  const responderId = o.byKey ? explicit(2, octetString(createHash('sha1').update(responder.key.publicKeyBits).digest())) : explicit(1, responder.nameDer);
  const exts = o.nonce ? [explicit(1, seq(extension(OCSP.nonce, octetString(o.nonce))))] : [];
  const tbs = seq(responderId, generalizedTime(o.producedAt), seq(single), ...exts);
  const certs = o.includeResponderCert === false ? [] : [explicit(0, seq(responder.cert.der))];
  const basic = seq(tbs, algorithmId(responder.key.signatureOid), bitString(responder.key.sign(tbs)), ...certs);
  return seq(tlv(TAG.ENUMERATED, Uint8Array.of(0)), explicit(0, seq(oid(OCSP.basic), octetString(basic))));
}
