// `kense verify` on XML (recognised by content; RSA, GOST-2015-512, GOST-2004; tampered and wrapped),
// on the real Kalkan samples, on a folder of signatures, and fetching the CRL a certificate names from a
// loopback server standing in for test.pki.gov.kz (KENSE_CRL_MIRROR), kept in ~/.kense/revocation.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCms } from '../../native-bridge/pki';
import { pinClockToTestMaterial, testP12 } from '../../native-bridge/pki/test-kit';
import { signXml } from '../../native-bridge/xml';
import { openssl } from '../../native-bridge/pki/cms-test-kit';
import { runKense } from './cli-test-kit';

pinClockToTestMaterial();

const PKI = path.resolve(import.meta.dirname, '../../resources/test-pki');
const TEST_CAS = ['gost2022-test/ca/root_test_gost_2022.cer', 'gost2022-test/ca/nca_gost2022_test.cer'].map((f) => path.join(PKI, f));
const dir = mkdtempSync(path.join(tmpdir(), 'kense-verify-'));
const ENV = { HOME: path.join(dir, 'home'), KENSE_CRL_MIRROR: 'http://=http://127.0.0.1:9/' };
const kense = (args: string[], env: Record<string, string> = {}) => runKense(args, { ...ENV, ...env });
const lastLine = (s: string) => s.trim().split('\n').at(-1);

const ACT = `<?xml version="1.0" encoding="UTF-8"?>
<act xmlns="urn:kense:act:1" number="АКТ-17"><seller bin="123456789021">АО "ТЕСТ"</seller><total currency="KZT">150000.00</total></act>
`;
const head = testP12('gost2022-test/legal/valid/head.p12');
const LEGACY = {
  RSA: testP12('legacy-test/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12'),
  GOST2004: testP12('legacy-test/organization/active/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.p12'),
};
const write = (name: string, content: string | Uint8Array) => {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
};

describe('XML signatures, recognised by content', () => {
  const gostXml = write('act.signed.xml', signXml(ACT, { key: head.key, certificate: head.certificate }));

  it('GOST-2015-512: VALID with the test trust; the output says XMLDSig carries no signing time and what time was used', async () => {
    const v = await kense(['verify', '--in', gostXml, '--trust', 'test']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^XML signature \(XMLDSig\), signatures: 1, trust store: test$/m);
    expect(v.stdout).toMatch(/^ {2}Signing time:\s+— \(an XMLDSig signature carries no signing time\)$/m);
    expect(v.stdout).toMatch(/^ {2}Judged at:\s+2026-11-25 12:00:00 UTC — the current time$/m);
    expect(v.stdout).toMatch(/^ {2}Revocation:\s+not revoked \(CRL, .*the test kit's CRL\)$/m);
    expect(lastLine(v.stdout)).toBe('VALID');
    const at = await kense(['verify', '--in', gostXml, '--trust', 'test', '--at', '2026-06-01T00:00:00Z', '--json']);
    expect(JSON.parse(at.stdout)).toMatchObject({ format: 'xml', signingTime: null, signingTimeNote: 'XMLDSig carries no signing time', signers: [{ validationTime: '2026-06-01T00:00:00.000Z', validationTimeSource: 'given' }] });
    // --at works as for CMS: before the certificate was issued it was not yet valid.
    expect(JSON.parse((await kense(['verify', '--in', gostXml, '--trust', 'test', '--at', '2026-01-01T00:00:00Z', '--json'])).stdout).signers[0].reasons).toContain('CERT_NOT_YET_VALID');
  });

  it.each(Object.keys(LEGACY) as (keyof typeof LEGACY)[])('%s (legacy kit, expired 2021): VALID at a time inside the validity with --revocation none; INDETERMINATE without (no CRL of those CAs)', async (alg) => {
    const k = LEGACY[alg];
    const f = write(`legacy-${alg}.xml`, signXml(ACT, { key: k.key, certificate: k.certificate }));
    const at = new Date((k.certificate.notBefore.getTime() + k.certificate.notAfter.getTime()) / 2).toISOString();
    expect(lastLine((await kense(['verify', '--in', f, '--trust', 'test', '--at', at, '--revocation', 'none'])).stdout)).toBe('VALID');
    expect(lastLine((await kense(['verify', '--in', f, '--trust', 'test', '--at', at])).stdout)).toBe('INDETERMINATE');
    expect(JSON.parse((await kense(['verify', '--in', f, '--trust', 'test', '--json'])).stdout).signers[0].reasons).toContain('CERT_EXPIRED');
  });

  it('tampered content → INVALID (DIGEST_MISMATCH); a wrapped signature → INVALID; --data with XML is a usage error', async () => {
    const signed = readFileSync(gostXml, 'utf8');
    const tampered = write('tampered.xml', signed.replace('150000.00', '950000.00'));
    const t = await kense(['verify', '--in', tampered, '--trust', 'test', '--json']);
    expect(t.code).toBe(1);
    expect(JSON.parse(t.stdout).signers[0].reasons).toEqual(['DIGEST_MISMATCH']);
    // Wrapping: the signed act moved inside another root that carries a different act.
    const inner = signed.replace(/^<\?xml[^>]*\?>\n/, '');
    const wrapped = write('wrapped.xml', `<?xml version="1.0" encoding="UTF-8"?>\n<envelope><act xmlns="urn:kense:act:1" number="АКТ-17"><total currency="KZT">1.00</total></act><hidden>${inner}</hidden></envelope>\n`);
    const w = await kense(['verify', '--in', wrapped, '--trust', 'test', '--json']);
    expect(w.code).toBe(1);
    expect(JSON.parse(w.stdout).signers[0].reasons).toContain('DIGEST_MISMATCH');
    expect((await kense(['verify', '--in', gostXml, '--data', gostXml, '--trust', 'test'])).code).toBe(2);
  });

  it('an XML document without a signature is INVALID, not a crash', async () => {
    const v = await kense(['verify', '--in', write('plain.xml', ACT), '--trust', 'test']);
    expect(v.code).toBe(1);
    expect(lastLine(v.stdout)).toBe('INVALID');
  });
});

describe('real Kalkan signatures from the command line (resources/test-pki/real-world)', () => {
  const REAL = path.join(PKI, 'real-world');

  it('the 2018 CAdES-T: its timestamp line (verified, TSA «TSP»); INDETERMINATE without a CRL of 2018, VALID with --revocation none', async () => {
    const cms = path.join(REAL, 'kalkan-cades-t-gost2004.cms');
    const v = await kense(['verify', '--in', cms]);
    expect(v.stdout).toMatch(/^ {2}Timestamp:\s+2018-12-21 09:25:04 UTC, TSA «TSP» — verified$/m);
    expect(v.stdout).toMatch(/^ {2}Judged at:\s+2018-12-21 09:25:04 UTC — a trusted timestamp$/m);
    expect(lastLine(v.stdout)).toBe('INDETERMINATE');
    expect(lastLine((await kense(['verify', '--in', cms, '--revocation', 'none'])).stdout)).toBe('VALID');
  });

  it('the Kalkan XMLDSig: INDETERMINATE at 2024-01-01 (the kit\'s CRL is from after its expiry), VALID with --revocation none', async () => {
    const xml = path.join(REAL, 'kalkan-xmldsig-gost2015-512.xml');
    const v = await kense(['verify', '--in', xml, '--trust', 'test', '--at', '2024-01-01T00:00:00Z']);
    expect(v.stdout).toMatch(/was issued after the certificate expired/);
    expect(lastLine(v.stdout)).toBe('INDETERMINATE');
    expect(lastLine((await kense(['verify', '--in', xml, '--trust', 'test', '--at', '2024-01-01T00:00:00Z', '--revocation', 'none'])).stdout)).toBe('VALID');
  });

  it('the Kalkan XMLDSig as a newcomer checks it (default trust, no --at): INDETERMINATE, not INVALID (it said INVALID, CERT_EXPIRED) — a test key, so no chain to a production root', async () => {
    const xml = path.join(REAL, 'kalkan-xmldsig-gost2015-512.xml');
    const v = await kense(['verify', '--in', xml]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/^Signer 1: NOT CONFIRMED \(NO_CERTIFICATE_CHAIN_FOUND\)$/m);
    expect(v.stdout).toMatch(/^ {4}CERT_EXPIRED: /m);
    expect(v.stdout).not.toMatch(/INVALID/);
    expect(lastLine(v.stdout)).toBe('INDETERMINATE');
    const j = JSON.parse((await kense(['verify', '--in', xml, '--json'])).stdout);
    expect(j).toMatchObject({ valid: false, status: 'indeterminate', signers: [{ status: 'indeterminate', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' }] });
  });

  it('the Kalkan XMLDSig with its own (test) trust, no --at: expired by now and XMLDSig carries no time → INDETERMINATE (OUT_OF_BOUNDS_NO_POE), saying why and what to do in ru/kk/en', async () => {
    const xml = path.join(REAL, 'kalkan-xmldsig-gost2015-512.xml');
    const en = await kense(['verify', '--in', xml, '--trust', 'test']);
    expect(en.code).toBe(1);
    expect(en.stdout).toMatch(
      /^Signer 1: NOT CONFIRMED \(OUT_OF_BOUNDS_NO_POE\)\n {2}The signature cannot be confirmed: the certificate had expired by the time judged at, and the signature has no timestamp proving when it was made\.\n {2}→ Ask the sender for a signature with a timestamp \(CAdES-T\), or check with them when the document was signed\.\n {2}→ If you can vouch yourself .*--at ISO-TIME\.$/m,
    );
    expect(en.stdout).toMatch(/^ {2}Judged at:\s+2026-11-25 12:00:00 UTC — the current time$/m);
    expect(lastLine(en.stdout)).toBe('INDETERMINATE');
    const j = JSON.parse((await kense(['verify', '--in', xml, '--trust', 'test', '--json'])).stdout);
    expect(j.signers[0]).toMatchObject({ status: 'indeterminate', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
    expect(j.signers[0].reasons).toContain('CERT_EXPIRED');
    const ru = await runKense(['verify', '--in', xml, '--trust', 'test'], ENV, 'ru');
    expect(ru.stdout).toMatch(/^Подписант 1: НЕ ПОДТВЕРЖДЕНА \(OUT_OF_BOUNDS_NO_POE\)\n {2}Подпись не подтверждена: на проверяемый момент срок сертификата уже истёк, а метки времени/m);
    const kk = await runKense(['verify', '--in', xml, '--trust', 'test'], ENV, 'kk');
    expect(kk.stdout).toMatch(/^Қол қоюшы 1: РАСТАЛМАДЫ \(OUT_OF_BOUNDS_NO_POE\)\n {2}Қолтаңба расталмады: тексерілетін сәтте сертификат мерзімі өтіп кеткен/m);
  });
});

describe('a CMS made by OpenSSL with a self-signed certificate (a signature made by others, not under НУЦ РК)', () => {
  const key = path.join(dir, 'self.pem');
  const crt = path.join(dir, 'self.crt');
  const cms = path.join(dir, 'self.cms');
  expect(openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-subj', '/CN=Self Signed/O=Somebody', '-days', '30']).status).toBe(0);
  expect(openssl(['cms', '-sign', '-binary', '-nodetach', '-md', 'sha256', '-signer', crt, '-inkey', key, '-in', write('self.txt', 'Счёт № 12'), '-outform', 'DER', '-out', cms]).status).toBe(0);

  it('default flags: INDETERMINATE (NO_CERTIFICATE_CHAIN_FOUND), exit 1 — it said INVALID (UNTRUSTED_CHAIN)', async () => {
    const v = await kense(['verify', '--in', cms]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/^Signer 1: NOT CONFIRMED \(NO_CERTIFICATE_CHAIN_FOUND\)$/m);
    expect(v.stdout).toMatch(/This alone does not mean it is forged\./);
    expect(lastLine(v.stdout)).toBe('INDETERMINATE');
  });

  it('its content changed after signing: INVALID (HASH_FAILURE), exit 1', async () => {
    const bytes = new Uint8Array(readFileSync(cms));
    const doc = Buffer.from('Счёт № 12');
    bytes[Buffer.from(bytes).indexOf(doc) + doc.length - 1] ^= 0x01;
    const v = await kense(['verify', '--in', write('self-tampered.cms', bytes), '--json']);
    expect(v.code).toBe(1);
    const j = JSON.parse(v.stdout);
    expect(j).toMatchObject({ status: 'invalid', signers: [{ status: 'invalid', subIndication: 'HASH_FAILURE' }] });
    expect(j.signers[0].reasons).toEqual(expect.arrayContaining(['DIGEST_MISMATCH', 'UNTRUSTED_CHAIN']));
  });
});

describe('kense verify --in DIR (issue 9, item 8: it said FILE_NOT_FOUND)', () => {
  const folder = path.join(dir, 'inbox');
  mkdirSync(folder);
  const doc = new TextEncoder().encode('Договор № 3');
  const revoked = testP12('gost2022-test/legal/revoked/head.p12');
  writeFileSync(path.join(folder, 'act.cms'), createCms({ data: doc, key: head.key, certificate: head.certificate }));
  writeFileSync(path.join(folder, 'revoked.p7s'), createCms({ data: doc, key: revoked.key, certificate: revoked.certificate }));
  // An attached CMS whose document was edited after signing (the last byte of 'Договор № 3').
  const tampered = createCms({ data: doc, key: head.key, certificate: head.certificate });
  tampered[Buffer.from(tampered).indexOf(Buffer.from(doc)) + doc.length - 1] ^= 0x01;
  writeFileSync(path.join(folder, 'tampered.cms'), tampered);
  writeFileSync(path.join(folder, 'contract.txt'), doc);
  writeFileSync(path.join(folder, 'contract.txt.cms'), createCms({ data: doc, key: head.key, certificate: head.certificate, detached: true }));
  writeFileSync(path.join(folder, 'act.signed.xml'), signXml(ACT, { key: head.key, certificate: head.certificate }));
  writeFileSync(path.join(folder, 'notes.txt'), 'не подпись');
  mkdirSync(path.join(folder, 'archive'));

  it('verifies every signature file in it (a detached one against the document beside it) and sums up; exit 1 when one is not valid', async () => {
    const v = await kense(['verify', '--in', folder, '--trust', 'test']);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/^== act\.cms ==$/m);
    expect(v.stdout).toMatch(/^Folder .*inbox: 5 signature files — 3 valid, 1 invalid, 1 not confirmed$/m);
    expect(v.stdout).toMatch(/^ {2}contract\.txt: the document of a detached signature beside it$/m);
    expect(v.stdout).toMatch(/^ {2}notes\.txt: not a signature$/m);
    // Revoked, signed without a timestamp: nothing proves it came after the revocation (ETSI: REVOKED_NO_POE).
    expect(v.stdout).toMatch(/^ {2}INDETERMINATE revoked\.p7s$/m);
    expect(v.stdout).toMatch(/^ {2}INVALID {7}tampered\.cms$/m);
    expect(v.stdout).toMatch(/^ {2}VALID {9}contract\.txt\.cms$/m);
    expect(lastLine(v.stdout)).toBe('INVALID');
    const j = JSON.parse((await kense(['verify', '--in', folder, '--trust', 'test', '--json'])).stdout);
    expect(j.status).toBe('invalid');
    expect(j.files.map((f: { file: string; status?: string; skipped?: string }) => [f.file, f.status ?? 'skipped'])).toEqual([
      ['act.cms', 'valid'], ['act.signed.xml', 'valid'], ['contract.txt', 'skipped'], ['contract.txt.cms', 'valid'], ['notes.txt', 'skipped'], ['revoked.p7s', 'indeterminate'], ['tampered.cms', 'invalid'],
    ]);
    const signer = (file: string) => j.files.find((f: { file: string }) => f.file === file).signers[0];
    expect(signer('revoked.p7s')).toMatchObject({ reasons: ['CERT_REVOKED'], subIndication: 'REVOKED_NO_POE' });
    expect(signer('tampered.cms')).toMatchObject({ reasons: ['DIGEST_MISMATCH'], subIndication: 'HASH_FAILURE' });
  });

  it('a folder with no signature in it → VERIFY_NO_SIGNATURES (a clear typed error, not FILE_NOT_FOUND); --data DIR is a usage error', async () => {
    const empty = mkdtempSync(path.join(dir, 'empty-'));
    writeFileSync(path.join(empty, 'readme.txt'), 'nothing signed here');
    const v = await kense(['verify', '--in', empty, '--trust', 'test']);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/^error VERIFY_NO_SIGNATURES: The folder holds no signature files/);
    expect(v.stderr).not.toMatch(/FILE_NOT_FOUND/);
    const d = await kense(['verify', '--in', path.join(folder, 'act.cms'), '--data', folder, '--trust', 'test']);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--data names a folder, not a file/);
    expect((await kense(['verify', '--in', path.join(dir, 'no-such-file.cms')])).stderr).toMatch(/^error FILE_NOT_FOUND/);
  });
});

describe('the CRL a certificate names, fetched from a loopback stand-in for test.pki.gov.kz', () => {
  let server: Server;
  let base = '';
  let served = 0;
  const crl = readFileSync(path.join(PKI, 'gost2022-test/ca/nca_gost2022_test.crl'));
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/nuc/crl/nca_gost2022_test.crl') {
        served++;
        res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(crl);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('fetched, kept in ~/.kense/revocation, then answered from there — the output says which, and how old', async () => {
    const home = path.join(dir, 'home-fetch');
    const env = { HOME: home, KENSE_CRL_MIRROR: `http://test.pki.gov.kz=${base}/nuc` };
    const cms = path.join(dir, 'fetch.cms');
    writeFileSync(cms, createCms({ data: new TextEncoder().encode('Акт № 1'), key: head.key, certificate: head.certificate }));
    const trust = TEST_CAS.flatMap((f) => ['--trust', f]);
    const first = await kense(['verify', '--in', cms, ...trust], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^ {2}Revocation:\s+not revoked \(CRL, as of 2026-08-11 03:49:19 UTC; next update 2027-02-07 03:49:19 UTC; fetched now from http:\/\/test\.pki\.gov\.kz\/crl\/nca_gost2022_test\.crl\)$/m);
    expect(served).toBe(1);
    expect(readdirSync(path.join(home, '.kense', 'revocation')).some((f) => f.endsWith('.der'))).toBe(true);
    const second = await kense(['verify', '--in', cms, ...trust, '--json'], env);
    expect(JSON.parse(second.stdout).signers[0].revocation).toMatchObject({ status: 'good', origin: 'cache', url: 'http://test.pki.gov.kz/crl/nca_gost2022_test.crl', fetchedAt: '2026-11-25T12:00:00.000Z' });
    expect(served).toBe(1);
    const offline = await kense(['verify', '--in', cms, ...trust, '--offline'], env);
    expect(offline.stdout).toMatch(/kept copy of http:\/\/test\.pki\.gov\.kz\/crl\/nca_gost2022_test\.crl, fetched 0 s ago/);
    // The revoked key, judged by the fetched CRL.
    const r = path.join(dir, 'fetch-revoked.cms');
    const k = testP12('gost2022-test/legal/revoked/head.p12');
    writeFileSync(r, createCms({ data: new TextEncoder().encode('Акт № 2'), key: k.key, certificate: k.certificate }));
    expect(JSON.parse((await kense(['verify', '--in', r, ...trust, '--json'], env)).stdout).signers[0].reasons).toEqual(['CERT_REVOKED']);
    expect(existsSync(path.join(home, '.kense', 'revocation'))).toBe(true);
    // kense doctor says what is kept (and what the trust store holds).
    const d = await kense(['doctor', '--no-network', '--url', 'wss://127.0.0.1:9', '--keys', mkdtempSync(path.join(dir, 'nokeys-'))], env);
    expect(d.stdout).toMatch(/^info Trust store: 11 НУЦ РК CA certificates shipped, 0 imported by you, 0 from the OS \(5 roots\)\.$/m);
    expect(d.stdout).toMatch(new RegExp(`^info Revocation data \\(${path.join(home, '.kense', 'revocation').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): 1 kept, 0 past their next update, the newest fetched 0 s ago\\.$`, 'm'));
  });
});
