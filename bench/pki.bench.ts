// CMS sign/verify speed: ours (native-bridge/pki) next to the straightforward library path measured
// in the same run — node-gost-crypto for the GOST maths and hash + node-forge for ASN.1, as a port of
// the old JS signing code would do; node-forge's own PKCS#7 signer for RSA.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { createCms, loadTrustStore, openP12, verifyCms } from '../native-bridge/pki';
import { clearCertificateSignatureCache } from '../native-bridge/pki/chain';
import { fmtMs, measure, report } from './harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PKI = path.join(ROOT, 'resources/test-pki');
const GOST_P12 = path.join(PKI, 'gost2022-test/legal/valid/head.p12');
const RSA_P12 = path.join(PKI, 'legacy-test/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12');
const PASSWORD = 'Qwerty12';

/** Inside the validity of the НУЦ test keys (2026-05-08 … 2027-05-08), so the bench keeps working after they expire. */
const SIGNING_TIME = new Date('2026-11-25T12:00:00Z');

/** A 1 KiB act: what a director signs most days. */
const ACT = new TextEncoder().encode('Акт выполненных работ № 17. '.repeat(64)).subarray(0, 1024);

export async function run(): Promise<void> {
  const gost = openP12(new Uint8Array(readFileSync(GOST_P12)), PASSWORD);
  const trust = loadTrustStore('test');
  const ref = ReferenceGost.open(readFileSync(GOST_P12), PASSWORD, trust.anchors.map((a) => a.der), trust.intermediates.map((a) => a.der));

  // Sanity first: both paths produce a CMS our verifier accepts, so we time equivalent work.
  const refCms = ref.sign(ACT, SIGNING_TIME);
  const refVerdict = await verifyCms(refCms, { trust, revocation: 'none' });
  if (!refVerdict.valid) throw new Error(`reference CMS does not verify: ${refVerdict.signers[0]?.reasons.join(',')}`);
  const ours = createCms({ data: ACT, key: gost.key, certificate: gost.certificate, signingTime: SIGNING_TIME });
  if (!ref.verify(ours)) throw new Error('reference verifier rejects our CMS');

  const signOurs = await measure('GOST-2015-512 CMS sign (ours)', () => createCms({ data: ACT, key: gost.key, certificate: gost.certificate, signingTime: SIGNING_TIME }), { warmup: 20, runs: 200 });
  const signRef = await measure('GOST-2015-512 CMS sign (reference)', () => ref.sign(ACT, SIGNING_TIME), { warmup: 3, runs: 20 });
  report({ what: 'GOST-2015-512 CMS sign, 1 KiB act, key loaded', ours: fmtMs(signOurs.medianMs), goal: '≤ 8 ms', reference: fmtMs(signRef.medianMs), ratio: signRef.medianMs / signOurs.medianMs, pass: signOurs.medianMs <= 8 });

  // Verify = parse + messageDigest + signature over signed attributes + ESS cert hash + chain
  // (leaf ← ҰКО GOST TEST 2022 ← root) with the test trust store; no revocation. The reference verifies
  // all three GOST signatures on every call.
  // Cold: nothing verified before (the cache of verified (child, issuer) certificate pairs emptied before
  // each call): three GOST-512 verifications. Warm: a verifier of many documents from the same
  // companies has met these certificates before — leaf ← CA and CA ← root come from the cache, keyed by
  // the two SHA-256 fingerprints, although each call parses the certificates anew from the CMS.
  const verifyCold = await measure('GOST-2015-512 CMS verify, cold (ours)', async () => {
    clearCertificateSignatureCache();
    const v = await verifyCms(ours, { trust, revocation: 'none' });
    if (!v.valid) throw new Error('verify failed');
  }, { warmup: 5, runs: 40 });
  const verifyWarm = await measure('GOST-2015-512 CMS verify, warm (ours)', async () => {
    const v = await verifyCms(ours, { trust, revocation: 'none' });
    if (!v.valid) throw new Error('verify failed');
  }, { warmup: 10, runs: 100 });
  const verifyRef = await measure('GOST-2015-512 CMS verify (reference)', () => {
    if (!ref.verify(ours)) throw new Error('reference verify failed');
  }, { warmup: 2, runs: 10 });
  report({ what: 'GOST-2015-512 CMS verify, cold (signature+digest+ESS+chain of 3 GOST signatures, test trust, no revocation)', ours: fmtMs(verifyCold.medianMs), goal: '≤ 20 ms', reference: fmtMs(verifyRef.medianMs), ratio: verifyRef.medianMs / verifyCold.medianMs, pass: verifyCold.medianMs <= 20 });
  report({ what: 'GOST-2015-512 CMS verify, warm (CA pairs seen before: one GOST signature per document)', ours: fmtMs(verifyWarm.medianMs), goal: '≤ 5 ms', reference: fmtMs(verifyRef.medianMs), ratio: verifyRef.medianMs / verifyWarm.medianMs, pass: verifyWarm.medianMs <= 5 });

  const rsa = openP12(new Uint8Array(readFileSync(RSA_P12)), PASSWORD);
  const forgeRsa = ReferenceRsa.open(readFileSync(RSA_P12), PASSWORD);
  const rsaOurs = await measure('RSA-2048 CMS sign (ours)', () => createCms({ data: ACT, key: rsa.key, certificate: rsa.certificate }), { warmup: 20, runs: 300 });
  const rsaRef = await measure('RSA-2048 CMS sign (node-forge pkcs7)', () => forgeRsa.sign(ACT), { warmup: 5, runs: 50 });
  report({ what: 'RSA-2048 CMS sign, 1 KiB act, key loaded', ours: fmtMs(rsaOurs.medianMs), goal: '≤ 3 ms', reference: fmtMs(rsaRef.medianMs), ratio: rsaRef.medianMs / rsaOurs.medianMs, pass: rsaOurs.medianMs <= 3 });

  gost.key.destroy();
  rsa.key.destroy();
}

// ======================================================================================
// REFERENCE CODE — the straightforward library path, kept here only to be measured.
// Not used by the product. node-gost-crypto (GOST R 34.10-2012 / Streebog, untyped) +
// node-forge ASN.1, written the way a direct port of the old JS signing code would be.
// ======================================================================================

interface GostSignEngine {
  sign(privateKey: Uint8Array, data: Uint8Array): ArrayBuffer;
  verify(publicKey: Uint8Array, signature: Uint8Array, data: Uint8Array): boolean;
}
interface GostDigestEngine {
  digest(data: Uint8Array): ArrayBuffer;
}
interface NodeGostCrypto {
  gostEngine: {
    getGostSign(alg: Record<string, unknown>): GostSignEngine;
    getGostDigest(alg: Record<string, unknown>): GostDigestEngine;
  };
}
const gostLib = createRequire(import.meta.url)('node-gost-crypto') as NodeGostCrypto;

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  streebog512: '1.2.398.3.10.1.3.3',
  gost512Sign: '1.2.398.3.10.1.1.2.3.2',
};

const A = forge.asn1;
const T = forge.asn1.Type;
const C = forge.asn1.Class;
const bin = (b: Uint8Array): string => Buffer.from(b).toString('binary');
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'binary'));
const oidNode = (o: string) => A.create(C.UNIVERSAL, T.OID, false, A.oidToDer(o).getBytes());
const nullNode = () => A.create(C.UNIVERSAL, T.NULL, false, '');
const octets = (b: Uint8Array) => A.create(C.UNIVERSAL, T.OCTETSTRING, false, bin(b));
const seqOf = (...v: forge.asn1.Asn1[]) => A.create(C.UNIVERSAL, T.SEQUENCE, true, v);
const setOfNodes = (...v: forge.asn1.Asn1[]) => A.create(C.UNIVERSAL, T.SET, true, v);
const attr = (o: string, v: forge.asn1.Asn1) => seqOf(oidNode(o), setOfNodes(v));
const der = (n: forge.asn1.Asn1): Uint8Array => bytes(A.toDer(n).getBytes());

function p12Bags(file: Buffer, password: string) {
  const p12 = forge.pkcs12.pkcs12FromAsn1(A.fromDer(forge.util.createBuffer(file.toString('binary'))), false, password);
  const bags = p12.safeContents.flatMap((sc) => sc.safeBags);
  return { keyBag: bags.find((b) => b.type === forge.pki.oids.pkcs8ShroudedKeyBag)!, certBag: bags.find((b) => b.type === forge.pki.oids.certBag)! };
}

class ReferenceGost {
  private readonly signer = gostLib.gostEngine.getGostSign({ name: 'GOST R 34.10', version: 2012, length: 512, namedCurve: 'T-512-A', hash: { name: 'GOST R 34.11', version: 2012, length: 512 } });
  private readonly streebog = gostLib.gostEngine.getGostDigest({ name: 'GOST R 34.11', version: 2012, length: 512 });

  private constructor(
    private readonly d: Uint8Array,
    private readonly certDer: Uint8Array,
    private readonly anchors: Uint8Array[],
    private readonly intermediates: Uint8Array[],
  ) {}

  static open(file: Buffer, password: string, anchors: Uint8Array[], intermediates: Uint8Array[]): ReferenceGost {
    const { keyBag, certBag } = p12Bags(file, password);
    // forge leaves a GOST PKCS#8 as raw ASN.1: PrivateKeyInfo.privateKey = OCTET STRING { OCTET STRING(64 LE) }.
    const pki = keyBag.asn1 as forge.asn1.Asn1;
    const outer = (pki.value as forge.asn1.Asn1[])[2];
    const inner = A.fromDer(forge.util.createBuffer(outer.value as string));
    const certDer = bytes(A.toDer(certBag.asn1 as forge.asn1.Asn1).getBytes());
    return new ReferenceGost(bytes(inner.value as string), certDer, anchors, intermediates);
  }

  sign(data: Uint8Array, time: Date): Uint8Array {
    const cert = A.fromDer(forge.util.createBuffer(bin(this.certDer)));
    const tbs = (cert.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    const messageDigest = new Uint8Array(this.streebog.digest(data));
    const certHash = bytes(forge.md.sha256.create().update(bin(this.certDer)).digest().getBytes());
    const attrs = [
      attr(OID.contentType, oidNode(OID.data)),
      attr(OID.signingTime, A.create(C.UNIVERSAL, T.UTCTIME, false, A.dateToUtcTime(time))),
      attr(OID.signingCertificateV2, seqOf(seqOf(seqOf(octets(certHash))))),
      attr(OID.messageDigest, octets(messageDigest)),
    ].map(der).sort(Buffer.compare);
    const signedAttrs = der(setOfNodes(...attrs.map((a) => A.fromDer(forge.util.createBuffer(bin(a))))));
    // node-gost-crypto's output is already r‖s little-endian, the Kazakh layout (checked against our verifier).
    const signature = new Uint8Array(this.signer.sign(this.d, signedAttrs));
    const implicit = A.fromDer(forge.util.createBuffer(bin(signedAttrs)));
    implicit.tagClass = C.CONTEXT_SPECIFIC;
    implicit.type = 0;
    const signerInfo = seqOf(
      A.create(C.UNIVERSAL, T.INTEGER, false, '\x01'),
      seqOf(tbs[3], tbs[1]),
      seqOf(oidNode(OID.streebog512), nullNode()),
      implicit,
      seqOf(oidNode(OID.gost512Sign), nullNode()),
      octets(signature),
    );
    const sd = seqOf(
      A.create(C.UNIVERSAL, T.INTEGER, false, '\x01'),
      setOfNodes(seqOf(oidNode(OID.streebog512), nullNode())),
      seqOf(oidNode(OID.data), A.create(C.CONTEXT_SPECIFIC, 0, true, [octets(data)])),
      A.create(C.CONTEXT_SPECIFIC, 0, true, [cert]),
      setOfNodes(signerInfo),
    );
    return der(seqOf(oidNode(OID.signedData), A.create(C.CONTEXT_SPECIFIC, 0, true, [sd])));
  }

  /** Signature + messageDigest + ESS + each certificate signature up to an anchor, the library way. */
  verify(cms: Uint8Array): boolean {
    const ci = A.fromDer(forge.util.createBuffer(bin(cms)));
    const sd = ((ci.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    const content = bytes((((sd[2].value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as string));
    const certNode = (sd[3].value as forge.asn1.Asn1[])[0];
    const si = (sd[4].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    const attrs = si[3].value as forge.asn1.Asn1[];
    const find = (o: string) => attrs.find((a) => A.derToOid(forge.util.createBuffer((a.value as forge.asn1.Asn1[])[0].value as string)) === o)!;
    const md = bytes((((find(OID.messageDigest).value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as string));
    if (Buffer.compare(md, new Uint8Array(this.streebog.digest(content))) !== 0) return false;
    const certDer = der(certNode);
    const ess = bytes(((((((find(OID.signingCertificateV2).value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[])[0].value as string));
    if (Buffer.compare(ess, bytes(forge.md.sha256.create().update(bin(certDer)).digest().getBytes())) !== 0) return false;
    const setNode = A.create(C.UNIVERSAL, T.SET, true, attrs);
    const sig = bytes(si[5].value as string);
    if (!this.signer.verify(gostPublicKey(certNode), sig, der(setNode))) return false;
    // chain: find each issuer by subject name among intermediates and anchors, check its signature, stop at an anchor
    const pool = [...this.intermediates, ...this.anchors].map((d) => A.fromDer(forge.util.createBuffer(bin(d))));
    const anchorNames = new Set(this.anchors.map((d) => bin(der(nameOf(A.fromDer(forge.util.createBuffer(bin(d))), 5)))));
    let child = certNode;
    for (let depth = 0; depth < 5; depth++) {
      const issuerName = bin(der(nameOf(child, 3)));
      const issuer = pool.find((c) => bin(der(nameOf(c, 5))) === issuerName);
      if (!issuer) return false;
      const tbs = der((child.value as forge.asn1.Asn1[])[0]);
      const csig = bytes(((child.value as forge.asn1.Asn1[])[2].value as string).slice(1));
      if (!this.signer.verify(gostPublicKey(issuer), csig, tbs)) return false;
      if (anchorNames.has(issuerName)) return true;
      child = issuer;
    }
    return false;
  }
}

/** tbsCertificate field by index (with the [0] version present): 3 = issuer, 5 = subject. */
function nameOf(cert: forge.asn1.Asn1, index: number): forge.asn1.Asn1 {
  return ((cert.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[])[index];
}

function gostPublicKey(cert: forge.asn1.Asn1): Uint8Array {
  const tbs = (cert.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
  const spki = tbs[6].value as forge.asn1.Asn1[];
  // forge decodes a BIT STRING that holds DER into child nodes; the key is the OCTET STRING inside.
  const bits = spki[1].value;
  const inner = Array.isArray(bits) ? bits[0] : A.fromDer(forge.util.createBuffer((bits as string).slice(1)));
  return bytes(inner.value as string);
}

class ReferenceRsa {
  private constructor(
    private readonly key: forge.pki.rsa.PrivateKey,
    private readonly cert: forge.pki.Certificate,
  ) {}

  static open(file: Buffer, password: string): ReferenceRsa {
    const { keyBag, certBag } = p12Bags(file, password);
    return new ReferenceRsa(keyBag.key as forge.pki.rsa.PrivateKey, certBag.cert!);
  }

  sign(data: Uint8Array): Uint8Array {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(bin(data));
    p7.addCertificate(this.cert);
    p7.addSigner({
      key: this.key,
      certificate: this.cert,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [{ type: forge.pki.oids.contentType, value: forge.pki.oids.data }, { type: forge.pki.oids.messageDigest }, { type: forge.pki.oids.signingTime }],
    });
    p7.sign();
    return bytes(A.toDer(p7.toAsn1()).getBytes());
  }
}
