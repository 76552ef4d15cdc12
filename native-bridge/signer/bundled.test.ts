import { copyFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEYS_DIR, codeOf, testFilter } from '../ncalayer/test-kit';
import { loadTrustStore, verifyCms, type TrustStore } from '../pki';
import { verifyXml } from '../xml/dsig';
import { BundledSigner, type PasswordRequest } from './bundled';

const VALID = TEST_KEYS_DIR;
const HEAD = path.join(VALID, 'head.p12');
const filter = testFilter;
const docs = ['акт 1', 'акт 2', 'акт 3'].map((s) => new TextEncoder().encode(s));

let trust: TrustStore;
beforeAll(() => {
  trust = loadTrustStore('test');
});

function passwords(...answers: (string | null)[]) {
  const asked: PasswordRequest[] = [];
  return {
    asked,
    cb: async (r: PasswordRequest) => {
      asked.push(r);
      return answers.length > 1 ? (answers.shift() as string | null) : (answers[0] as string | null);
    },
  };
}


describe('bundled signer', () => {
  it('signs a batch of CMS with one password entry; each verifies against its document', async () => {
    const pw = passwords('Qwerty12');
    const s = new BundledSigner({ keyPath: HEAD, password: pw.cb });
    const r = await s.signCms(docs, { filter: filter({ role: 'first_head' }) });
    expect(pw.asked).toHaveLength(1);
    expect(pw.asked[0]).toMatchObject({ attempt: 1, attemptsLeft: 3 });
    expect(pw.asked[0].certificate?.commonName).toBe('ТЕСТОВ ТЕСТ');
    expect(r.signatures).toHaveLength(3);
    expect(r.certificate.roles).toContain('first_head');
    for (let i = 0; i < docs.length; i++) {
      const v = await verifyCms(r.signatures[i], { data: docs[i], trust });
      expect(v.valid, String(v.signers[0]?.reasons)).toBe(true);
      expect(v.content).toEqual(docs[i]);
    }
    const detached = await s.signCms([docs[0]], { filter: filter(), detached: true });
    const v = await verifyCms(detached.signatures[0], { data: docs[0], trust });
    expect(v.valid && v.detached).toBe(true);
  });

  it('signs XML documents (enveloped, GOST-2015-512)', async () => {
    const s = new BundledSigner({ keyPath: HEAD, password: passwords('Qwerty12').cb });
    const r = await s.signXml(['<act n="1"/>', '<act n="2">ы</act>'], { filter: filter() });
    for (const x of r.signed) expect((await verifyXml(x, { trust })).valid).toBe(true);
  });

  it('remembers the key path, never the password', async () => {
    const s = new BundledSigner({ keyPath: HEAD, password: passwords('Qwerty12').cb });
    await s.signCms([docs[0]], { filter: filter() });
    const seen = JSON.stringify({ signer: s, description: await s.describe(), keys: await s.listKeys() });
    expect(seen).toContain(HEAD);
    expect(seen).not.toContain('Qwerty12');
  });

  it('wrong password: asked again with the attempts left; then the right one works', async () => {
    const pw = passwords('nope', 'Qwerty1', 'Qwerty12');
    const s = new BundledSigner({ keyPath: HEAD, password: pw.cb });
    await s.signCms([docs[0]], { filter: filter() });
    expect(pw.asked.map((a) => [a.attempt, a.attemptsLeft, a.previous])).toEqual([
      [1, 3, undefined],
      [2, 2, 'wrong_password'],
      [3, 1, 'wrong_password'],
    ]);
  });

  it('attempts exhausted, cancel, missing file, unfit key → typed errors', async () => {
    expect(await codeOf(new BundledSigner({ keyPath: HEAD, password: passwords('x').cb, maxAttempts: 2 }).signCms(docs, { filter: filter() }))).toBe(
      'SIGNER_PASSWORD_ATTEMPTS_EXHAUSTED',
    );
    expect(await codeOf(new BundledSigner({ keyPath: HEAD, password: passwords(null).cb }).signCms(docs, { filter: filter() }))).toBe('SIGN_CANCELLED');
    expect(await codeOf(new BundledSigner({ keyPath: '/nonexistent/k.p12', password: passwords('x').cb }).signCms(docs, { filter: filter() }))).toBe(
      'SIGNER_KEY_FILE_UNREADABLE',
    );
    // employee.p12 has no right to sign, and its certificate sits beside it: refused before any password is asked.
    const pw = passwords('Qwerty12');
    const employee = new BundledSigner({ keyPath: path.join(VALID, 'employee.p12'), password: pw.cb });
    expect(await codeOf(employee.signCms(docs, { filter: filter({ role: 'head_or_sign_right' }) }))).toBe('SIGNER_KEY_NOT_ALLOWED');
    expect(pw.asked).toHaveLength(0);
    // Test keys are refused unless the filter allows them.
    expect(await codeOf(new BundledSigner({ keyPath: HEAD, password: pw.cb }).signCms(docs, { filter: filter({ allowTestKeys: false }) }))).toBe(
      'SIGNER_KEY_NOT_ALLOWED',
    );
  });

  it('without a certificate beside the key, the filter is checked after opening; listKeys knows the key afterwards', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-bundled-'));
    const lone = path.join(dir, 'employee.p12');
    copyFileSync(path.join(VALID, 'employee.p12'), lone);
    const pw = passwords('Qwerty12');
    const s = new BundledSigner({ keyPath: lone, password: pw.cb });
    expect(await s.listKeys()).toEqual([]);
    expect(await codeOf(s.signCms(docs, { filter: filter({ role: 'first_head' }) }))).toBe('SIGNER_KEY_NOT_ALLOWED');
    expect(pw.asked).toHaveLength(1);
    const listed = await s.listKeys();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ iin: '123456789012', keyPath: lone, test: true, canSign: true });
    expect(await s.listKeys(filter({ role: 'first_head' }))).toEqual([]);
  });
});
