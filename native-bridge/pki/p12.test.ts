import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseAsn1, stringBytes } from './der';
import { bytesToIntBE, bytesToIntLE } from '../gost';
import { encodeGostPkcs8, keyMatchesCertificate } from './keys';
import { openP12, writeP12 } from './p12';
import { pbeDecrypt } from './pbe';
import { signatureOidFor, verifySignedBytes } from './signatures';
import { TEST_PASSWORD, TEST_PKI, codeOf, filesUnder } from './test-kit';

const PASSWORD = TEST_PASSWORD;

const FILES = filesUnder(TEST_PKI, '.p12');
const INDIVIDUAL = path.join(TEST_PKI, 'gost2022-test/individual/valid/individual_valid.p12');
const HEAD = path.join(TEST_PKI, 'gost2022-test/legal/valid/head.p12');
const RSA_AUTH = path.join(TEST_PKI, 'legacy-test/personal/active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12');
const GOST2004 = path.join(TEST_PKI, 'legacy-test/organization/active/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.p12');

/** Test-only: the plain PKCS#8 inside an НУЦ РК file (first SafeContents, first shrouded key bag). */
function pkcs8Of(file: string): Uint8Array {
  const pfx = parseAsn1(readFileSync(file));
  const authSafe = parseAsn1(stringBytes(pfx.children[1].children[1].children[0]));
  const safe = parseAsn1(stringBytes(authSafe.children[0].children[1].children[0]));
  const epki = safe.children[0].children[1].children[0];
  return pbeDecrypt(epki.children[0], PASSWORD, stringBytes(epki.children[1]));
}

describe('openP12 on the НУЦ РК test containers', () => {
  it('finds 20 containers', () => expect(FILES).toHaveLength(20));

  it.each(FILES.map((f) => [path.relative(TEST_PKI, f), f]))('%s opens with Qwerty12; key matches certificate', (_name, file) => {
    const { certificate, key, chain, localKeyId } = openP12(readFileSync(file), PASSWORD);
    expect(chain).toEqual([]);
    expect(key.algorithm).toBe(certificate.keyAlgorithm);
    // НУЦ РК: localKeyID = SKI = NCALayer alias = the <SKI> in legacy file names.
    expect(localKeyId).toBe(certificate.subjectKeyId);
    const m = /_([0-9a-f]{40})\.p12$/.exec(file);
    if (m) expect(localKeyId).toBe(m[1]);
    const data = new TextEncoder().encode(`акт №1 ${path.basename(file)}`);
    const sig = key.sign(data);
    expect(verifySignedBytes(certificate, signatureOidFor(key.algorithm), data, sig)).toBe(true);
    data[0] ^= 1;
    expect(verifySignedBytes(certificate, signatureOidFor(key.algorithm), data, sig)).toBe(false);
    key.destroy();
  });

  it('a destroyed key refuses to sign', () => {
    for (const file of [INDIVIDUAL, RSA_AUTH]) {
      const { key } = openP12(readFileSync(file), PASSWORD);
      expect(key.destroyed).toBe(false);
      key.destroy();
      expect(key.destroyed).toBe(true);
      expect(codeOf(() => key.sign(Uint8Array.of(1)))).toBe('KEY_DESTROYED');
      expect(codeOf(() => key.signDigest(new Uint8Array(32)))).toBe('KEY_DESTROYED');
    }
  });

  it('RSA signDigest over SHA-256 equals sign (PKCS#1 v1.5 is deterministic)', () => {
    const { key } = openP12(readFileSync(RSA_AUTH), PASSWORD);
    const data = new TextEncoder().encode('data');
    const digest = new Uint8Array(createHash('sha256').update(data).digest());
    expect(Buffer.from(key.signDigest(digest)).toString('hex')).toBe(Buffer.from(key.sign(data)).toString('hex'));
    expect(codeOf(() => key.signDigest(new Uint8Array(20)))).toBe('INVALID_INPUT');
  });
});

describe('openP12 failures have their own codes', () => {
  const individual = readFileSync(INDIVIDUAL);

  it('wrong password → P12_WRONG_PASSWORD', () => {
    for (const f of [INDIVIDUAL, RSA_AUTH, GOST2004]) {
      expect(codeOf(() => openP12(readFileSync(f), 'qwerty12'))).toBe('P12_WRONG_PASSWORD');
      expect(codeOf(() => openP12(readFileSync(f), ''))).toBe('P12_WRONG_PASSWORD');
    }
  });

  it('truncated or damaged inside → P12_CORRUPTED', () => {
    expect(codeOf(() => openP12(individual.subarray(0, individual.length - 40), PASSWORD))).toBe('P12_CORRUPTED');
    expect(codeOf(() => openP12(individual.subarray(0, 200), PASSWORD))).toBe('P12_CORRUPTED');
    // A flipped byte inside the encrypted key: the MAC fails, yet the certificate bag opens → damage.
    const flipped = Uint8Array.from(individual);
    flipped[150] ^= 0x55;
    expect(codeOf(() => openP12(flipped, PASSWORD))).toBe('P12_CORRUPTED');
    // A flipped byte in the MAC value itself: every encrypted part opens → damage, not a wrong password.
    const macFlip = Uint8Array.from(individual);
    macFlip[macFlip.length - 30] ^= 1;
    expect(codeOf(() => openP12(macFlip, PASSWORD))).toBe('P12_CORRUPTED');
  });

  it('not a PKCS#12 at all → P12_NOT_PKCS12', () => {
    const certDer = readFileSync(path.join(TEST_PKI, 'gost2022-test/ca/root_test_gost_2022.cer'));
    const samples: Uint8Array[] = [
      new Uint8Array(0),
      readFileSync(path.join(TEST_PKI, 'gost2022-test/individual/valid/individual_valid.pem')),
      certDer,
      new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'),
      Uint8Array.of(0x30),
      Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff),
    ];
    for (const s of samples) expect(codeOf(() => openP12(s, PASSWORD))).toBe('P12_NOT_PKCS12');
  });

  it('a malformed key is never a crash: random damage gives a typed P12 error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: individual.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, x) => {
        const b = Uint8Array.from(individual);
        b[pos] ^= x;
        const code = codeOf(() => openP12(b, PASSWORD));
        expect(['ok', 'P12_CORRUPTED', 'P12_NOT_PKCS12', 'P12_WRONG_PASSWORD', 'PKI_UNSUPPORTED_ALGORITHM', 'P12_KEY_MISMATCH']).toContain(code);
      }),
      { numRuns: 40 },
    );
  });
});

describe('containers made by OpenSSL', () => {
  let dir = '';
  let haveOpenssl = true;
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kense-p12-'));
    try {
      run('version');
    } catch {
      haveOpenssl = false;
      console.warn('openssl is not installed: the OpenSSL-made container tests only check that it is missing');
      return;
    }
    run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=ec', '-keyout', 'ec.key', '-out', 'ec.crt', '-days', '1');
    run('pkcs12', '-export', '-in', 'ec.crt', '-inkey', 'ec.key', '-passout', `pass:${PASSWORD}`, '-out', 'ec.p12');
    run('pkcs12', '-export', '-nokeys', '-in', 'ec.crt', '-passout', `pass:${PASSWORD}`, '-out', 'nokey.p12');
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=ТЕСТ/serialNumber=IIN123456789011', '-utf8', '-keyout', 'rsa.key', '-out', 'rsa.crt', '-days', '1');
    run('pkcs12', '-export', '-in', 'rsa.crt', '-inkey', 'rsa.key', '-passout', `pass:${PASSWORD}`, '-out', 'rsa-aes.p12');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an EC P-256 container → P12_UNSUPPORTED_KEY_ALGORITHM', () => {
    if (!haveOpenssl) return expect(haveOpenssl).toBe(false);
    expect(codeOf(() => openP12(readFileSync(path.join(dir, 'ec.p12')), PASSWORD))).toBe('P12_UNSUPPORTED_KEY_ALGORITHM');
  });

  it('a container with a certificate only → P12_NO_KEY', () => {
    if (!haveOpenssl) return expect(haveOpenssl).toBe(false);
    expect(codeOf(() => openP12(readFileSync(path.join(dir, 'nokey.p12')), PASSWORD))).toBe('P12_NO_KEY');
  });

  it('opens OpenSSL 3 default containers (PBES2 AES-256, HMAC-SHA-256)', () => {
    if (!haveOpenssl) return expect(haveOpenssl).toBe(false);
    const { certificate, key } = openP12(readFileSync(path.join(dir, 'rsa-aes.p12')), PASSWORD);
    expect(certificate.iin).toBe('123456789011');
    expect(verifySignedBytes(certificate, signatureOidFor('RSA'), Uint8Array.of(1, 2), key.sign(Uint8Array.of(1, 2)))).toBe(true);
    expect(codeOf(() => openP12(readFileSync(path.join(dir, 'rsa-aes.p12')), 'nope'))).toBe('P12_WRONG_PASSWORD');
  });

  it('writeP12 output opens here and in OpenSSL (both layouts)', () => {
    const gostCert = openP12(readFileSync(INDIVIDUAL), PASSWORD).certificate;
    for (const layout of ['aes', 'nuc'] as const) {
      const bytes = writeP12({ privateKey: pkcs8Of(INDIVIDUAL), certificate: gostCert, password: 'пароль-1', layout });
      const back = openP12(bytes, 'пароль-1');
      expect(back.certificate.sha256).toBe(gostCert.sha256);
      expect(back.localKeyId).toBe(gostCert.subjectKeyId);
      expect(keyMatchesCertificate(back.key, gostCert)).toBe(true);
      expect(codeOf(() => openP12(bytes, 'пароль-2'))).toBe('P12_WRONG_PASSWORD');
      if (haveOpenssl) {
        writeFileSync(path.join(dir, `w-${layout}.p12`), bytes);
        const info = execFileSync('openssl', ['pkcs12', ...(layout === 'nuc' ? ['-legacy'] : []), '-in', `w-${layout}.p12`, '-passin', 'pass:пароль-1', '-nokeys', '-info'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
        expect(info).toContain('BEGIN CERTIFICATE');
      }
    }
  });

  it('a key that belongs to another certificate → P12_KEY_MISMATCH', () => {
    const other = openP12(readFileSync(HEAD), PASSWORD).certificate;
    const bytes = writeP12({ privateKey: pkcs8Of(INDIVIDUAL), certificate: other, password: PASSWORD });
    expect(codeOf(() => openP12(bytes, PASSWORD))).toBe('P12_KEY_MISMATCH');
  });

  it('encodeGostPkcs8 writes the НУЦ РК form', () => {
    // 2015: OCTET STRING(64 bytes LE) — identical bytes.
    const original = pkcs8Of(INDIVIDUAL);
    const le = stringBytes(parseAsn1(stringBytes(parseAsn1(original).children[2])));
    expect(Buffer.from(encodeGostPkcs8('GOST2015_512', bytesToIntLE(le))).toString('hex')).toBe(Buffer.from(original).toString('hex'));
    // 2004: INTEGER (big-endian); same algorithm identifier, same scalar, and it opens again.
    const old2004 = pkcs8Of(GOST2004);
    const d = bytesToIntBE(parseAsn1(stringBytes(parseAsn1(old2004).children[2])).value);
    const ours = encodeGostPkcs8('GOST2004', d);
    expect(Buffer.from(parseAsn1(ours).children[1].raw).toString('hex')).toBe(Buffer.from(parseAsn1(old2004).children[1].raw).toString('hex'));
    const cert = openP12(readFileSync(GOST2004), PASSWORD).certificate;
    expect(openP12(writeP12({ privateKey: ours, certificate: cert, password: 'x' }), 'x').key.algorithm).toBe('GOST2004');
  });
});
