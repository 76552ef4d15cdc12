import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { issue, issueOcspResponse, testHierarchy } from './ca-test-kit';
import { certificateParts } from './certificate';
import { parseAsn1, readOid, stringBytes, toHex } from './der';
import { EKU, OCSP, SHA, X500 } from './oids';
import { buildOcspRequest, certIdMatches, parseOcspResponse, verifyOcspResponse } from './ocsp';
import { codeOf, readTest, testCert } from './test-kit';

const FIXTURE = readTest('ocsp/ocsp_response_individual_2015.bin');
const NCA = testCert('gost2022-test/ca/nca_gost2022_test.cer');
const ROOT = testCert('gost2022-test/ca/root_test_gost_2022.cer');
const INDIVIDUAL = testCert('gost2022-test/individual/valid/individual_valid.pem');
const NOW = new Date('2026-11-25T00:00:00Z');

describe('the НУЦ РК test OCSP response (GOST-2015-512)', () => {
  const resp = parseOcspResponse(FIXTURE);
  const basic = resp.basic!;

  it('what it says', () => {
    expect(resp.status).toBe('successful');
    expect(basic.producedAt.toISOString()).toBe('2022-09-02T16:58:34.000Z');
    expect(basic.signatureAlgorithmOid).toBe('1.2.398.3.10.1.1.2.3.2');
    expect(basic.certs.map((c) => c.commonName)).toEqual(['OCSP RESPONDER']);
    expect('byName' in basic.responderId).toBe(true);
    expect(toHex(basic.nonce!)).toBe('e408ffb790834af2');
    expect(basic.responses).toHaveLength(1);
    const [single] = basic.responses;
    // The serial is not one of our certificates: status "revoked" at the epoch with certificateHold
    // and the extended-revoke extension is RFC 6960 §2.2's way of saying "never issued".
    expect(single).toMatchObject({ status: 'revoked', reason: 'certificateHold', thisUpdate: new Date('2022-09-02T16:58:34Z'), revokedAt: new Date(0) });
    expect(single.nextUpdate).toBeUndefined();
    expect(single.certId.serialNumber).toBe('0FF06211DC82BEB00253FFA000F1DE84ABEF454F');
    expect(basic.extendedRevoke).toBe(true);
  });

  it('its CertID names the test НЦ GOST 2022 CA (SHA-256 of name and key)', () => {
    const { certId } = basic.responses[0];
    expect(certId.hashAlgorithmOid).toBe(SHA.sha256);
    expect(toHex(certId.issuerNameHash)).toBe(createHash('sha256').update(NCA.subjectRaw).digest('hex'));
    expect(toHex(certId.issuerKeyHash)).toBe(createHash('sha256').update(certificateParts(NCA).spki.subjectPublicKey).digest('hex'));
    expect(certIdMatches(certId, INDIVIDUAL, NCA)).toBe(false); // another serial
    expect(certIdMatches({ ...certId, serialNumber: INDIVIDUAL.serialNumber }, INDIVIDUAL, NCA)).toBe(true);
  });

  it('the responder signature verifies: delegated responder issued by the CA, OCSPSigning, valid when produced', () => {
    const v = verifyOcspResponse(resp, { issuer: NCA, at: NOW });
    expect(v).toMatchObject({ valid: true });
    expect(v.responder?.ekuOids).toEqual([EKU.ocspSigning]);
    expect(verifyOcspResponse(resp, { issuer: NCA, at: NOW, nonce: Uint8Array.from(Buffer.from('e408ffb790834af2', 'hex')) }).valid).toBe(true);
  });

  it('refuses: tampered tbs, tampered signature, wrong CA, wrong nonce, asked about another certificate, checked before it was produced', () => {
    const tbsAt = Buffer.from(FIXTURE).indexOf(Buffer.from('0FF06211', 'hex'));
    const tampered = Uint8Array.from(FIXTURE);
    tampered[tbsAt + 3] ^= 1;
    expect(verifyOcspResponse(parseOcspResponse(tampered), { issuer: NCA, at: NOW })).toMatchObject({ valid: false, problem: 'response signature does not verify' });
    const sigAt = Buffer.from(FIXTURE).indexOf(Buffer.from('dc2bb7e1d2c4a4d8', 'hex'));
    const badSig = Uint8Array.from(FIXTURE);
    badSig[sigAt] ^= 0x80;
    expect(verifyOcspResponse(parseOcspResponse(badSig), { issuer: NCA, at: NOW }).valid).toBe(false);
    expect(verifyOcspResponse(resp, { issuer: ROOT, at: NOW })).toMatchObject({ valid: false, problem: 'responder not issued by the CA' });
    expect(verifyOcspResponse(resp, { issuer: NCA, at: NOW, nonce: Uint8Array.of(1, 2, 3) })).toMatchObject({ valid: false, problem: 'nonce mismatch' });
    expect(verifyOcspResponse(resp, { issuer: NCA, at: NOW, cert: INDIVIDUAL })).toMatchObject({ valid: false, problem: 'response does not cover the certificate' });
    expect(verifyOcspResponse(resp, { issuer: NCA, at: new Date('2022-09-01T00:00:00Z') })).toMatchObject({ valid: false, problem: 'response produced after the time of checking' });
  });
});

describe('OCSP responses made here', () => {
  const h = testHierarchy();
  const at = new Date('2026-06-01T00:00:00Z');
  const responder = issue({ subject: [[X500.commonName, 'OCSP RESPONDER']], issuer: h.ca, eku: [EKU.ocspSigning], keyUsage: ['digitalSignature'] });
  const plain = issue({ subject: [[X500.commonName, 'NOT A RESPONDER']], issuer: h.ca, keyUsage: ['digitalSignature'] });
  const stranger = testHierarchy();

  it.each([
    ['CA-signed, good', { status: { status: 'good' } }, 'good'],
    ['delegated responder, revoked with reason', { status: { status: 'revoked', revokedAt: new Date('2026-05-01'), reason: 1 }, responder }, 'revoked'],
    ['responder by key hash, unknown', { status: { status: 'unknown' }, responder, byKey: true }, 'unknown'],
  ] as const)('%s', (_n, o, status) => {
    const der = issueOcspResponse({ cert: h.leaf.cert, issuer: h.ca, producedAt: at, ...o });
    const v = verifyOcspResponse(parseOcspResponse(der), { issuer: h.ca.cert, at, cert: h.leaf.cert });
    expect(v.valid).toBe(true);
    expect(v.single?.status).toBe(status);
    if (status === 'revoked') expect(v.single).toMatchObject({ revokedAt: new Date('2026-05-01'), reason: 'keyCompromise' });
  });

  it('refuses a responder without id-kp-OCSPSigning, one issued by another CA, and a responder not included', () => {
    const verify = (der: Uint8Array) => verifyOcspResponse(parseOcspResponse(der), { issuer: h.ca.cert, at, cert: h.leaf.cert });
    expect(verify(issueOcspResponse({ cert: h.leaf.cert, issuer: h.ca, responder: plain, status: { status: 'good' }, producedAt: at }))).toMatchObject({ valid: false, problem: 'responder lacks id-kp-OCSPSigning' });
    const foreign = issue({ subject: [[X500.commonName, 'OCSP RESPONDER']], issuer: stranger.ca, eku: [EKU.ocspSigning] });
    expect(verify(issueOcspResponse({ cert: h.leaf.cert, issuer: h.ca, responder: foreign, status: { status: 'good' }, producedAt: at })).valid).toBe(false);
    expect(verify(issueOcspResponse({ cert: h.leaf.cert, issuer: h.ca, responder, includeResponderCert: false, status: { status: 'good' }, producedAt: at }))).toMatchObject({ valid: false, problem: 'responder certificate not found' });
  });

  it('non-successful statuses parse and never verify', () => {
    const r = parseOcspResponse(Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x03));
    expect(r).toEqual({ status: 'tryLater' });
    expect(verifyOcspResponse(r, { issuer: h.ca.cert, at }).valid).toBe(false);
  });
});

describe('buildOcspRequest', () => {
  it('SHA-256 CertID of the certificate and its issuer, with a nonce extension', () => {
    const nonce = Uint8Array.from(Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
    const { der, nonce: n } = buildOcspRequest(INDIVIDUAL, NCA, { nonce });
    expect(n).toEqual(nonce);
    const req = parseAsn1(der);
    const tbs = req.children[0];
    const certId = tbs.children[0].children[0].children[0];
    expect(readOid(certId.children[0].children[0])).toBe(SHA.sha256);
    expect(toHex(stringBytes(certId.children[1]))).toBe(createHash('sha256').update(NCA.subjectRaw).digest('hex'));
    expect(toHex(certId.children[3].value).toUpperCase()).toBe(INDIVIDUAL.serialNumber);
    const ext = tbs.children[1].children[0].children[0];
    expect(readOid(ext.children[0])).toBe(OCSP.nonce);
    expect(toHex(stringBytes(parseAsn1(stringBytes(ext.children[1]))))).toBe(toHex(nonce));
    expect(buildOcspRequest(INDIVIDUAL, NCA).nonce).toHaveLength(16);
    expect(buildOcspRequest(INDIVIDUAL, NCA, { nonce: false }).nonce).toBeUndefined();
    expect(codeOf(() => buildOcspRequest(INDIVIDUAL, NCA, { nonce: new Uint8Array(33) }))).toBe('INVALID_INPUT');
  });

  it('OpenSSL reads the request the same way (when installed)', () => {
    const { der } = buildOcspRequest(INDIVIDUAL, NCA, { nonce: Uint8Array.of(1, 2, 3, 4) });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kense-ocsp-')), 'req.der');
    writeFileSync(file, der);
    const r = spawnSync('openssl', ['ocsp', '-reqin', file, '-req_text']);
    rmSync(path.dirname(file), { recursive: true, force: true });
    if (r.error) {
      console.warn('openssl not installed: OCSP request cross-check not run');
      return expect(r.error).toBeDefined();
    }
    const text = r.stdout.toString();
    expect(text).toContain('Hash Algorithm: sha256');
    expect(text).toContain(`Serial Number: ${INDIVIDUAL.serialNumber}`);
    expect(text).toContain('OCSP Nonce');
  });
});

describe('malformed OCSP responses are OCSP_MALFORMED, never a crash', () => {
  it('property: random damage, truncation and garbage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: FIXTURE.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.nat(FIXTURE.length - 1), (pos, x, cut) => {
        const b = Uint8Array.from(FIXTURE);
        b[pos] ^= x;
        const code = codeOf(() => {
          const r = parseOcspResponse(b);
          verifyOcspResponse(r, { issuer: NCA, at: NOW });
        });
        expect(['ok', 'OCSP_MALFORMED']).toContain(code);
        expect(codeOf(() => parseOcspResponse(FIXTURE.subarray(0, cut)))).toBe('OCSP_MALFORMED');
      }),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(['ok', 'OCSP_MALFORMED']).toContain(codeOf(() => parseOcspResponse(b)));
      }),
      { numRuns: 200 },
    );
  });
});
