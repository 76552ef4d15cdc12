// The redaction hook on a real electron-log (its Node build) writing a real file: the file never holds the secrets.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import electronLog from 'electron-log/node';
import { KenseError } from '../../contract/errors';
import { REDACTED, installLogRedaction, redact, redactString } from './log-redaction';

const SECRETS = {
  password: 'Qwerty12',
  access: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXZhbHVl',
  refresh: 'rt_9f8e7d6c5b4a39281726354',
  dbKey: 'a1'.repeat(32),
  pem: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----',
  p12: 'MIIK'.padEnd(600, 'Qk1Q'),
  totp: '492039',
};

describe('redact', () => {
  it('drops the values of secret-named fields (whole objects under such names), deep inside too', () => {
    const v = redact({ op: 'documents.sign', input: { via: 'p12', password: SECRETS.password, items: [{ kind: 'act' }] }, tokens: { accessToken: SECRETS.access, refreshToken: SECRETS.refresh }, key: new Uint8Array(32), code: SECRETS.totp });
    expect(v).toEqual({ op: 'documents.sign', input: { via: 'p12', password: REDACTED, items: [{ kind: 'act' }] }, tokens: REDACTED, key: REDACTED, code: REDACTED });
  });
  it.each([
    [`Authorization: Bearer ${SECRETS.refresh}`, SECRETS.refresh],
    [`token ${SECRETS.access} expired`, SECRETS.access],
    [`PRAGMA key="x'${SECRETS.dbKey}'"`, SECRETS.dbKey],
    [`raw key ${SECRETS.dbKey}`, SECRETS.dbKey],
    [`GET /v1/x?access_token=${SECRETS.refresh}&a=1`, SECRETS.refresh],
    [`{"password":"${SECRETS.password}","iin":"123456789012"}`, SECRETS.password],
    [`key file ${SECRETS.p12}`, SECRETS.p12.slice(0, 100)],
    [`got ${SECRETS.pem} from file`, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'],
  ])('cleans %s', (s, secret) => {
    const out = redactString(s);
    expect(out).not.toContain(secret);
  });
  it('keeps what helps support: codes, ids, ИИН/БИН, ordinary text', () => {
    expect(redactString('sync pushed 3 mutations for БИН 123456789021, act 0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('sync pushed 3 mutations for БИН 123456789021, act 0f8fad5b-d9cb-469f-a165-70867728950e');
  });
  it('keeps errors readable without their secrets; survives cycles', () => {
    const e = redact(new KenseError('P12_WRONG_PASSWORD', { path: '/k.p12', password: SECRETS.password })) as Error & { code: string; details: unknown };
    expect(e.code).toBe('P12_WRONG_PASSWORD');
    expect(e.details).toEqual({ path: '/k.p12', password: REDACTED });
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redact(a)).toEqual({ name: 'a', self: '[circular]' });
  });
});

describe('electron-log with the hook', () => {
  let dir: string;
  beforeEach(async () => void (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kense-log-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('writes no secret to the log file', async () => {
    const file = path.join(dir, 'main.log');
    const log = electronLog.create({ logId: `redaction-test-${process.pid}` });
    log.transports.console.level = false;
    log.transports.file.resolvePathFn = () => file;
    installLogRedaction(log);
    log.info('sign in', { iin: '123456789012', password: SECRETS.password });
    log.warn(`cloud said 401 for Bearer ${SECRETS.access}`);
    log.error(new KenseError('STORE_WRONG_KEY', { keyHex: SECRETS.dbKey }));
    log.info('updater request', { headers: { authorization: `Bearer ${SECRETS.refresh}`, 'x-user-staging-id': 'abc' } });
    log.debug(`p12 ${SECRETS.p12}`);
    log.info(SECRETS.pem);
    const written = await fs.readFile(file, 'utf8');
    expect(written).toContain('sign in');
    expect(written).toContain('STORE_WRONG_KEY');
    for (const [name, secret] of Object.entries(SECRETS)) expect(written.includes(secret.slice(0, 40)), name).toBe(false);
  });
});
