import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isKenseError } from '../../contract/errors';
import { certificateSpki, daysLeft, parseCertificate, tbsOf } from './certificate';
import { TAG, ctx, octetString, oid, parseAsn1, seq, setOf, tlv, toPem, utf8String } from './der';
import { issue } from './ca-test-kit';
import { dnString, namesMatch, parseName } from './names';
import { EKU, EXT, KZ_EKU, X500 } from './oids';
import { readTest, testCert, testP12 } from './test-kit';

const read = readTest;
const cert = testCert;

describe('parseCertificate: the НУЦ РК model', () => {
  it('individual (GOST 2015-512)', () => {
    const c = cert('gost2022-test/individual/valid/individual_valid.pem');
    expect(c).toMatchObject({
      serialNumber: '6C425659BD2FC6DC587B871AEDE1857727CF8451',
      commonName: 'ТЕСТОВ ТЕСТ',
      surname: 'ТЕСТОВ',
      givenName: 'ТЕСТ',
      patronymic: 'ТЕСТОВИЧ',
      iin: '123456789011',
      country: 'KZ',
      subjectType: 'individual',
      roles: [],
      canSign: true,
      canAuthenticate: true,
      keyAlgorithm: 'GOST2015_512',
      signatureAlgorithmOid: '1.2.398.3.10.1.1.2.3.2',
      subjectKeyId: 'ec425659bd2fc6dc587b871aede1857727cf8451',
      authorityKeyId: 'fad24b1ba3a0c961fe1ca8503e6aa2bb450db8a3',
      isCa: false,
      issuerCommonName: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022',
      ocspUrls: ['http://test.pki.gov.kz/ocsp/'],
      crlUrls: ['http://test.pki.gov.kz/crl/nca_gost2022_test.crl'],
      deltaCrlUrls: ['http://test.pki.gov.kz/crl/nca_gost2022_d_test.crl'],
      caIssuerUrls: ['http://test.pki.gov.kz/cert/nca_gost2022_test.cer'],
    });
    expect(c.bin).toBeUndefined();
    expect(c.organization).toBeUndefined();
    expect(c.ekuOids).toEqual([EKU.emailProtection, KZ_EKU.individual]);
    expect(c.keyUsage).toEqual(['digitalSignature', 'nonRepudiation', 'keyAgreement']);
    expect(c.subjectDn).toBe('CN=ТЕСТОВ ТЕСТ,SURNAME=ТЕСТОВ,SERIALNUMBER=IIN123456789011,C=KZ,G=ТЕСТОВИЧ');
    expect(c.issuerDn).toBe('CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022,C=KZ');
    expect(c.notBefore.toISOString()).toBe('2026-05-08T06:45:13.000Z');
    expect(c.notAfter.toISOString()).toBe('2027-05-08T06:45:13.000Z');
    expect(c.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['gost2022-test/legal/valid/head.pem', ['first_head'], true],
    ['gost2022-test/legal/valid/employee_signright.pem', ['sign_right'], true],
    ['gost2022-test/legal/valid/employee.pem', ['employee'], true],
    ['gost2022-test/legal/valid/treasury_client.pem', ['information_system'], false],
  ] as const)('legal entity %s: roles %j, canSign %s', (file, roles, canSign) => {
    const c = cert(file);
    expect(c.subjectType).toBe('legal_entity');
    expect(c.bin).toBe('123456789021');
    expect(c.organization).toBe('АО "ТЕСТ"');
    expect(c.roles).toEqual(roles);
    expect(c.canSign).toBe(canSign);
    // GOST-2015 user keys log in too, EKU or not.
    expect(c.canAuthenticate).toBe(true);
  });

  it('an information-system certificate has no person in it', () => {
    const c = cert('gost2022-test/legal/valid/treasury_client.pem');
    expect(c.commonName).toBe('ИС "Тест"');
    expect(c.surname).toBeUndefined();
    expect(c.givenName).toBeUndefined();
    expect(c.iin).toBeUndefined();
  });

  it('legacy RSA authentication and signature keys, GOST 34.310-2004 legal-entity key', () => {
    const open = (f: string) => testP12(`legacy-test/${f}`).certificate;
    const auth = open('personal/active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12');
    expect(auth).toMatchObject({ keyAlgorithm: 'RSA', canAuthenticate: true, canSign: false, subjectType: 'individual', iin: '123456789011' });
    expect(auth.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    const sign = open('personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12');
    expect(sign).toMatchObject({ keyAlgorithm: 'RSA', canAuthenticate: false, canSign: true });
    const gost = open('organization/active/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.p12');
    expect(gost).toMatchObject({ keyAlgorithm: 'GOST2004', subjectType: 'legal_entity', roles: ['first_head'], canSign: true, canAuthenticate: false, bin: '123456789021' });
    expect(gost.subjectDn).toBe('CN=ТЕСТОВ ТЕСТ,SURNAME=ТЕСТОВ,SERIALNUMBER=IIN123456789011,C=KZ,L=НУР-СУЛТАН,ST=НУР-СУЛТАН,O=АО \\"ТЕСТ\\",G=ТЕСТОВИЧ,OU=BIN123456789021');
  });

  it('CA and OCSP responder certificates', () => {
    const root = cert('gost2022-test/ca/root_test_gost_2022.cer');
    expect(root).toMatchObject({ isCa: true, canSign: false, canAuthenticate: false, subjectType: 'unknown', keyUsage: ['keyCertSign', 'cRLSign'] });
    expect(root.subjectDn).toBe(root.issuerDn);
    const rsaCa = cert('legacy-test/ca/test_nca_rsa_uko3.crt');
    expect(rsaCa).toMatchObject({ isCa: true, keyAlgorithm: 'RSA', notAfter: new Date('2024-03-13T03:42:17Z') });
    const ocsp = cert('ocsp/ocsp_responder_2015.der');
    expect(ocsp).toMatchObject({ isCa: false, canAuthenticate: false, canSign: false, ekuOids: [EKU.ocspSigning] });
  });

  it('e-mail from the subject (older certificates) or from subjectAltName (newer ones)', () => {
    const inSubject = issue({ subject: [[X500.commonName, 'ТЕСТОВ ТЕСТ'], [X500.emailAddress, 'test@example.kz']] });
    expect(inSubject.cert.email).toBe('test@example.kz');
    const san = seq(oid(EXT.subjectAltName), octetString(seq(tlv(ctx(1, false), new TextEncoder().encode('director@example.kz')))));
    expect(issue({ subject: [[X500.commonName, 'ТЕСТОВ ТЕСТ']], extraExtensions: [san] }).cert.email).toBe('director@example.kz');
  });

  it('reads DER, PEM (bytes or string) and bare base64 alike', () => {
    const der = read('gost2022-test/ca/nca_gost2022_test.cer');
    const a = parseCertificate(der);
    expect(parseCertificate(toPem(der, 'CERTIFICATE')).sha256).toBe(a.sha256);
    expect(parseCertificate(new TextEncoder().encode(toPem(der, 'CERTIFICATE').replace(/\n/g, '\r\n'))).sha256).toBe(a.sha256);
    expect(parseCertificate(Buffer.from(der).toString('base64')).sha256).toBe(a.sha256);
  });

  it('exposes the SPKI in the form signature code wants, and the exact tbs bytes', () => {
    const c = cert('gost2022-test/ca/nca_gost2022_test.cer');
    const spki = certificateSpki(c);
    expect(spki.algorithmOid).toBe('1.2.398.3.10.1.1.2.2');
    expect(spki.paramsOids).toEqual(['1.2.398.3.10.1.1.2.2.1', '1.2.398.3.10.1.3.3']);
    expect(spki.publicKey).toHaveLength(128);
    expect(spki.subjectPublicKey[0]).toBe(TAG.OCTET_STRING);
    const tbs = tbsOf(c);
    expect(Buffer.from(c.der).includes(Buffer.from(tbs))).toBe(true);
    // A structurally cloned model (no WeakMap entry) still works.
    expect(certificateSpki(structuredClone(c)).publicKey).toEqual(spki.publicKey);
    expect(daysLeft(c, new Date('2032-07-03T09:55:23Z'))).toBe(1);
  });
});

describe('parseCertificate: bad input is CERT_MALFORMED, never a crash', () => {
  const good = read('gost2022-test/individual/valid/individual_valid.pem');
  const der = parseCertificate(good).der;
  const codeOf = (input: Uint8Array | string) => {
    try {
      parseCertificate(input);
      return 'ok';
    } catch (e) {
      return isKenseError(e) ? e.code : `crash: ${String(e)}`;
    }
  };

  it('garbage, truncation, wrong tags, absurd lengths', () => {
    expect(codeOf(new Uint8Array(0))).toBe('CERT_MALFORMED');
    expect(codeOf('hello')).toBe('CERT_MALFORMED');
    expect(codeOf(der.subarray(0, der.length - 1))).toBe('CERT_MALFORMED');
    expect(codeOf(Uint8Array.of(0x31, ...der.subarray(1)))).toBe('CERT_MALFORMED');
    expect(codeOf(Uint8Array.of(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 1, 2, 3))).toBe('CERT_MALFORMED');
    expect(codeOf(seq(seq(), seq(), seq()))).toBe('CERT_MALFORMED');
    expect(codeOf(new Uint8Array(10_000).fill(0x30))).toBe('CERT_MALFORMED');
  });

  it('property: random bytes and random damage never escape as anything but a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(['ok', 'CERT_MALFORMED', 'PKI_UNSUPPORTED_ALGORITHM']).toContain(codeOf(bytes));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: der.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.nat(der.length), (pos, x, cut) => {
        const b = Uint8Array.from(der);
        b[pos] ^= x;
        expect(['ok', 'CERT_MALFORMED', 'PKI_UNSUPPORTED_ALGORITHM']).toContain(codeOf(b));
        expect(['ok', 'CERT_MALFORMED']).toContain(codeOf(der.subarray(0, cut)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('names', () => {
  const bmp = (s: string) => tlv(TAG.BMP_STRING, Uint8Array.from([...s].flatMap((ch) => [ch.charCodeAt(0) >> 8, ch.charCodeAt(0) & 0xff])));
  const printable = (s: string) => tlv(TAG.PRINTABLE_STRING, new TextEncoder().encode(s));
  const atv = (type: string, value: Uint8Array) => setOf(seq(oid(type), value));

  it('decodes UTF8String, PrintableString and BMPString; escapes as RFC 4514', () => {
    const name = seq(atv(X500.commonName, bmp('ҰКО, "3.0"')), atv(X500.serialNumber, printable('IIN123456789011')), atv(X500.givenName, utf8String(' ТЕСТОВИЧ')));
    expect(dnString(parseName(parseAsn1(name)))).toBe('CN=ҰКО\\, \\"3.0\\",SERIALNUMBER=IIN123456789011,G=\\ ТЕСТОВИЧ');
  });

  it('match byte-equal names, and names that differ only in string type, case or spacing', () => {
    const a = seq(atv(X500.commonName, utf8String('Test  CA')), atv(X500.countryName, printable('KZ')));
    const b = seq(atv(X500.commonName, bmp('test ca')), atv(X500.countryName, utf8String('kz')));
    const c = seq(atv(X500.countryName, printable('KZ')), atv(X500.commonName, utf8String('Test CA')));
    expect(namesMatch(a, a)).toBe(true);
    expect(namesMatch(a, b)).toBe(true);
    expect(namesMatch(a, c)).toBe(false);
    expect(namesMatch(a, Uint8Array.of(1, 2, 3))).toBe(false);
  });
});
