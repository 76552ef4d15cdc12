// The emulator's own TLS identity: a local CA and a 127.0.0.1 server certificate issued by it, created on
// first run in a data folder and reused; the leaf (≤ 398 days, as browsers require) is re-issued when
// it nears expiry. Clients trust the CA file explicitly — nothing is installed into any OS store.
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

export const LEAF_VALIDITY_DAYS = 397;
/** Re-issue the leaf when fewer days than this remain. */
export const LEAF_RENEW_DAYS = 30;
const CA_VALIDITY_YEARS = 10;
const DAY = 86_400_000;

export interface EmulatorTlsIdentity {
  dataDir: string;
  caPath: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** What happened on this run. */
  created: { ca: boolean; leaf: boolean };
  leafNotAfter: Date;
}

export function defaultEmulatorDataDir(): string {
  return path.join(os.homedir(), '.kense', 'ncalayer-emulator');
}

function rsaKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

function serial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f; // positive INTEGER
  return b.toString('hex');
}

function issue(opts: {
  subjectCn: string;
  publicPem: string;
  issuer: { cn: string; keyPem: string; certPem?: string };
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
}): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(opts.publicPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = opts.notBefore;
  cert.validity.notAfter = opts.notAfter;
  const subject = [
    { name: 'commonName', value: opts.subjectCn },
    { name: 'organizationName', value: 'Kense Office NCALayer emulator' },
  ];
  cert.setSubject(subject);
  cert.setIssuer([
    { name: 'commonName', value: opts.issuer.cn },
    { name: 'organizationName', value: 'Kense Office NCALayer emulator' },
  ]);
  const exts: object[] = opts.ca
    ? [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        { name: 'subjectKeyIdentifier' },
      ]
    : [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
        { name: 'subjectKeyIdentifier' },
      ];
  if (opts.issuer.certPem) {
    const issuerCert = forge.pki.certificateFromPem(opts.issuer.certPem);
    const ski = issuerCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null;
    if (ski?.subjectKeyIdentifier) exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: forge.util.hexToBytes(ski.subjectKeyIdentifier) });
  }
  cert.setExtensions(exts);
  cert.sign(forge.pki.privateKeyFromPem(opts.issuer.keyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

function writeSecret(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  try {
    chmodSync(file, 0o600);
  } catch {
    // Windows: ACLs of the user profile protect the file.
  }
}

function leafUsable(certPem: string, caPem: string, now: Date): boolean {
  try {
    const leaf = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return false;
    if (!leaf.checkIP('127.0.0.1')) return false;
    const notAfter = new Date(leaf.validTo).getTime();
    const notBefore = new Date(leaf.validFrom).getTime();
    return notBefore <= now.getTime() && notAfter - now.getTime() > LEAF_RENEW_DAYS * DAY;
  } catch {
    return false;
  }
}

/** Loads the CA and leaf from `dataDir`, creating or renewing what is missing, expired or near expiry. */
export function ensureEmulatorTls(dataDir: string = defaultEmulatorDataDir(), now: Date = new Date()): EmulatorTlsIdentity {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const caPath = path.join(dataDir, 'ca.crt');
  const caKeyPath = path.join(dataDir, 'ca.key');
  const certPath = path.join(dataDir, 'server.crt');
  const keyPath = path.join(dataDir, 'server.key');
  const created = { ca: false, leaf: false };

  let caPem = existsSync(caPath) ? readFileSync(caPath, 'utf8') : '';
  let caKeyPem = existsSync(caKeyPath) ? readFileSync(caKeyPath, 'utf8') : '';
  let caOk = false;
  if (caPem && caKeyPem) {
    try {
      const ca = new X509Certificate(caPem);
      caOk = ca.ca && new Date(ca.validTo).getTime() - now.getTime() > (LEAF_VALIDITY_DAYS + 1) * DAY;
    } catch {
      caOk = false;
    }
  }
  if (!caOk) {
    const kp = rsaKeyPair();
    const cn = 'Kense NCALayer emulator local CA';
    caPem = issue({
      subjectCn: cn,
      publicPem: kp.publicPem,
      issuer: { cn, keyPem: kp.privatePem },
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + CA_VALIDITY_YEARS * 365 * DAY),
      ca: true,
    });
    caKeyPem = kp.privatePem;
    writeSecret(caKeyPath, caKeyPem);
    writeFileSync(caPath, caPem);
    created.ca = true;
  }

  let certPem = existsSync(certPath) ? readFileSync(certPath, 'utf8') : '';
  let keyPem = existsSync(keyPath) ? readFileSync(keyPath, 'utf8') : '';
  if (created.ca || !keyPem || !leafUsable(certPem, caPem, now)) {
    const kp = rsaKeyPair();
    certPem = issue({
      subjectCn: '127.0.0.1',
      publicPem: kp.publicPem,
      issuer: { cn: 'Kense NCALayer emulator local CA', keyPem: caKeyPem, certPem: caPem },
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + LEAF_VALIDITY_DAYS * DAY),
      ca: false,
    });
    keyPem = kp.privatePem;
    writeSecret(keyPath, keyPem);
    writeFileSync(certPath, certPem);
    created.leaf = true;
  }
  return { dataDir, caPath, caPem, certPem, keyPem, created, leafNotAfter: new Date(new X509Certificate(certPem).validTo) };
}
