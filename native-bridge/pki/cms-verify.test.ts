import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { addCmsSigner, createCms, encodeSignedData, issuerAndSerialNumber } from './cms';
import { parseCms } from './cms-parse';
import { verifyCms } from './cms-verify';
import { digestBytes } from './signatures';
import { gostKeyHandle, issueOcspResponse, testHierarchy } from './ca-test-kit';
import { loadTrustStore } from './trust';
import { bytesEqual, concatBytes } from './der';
import { openssl, tempDir, writeTemp } from './cms-test-kit';
import { TEST_PKI, pinClockToTestMaterial, readTest, testP12 } from './test-kit';

pinClockToTestMaterial();

const p12 = testP12;
const ACT = new TextEncoder().encode('Акт выполненных работ № 42 от 25.11.2026; сумма 1 250 000 ₸');
const OTHER = new TextEncoder().encode('Акт выполненных работ № 42 от 25.11.2026; сумма 9 250 000 ₸');

const head = p12('gost2022-test/legal/valid/head.p12');
const signRight = p12('gost2022-test/legal/valid/employee_signright.p12');
const test = loadTrustStore('test');
const NOW = new Date();

/** Replaces the first occurrence of `from` in `bytes` by `to` (same length), for tampering. */
function replaceBytes(bytes: Uint8Array, from: Uint8Array, to: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i + from.length <= out.length; i++) {
    if (bytesEqual(out.subarray(i, i + from.length), from)) {
      out.set(to, i);
      return out;
    }
  }
  throw new Error('pattern not found');
}

describe('verifyCms: GOST-2015-512, test trust', () => {
  const attached = createCms({ data: ACT, key: head.key, certificate: head.certificate });

  it('a CMS we made is valid: chain to the test root, signer identity and role visible', async () => {
    const v = await verifyCms(attached, { trust: test, revocation: 'none' });
    expect(v.error).toBeUndefined();
    expect(v.signers[0].reasons).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.detached).toBe(false);
    expect(v.content).toEqual(ACT);
    const s = v.signers[0];
    expect(s.certificate?.iin).toBe('123456789011');
    expect(s.certificate?.bin).toBe('123456789021');
    expect(s.certificate?.roles).toContain('first_head');
    expect(s.chain.length).toBeGreaterThanOrEqual(2);
    expect(s.signingTime).toBeInstanceOf(Date);
  });

  it('detached: valid with the act, DIGEST_MISMATCH with another act, DETACHED_DATA_MISSING without', async () => {
    const det = createCms({ data: ACT, key: head.key, certificate: head.certificate, detached: true });
    expect((await verifyCms(det, { data: ACT, trust: test, revocation: 'none' })).valid).toBe(true);
    const wrong = await verifyCms(det, { data: OTHER, trust: test, revocation: 'none' });
    expect(wrong.valid).toBe(false);
    expect(wrong.signers[0].reasons).toEqual(['DIGEST_MISMATCH']);
    const missing = await verifyCms(det, { trust: test, revocation: 'none' });
    expect(missing.signers[0].reasons).toEqual(['DETACHED_DATA_MISSING']);
  });

  it('detached over a ready Streebog-512 hash (createCAdESFromBase64Hash) verifies against the act', async () => {
    const hash = digestBytes('1.2.398.3.10.1.3.3', ACT);
    const cms = createCms({ digest: hash, key: head.key, certificate: head.certificate });
    expect((await verifyCms(cms, { data: ACT, trust: test, revocation: 'none' })).valid).toBe(true);
    expect((await verifyCms(cms, { digest: hash, trust: test, revocation: 'none' })).valid).toBe(true);
  });

  it('tampered content → DIGEST_MISMATCH', async () => {
    const tampered = replaceBytes(attached, ACT.subarray(0, 16), OTHER.subarray(0, 16).map((b, i) => (i === 15 ? b ^ 1 : b)));
    const v = await verifyCms(tampered, { trust: test, revocation: 'none' });
    expect(v.signers[0].reasons).toEqual(['DIGEST_MISMATCH']);
  });

  it('tampered signed attributes (signing time) → BAD_SIGNATURE', async () => {
    const si = parseCms(attached).signerInfos[0];
    const attrs = si.signedAttrs!.der;
    // The UTCTime value starts with the two-digit year; change the year digit inside the attributes.
    const t = attrs.findIndex((b, i) => b === 0x17 && attrs[i + 1] === 0x0d);
    const mutated = Uint8Array.from(attrs.subarray(1));
    mutated[t + 2 - 1] ^= 0x01;
    const tampered = replaceBytes(attached, attrs.subarray(1), mutated);
    const v = await verifyCms(tampered, { trust: test, revocation: 'none' });
    expect(v.signers[0].reasons).toEqual(['BAD_SIGNATURE']);
  });

  it('swapped certificate: another holder\'s certificate in its place → NO_SIGNER_CERT; with the identifier changed too → ESS_CERT_MISMATCH + BAD_SIGNATURE', async () => {
    const parsed = parseCms(attached);
    const onlyCert = encodeSignedData({
      version: 1, digestAlgorithms: parsed.digestAlgorithms.map((a) => a.raw), contentType: parsed.contentType, content: parsed.content,
      certificates: [signRight.certificate.der], crls: [], signerInfos: parsed.signerInfos.map((s) => s.raw),
    });
    expect((await verifyCms(onlyCert, { trust: test, revocation: 'none' })).signers[0].reasons).toEqual(['NO_SIGNER_CERT']);

    const sidRaw = issuerAndSerialNumber(head.certificate);
    const otherSid = issuerAndSerialNumber(signRight.certificate);
    expect(otherSid.length).toBe(sidRaw.length);
    const si = replaceBytes(parsed.signerInfos[0].raw, sidRaw, otherSid);
    const both = encodeSignedData({
      version: 1, digestAlgorithms: parsed.digestAlgorithms.map((a) => a.raw), contentType: parsed.contentType, content: parsed.content,
      certificates: [signRight.certificate.der], crls: [], signerInfos: [si],
    });
    const v = await verifyCms(both, { trust: test, revocation: 'none' });
    expect(v.signers[0].reasons.sort()).toEqual(['BAD_SIGNATURE', 'ESS_CERT_MISMATCH']);
    expect(v.signers[0].certificate?.serialNumber).toBe(signRight.certificate.serialNumber);
  });

  it('co-signing: head and the employee with the right to sign both valid; first signer byte-exact', async () => {
    const both = addCmsSigner(attached, { key: signRight.key, certificate: signRight.certificate });
    const v = await verifyCms(both, { trust: test, revocation: 'none' });
    expect(v.signers.map((s) => s.reasons)).toEqual([[], []]);
    expect(v.valid).toBe(true);
    expect(v.signers.map((s) => s.certificate?.roles.includes('first_head'))).toEqual([true, false]);
    expect(v.signers[1].certificate?.roles).toContain('sign_right');
    expect(parseCms(both).signerInfos[0].raw).toEqual(parseCms(attached).signerInfos[0].raw);
    const det = createCms({ data: ACT, key: head.key, certificate: head.certificate, detached: true });
    const detBoth = addCmsSigner(det, { key: signRight.key, certificate: signRight.certificate, data: ACT });
    expect((await verifyCms(detBoth, { data: ACT, trust: test, revocation: 'none' })).valid).toBe(true);
  });

  it('one bad co-signer makes the CMS invalid but leaves the other signer valid', async () => {
    const both = parseCms(addCmsSigner(attached, { key: signRight.key, certificate: signRight.certificate }));
    const sig = both.signerInfos[1].signature;
    const bad = replaceBytes(both.raw, sig, sig.map((b, i) => (i === 0 ? b ^ 0xff : b)));
    const v = await verifyCms(bad, { trust: test, revocation: 'none' });
    expect(v.valid).toBe(false);
    expect(v.signers.map((s) => s.reasons)).toEqual([[], ['BAD_SIGNATURE']]);
  });

  it('a test-key signature under the production store is UNTRUSTED_CHAIN, never valid; an emptied store → TRUST_STORE_EMPTY', async () => {
    const v = await verifyCms(attached, { trust: loadTrustStore('production', { osStore: false }), revocation: 'none' });
    expect(v.valid).toBe(false);
    expect(v.signers[0].reasons).toEqual(['UNTRUSTED_CHAIN']);
    const emptied = await verifyCms(attached, { trust: loadTrustStore({ files: [] }), revocation: 'none' });
    expect(emptied.signers[0].reasons).toEqual(['TRUST_STORE_EMPTY']);
  });

  it('revoked certificate with the test CRL → CERT_REVOKED; valid certificate with the same CRL → good', async () => {
    const crl = readTest('gost2022-test/ca/nca_gost2022_test.crl');
    const revoked = p12('gost2022-test/individual/revoked/individual_revoked.p12');
    const cms = createCms({ data: ACT, key: revoked.key, certificate: revoked.certificate });
    const v = await verifyCms(cms, { trust: test, crls: [crl], revocation: 'crl' });
    expect(v.signers[0].reasons).toContain('CERT_REVOKED');
    expect(v.signers[0].revocation.status).toBe('revoked');
    const ok = await verifyCms(attached, { trust: test, crls: [crl], revocation: 'crl' });
    expect(ok.signers[0].reasons).toEqual([]);
    expect(ok.signers[0].revocation).toMatchObject({ status: 'good', source: 'crl' });
  });

  it('validity is judged at `at`: before the certificate was issued → CERT_NOT_YET_VALID, after → CERT_EXPIRED', async () => {
    const early = await verifyCms(attached, { trust: test, revocation: 'none', at: new Date(head.certificate.notBefore.getTime() - 86_400_000) });
    expect(early.signers[0].reasons).toContain('CERT_NOT_YET_VALID');
    const late = await verifyCms(attached, { trust: test, revocation: 'none', at: new Date(head.certificate.notAfter.getTime() + 86_400_000) });
    expect(late.signers[0].reasons).toContain('CERT_EXPIRED');
  });

  it('without `at`, the signing time is used (an act signed inside the validity stays valid later)', async () => {
    const inWindow = new Date(head.certificate.notBefore.getTime() + 86_400_000);
    const cms = createCms({ data: ACT, key: head.key, certificate: head.certificate, signingTime: inWindow });
    const v = await verifyCms(cms, { trust: test, revocation: 'none' });
    expect(v.valid).toBe(true);
    const afterExpiry = createCms({ data: ACT, key: head.key, certificate: head.certificate, signingTime: new Date(head.certificate.notAfter.getTime() + 1000) });
    expect((await verifyCms(afterExpiry, { trust: test, revocation: 'none' })).signers[0].reasons).toContain('CERT_EXPIRED');
  });
});

describe('verifyCms: legacy RSA and GOST-2004 keys (expired in 2021)', () => {
  const RSA_CA = path.join(TEST_PKI, 'legacy-test/ca/test_nca_rsa_uko3.crt');
  const GOST04_CA = path.join(TEST_PKI, 'legacy-test/ca/test_nca_gost_2004_uko3.crt');
  const legacyTrust = loadTrustStore({ files: [RSA_CA, GOST04_CA], anchors: 'all' });
  const cases = [
    ['RSA', 'legacy-test/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12'],
    ['GOST 34.310-2004', 'legacy-test/organization/active/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.p12'],
  ] as const;

  for (const [name, file] of cases) {
    it(`${name}: now → CERT_EXPIRED; at a time inside the validity → valid`, async () => {
      const k = p12(file);
      const cms = createCms({ data: ACT, key: k.key, certificate: k.certificate, signingTime: NOW });
      const now = await verifyCms(cms, { trust: legacyTrust, revocation: 'none', at: NOW });
      // The issuing CA expired too (2024), which the chain reports as UNTRUSTED_CHAIN; the signature itself is fine.
      expect(now.signers[0].reasons.sort()).toEqual(['CERT_EXPIRED', 'UNTRUSTED_CHAIN']);
      const inside = new Date((k.certificate.notBefore.getTime() + k.certificate.notAfter.getTime()) / 2);
      const then = await verifyCms(cms, { trust: legacyTrust, revocation: 'none', at: inside });
      expect(then.signers[0].reasons).toEqual([]);
      expect(then.valid).toBe(true);
    });
  }
});

describe('malformed input → an error verdict, never a throw', () => {
  const good = createCms({ data: ACT, key: head.key, certificate: head.certificate });
  const inputs: [string, Uint8Array | string][] = [
    ['empty', new Uint8Array()],
    ['garbage', Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff)],
    ['text that is not base64', 'not a signature at all'],
    ['a certificate instead of a CMS', head.certificate.der],
    ['truncated', good.subarray(0, good.length - 10)],
    ['wrong outer tag', concatBytes(Uint8Array.of(0x31), good.subarray(1))],
    ['trailing bytes', concatBytes(good, Uint8Array.of(0, 0))],
    ['deep nesting', concatBytes(...Array.from({ length: 200 }, () => Uint8Array.of(0x30, 0x80)))],
  ];
  for (const [name, input] of inputs) {
    it(name, async () => {
      const v = await verifyCms(input, { trust: test, revocation: 'none' });
      expect(v.valid).toBe(false);
      expect(v.signers).toEqual([]);
      expect(v.error?.reason).toBe('MALFORMED');
    });
  }

  it('PEM "CMS" armour with \\r\\n and bare base64 parse like DER', async () => {
    const b64 = Buffer.from(good).toString('base64');
    const pem = `-----BEGIN CMS-----\r\n${b64.match(/.{1,64}/g)!.join('\r\n')}\r\n-----END CMS-----\r\n`;
    expect((await verifyCms(pem, { trust: test, revocation: 'none' })).valid).toBe(true);
    expect((await verifyCms(b64, { trust: test, revocation: 'none' })).valid).toBe(true);
  });

  it('8 MiB of tiny elements is refused quickly instead of exhausting memory', async () => {
    const n = 8 * 1024 * 1024;
    const buf = new Uint8Array(n + 6);
    buf.set([0x30, 0x84, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
    for (let i = 6; i < buf.length; i += 2) buf[i] = 0x05;
    const t0 = performance.now();
    const v = await verifyCms(buf, { trust: test, revocation: 'none' });
    expect(v.error?.message).toMatch(/too many ASN\.1 elements/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('more than 512 MiB is refused before parsing', async () => {
    const v = await verifyCms(new Uint8Array(512 * 1024 * 1024 + 1), { trust: test, revocation: 'none' });
    expect(v.error?.message).toMatch(/512 MiB/);
  });
});

describe('revocation from an OCSP response (test CA kit: root → CA → leaf, GOST-2015-512)', () => {
  const { root, ca, leaf } = testHierarchy({ gost: true });
  const key = gostKeyHandle(leaf);
  const trust = { name: 'kit', anchors: [root.cert], intermediates: [ca.cert] };
  const signingTime = new Date('2026-06-01T00:00:00Z');
  const cms = createCms({ data: ACT, key, certificate: leaf.cert, signingTime });
  const ocsp = (status: Parameters<typeof issueOcspResponse>[0]['status']) => issueOcspResponse({ cert: leaf.cert, issuer: ca, status, producedAt: new Date(signingTime.getTime() + 3_600_000) });

  it('good → valid, revocation good from OCSP', async () => {
    const v = await verifyCms(cms, { trust, ocspResponses: [ocsp({ status: 'good' })], revocation: 'ocsp' });
    expect(v.signers[0].reasons).toEqual([]);
    expect(v.signers[0].revocation).toMatchObject({ status: 'good', source: 'ocsp' });
  });

  it('revoked before the signing time → CERT_REVOKED', async () => {
    const v = await verifyCms(cms, { trust, ocspResponses: [ocsp({ status: 'revoked', revokedAt: new Date('2026-05-01T00:00:00Z') })], revocation: 'ocsp' });
    expect(v.signers[0].reasons).toEqual(['CERT_REVOKED']);
  });

  it('revoked after the signing time the signer claims: CERT_REVOKED unless the time is vouched for', async () => {
    // The key was revoked on 2026-07-01; the CMS says 2026-06-01, which its holder could have written.
    const revokedLater = issueOcspResponse({ cert: leaf.cert, issuer: ca, status: { status: 'revoked', revokedAt: new Date('2026-07-01T00:00:00Z') }, producedAt: new Date('2026-08-01T00:00:00Z') });
    const claimed = await verifyCms(cms, { trust, ocspResponses: [revokedLater], revocation: 'ocsp' });
    expect(claimed.signers[0]).toMatchObject({ reasons: ['CERT_REVOKED'], validationTime: signingTime, validationTimeSource: 'signing_time' });
    // core/cloud know when the signature arrived and say so: then the later revocation does not count.
    const vouched = await verifyCms(cms, { trust, ocspResponses: [revokedLater], revocation: 'ocsp', at: signingTime });
    expect(vouched.signers[0]).toMatchObject({ reasons: [], validationTimeSource: 'given' });
    expect(vouched.signers[0].revocation).toMatchObject({ status: 'good', source: 'ocsp' });
  });

  it('a response whose responder signature does not verify is not evidence → REVOCATION_UNKNOWN', async () => {
    const good = ocsp({ status: 'good' });
    const bent = Uint8Array.from(good);
    bent[bent.length - ca.cert.der.length - 20] ^= 0x01; // inside the responder's signature value
    const v = await verifyCms(cms, { trust, ocspResponses: [bent], revocation: 'ocsp' });
    expect(v.signers[0].reasons).toEqual(['REVOCATION_UNKNOWN']);
    expect(v.signers[0].problems).toEqual(['OCSP response set aside: response signature does not verify']);
  });
});

describe('OpenSSL-made RSA CMS → our verifier', () => {
  // openssl cms -sign -stream writes BER with indefinite lengths and chunked content; -cades adds
  // signingCertificateV2, which we check (OpenSSL itself does not).
  const dir = tempDir();
  const RSA_P12 = path.join(TEST_PKI, 'legacy-test/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12');
  const trust = loadTrustStore({ files: [path.join(TEST_PKI, 'legacy-test/ca/test_nca_rsa_uko3.crt')], anchors: 'all' });
  const at = new Date('2020-06-01T00:00:00Z');

  for (const cades of [false, true]) {
    it(`BER streaming, attached${cades ? ', CAdES (ESS signingCertificateV2)' : ''}: valid; other data → DIGEST_MISMATCH`, async () => {
      const pem = path.join(dir, 'rsa.pem');
      expect(openssl(['pkcs12', '-legacy', '-in', RSA_P12, '-passin', 'pass:Qwerty12', '-nodes', '-out', pem]).status).toBe(0);
      const out = path.join(dir, `ber${cades}.cms`);
      const r = openssl(['cms', '-sign', '-stream', '-binary', '-nodetach', '-md', 'sha256', '-signer', pem, '-inkey', pem, '-in', writeTemp(dir, 'act.bin', ACT), '-outform', 'DER', '-out', out, ...(cades ? ['-cades'] : [])]);
      expect(r.status).toBe(0);
      const ber = new Uint8Array(readFileSync(out));
      expect(ber[1]).toBe(0x80); // indefinite length: really BER
      const v = await verifyCms(ber, { trust, at, revocation: 'none' });
      expect(v.signers[0].reasons).toEqual([]);
      expect(v.content).toEqual(ACT);
      const wrong = await verifyCms(ber, { trust, at, revocation: 'none', data: OTHER });
      expect(wrong.signers[0].reasons).toEqual(['DIGEST_MISMATCH']);
    });
  }
});
