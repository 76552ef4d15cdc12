import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issue, testHierarchy } from './ca-test-kit';
import { parseCertificate } from './certificate';
import { validateCertificatePath } from './chain';
import { toPem } from './der';
import { X500 } from './oids';
import { isNucCa, readOsStoreCertificates, splitPem } from './os-store';
import { codeOf } from './test-kit';
import {
  PRODUCTION_TRUST_DIR, TEST_PKI_DIR, defaultUserTrustDir, importTrustCertificate, isEmpty, listUserTrustCertificates, loadTrustStore, removeTrustCertificate,
} from './trust';
// @ts-expect-error -- plain .mjs script without type declarations
import { SOURCES, main as updateProduction } from '../../resources/trust/update-production.mjs';

const TMP = mkdtempSync(path.join(tmpdir(), 'kense-trust-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const dir = (name: string) => {
  const d = path.join(TMP, name);
  mkdirSync(d, { recursive: true });
  return d;
};
const AT = new Date('2026-11-25T00:00:00Z');
const GOST_ROOT = path.join(TEST_PKI_DIR, 'gost2022-test/ca/root_test_gost_2022.cer');
const GOST_CA = path.join(TEST_PKI_DIR, 'gost2022-test/ca/nca_gost2022_test.cer');
const INDIVIDUAL = parseCertificate(readFileSync(path.join(TEST_PKI_DIR, 'gost2022-test/individual/valid/individual_valid.pem')));

/** A self-signed CA with a НУЦ РК production name (the real ones cannot be downloaded here). */
const nucRoot = issue({ subject: [[X500.commonName, 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022'], [X500.countryName, 'KZ']], ca: true, keyUsage: ['keyCertSign', 'cRLSign'] });
const foreignRoot = issue({ subject: [[X500.commonName, 'Some Global Root CA'], [X500.countryName, 'US']], ca: true });
const kzTlsRoot = issue({ subject: [[X500.commonName, 'KZ Commercial TLS Root'], [X500.countryName, 'KZ']], ca: true });
const testRoot = parseCertificate(readFileSync(GOST_ROOT));

describe('loadTrustStore', () => {
  it("'production' ships the НУЦ РК CAs: every file matches manifest.json, every chain of the release list builds", () => {
    const s = loadTrustStore('production', { osStore: false });
    expect(s.name).toBe('production');
    expect(isEmpty(s)).toBe(false);
    expect(s.problems).toEqual([]);
    expect(PRODUCTION_TRUST_DIR.endsWith(path.join('resources', 'trust', 'production'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(PRODUCTION_TRUST_DIR, 'manifest.json'), 'utf8')) as { certificates: { file: string; sha256: string; issuedBy: string; role: string }[]; missing: unknown[] };
    expect(manifest.missing).toEqual([]);
    const files = readdirSync(PRODUCTION_TRUST_DIR).filter((f) => f.endsWith('.cer')).sort();
    expect(manifest.certificates.map((c) => c.file).sort()).toEqual(files);
    expect(files).toHaveLength(11);
    const byFile = new Map(manifest.certificates.map((c) => [c.file, c]));
    const cert = (f: string) => parseCertificate(readFileSync(path.join(PRODUCTION_TRUST_DIR, f)));
    for (const f of files) {
      const entry = byFile.get(f)!;
      const c = cert(f);
      expect(createHash('sha256').update(readFileSync(path.join(PRODUCTION_TRUST_DIR, f))).digest('hex'), f).toBe(entry.sha256);
      expect(c.isCa, f).toBe(true);
      // Each certificate is checked under exactly the CA the release list names (roots: their own key), at a time both were valid.
      const issuer = cert(entry.issuedBy);
      const at = new Date(Math.min(c.notAfter.getTime(), issuer.notAfter.getTime()) - 86_400_000);
      const r = validateCertificatePath(c, { trust: { name: entry.issuedBy, anchors: [issuer], intermediates: [] }, at, revocation: 'none' });
      expect([f, r.reasons, r.chain.map((x) => x.sha256)]).toEqual([f, [], entry.role === 'root' ? [c.sha256] : [c.sha256, issuer.sha256]]);
    }
    expect(s.anchors.map((c) => c.sha256).sort()).toEqual(manifest.certificates.filter((c) => c.role === 'root').map((c) => c.sha256).sort());
  });

  it('a production folder someone emptied is TRUST_STORE_EMPTY, not "untrusted"', () => {
    const s = loadTrustStore('production', { productionDir: dir('emptied'), osStore: false });
    expect(isEmpty(s)).toBe(true);
    expect(validateCertificatePath(INDIVIDUAL, { trust: s, at: AT, revocation: 'none' }).reasons).toEqual(['TRUST_STORE_EMPTY']);
  });

  it("'test' = GOST 2022 root (anchor) + НЦ 2022 (intermediate) + the two legacy CAs (anchors: their roots are not in the material)", () => {
    const s = loadTrustStore('test');
    expect(s.anchors.map((c) => c.commonName).sort()).toEqual(['НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022', 'ҰКО 3.0 (GOST TEST)', 'ҰКО 3.0 (RSA TEST)']);
    expect(s.intermediates.map((c) => c.commonName)).toEqual(['ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022']);
    expect(s.problems).toEqual([]);
  });

  it('given files: self-signed → anchor, others → intermediates; anchors: all on request; bad files → TRUST_FILE_INVALID', () => {
    const s = loadTrustStore({ files: [GOST_CA, GOST_ROOT] });
    expect([s.anchors.length, s.intermediates.length]).toEqual([1, 1]);
    expect(validateCertificatePath(INDIVIDUAL, { trust: s, at: AT, revocation: 'none' }).reasons).toEqual([]);
    const onlyCa = loadTrustStore({ files: [GOST_CA], anchors: 'all' });
    expect(validateCertificatePath(INDIVIDUAL, { trust: onlyCa, at: AT, revocation: 'none' }).reasons).toEqual([]);
    const junk = path.join(dir('junk'), 'junk.cer');
    writeFileSync(junk, 'not a certificate');
    expect(codeOf(() => loadTrustStore({ files: [junk] }))).toBe('TRUST_FILE_INVALID');
    expect(codeOf(() => loadTrustStore({ files: [path.join(TEST_PKI_DIR, 'gost2022-test/individual/valid/individual_valid.pem')] }))).toBe('TRUST_FILE_INVALID');
  });

  it('production + the user folder; a folder with odd files is read leniently', () => {
    const user = dir('user');
    copyFileSync(GOST_ROOT, path.join(user, 'root.cer'));
    writeFileSync(path.join(user, 'ca.pem'), toPem(readFileSync(GOST_CA), 'CERTIFICATE'));
    writeFileSync(path.join(user, 'notes.txt'), 'ignored');
    writeFileSync(path.join(user, 'broken.crt'), 'broken');
    const s = loadTrustStore('production', { userFolder: user, osStore: false, productionDir: dir('no-shipped') });
    expect(isEmpty(s)).toBe(false);
    expect(s.intermediates).toHaveLength(1);
    expect(s.problems.join('\n')).toMatch(/broken\.crt: not a certificate/);
    expect(loadTrustStore({ folder: user }).anchors).toHaveLength(1);
  });

  it('several sources at once, deduplicated', () => {
    const s = loadTrustStore(['test', { files: [GOST_ROOT] }]);
    expect(s.name).toBe('test+files');
    expect(s.anchors).toHaveLength(3);
  });
});

describe('roots the user imports (kense trust import)', () => {
  it('a CA certificate (PEM or DER) lands in the folder once, and production trust then chains to it', () => {
    const user = path.join(dir('imported'), 'trust'); // not there yet: created on the first import
    const first = importTrustCertificate(toPem(nucRoot.cert.der, 'CERTIFICATE'), user);
    expect(first).toMatchObject({ added: true, root: true, foreign: false, file: path.join(user, `${nucRoot.cert.sha256}.cer`) });
    expect(new Uint8Array(readFileSync(first.file))).toEqual(nucRoot.cert.der);
    expect(importTrustCertificate(nucRoot.cert.der, user).added).toBe(false);
    const leaf = issue({ subject: [[X500.commonName, 'ТЕСТОВ ТЕСТ']], issuer: nucRoot, notBefore: new Date('2026-01-01') });
    const store = loadTrustStore('production', { userFolder: user, osStore: false });
    expect(store.anchors.map((c) => c.sha256)).toContain(nucRoot.cert.sha256);
    expect(store.origins.get(nucRoot.cert.sha256)).toBe(first.file);
    expect(validateCertificatePath(leaf.cert, { trust: store, at: AT, revocation: 'none' }).reasons).toEqual([]);
    expect(listUserTrustCertificates(user).map((e) => e.certificate.sha256)).toEqual([nucRoot.cert.sha256]);
  });

  it('a foreign CA is imported but flagged; a broken earlier write is repaired', () => {
    const user = dir('imported-foreign');
    writeFileSync(path.join(user, `${foreignRoot.cert.sha256}.cer`), 'half a certificate');
    const r = importTrustCertificate(foreignRoot.cert.der, user);
    expect(r).toMatchObject({ added: true, foreign: true });
    expect(new Uint8Array(readFileSync(r.file))).toEqual(foreignRoot.cert.der);
  });

  it('refuses a person\'s certificate, the НУЦ РК test CAs and garbage, each with its own code', () => {
    const user = dir('imported-refused');
    expect(codeOf(() => importTrustCertificate(readFileSync(path.join(TEST_PKI_DIR, 'gost2022-test/individual/valid/individual_valid.pem')), user))).toBe('TRUST_IMPORT_NOT_CA');
    expect(codeOf(() => importTrustCertificate(readFileSync(GOST_ROOT), user))).toBe('TRUST_IMPORT_TEST_CA');
    expect(codeOf(() => importTrustCertificate(readFileSync(GOST_CA), user))).toBe('TRUST_IMPORT_TEST_CA');
    expect(codeOf(() => importTrustCertificate(new TextEncoder().encode('%PDF-1.4 not a certificate'), user))).toBe('CERT_MALFORMED');
    expect(listUserTrustCertificates(user)).toEqual([]);
  });

  it('removes by a SHA-256 prefix (colons allowed); an unknown or too short one is an error', () => {
    const user = dir('imported-remove');
    importTrustCertificate(nucRoot.cert.der, user);
    importTrustCertificate(kzTlsRoot.cert.der, user);
    expect(codeOf(() => removeTrustCertificate('00000000', user))).toBe('TRUST_CERT_NOT_FOUND');
    expect(codeOf(() => removeTrustCertificate('abc', user))).toBe('INVALID_INPUT');
    const colons = nucRoot.cert.sha256.slice(0, 12).toUpperCase().replace(/(..)(?!$)/g, '$1:');
    expect(removeTrustCertificate(colons, user).map((c) => c.sha256)).toEqual([nucRoot.cert.sha256]);
    expect(listUserTrustCertificates(user).map((e) => e.certificate.sha256)).toEqual([kzTlsRoot.cert.sha256]);
  });

  it('the CLI keeps them in ~/.kense/trust (or KENSE_TRUST_DIR); without a home folder, nowhere', () => {
    expect(defaultUserTrustDir({ HOME: '/home/director' })).toBe(path.join('/home/director', '.kense', 'trust'));
    expect(defaultUserTrustDir({ USERPROFILE: 'C:\\Users\\director' })).toBe(path.join('C:\\Users\\director', '.kense', 'trust'));
    expect(defaultUserTrustDir({ HOME: '/home/director', KENSE_TRUST_DIR: '/srv/roots' })).toBe(path.resolve('/srv/roots'));
    expect(defaultUserTrustDir({})).toBeUndefined();
  });
});

describe('the production folder and its manifest (update-production.mjs)', () => {
  const quiet = { log: () => {}, warn: () => {}, error: () => {} };

  it('the script checks, writes DER + manifest; the loader honours the fingerprints', async () => {
    // The real НУЦ РК files cannot be downloaded here: feed the script the test CAs under the release names.
    const src = dir('src');
    copyFileSync(GOST_ROOT, path.join(src, 'root_gost_2022.cer'));
    writeFileSync(path.join(src, 'nca_gost_2022.cer'), toPem(readFileSync(GOST_CA), 'CERTIFICATE'));
    const out = dir('production');
    expect(await updateProduction(['--from-dir', src, '--out', out], quiet)).toBe(1); // three are missing
    expect(await updateProduction(['--from-dir', src, '--out', out, '--allow-missing'], quiet)).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.certificates.map((c: { file: string; role: string; selfSigned: boolean }) => [c.file, c.role, c.selfSigned])).toEqual([
      ['root_gost_2022.cer', 'root', true],
      ['nca_gost_2022.cer', 'intermediate', false],
    ]);
    expect(manifest.certificates[0].sha256).toBe(testRoot.sha256);
    expect(manifest.missing.map((m: { file: string }) => m.file)).toEqual(SOURCES.map((x: { file: string }) => x.file).filter((f: string) => f !== 'root_gost_2022.cer' && f !== 'nca_gost_2022.cer'));

    const s = loadTrustStore('production', { productionDir: out, osStore: false });
    expect([s.anchors.length, s.intermediates.length, s.problems]).toEqual([1, 1, []]);
    expect(validateCertificatePath(INDIVIDUAL, { trust: s, at: AT, revocation: 'none' }).reasons).toEqual([]);

    // A file changed after the manifest was written, or one the manifest does not know, is skipped.
    writeFileSync(path.join(out, 'nca_gost_2022.cer'), readFileSync(path.join(TEST_PKI_DIR, 'ocsp/ocsp_responder_2015.der')));
    copyFileSync(path.join(TEST_PKI_DIR, 'legacy-test/ca/test_nca_rsa_uko3.crt'), path.join(out, 'extra.crt'));
    const t = loadTrustStore('production', { productionDir: out, osStore: false });
    expect(t.intermediates).toEqual([]);
    expect(t.problems.join('\n')).toMatch(/nca_gost_2022\.cer: SHA-256 differs from the manifest/);
    expect(t.problems.join('\n')).toMatch(/extra\.crt: not listed in the manifest/);
  });

  it('the script refuses an end-entity certificate and a "root" that is not self-signed', async () => {
    const src = dir('bad-src');
    copyFileSync(path.join(TEST_PKI_DIR, 'gost2022-test/individual/valid/individual_valid.pem'), path.join(src, 'root_gost_2022.cer'));
    copyFileSync(GOST_CA, path.join(src, 'root_rsa_2020.cer'));
    const errors: string[] = [];
    const code = await updateProduction(['--from-dir', src, '--out', dir('bad-out'), '--allow-missing'], { ...quiet, error: (m: string) => errors.push(m) });
    expect(code).toBe(0);
    expect(errors.join('\n')).toMatch(/root_gost_2022\.cer.*not a CA certificate/);
    expect(errors.join('\n')).toMatch(/root_rsa_2020\.cer.*expected a self-signed root/);
  });
});

describe('OS certificate store', () => {
  it('isNucCa keeps НУЦ РК CA names with C=KZ, and TEST ones only on request', () => {
    expect(isNucCa(nucRoot.cert)).toBe(true);
    expect(isNucCa(foreignRoot.cert)).toBe(false);
    expect(isNucCa(kzTlsRoot.cert)).toBe(false);
    expect(isNucCa(testRoot)).toBe(false);
    expect(isNucCa(testRoot, true)).toBe(true);
    expect(isNucCa(INDIVIDUAL, true)).toBe(false);
    expect(isNucCa(parseCertificate(readFileSync(path.join(TEST_PKI_DIR, 'legacy-test/ca/test_nca_rsa_uko3.crt'))), true)).toBe(true);
  });

  it('Linux: reads PEM bundles, single PEMs and DER files under the given folders', () => {
    const certs = dir('etc-ssl-certs');
    writeFileSync(path.join(certs, 'ca-certificates.crt'), [foreignRoot, nucRoot, kzTlsRoot].map((i) => toPem(i.cert.der, 'CERTIFICATE')).join(''));
    writeFileSync(path.join(certs, 'nuc-copy.pem'), toPem(nucRoot.cert.der, 'CERTIFICATE'));
    copyFileSync(GOST_ROOT, path.join(certs, 'test-root.der'));
    writeFileSync(path.join(certs, 'README'), 'x');
    const r = readOsStoreCertificates({ platform: 'linux', linuxDirs: [certs, path.join(TMP, 'does-not-exist')] });
    expect(r.certificates.map((c) => c.sha256)).toEqual([nucRoot.cert.sha256]);
    expect(readOsStoreCertificates({ platform: 'linux', linuxDirs: [certs], includeTest: true }).certificates).toHaveLength(2);
    const s = loadTrustStore('production', { osStore: { platform: 'linux', linuxDirs: [certs] }, productionDir: dir('no-shipped-os') });
    expect(s.anchors.map((c) => c.sha256)).toEqual([nucRoot.cert.sha256]);
    expect(s.origins.get(nucRoot.cert.sha256)).toBe('OS certificate store');
  });

  it('Windows: PowerShell output (one base64 DER per line); macOS: PEM from `security`', () => {
    const calls: string[] = [];
    const win = readOsStoreCertificates({
      platform: 'win32',
      run: (file, args) => {
        calls.push(`${file} ${args.join(' ')}`);
        return `${Buffer.from(foreignRoot.cert.der).toString('base64')}\r\n${Buffer.from(nucRoot.cert.der).toString('base64')}\r\nWARNING: noise\r\n`;
      },
    });
    expect(win.certificates.map((c) => c.commonName)).toEqual(['НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022']);
    expect(calls[0]).toMatch(/^powershell\.exe .*Cert:\\CurrentUser\\Root,Cert:\\LocalMachine\\Root/);
    const mac = readOsStoreCertificates({ platform: 'darwin', run: (_f, args) => (args.at(-1)!.includes('System.keychain') ? toPem(nucRoot.cert.der, 'CERTIFICATE') : toPem(foreignRoot.cert.der, 'CERTIFICATE')) });
    expect(mac.certificates).toHaveLength(1);
  });

  it('an unreadable store gives nothing and a note, never an error', () => {
    const r = readOsStoreCertificates({
      platform: 'win32',
      run: () => {
        throw new Error('powershell.exe not found');
      },
    });
    expect(r.certificates).toEqual([]);
    expect(r.notes.join('\n')).toMatch(/not readable: powershell\.exe not found/);
    const mac = readOsStoreCertificates({
      platform: 'darwin',
      run: () => {
        throw new Error('denied');
      },
    });
    expect(mac.notes.filter((n) => n.startsWith('cannot read keychain'))).toHaveLength(3);
  });

  it('splitPem finds every block', () => {
    const h = testHierarchy();
    expect(splitPem(`junk\n${toPem(h.root.cert.der, 'CERTIFICATE')}x\n${toPem(h.ca.cert.der, 'CERTIFICATE')}`)).toHaveLength(2);
  });
});
