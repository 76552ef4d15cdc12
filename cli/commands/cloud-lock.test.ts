// One server per PGlite folder (issue 9, item 1): two `kense cloud serve` started at the same instant on one
// folder — exactly one serves, the other refuses at once with STORAGE_IN_USE naming the holder, and the folder
// is intact; kill -9 of the server and an immediate restart works; record-payment and restore-epoch refuse a
// folder in use.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { HOLDER_FILE } from '../../cloud/src/db/storage-lock';
import { Client } from '../../cloud/test/harness';
import { serveProcess, type ServeProcess } from '../../cloud/test/serve-process';
import { runKense } from './cli-test-kit';

const dirs: string[] = [];
const running: ServeProcess[] = [];
afterAll(async () => {
  for (const p of running) p.kill();
  await Promise.all(running.map((p) => p.exited));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kense-lock-serve-'));
  dirs.push(d);
  return path.join(d, 'cloud');
};
const serve = (data: string, ...extra: string[]) => {
  const p = serveProcess(['--port', '0', '--data', data, ...extra]);
  running.push(p);
  return p;
};

/** Starts two servers on one folder at the same instant; exactly one must serve. */
async function race(data: string, ...extra: string[]) {
  const pair = [serve(data, ...extra), serve(data, ...extra)];
  const settled = await Promise.allSettled(pair.map((p) => p.ready));
  const served = pair.filter((_, i) => settled[i].status === 'fulfilled');
  expect(served, pair.map((p) => p.out()).join('\n----\n')).toHaveLength(1);
  const winner = served[0];
  const loser = pair.find((p) => p !== winner)!;
  expect(await loser.exited).toBe(1);
  expect(loser.out()).toContain('error STORAGE_IN_USE');
  expect(loser.out()).not.toMatch(/URL:/);
  return { winner, loser, url: (settled[pair.indexOf(winner)] as PromiseFulfilledResult<{ url: string; users: { iin: string; password: string; role: string }[] }>).value };
}

it('two servers started at the same instant on one folder, five times: exactly one serves, the other names it; the folder stays intact', async () => {
  for (let i = 0; i < 5; i++) {
    const data = tmp();
    const { winner, loser } = await race(data);
    expect(loser.out()).toMatch(new RegExp(`holderPid: ${winner.pid}|holder: another process`));
    expect(await winner.stop()).toBe(0);
    expect(existsSync(path.join(data, HOLDER_FILE))).toBe(false);
    // Intact: a restart opens the folder and serves.
    const again = serve(data);
    await again.ready;
    expect(await again.stop()).toBe(0);
  }
}, 240_000);

it('with the demo: the winner keeps every act written through it; kill -9 and an immediate restart serve them all; other commands refuse the folder in use', async () => {
  const data = tmp();
  const { winner, url } = await race(data, '--seed', 'demo');
  const head = url.users.find((u) => u.role === 'first_manager')!;
  const c = new Client(url.url);
  const token = (await c.login(head.iin, head.password)).accessToken;
  const cp = (await c.ok('counterpartiesList', { token, query: { limit: 1 } })).items[0];
  const made: string[] = [];
  for (let i = 0; i < 20; i++) {
    const a = await c.ok('actCreate', {
      token,
      body: { counterpartyId: cp.id, number: `LOCK-${i}-${randomUUID().slice(0, 6)}`, date: '2026-03-02', lines: [{ name: `Работа ${i}`, performedOn: '2026-03-02', unit: 'усл.', quantity: '1', price: 1000 + i }], handedOver: { position: 'Директор', name: 'Тестов Т.' } },
    });
    made.push(`${a.id} ${a.number} ${a.amountWithVat}`);
  }

  const busy = await runKense(['cloud', 'record-payment', '--invoice', randomUUID(), '--reference', 'PP-1', '--data', data]);
  expect(busy).toMatchObject({ code: 1, stderr: expect.stringContaining('STORAGE_IN_USE') });
  expect(busy.stderr).toContain(`holderPid: ${winner.pid}`);
  expect(busy.stderr).toContain('holderCommand: kense cloud serve');
  expect(busy.stderr).toContain('/v1/operator/payments');
  expect(await runKense(['cloud', 'restore-epoch', '--data', data])).toMatchObject({ code: 1, stderr: expect.stringContaining(`holderPid: ${winner.pid}`) });

  // kill -9, and the restart starts before anyone has reaped the dead process.
  winner.kill();
  const restarted = serve(data, '--seed', 'demo');
  const r = await restarted.ready;
  expect(restarted.out()).toMatch(/already there/);
  const c2 = new Client(r.url);
  const t2 = (await c2.login(head.iin, head.password)).accessToken;
  const acts = new Map<string, string>();
  for (let after: string | undefined; ;) {
    const page = await c2.ok('actsList', { token: t2, query: { limit: 1000, direction: 'outgoing', after } });
    for (const a of page.items) acts.set(a.id, `${a.id} ${a.number} ${a.amountWithVat}`);
    if (!page.nextAfter) break;
    after = page.nextAfter;
  }
  for (const m of made) expect(acts.get(m.split(' ')[0])).toBe(m);
  expect(await restarted.stop()).toBe(0);
}, 240_000);
