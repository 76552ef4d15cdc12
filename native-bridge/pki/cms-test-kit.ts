// INTERIM test kit: opens the RSA test .p12 files with node-forge until PKI part 1's openP12 and
// parseCertificate land. Only the certificate fields CMS building needs are filled.
import forge from 'node-forge';
import { createPrivateKey, sign as rsaSign, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TAG, child, expectTag, parseAsn1, readTime } from './der';
import type { KzCertificate, PrivateKeyHandle } from './types';

export function interimOpenRsaP12(path: string, password = 'Qwerty12'): { key: PrivateKeyHandle; certificate: KzCertificate } {
  const bin = readFileSync(path).toString('binary');
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(bin)), false, password);
  let keyPem = '';
  let certDer = new Uint8Array();
  for (const sc of p12.safeContents)
    for (const bag of sc.safeBags) {
      if (bag.key) keyPem = forge.pki.privateKeyToPem(bag.key);
      if (bag.cert) certDer = new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes(), 'binary'));
    }
  const keyObject = createPrivateKey(keyPem);
  let destroyed = false;
  const key: PrivateKeyHandle = {
    algorithm: 'RSA',
    sign: (data) => new Uint8Array(rsaSign('sha256', data, keyObject)),
    signDigest: () => {
      throw new Error('not in the interim kit');
    },
    destroy: () => {
      destroyed = true;
    },
    get destroyed() {
      return destroyed;
    },
  };
  return { key, certificate: interimCertificate(certDer) };
}

export function interimCertificate(der: Uint8Array): KzCertificate {
  const tbs = child(expectTag(parseAsn1(der), TAG.SEQUENCE, 'Certificate'), 0, 'tbs');
  const o = tbs.children[0].tag === 0xa0 ? 1 : 0;
  const validity = child(tbs, o + 3, 'validity');
  return {
    der,
    issuerRaw: child(tbs, o + 2, 'issuer').raw,
    subjectRaw: child(tbs, o + 4, 'subject').raw,
    keyAlgorithm: 'RSA',
    notBefore: readTime(validity.children[0]),
    notAfter: readTime(validity.children[1]),
    sha256: createHash('sha256').update(der).digest('hex'),
  } as KzCertificate;
}
