import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runKense } from './cli-test-kit';
import { createCms } from '../../native-bridge/pki';
import { pinClockToTestMaterial, testP12 } from '../../native-bridge/pki/test-kit';

// In-process runs sign "now" with the test keys: keep "now" inside their validity (the real-process test cannot be pinned).
pinClockToTestMaterial();

const ROOT = path.resolve(import.meta.dirname, '../..');
const PKI = path.join(ROOT, 'resources/test-pki');
const HEAD = path.join(PKI, 'gost2022-test/legal/valid/head.p12');
const REVOKED = path.join(PKI, 'gost2022-test/legal/revoked/head.p12');
const EMPLOYEE = path.join(PKI, 'gost2022-test/legal/valid/employee.p12'); // in valid/, but on the test CRL
const RSA = 'legacy-test/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12';
const CRL = path.join(PKI, 'gost2022-test/ca/nca_gost2022_test.crl');
const RSA_CA = path.join(PKI, 'legacy-test/ca/test_nca_rsa_uko3.crt');
const TEST_CAS = [path.join(PKI, 'gost2022-test/ca/root_test_gost_2022.cer'), path.join(PKI, 'gost2022-test/ca/nca_gost2022_test.cer')];

const dir = mkdtempSync(path.join(tmpdir(), 'kense-cli-'));
/**
 * A home of its own, and every http URL a certificate names mapped to a closed loopback port: no test
 * reaches the Internet, and a fetch fails at once (the fetcher itself is tested against a live server).
 */
const ENV = { HOME: path.join(dir, 'home'), KENSE_CRL_MIRROR: 'http://=http://127.0.0.1:9/' };
const kense = (args: string[], env: Record<string, string> = {}) => runKense(args, { ...ENV, ...env });
const lastLine = (s: string) => s.trim().split('\n').at(-1);

const act = path.join(dir, 'act.txt');
writeFileSync(act, 'Акт выполненных работ № 5 от 25.11.2026');
const PW = { KENSE_PW: 'Qwerty12' };

describe('kense sign / kense verify (in-process)', () => {
  it('signs attached with a GOST key and verifies VALID with the test trust (exit 0), showing ИИН/БИН/role and the test kit\'s CRL', async () => {
    const out = path.join(dir, 'act.cms');
    const s = await kense(['sign', '--p12', HEAD, '--password-env', 'KENSE_PW', '--trust', 'test', '--in', act, '--out', out], PW);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]); // atomic write leaves no temp file
    const v = await runKense(['verify', '--in', out, '--trust', 'test'], ENV, 'ru');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/ИИН:\s+123456789011/);
    expect(v.stdout).toMatch(/БИН:\s+123456789021/);
    expect(v.stdout).toMatch(/первый руководитель/);
    expect(v.stdout).toMatch(/^ {2}Отзыв:\s+не отозван \(CRL, по данным на 2026-08-11 03:49:19 UTC; следующий выпуск 2027-02-07 03:49:19 UTC; список отзыва тестового набора\)$/m);
    expect(lastLine(v.stdout)).toBe('VALID');
  });

  it('detached: needs --data; wrong data → INVALID with DIGEST_MISMATCH (exit 1)', async () => {
    const out = path.join(dir, 'act-det.cms');
    expect((await kense(['sign', '--p12', HEAD, '--password-env', 'KENSE_PW', '--trust', 'test', '--in', act, '--out', out, '--detached'], PW)).code).toBe(0);
    expect((await kense(['verify', '--in', out, '--data', act, '--trust', 'test'])).code).toBe(0);
    const other = path.join(dir, 'other.txt');
    writeFileSync(other, 'другой акт');
    const bad = await kense(['verify', '--in', out, '--data', other, '--trust', 'test', '--json']);
    expect(bad.code).toBe(1);
    const json = JSON.parse(bad.stdout);
    expect(json.valid).toBe(false);
    expect(json.signers[0].reasons).toEqual(['DIGEST_MISMATCH']);
  });

  it('--json: ISO dates, hex serial, no DER blobs; where the revocation answer came from', async () => {
    const v = await kense(['verify', '--in', path.join(dir, 'act.cms'), '--trust', 'test', '--json']);
    const json = JSON.parse(v.stdout);
    expect(json).toMatchObject({ format: 'cms', valid: true, status: 'valid', revocationChecked: true });
    const s = json.signers[0];
    expect(s.signer.serialNumber).toBe('303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E');
    expect(s.signer.iin).toBe('123456789011');
    expect(s.signer.roles).toContain('first_head');
    expect(s.signingTime).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(s.revocation).toMatchObject({ status: 'good', source: 'crl', origin: 'shipped_test_crl', checkedAt: '2026-08-11T03:49:19.000Z', nextUpdate: '2027-02-07T03:49:19.000Z' });
    expect(v.stdout).not.toMatch(/"der"|"raw"|"content"/);
  });

  it('a test-key signature under production trust (the default, now shipping the НУЦ РК CAs) is UNTRUSTED_CHAIN — never VALID; INDETERMINATE (NO_CERTIFICATE_CHAIN_FOUND), not INVALID (ETSI EN 319 102-1)', async () => {
    const v = await kense(['verify', '--in', path.join(dir, 'act.cms'), '--json']);
    expect(v.code).toBe(1);
    const s = JSON.parse(v.stdout).signers[0];
    expect(s.reasons).toContain('UNTRUSTED_CHAIN');
    expect(s).toMatchObject({ valid: false, status: 'indeterminate', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    const text = await kense(['verify', '--in', path.join(dir, 'act.cms'), '--revocation', 'none']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^Signer 1: NOT CONFIRMED \(NO_CERTIFICATE_CHAIN_FOUND\)\n {2}The signature cannot be confirmed: the signer's certificate does not lead to a root certificate trusted here\./m);
    expect(text.stdout).toMatch(/UNTRUSTED_CHAIN: The signer's certificate does not lead to a trusted root certificate\./);
    expect(text.stdout).toMatch(/Signatures made with test keys: --trust test\./);
    expect(lastLine(text.stdout)).toBe('INDETERMINATE');
  });

  it('a build whose production folder was emptied says exactly that — not "invalid" — with what to do, in ru, kk and en (real process)', () => {
    const res = path.join(dir, 'resources-emptied');
    mkdirSync(path.join(res, 'trust', 'production'), { recursive: true });
    symlinkSync(PKI, path.join(res, 'test-pki'));
    const expected = {
      ru: [/^Подписант 1: НЕ ПОДТВЕРЖДЕНА \(NO_CERTIFICATE_CHAIN_FOUND\)$/m, /TRUST_STORE_EMPTY: Хранилище доверенных корневых сертификатов пусто/, /kense trust import ФАЙЛ/],
      kk: [/^Қол қоюшы 1: РАСТАЛМАДЫ \(NO_CERTIFICATE_CHAIN_FOUND\)$/m, /TRUST_STORE_EMPTY: Сенімді түбірлік сертификаттар қоймасы бос/, /kense trust import ФАЙЛ/],
      en: [/^Signer 1: NOT CONFIRMED \(NO_CERTIFICATE_CHAIN_FOUND\)$/m, /TRUST_STORE_EMPTY: The store of trusted root certificates is empty/, /kense trust import FILE\. Signatures made with test keys: --trust test\./],
    } as const;
    for (const [locale, patterns] of Object.entries(expected)) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'cli/bin/kense.mjs'), 'verify', '--in', path.join(dir, 'act.cms'), '--revocation', 'none'], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, ...ENV, KENSE_LANG: locale, KENSE_RESOURCES: res, KENSE_TRUST_DIR: path.join(dir, 'no-imports') },
      });
      expect(r.status).toBe(1);
      for (const p of patterns) expect(r.stdout).toMatch(p);
      expect(r.stdout).not.toMatch(/INVALID|НЕДЕЙСТВИТЕЛЬНА|ЖАРАМСЫЗ/);
      expect(lastLine(r.stdout)).toBe('INDETERMINATE');
    }
  });

  it('says which time validity was judged at: the signer\'s claimed signing time by default, --at (or now) when given', async () => {
    const claimed = await kense(['verify', '--in', path.join(dir, 'act.cms'), '--trust', 'test', '--json']);
    const s = JSON.parse(claimed.stdout).signers[0];
    expect(s).toMatchObject({ validationTimeSource: 'signing_time', validationTime: s.signingTime });
    const text = await kense(['verify', '--in', path.join(dir, 'act.cms'), '--trust', 'test']);
    expect(text.stdout).toMatch(/^ {2}Judged at:\s+.* — the signing time the signer states \(not confirmed by a timestamp; another time: --at\)$/m);
    const now = await kense(['verify', '--in', path.join(dir, 'act.cms'), '--trust', 'test', '--at', 'now', '--json']);
    expect(JSON.parse(now.stdout).signers[0].validationTimeSource).toBe('given');
  });
});

describe('honest revocation (issue 9, item 7)', () => {
  const revokedCms = path.join(dir, 'revoked.cms');
  const revokedSigned = createCms({ data: new TextEncoder().encode('Акт № 6'), ...(({ key, certificate }) => ({ key, certificate }))(testP12('gost2022-test/legal/revoked/head.p12')) });
  writeFileSync(revokedCms, revokedSigned);

  it('a revoked signer without --crl: --trust test uses the test kit\'s CRL → CERT_REVOKED, exit 1 (it was VALID, exit 0); no timestamp proves when it was made: INDETERMINATE (REVOKED_NO_POE)', async () => {
    const v = await kense(['verify', '--in', revokedCms, '--trust', 'test']);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/^Signer 1: NOT CONFIRMED \(REVOKED_NO_POE\)$/m);
    expect(v.stdout).toMatch(/nothing proves the signature was made before the revocation/);
    expect(v.stdout).toMatch(/CERT_REVOKED: The signer's certificate has been revoked\./);
    expect(v.stdout).toMatch(/^ {2}Revocation:\s+REVOKED 2026-05-08 .* UTC \(CRL, as of 2026-08-11 03:49:19 UTC; next update 2027-02-07 03:49:19 UTC; the test kit's CRL\)$/m);
    expect(lastLine(v.stdout)).toBe('INDETERMINATE');
  });

  it('no revocation evidence at all → INDETERMINATE with REVOCATION_UNKNOWN (exit 1), saying what was tried', async () => {
    // The test CAs as plain trust files: no test-kit CRL comes with them, and the CRL the certificate names cannot be fetched here.
    const v = await kense(['verify', '--in', path.join(dir, 'act.cms'), ...TEST_CAS.flatMap((f) => ['--trust', f]), '--json']);
    expect(v.code).toBe(1);
    const j = JSON.parse(v.stdout);
    expect(j).toMatchObject({ valid: false, status: 'indeterminate', revocationChecked: true, signers: [{ status: 'indeterminate', reasons: ['REVOCATION_UNKNOWN'], revocation: { status: 'unknown' } }] });
    expect(j.signers[0].problems).toContain('CRL http://test.pki.gov.kz/crl/nca_gost2022_test.crl could not be fetched (ECONNREFUSED)');
    const text = await kense(['verify', '--in', path.join(dir, 'act.cms'), ...TEST_CAS.flatMap((f) => ['--trust', f])]);
    expect(text.stdout).toMatch(/^ {2}Revocation:\s+unknown \(no current CRL or OCSP answer: --crl FILE or a network connection; --revocation none to skip\)$/m);
    expect(lastLine(text.stdout)).toBe('INDETERMINATE');
  });

  it('--revocation none → VALID with a visible "revocation not checked" line and JSON field', async () => {
    const args = ['verify', '--in', path.join(dir, 'act.cms'), ...TEST_CAS.flatMap((f) => ['--trust', f]), '--revocation', 'none'];
    const v = await kense(args);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^ {2}Revocation:\s+not checked \(--revocation none\)$/m);
    expect(v.stdout).toMatch(/^Revocation was not checked \(--revocation none\): a revoked certificate would not show here\.$/m);
    expect(lastLine(v.stdout)).toBe('VALID');
    const j = JSON.parse((await kense([...args, '--json'])).stdout);
    expect(j).toMatchObject({ valid: true, status: 'valid', revocationChecked: false, signers: [{ revocation: { status: 'not_checked' } }] });
    // Even the revoked key passes when the user says not to check — and the output says it was not checked.
    expect((await kense(['verify', '--in', revokedCms, '--trust', 'test', '--revocation', 'none'])).code).toBe(0);
  });

  it('the help says what unknown revocation gives, and how to skip it', async () => {
    const h = await kense(['verify', '--help']);
    expect(h.stdout).toMatch(/unknown → INDETERMINATE/);
    expect(h.stdout).toMatch(/none: not checked — the output says so/);
    expect(h.stdout).not.toMatch(/only the trust store is empty or revocation is unknown/);
    // The verdicts as ETSI EN 319 102-1 names them, and the exit code: 0 only for VALID.
    expect(h.stdout).toMatch(/^Verdict per signer, as ETSI EN 319 102-1 states it/m);
    for (const sub of ['NO_CERTIFICATE_CHAIN_FOUND', 'OUT_OF_BOUNDS_NO_POE', 'REVOKED_NO_POE', 'HASH_FAILURE', 'SIG_CRYPTO_FAILURE']) expect(h.stdout).toContain(sub);
    expect(h.stdout).toMatch(/^Exit code: 0 only when every signer is VALID; 1 otherwise \(INVALID or INDETERMINATE\); 2 on a usage error\.$/m);
    expect((await kense(['verify', '--in', act, '--revocation', 'maybe'])).code).toBe(2);
  });

  it('a CRL file: the revoked key → CERT_REVOKED naming the file; unreadable --crl/--ocsp are errors naming them; a stale CRL is a note', async () => {
    const v = await kense(['verify', '--in', revokedCms, ...TEST_CAS.flatMap((f) => ['--trust', f]), '--crl', CRL]);
    expect(v.stdout).toMatch(new RegExp(`^ {2}Revocation:\\s+REVOKED .* UTC \\(CRL, as of 2026-08-11 03:49:19 UTC; next update 2027-02-07 03:49:19 UTC; file ${CRL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`, 'm'));
    const bad = await kense(['verify', '--in', path.join(dir, 'act.cms'), '--trust', 'test', '--crl', act]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error CRL_MALFORMED: /);
    expect(bad.stderr).toContain(`file: ${act}`);
    const badOcsp = await kense(['verify', '--in', path.join(dir, 'act.cms'), '--trust', 'test', '--ocsp', act]);
    expect(badOcsp.stderr).toMatch(/^error OCSP_MALFORMED: /);
    // The test CRL was issued 2026-08-11 and is good until 2027-02-07.
    const stale = await kense(['verify', '--in', path.join(dir, 'act.cms'), '--trust', 'test', '--crl', CRL, '--at', '2027-04-01T00:00:00Z']);
    expect(stale.stdout).toMatch(/^ {2}Revocation:\s+unknown \(/m);
    expect(stale.stdout).toMatch(/^ {4}CRL of CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ \(GOST\) TEST 2022,C=KZ from 2026-08-11T03:49:19\.000Z is too old for 2027-04-01T00:00:00\.000Z$/m);
    expect(stale.stdout).toMatch(/REVOCATION_UNKNOWN/);
  });
});

describe('kense sign checks what it made: refuses expired/revoked, warns about an unknown chain', () => {
  it('an unknown chain (a test key, production trust) is a warning next to the result: signed, exit 0', async () => {
    const out = path.join(dir, 'warned.cms');
    const s = await kense(['sign', '--p12', HEAD, '--password-env', 'KENSE_PW', '--in', act, '--out', out], PW);
    expect(s.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(s.stdout).toMatch(/^Wrote .*warned\.cms/m);
    expect(s.stderr).toMatch(/^Warning: UNTRUSTED_CHAIN \(production\): The signer's certificate does not lead to a trusted root certificate\.$/m);
  });

  it('a revoked key is refused — also the two "valid" kit keys the test CRL lists — and nothing is written', async () => {
    for (const [key, name] of [[REVOKED, 'r.cms'], [EMPLOYEE, 'e.cms']]) {
      const out = path.join(dir, name);
      const s = await kense(['sign', '--p12', key, '--password-env', 'KENSE_PW', '--trust', 'test', '--in', act, '--out', out], PW);
      expect(s.code).toBe(1);
      expect(s.stderr).toMatch(/^error SIGNER_CERTIFICATE_NOT_VALID: /);
      expect(s.stderr).toMatch(/Reason: CERT_REVOKED/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('an expired key is refused; its old signatures still verify at their time (--at)', async () => {
    const out = path.join(dir, 'rsa.cms');
    const s = await kense(['sign', '--p12', path.join(PKI, RSA), '--password-env', 'KENSE_PW', '--in', act, '--out', out], PW);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/Reason: CERT_EXPIRED/);
    expect(existsSync(out)).toBe(false);
    const k = testP12(RSA);
    writeFileSync(out, createCms({ data: readFileSync(act), key: k.key, certificate: k.certificate, signingTime: new Date('2020-06-01T00:00:00Z') }));
    const now = await kense(['verify', '--in', out, '--trust', RSA_CA, '--at', new Date().toISOString(), '--revocation', 'none', '--json']);
    // the issuing CA (expired 2024) makes the chain untrusted now as well
    expect(JSON.parse(now.stdout).signers[0].reasons.sort()).toEqual(['CERT_EXPIRED', 'UNTRUSTED_CHAIN']);
    const then = await kense(['verify', '--in', out, '--trust', RSA_CA, '--at', '2020-06-01T00:00:00Z', '--revocation', 'none']);
    expect(then.code).toBe(0);
    // The kit has no CRL of the legacy CAs: without --revocation none that is said, not hidden.
    expect(lastLine((await kense(['verify', '--in', out, '--trust', RSA_CA, '--at', '2020-06-01T00:00:00Z'])).stdout)).toBe('INDETERMINATE');
  });
});

describe('usage and input errors', () => {
  it('usage errors exit 2; a wrong password is a clear error, not a stack trace', async () => {
    expect((await kense(['sign', '--in', act])).code).toBe(2);
    expect((await kense(['sign', '--p12', HEAD, '--in', act, '--out', path.join(dir, 'x.cms'), '--password-env', 'NOPE_UNSET'])).code).toBe(2);
    expect((await kense(['verify'])).code).toBe(2);
    expect((await kense(['verify', '--in', act, '--at', 'yesterday'])).code).toBe(2);
    expect((await kense(['verify', '--in', act, '--trust', 'test', '--trust', 'production'])).code).toBe(2);
    const wrong = await kense(['sign', '--p12', HEAD, '--password-env', 'KENSE_PW', '--in', act, '--out', path.join(dir, 'y.cms')], { KENSE_PW: 'wrong' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error P12_/);
    expect(wrong.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(existsSync(path.join(dir, 'y.cms'))).toBe(false);
  });

  it('a file that is not a CMS → error CMS_MALFORMED, exit 1', async () => {
    const v = await kense(['verify', '--in', act, '--trust', 'test']);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/CMS_MALFORMED/);
  });
});

describe('kense as a real process', () => {
  it('node cli/bin/kense.mjs sign + verify, password from stdin when no env var is given', () => {
    const out = path.join(dir, 'proc.cms');
    const bin = path.join(ROOT, 'cli/bin/kense.mjs');
    const env = { ...process.env, ...ENV, KENSE_LANG: 'en' };
    const sign = spawnSync(process.execPath, [bin, 'sign', '--p12', HEAD, '--trust', 'test', '--in', act, '--out', out], { input: 'Qwerty12\n', encoding: 'utf8', env, timeout: 60_000 });
    expect(sign.stderr).toMatch(/password/i);
    expect(sign.status).toBe(0);
    expect(readFileSync(out)[0]).toBe(0x30);
    const verify = spawnSync(process.execPath, [bin, 'verify', '--in', out, '--trust', 'test'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(verify.status).toBe(0);
    expect(lastLine(verify.stdout)).toBe('VALID');
  });
});
