// Trust stores: the production НУЦ РК CAs shipped in resources/trust/production (plus user-imported
// roots and the OS store), the test CAs of resources/test-pki (only when asked for), or given files.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KenseError } from '../../contract/errors';
import { parseCertificate } from './certificate';
import { isSignedBy } from './chain';
import { bytesEqual } from './der';
import { namesMatch } from './names';
import { type OsStoreOptions, isNucCa, readOsStoreCertificates } from './os-store';
import { resourcesDir } from './resources';
import type { KzCertificate, TrustStore } from './types';

/** Default location of the shipped production CAs (a packaged app passes its own resources folder). */
export const PRODUCTION_TRUST_DIR = path.join(resourcesDir(), 'trust/production');
export const TEST_PKI_DIR = path.join(resourcesDir(), 'test-pki');

/** The CRL of the test GOST 2022 CA shipped with the test kit (resources/test-pki): evidence for `--trust test`. */
export const TEST_CRL_FILES: readonly string[] = [path.join(TEST_PKI_DIR, 'gost2022-test/ca/nca_gost2022_test.crl')];

/** The test CAs: the GOST 2022 root + intermediate, and the two legacy CAs whose roots are not in the material. */
const TEST_FILES = {
  gostRoot: 'gost2022-test/ca/root_test_gost_2022.cer',
  gostCa: 'gost2022-test/ca/nca_gost2022_test.cer',
  legacyRsaCa: 'legacy-test/ca/test_nca_rsa_uko3.crt',
  legacyGostCa: 'legacy-test/ca/test_nca_gost_2004_uko3.crt',
};

export type TrustSource =
  | 'production'
  | 'test'
  /**
   * Given files. `anchors: 'self-signed'` (default) makes self-signed CAs anchors and the rest
   * intermediates; `'all'` makes every file an anchor (RFC 5280 §6.1.1 allows any CA as anchor).
   */
  | { files: string[]; anchors?: 'self-signed' | 'all' }
  /** Every .cer/.crt/.pem/.der in a folder (e.g. roots the user imported). */
  | { folder: string };

export interface TrustStoreOptions {
  /** Roots the user imported (added to 'production'). */
  userFolder?: string;
  /** Read the OS store for 'production' (default true); false in tests, or options for it. */
  osStore?: boolean | OsStoreOptions;
  /** Where the shipped production certificates are (default resources/trust/production). */
  productionDir?: string;
}

/** What a loaded store is made of, for `kense doctor` and the about screen. */
export interface LoadedTrustStore extends TrustStore {
  /** Files (or OS store) each certificate came from, keyed by SHA-256. */
  readonly origins: ReadonlyMap<string, string>;
  /** Files set aside and why. */
  readonly problems: readonly string[];
}

export function isEmpty(store: TrustStore): boolean {
  return store.anchors.length === 0;
}

const CERT_FILE = /\.(cer|crt|pem|der)$/i;

function listCertFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => CERT_FILE.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

function selfSigned(c: KzCertificate): boolean {
  return namesMatch(c.subjectRaw, c.issuerRaw) && isSignedBy(c, c);
}

class Builder {
  readonly anchors: KzCertificate[] = [];
  readonly intermediates: KzCertificate[] = [];
  readonly origins = new Map<string, string>();
  readonly problems: string[] = [];
  readonly names: string[] = [];

  add(c: KzCertificate, origin: string, asAnchor: boolean): void {
    if (this.origins.has(c.sha256)) return;
    if (!c.isCa) {
      this.problems.push(`${origin}: «${c.subjectDn}» is not a CA certificate`);
      return;
    }
    this.origins.set(c.sha256, origin);
    (asAnchor ? this.anchors : this.intermediates).push(c);
  }

  /** Reads a file; `strict` turns a bad file into TRUST_FILE_INVALID instead of a note. */
  addFile(file: string, anchors: 'self-signed' | 'all', strict: boolean): void {
    let c: KzCertificate;
    try {
      c = parseCertificate(readFileSync(file));
    } catch (e) {
      if (strict) throw new KenseError('TRUST_FILE_INVALID', { file: path.basename(file) }, { cause: e });
      this.problems.push(`${file}: not a certificate we can read`);
      return;
    }
    if (strict && !c.isCa) throw new KenseError('TRUST_FILE_INVALID', { file: path.basename(file), reason: 'not a CA' });
    this.add(c, file, anchors === 'all' || selfSigned(c));
  }

  /** Checks the shipped folder against its manifest (written by update-production.mjs), when there is one. */
  addProduction(dir: string): void {
    const manifestFile = path.join(dir, 'manifest.json');
    let expected: Map<string, string> | undefined;
    if (existsSync(manifestFile)) {
      try {
        const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as { certificates?: { file: string; sha256: string }[] };
        expected = new Map((m.certificates ?? []).map((e) => [e.file, e.sha256.toLowerCase()]));
      } catch {
        this.problems.push(`${manifestFile}: unreadable manifest; files are used without the fingerprint check`);
      }
    }
    for (const file of listCertFiles(dir)) {
      if (expected) {
        const want = expected.get(path.basename(file));
        const have = createHash('sha256').update(readFileSync(file)).digest('hex');
        if (want !== have) {
          this.problems.push(`${file}: ${want ? 'SHA-256 differs from the manifest' : 'not listed in the manifest'}; skipped`);
          continue;
        }
      }
      this.addFile(file, 'self-signed', false);
    }
  }
}

function addSource(b: Builder, source: TrustSource, opts: TrustStoreOptions): void {
  if (source === 'production') {
    b.names.push('production');
    b.addProduction(opts.productionDir ?? PRODUCTION_TRUST_DIR);
    if (opts.userFolder) for (const f of listCertFiles(opts.userFolder)) b.addFile(f, 'self-signed', false);
    if (opts.osStore !== false) {
      const os = readOsStoreCertificates(typeof opts.osStore === 'object' ? opts.osStore : {});
      for (const c of os.certificates) b.add(c, 'OS certificate store', selfSigned(c));
      b.problems.push(...os.notes.filter((n) => n.startsWith('cannot') || n.startsWith('OS certificate store')));
    }
  } else if (source === 'test') {
    b.names.push('test');
    // The legacy CAs are anchors by decision: their roots («НЕГІЗГІ КО TEST (RSA/GOST)») are not in the material.
    b.addFile(path.join(TEST_PKI_DIR, TEST_FILES.gostRoot), 'self-signed', true);
    b.addFile(path.join(TEST_PKI_DIR, TEST_FILES.gostCa), 'self-signed', true);
    b.addFile(path.join(TEST_PKI_DIR, TEST_FILES.legacyRsaCa), 'all', true);
    b.addFile(path.join(TEST_PKI_DIR, TEST_FILES.legacyGostCa), 'all', true);
  } else if ('files' in source) {
    b.names.push('files');
    for (const f of source.files) b.addFile(f, source.anchors ?? 'self-signed', true);
  } else {
    b.names.push(`folder ${path.basename(source.folder)}`);
    for (const f of listCertFiles(source.folder)) b.addFile(f, 'self-signed', false);
  }
}

/**
 * Loads a trust store. 'production' = resources/trust/production (+ the user folder + the OS store);
 * 'test' = the НУЦ РК test CAs (never part of production); or given files/folders; or several.
 */
export function loadTrustStore(source: TrustSource | TrustSource[], opts: TrustStoreOptions = {}): LoadedTrustStore {
  const b = new Builder();
  for (const s of Array.isArray(source) ? source : [source]) addSource(b, s, opts);
  return { name: b.names.join('+'), anchors: b.anchors, intermediates: b.intermediates, origins: b.origins, problems: b.problems };
}

// ---------- the anchors timestamps are chained to ----------

let shipped: LoadedTrustStore | undefined;

/** The production CAs shipped with the app (no OS store, no user folder), read once per process. */
export function shippedProductionStore(): LoadedTrustStore {
  return (shipped ??= loadTrustStore('production', { osStore: false }));
}

/**
 * The store a timestamp token's TSA is chained against: the store in use plus the shipped production
 * CAs. The НУЦ timestamp service signs with a production certificate whatever key it stamps, so test
 * mode needs the production anchors for TSAs; they never serve a signer's own path.
 */
export function timestampTrust(inUse: TrustStore, production: TrustStore = shippedProductionStore()): TrustStore {
  const seen = new Set(inUse.anchors.map((c) => c.sha256).concat(inUse.intermediates.map((c) => c.sha256)));
  const extraAnchors = production.anchors.filter((c) => !seen.has(c.sha256));
  const extraIntermediates = production.intermediates.filter((c) => !seen.has(c.sha256));
  if (extraAnchors.length === 0 && extraIntermediates.length === 0) return inUse;
  return { name: `${inUse.name}+production (timestamps)`, anchors: [...inUse.anchors, ...extraAnchors], intermediates: [...inUse.intermediates, ...extraIntermediates] };
}

// ---------- roots the user imports (kense trust import, the app's settings) ----------

/**
 * Where the CLI keeps the roots a user imported, beside its NCALayer pins: ~/.kense/trust, or
 * KENSE_TRUST_DIR. Undefined without a home folder (never a folder relative to wherever we run).
 */
export function defaultUserTrustDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.KENSE_TRUST_DIR) return path.resolve(env.KENSE_TRUST_DIR);
  const home = env.HOME || env.USERPROFILE;
  return home ? path.join(home, '.kense', 'trust') : undefined;
}

export interface ImportedTrustCertificate {
  certificate: KzCertificate;
  file: string;
  /** false when the same certificate was imported before. */
  added: boolean;
  /** Self-signed: an anchor; otherwise an intermediate that needs its root too. */
  root: boolean;
  /** Not named like an НУЦ РК CA: imported because the user asked, worth a warning. */
  foreign: boolean;
}

/** The checks of importTrustCertificate without writing anything (to check several files before importing any). */
export function checkTrustCertificate(bytes: Uint8Array | string): KzCertificate {
  const certificate = parseCertificate(bytes);
  if (!certificate.isCa) throw new KenseError('TRUST_IMPORT_NOT_CA', { subject: certificate.subjectDn });
  if (isNucCa(certificate, true) && !isNucCa(certificate, false)) throw new KenseError('TRUST_IMPORT_TEST_CA', { subject: certificate.subjectDn });
  return certificate;
}

/**
 * Adds a CA certificate (DER or PEM) to the user folder as `<sha256>.cer` (DER). Refuses an
 * end-entity certificate (TRUST_IMPORT_NOT_CA) and the НУЦ РК test CAs, which belong to
 * `--trust test` only (TRUST_IMPORT_TEST_CA); unreadable input is CERT_MALFORMED.
 */
export function importTrustCertificate(bytes: Uint8Array | string, dir: string): ImportedTrustCertificate {
  const certificate = checkTrustCertificate(bytes);
  const file = path.join(dir, `${certificate.sha256}.cer`);
  // The name is the content's hash, so a file that is there with other bytes is a broken earlier write.
  const added = !existsSync(file) || !bytesEqual(new Uint8Array(readFileSync(file)), certificate.der);
  if (added) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, certificate.der);
  }
  return { certificate, file, added, root: selfSigned(certificate), foreign: !isNucCa(certificate, false) };
}

/** The certificates in the user folder (unreadable files are skipped, as loadTrustStore does). */
export function listUserTrustCertificates(dir: string): { certificate: KzCertificate; file: string }[] {
  const out: { certificate: KzCertificate; file: string }[] = [];
  for (const file of listCertFiles(dir)) {
    try {
      out.push({ certificate: parseCertificate(readFileSync(file)), file });
    } catch {
      // reported by loadTrustStore's problems
    }
  }
  return out;
}

/**
 * Removes the imported certificates whose SHA-256 starts with `fingerprint` (hex, colons allowed,
 * at least 8 digits so a typo cannot remove several). TRUST_CERT_NOT_FOUND when none matches.
 */
export function removeTrustCertificate(fingerprint: string, dir: string): KzCertificate[] {
  const prefix = fingerprint.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(prefix)) throw new KenseError('INVALID_INPUT', { field: 'fingerprint', problem: 'at least 8 hex digits of the SHA-256' });
  const matches = listUserTrustCertificates(dir).filter((e) => e.certificate.sha256.startsWith(prefix));
  if (matches.length === 0) throw new KenseError('TRUST_CERT_NOT_FOUND', { fingerprint: prefix });
  for (const m of matches) rmSync(m.file, { force: true });
  return matches.map((m) => m.certificate);
}
