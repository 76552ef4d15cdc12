// Core end to end against the real cloud: sign in, sync, list/search, sign a batch with the bundled signer, push,
// sign offline (cloud stopped), sync when it is back, and a fresh profile sees the acts signed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, HEAD_P12, P12_PASSWORD, startTestCloud, startTestCore, type TestCloud, type TestCore } from '../../../bench/core-kit';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isIpcError } from '../../../contract/ipc';

let cloud: TestCloud;
let a: TestCore;

beforeAll(async () => {
  // access tokens live 3 s here: every test also goes through refreshes mid-sync
  cloud = await startTestCloud({ accessTokenTtlSec: 3 });
  a = startTestCore({ cloudUrl: cloud.url });
}, 120_000);
afterAll(async () => {
  await a?.close();
  await cloud?.close();
});

describe('core against the reference cloud', () => {
  it('signs in with ИИН + password, syncs, and lists documents', async () => {
    const s = await a.api.invoke('session.signInWithPassword', { iin: DEMO.head, password: DEMO.password });
    expect(s.state).toBe('signed_in');
    expect(s.profile?.companyIinBin).toBe('123456789021');
    const st = await a.api.invoke('sync.now', { wait: true });
    expect(st.lastError).toBeNull();
    expect(st.online).toBe(true);
    const total = (await a.api.invoke('documents.count', {})).total;
    expect(total).toBeGreaterThan(60);
    const awaiting = await a.api.invoke('documents.list', { filter: { kinds: ['act'], awaitingSignature: true }, limit: 5 });
    expect(awaiting.items.length).toBeGreaterThan(2);
    const detail = await a.api.invoke('documents.get', awaiting.items[0]);
    expect(detail.data.kind).toBe('act');
    expect(detail.sign.allowed).toBe(true);
    // search by counterparty name finds that act
    const name = awaiting.items[0].counterpartyName.split(/\s+/).find((w) => w.length > 3) as string;
    const hits = await a.api.invoke('documents.list', { filter: { search: name }, limit: 500 });
    expect(hits.items.some((r) => r.id === awaiting.items[0].id)).toBe(true);
    const home = await a.api.invoke('home.get');
    expect(home.awaiting.count).toBeGreaterThan(0);
  });

  it('signs a batch with the key file, pushes, and the server confirms', async () => {
    const list = await a.api.invoke('documents.list', { filter: { kinds: ['act'], awaitingSignature: true }, limit: 3 });
    const items = list.items.map((r) => ({ kind: r.kind, id: r.id }));
    const r = await a.api.invoke('documents.sign', { items, via: 'p12', p12Path: HEAD_P12, password: P12_PASSWORD });
    expect(r.results.map((x) => [x.ok, x.localState, x.error?.code ?? null])).toEqual(items.map(() => [true, 'signed_locally', null]));
    expect((await a.api.invoke('sync.status')).pendingMutations).toBe(3);
    const st = await a.api.invoke('sync.now', { wait: true });
    expect(st.pendingMutations).toBe(0);
    for (const it of items) {
      const d = await a.api.invoke('documents.get', it);
      expect(d.row.localState).toBe('synced');
      expect(['signed_by_us', 'signed_by_both']).toContain(d.row.state);
      expect(d.signatures.some((s) => s.side === 'ours' && !s.pending)).toBe(true);
    }
  });

  it('an access token that expired mid-sync is refreshed (rotated) without the user noticing', async () => {
    const before = a.core.require().store.meta<{ accessToken: string; refreshToken: string }>('tokens');
    await new Promise((r) => setTimeout(r, 3500));
    const s = await a.api.invoke('sync.now', { wait: true });
    expect(s.lastError).toBeNull();
    const after = a.core.require().store.meta<{ accessToken: string; refreshToken: string }>('tokens');
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
  });

  it('a wrong key-file password is P12_WRONG_PASSWORD and nothing is queued', async () => {
    const list = await a.api.invoke('documents.list', { filter: { kinds: ['act'], awaitingSignature: true }, limit: 1 });
    const e = await a.api.invoke('documents.sign', { items: [{ kind: 'act', id: list.items[0].id }], via: 'p12', p12Path: HEAD_P12, password: 'wrong' }).catch((x: unknown) => x);
    expect(isIpcError(e, 'P12_WRONG_PASSWORD')).toBe(true);
    expect((await a.api.invoke('sync.status')).pendingMutations).toBe(0);
  });

  it('signs offline while the cloud is down; after it is back the act reaches it once, and a fresh profile sees it signed', async () => {
    const list = await a.api.invoke('documents.list', { filter: { kinds: ['act'], awaitingSignature: true }, limit: 2 });
    const items = list.items.map((r) => ({ kind: r.kind, id: r.id }));
    await cloud.stop();
    const r = await a.api.invoke('documents.sign', { items, via: 'p12', p12Path: HEAD_P12, password: P12_PASSWORD });
    expect(r.results.every((x) => x.ok)).toBe(true);
    const offline = await a.api.invoke('sync.now', { wait: true });
    expect(offline.online).toBe(false);
    expect(offline.lastError?.code).toBe('OFFLINE');
    expect(offline.pendingMutations).toBe(2);
    // still "signed, waiting to sync" and no longer awaiting
    const d = await a.api.invoke('documents.get', items[0]);
    expect(d.row.localState).toBe('signed_locally');
    expect(d.row.awaitingSignature).toBe(false);
    expect(d.signatures.some((s) => s.pending)).toBe(true);

    await cloud.restart();
    const back = await a.api.invoke('sync.now', { wait: true });
    expect(back.pendingMutations).toBe(0);
    expect(back.online).toBe(true);

    const b = startTestCore({ cloudUrl: cloud.url });
    try {
      await b.api.invoke('session.signInWithPassword', { iin: DEMO.head, password: DEMO.password });
      await b.api.invoke('sync.now', { wait: true });
      for (const it of items) {
        const db = await b.api.invoke('documents.get', it);
        expect(['signed_by_us', 'signed_by_both']).toContain(db.row.state);
        expect(db.signatures.filter((s) => s.side === 'ours')).toHaveLength(1);
      }
    } finally {
      await b.close();
    }
  });

  it('refuses with a reason, offline-capable, and the server records the refusal', async () => {
    const list = await a.api.invoke('documents.list', { filter: { kinds: ['act'], direction: 'incoming', awaitingSignature: true }, limit: 1 });
    const ref = { kind: 'act' as const, id: list.items[0].id };
    const r = await a.api.invoke('documents.refuse', { ...ref, reason: 'Суммы не совпадают с договором' });
    expect(r.localState).toBe('refused_locally');
    await a.api.invoke('sync.now', { wait: true });
    const d = await a.api.invoke('documents.get', ref);
    expect(d.row.state).toBe('refused');
    expect(d.history.some((h) => h.event === 'refused' && h.text === 'Суммы не совпадают с договором')).toBe(true);
  });

  it('no file of the profile holds plaintext: names, ИИН/БИН, numbers, amounts (open, with its WAL, and closed)', async () => {
    const act = (await a.api.invoke('documents.list', { filter: { kinds: ['act'] }, limit: 1 })).items[0];
    const needles = ['ТЕСТОВ ТЕСТ', 'АО "ТЕСТ"', '123456789011', '123456789021', act.counterpartyName, act.counterpartyIinBin, act.number, String(act.amount)].filter((x) => x.length >= 5);
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)) : [path.join(dir, n)]));
    const leaks = () => {
      const found: string[] = [];
      for (const f of files(a.root)) {
        const bytes = readFileSync(f);
        for (const n of needles) if (bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le'))) found.push(`${path.relative(a.root, f)}: ${n}`);
      }
      return found;
    };
    const open = files(a.root).map((f) => path.basename(f));
    expect(open).toContain('kense.db-wal');
    expect(leaks()).toEqual([]);
    await a.core.closeProfile();
    expect(leaks()).toEqual([]);
    await a.api.invoke('session.openProfile', { profileId: a.core.root.list()[0] });
  });

  it('answers every screen of the office within the contract (outputs checked against their schemas)', async () => {
    const api = a.api;
    expect((await api.invoke('session.profiles')).items).toHaveLength(1);
    const home = await api.invoke('home.get');
    expect(home.money?.asOf).toBeTruthy();
    expect(home.certificates.some((c) => c.serial === '303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E')).toBe(true);
    const billing = await api.invoke('billing.get');
    expect(billing.subscription).not.toBeNull();
    const tariffs = await api.invoke('tariffs.list');
    expect(tariffs.items.length).toBeGreaterThan(1);
    const invoices = await api.invoke('invoices.list', { limit: 5 });
    expect(invoices.total).toBeGreaterThan(0);
    expect((await api.invoke('invoices.get', { id: invoices.items[0].id })).payment.knp).toBe('851');
    const cps = await api.invoke('counterparties.list', { limit: 3 });
    expect(cps.items.length).toBe(3);
    expect((await api.invoke('counterparties.list', { search: cps.items[0].iinBin })).items[0].id).toBe(cps.items[0].id);
    const users = await api.invoke('users.list');
    expect(users.items.some((u) => u.role === 'accountant')).toBe(true);
    const notes = await api.invoke('notifications.list', { limit: 5 });
    if (notes.unread > 0) {
      const unread = (await api.invoke('notifications.list', { unreadOnly: true, limit: 1 })).items[0];
      await api.invoke('notifications.markRead', { id: unread.id });
      expect((await api.invoke('notifications.list', { unreadOnly: true, limit: 500 })).items.some((n) => n.id === unread.id)).toBe(false);
    }
    expect((await api.invoke('sessions.list')).items.some((x) => x.current)).toBe(true);
    expect((await api.invoke('certificates.list')).items.length).toBeGreaterThan(0);
    expect((await api.invoke('audit.list', { limit: 5 })).items.length).toBeGreaterThan(0);
    expect((await api.invoke('audit.export')).csv.split('\n').length).toBeGreaterThan(2);
    const policy = await api.invoke('security.passwordPolicy', {});
    expect(policy.minLength).toBeGreaterThanOrEqual(8);
    const info = await api.invoke('app.info');
    expect(info.policy?.minimumVersion).toBeTruthy();
    expect(info.updateRequired).toBe(false);
    // (the read mark above is being pushed in the background: once that round is over, nothing is in flight)
    await api.invoke('sync.now', { wait: true });
    expect(await api.invoke('app.busy')).toEqual({ signing: false, pushing: false });
    const settings = await api.invoke('settings.update', { language: 'kk', updateChannel: 'beta' });
    expect(settings).toMatchObject({ language: 'kk', updateChannel: 'beta' });
    expect(settings.cache?.documents).toBeGreaterThan(60);
    const err = await api.invoke('documents.get', { kind: 'act', id: '00000000-0000-4000-8000-000000000000' }).catch((e: unknown) => e);
    expect(isIpcError(err, 'NOT_FOUND')).toBe(true);
    expect((err as Error).message).not.toMatch(/not found/i); // in Kazakh now
    await api.invoke('settings.update', { language: 'en' });
    // service acts and reconciliation acts are documents too
    for (const kind of ['service_act', 'reconciliation'] as const) {
      const row = (await api.invoke('documents.list', { filter: { kinds: [kind] }, limit: 1 })).items[0];
      expect(row).toBeDefined();
      const d = await api.invoke('documents.get', { kind, id: row.id });
      expect(d.data.kind).toBe(kind);
      expect(d.canonical.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    const any = (await api.invoke('documents.list', { filter: { kinds: ['act'], localStates: ['synced'] }, limit: 1 })).items[0];
    const ex = await api.invoke('documents.exportData', { kind: 'act', id: any.id });
    expect(ex.qrText).toContain(ex.detail.canonical.sha256);
    expect((await api.invoke('sync.problems')).items).toEqual([]);
    expect(JSON.parse((await api.invoke('sync.exportOutbox')).json).format).toBe('kense-outbox/1');
    // an offline-capable change of role goes through the outbox
    const manager = users.items.find((u) => u.role === 'manager')!;
    await api.invoke('users.changeRole', { userId: manager.id, role: 'viewer', branchId: null });
    await api.invoke('sync.now', { wait: true });
    expect((await api.invoke('users.list')).items.find((u) => u.id === manager.id)?.role).toBe('viewer');
    const other = tariffs.items.find((t) => t.id !== tariffs.currentId && t.closedAt === null)!;
    const changed = await api.invoke('tariffs.change', { tariffId: other.id });
    expect(changed.effectiveFrom).toMatch(/-01$/);
  });
});
