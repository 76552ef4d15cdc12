// The НУЦ РК test keys (resources/test-pki, password Qwerty12) and CMS made with them, for cloud tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCms, openP12, type OpenedP12 } from '../../native-bridge/pki';
import { TEST_PKI_DIR } from '../src/signatures';

const cache = new Map<string, OpenedP12>();

export type TestKey = 'head' | 'employee_signright' | 'employee' | 'individual' | 'head_revoked';
const FILES: Record<TestKey, string> = {
  head: 'gost2022-test/legal/valid/head.p12',
  employee_signright: 'gost2022-test/legal/valid/employee_signright.p12',
  employee: 'gost2022-test/legal/valid/employee.p12',
  individual: 'gost2022-test/individual/valid/individual_valid.p12',
  head_revoked: 'gost2022-test/legal/revoked/head.p12',
};

export function testKey(k: TestKey): OpenedP12 {
  let o = cache.get(k);
  if (!o) {
    o = openP12(new Uint8Array(readFileSync(path.join(TEST_PKI_DIR, FILES[k]))), 'Qwerty12');
    cache.set(k, o);
  }
  return o;
}

export function cmsB64(k: TestKey, data: Uint8Array | string, detached = false): string {
  const key = testKey(k);
  const bytes = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'utf8')) : data;
  return Buffer.from(createCms({ data: bytes, key: key.key, certificate: key.certificate, detached })).toString('base64');
}

export const b64bytes = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));
