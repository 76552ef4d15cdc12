import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zHome } from '../../contract/ipc';
import { NotificationLedger, kazakhstanToday, noticeFromServer, noticesFromHome, shouldShow, type Home, type ServerNotification } from './notifications';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const server = (p: Partial<ServerNotification>): ServerNotification => ({
  id: ID(1), version: 1, kind: 'act_incoming', title: 'Входящий акт', body: 'ТОО "Ромашка": акт № 17', link: { entity: 'act', id: ID(9) },
  createdAt: '2026-05-06T10:00:00+05:00', readAt: null, ...p,
});

const row = (n: number, deadline: string | null, awaitingSignature = true) => ({
  kind: 'service_act' as const, id: ID(n), number: `${n}`, date: '2026-05-01', direction: 'incoming' as const, counterpartyName: 'kense',
  counterpartyIinBin: '123456789021', amount: 100, state: 'issued' as const, localState: 'synced' as const, deadline, awaitingSignature, branchId: null,
});

const home = (p: Partial<Home> = {}): Home =>
  zHome.parse({
    money: null, sales: null, receivables: null, payables: null,
    awaiting: { count: 0, items: [] }, billing: null, certificates: [], unreadNotifications: 0, lastSyncAt: null, ...p,
  });

describe('server notifications', () => {
  it('a new incoming act opens the act; security is urgent; read or uninteresting ones are not shown', () => {
    expect(noticeFromServer(server({}))).toEqual({ key: `server:${ID(1)}`, title: 'Входящий акт', body: 'ТОО "Ромашка": акт № 17', open: { kind: 'act', id: ID(9) }, urgent: false });
    expect(noticeFromServer(server({ kind: 'key_compromised', link: null }))).toMatchObject({ urgent: true, open: null });
    expect(noticeFromServer(server({ kind: 'invoice_overdue', link: { entity: 'invoice', id: ID(3) } }))).toMatchObject({ open: null });
    expect(noticeFromServer(server({ kind: 'payment_received' }))).toBeNull();
    expect(noticeFromServer(server({ readAt: '2026-05-06T10:01:00+05:00' }))).toBeNull();
    expect(noticeFromServer(server({ body: 'x'.repeat(1000) }))!.body.length).toBe(300);
  });
});

describe('reminders from home', () => {
  const today = '2026-05-06';
  it('one reminder for documents due within two days, opening the nearest', () => {
    const h = home({ awaiting: { count: 4, items: [row(1, '2026-05-08'), row(2, '2026-05-07'), row(3, '2026-05-20'), row(4, '2026-05-05'), row(5, '2026-05-06', false)] } });
    const [n] = noticesFromHome(h, today, 'ru');
    expect(n).toMatchObject({ title: 'Документы ждут вашей подписи', body: 'Ближайший срок ответа: 07.05.2026.', open: { kind: 'service_act', id: ID(2) }, urgent: false });
    expect(n.key).toBe(`deadline:${today}:${ID(1)},${ID(2)}`);
  });
  it('a blocked tariff (urgent) and an expiring certificate (weekly)', () => {
    const warning = { code: 'CERT_EXPIRING_SOON' as const, message: 'm', action: 'a' };
    const cert = { serial: 'ab12', commonName: 'ИВАНОВ ИВАН', iin: '123456789012', bin: null, notBefore: '2025-05-01T00:00:00+05:00', notAfter: '2026-05-20T00:00:00+05:00', daysLeft: 13, test: true, warning };
    const h = home({ billing: { state: 'blocked', outgoingAllowed: false, unpaidInvoices: 1, blockedSince: '2026-05-05' }, certificates: [cert, { ...cert, serial: 'cd', warning: null }] });
    const ns = noticesFromHome(h, today, 'kk');
    expect(ns.map((n) => n.key)).toEqual(['tariff-blocked:2026-05-05', 'cert:ab12:1']);
    expect(ns[0]).toMatchObject({ title: 'Тариф бұғатталды', urgent: true });
    expect(ns[1].body).toBe('ИВАНОВ ИВАН: 13 күн қалды. Кілтті pki.gov.kz сайтында қайта шығарыңыз.');
  });
  it('nothing to say on a quiet day', () => expect(noticesFromHome(home(), today, 'en')).toEqual([]));
  it('today is a Kazakh day', () => {
    expect(kazakhstanToday(new Date('2026-05-06T19:30:00Z'))).toBe('2026-05-07');
    expect(kazakhstanToday(new Date('2026-05-06T18:59:59Z'))).toBe('2026-05-06');
  });
});

describe('when to show', () => {
  const n = { key: 'k', title: 't', body: 'b', open: null };
  it.each([
    [{ enabled: true, windowFocused: false }, false, true],
    [{ enabled: true, windowFocused: true }, false, false],
    [{ enabled: true, windowFocused: true }, true, true],
    [{ enabled: false, windowFocused: false }, true, false],
  ])('%o urgent=%s → %s', (o, urgent, shown) => expect(shouldShow({ ...n, urgent }, o)).toBe(shown));
});

describe('NotificationLedger', () => {
  let dir: string;
  beforeEach(async () => void (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kense-ledger-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));
  it('shows each key once, across restarts, keeping the newest keys', async () => {
    const file = path.join(dir, 'notified.json');
    const a = new NotificationLedger(file, 3);
    expect(await a.firstTime('x')).toBe(true);
    expect(await a.firstTime('x')).toBe(false);
    const b = new NotificationLedger(file, 3);
    expect(await b.firstTime('x')).toBe(false);
    for (const k of ['y', 'z', 'w']) await b.firstTime(k);
    expect(await new NotificationLedger(file, 3).firstTime('x')).toBe(true);
  });
});
