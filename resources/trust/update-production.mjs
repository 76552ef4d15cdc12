#!/usr/bin/env node
// Fetches the production НУЦ РК CA certificates (NCALAYER_AND_PKI.md §7), checks that each one is a
// CA certificate, and writes them as DER plus manifest.json (SHA-256 fingerprints) into
// resources/trust/production/. Plain Node ≥ 20, no dependencies. Run it on a machine that can reach
// pki.gov.kz and root.gov.kz, review the printed fingerprints against the ones НУЦ РК publishes,
// and commit the folder. The app refuses files whose fingerprint differs from the manifest.
//
//   node resources/trust/update-production.mjs                  # download into production/
//   node resources/trust/update-production.mjs --from-dir DIR   # use files already fetched (offline)
//   options: --out DIR, --allow-missing, --timeout-ms N
import { X509Certificate, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inflateRawSync } from 'node:zlib';

/**
 * The certificates a release holds (NCALAYER_AND_PKI.md §7; ../shared/fixtures/pki/production/README.md):
 * today's roots and intermediates, the state bodies' CA and BTSD CA under the GOST 2020 root, and the
 * expired 2015/2018 generation (still needed to judge old signatures at their timestamp's time).
 * `issuer` names the file of the CA that signed it (roots: themselves).
 */
export const SOURCES = [
  { file: 'root_gost_2022.cer', url: 'https://root.gov.kz/cert/root_gost2015_2022.cer', role: 'root', issuer: 'root_gost_2022.cer', note: 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022 — GOST 34.10-2015-512 root' },
  { file: 'nca_gost_2022.cer', url: 'https://pki.gov.kz/cert/nca_gost_2022.cer', role: 'intermediate', issuer: 'root_gost_2022.cer', note: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022 — issues GOST 34.10-2015-512 user keys and the timestamp service' },
  { file: 'root_rsa_2020.cer', url: 'https://root.gov.kz/cert/root_rsa_2020.cer', role: 'root', issuer: 'root_rsa_2020.cer', note: 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) 2020' },
  { file: 'nca_rsa_2022.cer', url: 'https://pki.gov.kz/cert/nca_rsa_2022.cer', role: 'intermediate', issuer: 'root_rsa_2020.cer', note: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) 2022 — issues RSA user keys' },
  { file: 'root_gost_2020.cer', url: 'https://root.gov.kz/cert/root_gost_2020.cer', role: 'root', issuer: 'root_gost_2020.cer', note: 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2020 — GOST 34.310-2004 root' },
  { file: 'ucgo_gost.cer', url: 'https://ucgo.gov.kz/cert/ucgo_root.zip', role: 'intermediate', issuer: 'root_gost_2020.cer', note: 'Удостоверяющий центр Государственных органов (state bodies) — published inside a zip' },
  { file: 'btsd_gost.cer', url: 'https://root.gov.kz/cert/uc/btsd_gost.cer', role: 'intermediate', issuer: 'root_gost_2020.cer', note: 'BTSD CA (BTS Digital, accredited CA under the НУЦ root)' },
  { file: 'root_gost.cer', url: 'https://root.gov.kz/cert/root_gost.cer', role: 'root', issuer: 'root_gost.cer', note: 'previous GOST 34.310-2004 root (2015), expired 2025-07-27' },
  { file: 'nca_gost.cer', url: 'https://pki.gov.kz/cert/nca_gost.crt', role: 'intermediate', issuer: 'root_gost.cer', note: 'previous НУЦ GOST (2018), expired 2025-06-25' },
  { file: 'root_rsa.cer', url: 'https://root.gov.kz/cert/root_rsa.cer', role: 'root', issuer: 'root_rsa.cer', note: 'previous RSA root (2015), expired 2025-07-27' },
  { file: 'nca_rsa.cer', url: 'https://pki.gov.kz/cert/nca_rsa.crt', role: 'intermediate', issuer: 'root_rsa.cer', note: 'previous НУЦ RSA (2018), expired 2025-06-25' },
];

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The first .cer/.crt/.der/.pem member of a zip archive (stored or deflated), as НУЦ publishes some CAs. */
function fromZip(bytes) {
  for (let p = 0; p + 30 <= bytes.length && bytes.readUInt32LE(p) === 0x04034b50; ) {
    const method = bytes.readUInt16LE(p + 8);
    const size = bytes.readUInt32LE(p + 18);
    const nameLen = bytes.readUInt16LE(p + 26);
    const extraLen = bytes.readUInt16LE(p + 28);
    const name = bytes.subarray(p + 30, p + 30 + nameLen).toString('utf8');
    const start = p + 30 + nameLen + extraLen;
    const data = bytes.subarray(start, start + size);
    if (/\.(cer|crt|der|pem)$/i.test(name)) {
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`zip member ${name}: compression method ${method} is not supported`);
    }
    p = start + size;
  }
  throw new Error('zip archive without a certificate file (or with a data descriptor we do not read)');
}

/** DER from DER, PEM or a zip holding one of those. */
function toDer(bytes) {
  if (bytes.length > 4 && bytes.readUInt32LE(0) === 0x04034b50) bytes = fromZip(bytes);
  const text = bytes.toString('latin1');
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text);
  return m ? Buffer.from(m[1].replace(/\s+/g, ''), 'base64') : bytes;
}

async function fetchBytes(url, timeoutMs) {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  if (!res.url.startsWith('https:')) throw new Error(`redirected away from https (${res.url})`);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Parses and checks one certificate; returns its manifest entry or throws with the reason. */
export function describeCertificate(der, source) {
  let x;
  try {
    x = new X509Certificate(der);
  } catch (e) {
    throw new Error(`not an X.509 certificate (${e.message})`);
  }
  if (!x.ca) throw new Error('not a CA certificate (basicConstraints cA is not set)');
  const selfSigned = x.subject === x.issuer;
  if (source.role === 'root' && !selfSigned) throw new Error('expected a self-signed root, but issuer ≠ subject');
  if (source.role === 'intermediate' && selfSigned) throw new Error('expected an intermediate CA, but it is self-signed');
  return {
    file: source.file,
    url: source.url,
    role: source.role,
    subject: x.subject.replace(/\n/g, ', '),
    issuer: x.issuer.replace(/\n/g, ', '),
    issuedBy: source.issuer,
    serialNumber: x.serialNumber,
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
    sha256: createHash('sha256').update(der).digest('hex'),
    selfSigned,
  };
}

export async function main(argv = process.argv.slice(2), log = console) {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: path.join(HERE, 'production') },
      'from-dir': { type: 'string' },
      'allow-missing': { type: 'boolean', default: false },
      'timeout-ms': { type: 'string', default: '20000' },
    },
  });
  const out = values.out;
  const entries = [];
  const ders = new Map();
  const failures = [];
  for (const source of SOURCES) {
    try {
      let bytes;
      if (values['from-dir']) {
        const f = path.join(values['from-dir'], source.file);
        if (!existsSync(f)) throw new Error(`missing ${f}`);
        bytes = readFileSync(f);
      } else {
        bytes = await fetchBytes(source.url, Number(values['timeout-ms']));
      }
      const der = toDer(bytes);
      const entry = describeCertificate(der, source);
      if (Date.parse(entry.notAfter) < Date.now()) log.warn(`warning: ${source.file} expired on ${entry.notAfter}`);
      ders.set(source.file, der);
      entries.push(entry);
      log.log(`ok  ${source.file}  ${entry.subject}\n    SHA-256 ${entry.sha256}  valid ${entry.notBefore} … ${entry.notAfter}`);
    } catch (e) {
      failures.push({ file: source.file, url: source.url, reason: e.message });
      log.error(`FAIL ${source.file} (${source.url}): ${e.message}`);
    }
  }
  // An intermediate must name the CA it is listed under; without that CA in the set it anchors nothing.
  for (const e of entries.filter((x) => x.role === 'intermediate')) {
    const ca = entries.find((r) => r.file === e.issuedBy);
    if (!ca) {
      log.warn(`warning: the CA that issued ${e.file} (${e.issuedBy}) is not in the set`);
      continue;
    }
    if (ca.subject !== e.issuer) {
      failures.push({ file: e.file, url: e.url, reason: `issued by «${e.issuer}», not by ${ca.file} «${ca.subject}»` });
      log.error(`FAIL ${e.file}: issued by «${e.issuer}», not by ${ca.file} «${ca.subject}»`);
      continue;
    }
    // node:crypto checks RSA signatures; GOST ones are checked by the app's own loader (kense trust list).
    try {
      if (!new X509Certificate(ders.get(e.file)).verify(new X509Certificate(ders.get(ca.file)).publicKey)) {
        failures.push({ file: e.file, url: e.url, reason: `signature does not verify under ${ca.file}` });
        log.error(`FAIL ${e.file}: signature does not verify under ${ca.file}`);
      }
    } catch {
      // a GOST key: not checkable here
    }
  }
  // A failed run must not replace a good folder with a partial one.
  if (failures.length && !values['allow-missing']) {
    log.error(`nothing written: ${failures.length} certificate(s) failed (use --allow-missing to write the rest)`);
    return 1;
  }
  mkdirSync(out, { recursive: true });
  for (const [file, der] of ders) writeFileSync(path.join(out, file), der);
  const manifest = {
    about: 'Production НУЦ РК CA certificates shipped with Kense Office. Written by update-production.mjs; the app checks every file against these SHA-256 fingerprints.',
    generatedAt: new Date().toISOString(),
    source: values['from-dir'] ? `files from ${values['from-dir']}` : 'downloaded from the URLs below',
    certificates: entries,
    missing: failures,
  };
  writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  log.log(`wrote ${entries.length} certificate(s) and manifest.json to ${out}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(e.message);
      process.exitCode = 2;
    },
  );
}
