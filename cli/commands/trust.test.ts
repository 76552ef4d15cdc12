import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCms, privateKeyFromPkcs8, toPem, X500 } from '../../native-bridge/pki';
import { issue, rsaTestKey } from '../../native-bridge/pki/ca-test-kit';
import { runKense } from './cli-test-kit';

const PKI = path.resolve(import.meta.dirname, '../../resources/test-pki');
const TEST_ROOT = path.join(PKI, 'gost2022-test/ca/root_test_gost_2022.cer');
const PERSON = path.join(PKI, 'gost2022-test/individual/valid/individual_valid.pem');
const dir = mkdtempSync(path.join(tmpdir(), 'kense-trust-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HOME = { HOME: path.join(dir, 'home') };
const userTrust = path.join(HOME.HOME, '.kense', 'trust');

// A root with the production НУЦ РК name (the real one cannot be downloaded here) and a signer under it.
const rootKey = rsaTestKey(2048);
const root = issue({ subject: [[X500.commonName, 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) 2020'], [X500.countryName, 'KZ']], key: rootKey, ca: true, keyUsage: ['keyCertSign', 'cRLSign'] });
const leafKey = rsaTestKey(2048);
const leaf = issue({
  subject: [[X500.commonName, 'ТЕСТОВ ТЕСТ'], [X500.serialNumber, 'IIN123456789011'], [X500.countryName, 'KZ']],
  key: leafKey,
  issuer: root,
  keyUsage: ['digitalSignature', 'nonRepudiation'],
  eku: ['1.3.6.1.5.5.7.3.4'],
  notBefore: new Date(Date.now() - 86_400_000),
  notAfter: new Date(Date.now() + 365 * 86_400_000),
});
const rootFile = path.join(dir, 'root_rsa_2020.cer');
writeFileSync(rootFile, toPem(root.cert.der, 'CERTIFICATE'));
const act = path.join(dir, 'act.cms');
const key = privateKeyFromPkcs8(new Uint8Array(leafKey.privateKey.export({ type: 'pkcs8', format: 'der' })));
writeFileSync(act, createCms({ data: new TextEncoder().encode('Акт № 7'), key, certificate: leaf.cert }));

describe('kense trust', () => {
  it('list: what ships with the build (the НУЦ РК CAs, expired ones marked) and what you imported', async () => {
    const r = await runKense(['trust', 'list'], HOME, 'ru');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Поставлены со сборкой \(.*resources\/trust\/production\): 11$/m);
    expect(r.stdout).toMatch(/^Добавлены вами \(.*\.kense\/trust\): нет$/m);
    expect(r.stdout).toMatch(/^ {2}промежуточный: ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ \(GOST\) 2022\n {4}SHA-256 32:C7:D2:33:.*\n {4}действует до 2045-09-07$/m);
    expect(r.stdout).toMatch(/^ {4}действует до 2025-07-27 — истёк; хранится для проверки старых подписей$/m);
    expect(r.stdout).not.toMatch(/пусто/);
    const j = JSON.parse((await runKense(['trust', 'list', '--json'], HOME)).stdout);
    expect(j).toMatchObject({ empty: false, userFolder: userTrust });
    expect(j.certificates.filter((c: { origin: string }) => c.origin === 'shipped')).toHaveLength(11);
    expect(j.certificates.filter((c: { origin: string }) => c.origin !== 'shipped')).toEqual([]);
  });

  it('import → kense verify (default production trust) goes from UNTRUSTED_CHAIN to VALID; remove undoes it', async () => {
    // This signer's CA names no CRL: revocation is left out here (--revocation none), the subject is trust.
    const before = await runKense(['verify', '--in', act, '--revocation', 'none', '--json'], HOME);
    expect(JSON.parse(before.stdout).signers[0].reasons).toEqual(['UNTRUSTED_CHAIN']);

    const imp = await runKense(['trust', 'import', rootFile], HOME);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    const fp = root.cert.sha256.toUpperCase().replace(/(..)(?!$)/g, '$1:');
    expect(imp.stdout).toContain(`Added: НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) 2020 (root) — root_rsa_2020.cer\n  SHA-256 ${fp}`);
    expect(imp.stdout).toMatch(/Compare the SHA-256 fingerprint with the one published on pki\.gov\.kz\./);
    expect(readdirSync(userTrust)).toEqual([`${root.cert.sha256}.cer`]);
    expect((await runKense(['trust', 'import', rootFile], HOME)).stdout).toMatch(/^Already imported: /);

    const list = JSON.parse((await runKense(['trust', 'list', '--json'], HOME)).stdout);
    expect(list.certificates.filter((c: { origin: string }) => c.origin === 'imported')).toEqual([{ subject: root.cert.subjectDn, sha256: root.cert.sha256, notAfter: root.cert.notAfter.toISOString(), role: 'anchor', origin: 'imported' }]);

    const after = await runKense(['verify', '--in', act, '--revocation', 'none'], HOME);
    expect(after.code).toBe(0);
    expect(after.stdout.trim().split('\n').at(-1)).toBe('VALID');

    const rm = await runKense(['trust', 'remove', root.cert.sha256.slice(0, 10)], HOME);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toMatch(/^Removed: НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ \(RSA\) 2020$/m);
    expect((await runKense(['verify', '--in', act, '--revocation', 'none'], HOME)).code).toBe(1);
  });

  it('refuses test roots and personal certificates, naming the file; one bad file imports nothing', async () => {
    const home = { HOME: path.join(dir, 'home-refused') };
    const test = await runKense(['trust', 'import', rootFile, TEST_ROOT], home, 'kk');
    expect(test.code).toBe(1);
    expect(test.stderr).toMatch(/^error TRUST_IMPORT_TEST_CA: Бұл ҰКО-ның сынақ сертификаты/);
    expect(test.stderr).toContain(`file: ${TEST_ROOT}`);
    expect(test.stdout).toBe('');
    const person = await runKense(['trust', 'import', PERSON], home);
    expect(person.stderr).toMatch(/^error TRUST_IMPORT_NOT_CA: This is the certificate of a person or organisation/);
    expect(JSON.parse((await runKense(['trust', 'list', '--json'], home)).stdout).certificates.filter((c: { origin: string }) => c.origin === 'imported')).toEqual([]);
    const missing = await runKense(['trust', 'remove', 'deadbeef00'], home);
    expect(missing.stderr).toMatch(/^error TRUST_CERT_NOT_FOUND/);
  });

  it('usage errors exit 2', async () => {
    expect((await runKense(['trust'], HOME)).code).toBe(2);
    expect((await runKense(['trust', 'bogus'], HOME)).code).toBe(2);
    expect((await runKense(['trust', 'import'], HOME)).code).toBe(2);
    expect((await runKense(['trust', 'remove'], HOME)).code).toBe(2);
    const noHome = await runKense(['trust', 'import', rootFile], {});
    expect(noHome.code).toBe(2);
    expect(noHome.stderr).toMatch(/set HOME or KENSE_TRUST_DIR/);
    expect((await runKense(['trust', '--help'], HOME)).code).toBe(0);
  });
});
