// CRLs fetched while online are kept in the encrypted profile and used to judge signatures offline; the verdict says
// where the revocation data came from and how fresh it was. The CRL's URL (test.pki.gov.kz) is served by a loopback
// mirror, as a deployment behind a mirror would have it.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CRL_FILES } from '../../../native-bridge/pki';
import { DEMO, HEAD_P12, P12_PASSWORD, startTestCloud, startTestCore, tempDir, type TestCloud } from '../../../bench/core-kit';
import { MemoryKeyVault } from '../store/key-vault';

let cloud: TestCloud;
let mirror: Server;
let mirrorUrl = '';
let hits = 0;

beforeAll(async () => {
  cloud = await startTestCloud({ acts: 60 });
  const crl = readFileSync(TEST_CRL_FILES[0]);
  mirror = createServer((req, res) => {
    hits++;
    if (req.url === '/crl/nca_gost2022_test.crl') res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(crl);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as { port: number }).port}`;
}, 120_000);
afterAll(async () => {
  mirror?.close();
  await cloud?.close();
});

describe('revocation data kept for offline checks', () => {
  it('is fetched while online, used from the cache offline, and a verdict past its nextUpdate says it is stale', async () => {
    const root = tempDir();
    const vault = new MemoryKeyVault();
    const crlMirror = (url: string) => url.replace('http://test.pki.gov.kz', mirrorUrl);
    const a = startTestCore({ root: root.dir, vault, cloudUrl: cloud.url, testCrlAtHand: false, crlMirror });
    let cms = '';
    let data = '';
    try {
      await a.api.invoke('session.signInWithPassword', { iin: DEMO.head, password: DEMO.password });
      await a.api.invoke('sync.now', { wait: true });
      const rows = (await a.api.invoke('documents.list', { filter: { kinds: ['act'], direction: 'incoming', awaitingSignature: true }, limit: 2 })).items;
      // online: the CRL the certificate names is fetched (through the mirror) and kept
      const online = await a.api.invoke('documents.sign', { items: [{ kind: 'act', id: rows[0].id }], via: 'p12', p12Path: HEAD_P12, password: P12_PASSWORD });
      expect(online.results[0].ok).toBe(true);
      expect(hits).toBeGreaterThan(0);
      const p = a.core.require();
      expect(a.core.revocationCache(p).crls().map((c) => c.key)).toContain('http://test.pki.gov.kz/crl/nca_gost2022_test.crl');

      // offline: no cloud, no mirror — the kept CRL judges the signature
      await cloud.stop();
      mirror.close();
      await a.api.invoke('sync.now', { wait: true });
      const before = hits;
      const offline = await a.api.invoke('documents.sign', { items: [{ kind: 'act', id: rows[1].id }], via: 'p12', p12Path: HEAD_P12, password: P12_PASSWORD });
      expect(offline.results[0].ok).toBe(true);
      expect(offline.warnings.map((w) => w.code)).not.toContain('REVOCATION_DATA_STALE');
      expect(hits).toBe(before);
      const sig = p.store.r.prepare('SELECT cms FROM local_signatures WHERE id = ?').get(rows[1].id) as { cms: Buffer };
      const doc = p.store.r.prepare(`SELECT data FROM document_bodies WHERE doc = (SELECT rowid FROM documents WHERE id = ?)`).get(rows[1].id) as { data: string };
      cms = sig.cms.toString('base64');
      data = (JSON.parse(doc.data) as { canonical: { base64: string } }).canonical.base64;
      const v = await a.api.invoke('verify.file', { fileName: 'act.cms', contentBase64: cms, dataBase64: data });
      expect(v.status).toBe('valid');
      expect(v.signers[0].revocation).toMatchObject({ status: 'good', origin: 'cache' });
      expect(v.revocationData.crls).toHaveLength(1);
      expect(v.revocationData.crls[0].fresh).toBe(true);
      expect(v.revocationData.notice).toBeNull();
    } finally {
      await a.core.close();
    }
    // the same profile three weeks after the CRL's nextUpdate (7 Feb 2027), still offline
    const later = startTestCore({ root: root.dir, vault, cloudUrl: cloud.url, testCrlAtHand: false, crlMirror, now: () => new Date('2027-03-01T10:00:00+05:00') });
    try {
      await later.core.start();
      const v = await later.api.invoke('verify.file', { fileName: 'act.cms', contentBase64: cms, dataBase64: data });
      expect(v.revocationData.crls[0].fresh).toBe(false);
      expect(v.revocationData.notice?.code).toBe('REVOCATION_DATA_STALE');
      expect(v.signers[0].revocation.nextUpdate).toMatch(/^2027-02-07/);
    } finally {
      await later.close();
      root.remove();
      await cloud.restart();
    }
  });
});
