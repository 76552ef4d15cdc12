// `--seed bench:N` (documents for the benchmark, topped up on a later start) and the `kense cloud` command's
// usage answers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../../cli/main';
import { startCloud, type CloudServer } from '../src/server';
import { Client } from './harness';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-bench-seed-'));
let server: CloudServer | undefined;
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('--seed bench:N makes N documents a first pull returns, and tops them up when N grows', async () => {
  server = await startCloud({ dataDir: dir, port: 0, trust: 'test', seed: { kind: 'bench', documents: 60 } });
  expect(server.seed).toMatchObject({ created: true, documents: 60, company: { iinBin: '240140000011' } });
  const [user] = server.seed!.users;
  const c = new Client(server.url);
  const token = (await c.login(user.iin, user.password)).accessToken;
  const acts = [...(await c.pullAll(token, undefined, 25)).state.values()].filter((x) => x.entity === 'act');
  expect(acts).toHaveLength(60);
  await server.close();
  server = await startCloud({ dataDir: dir, port: 0, trust: 'test', seed: { kind: 'bench', documents: 80 } });
  expect(server.seed).toMatchObject({ created: true, documents: 80 });
  const c2 = new Client(server.url);
  const t2 = (await c2.login(user.iin, user.password)).accessToken;
  expect([...(await c2.pullAll(t2, undefined, 1000)).state.values()].filter((x) => x.entity === 'act')).toHaveLength(80);
}, 60_000);

it('a kept demo signs in with the printed password however old it is', async () => {
  const demoDir = mkdtempSync(path.join(os.tmpdir(), 'kense-demo-age-'));
  const opts = { dataDir: demoDir, port: 0, trust: 'test' as const, seed: { kind: 'demo' as const, counterparties: 4, acts: 10 } };
  let demo = await startCloud(opts);
  try {
    const long = new Date(demo.services.clock.now().getTime() - 400 * 86_400_000);
    await demo.services.db.updateTable('users').set({ password_changed_at: long }).execute();
    await demo.close();
    demo = await startCloud(opts);
    const head = demo.seed!.users.find((u) => u.role === 'first_manager')!;
    expect((await new Client(demo.url).login(head.iin, head.password)).passwordChangeRequired).toBe(false);
  } finally {
    await demo.close();
    rmSync(demoDir, { recursive: true, force: true });
  }
}, 60_000);

it('kense cloud answers usage mistakes with exit code 2 and the help', async () => {
  const run = async (...argv: string[]) => {
    let err = '';
    let out = '';
    const sink = (f: (s: string) => void) => new Writable({ write: (chunk, _e, cb) => (f(String(chunk)), cb()) });
    const code = await runCli(['cloud', ...argv], { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env: {} });
    return { code, out, err };
  };
  expect(await run()).toMatchObject({ code: 2, err: expect.stringContaining('a subcommand is needed') });
  expect(await run('launch')).toMatchObject({ code: 2, err: expect.stringContaining('unknown subcommand "launch"') });
  expect(await run('serve', '--port', '70000')).toMatchObject({ code: 2, err: expect.stringContaining('--port must be 0…65535') });
  expect(await run('serve', '--seed', 'bench:x')).toMatchObject({ code: 2, err: expect.stringContaining('--seed must be demo, demo:N (20…5 000 acts) or bench:N') });
  expect(await run('serve', '--seed', 'demo:5')).toMatchObject({ code: 2, err: expect.stringContaining('demo:N (20…5 000 acts)') });
  expect(await run('serve', '--trust', 'maybe')).toMatchObject({ code: 2, err: expect.stringContaining('--trust must be production or test') });
  expect(await run('serve', '--revocation', 'sometimes')).toMatchObject({ code: 2 });
  expect(await run('serve', '--bogus')).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--bogus'") });
  expect(await run('serve', '--help')).toMatchObject({ code: 0, out: expect.stringContaining('--new-epoch') });
  expect(await run('restore-epoch', '--help')).toMatchObject({ code: 0, out: expect.stringContaining('CURSOR_RESET') });
});

it('a port already taken is said plainly, not as an internal error', async () => {
  const taken = new URL(server!.url).port;
  await expect(startCloud({ port: Number(taken), trust: 'test' })).rejects.toMatchObject({ code: 'PORT_UNAVAILABLE', details: { reason: 'EADDRINUSE' } });
});
