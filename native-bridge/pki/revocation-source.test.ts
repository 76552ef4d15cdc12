// The revocation fetcher against a real loopback HTTP server: the НУЦ test CRL (the test kit's
// certificates name test.pki.gov.kz, mapped to the loopback server by resolveUrl), a stale CRL, a
// broken one, none at all; refresh before nextUpdate, the last good copy kept when a fetch fails,
// redirects, size and time limits, OCSP with a nonce, and the file store.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCms } from './cms';
import { verifyCms } from './cms-verify';
import { issueCrl, issueOcspResponse, testHierarchy, type Issued } from './ca-test-kit';
import { TAG, bytesEqual, expectTag, oid, parseAsn1, stringBytes } from './der';
import { OCSP } from './oids';
import { FileRevocationStore, MemoryRevocationStore } from './revocation-store';
import { RevocationSource, fetchBytes, refreshDue, DEFAULT_FETCH_LIMITS } from './revocation-source';
import { validateSignerPath } from './signer-path';
import { TEST_MATERIAL_TIME, readTest, testCert, testP12 } from './test-kit';
import { loadTrustStore } from './trust';
import type { TrustStore } from './types';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const p = (req.url ?? '').split('?')[0];
      hits.set(p, (hits.get(p) ?? 0) + 1);
      const h = routes.get(p);
      if (h) h(req, res, Buffer.concat(chunks));
      else res.writeHead(404).end('not here');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const serve = (p: string, bytes: Uint8Array | string, type = 'application/pkix-crl') =>
  routes.set(p, (_req, res) => res.writeHead(200, { 'content-type': type }).end(Buffer.from(typeof bytes === 'string' ? bytes : bytes)));
const hitsOf = (p: string) => hits.get(p) ?? 0;

/** НУЦ's test hosts, served by the loopback server (the fetcher asks only for what certificates name). */
const mirror = (url: string) => url.replace(/^http:\/\/test\.pki\.gov\.kz/, `${base}/nuc-test`);

const TEST = loadTrustStore('test');
const TEST_CRL = readTest('gost2022-test/ca/nca_gost2022_test.crl');
const NOW = TEST_MATERIAL_TIME;

describe('the НУЦ test kit through a mirror of test.pki.gov.kz', () => {
  it('fetches the CRL the certificate names, keeps it, and answers from the store until it is due', async () => {
    serve('/nuc-test/crl/nca_gost2022_test.crl', TEST_CRL);
    const store = new MemoryRevocationStore();
    let now = NOW;
    const source = new RevocationSource({ store, resolveUrl: mirror, now: () => now, ocsp: 'never' });
    const head = testCert('gost2022-test/legal/valid/head.pem');
    const ca = TEST.intermediates[0];
    const first = await source.evidenceFor(head, ca, { mode: 'crl' });
    expect(first.crls).toHaveLength(1);
    expect(first.crls[0].from).toMatchObject({ origin: 'network', url: 'http://test.pki.gov.kz/crl/nca_gost2022_test.crl', fetchedAt: NOW });
    // The delta CRL (freshestCRL) is named too; the mirror has none: said, not fatal.
    expect(first.notes).toEqual([expect.stringMatching(/^CRL http:\/\/test\.pki\.gov\.kz\/crl\/nca_gost2022_d_test\.crl could not be fetched \(HTTP 404\)$/)]);
    expect(hitsOf('/nuc-test/crl/nca_gost2022_test.crl')).toBe(1);
    expect(await store.get('http://test.pki.gov.kz/crl/nca_gost2022_test.crl')).toMatchObject({ kind: 'crl', thisUpdate: new Date('2026-08-11T03:49:19Z'), nextUpdate: new Date('2027-02-07T03:49:19Z') });

    now = new Date('2027-01-15T00:00:00Z');
    const second = await new RevocationSource({ store, resolveUrl: mirror, now: () => now, ocsp: 'never' }).evidenceFor(head, ca, { mode: 'crl' });
    expect(second.crls[0].from).toMatchObject({ origin: 'cache', fetchedAt: NOW });
    expect(hitsOf('/nuc-test/crl/nca_gost2022_test.crl')).toBe(1);
    // Within an hour of nextUpdate (a tenth of the period, at most an hour) it is fetched again.
    expect(refreshDue({ fetchedAt: NOW, thisUpdate: new Date('2026-08-11T03:49:19Z'), nextUpdate: new Date('2027-02-07T03:49:19Z') })).toEqual(new Date('2027-02-07T02:49:19Z'));
    now = new Date('2027-02-07T03:00:00Z');
    await new RevocationSource({ store, resolveUrl: mirror, now: () => now, ocsp: 'never' }).evidenceFor(head, ca, { mode: 'crl' });
    expect(hitsOf('/nuc-test/crl/nca_gost2022_test.crl')).toBe(2);
  });

  it('verifyCms with the source: a revoked test key → CERT_REVOKED, a good one → good, saying where the CRL came from', async () => {
    serve('/nuc-test/crl/nca_gost2022_test.crl', TEST_CRL);
    const source = new RevocationSource({ store: new MemoryRevocationStore(), resolveUrl: mirror, now: () => NOW, ocsp: 'never' });
    const ACT = new TextEncoder().encode('Акт № 9');
    for (const [file, status] of [['gost2022-test/legal/revoked/head.p12', 'revoked'], ['gost2022-test/legal/valid/head.p12', 'good']] as const) {
      const k = testP12(file);
      const v = await verifyCms(createCms({ data: ACT, key: k.key, certificate: k.certificate, signingTime: NOW }), { trust: TEST, at: NOW, revocation: 'crl', revocationSource: source });
      expect(v.signers[0].revocation).toMatchObject({ status, source: 'crl', origin: expect.stringMatching(/network|cache/), url: 'http://test.pki.gov.kz/crl/nca_gost2022_test.crl', checkedAt: new Date('2026-08-11T03:49:19Z'), nextUpdate: new Date('2027-02-07T03:49:19Z') });
      expect(v.signers[0].reasons).toEqual(status === 'revoked' ? ['CERT_REVOKED'] : []);
    }
  });

  it('a CRL already at hand and current (the test kit\'s, a --crl file) means nothing is fetched', async () => {
    const before = hitsOf('/nuc-test/crl/nca_gost2022_test.crl');
    const source = new RevocationSource({ store: new MemoryRevocationStore(), resolveUrl: mirror, now: () => NOW });
    const ev = await source.evidenceFor(testCert('gost2022-test/legal/valid/head.pem'), TEST.intermediates[0], { mode: 'crl-or-ocsp', have: [{ evidence: TEST_CRL, from: { origin: 'shipped_test_crl' } }] });
    expect(ev).toEqual({ crls: [], ocspResponses: [], notes: [] });
    expect(hitsOf('/nuc-test/crl/nca_gost2022_test.crl')).toBe(before);
  });
});

/** A CA kit whose certificates name the loopback server (CDP, freshestCRL, OCSP). */
function kit(name: string) {
  const crlPath = `/${name}/ca.crl`;
  const ocspPath = `/${name}/ocsp`;
  const h = testHierarchy({ gost: true, leaf: { crlUrls: [`${base}${crlPath}`], ocspUrls: [`${base}${ocspPath}`] } });
  const trust: TrustStore = { name, anchors: [h.root.cert], intermediates: [h.ca.cert] };
  const crl = (thisUpdate: Date, nextUpdate: Date, revoked = false) =>
    issueCrl({ issuer: h.ca, thisUpdate, nextUpdate, entries: revoked ? [{ serial: Buffer.from(h.leaf.cert.serialNumber, 'hex'), revokedAt: new Date('2026-10-01T00:00:00Z'), reason: 1 }] : [] });
  return { ...h, trust, crlPath, ocspPath, crl };
}

const path0 = async (k: ReturnType<typeof kit>, source: RevocationSource, at = NOW) => validateSignerPath(k.leaf.cert, { trust: k.trust, at, revocation: 'crl', revocationSource: source });

describe('stale, broken, none — and the last good copy', () => {
  it('a stale CRL is fetched but proves nothing for now: REVOCATION_UNKNOWN with the reason', async () => {
    const k = kit('stale');
    serve(k.crlPath, k.crl(new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z')));
    const r = await path0(k, new RevocationSource({ store: new MemoryRevocationStore(), now: () => NOW, ocsp: 'never' }));
    expect(r.reasons).toEqual(['REVOCATION_UNKNOWN']);
    expect(r.problems.join('\n')).toMatch(/CRL of .* from 2026-01-01T00:00:00\.000Z is too old for 2026-11-25T12:00:00\.000Z/);
    // … while a signature judged at a time the stale CRL covers is decided by it.
    expect((await path0(k, new RevocationSource({ store: new MemoryRevocationStore(), now: () => NOW, ocsp: 'never' }), new Date('2026-01-15T00:00:00Z'))).revocation).toMatchObject({ status: 'good', origin: 'network' });
  });

  it('a broken CRL is refused (and not kept); the last good copy is used, with its age', async () => {
    const k = kit('broken');
    const store = new MemoryRevocationStore();
    let now = new Date('2026-11-01T00:00:00Z');
    serve(k.crlPath, k.crl(new Date('2026-10-31T00:00:00Z'), new Date('2026-11-07T00:00:00Z')));
    expect((await path0(k, new RevocationSource({ store, now: () => now, ocsp: 'never' }), now)).revocation).toMatchObject({ status: 'good', origin: 'network' });
    serve(k.crlPath, 'this is not a CRL');
    now = new Date('2026-11-06T23:30:00Z'); // refresh due (within the last hour before nextUpdate)
    const r = await path0(k, new RevocationSource({ store, now: () => now, ocsp: 'never' }), now);
    expect(r.revocation).toMatchObject({ status: 'good', origin: 'cache', fetchedAt: new Date('2026-11-01T00:00:00Z') });
    expect(r.problems).toContain(`CRL ${base}${k.crlPath} could not be refreshed (unusable answer: CertificateList must be a DER SEQUENCE); using the copy fetched 6 days ago (issued 2026-10-31T00:00:00.000Z, next update 2026-11-07T00:00:00.000Z)`);
    expect((await store.get(`${base}${k.crlPath}`))?.fetchedAt).toEqual(new Date('2026-11-01T00:00:00Z'));
    // A CRL signed by someone else is refused the same way.
    const other = testHierarchy({ gost: true });
    serve(k.crlPath, issueCrl({ issuer: other.ca, thisUpdate: now, nextUpdate: new Date('2026-12-01'), entries: [] }));
    const forged = await path0(k, new RevocationSource({ store, now: () => now, ocsp: 'never' }), now);
    expect(forged.problems.join('\n')).toMatch(/could not be refreshed \(unusable answer: not a CRL of/);
  });

  it('none: a 404 or a refused connection without a kept copy → REVOCATION_UNKNOWN saying so; a newer CRL replaces the kept one', async () => {
    const k = kit('none');
    const r = await path0(k, new RevocationSource({ store: new MemoryRevocationStore(), now: () => NOW, ocsp: 'never' }));
    expect(r.reasons).toEqual(['REVOCATION_UNKNOWN']);
    expect(r.problems).toContain(`CRL ${base}${k.crlPath} could not be fetched (HTTP 404)`);
    const refused = testHierarchy({ gost: true, leaf: { crlUrls: ['http://127.0.0.1:9/nothing.crl'] } });
    const rr = await validateSignerPath(refused.leaf.cert, { trust: { name: 'x', anchors: [refused.root.cert], intermediates: [refused.ca.cert] }, at: NOW, revocation: 'crl', revocationSource: new RevocationSource({ store: new MemoryRevocationStore(), now: () => NOW, ocsp: 'never' }) });
    expect(rr.problems).toContain('CRL http://127.0.0.1:9/nothing.crl could not be fetched (ECONNREFUSED)');
    // Revoked later: the next CRL says so.
    const store = new MemoryRevocationStore();
    serve(k.crlPath, k.crl(new Date('2026-11-20T00:00:00Z'), new Date('2026-11-21T00:00:00Z')));
    expect((await path0(k, new RevocationSource({ store, now: () => new Date('2026-11-20T01:00:00Z'), ocsp: 'never' }), new Date('2026-11-20T01:00:00Z'))).revocation.status).toBe('good');
    serve(k.crlPath, k.crl(new Date('2026-11-25T00:00:00Z'), new Date('2026-11-26T00:00:00Z'), true));
    expect((await path0(k, new RevocationSource({ store, now: () => NOW, ocsp: 'never' }))).reasons).toEqual(['CERT_REVOKED']);
  });

  it('offline: the store only, saying how old the copy is; nothing at all → unknown', async () => {
    const k = kit('offline');
    const store = new MemoryRevocationStore();
    serve(k.crlPath, k.crl(new Date('2026-11-24T00:00:00Z'), new Date('2026-11-25T06:00:00Z')));
    await path0(k, new RevocationSource({ store, now: () => new Date('2026-11-24T01:00:00Z'), ocsp: 'never' }), new Date('2026-11-24T01:00:00Z'));
    const before = hitsOf(k.crlPath);
    const r = await path0(k, new RevocationSource({ store, online: false, now: () => NOW, ocsp: 'never' }));
    expect(hitsOf(k.crlPath)).toBe(before);
    expect(r.problems).toContain(`offline: using the CRL ${base}${k.crlPath} fetched 35 h ago`);
    expect(r.reasons).toEqual(['REVOCATION_UNKNOWN']); // that copy ended at 06:00, before the time judged
    const none = await path0(kit('offline-empty'), new RevocationSource({ store: new MemoryRevocationStore(), online: false, now: () => NOW, ocsp: 'never' }));
    expect(none.reasons).toEqual(['REVOCATION_UNKNOWN']);
  });

  it('a certificate that does not chain to trust makes us fetch nothing', async () => {
    const k = kit('stranger');
    serve(k.crlPath, k.crl(NOW, new Date('2026-12-01')));
    const source = new RevocationSource({ store: new MemoryRevocationStore(), now: () => NOW });
    const stranger = await validateSignerPath(k.leaf.cert, { trust: TEST, at: NOW, revocation: 'crl', revocationSource: source });
    expect(stranger.problems).toContain('issuer unknown: revocation data cannot be checked');
    // Its issuer is known, but the path ends at no anchor: still nothing fetched.
    const halfway = await validateSignerPath(k.leaf.cert, { trust: { name: 'no root', anchors: TEST.anchors, intermediates: [k.ca.cert] }, at: NOW, revocation: 'crl', revocationSource: source });
    expect(halfway.reasons).toEqual(['UNTRUSTED_CHAIN', 'REVOCATION_UNKNOWN']);
    expect(halfway.problems).toContain('revocation data not fetched: the certificate does not chain to a trust anchor');
    expect(hitsOf(k.crlPath)).toBe(0);
  });

  it('an expired certificate: nothing is fetched (what is published since no longer lists it); a copy kept from before still speaks', async () => {
    const k = kit('expired');
    serve(k.crlPath, k.crl(new Date('2026-12-20T00:00:00Z'), new Date('2026-12-27T00:00:00Z')));
    const store = new MemoryRevocationStore();
    const later = new Date('2027-02-01T00:00:00Z'); // the leaf expired on 2027-01-01
    const judgedAt = new Date('2026-12-21T00:00:00Z');
    const none = await path0(k, new RevocationSource({ store, now: () => later, ocsp: 'never' }), judgedAt);
    expect(hitsOf(k.crlPath)).toBe(0);
    expect(none.reasons).toEqual(['REVOCATION_UNKNOWN']);
    expect(none.problems).toContain('revocation data not fetched: the certificate expired on 2027-01-01T00:00:00.000Z, and what is published since no longer lists it');
    await path0(k, new RevocationSource({ store, now: () => new Date('2026-12-21T00:00:00Z'), ocsp: 'never' }), judgedAt); // kept while it was valid
    const kept = await path0(k, new RevocationSource({ store, now: () => later, ocsp: 'never' }), judgedAt);
    expect(kept.revocation).toMatchObject({ status: 'good', origin: 'cache' });
    expect(hitsOf(k.crlPath)).toBe(1);
  });

  it('a batch from one CA shares one fetch', async () => {
    const k = kit('batch');
    serve(k.crlPath, k.crl(NOW, new Date('2026-12-01')));
    const source = new RevocationSource({ store: new MemoryRevocationStore(), now: () => NOW, ocsp: 'never' });
    const all = await Promise.all(Array.from({ length: 10 }, () => path0(k, source)));
    expect(all.every((r) => r.revocation.status === 'good')).toBe(true);
    expect(hitsOf(k.crlPath)).toBe(1);
  });
});

/** The nonce of an OCSPRequest: tbsRequest [2] requestExtensions → the nonce extension → OCTET STRING. */
function requestNonce(body: Buffer): Uint8Array | undefined {
  const tbs = parseAsn1(new Uint8Array(body)).children[0];
  const exts = tbs.children.find((c) => c.tag === 0xa2)?.children[0].children ?? [];
  const ext = exts.find((e) => bytesEqual(e.children[0].raw, oid(OCSP.nonce)));
  return ext && stringBytes(expectTag(parseAsn1(stringBytes(ext.children[ext.children.length - 1])), TAG.OCTET_STRING, 'nonce'));
}

describe('OCSP when no CRL is current', () => {
  const ocspFor = (k: ReturnType<typeof kit>, status: Parameters<typeof issueOcspResponse>[0]['status'], echo = true) =>
    routes.set(k.ocspPath, (req, res, body) => {
      expect(req.headers['content-type']).toBe('application/ocsp-request');
      const nonce = echo ? requestNonce(body) : undefined;
      res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(Buffer.from(issueOcspResponse({ cert: k.leaf.cert, issuer: k.ca as Issued, status, producedAt: NOW, thisUpdate: NOW, nextUpdate: new Date(NOW.getTime() + 86_400_000), nonce })));
    });

  it('asks the responder the certificate names, with a nonce; keeps the answer until it is due', async () => {
    const k = kit('ocsp');
    ocspFor(k, { status: 'revoked', revokedAt: new Date('2026-10-01T00:00:00Z'), reason: 1 });
    const store = new MemoryRevocationStore();
    const source = new RevocationSource({ store, now: () => NOW });
    const r = await validateSignerPath(k.leaf.cert, { trust: k.trust, at: NOW, revocation: 'crl-or-ocsp', revocationSource: source });
    expect(r.reasons).toEqual(['CERT_REVOKED']);
    expect(r.revocation).toMatchObject({ source: 'ocsp', origin: 'network', url: `${base}${k.ocspPath}` });
    await validateSignerPath(k.leaf.cert, { trust: k.trust, at: NOW, revocation: 'crl-or-ocsp', revocationSource: new RevocationSource({ store, now: () => NOW }) });
    expect(hitsOf(k.ocspPath)).toBe(1);
  });

  it('an answer without our nonce is refused', async () => {
    const k = kit('ocsp-nonce');
    ocspFor(k, { status: 'good' }, false);
    const r = await validateSignerPath(k.leaf.cert, { trust: k.trust, at: NOW, revocation: 'crl-or-ocsp', revocationSource: new RevocationSource({ store: new MemoryRevocationStore(), now: () => NOW }) });
    expect(r.reasons).toEqual(['REVOCATION_UNKNOWN']);
    expect(r.problems).toContain(`OCSP ${base}${k.ocspPath} could not be asked (nonce mismatch)`);
  });
});

describe('fetchBytes limits', () => {
  it('follows a redirect on the same scheme; refuses one to another scheme; a limit on size and on silence', async () => {
    serve('/target.crl', 'crl bytes');
    routes.set('/moved', (_q, res) => res.writeHead(302, { location: '/target.crl' }).end());
    routes.set('/to-https', (_q, res) => res.writeHead(301, { location: 'https://127.0.0.1/x.crl' }).end());
    routes.set('/to-file', (_q, res) => res.writeHead(301, { location: 'file:///etc/passwd' }).end());
    routes.set('/loop', (_q, res) => res.writeHead(302, { location: '/loop' }).end());
    routes.set('/big', (_q, res) => res.writeHead(200, { 'content-length': '4096' }).end(Buffer.alloc(4096)));
    routes.set('/big-chunked', (_q, res) => {
      res.writeHead(200);
      for (let i = 0; i < 8; i++) res.write(Buffer.alloc(512));
      res.end();
    });
    routes.set('/silent', () => undefined);
    expect(new TextDecoder().decode(await fetchBytes(`${base}/moved`))).toBe('crl bytes');
    await expect(fetchBytes(`${base}/to-https`)).rejects.toThrow('redirect from http: to https: refused');
    await expect(fetchBytes(`${base}/to-file`)).rejects.toThrow('redirect from http: to file: refused');
    await expect(fetchBytes(`${base}/loop`)).rejects.toThrow('more than 3 redirects');
    await expect(fetchBytes(`${base}/big`, { ...DEFAULT_FETCH_LIMITS, maxBytes: 1000 })).rejects.toThrow('4096 bytes announced, more than the limit of 1000');
    await expect(fetchBytes(`${base}/big-chunked`, { ...DEFAULT_FETCH_LIMITS, maxBytes: 1000 })).rejects.toThrow('more than the limit of 1000 bytes');
    await expect(fetchBytes(`${base}/silent`, { ...DEFAULT_FETCH_LIMITS, idleTimeoutMs: 200 })).rejects.toThrow('no data for 200 ms');
    await expect(fetchBytes('ldap://ldap.pki.gov.kz/cn=x')).rejects.toThrow('scheme ldap: is not fetched (http and https only)');
  });
});

describe('FileRevocationStore', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kense-rev-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the bytes and their period; a damaged data file reads as absent; one data file per key', async () => {
    const store = new FileRevocationStore(path.join(dir, 'revocation'));
    expect(await store.get('http://x/a.crl')).toBeUndefined();
    const entry = { key: 'http://x/a.crl', kind: 'crl' as const, bytes: TEST_CRL, fetchedAt: NOW, thisUpdate: new Date('2026-08-11T03:49:19Z'), nextUpdate: new Date('2027-02-07T03:49:19Z') };
    await store.put(entry);
    expect(await store.get('http://x/a.crl')).toEqual(entry);
    await store.put({ ...entry, bytes: Uint8Array.of(1, 2, 3), fetchedAt: new Date(NOW.getTime() + 1000) });
    expect(readdirSync(store.dir).filter((f) => f.endsWith('.der'))).toHaveLength(1);
    const data = readdirSync(store.dir).find((f) => f.endsWith('.der'))!;
    writeFileSync(path.join(store.dir, data), Uint8Array.of(9, 9, 9));
    expect(await store.get('http://x/a.crl')).toBeUndefined();
    expect(readFileSync(path.join(store.dir, readdirSync(store.dir).find((f) => f.endsWith('.json'))!), 'utf8')).toMatch(/"key": "http:\/\/x\/a\.crl"/);
  });

  it('a source over a file store survives a new process (a new source over the same folder)', async () => {
    const k = kit('file-store');
    serve(k.crlPath, k.crl(NOW, new Date('2026-12-01')));
    const folder = path.join(dir, 'shared');
    await path0(k, new RevocationSource({ store: new FileRevocationStore(folder), now: () => NOW, ocsp: 'never' }));
    const r = await path0(k, new RevocationSource({ store: new FileRevocationStore(folder), now: () => NOW, ocsp: 'never' }));
    expect(r.revocation).toMatchObject({ status: 'good', origin: 'cache' });
    expect(hitsOf(k.crlPath)).toBe(1);
  });
});
