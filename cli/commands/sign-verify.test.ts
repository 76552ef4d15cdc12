import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runKense } from './cli-test-kit';
import { pinClockToTestMaterial } from '../../native-bridge/pki/test-kit';

// In-process runs sign "now" with the test keys: keep "now" inside their validity (the real-process test cannot be pinned).
pinClockToTestMaterial();

const ROOT = path.resolve(import.meta.dirname, '../..');
const PKI = path.join(ROOT, 'resources/test-pki');
const HEAD = path.join(PKI, 'gost2022-test/legal/valid/head.p12');
const REVOKED = path.join(PKI, 'gost2022-test/legal/revoked/head.p12');
const RSA = path.join(PKI, 'legacy-test/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12');
const CRL = path.join(PKI, 'gost2022-test/ca/nca_gost2022_test.crl');
const RSA_CA = path.join(PKI, 'legacy-test/ca/test_nca_rsa_uko3.crt');

const kense = (args: string[], env: Record<string, string> = {}) => runKense(args, env);

const dir = mkdtempSync(path.join(tmpdir(), 'kense-cli-'));
const act = path.join(dir, 'act.txt');
writeFileSync(act, 'Акт выполненных работ № 5 от 25.11.2026');
const PW = { KENSE_PW: 'Qwerty12' };

describe('kense sign / kense verify (in-process)', () => {
  it('signs attached with a GOST key and verifies VALID with the test trust (exit 0), showing ИИН/БИН/role', async () => {
    const out = path.join(dir, 'act.cms');
    const s = await kense(['sign', '--p12', HEAD, '--password-env', 'KENSE_PW', '--in', act, '--out', out], PW);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]); // atomic write leaves no temp file
    const v = await runKense(['verify', '--in', out, '--trust', 'test'], {}, 'ru');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/ИИН:\s+123456789011/);
    expect(v.stdout).toMatch(/БИН:\s+123456789021/);
    expect(v.stdout).toMatch(/первый руководитель/);
    expect(v.stdout.trim().split('\n').at(-1)).toBe('VALID');
  });

  it('detached: needs --data; wrong data → INVALID with DIGEST_MISMATCH (exit 1)', async () => {
    const out = path.join(dir, 'act-det.cms');
    expect((await kense(['sign', '--p12', HEAD, '--password-env', 'KENSE_PW', '--in', act, '--out', out, '--detached'], PW)).code).toBe(0);
    expect((await kense(['verify', '--in', out, '--data', act, '--trust', 'test'])).code).toBe(0);
    const other = path.join(dir, 'other.txt');
    writeFileSync(other, 'другой акт');
    const bad = await kense(['verify', '--in', out, '--data', other, '--trust', 'test', '--json']);
    expect(bad.code).toBe(1);
    const json = JSON.parse(bad.stdout);
    expect(json.valid).toBe(false);
    expect(json.signers[0].reasons).toEqual(['DIGEST_MISMATCH']);
  });

  it('--json: ISO dates, hex serial, no DER blobs', async () => {
    const out = path.join(dir, 'act.cms');
    const v = await kense(['verify', '--in', out, '--trust', 'test', '--json']);
    const json = JSON.parse(v.stdout);
    expect(json.valid).toBe(true);
    const s = json.signers[0];
    expect(s.signer.serialNumber).toBe('303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E');
    expect(s.signer.iin).toBe('123456789011');
    expect(s.signer.roles).toContain('first_head');
    expect(s.signingTime).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(v.stdout).not.toMatch(/"der"|"raw"|"content"/);
  });

  it('production trust (empty) → TRUST_STORE_EMPTY, exit 1', async () => {
    const v = await kense(['verify', '--in', path.join(dir, 'act.cms'), '--json']);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout).signers[0].reasons).toEqual(['TRUST_STORE_EMPTY']);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: false, status: 'indeterminate', signers: [{ status: 'indeterminate' }] });
  });

  it('an empty production store is said as exactly that — not "invalid" — with what to do, in ru, kk and en', async () => {
    const expected = {
      ru: [/^Подписант 1: НЕ ПОДТВЕРЖДЕНА$/m, /TRUST_STORE_EMPTY: Хранилище доверенных корневых сертификатов пусто/, /kense trust import ФАЙЛ/],
      kk: [/^Қол қоюшы 1: РАСТАЛМАДЫ$/m, /TRUST_STORE_EMPTY: Сенімді түбірлік сертификаттар қоймасы бос/, /kense trust import ФАЙЛ/],
      en: [/^Signer 1: NOT CONFIRMED$/m, /TRUST_STORE_EMPTY: The store of trusted root certificates is empty/, /kense trust import FILE\. Signatures made with test keys: --trust test\./],
    } as const;
    for (const [locale, patterns] of Object.entries(expected)) {
      const v = await runKense(['verify', '--in', path.join(dir, 'act.cms')], {}, locale as 'ru' | 'kk' | 'en');
      expect(v.code).toBe(1);
      for (const p of patterns) expect(v.stdout).toMatch(p);
      expect(v.stdout).not.toMatch(/INVALID|НЕДЕЙСТВИТЕЛЬНА|ЖАРАМСЫЗ/);
      expect(v.stdout.trim().split('\n').at(-1)).toBe('INDETERMINATE');
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

  it('revoked key with --crl → CERT_REVOKED', async () => {
    const out = path.join(dir, 'revoked.cms');
    expect((await kense(['sign', '--p12', REVOKED, '--password-env', 'KENSE_PW', '--in', act, '--out', out], PW)).code).toBe(0);
    const v = await kense(['verify', '--in', out, '--trust', 'test', '--crl', CRL]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/CERT_REVOKED: The signer's certificate has been revoked\./);
    expect(v.stdout).toMatch(/Revocation:\s+REVOKED 20\d\d-.* UTC \(CRL, as of 2026-08-11 03:49:19 UTC\)/);
    expect(v.stdout.trim().split('\n').at(-1)).toBe('INVALID');
  });

  it('--crl/--ocsp files are read up front: an unreadable one is an error naming it; a stale CRL is a note, not silence', async () => {
    const out = path.join(dir, 'act.cms');
    const bad = await kense(['verify', '--in', out, '--trust', 'test', '--crl', act]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error CRL_MALFORMED: /);
    expect(bad.stderr).toContain(`file: ${act}`);
    const badOcsp = await kense(['verify', '--in', out, '--trust', 'test', '--ocsp', act]);
    expect(badOcsp.stderr).toMatch(/^error OCSP_MALFORMED: /);
    // The test CRL was issued 2026-08-11 and is good until 2027-02-07.
    const stale = await kense(['verify', '--in', out, '--trust', 'test', '--crl', CRL, '--at', '2027-04-01T00:00:00Z']);
    expect(stale.stdout).toMatch(/^ {2}Revocation:\s+unknown$/m);
    expect(stale.stdout).toMatch(/^ {2}Notes:\n {4}CRL of CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ \(GOST\) TEST 2022,C=KZ from 2026-08-11T03:49:19\.000Z is too old for 2027-04-01T00:00:00\.000Z$/m);
    expect(stale.stdout).toMatch(/REVOCATION_UNKNOWN/);
  });

  it('legacy RSA: CERT_EXPIRED now, VALID with --at inside the validity and its CA as trust file', async () => {
    const out = path.join(dir, 'rsa.cms');
    expect((await kense(['sign', '--p12', RSA, '--password-env', 'KENSE_PW', '--in', act, '--out', out], PW)).code).toBe(0);
    const now = await kense(['verify', '--in', out, '--trust', RSA_CA, '--at', new Date().toISOString(), '--json']);
    // the issuing CA (expired 2024) makes the chain untrusted now as well
    expect(JSON.parse(now.stdout).signers[0].reasons.sort()).toEqual(['CERT_EXPIRED', 'UNTRUSTED_CHAIN']);
    const then = await kense(['verify', '--in', out, '--trust', RSA_CA, '--at', '2020-06-01T00:00:00Z']);
    expect(then.code).toBe(0);
  });

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
    const sign = spawnSync(process.execPath, [bin, 'sign', '--p12', HEAD, '--in', act, '--out', out], { input: 'Qwerty12\n', encoding: 'utf8', env: { ...process.env, KENSE_LANG: 'en' }, timeout: 60_000 });
    expect(sign.stderr).toMatch(/password/i);
    expect(sign.status).toBe(0);
    expect(readFileSync(out)[0]).toBe(0x30);
    const verify = spawnSync(process.execPath, [bin, 'verify', '--in', out, '--trust', 'test'], { encoding: 'utf8', timeout: 60_000 });
    expect(verify.status).toBe(0);
    expect(verify.stdout.trim().split('\n').at(-1)).toBe('VALID');
  });
});
