// kense login / sync / status / acts as a user runs them (in-process, real cloud on an ephemeral port, a profile in a
// temp folder with the file key vault), online and with the cloud stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, HEAD_P12, P12_PASSWORD, startTestCloud, tempDir, type TestCloud } from '../../bench/core-kit';
import { runKense } from './cli-test-kit';

let cloud: TestCloud;
const profile = tempDir('kense-cli-');
const env = { PW: DEMO.password, KP: P12_PASSWORD };

beforeAll(async () => {
  cloud = await startTestCloud({ acts: 80 });
}, 120_000);
afterAll(async () => {
  await cloud?.close();
  profile.remove();
});

describe('kense login, sync, status, acts', () => {
  it('usage errors exit 2 and say what is wrong', async () => {
    expect((await runKense(['login', '--profile', profile.dir])).code).toBe(2);
    expect((await runKense(['login', '--profile', profile.dir, '--iin', '123', '--password-env', 'PW'], env)).stderr).toContain('--iin must be 12 digits');
    expect((await runKense(['acts', 'sign', '--profile', profile.dir, 'not-an-id', '--via', 'p12'])).code).toBe(2);
    expect((await runKense(['acts', 'refuse', '--profile', profile.dir, '00000000-0000-4000-8000-000000000000'])).stderr).toContain('--reason');
    const notYet = await runKense(['status', '--profile', profile.dir, '--json']);
    expect(notYet.code).toBe(1);
    expect(notYet.stderr).toContain('NOT_SIGNED_IN');
  });

  it('logs in, syncs, lists, shows, signs and refuses; offline signing is queued and sent by the next sync', async () => {
    const login = await runKense(['login', '--profile', profile.dir, '--cloud', cloud.url, '--iin', DEMO.head, '--password-env', 'PW'], env);
    expect(login.stderr).toBe('');
    expect(login.stdout).toMatch(/Signed in: ТЕСТОВ ТЕСТ \(first_manager\)/);
    expect(login.code).toBe(0);

    const sync = await runKense(['sync', '--profile', profile.dir]);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/^in sync, 0 pending, 0 conflicts, 0 rejected, last sync \S+\n$/);

    const status = JSON.parse((await runKense(['status', '--profile', profile.dir, '--json'])).stdout);
    expect(status).toMatchObject({ online: true, pendingMutations: 0, conflicts: 0, rejected: 0, stuck: null });
    expect(status.lastSyncAt).toMatch(/\+05:00$/);

    const list = JSON.parse((await runKense(['acts', 'list', '--profile', profile.dir, '--json', '--awaiting-signature'])).stdout) as { id: string; direction: string; amount: number; counterparty: string; state: string }[];
    expect(list.length).toBeGreaterThan(3);
    expect(Object.keys(list[0])).toEqual(expect.arrayContaining(['id', 'number', 'date', 'counterparty', 'amount', 'state']));
    const incoming = list.filter((a) => a.direction === 'incoming');

    const show = JSON.parse((await runKense(['acts', 'show', '--profile', profile.dir, incoming[0].id, '--json'])).stdout);
    expect(show.data.act.r1.form).toBe('Р-1');

    const signed = await runKense(['acts', 'sign', '--profile', profile.dir, incoming[0].id, '--via', 'p12', '--p12', HEAD_P12, '--password-env', 'KP'], env);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toContain('Sent to the kense cloud');

    await cloud.stop();
    const offline = await runKense(['acts', 'sign', '--profile', profile.dir, incoming[1].id, '--via', 'p12', '--p12', HEAD_P12, '--password-env', 'KP', '--json'], env);
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ sent: false, results: [{ ok: true, localState: 'signed_locally' }] });
    const stillOffline = await runKense(['sync', '--profile', profile.dir]);
    expect(stillOffline.code).toBe(1);
    expect(stillOffline.stdout).toMatch(/^offline, 1 pending/);
    expect(JSON.parse((await runKense(['status', '--profile', profile.dir, '--json'])).stdout)).toMatchObject({ online: false, pendingMutations: 1, state: 'offline' });

    await cloud.restart();
    expect((await runKense(['sync', '--profile', profile.dir])).code).toBe(0);
    const after = JSON.parse((await runKense(['acts', 'show', '--profile', profile.dir, incoming[1].id, '--json'])).stdout);
    expect(after.row.state).toMatch(/^signed_by_(us|both)$/);
    // made offline: the text shows when the cloud received it and the device's own time
    const shown = await runKense(['acts', 'show', '--profile', profile.dir, incoming[1].id]);
    expect(shown.stdout).toMatch(/signed by ТЕСТОВ ТЕСТ .* at \S+, on the device \S+/);

    const refused = await runKense(['acts', 'refuse', '--profile', profile.dir, incoming[2].id, '--reason', 'Не наш договор']);
    expect(refused.code).toBe(0);
    const r = JSON.parse((await runKense(['acts', 'show', '--profile', profile.dir, incoming[2].id, '--json'])).stdout);
    expect(r.row.state).toBe('refused');
  });
});
