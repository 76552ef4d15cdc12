// Test-only: cuts the DER pieces the GOST tests need out of the НУЦ РК test material, with node-forge.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';

export const PKI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/test-pki');

const bin = (b: Uint8Array): string => Buffer.from(b).toString('binary');
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'binary'));
const fromDer = (b: Uint8Array): forge.asn1.Asn1 =>
  forge.asn1.fromDer(bin(b), { strict: true, parseAllBytes: true, decodeBitStrings: false } as unknown as boolean);
const toDer = (a: forge.asn1.Asn1): Uint8Array => bytes(forge.asn1.toDer(a).getBytes());
const kids = (a: forge.asn1.Asn1): forge.asn1.Asn1[] => a.value as forge.asn1.Asn1[];
const oid = (a: forge.asn1.Asn1): string => forge.asn1.derToOid(a.value as string);
/** BIT STRING contents without the unused-bits byte. */
const bits = (a: forge.asn1.Asn1): Uint8Array => bytes((a.value as string).slice(1));

/** Reads a file; PEM is turned into DER. */
export function readDer(file: string): Uint8Array {
  const raw = readFileSync(path.resolve(PKI_DIR, file));
  const text = raw.toString('latin1');
  if (!text.includes('-----BEGIN')) return new Uint8Array(raw);
  return new Uint8Array(Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

export interface SignedParts {
  /** The exact DER that was signed (tbsCertificate / tbsResponseData). */
  tbs: Uint8Array;
  signatureOid: string;
  signature: Uint8Array;
}

export interface CertParts extends SignedParts {
  der: Uint8Array;
  spkiOid: string;
  spkiParams: string[];
  /** SPKI BIT STRING contents (for GOST: the DER OCTET STRING holding x‖y). */
  publicKey: Uint8Array;
}

export function parseCert(der: Uint8Array): CertParts {
  const cert = fromDer(der);
  // Re-encoding must give the input back, or `tbs` would not be the bytes that were signed.
  if (Buffer.compare(toDer(cert), der) !== 0) throw new Error('certificate is not DER');
  const [tbs, sigAlg, sig] = kids(cert);
  const tbsKids = kids(tbs);
  const spki = tbsKids[tbsKids[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 6 : 5];
  const [spkiAlg, spkiBits] = kids(spki);
  const params = kids(spkiAlg)[1];
  return {
    der,
    tbs: toDer(tbs),
    signatureOid: oid(kids(sigAlg)[0]),
    signature: bits(sig),
    spkiOid: oid(kids(spkiAlg)[0]),
    spkiParams: params && Array.isArray(params.value) ? kids(params).map(oid) : [],
    publicKey: bits(spkiBits),
  };
}

/** BasicOCSPResponse pieces: tbsResponseData, signature, and the embedded certificates. */
export function parseOcspResponse(der: Uint8Array): SignedParts & { certs: Uint8Array[] } {
  const resp = fromDer(der);
  const responseBytes = kids(kids(resp)[1])[0];
  const basic = fromDer(bytes(kids(responseBytes)[1].value as string));
  const [tbs, sigAlg, sig, certs] = kids(basic);
  return {
    tbs: toDer(tbs),
    signatureOid: oid(kids(sigAlg)[0]),
    signature: bits(sig),
    certs: certs ? kids(kids(certs)[0]).map(toDer) : [],
  };
}

export interface P12Contents {
  certDer: Uint8Array;
  keyOid: string;
  keyParams: string[];
  /** Contents of PrivateKeyInfo.privateKey (the inner DER value). */
  privateKey: Uint8Array;
}

/** Opens a НУЦ РК .p12 (node-forge hands GOST keys and certificates over as raw ASN.1). */
export function openP12(file: string, password = 'Qwerty12'): P12Contents {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bin(readDer(file)), false), false, password);
  const bags = p12.safeContents.flatMap((c) => c.safeBags);
  const keyBag = bags.find((b) => b.type === forge.pki.oids.pkcs8ShroudedKeyBag);
  const certBag = bags.find((b) => b.type === forge.pki.oids.certBag);
  if (!keyBag?.asn1 || !certBag?.asn1) throw new Error(`${file}: no key or certificate bag`);
  const [, alg, key] = kids(keyBag.asn1);
  const params = kids(alg)[1];
  return {
    certDer: toDer(certBag.asn1),
    keyOid: oid(kids(alg)[0]),
    keyParams: params && Array.isArray(params.value) ? kids(params).map(oid) : [],
    privateKey: bytes(key.value as string),
  };
}
