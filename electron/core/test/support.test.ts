// Support requests through core against the real cloud: create with the doctor report and recent logs (no secret
// reaches kense), the answer in the cache at once, a retry with the same client id makes no second request, replies,
// kense support's answer arriving by sync, reopen, rating, and OFFLINE when the cloud is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, P12_PASSWORD, startTestCloud, startTestCore, type TestCloud, type TestCore } from '../../../bench/core-kit';
import { OPERATOR_SUPPORT_PATH } from '../../../contract/cloud/operator';
import { isIpcError } from '../../../contract/ipc';
import type { Tokens } from '../cloud/client';

const OPERATOR_TOKEN = 'core-support-test-operator-token-0123456789';
// A real 1×1 PNG (the cloud checks the magic bytes).
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let cloud: TestCloud;
let a: TestCore;

beforeAll(async () => {
  cloud = await startTestCloud({ operatorToken: OPERATOR_TOKEN, acts: 10 });
  a = startTestCore({ cloudUrl: cloud.url });
  await a.api.invoke('session.signInWithPassword', { iin: DEMO.head, password: DEMO.password });
  await a.api.invoke('sync.now', { wait: true });
}, 120_000);
afterAll(async () => {
  await a?.close();
  await cloud?.close();
});

async function operatorReply(id: string, body: { body: string; status?: string }) {
  const res = await fetch(`${cloud.url}${OPERATOR_SUPPORT_PATH}/${id}/replies`, {
    method: 'POST', headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

describe('support requests through core', () => {
  let id = '';

  it('creates a request with the doctor report and recent logs, secrets removed, and lists it at once', async () => {
    const tokens = a.core.require().store.meta<Tokens>('tokens') as Tokens;
    // What a careless line could carry: the key-file password, the live tokens, an Authorization header.
    a.core.o.log?.('support test: signing with key', { p12Path: '/tmp/head.p12', password: P12_PASSWORD });
    a.core.o.log?.(`support test: refresh with ${tokens.refreshToken} failed`);
    a.core.o.log?.('support test: request', { headers: { Authorization: `Bearer ${tokens.accessToken}` } });

    const preview = await a.api.invoke('support.preview', { attachDoctorReport: true, attachLogs: true });
    expect(preview.attachments.map((x) => x.kind)).toEqual(['doctor_report', 'logs']);
    expect(preview.attachments[0].text).toContain('NCALayer:');
    expect(preview.attachments[1].text).toContain('support test: signing with key');

    const clientId = crypto.randomUUID();
    const input = {
      clientId, priority: 'high' as const, subject: 'Не подписывается акт', description: 'Нажимаю «Подписать», NCALayer не открывается.',
      screenshot: { mediaType: 'image/png' as const, base64: PNG }, attachDoctorReport: true, attachLogs: true,
    };
    const t = await a.api.invoke('support.create', input);
    id = t.id;
    expect(t).toMatchObject({ id: clientId, number: expect.stringMatching(/^KS-\d{6}$/), status: 'open', priority: 'high', context: { appVersion: '0.1.0', platform: 'cli' } });
    expect(t.sla.clock).toBe('business_hours');
    expect(t.attachments.map((x) => x.kind).sort()).toEqual(['doctor_report', 'logs', 'screenshot']);

    // What kense received: no secret in either text.
    const client = a.core.require().client;
    const sent: string[] = [];
    for (const att of t.attachments.filter((x) => x.kind !== 'screenshot')) {
      sent.push(Buffer.from((await client.call('supportAttachmentGet', { params: { id: t.id, attachmentId: att.id } })).base64, 'base64').toString('utf8'));
    }
    const all = sent.join('\n');
    expect(all).toContain('support test: signing with key');
    expect(all).toContain('/tmp/head.p12');
    for (const secret of [P12_PASSWORD, tokens.accessToken, tokens.refreshToken]) expect(all).not.toContain(secret);

    // In the cache at once, without a sync.
    expect((await a.api.invoke('support.list')).items.map((x) => x.id)).toEqual([t.id]);
    // A retry of the same form (same client id) answers the same request.
    const again = await a.api.invoke('support.create', input);
    expect([again.id, again.number]).toEqual([t.id, t.number]);
    expect((await a.api.invoke('support.list')).items).toHaveLength(1);
  }, 60_000);

  it('replies; kense support’s answer arrives by sync; reopen; rate', async () => {
    const r = await a.api.invoke('support.reply', { id, body: 'Версия NCALayer 1.4, Windows 11.' });
    expect(r.replies.map((x) => [x.from, x.body])).toEqual([['user', 'Версия NCALayer 1.4, Windows 11.']]);

    await operatorReply(id, { body: 'Обновите NCALayer до 1.5 — проблема решена.', status: 'resolved' });
    await a.api.invoke('sync.now', { wait: true });
    const got = await a.api.invoke('support.get', { id });
    expect(got.status).toBe('resolved');
    expect(got.replies.at(-1)).toMatchObject({ from: 'support', body: 'Обновите NCALayer до 1.5 — проблема решена.' });
    expect(got.sla.firstResponseAt).not.toBeNull();

    const re = await a.api.invoke('support.reopen', { id, reason: 'После обновления то же самое.' });
    expect([re.status, re.reopened]).toEqual(['open', 1]);
    // Rating is for a resolved request: refused now, with the cloud's own code.
    const e = await a.api.invoke('support.rate', { id, score: 5, comment: null }).catch((x: unknown) => x);
    expect(isIpcError(e, 'SUPPORT_TICKET_STATE')).toBe(true);

    await operatorReply(id, { body: 'Переустановили сертификаты — работает.', status: 'resolved' });
    await a.api.invoke('sync.now', { wait: true });
    const rated = await a.api.invoke('support.rate', { id, score: 4, comment: 'Помогли за час' });
    expect(rated.status).toBe('closed');
    expect(rated.rating).toMatchObject({ score: 4, comment: 'Помогли за час' });
    expect((await a.api.invoke('support.get', { id })).rating?.score).toBe(4);
  }, 60_000);

  it('a mutation with the cloud down is OFFLINE and changes nothing in the cache', async () => {
    await cloud.stop();
    const e = await a.api.invoke('support.create', { clientId: crypto.randomUUID(), priority: 'low', subject: 'Вопрос', description: 'Как добавить филиал?', screenshot: null, attachDoctorReport: false, attachLogs: false }).catch((x: unknown) => x);
    expect(isIpcError(e, 'OFFLINE')).toBe(true);
    expect((await a.api.invoke('support.list')).items).toHaveLength(1);
    // The cache still answers offline.
    expect((await a.api.invoke('support.get', { id })).status).toBe('closed');
  }, 30_000);
});
