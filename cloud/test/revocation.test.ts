// Revocation in the cloud, against a real loopback HTTP server standing in for НУЦ's CRL host (the test kit's
// certificates name http://test.pki.gov.kz/…, mapped to it by revocationFetch.resolveUrl): with no CRL file
// configured, the server fetches the CRL the signer's certificate names, refuses a revoked signer and accepts a good
// one, keeps the CRL in its database, and after a restart judges with the kept CRL without asking the network. A
// host that never answers costs a request at most the fetch timeout, refuses the signature as the policy says
// (CERT_REVOCATION_UNKNOWN) and stalls nothing else.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_CRL } from '../src/signatures';
import { startTestCloud, type TestCloud } from './harness';
import { cmsB64, type TestKey } from './keys';

const CRL_URL = 'http://test.pki.gov.kz/crl/nca_gost2022_test.crl';
const hits = new Map<string, number>();
let mode: 'serve' | 'down' | 'hang' = 'serve';
let mirror: Server;
let base = '';
const dataDir = mkdtempSync(path.join(tmpdir(), 'kense-revocation-'));

beforeAll(async () => {
  const crl = readFileSync(TEST_CRL);
  mirror = createServer((req, res) => {
    const p = (req.url ?? '').split('?')[0];
    hits.set(p, (hits.get(p) ?? 0) + 1);
    if (mode === 'hang') return; // accepts and never answers
    if (mode === 'serve' && p === '/nuc-test/crl/nca_gost2022_test.crl') return void res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(crl);
    res.writeHead(mode === 'down' ? 503 : 404).end();
  });
  await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
  const a = mirror.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(async () => {
  mirror.closeAllConnections();
  await new Promise<void>((r) => mirror.close(() => r()));
  rmSync(dataDir, { recursive: true, force: true });
});

const start = (o: { dataDir?: string; timeoutMs?: number } = {}) =>
  startTestCloud('pglite', {
    seed: { kind: 'demo', counterparties: 4, acts: 6 },
    // No CRL file: what the certificates name is all the server has.
    crlFiles: [],
    revocation: 'crl-or-ocsp',
    revocationFetch: { online: true, timeoutMs: o.timeoutMs ?? 5_000, idleTimeoutMs: o.timeoutMs ?? 5_000, resolveUrl: (u) => u.replace(/^http:\/\/test\.pki\.gov\.kz/, `${base}/nuc-test`) },
    ...(o.dataDir ? { dataDir: o.dataDir } : {}),
  });

async function certLogin(tc: TestCloud, key: TestKey) {
  const ch = await tc.client.ok('authChallenge');
  return tc.client.call('authCert', { body: { cms: cmsB64(key, ch.nonce), device: { id: `dev-rev-${key}`, name: 'revocation test' } } });
}

it('a revoked signer is refused and a good one accepted by the CRL the certificate names; a restart reuses the kept CRL without the network', async () => {
  mode = 'serve';
  let tc = await start({ dataDir });
  try {
    expect(await certLogin(tc, 'head_revoked')).toMatchObject({ ok: false, status: 422, error: { code: 'CERT_REVOKED' } });
    expect(await certLogin(tc, 'head')).toMatchObject({ ok: true, data: { user: { iin: '123456789011' } } });
    expect(await certLogin(tc, 'employee_signright')).toMatchObject({ ok: true });
    // Fetched once for all three (kept, and parsed once), and kept with its period.
    expect(hits.get('/nuc-test/crl/nca_gost2022_test.crl')).toBe(1);
    const kept = await tc.server.services.db.selectFrom('revocation_cache').select(['key', 'kind', 'this_update', 'next_update']).execute();
    expect(kept).toEqual([{ key: CRL_URL, kind: 'crl', this_update: new Date('2026-08-11T03:49:19Z'), next_update: new Date('2027-02-07T03:49:19Z') }]);
  } finally {
    await tc.close();
  }

  // НУЦ's host is down now; a restarted server on the same storage judges with what it kept.
  mode = 'down';
  const before = hits.get('/nuc-test/crl/nca_gost2022_test.crl');
  tc = await start({ dataDir });
  try {
    expect(await certLogin(tc, 'head_revoked')).toMatchObject({ ok: false, error: { code: 'CERT_REVOKED' } });
    expect(await certLogin(tc, 'head')).toMatchObject({ ok: true });
    expect(hits.get('/nuc-test/crl/nca_gost2022_test.crl')).toBe(before);
  } finally {
    await tc.close();
  }
}, 120_000);

it('a CRL host that never answers: the request waits at most the fetch timeout, revocation unknown refuses the signature, other requests are not held', async () => {
  mode = 'hang';
  const tc = await start({ timeoutMs: 1_500 });
  try {
    const t0 = Date.now();
    const login = certLogin(tc, 'head');
    // Meanwhile the server answers others at once.
    await new Promise((r) => setTimeout(r, 200));
    const h0 = Date.now();
    expect((await tc.client.ok('health')).status).toBe('ok');
    expect(Date.now() - h0).toBeLessThan(500);
    const refused = await login;
    const waited = Date.now() - t0;
    expect(refused).toMatchObject({ ok: false, status: 503, error: { code: 'CERT_REVOCATION_UNKNOWN' } });
    // The CRL, its delta and the OCSP fallback each wait at most the timeout (CRLs at once, then OCSP).
    expect(waited).toBeGreaterThanOrEqual(1_400);
    expect(waited).toBeLessThan(8_000);
    expect(await tc.server.services.db.selectFrom('revocation_cache').select('key').execute()).toEqual([]);
  } finally {
    await tc.close();
  }
}, 60_000);
