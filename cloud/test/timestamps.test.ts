// Issue 10 (cloud side): a signature made offline carries only the device's claimed time. The server obtains a
// timestamp from its TSA (RFC 3161 over HTTP; the demo's own test TSA), keeps and returns the CAdES-T form, and the
// act's history shows both times. A TSA that does not answer loses nothing: the signature stays pending and is
// stamped once the TSA is back.
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as pki from '../../native-bridge/pki';
import { TEST_TSA_PATH } from '../../contract/cloud';
import { startCloud } from '../src/server';
import { TEST_CRL } from '../src/signatures';
import { encodeTimeStampRequest, newNonce, parseTimeStampResponse } from '../src/timestamps/rfc3161';
import { Client, DEMO, eachBackend, startTestCloud, type TestCloud } from './harness';
import { b64bytes, testKey } from './keys';

const TEST_TRUST = pki.loadTrustStore('test', { osStore: false });
const HOURS = 3600_000;

/** A CMS over the act's canonical bytes with the device's own claimed signing time (no timestamp). */
function offlineCms(canonicalB64: string, claimed: Date): string {
  const k = testKey('head');
  return Buffer.from(pki.createCms({ data: b64bytes(canonicalB64), key: k.key, certificate: k.certificate, detached: true, signingTime: claimed })).toString('base64');
}

async function awaitingAct(c: Client, token: string) {
  const acts = (await c.ok('actsList', { token, query: { direction: 'incoming', limit: 1000 } })).items;
  const a = acts.find((x) => ['sent', 'delivered', 'viewed', 'signed_by_them'].includes(x.state));
  if (!a) throw new Error('no incoming act awaits a signature');
  return a;
}

/** The TSA trust a client adds in a demo: the certificates the server publishes. */
async function demoTsaTrust(c: Client) {
  const auth = await c.ok('timestampAuthority', {});
  const certs = auth.certificates.map((b) => pki.parseCertificate(b64bytes(b)));
  return { auth, tsaTrust: { ...pki.timestampTrust(TEST_TRUST), anchors: [...pki.timestampTrust(TEST_TRUST).anchors, ...certs] } };
}

eachBackend('signature timestamps (CAdES-T)', (backend) => {
  let tc: TestCloud;
  let head: string;
  const c = () => tc.client;
  beforeAll(async () => {
    tc = await startTestCloud(backend, { seed: { kind: 'demo', counterparties: 6, acts: 40 } });
    head = (await c().login(DEMO.head)).accessToken;
  });
  afterAll(async () => tc?.close());

  it('an act signed offline is stamped by the server’s TSA: the feed returns the CAdES-T, the history shows the claimed time and the timestamp', async () => {
    const act = await awaitingAct(c(), head);
    const claimed = new Date(Date.now() - 3 * HOURS); // signed on a plane three hours ago
    const signed = await c().ok('actSign', { token: head, params: { id: act.id }, body: { cms: offlineCms(act.canonical.base64, claimed) } });
    const sig = signed.signatures.find((s) => s.side === 'ours')!;
    expect(sig.timestamp).toMatchObject({ status: 'stamped', source: 'server', tsa: 'kense demo TIME-STAMPING AUTHORITY (test only)' });
    expect(Date.parse(sig.claimedAt!)).toBe(Math.floor(claimed.getTime() / 1000) * 1000);
    const stampedAt = Date.parse(sig.timestamp!.at!);
    expect(stampedAt).toBeGreaterThan(claimed.getTime() + 2 * HOURS);
    // The CAdES-T: the token over this signature, from a TSA a demo client trusts with the published certificates.
    const { auth, tsaTrust } = await demoTsaTrust(c());
    expect(auth).toMatchObject({ mode: 'builtin', url: `${tc.url}${TEST_TSA_PATH}`, retrySeconds: 30 });
    const verdict = await pki.verifyCms(b64bytes(sig.cms!), { trust: TEST_TRUST, data: b64bytes(act.canonical.base64), revocation: 'none', tsaTrust });
    expect(verdict.signers[0]).toMatchObject({ valid: true, validationTimeSource: 'timestamp', timestamp: { status: 'valid', tsa: 'kense demo TIME-STAMPING AUTHORITY (test only)' } });
    expect(verdict.signers[0].timestamp!.time!.getTime()).toBe(stampedAt);
    expect(pki.parseCms(b64bytes(sig.cms!)).signerInfos[0].unsignedAttrs.map((a) => a.oid)).toContain(pki.ESS.signatureTimeStampToken);
    // History: signed (server time, claimed time, timestamp) and timestamped.
    const events = signed.history.map((h) => h.event);
    expect(events[0]).toBe('created');
    const mine = signed.history.find((h) => h.event === 'signed' && h.side === 'ours')!;
    expect(mine).toMatchObject({ by: sig.signerName, claimedAt: sig.claimedAt, timestampAt: sig.timestamp!.at });
    expect(signed.history.find((h) => h.event === 'timestamped')).toMatchObject({ at: sig.timestamp!.at, by: sig.timestamp!.tsa });
    // The feed carries the same.
    const fed = (await c().pullAll(head)).state.get(`act:${act.id}`)!.data as { signatures: typeof signed.signatures; history: typeof signed.history };
    expect(fed.signatures.find((s) => s.side === 'ours')).toEqual(sig);
    expect(fed.history).toEqual(signed.history);
  });

  it('a CMS that comes with a timestamp of its own (NCALayer with a TSA) is kept as it came; the test TSA speaks RFC 3161 at /v1/tsa', async () => {
    const act = await awaitingAct(c(), head);
    const cms = b64bytes(offlineCms(act.canonical.base64, new Date(Date.now() - HOURS)));
    const signer = pki.parseCms(cms).signerInfos[0];
    const hashOid = signer.digestAlgorithm.oid;
    const nonce = newNonce();
    const res = await fetch(`${tc.url}${TEST_TSA_PATH}`, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: new Uint8Array(encodeTimeStampRequest({ hashOid, hash: pki.digestBytes(hashOid, signer.signature), nonce })) });
    expect(res.headers.get('content-type')).toBe('application/timestamp-reply');
    const answer = parseTimeStampResponse(new Uint8Array(await res.arrayBuffer()));
    expect(answer.status).toBe(0);
    const stamped = pki.addTimestampToken(cms, answer.token!);
    const signed = await c().ok('actSign', { token: head, params: { id: act.id }, body: { cms: Buffer.from(stamped).toString('base64') } });
    const sig = signed.signatures.find((s) => s.side === 'ours')!;
    expect(sig.timestamp).toMatchObject({ status: 'stamped', source: 'signer' });
    expect(sig.cms).toBe(Buffer.from(stamped).toString('base64'));
    const garbage = await fetch(`${tc.url}${TEST_TSA_PATH}`, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: 'not a request' });
    expect(parseTimeStampResponse(new Uint8Array(await garbage.arrayBuffer()))).toMatchObject({ status: 2, token: null });
  });
});

/** A free port now, for a TSA that starts later. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

it('a TSA that does not answer loses nothing: the signature is kept pending (and so shown), then stamped when the TSA is back', async () => {
  const port = await freePort();
  const tsaDir = mkdtempSync(path.join(os.tmpdir(), 'kense-tsa-'));
  const tsaServer = (data?: string) => startCloud({ port, trust: 'test', tickIntervalSec: 0, ...(data ? { dataDir: data } : {}), tsa: { mode: 'builtin', timeoutMs: 5000, retrySec: 30 } });
  // The TSA A will ask: another server's test TSA over HTTP (its keys kept in its folder). It is down when A signs.
  let b = await tsaServer(tsaDir);
  const tsaRoot = b64bytes((await b.services.timestamps.authority()).certificates[1]);
  await b.close();
  const a = await startCloud({
    port: 0, trust: 'test', crlFiles: [TEST_CRL], tickIntervalSec: 0, seed: { kind: 'demo', counterparties: 4, acts: 30 }, rateLimit: { perIpPerMinute: 10_000, perIinPerMinute: 1000 },
    tsa: { mode: 'rfc3161', url: `http://127.0.0.1:${port}${TEST_TSA_PATH}`, timeoutMs: 2000, retrySec: 30, roots: [tsaRoot] },
  });
  let other: Awaited<ReturnType<typeof startCloud>> | undefined;
  try {
    const c = new Client(a.url);
    const token = (await c.login(DEMO.head)).accessToken;
    expect(await c.ok('timestampAuthority', {})).toMatchObject({ mode: 'rfc3161', url: `http://127.0.0.1:${port}${TEST_TSA_PATH}`, certificates: [] });
    const act = await awaitingAct(c, token);
    const signed = await c.ok('actSign', { token, params: { id: act.id }, body: { cms: offlineCms(act.canonical.base64, new Date(Date.now() - HOURS)) } });
    expect(signed.state).toMatch(/^signed/);
    expect(signed.signatures.find((s) => s.side === 'ours')!.timestamp).toEqual({ status: 'pending', at: null, tsa: null, source: 'server' });
    const row = () => a.services.db.selectFrom('signatures').select(['timestamp_attempts', 'timestamp_error', 'timestamp_next_at']).where('doc_id', '=', act.id).where('side', '=', 'ours').executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ timestamp_attempts: 1, timestamp_error: expect.stringMatching(/fetch failed|ECONNREFUSED|connect/i) });
    // Not yet due: nothing is tried.
    expect(await a.services.timestamps.stampPending()).toEqual({ stamped: 0, failed: 0 });
    // A TSA answers at that address, but not the one A trusts: its token is refused, the signature stays pending.
    other = await tsaServer();
    a.services.clock.advance(31_000);
    expect(await a.services.timestamps.stampPending()).toEqual({ stamped: 0, failed: 1 });
    expect(await row()).toMatchObject({ timestamp_attempts: 2, timestamp_error: expect.stringMatching(/does not verify/) });
    await other.close();
    other = undefined;
    // The TSA is back: the retry (pauses double: 60 s now) stamps it; the feed shows the CAdES-T.
    b = await tsaServer(tsaDir);
    try {
      a.services.clock.advance(61_000);
      expect(await a.services.timestamps.stampPending()).toEqual({ stamped: 1, failed: 0 });
    } finally {
      await b.close();
    }
    const after = (await c.pullAll(token)).state.get(`act:${act.id}`)!.data as { signatures: { side: string; timestamp: { status: string; at: string; tsa: string } | null; cms: string }[]; history: { event: string }[] };
    const sig = after.signatures.find((s) => s.side === 'ours')!;
    expect(sig.timestamp).toMatchObject({ status: 'stamped', tsa: 'kense demo TIME-STAMPING AUTHORITY (test only)' });
    expect(after.history.map((h) => h.event)).toContain('timestamped');
    const tsaTrust = { ...pki.timestampTrust(TEST_TRUST), anchors: [...pki.timestampTrust(TEST_TRUST).anchors, pki.parseCertificate(tsaRoot)] };
    const v = await pki.verifyCms(b64bytes(sig.cms), { trust: TEST_TRUST, data: b64bytes(act.canonical.base64), revocation: 'none', tsaTrust });
    expect(v.signers[0].timestamp).toMatchObject({ status: 'valid' });
  } finally {
    await other?.close();
    await a.close();
    rmSync(tsaDir, { recursive: true, force: true });
  }
}, 120_000);
