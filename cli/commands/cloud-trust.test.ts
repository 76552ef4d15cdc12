// A cloud data folder remembers its trust mode: `kense cloud serve --seed demo`, stopped and started again without
// --seed (as anyone does after a reboot), still runs under test trust — the demo's test keys sign in — and says
// why in its banner; an explicit --trust production is obeyed, recorded and printed loudly, with a warning that the
// demo data cannot work under it; a new folder without a seed stays production.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Client } from '../../cloud/test/harness';
import { cmsB64 } from '../../cloud/test/keys';
import { serveProcess, type ServeProcess } from '../../cloud/test/serve-process';
import { runKense } from './cli-test-kit';

const root = mkdtempSync(path.join(os.tmpdir(), 'kense-cloud-trust-'));
const running: ServeProcess[] = [];
afterAll(async () => {
  for (const p of running) p.kill();
  await Promise.all(running.map((p) => p.exited));
  rmSync(root, { recursive: true, force: true });
});

/** Starts `kense cloud serve` on `data` with a fresh HOME, waits for it to serve, returns its banner and URL. */
async function start(data: string, ...extra: string[]) {
  const p = serveProcess(['--port', '0', '--data', data, ...extra], { env: { HOME: mkdtempSync(path.join(root, 'home-')) }, timeoutMs: 120_000 });
  running.push(p);
  const { url } = await p.ready;
  return { url, banner: p.out(), stop: () => p.stop() };
}

/** Signs in with the demo director's НУЦ test key (a CMS over the server's nonce). */
async function keyLogin(url: string) {
  const c = new Client(url);
  const ch = await c.ok('authChallenge');
  return c.call('authCert', { body: { cms: cmsB64('head', ch.nonce), device: { id: 'dev-trust-01', name: 'trust' } } });
}

it('a demo folder restarted without --seed keeps test trust; --trust production is obeyed, recorded and warned about', async () => {
  const data = path.join(root, 'demo');
  const seeded = await start(data, '--seed', 'demo:20');
  expect(seeded.banner).toMatch(/trust:\s+test — НУЦ РК TEST roots/);
  expect(seeded.banner).toContain('(--seed demo implies test; recorded in this folder: later starts without --trust use test)');
  expect(await seeded.stop()).toBe(0);

  const again = await start(data);
  expect(again.banner).toMatch(/trust:\s+test — /);
  expect(again.banner).toMatch(/\(recorded in this folder by --seed demo on \d{4}-\d\d-\d\d; --trust production changes it\)/);
  expect(again.banner).toMatch(/timestamps: built-in test TSA/);
  expect(again.banner).toContain('demo tenant: АО "ТЕСТ", БИН 123456789021 is in this folder');
  expect(again.banner).not.toMatch(/TRUST CHANGED|WARNING/);
  expect((await new Client(again.url).ok('health')).trust).toBe('test');
  const accepted = await keyLogin(again.url);
  expect(accepted.ok, JSON.stringify(accepted)).toBe(true);
  expect(await again.stop()).toBe(0);

  const production = await start(data, '--trust', 'production');
  expect(production.banner).toMatch(/trust:\s+production\n\s+\(given with --trust production\)/);
  expect(production.banner).toMatch(/!! TRUST CHANGED: this folder was recorded as test \(by --seed demo on [\d-]+\); --trust production makes it production: later starts without --trust use production/);
  expect(production.banner).toContain('!! WARNING: this folder holds the demo tenant АО "ТЕСТ"');
  expect(production.banner).toContain(`To run the demo: kense cloud serve --data ${data} --trust test`);
  const refused = await keyLogin(production.url);
  expect(refused.ok ? 'accepted' : refused.error.code).toBe('CERT_UNTRUSTED');
  expect(await production.stop()).toBe(0);

  // The record changed only because --trust named it; the same plain command line now keeps production.
  const plain = await start(data);
  expect(plain.banner).toMatch(/trust:\s+production\n\s+\(recorded in this folder by --trust production on [\d-]+; --trust test changes it\)/);
  expect(plain.banner).toContain('!! WARNING: this folder holds the demo tenant');
  expect(plain.banner).not.toContain('TRUST CHANGED');
  expect(await plain.stop()).toBe(0);
}, 300_000);

it('a new folder without a seed: production, as before, recorded as the default', async () => {
  const fresh = await start(path.join(root, 'fresh'));
  expect(fresh.banner).toMatch(/trust:\s+production\n\s+\(the default for a new folder, recorded in this folder; --trust test changes it\)/);
  expect(fresh.banner).toMatch(/timestamps: none/);
  expect(fresh.banner).not.toMatch(/WARNING|TRUST CHANGED|demo tenant/);
  expect((await new Client(fresh.url).ok('health')).trust).toBe('production');
  expect(await fresh.stop()).toBe(0);
}, 120_000);

it('kense cloud serve --help says the folder remembers its trust mode', async () => {
  const r = await runKense(['cloud', 'serve', '--help']);
  expect(r.code).toBe(0);
  expect(r.stdout.replace(/\s+/g, ' ')).toContain('The storage remembers its mode: a start without --trust uses the one recorded in it');
});
