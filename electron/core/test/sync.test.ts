// The sync engine's hard cases against the real cloud: a server restored from a backup (CURSOR_RESET), a session
// ended on the server (sign in again, outbox kept), a terminated account (wipe), a conflict and a rejection that
// stay visible until dismissed, and changes a pull brings under a pending local signature (rebase).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, HEAD_P12, P12_PASSWORD, duplicateSignatures, startTestCloud, startTestCore, type TestCloud, type TestCore } from '../../../bench/core-kit';
import type { DocumentRef } from '../../../contract/ipc';

let cloud: TestCloud;
const cores: TestCore[] = [];
const core = async (iin = DEMO.head, o: Parameters<typeof startTestCore>[0] = {}) => {
  const c = startTestCore({ cloudUrl: cloud.url, ...o });
  cores.push(c);
  await c.api.invoke('session.signInWithPassword', { iin, password: DEMO.password });
  await c.api.invoke('sync.now', { wait: true });
  return c;
};
const used = new Set<string>();
/** Incoming acts awaiting signature that no other test of this file took. */
const awaiting = async (c: TestCore, n: number): Promise<DocumentRef[]> => {
  const rows = (await c.api.invoke('documents.list', { filter: { kinds: ['act'], direction: 'incoming', awaitingSignature: true }, limit: 200 })).items.filter((r) => !used.has(r.id)).slice(0, n);
  expect(rows).toHaveLength(n);
  for (const r of rows) used.add(r.id);
  return rows.map((r) => ({ kind: r.kind, id: r.id }));
};
const sign = (c: TestCore, items: DocumentRef[]) => c.api.invoke('documents.sign', { items, via: 'p12', p12Path: HEAD_P12, password: P12_PASSWORD });

beforeAll(async () => {
  cloud = await startTestCloud({ acts: 120 });
}, 120_000);
afterAll(async () => {
  for (const c of cores) await c.close();
  await cloud?.close();
});

describe('sync engine', () => {
  it('CURSOR_RESET (server restored from a backup): the cache is rebuilt, the outbox kept and replayed', async () => {
    const a = await core();
    const items = await awaiting(a, 2);
    await cloud.stop();
    await sign(a, items);
    // Listen before the restart: core's reconnect probe may start the rebuild before sync.now is asked.
    const progress: string[] = [];
    const off = a.core.events.on('sync.progress', (p) => progress.push(p.phase));
    await cloud.restart({ newEpoch: true });
    const s = await a.api.invoke('sync.now', { wait: true });
    off();
    expect(progress).toContain('rebuild');
    expect(s.pendingMutations).toBe(0);
    expect(s.lastError).toBeNull();
    for (const it of items) expect((await a.api.invoke('documents.get', it)).row.state).toMatch(/^signed_by_(us|both)$/);
    expect(await duplicateSignatures(cloud)).toEqual([]);
  });

  it('the watchdog reports a queue that waits too long (stuck), with the last reason; it clears once sent', async () => {
    const a = await core(DEMO.head, { sync: { stuckAfterMs: 300 } });
    const items = await awaiting(a, 1);
    await cloud.stop();
    await sign(a, items);
    await new Promise((r) => setTimeout(r, 400));
    const s = await a.api.invoke('sync.now', { wait: true });
    expect(s.stuck?.attempts).toBeGreaterThan(0);
    expect(s.stuck?.lastError?.code).toBe('OFFLINE');
    const problems = (await a.api.invoke('sync.problems')).items;
    expect(problems.map((p) => [p.status, p.error.code])).toEqual([['stuck', 'OFFLINE']]);
    await cloud.restart();
    const back = await a.api.invoke('sync.now', { wait: true });
    expect(back.stuck).toBeNull();
    expect((await a.api.invoke('sync.problems')).items).toEqual([]);
  });

  it('a session ended on the server: "sign in again", the outbox is kept and sent after signing in', async () => {
    const a = await core();
    const other = await core();
    // another device ends a's session; a, not knowing, signs (stored and queued) and its push finds the session gone
    const sessions = await other.api.invoke('sessions.list');
    for (const s of sessions.items.filter((x) => !x.current)) await other.api.invoke('sessions.end', { id: s.id });
    const expired: string[] = [];
    a.core.events.on('session.expired', (e) => expired.push(e.error.code));
    const items = await awaiting(a, 1);
    expect((await sign(a, items)).results[0].ok).toBe(true);
    const s = await a.api.invoke('sync.now', { wait: true });
    expect(s.state).toBe('needs_sign_in');
    expect(s.pendingMutations).toBe(1);
    expect(expired).toContain('SIGN_IN_AGAIN');
    expect((await a.api.invoke('session.status')).state).toBe('needs_sign_in');
    // the cache still serves the office meanwhile
    expect((await a.api.invoke('documents.get', items[0])).row.localState).toBe('signed_locally');
    await a.api.invoke('session.signInWithPassword', { iin: DEMO.head, password: DEMO.password });
    const back = await a.api.invoke('sync.now', { wait: true });
    expect(back.pendingMutations).toBe(0);
    expect((await a.api.invoke('documents.get', items[0])).row.state).toMatch(/^signed_by_(us|both)$/);
  });

  it('the same act signed on two devices: the second gets a conflict it can see and dismiss', async () => {
    const a = await core();
    const b = await core();
    const [item] = await awaiting(a, 1);
    await sign(a, [item]);
    await sign(b, [item]);
    await a.api.invoke('sync.now', { wait: true });
    const s = await b.api.invoke('sync.now', { wait: true });
    expect(s.conflicts).toBe(1);
    const d = await b.api.invoke('documents.get', item);
    expect(d.row.localState).toBe('sync_conflict');
    expect(d.problem?.error.code).toBe('CONFLICT');
    const [problem] = (await b.api.invoke('sync.problems')).items;
    expect(problem.status).toBe('conflict');
    // retried rounds do not resend it, and it does not disappear by itself
    expect((await b.api.invoke('sync.now', { wait: true })).conflicts).toBe(1);
    await b.api.invoke('sync.resolve', { mutationId: problem.mutationId, resolution: 'dismiss' });
    const after = await b.api.invoke('documents.get', item);
    expect(after.row.localState).toBe('synced');
    expect(after.row.state).toMatch(/^signed_by_(us|both)$/);
    expect(await duplicateSignatures(cloud)).toEqual([]);
  });

  it('a key reported compromised: refused here at once; a signature the server rejects stays visible with its reason', async () => {
    const a = await core();
    const b = await core();
    const items = await awaiting(a, 2);
    await a.api.invoke('certificates.reportCompromise', { serial: '303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E', reason: 'lost laptop' });
    const refused = await sign(a, [items[1]]);
    expect(refused.results[0].error?.code).toBe('CERT_COMPROMISED');
    await a.api.invoke('sync.now', { wait: true });
    // b has not heard of it: it signs, the server rejects, b shows why and does not retry forever
    expect((await sign(b, [items[0]])).results[0].ok).toBe(true);
    const s = await b.api.invoke('sync.now', { wait: true });
    expect(s.lastError).toBeNull();
    expect(s.rejected).toBe(1);
    const d = await b.api.invoke('documents.get', items[0]);
    expect(d.row.localState).toBe('sync_rejected');
    expect(d.problem?.error.code).toBe('CERT_COMPROMISED');
    expect((await b.api.invoke('sync.now', { wait: true })).rejected).toBe(1);
    await a.api.invoke('certificates.restore', { serial: '303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E' });
  });

  it('an account terminated by the first manager: the device wipes that profile’s data and key', async () => {
    const head = await core();
    const acc = await core(DEMO.accountant);
    const profileDir = acc.core.root.profileDir(acc.core.require().id);
    const users = await head.api.invoke('users.list');
    const accountant = users.items.find((u) => u.iin === DEMO.accountant);
    const wiped: string[] = [];
    acc.core.events.on('profile.wiped', (e) => wiped.push(e.reason));
    await head.api.invoke('users.terminate', { userId: accountant!.id });
    await acc.api.invoke('sync.now', { wait: true });
    expect(wiped).toEqual(['account_terminated']);
    expect(existsSync(profileDir)).toBe(false);
    expect((await acc.api.invoke('session.status')).state).toBe('signed_out');
  });
});
