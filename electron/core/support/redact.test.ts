// Redaction of what a support request carries: every kind of secret goes, ordinary diagnostics stay readable.
import { describe, expect, it } from 'vitest';
import { REMOVED, redact } from './redact';

describe('redact', () => {
  it('removes the live tokens core holds wherever they appear', () => {
    const token = 'tok_9fKq2LmZx81PqWn';
    expect(redact(`sync failed for ${token} at page 3`, [token])).toBe(`sync failed for ${REMOVED} at page 3`);
    expect(redact('nothing to hide', [null, undefined, ''])).toBe('nothing to hide');
  });

  it('removes Authorization headers and bearer tokens', () => {
    expect(redact('Authorization: Bearer abc.def-ghi')).toBe(`Authorization: ${REMOVED}`);
    expect(redact('{"authorization":"Basic dXNlcjpwYXNz"}')).not.toContain('dXNlcjpwYXNz');
    expect(redact('curl -H "Proxy-Authorization: Negotiate YII"')).not.toContain('YII');
    expect(redact('sent bearer s3cr3t-value-1 to the cloud')).toBe(`sent Bearer ${REMOVED} to the cloud`);
  });

  it('removes values named like secrets in JSON, key=value and URLs', () => {
    const json = redact(JSON.stringify({ iin: '123456789011', password: 'Qwerty12', accessToken: 'a1b2c3', nested: { refresh_token: 'zz9', pin: 1234, totp: '123456' }, phase: 'push' }));
    for (const s of ['Qwerty12', 'a1b2c3', 'zz9', ':1234', ':"123456"']) expect(json).not.toContain(s);
    expect(JSON.parse(json)).toMatchObject({ iin: '123456789011', phase: 'push', password: REMOVED, nested: { pin: REMOVED } });
    const kv = redact('login ok password=Qwerty12 p12_password: "Qwerty 12" api-key=XYZ123 user=Ivan');
    expect(kv).toBe(`login ok password=${REMOVED} p12_password: ${REMOVED} api-key=${REMOVED} user=Ivan`);
    expect(redact('GET /v1/x?token=abc123&limit=5&secret=s')).toBe(`GET /v1/x?token=${REMOVED}&limit=5&secret=${REMOVED}`);
    expect(redact('otpauth://totp/kense?secret=JBSWY3DPEHPK3PXP&issuer=kense')).not.toContain('JBSWY3DPEHPK3PXP');
  });

  it('removes JWTs, PEM blocks and long base64/hex blobs but keeps short hashes and serials', () => {
    expect(redact('jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_part-1')).toBe(`jwt ${REMOVED} (token)`);
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8AgEAAkEA\n-----END PRIVATE KEY-----';
    expect(redact(`key:\n${pem}\nend`)).toBe(`key:\n${REMOVED} (key material)\nend`);
    expect(redact('-----BEGIN CERTIFICATE-----\nMIIB cut off')).not.toContain('MIIB');
    const blob = Buffer.alloc(120, 7).toString('base64');
    expect(redact(`cms ${blob} done`)).toBe(`cms ${REMOVED} (${blob.length} characters) done`);
    const sha = 'a'.repeat(64);
    const serial = '4c1f0a3b5e6d7f8091a2b3c4d5e6f708192a3b4c';
    // A blob that starts with '/' is still a blob (a '+', or segments longer than a path's).
    expect(redact(`/${'Ab+/'.repeat(25)}`)).toContain(REMOVED);
    expect(redact(`/${'Abc9'.repeat(25)}/x/y`)).toContain(REMOVED);
    expect(redact(`digest ${sha} serial ${serial}`)).toBe(`digest ${sha} serial ${serial}`);
  });

  it('keeps ordinary diagnostics readable', () => {
    const path = '- [ok] keys.cert:/tmp/kense-e2e-xUrYgy/demo/ncalayer-keys/gost2022-test/legal/valid/1-head/head.p12: head.p12 (ТЕСТОВ ТЕСТ) до 2027-05-08.';
    expect(redact(path)).toBe(path);
    const line = '2026-12-04T09:00:00+05:00 sync push failed {"code":"OFFLINE","endpoint":"changesPush","status":503}';
    expect(redact(line)).toBe(line);
    expect(redact('NCALayer: running, version 1.4; key files: 2; clock skew 3 s')).toBe('NCALayer: running, version 1.4; key files: 2; clock skew 3 s');
  });
});
