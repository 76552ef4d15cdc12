// Enveloped XMLDSig as NCALayer/Kalkan make it (NCALAYER_AND_PKI.md §6): one Reference URI="" with
// the enveloped-signature and C14N transforms, inclusive C14N of SignedInfo, the signer certificate in
// KeyInfo/X509Data. RSA-SHA256, GOST 34.10-2015-512 + Streebog-512 and GOST 34.310-2004 + 34.311-95.
//
// GOST signature value byte order: the same Kazakh layout as in CMS — r‖s, each little-endian (§5).
// Confirmed on a real KalkanCrypt SDK 2.0.13 XML signature (resources/test-pki/real-world), which
// verifies with this code.
import { KenseError } from '../../contract/errors';
import {
  digestBytes,
  digestOidFor,
  keyMatchesCertificate,
  parseCertificate,
  settleVerdict,
  signatureOidFor,
  validateSignerPath,
  verifySignedBytes,
  type KeyAlgorithm,
  type KzCertificate,
  type PrivateKeyHandle,
  type RevocationEvidence,
  type RevocationMode,
  type RevocationSource,
  type SignerVerdict,
  type TrustStore,
  type VerificationReason,
} from '../pki';
import { C14N, C14N_WITH_COMMENTS, canonicalizeDocument, canonicalizeSubtree } from './c14n';
import { attrValue, childElements, parseXml, textContent, type XmlDocument, type XmlElement, type XmlLimits } from './parser';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** XMLDSig algorithm URIs per key (§6). GOST 34.10-2015-256 has no documented URIs, so it is not offered. */
export const XMLDSIG_URIS: Partial<Record<KeyAlgorithm, { signature: string; digest: string }>> = {
  RSA: {
    signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    digest: 'http://www.w3.org/2001/04/xmlenc#sha256',
  },
  GOST2015_512: {
    signature: 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512',
    digest: 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512',
  },
  GOST2004: {
    signature: 'http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311',
    digest: 'http://www.w3.org/2001/04/xmldsig-more#gost34311',
  },
};

function algorithmBySignatureUri(uri: string): KeyAlgorithm | undefined {
  for (const [alg, u] of Object.entries(XMLDSIG_URIS)) if (u?.signature === uri) return alg as KeyAlgorithm;
  return undefined;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

function fromBase64(text: string): Uint8Array | null {
  const clean = text.replace(/[\s]+/g, '');
  if (clean.length === 0 || clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return null;
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

export interface SignXmlOptions {
  key: PrivateKeyHandle;
  certificate: KzCertificate;
  limits?: XmlLimits;
}

const PLACEHOLDER = '\u0000SIGNATURE-VALUE\u0000';

function signatureElement(uris: { signature: string; digest: string }, digestValue: string, certificate: KzCertificate): string {
  return (
    `<ds:Signature xmlns:ds="${DSIG_NS}">` +
    `<ds:SignedInfo>` +
    `<ds:CanonicalizationMethod Algorithm="${C14N}"/>` +
    `<ds:SignatureMethod Algorithm="${uris.signature}"/>` +
    `<ds:Reference URI="">` +
    `<ds:Transforms>` +
    `<ds:Transform Algorithm="${ENVELOPED_SIGNATURE}"/>` +
    `<ds:Transform Algorithm="${C14N}"/>` +
    `</ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${uris.digest}"/>` +
    `<ds:DigestValue>${digestValue}</ds:DigestValue>` +
    `</ds:Reference>` +
    `</ds:SignedInfo>` +
    `<ds:SignatureValue>${PLACEHOLDER}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${b64(certificate.der)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `</ds:Signature>`
  );
}

/** Inserts `fragment` as the last child of the root element, in the original text. */
function appendToRoot(doc: XmlDocument, fragment: string): string {
  const src = doc.source;
  const root = doc.root;
  if (root.selfClosing) return `${src.slice(0, root.endTagStart)}>${fragment}</${root.name}>${src.slice(root.endTagStart + 2)}`;
  return src.slice(0, root.endTagStart) + fragment + src.slice(root.endTagStart);
}

function lastSignatureOf(root: XmlElement): XmlElement {
  const sigs = childElements(root, DSIG_NS, 'Signature');
  return sigs[sigs.length - 1];
}

/** Signs a whole document with an enveloped signature appended to the root element. */
export function signXml(xml: string | Uint8Array, o: SignXmlOptions): string {
  const alg = o.certificate.keyAlgorithm;
  const uris = XMLDSIG_URIS[alg];
  if (!uris) throw new KenseError('PKI_UNSUPPORTED_ALGORITHM', { keyAlgorithm: alg, format: 'xml' });
  if (!keyMatchesCertificate(o.key, o.certificate)) throw new KenseError('CMS_KEY_MISMATCH');
  const doc = parseXml(xml, o.limits);
  // URI="" selects the document without comments; the enveloped transform has nothing to remove yet.
  const digest = digestBytes(digestOidFor(alg), utf8(canonicalizeDocument(doc)));
  const withSig = appendToRoot(doc, signatureElement(uris, b64(digest), o.certificate));
  // SignedInfo is canonicalised in its final context: it inherits the namespaces in scope at the root.
  const placed = parseXml(withSig.replace(PLACEHOLDER, ''), { ...o.limits, maxBytes: Number.MAX_SAFE_INTEGER });
  const signedInfo = childElements(lastSignatureOf(placed.root), DSIG_NS, 'SignedInfo')[0];
  const signature = o.key.sign(utf8(canonicalizeSubtree(signedInfo)));
  return withSig.replace(PLACEHOLDER, b64(signature));
}

export interface VerifyXmlOptions {
  trust: TrustStore;
  /** Time to judge the certificate at (XMLDSig carries no signing time). Default: now. */
  at?: Date;
  crls?: RevocationEvidence['crls'];
  ocspResponses?: RevocationEvidence['ocspResponses'];
  revocation?: RevocationMode;
  /** Fetches (and keeps) the CRLs/OCSP answers signer certificates name. */
  revocationSource?: RevocationSource;
  limits?: XmlLimits;
}

export interface XmlSignatureVerdict extends SignerVerdict {
  signatureMethod?: string;
  digestMethod?: string;
  /** Plain words for a failure of the structure (which element, which algorithm). */
  problem?: string;
}

export interface XmlVerdict {
  /** true only when there is at least one signature and every one is valid. */
  valid: boolean;
  signatures: XmlSignatureVerdict[];
}

/** Every ds:Signature in document order (a signature's own subtree is not searched). */
export function allSignatures(el: XmlElement, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.type !== 'element') continue;
    if (c.ns === DSIG_NS && c.local === 'Signature') out.push(c);
    else allSignatures(c, out);
  }
  return out;
}

function one(parent: XmlElement, local: string): XmlElement | undefined {
  const found = childElements(parent, DSIG_NS, local);
  return found.length === 1 ? found[0] : undefined;
}

class StructureError extends Error {
  constructor(
    readonly reason: VerificationReason,
    message: string,
  ) {
    super(message);
  }
}

async function verifyOne(doc: XmlDocument, sig: XmlElement, o: VerifyXmlOptions): Promise<XmlSignatureVerdict> {
  const verdict: XmlSignatureVerdict = {
    valid: false,
    status: 'invalid', // until settleVerdict
    reasons: [],
    digestAlgorithmOid: '',
    signatureAlgorithmOid: '',
    chain: [],
    revocation: { status: 'not_checked' },
  };
  const reasons = new Set<VerificationReason>();
  let chainFound = false;
  try {
    const si = one(sig, 'SignedInfo');
    if (!si) throw new StructureError('MALFORMED', 'ds:SignedInfo missing or repeated');
    const cm = one(si, 'CanonicalizationMethod');
    const cmAlg = cm && attrValue(cm, 'Algorithm');
    if (cmAlg !== C14N && cmAlg !== C14N_WITH_COMMENTS) throw new StructureError('UNSUPPORTED_ALGORITHM', `canonicalization ${cmAlg ?? '(none)'}`);
    const sm = one(si, 'SignatureMethod');
    verdict.signatureMethod = sm && attrValue(sm, 'Algorithm');
    const alg = verdict.signatureMethod ? algorithmBySignatureUri(verdict.signatureMethod) : undefined;
    if (!alg) throw new StructureError('UNSUPPORTED_ALGORITHM', `signature method ${verdict.signatureMethod ?? '(none)'}`);
    const uris = XMLDSIG_URIS[alg] as { signature: string; digest: string };
    verdict.signatureAlgorithmOid = signatureOidFor(alg);
    verdict.digestAlgorithmOid = digestOidFor(alg);
    const refs = childElements(si, DSIG_NS, 'Reference');
    if (refs.length !== 1) throw new StructureError('MALFORMED', `${refs.length} references (one, URI="", expected)`);
    const ref = refs[0];
    if (attrValue(ref, 'URI') !== '') throw new StructureError('UNSUPPORTED_ALGORITHM', 'only Reference URI="" (the whole document) is supported');
    const transforms = ref.children.length ? one(ref, 'Transforms') : undefined;
    const tAlgs = transforms ? childElements(transforms, DSIG_NS, 'Transform').map((t) => attrValue(t, 'Algorithm') ?? '') : [];
    if (tAlgs[0] !== ENVELOPED_SIGNATURE || !tAlgs.slice(1).every((a) => a === C14N || a === C14N_WITH_COMMENTS) || tAlgs.length > 2) {
      throw new StructureError('UNSUPPORTED_ALGORITHM', `transforms ${tAlgs.join(', ') || '(none)'}`);
    }
    const dm = one(ref, 'DigestMethod');
    verdict.digestMethod = dm && attrValue(dm, 'Algorithm');
    if (verdict.digestMethod !== uris.digest) throw new StructureError('UNSUPPORTED_ALGORITHM', `digest ${verdict.digestMethod ?? '(none)'} with ${uris.signature}`);
    const dvEl = one(ref, 'DigestValue');
    const digestValue = dvEl && fromBase64(textContent(dvEl));
    if (!digestValue) throw new StructureError('MALFORMED', 'ds:DigestValue is not base64');
    const svEl = one(sig, 'SignatureValue');
    const signatureValue = svEl && fromBase64(textContent(svEl));
    if (!signatureValue) throw new StructureError('MALFORMED', 'ds:SignatureValue is not base64');

    // Reference: URI="" drops comments whatever the C14N variant; the enveloped transform drops this Signature.
    const computed = digestBytes(verdict.digestAlgorithmOid, utf8(canonicalizeDocument(doc, { exclude: sig })));
    if (Buffer.compare(Buffer.from(computed), Buffer.from(digestValue)) !== 0) reasons.add('DIGEST_MISMATCH');

    const keyInfo = one(sig, 'KeyInfo');
    const certTexts = keyInfo ? childElements(keyInfo, DSIG_NS, 'X509Data').flatMap((d) => childElements(d, DSIG_NS, 'X509Certificate')).map(textContent) : [];
    const certs: KzCertificate[] = [];
    for (const t of certTexts) {
      const der = fromBase64(t);
      if (!der) continue;
      try {
        certs.push(parseCertificate(der));
      } catch {
        // an unreadable extra certificate is ignored; a missing signer certificate is reported below
      }
    }
    const signer = certs[0];
    if (!signer) {
      reasons.add('NO_SIGNER_CERT');
    } else {
      verdict.certificate = signer;
      const signedInfoBytes = utf8(canonicalizeSubtree(si, { withComments: cmAlg === C14N_WITH_COMMENTS }));
      if (!verifySignedBytes(signer, verdict.signatureAlgorithmOid, signedInfoBytes, signatureValue)) reasons.add('BAD_SIGNATURE');
      if (signer.keyUsage.length > 0 && !signer.keyUsage.some((u) => u === 'digitalSignature' || u === 'nonRepudiation')) reasons.add('KEY_USAGE_NOT_ALLOWED');
      const trustEmpty = o.trust.anchors.length === 0;
      if (trustEmpty) reasons.add('TRUST_STORE_EMPTY');
      // XMLDSig carries no signing time: the certificate is judged at the time given, else now.
      verdict.validationTime = o.at ?? new Date();
      verdict.validationTimeSource = o.at ? 'given' : 'now';
      const path = await validateSignerPath(signer, {
        trust: o.trust,
        extraCerts: certs.slice(1),
        at: verdict.validationTime,
        crls: o.crls,
        ocspResponses: o.ocspResponses,
        revocation: o.revocation,
        revocationSource: o.revocationSource,
      });
      verdict.chain = path.chain;
      verdict.revocation = path.revocation;
      chainFound = path.chainFound;
      if (path.problems.length) verdict.problems = [...new Set(path.problems)];
      for (const r of path.reasons) reasons.add(r);
      if (trustEmpty) reasons.delete('UNTRUSTED_CHAIN');
    }
  } catch (e) {
    if (e instanceof StructureError) {
      reasons.add(e.reason);
      verdict.problem = e.message;
    } else if (e instanceof KenseError && e.code === 'PKI_UNSUPPORTED_ALGORITHM') reasons.add('UNSUPPORTED_ALGORITHM');
    else throw e;
  }
  verdict.reasons = [...reasons];
  // XMLDSig carries no signing time and no timestamp: nothing proves when it was made (verdict.ts).
  settleVerdict(verdict, chainFound);
  return verdict;
}

/**
 * Verifies every ds:Signature in the document. Unsafe or malformed XML is refused with XML_UNSAFE /
 * XML_MALFORMED (the input is not a document we read); a bad signature is a verdict, not an exception.
 */
export async function verifyXml(xml: string | Uint8Array, o: VerifyXmlOptions): Promise<XmlVerdict> {
  const doc = parseXml(xml, o.limits);
  const sigs = allSignatures(doc.root);
  const signatures: XmlSignatureVerdict[] = [];
  for (const s of sigs) signatures.push(await verifyOne(doc, s, o));
  return { valid: signatures.length > 0 && signatures.every((s) => s.valid), signatures };
}

/** Throws XML_SIGNATURE_INVALID with the reasons when the verdict is not valid. */
export function assertXmlValid(v: XmlVerdict): void {
  if (v.valid) return;
  throw new KenseError('XML_SIGNATURE_INVALID', {
    signatures: v.signatures.length,
    reasons: [...new Set(v.signatures.flatMap((s) => s.reasons))],
    ...(v.signatures.find((s) => s.problem) ? { problem: v.signatures.find((s) => s.problem)?.problem } : {}),
  });
}
