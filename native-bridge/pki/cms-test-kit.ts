// INTERIM test kit: opens the RSA test .p12 files with node-forge until PKI part 1's openP12 and
// parseCertificate land. Only the certificate fields CMS building needs are filled.
import forge from 'node-forge';
import { createPrivateKey, sign as rsaSign, createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

// ---------- OpenSSL as the independent checker ----------


export const TEST_PKI = path.resolve(import.meta.dirname, '../../resources/test-pki');

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'kense-cms-'));
}

export function writeTemp(dir: string, name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Runs openssl; returns exit status and output (never throws, so tests can assert on failures too). */
export function openssl(args: string[], input?: Uint8Array): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'buffer', timeout: 20_000 });
  if (r.error) throw new Error(`cannot run openssl: ${r.error.message}`);
  return { status: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}
