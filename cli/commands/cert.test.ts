import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../contract/errors';
import { runKense } from './cli-test-kit';

const PKI = path.resolve(import.meta.dirname, '../../resources/test-pki');
const HEAD = path.join(PKI, 'gost2022-test/legal/valid/head.p12');
const INDIVIDUAL_PEM = path.join(PKI, 'gost2022-test/individual/valid/individual_valid.pem');
const RSA_AUTH = path.join(PKI, 'legacy-test/personal/active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12');
const ROOT = path.join(PKI, 'gost2022-test/ca/root_test_gost_2022.cer');
const AT = '2026-11-25T00:00:00Z';
const PW = { KENSE_PW: 'Qwerty12' };
const dir = mkdtempSync(path.join(tmpdir(), 'kense-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kense = (args: string[], env: Record<string, string> = {}, locale: Locale = 'ru') => runKense(['cert', ...args], env, locale);

describe('kense cert', () => {
  it('a .p12 (password from the environment): owner, ИИН, БИН, organisation, role, purpose, validity with days left', async () => {
    const r = await kense(['--p12', HEAD, '--password-env', 'KENSE_PW', '--at', AT], PW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Владелец:\s+ТЕСТОВ ТЕСТ ТЕСТОВИЧ$/m);
    expect(r.stdout).toMatch(/^ИИН:\s+123456789011$/m);
    expect(r.stdout).toMatch(/^БИН:\s+123456789021$/m);
    expect(r.stdout).toMatch(/^Организация:\s+АО "ТЕСТ"$/m);
    expect(r.stdout).toMatch(/^Тип:\s+сотрудник юридического лица$/m);
    expect(r.stdout).toMatch(/^Роли:\s+первый руководитель$/m);
    expect(r.stdout).toMatch(/^Назначение ключа:\s+подпись документов, вход \(аутентификация\)$/m);
    expect(r.stdout).toMatch(/^Алгоритм:\s+GOST 34\.10-2015 \(512\)$/m);
    expect(r.stdout).toMatch(/^Серийный номер:\s+303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E$/m);
    expect(r.stdout).toMatch(/^Идентификатор ключа:\s+303eebdf17969f3edede9bd9828fb1355aabbe4e$/m);
    expect(r.stdout).toMatch(/^Срок действия:\s+2026-05-08 07:10 UTC — 2027-05-08 07:10 UTC \(осталось дней: 164\)$/m);
    expect(r.stdout).toMatch(/^Издатель:\s+ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ \(GOST\) TEST 2022$/m);
  });

  it('a certificate file, in English and Kazakh; an expired legacy RSA auth key', async () => {
    const en = await kense(['--cert', INDIVIDUAL_PEM, '--at', AT], {}, 'en');
    expect(en.stdout).toMatch(/^Type:\s+individual$/m);
    expect(en.stdout).toMatch(/^Roles:\s+none$/m);
    const kk = await kense(['--cert', INDIVIDUAL_PEM, '--at', AT], {}, 'kk');
    expect(kk.stdout).toMatch(/^ЖСН:\s+123456789011$/m);
    const rsa = await kense(['--p12', RSA_AUTH, '--password-env', 'KENSE_PW', '--at', AT], PW, 'en');
    expect(rsa.stdout).toMatch(/^Key purpose:\s+login \(authentication\)$/m);
    expect(rsa.stdout).toMatch(/^Algorithm:\s+RSA$/m);
    expect(rsa.stdout).toMatch(/\(expired\)$/m);
    const root = await kense(['--cert', ROOT, '--at', AT], {}, 'en');
    expect(root.stdout).toMatch(/^Type:\s+certification authority$/m);
    expect(root.stdout).not.toMatch(/^Roles:/m);
  });

  it('--json prints the model without DER blobs; dates ISO; days left; localKeyId for a .p12', async () => {
    const r = await kense(['--p12', HEAD, '--password-env', 'KENSE_PW', '--json', '--at', AT], PW);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      iin: '123456789011',
      bin: '123456789021',
      roles: ['first_head'],
      subjectType: 'legal_entity',
      keyAlgorithm: 'GOST2015_512',
      notBefore: '2026-05-08T07:10:15.000Z',
      notAfter: '2027-05-08T07:10:15.000Z',
      daysLeft: 164,
      localKeyId: '303eebdf17969f3edede9bd9828fb1355aabbe4e',
    });
    expect(j).not.toHaveProperty('der');
    expect(j).not.toHaveProperty('issuerRaw');
    expect(j).not.toHaveProperty('subjectRaw');
  });

  it('--trust test / production reports the chain', async () => {
    const t = await kense(['--cert', INDIVIDUAL_PEM, '--at', AT, '--trust', 'test', '--json']);
    expect(JSON.parse(t.stdout).chain).toMatchObject({ trusted: true, reasons: [] });
    const p = await kense(['--cert', INDIVIDUAL_PEM, '--at', AT, '--trust', 'production'], {}, 'en');
    // A test key never chains to the production store (which ships the НУЦ РК CAs).
    expect(p.stdout).toMatch(/^Trust chain:\s+not trusted: UNTRUSTED_CHAIN$/m);
    const pj = await kense(['--cert', INDIVIDUAL_PEM, '--at', AT, '--trust', 'production', '--json']);
    expect(JSON.parse(pj.stdout).chain).toMatchObject({ trusted: false, reasons: ['UNTRUSTED_CHAIN'] });
  });

  it('--trust also says revocation: the two "valid" kit keys on the test CRL are REVOKED (2026-06-02), head.p12 is not', async () => {
    const env = { HOME: dir, KENSE_CRL_MIRROR: 'http://=http://127.0.0.1:9/' };
    for (const name of ['employee', 'infosystem']) {
      const r = await kense(['--cert', path.join(PKI, `gost2022-test/legal/valid/${name}.pem`), '--at', AT, '--trust', 'test'], env, 'en');
      expect(r.stdout).toMatch(/^Trust chain:\s+trusted$/m);
      expect(r.stdout).toMatch(/^Revocation:\s+REVOKED 2026-06-02 11:\d\d UTC \(CRL as of 2026-08-11 03:49 UTC, the test kit's CRL\)$/m);
      const j = JSON.parse((await kense(['--cert', path.join(PKI, `gost2022-test/legal/valid/${name}.pem`), '--at', AT, '--trust', 'test', '--json'], env)).stdout);
      expect(j.revocation).toMatchObject({ status: 'revoked', source: 'crl', origin: 'shipped_test_crl' });
    }
    const ok = await kense(['--cert', path.join(PKI, 'gost2022-test/legal/valid/head.pem'), '--at', AT, '--trust', 'test'], env, 'en');
    expect(ok.stdout).toMatch(/^Revocation:\s+not revoked \(CRL as of 2026-08-11 03:49 UTC, the test kit's CRL\)$/m);
  });

  it('errors: wrong password, not a p12, not a certificate, missing file — a code and a sentence, exit 1', async () => {
    const wrong = await kense(['--p12', HEAD, '--password-env', 'KENSE_PW'], { KENSE_PW: 'nope' }, 'en');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error P12_WRONG_PASSWORD: Wrong password for the signing key\.\n {2}→ /);
    expect(wrong.stderr).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
    expect((await kense(['--p12', INDIVIDUAL_PEM, '--password-env', 'KENSE_PW'], PW)).stderr).toMatch(/^error P12_NOT_PKCS12/);
    const junk = path.join(dir, 'junk.cer');
    writeFileSync(junk, 'junk');
    expect((await kense(['--cert', junk])).stderr).toMatch(/^error CERT_MALFORMED/);
    expect((await kense(['--cert', path.join(dir, 'missing.cer')])).stderr).toMatch(/^error FILE_NOT_FOUND/);
  });

  it('without --password-env the password is read from stdin when it is not a terminal (subprocess)', () => {
    const bin = path.resolve(import.meta.dirname, '../bin/kense.mjs');
    const r = spawnSync(process.execPath, [bin, 'cert', '--p12', HEAD, '--json'], { input: 'Qwerty12\n', env: { ...process.env, KENSE_LANG: 'en' }, timeout: 60_000 });
    expect(r.status, r.stderr.toString()).toBe(0);
    expect(JSON.parse(r.stdout.toString()).iin).toBe('123456789011');
    expect(r.stderr.toString()).toContain('Key password');
    expect(r.stderr.toString()).not.toContain('Qwerty12'); // not echoed
  });

  it('on a terminal (a pty through script(1)): no echo, and Ctrl-C cancels with its own code', async () => {
    const bin = path.resolve(import.meta.dirname, '../bin/kense.mjs');
    /** Runs `kense cert --p12 HEAD` on a pseudo-terminal; types `keys` once the prompt is shown. */
    const onTerminal = (keys: string) =>
      new Promise<{ out: string; code: number | null }>((resolve) => {
        const child = spawn('script', ['-qec', `"${process.execPath}" "${bin}" cert --p12 "${HEAD}"; echo EXIT=$?`, '/dev/null'], { env: { ...process.env, KENSE_LANG: 'en' } });
        let out = '';
        let typed = false;
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          // The prompt is printed just before raw mode is switched on: give it a moment, then type.
          if (!typed && out.includes('Key password')) {
            typed = true;
            setTimeout(() => child.stdin.write(keys), 300);
          }
        });
        child.on('close', (code) => resolve({ out, code }));
      });
    const ok = await onTerminal('Qwerty12\r');
    expect(ok.out).toMatch(/IIN:\s+123456789011/);
    expect(ok.out).not.toContain('Qwerty12');
    expect(ok.out).toMatch(/EXIT=0/);
    const cancelled = await onTerminal('\u0003');
    expect(cancelled.out).toMatch(/error CANCELLED: Cancelled\./);
    expect(cancelled.out).toMatch(/EXIT=1/);
  }, 60_000);

  it('usage problems exit 2 with the help text', async () => {
    for (const args of [[], ['--p12', HEAD, '--cert', ROOT], ['--bogus'], ['--cert', ROOT, '--at', 'yesterday'], ['--cert', ROOT, '--trust', 'mine'], ['--p12', HEAD, '--password-env', 'UNSET_VAR']]) {
      const r = await kense(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/kense cert \(--p12 FILE/);
    }
    const h = await kense(['--help']);
    expect([h.code, h.stdout.startsWith('kense cert')]).toEqual([0, true]);
  });
});
