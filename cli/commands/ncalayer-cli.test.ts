// `kense ncalayer-emulator` as a real process, `kense sign --via ncalayer` and `kense doctor` against it.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../native-bridge/ncalayer/test-kit';
import { loadTrustStore } from '../../native-bridge/pki';
import { ensureEmulatorTls } from '../../native-bridge/signer/emulator-tls';
import { verifyXml } from '../../native-bridge/xml/dsig';
import { runKense } from './cli-test-kit';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'cli/bin/kense.mjs');
const KEYS = path.join(ROOT, 'resources/test-pki/gost2022-test/legal/valid');
const dir = mkdtempSync(path.join(tmpdir(), 'kense-nca-cli-'));
// Every http URL a certificate names goes to a closed loopback port: no test reaches the Internet.
const ENV = { KENSE_LANG: 'en', HOME: dir, KENSE_PW: 'Qwerty12', KENSE_CRL_MIRROR: 'http://=http://127.0.0.1:9/' };

const kense = (args: string[]) => runKense(args, ENV);

interface Emu {
  proc: ChildProcess;
  url: string;
  ca: string;
  log: () => string;
}
const emus: ChildProcess[] = [];
/** `kense ncalayer-emulator` as its own process; `interactive`: no password from the environment, stdin is a pipe. */
async function startEmulator(extra: string[] = [], o: { interactive?: boolean; keys?: string; password?: string } = {}): Promise<Emu> {
  const args = [BIN, 'ncalayer-emulator', '--keys', o.keys ?? KEYS, '--port', '0', '--data', path.join(dir, 'emu'), ...(o.interactive ? [] : ['--password-env', 'KENSE_PW']), ...extra];
  const env = { ...process.env, ...ENV, ...(o.password !== undefined ? { KENSE_PW: o.password } : {}) };
  const proc = spawn(process.execPath, args, { env, stdio: [o.interactive ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  emus.push(proc);
  let out = '';
  let err = '';
  proc.stderr?.on('data', (d) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`emulator did not start: ${out} ${err}`)), 20_000);
    proc.stdout?.on('data', (d) => {
      out += d.toString();
      if (/TLS CA: .*\n/.test(out) && /listening on wss:/.test(out)) {
        clearTimeout(t);
        resolve();
      }
    });
    proc.on('exit', (c) => reject(new Error(`emulator exited ${c}: ${err}`)));
  });
  return {
    proc,
    url: (out.match(/listening on (wss:\/\/127\.0\.0\.1:\d+)/) as RegExpMatchArray)[1],
    ca: (out.match(/TLS CA: (\S+)/) as RegExpMatchArray)[1],
    log: () => err,
  };
}

/** auto over the test keys; armoured 1.3 over an ordinary employee's key only; cancel on an old NCALayer; a wrong password. */
let emu: Emu;
let special: Emu;
let cancel: Emu;
let wrong: Emu;
const acts = [1, 2, 3].map((n) => {
  const f = path.join(dir, `act-${n}.txt`);
  writeFileSync(f, `Акт выполненных работ № ${n}`);
  return f;
});
beforeAll(async () => {
  // One TLS identity first, so that the emulators started side by side reuse it instead of racing to create it.
  ensureEmulatorTls(path.join(dir, 'emu'));
  const employeeOnly = mkdtempSync(path.join(dir, 'employee-only-'));
  // An ordinary employee (no right to sign; on the test CRL since 2026-06-02) and a valid individual key.
  for (const f of ['employee.p12', 'employee.pem']) copyFileSync(path.join(KEYS, f), path.join(employeeOnly, f));
  for (const f of ['individual_valid.p12', 'individual_valid.pem']) copyFileSync(path.join(KEYS, '../../individual/valid', f), path.join(employeeOnly, f));
  [emu, special, cancel, wrong] = await Promise.all([
    startEmulator(['--approve', 'auto']),
    startEmulator(['--approve', 'auto', '--armour', '--version', '1.3'], { keys: employeeOnly }),
    startEmulator(['--approve', 'cancel', '--no-basics']),
    startEmulator(['--approve', 'auto'], { password: 'not-the-password' }),
  ]);
}, 30_000);
afterAll(() => {
  for (const p of emus) p.kill('SIGTERM');
});

describe('kense sign --via ncalayer against kense ncalayer-emulator', () => {
  it('a batch of three: one basics request, three CMS that `kense verify` accepts', async () => {
    const outDir = mkdtempSync(path.join(dir, 'out-'));
    const before = (emu.log().match(/basics sign/g) ?? []).length;
    const r = await kense(['sign', '--via', 'ncalayer', '--url', emu.url, '--ca', emu.ca, '--trust', 'test', '--signer', 'head', ...acts.flatMap((a) => ['--in', a]), '--out-dir', outDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Signed by ТЕСТОВ ТЕСТ \(ИИН 123456789011\)/);
    expect((emu.log().match(/basics sign/g) ?? []).length - before).toBe(1);
    for (const a of acts) {
      const v = await kense(['verify', '--in', path.join(outDir, `${path.basename(a)}.cms`), '--trust', 'test']);
      expect(v.code, v.stdout).toBe(0);
    }
  });

  it('XML with --out, detached CMS, --iin that no key has → NCALAYER_SIGN_FAILED', async () => {
    const xml = path.join(dir, 'act.xml');
    writeFileSync(xml, '<?xml version="1.0" encoding="UTF-8"?>\n<act number="7"><sum>1000</sum></act>\n');
    const out = path.join(dir, 'act.signed.xml');
    expect((await kense(['sign', '--via', 'ncalayer', '--url', emu.url, '--ca', emu.ca, '--trust', 'test', '--format', 'xml', '--in', xml, '--out', out])).code).toBe(0);
    expect((await verifyXml(readFileSync(out, 'utf8'), { trust: loadTrustStore('test') })).valid).toBe(true);
    const det = path.join(dir, 'det.cms');
    expect((await kense(['sign', '--url', emu.url, '--ca', emu.ca, '--trust', 'test', '--detached', '--in', acts[0], '--out', det])).code).toBe(0);
    expect((await kense(['verify', '--in', det, '--data', acts[0], '--trust', 'test'])).code).toBe(0);
    const none = await kense(['sign', '--url', emu.url, '--ca', emu.ca, '--trust', 'test', '--iin', '999999999999', '--in', acts[0], '--out', path.join(dir, 'none.cms')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error NCALAYER_SIGN_FAILED/);
    // What NCALayer said is shown, not only "see the details".
    expect(none.stderr).toMatch(/NCALayer: SIGNING_FAILURE — No key in the emulator matches signerParams \(.*IIN 999999999999/);
  });

  it('--out-dir is created when missing; two inputs with one name are refused before anything is signed', async () => {
    const outDir = path.join(dir, 'new', 'deeper');
    const r = await kense(['sign', '--url', emu.url, '--ca', emu.ca, '--trust', 'test', '--in', acts[0], '--in', acts[1], '--out-dir', outDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(outDir).sort()).toEqual(['act-1.txt.cms', 'act-2.txt.cms']);
    const twin = path.join(mkdtempSync(path.join(dir, 'twin-')), path.basename(acts[0]));
    writeFileSync(twin, 'другой акт с тем же именем');
    const before = (emu.log().match(/basics sign/g) ?? []).length;
    const dup = await kense(['sign', '--url', emu.url, '--ca', emu.ca, '--trust', 'test', '--in', acts[0], '--in', twin, '--out-dir', outDir]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/same name/);
    expect((emu.log().match(/basics sign/g) ?? []).length).toBe(before);
  });

  it('--signer right-to-sign when the only key is an ordinary employee\'s: SIGNER_KEY_NOT_ALLOWED, whose key and why in words', async () => {
    const r = await kense(['sign', '--url', special.url, '--ca', special.ca, '--trust', 'test', '--signer', 'right-to-sign', '--in', acts[0], '--out', path.join(dir, 'emp.cms')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error SIGNER_KEY_NOT_ALLOWED: The chosen key is not allowed/);
    expect(r.stderr).toMatch(/Key: ТЕСТТОВ ТЕСТТ, IIN 123456789012/);
    expect(r.stderr).toMatch(/Why: its holder has no right to sign for the company/);
    expect(existsSync(path.join(dir, 'emp.cms'))).toBe(false);
  });

  it('an emulator given a wrong password: one try, NCALayer\'s answer names P12_WRONG_PASSWORD', async () => {
    const r = await kense(['sign', '--url', wrong.url, '--ca', wrong.ca, '--trust', 'test', '--in', acts[0], '--out', path.join(dir, 'w.cms')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error NCALAYER_SIGN_FAILED/);
    expect(r.stderr).toMatch(/NCALayer: GENERAL_ERROR — P12_WRONG_PASSWORD/);
  });

  it('nothing on the port: NCALAYER_UNAVAILABLE says to start NCALayer or use a key file, in every language', async () => {
    const url = `wss://127.0.0.1:${await freePort()}`;
    const args = ['sign', '--url', url, '--trust', 'test', '--in', acts[0], '--out', path.join(dir, 'u.cms')];
    const en = await kense(args);
    expect(en.code).toBe(1);
    expect(en.stderr).toMatch(/^error NCALAYER_UNAVAILABLE: NCALayer is not running/);
    expect(en.stderr).toMatch(/→ Start NCALayer .* Or sign with your \.p12 key file/);
    expect(en.stderr).toContain(`Address: ${url}`);
    expect(en.stderr).toMatch(/kense sign --p12 FILE\.p12/);
    const kk = await runKense(args, ENV, 'kk');
    expect(kk.stderr).toMatch(/^error NCALAYER_UNAVAILABLE: NCALayer іске қосылмаған/);
    expect(kk.stderr).toContain(`Мекенжай: ${url}`);
    const ru = await runKense(args, ENV, 'ru');
    expect(ru.stderr).toMatch(/NCALayer не запущен.*\n.*Запустите NCALayer/);
    expect(ru.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('without --ca the TLS certificate is not trusted: error with its fingerprint, nothing signed', async () => {
    const r = await kense(['sign', '--url', emu.url, '--trust', 'test', '--in', acts[0], '--out', path.join(dir, 'no.cms')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SHA-256 [0-9a-f]{64}/);
    expect(r.stderr).toMatch(/^error NCALAYER_TLS_UNTRUSTED/);
    // Trust on first use is explained, with the two ways to trust from the command line.
    expect(r.stderr).toMatch(/trust on first use: compare the SHA-256 fingerprint/);
    expect(r.stderr).toMatch(/add --ca <its ca\.crt>/);
    expect(r.stderr).toMatch(/answer "y"/);
  });

  it('a CA imported with `kense trust import` makes NCALayer\'s TLS trusted without --ca', async () => {
    const env = { ...ENV, KENSE_TRUST_DIR: mkdtempSync(path.join(dir, 'trust-')) };
    const imp = await runKense(['trust', 'import', emu.ca], env);
    expect(imp.code).toBe(0);
    const out = path.join(dir, 'imported-trust.cms');
    const r = await runKense(['sign', '--url', emu.url, '--trust', 'test', '--in', acts[0], '--out', out], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('--armour and --version: armoured CMS replies are signed and verified; doctor reports the version and basics', async () => {
    const out = path.join(dir, 'armour.cms');
    const r = await kense(['sign', '--url', special.url, '--ca', special.ca, '--trust', 'test', '--iin', '123456789011', '--in', acts[0], '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(out)[0]).toBe(0x30); // stored as DER, not as the PEM text NCALayer sent
    const d = await kense(['doctor', '--url', special.url, '--ca', special.ca, '--keys', KEYS, '--no-network']);
    expect(d.stdout).toMatch(/ok {3}NCALayer 1\.3 is running; the connection is trusted; the basics module is available; no hardware tokens are connected\./);
    expect(d.code).toBe(0);
  });

  it('the ordinary employee\'s key of the kit is on the test CRL: its armoured signature is refused after NCALayer returns it, nothing written', async () => {
    const out = path.join(dir, 'revoked-employee.cms');
    const r = await kense(['sign', '--url', special.url, '--ca', special.ca, '--trust', 'test', '--iin', '123456789012', '--in', acts[0], '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error SIGNER_CERTIFICATE_NOT_VALID: /);
    expect(r.stderr).toMatch(/Reason: CERT_REVOKED/);
    expect(existsSync(out)).toBe(false);
  });

  it('production trust: NCALayer offers no test key (chain check on); usage errors exit 2', async () => {
    const r = await kense(['sign', '--url', emu.url, '--ca', emu.ca, '--in', acts[0], '--out', path.join(dir, 'p.cms')]);
    // chain: null → the emulator offers no test key
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error NCALAYER_SIGN_FAILED/);
    expect((await kense(['sign', '--in', acts[0], '--in', acts[1], '--out', 'x.cms'])).code).toBe(2);
    expect((await kense(['sign', '--via', 'fax', '--in', acts[0], '--out', 'x.cms'])).code).toBe(2);
    expect((await kense(['sign', '--format', 'xml', '--detached', '--in', acts[0], '--out', 'x'])).code).toBe(2);
  });

  it('an emulator that answers every request as a cancel → SIGN_CANCELLED', async () => {
    const r = await kense(['sign', '--url', cancel.url, '--ca', cancel.ca, '--trust', 'test', '--in', acts[0], '--out', path.join(dir, 'c.cms')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error SIGN_CANCELLED/);
  });
});

describe('--approve prompt', () => {
  it('asks which key and the password in the terminal; a wrong password is asked again', async () => {
    const { proc, url, ca, log } = await startEmulator(['--approve', 'prompt'], { interactive: true });
    const answered = new Set<string>();
    proc.stderr?.on('data', () => {
      const err = log();
      // Answer each question once, as a person at the terminal would.
      if (/Key number/.test(err) && !answered.has('key')) {
        answered.add('key');
        const line = err.split('\n').find((l) => /employee_signright\.p12/.test(l)) as string;
        proc.stdin?.write(`${line.trim().split(')')[0]}\n`);
      }
      if (/Password for employee_signright\.p12: $/.test(err) && !answered.has('pw1')) {
        answered.add('pw1');
        proc.stdin?.write('wrong\n');
      }
      if (/Wrong password, 2 attempt\(s\) left/.test(err) && !answered.has('pw2')) {
        answered.add('pw2');
        proc.stdin?.write('Qwerty12\n');
      }
    });
    const r = await kense(['sign', '--url', url, '--ca', ca, '--trust', 'test', '--signer', 'right-to-sign', '--in', acts[0], '--out', path.join(dir, 'prompt.cms')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ИИН 123456789012/);
    expect(answered).toEqual(new Set(['key', 'pw1', 'pw2']));
    expect(log()).toMatch(/Request — basics\.sign: 1 CMS document/);
  }, 30_000);
});

describe('kense doctor', () => {
  it('healthy against the emulator with test keys (--json)', async () => {
    const r = await kense(['doctor', '--json', '--url', emu.url, '--ca', emu.ca, '--keys', KEYS, '--no-network']);
    const j = JSON.parse(r.stdout) as { healthy: boolean; probes: { ncalayer: { status: string; basics: boolean }; keyFiles: unknown[] }; findings: { id: string }[] };
    expect(j.probes.ncalayer).toMatchObject({ status: 'running', basics: true, version: '1.4' });
    expect(j.probes.keyFiles).toHaveLength(5);
    expect(j.findings.map((f) => f.id)).toContain('clock.unchecked');
    expect(j.healthy).toBe(true);
    expect(r.code).toBe(0);
  });

  it('an untrusted or re-pinned certificate: FAIL with the command-line way out', async () => {
    const untrusted = await kense(['doctor', '--url', emu.url, '--keys', KEYS, '--no-network']);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toMatch(/FAIL The NCALayer certificate is not trusted \(SHA-256 [0-9a-f]{64}\)/);
    expect(untrusted.stdout).toMatch(/→ On the command line: for the emulator pass --ca <its ca\.crt>/);
    const pins = path.join(dir, '.kense', 'ncalayer-pins.json');
    mkdirSync(path.dirname(pins), { recursive: true });
    writeFileSync(pins, JSON.stringify({ [emu.url]: 'a'.repeat(64) }));
    try {
      const changed = await kense(['doctor', '--url', emu.url, '--keys', KEYS, '--no-network']);
      expect(changed.code).toBe(1);
      expect(changed.stdout).toMatch(/FAIL The NCALayer certificate changed since last time/);
      expect(changed.stdout).toContain(`Pinned fingerprints are kept in ${pins}`);
    } finally {
      rmSync(pins);
    }
  });

  it('unhealthy when NCALayer is away and no key file exists: exit 1, the fix in plain words', async () => {
    const empty = mkdtempSync(path.join(dir, 'nokeys-'));
    const r = await kense(['doctor', '--url', 'wss://127.0.0.1:9', '--keys', empty, '--no-network']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL NCALayer is not running/);
    expect(r.stdout).toMatch(/→ Start NCALayer, or install it from pki.gov.kz/);
  });
});
