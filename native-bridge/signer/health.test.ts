// `kense doctor` logic: findings from probe results (table-driven), and the probes against real things.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { TEST_KEYS_DIR, freePort, startTestEmulator, tempTlsIdentity } from '../ncalayer/test-kit';
import { usualKeyPlaces } from './key-files';
import type { EmulatorTlsIdentity } from './emulator-tls';
import { RELEASE_FLOOR, assessHealth, probeClock, probeKeyFiles, probeNcaLayer, type HealthProbes, type KeyFileProbe, type NcaLayerProbe } from './health';

const NOW = new Date('2026-11-25T12:00:00Z');
const DAY = 86_400_000;
const running: NcaLayerProbe = { url: 'wss://127.0.0.1:13579', status: 'running', version: '1.4', product: 'NCALayer', basics: true, activeTokens: [], tlsTrustedBy: 'ca' };
const key = (daysLeft: number, notBeforeDaysAgo = 300): KeyFileProbe => ({
  path: `/home/u/GOST512_${'a'.repeat(40)}.p12`,
  name: { kind: 'GOST512', ski: 'a'.repeat(40), purpose: 'signature' },
  certificate: {
    commonName: 'ТЕСТОВ ТЕСТ',
    serialNumber: '01',
    notBefore: new Date(NOW.getTime() - notBeforeDaysAgo * DAY),
    notAfter: new Date(NOW.getTime() + daysLeft * DAY + 3_600_000),
    keyAlgorithm: 'GOST2015_512',
    test: false,
  },
  certificateSource: 'beside',
});
const base = (o: Partial<HealthProbes> = {}): HealthProbes => ({
  ncalayer: running,
  keyFiles: [key(200)],
  scannedPlaces: ['/home/u'],
  clock: { local: NOW, reference: { source: 'pki.gov.kz', date: NOW } },
  ...o,
});
const sev = (p: HealthProbes, prefix: string) => assessHealth(p).findings.filter((f) => f.id.startsWith(prefix)).map((f) => f.severity);

describe('assessHealth', () => {
  it.each<[string, Partial<HealthProbes>, boolean, string, string[]]>([
    ['all fine', {}, true, 'ncalayer', ['ok']],
    ['NCALayer down, key files present → warning', { ncalayer: { url: 'x', status: 'refused' } }, true, 'ncalayer', ['warning']],
    ['NCALayer down, no key files → problem', { ncalayer: { url: 'x', status: 'refused' }, keyFiles: [] }, false, 'ncalayer', ['problem']],
    ['something else on the port', { ncalayer: { url: 'x', status: 'not_ncalayer' } }, false, 'ncalayer', ['problem']],
    ['TLS untrusted', { ncalayer: { url: 'x', status: 'tls_untrusted', fingerprint256: 'ab' } }, false, 'ncalayer', ['problem']],
    ['pin changed', { ncalayer: { url: 'x', status: 'tls_pin_changed' } }, false, 'ncalayer', ['problem']],
    ['outdated (no basics)', { ncalayer: { ...running, basics: false } }, true, 'ncalayer', ['ok', 'warning']],
    ['tokens present', { ncalayer: { ...running, activeTokens: ['AKKaztokenStore'] } }, true, 'ncalayer', ['ok', 'info']],
    ['key valid 200 days', {}, true, 'keys', ['ok']],
    ['key expires in 30 days', { keyFiles: [key(30)] }, true, 'keys', ['warning']],
    ['key expires in 14 days', { keyFiles: [key(14)] }, true, 'keys', ['warning']],
    ['key expires in 3 days', { keyFiles: [key(3)] }, false, 'keys', ['problem']],
    ['key expired', { keyFiles: [key(-2)] }, false, 'keys', ['problem']],
    ['key not yet valid', { keyFiles: [key(400, -5)] }, false, 'keys', ['problem']],
    ['expiry unknown (no certificate beside)', { keyFiles: [{ path: '/k/x.p12', name: {} }] }, true, 'keys', ['info']],
    ['no key files', { keyFiles: [] }, true, 'keys', ['info']],
    ['clock right', {}, true, 'clock', ['ok']],
    ['clock 10 minutes fast', { clock: { local: NOW, reference: { source: 's', date: new Date(NOW.getTime() - 600_000) } } }, false, 'clock', ['problem']],
    ['clock before the release', { clock: { local: new Date(RELEASE_FLOOR.getTime() - DAY) } }, false, 'clock', ['problem']],
    ['offline → cannot check, not an error', { clock: { local: NOW, unreachable: 'offline' } }, true, 'clock', ['info']],
    ['offline, clock before a certificate starts', { clock: { local: NOW, unreachable: 'offline' }, keyFiles: [key(400, -5)] }, false, 'clock', ['warning']],
  ])('%s', (_n, probes, healthy, prefix, severities) => {
    const p = base(probes);
    expect(sev(p, prefix)).toEqual(severities);
    expect(assessHealth(p).healthy).toBe(healthy);
  });

  it.each<[number, string, RegExp | undefined]>([
    [31, 'ok', undefined],
    [30, 'warning', /^Plan to reissue/],
    [15, 'warning', /^Plan to reissue/],
    [14, 'warning', /now: less than two weeks/],
    [4, 'warning', /now: less than two weeks/],
    [3, 'problem', /today/],
    [0, 'problem', /today/],
  ])('expiry steps at 30/14/3 days: %i days left → %s', (days, severity, fix) => {
    const [f] = assessHealth(base({ keyFiles: [key(days)] })).findings.filter((x) => x.id.startsWith('keys'));
    expect(f.severity).toBe(severity);
    if (fix) expect(f.fix?.en).toMatch(fix);
    else expect(f.fix).toBeUndefined();
  });

  it('a running NCALayer says whether basics is there and that no token is connected', () => {
    const [f] = assessHealth(base()).findings;
    expect(f.message.en).toMatch(/basics module is available; no hardware tokens are connected/);
  });

  it('every non-ok finding says what to do, in ru, kk and en', () => {
    const p = base({ ncalayer: { url: 'x', status: 'refused' }, keyFiles: [key(2)], clock: { local: NOW, reference: { source: 's', date: new Date(NOW.getTime() + 3_600_000) } } });
    for (const f of assessHealth(p).findings.filter((x) => x.severity === 'warning' || x.severity === 'problem')) {
      expect(f.fix?.ru && f.fix.kk && f.fix.en, f.id).toBeTruthy();
    }
  });
});

describe('probes', () => {
  let id: EmulatorTlsIdentity;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(() => {
    id = tempTlsIdentity();
  });
  afterAll(async () => {
    for (const c of closers) await c();
  });

  it('NCALayer: running emulator (version, basics, tokens), old emulator, refused port', async () => {
    const emu = await startTestEmulator(id, { version: '1.4' });
    closers.push(() => emu.close());
    expect(await probeNcaLayer({ url: emu.url, tls: { ca: [id.caPem] } })).toEqual({
      url: emu.url,
      status: 'running',
      version: '1.4',
      product: 'NCALayer',
      tlsTrustedBy: 'ca',
      basics: true,
      activeTokens: [],
    });
    const old = await startTestEmulator(id, { modules: { basics: false } });
    closers.push(() => old.close());
    expect((await probeNcaLayer({ url: old.url, tls: { ca: [id.caPem] } })).basics).toBe(false);
    expect((await probeNcaLayer({ url: emu.url })).status).toBe('tls_untrusted');
    expect((await probeNcaLayer({ url: `wss://127.0.0.1:${await freePort()}` })).status).toBe('refused');
  });

  it('usual places: home two levels down (keys unpacked into a folder of their own), Desktop/Documents/Downloads deeper', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'kense-home-'));
    mkdirSync(path.join(home, 'ЭЦП', '2026'), { recursive: true });
    copyFileSync(path.join(TEST_KEYS_DIR, 'head.p12'), path.join(home, 'ЭЦП', '2026', 'head.p12'));
    const places = await usualKeyPlaces({ HOME: home }, 'linux');
    expect(places[0]).toEqual({ path: home, depth: 2 });
    const { keyFiles } = await probeKeyFiles(places.filter((p) => p.path.startsWith(home)));
    expect(keyFiles.map((k) => k.path)).toEqual([path.join(home, 'ЭЦП', '2026', 'head.p12')]);
  });

  it('key files: found recursively, certificate read from the .pem beside, НУЦ names parsed', async () => {
    const { keyFiles } = await probeKeyFiles([{ path: path.resolve(import.meta.dirname, '../../resources/test-pki'), depth: 8 }]);
    expect(keyFiles.length).toBeGreaterThanOrEqual(20);
    const head = keyFiles.find((k) => k.path.endsWith('legal/valid/head.p12'));
    expect(head?.certificate?.commonName).toBe('ТЕСТОВ ТЕСТ');
    expect(head?.certificate?.test).toBe(true);
    const legacy = keyFiles.find((k) => k.path.includes('GOSTKNCA_13a3'));
    expect(legacy?.name).toEqual({ kind: 'GOSTKNCA', ski: '13a3741b52d7bf860aab199b56fad1f4652e357b', purpose: 'signature' });
    expect(legacy?.certificate).toBeUndefined();
  });

  it('clock: Date header of an HTTPS server; unreachable server → unreachable, not an error', async () => {
    const server = https.createServer({ key: id.keyPem, cert: id.certPem }, (_q, r) => {
      r.setHeader('date', 'Wed, 25 Nov 2026 12:00:00 GMT');
      r.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(() => r())));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const c = await probeClock({ url, ca: id.caPem });
    expect(c.reference?.date.toISOString()).toBe('2026-11-25T12:00:00.000Z');
    const off = await probeClock({ url: `https://127.0.0.1:${await freePort()}/`, timeoutMs: 500 });
    expect(off.reference).toBeUndefined();
    expect(off.unreachable).toBeTruthy();
  });
});
