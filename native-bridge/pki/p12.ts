// PKCS#12 key containers (RFC 7292) as НУЦ РК issues them: reading with one typed error per failure,
// and writing (PBES2-AES-256 + HMAC-SHA-256, or the НУЦ layout 3DES/RC2-40 + HMAC-SHA-1).
import { createHash, randomBytes } from 'node:crypto';
import { KenseError } from '../../contract/errors';
import { parseCertificate } from './certificate';
import {
  type Asn1Node, Asn1Error, TAG, bytesEqual, child, ctx, derNull, explicit, expectTag, integer, octetString, oid,
  parseAsn1, peekHeader, readOid, readSmallInt, readString, seq, setOf, stringBytes, tlv, toHex,
} from './der';
import { type EncryptionScheme, BadDecryption, UnsupportedScheme, pbeDecrypt, pbeEncrypt, pkcs12Mac } from './pbe';
import { keyMatchesCertificate, privateKeyFromPkcs8 } from './keys';
import { CMS, PKCS12, PKCS9, SHA } from './oids';
import type { KzCertificate, PrivateKeyHandle } from './types';

export interface OpenedP12 {
  certificate: KzCertificate;
  key: PrivateKeyHandle;
  /** Other certificates in the container (НУЦ РК files carry none). */
  chain: KzCertificate[];
  /** localKeyID of the key bag, lower-case hex (= SKI = NCALayer alias on НУЦ РК files). */
  localKeyId?: string;
}

interface Bag {
  kind: 'key' | 'cert';
  der: Uint8Array;
  localKeyId?: Uint8Array;
  friendlyName?: string;
  /** The bytes were decrypted by us (and are wiped after use), not a view into the caller's input. */
  decrypted?: boolean;
}

/** Bookkeeping of one open: did any encrypted part open, did any fail? Decides wrong password vs damage. */
interface OpenState {
  password: string;
  opened: number;
  failed: number;
}

const MAX_SAFE_CONTENTS_DEPTH = 4;

/** SEQUENCE { INTEGER 3, … }: enough to know the file is meant to be a PFX before parsing it whole. */
function looksLikePfx(bytes: Uint8Array): boolean {
  try {
    const outer = peekHeader(bytes, 0);
    if (outer.tag !== TAG.SEQUENCE) return false;
    const version = peekHeader(bytes, outer.headerEnd);
    return version.tag === TAG.INTEGER && version.length === 1 && bytes[version.headerEnd] === 3;
  } catch {
    return false;
  }
}

const corrupted = (reason: string, cause?: unknown) => new KenseError('P12_CORRUPTED', { reason }, { cause });

/**
 * Opens a .p12 with its password. Each failure has its own code: P12_NOT_PKCS12, P12_CORRUPTED,
 * P12_WRONG_PASSWORD, P12_UNSUPPORTED_KEY_ALGORITHM, P12_NO_KEY, P12_KEY_MISMATCH.
 */
export function openP12(bytes: Uint8Array, password: string): OpenedP12 {
  if (!looksLikePfx(bytes)) throw new KenseError('P12_NOT_PKCS12', { size: bytes.length });
  let pfx: Asn1Node;
  try {
    pfx = parseAsn1(bytes);
  } catch (e) {
    throw corrupted(e instanceof Asn1Error ? e.message : 'unreadable', e);
  }
  const state: OpenState = { password, opened: 0, failed: 0 };
  let bags: Bag[];
  let macOk: boolean | undefined;
  try {
    const authSafe = expectTag(child(pfx, 1, 'authSafe'), TAG.SEQUENCE, 'authSafe');
    const contentType = readOid(child(authSafe, 0, 'contentType'));
    if (contentType !== CMS.data) throw new KenseError('PKI_UNSUPPORTED_ALGORITHM', { p12IntegrityMode: contentType });
    const content = stringBytes(expectTag(child(child(authSafe, 1, 'content'), 0, 'content'), TAG.OCTET_STRING, 'content'));
    if (pfx.children[2]) macOk = checkMac(pfx.children[2], password, content);
    bags = readAuthenticatedSafe(parseAsn1(content), state);
  } catch (e) {
    if (e instanceof KenseError) throw e;
    if (e instanceof UnsupportedScheme) throw new KenseError('PKI_UNSUPPORTED_ALGORITHM', { p12SchemeOid: e.oid });
    if (e instanceof BadDecryption) throw wrongPasswordOrDamage(state, macOk);
    throw corrupted(e instanceof Asn1Error ? e.message : 'unreadable', e);
  }
  // A wrong password garbles every encrypted part; damage garbles one. The MAC decides when present.
  if (macOk === false || state.failed > 0) throw wrongPasswordOrDamage(state, macOk);

  return assemble(bags);
}

function wrongPasswordOrDamage(state: OpenState, macOk: boolean | undefined): KenseError {
  if (macOk === true) return corrupted('an encrypted part does not decrypt although the MAC is right');
  if (state.opened > 0) return corrupted(macOk === false ? 'MAC mismatch, but the password opens the contents' : 'one encrypted part does not decrypt');
  return new KenseError('P12_WRONG_PASSWORD');
}

function checkMac(macData: Asn1Node, password: string, content: Uint8Array): boolean {
  expectTag(macData, TAG.SEQUENCE, 'MacData');
  const digestInfo = expectTag(child(macData, 0, 'mac'), TAG.SEQUENCE, 'DigestInfo');
  const digestOid = readOid(child(expectTag(child(digestInfo, 0, 'digestAlgorithm'), TAG.SEQUENCE, 'digestAlgorithm'), 0, 'algorithm'));
  const expected = stringBytes(expectTag(child(digestInfo, 1, 'digest'), TAG.OCTET_STRING, 'digest'));
  const salt = stringBytes(expectTag(child(macData, 1, 'macSalt'), TAG.OCTET_STRING, 'macSalt'));
  const iterations = macData.children[2] ? readSmallInt(macData.children[2]) : 1;
  return bytesEqual(pkcs12Mac(digestOid, password, salt, iterations, content), expected);
}

function readAuthenticatedSafe(node: Asn1Node, state: OpenState): Bag[] {
  expectTag(node, TAG.SEQUENCE, 'AuthenticatedSafe');
  const bags: Bag[] = [];
  for (const ci of node.children) {
    expectTag(ci, TAG.SEQUENCE, 'ContentInfo');
    const type = readOid(child(ci, 0, 'contentType'));
    const content = child(child(ci, 1, 'content'), 0, 'content');
    if (type === CMS.data) {
      bags.push(...readSafeContents(parseAsn1(stringBytes(expectTag(content, TAG.OCTET_STRING, 'data'))), state, 0));
    } else if (type === CMS.encryptedData) {
      const plain = decryptOrNote(state, () => {
        const eci = expectTag(child(expectTag(content, TAG.SEQUENCE, 'EncryptedData'), 1, 'encryptedContentInfo'), TAG.SEQUENCE, 'EncryptedContentInfo');
        const encrypted = child(eci, 2, 'encryptedContent');
        if (encrypted.tag !== ctx(0, false) && encrypted.tag !== ctx(0, true)) throw new Asn1Error('bad encryptedContent', encrypted.offset);
        return parseAsn1(pbeDecrypt(child(eci, 1, 'contentEncryptionAlgorithm'), state.password, stringBytes(encrypted)));
      });
      if (plain) bags.push(...readSafeContents(plain, state, 0));
    } else {
      throw new KenseError('PKI_UNSUPPORTED_ALGORITHM', { p12ContentType: type });
    }
  }
  return bags;
}

/**
 * Runs a decrypt-and-parse step. Garbage out of a decryption (bad padding, or padding that happens
 * to pass but does not parse) counts as a failed part rather than an error, so the caller can tell
 * a wrong password (all parts fail) from damage (one part fails).
 */
function decryptOrNote<T>(state: OpenState, step: () => T): T | undefined {
  try {
    const out = step();
    state.opened++;
    return out;
  } catch (e) {
    if (e instanceof BadDecryption || e instanceof Asn1Error) {
      state.failed++;
      return undefined;
    }
    throw e;
  }
}

function readSafeContents(node: Asn1Node, state: OpenState, depth: number): Bag[] {
  if (depth > MAX_SAFE_CONTENTS_DEPTH) throw new Asn1Error('SafeContents nested too deep');
  expectTag(node, TAG.SEQUENCE, 'SafeContents');
  const bags: Bag[] = [];
  for (const bag of node.children) {
    expectTag(bag, TAG.SEQUENCE, 'SafeBag');
    const bagId = readOid(child(bag, 0, 'bagId'));
    const value = child(expectTag(child(bag, 1, 'bagValue'), ctx(0), 'bagValue'), 0, 'bagValue');
    const attrs = readBagAttributes(bag.children[2]);
    if (bagId === PKCS12.keyBag) {
      bags.push({ kind: 'key', der: value.raw, ...attrs });
    } else if (bagId === PKCS12.pkcs8ShroudedKeyBag) {
      const der = decryptOrNote(state, () => {
        expectTag(value, TAG.SEQUENCE, 'EncryptedPrivateKeyInfo');
        const plain = pbeDecrypt(child(value, 0, 'encryptionAlgorithm'), state.password, stringBytes(expectTag(child(value, 1, 'encryptedData'), TAG.OCTET_STRING, 'encryptedData')));
        expectTag(parseAsn1(plain), TAG.SEQUENCE, 'PrivateKeyInfo');
        return plain;
      });
      if (der) bags.push({ kind: 'key', der, decrypted: true, ...attrs });
    } else if (bagId === PKCS12.certBag) {
      expectTag(value, TAG.SEQUENCE, 'CertBag');
      if (readOid(child(value, 0, 'certId')) !== PKCS9.x509Certificate) continue; // SDSI certificates: not ours
      const certValue = child(expectTag(child(value, 1, 'certValue'), ctx(0), 'certValue'), 0, 'certValue');
      bags.push({ kind: 'cert', der: stringBytes(expectTag(certValue, TAG.OCTET_STRING, 'certValue')), ...attrs });
    } else if (bagId === PKCS12.safeContentsBag) {
      bags.push(...readSafeContents(value, state, depth + 1));
    }
    // CRL and secret bags carry nothing we use.
  }
  return bags;
}

function readBagAttributes(node: Asn1Node | undefined): Pick<Bag, 'localKeyId' | 'friendlyName'> {
  const out: Pick<Bag, 'localKeyId' | 'friendlyName'> = {};
  if (!node) return out;
  expectTag(node, TAG.SET, 'bagAttributes');
  for (const attr of node.children) {
    expectTag(attr, TAG.SEQUENCE, 'PKCS12Attribute');
    const type = readOid(child(attr, 0, 'attrId'));
    const first = child(expectTag(child(attr, 1, 'attrValues'), TAG.SET, 'attrValues'), 0, 'attrValue');
    if (type === PKCS9.localKeyId) out.localKeyId = stringBytes(expectTag(first, TAG.OCTET_STRING, 'localKeyID'));
    else if (type === PKCS9.friendlyName) out.friendlyName = readString(first);
  }
  return out;
}

function assemble(bags: Bag[]): OpenedP12 {
  const keyBag = bags.find((b) => b.kind === 'key');
  if (!keyBag) throw new KenseError('P12_NO_KEY');
  const certBags = bags.filter((b) => b.kind === 'cert');
  if (certBags.length === 0) throw corrupted('the container holds a key but no certificate');

  const certs: { bag: Bag; cert?: KzCertificate; unsupported?: boolean }[] = certBags.map((bag) => {
    try {
      return { bag, cert: parseCertificate(bag.der) };
    } catch (e) {
      if (e instanceof KenseError && e.code === 'PKI_UNSUPPORTED_ALGORITHM') return { bag, unsupported: true };
      throw corrupted('a certificate inside does not parse', e);
    }
  });
  const sameId = (b: Bag) => keyBag.localKeyId && b.localKeyId && bytesEqual(b.localKeyId, keyBag.localKeyId);
  const leafEntry = certs.find((c) => sameId(c.bag)) ?? certs.find((c) => c.cert && !c.cert.isCa) ?? certs[0];
  if (!leafEntry.cert) throw new KenseError('P12_UNSUPPORTED_KEY_ALGORITHM');

  const key = privateKeyFromPkcs8(keyBag.der);
  for (const b of bags) if (b.decrypted) b.der.fill(0);
  if (key.algorithm !== leafEntry.cert.keyAlgorithm || !keyMatchesCertificate(key, leafEntry.cert)) {
    key.destroy();
    throw new KenseError('P12_KEY_MISMATCH');
  }
  const chain = certs.filter((c) => c !== leafEntry && c.cert).map((c) => c.cert!);
  const localKeyId = keyBag.localKeyId ?? leafEntry.bag.localKeyId;
  return { certificate: leafEntry.cert, key, chain, ...(localKeyId ? { localKeyId: toHex(localKeyId) } : {}) };
}

// ---------- writing ----------

export interface WriteP12Options {
  /** PKCS#8 PrivateKeyInfo DER (for GOST keys: the Kazakh form, see gost/kz.ts). */
  privateKey: Uint8Array;
  certificate: KzCertificate;
  chain?: KzCertificate[];
  password: string;
  /**
   * 'aes': PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC) for both bags, HMAC-SHA-256 MAC — what OpenSSL 3 writes.
   * 'nuc': the НУЦ РК layout — key bag 3DES, certificate bag RC2-40, HMAC-SHA-1 MAC, 1024 iterations.
   */
  layout?: 'aes' | 'nuc';
  iterations?: number;
  friendlyName?: string;
}

function attributes(localKeyId: Uint8Array, friendlyName?: string): Uint8Array {
  const attrs = [seq(oid(PKCS9.localKeyId), setOf(octetString(localKeyId)))];
  if (friendlyName !== undefined) {
    const bmp = new Uint8Array(friendlyName.length * 2);
    for (let i = 0; i < friendlyName.length; i++) {
      bmp[2 * i] = friendlyName.charCodeAt(i) >> 8;
      bmp[2 * i + 1] = friendlyName.charCodeAt(i) & 0xff;
    }
    attrs.push(seq(oid(PKCS9.friendlyName), setOf(tlv(TAG.BMP_STRING, bmp))));
  }
  return setOf(...attrs);
}

function certBag(cert: KzCertificate, attrs?: Uint8Array): Uint8Array {
  const value = seq(oid(PKCS9.x509Certificate), explicit(0, octetString(cert.der)));
  return seq(oid(PKCS12.certBag), explicit(0, value), ...(attrs ? [attrs] : []));
}

/** Writes a password-protected .p12 holding one key, its certificate and optional CA certificates. */
export function writeP12(opts: WriteP12Options): Uint8Array {
  const layout = opts.layout ?? 'aes';
  const iterations = opts.iterations ?? (layout === 'nuc' ? 1024 : 2048);
  const keyScheme: EncryptionScheme = layout === 'nuc' ? 'pkcs12-3des' : 'pbes2-aes256';
  const certScheme: EncryptionScheme = layout === 'nuc' ? 'pkcs12-rc2-40' : 'pbes2-aes256';
  // НУЦ РК sets localKeyID to the SKI; without one, the SHA-1 of the certificate is the usual choice.
  const localKeyId = opts.certificate.subjectKeyId
    ? Uint8Array.from(Buffer.from(opts.certificate.subjectKeyId, 'hex'))
    : new Uint8Array(createHash('sha1').update(opts.certificate.der).digest());
  // НУЦ РК files name the key by the SKI hex as well (friendlyName = NCALayer alias).
  const attrs = attributes(localKeyId, opts.friendlyName ?? (layout === 'nuc' ? toHex(localKeyId) : undefined));

  const shrouded = pbeEncrypt(keyScheme, opts.password, opts.privateKey, iterations);
  const keyBag = seq(oid(PKCS12.pkcs8ShroudedKeyBag), explicit(0, seq(shrouded.algorithm, octetString(shrouded.encrypted))), attrs);
  const keySafe = seq(keyBag);

  const certSafe = seq(certBag(opts.certificate, attrs), ...(opts.chain ?? []).map((c) => certBag(c)));
  const encCerts = pbeEncrypt(certScheme, opts.password, certSafe, iterations);
  const encryptedData = seq(integer(0), seq(oid(CMS.data), encCerts.algorithm, tlv(ctx(0, false), encCerts.encrypted)));

  // Same order as НУЦ РК files: the key's SafeContents first, then the encrypted certificates.
  const authSafe = seq(
    seq(oid(CMS.data), explicit(0, octetString(keySafe))),
    seq(oid(CMS.encryptedData), explicit(0, encryptedData)),
  );
  const macOid = layout === 'nuc' ? SHA.sha1 : SHA.sha256;
  const macSalt = new Uint8Array(randomBytes(layout === 'nuc' ? 20 : 16));
  const mac = pkcs12Mac(macOid, opts.password, macSalt, iterations, authSafe);
  const macData = seq(seq(seq(oid(macOid), derNull()), octetString(mac)), octetString(macSalt), integer(iterations));
  return seq(integer(3), seq(oid(CMS.data), explicit(0, octetString(authSafe))), macData);
}
