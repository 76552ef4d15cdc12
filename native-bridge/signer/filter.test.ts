// Who may sign: the filter rules over the real НУЦ test certificates, table-driven.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SignerFilterSchema, type SignerFilterInput } from '../../contract/signing';
import { parseCertificate } from '../pki';
import { filterMismatches, isTestCertificate, keySummary } from './filter';

const VALID = path.resolve(import.meta.dirname, '../../resources/test-pki/gost2022-test');
const cert = (rel: string) => parseCertificate(new Uint8Array(readFileSync(path.join(VALID, rel))));
const CERTS = {
  head: cert('legal/valid/head.pem'),
  signright: cert('legal/valid/employee_signright.pem'),
  employee: cert('legal/valid/employee.pem'),
  individual: cert('individual/valid/individual_valid.pem'),
  infosystem: cert('legal/valid/treasury_client.pem'),
};

const T = { allowTestKeys: true };
const cases: [keyof typeof CERTS, SignerFilterInput, string[]][] = [
  ['head', { ...T }, []],
  ['head', { ...T, role: 'first_head' }, []],
  ['head', { ...T, role: 'head_or_sign_right', bin: '123456789021', iin: '123456789011' }, []],
  ['head', { ...T, role: 'sign_right' }, ['no_right_to_sign']],
  ['head', { ...T, iin: '123456789012' }, ['iin_differs']],
  ['head', { ...T, bin: '999999999999' }, ['bin_differs']],
  ['head', { ...T, serialNumber: '303eebdf17969f3edede9bd9828fb1355aabbe4e' }, []],
  ['head', { ...T, serialNumber: '01' }, ['serial_differs']],
  ['head', {}, ['test_key']],
  ['head', { ...T, subject: 'individual' }, ['not_an_individual']],
  ['signright', { ...T, role: 'head_or_sign_right' }, []],
  ['signright', { ...T, role: 'first_head' }, ['not_first_head']],
  ['employee', { ...T, role: 'head_or_sign_right' }, ['no_right_to_sign']],
  ['employee', { ...T, subject: 'legal_entity' }, []],
  ['individual', { ...T, subject: 'individual' }, []],
  ['individual', { ...T, role: 'first_head' }, ['not_a_legal_entity', 'not_first_head']],
  ['infosystem', { ...T }, ['not_a_signature_key']],
  ['head', { ...T, purpose: 'authentication' }, []],
];

describe('filterMismatches', () => {
  it.each(cases)('%s with %j → %j', (name, f, expected) => {
    expect(filterMismatches(CERTS[name], SignerFilterSchema.parse(f))).toEqual(expected);
  });

  it('test certificates are recognised by their issuer; the summary carries what the UI shows', () => {
    expect(isTestCertificate(CERTS.head)).toBe(true);
    expect(isTestCertificate({ issuerDn: 'CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022, C=KZ' })).toBe(false);
    expect(keySummary(CERTS.head, { keyPath: '/k/head.p12' })).toMatchObject({
      commonName: 'ТЕСТОВ ТЕСТ',
      iin: '123456789011',
      bin: '123456789021',
      roles: expect.arrayContaining(['first_head']),
      keyAlgorithm: 'GOST2015_512',
      keyPath: '/k/head.p12',
      test: true,
    });
  });
});
