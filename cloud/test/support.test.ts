// Support requests to kense (issue 11): SLA due times on the Kazakh business calendar, the request's states, who
// sees a request (its author and the company's first manager, on the REST routes and on the feed), what a request
// may carry, an idempotent create, and kense support's side behind the operator token.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORT_LIMITS, SUPPORT_SLA, supportDue, type SupportPriority } from '../../contract/cloud';
import { isWorkingDay } from '../../contract/kz-calendar';
import { iinBinCheckDigit } from '../../contract/kz-identifiers';
import { createTenant } from '../src/seed/tenant';
import { DEMO, OPERATOR_TOKEN, eachBackend, operatorApi, operatorOk, startTestCloud, type TestCloud } from './harness';

const at = (local: string) => new Date(`${local}+05:00`);
const iso = (d: Date) => new Date(d.getTime() + 5 * 3600_000).toISOString().slice(0, 16);
const due = (from: string, p: SupportPriority, which: 'responseHours' | 'resolveHours') => iso(supportDue(at(from), SUPPORT_SLA[p][which], SUPPORT_SLA[p].clock));

describe('support SLA: due times in business hours on the Kazakh calendar', () => {
  it('the calendar facts the cases stand on', () => {
    expect(isWorkingDay('2026-12-16')).toBe(false); // Independence Day, a Wednesday
    expect(['2026-03-23', '2026-03-24', '2026-03-25'].map(isWorkingDay)).toEqual([false, false, false]); // Наурыз and its moved days
    expect(['2026-12-05', '2026-12-06'].map(isWorkingDay)).toEqual([false, false]); // a weekend
  });

  it('critical runs on the calendar clock, 24×7 (a Saturday night is no pause)', () => {
    expect(due('2026-12-05T23:30:00', 'critical', 'responseHours')).toBe('2026-12-06T00:30');
    expect(due('2026-12-05T23:30:00', 'critical', 'resolveHours')).toBe('2026-12-06T07:30');
  });

  it('a request made Friday 17:00 is due Monday: one hour on Friday, the rest from Monday 09:00', () => {
    expect(due('2026-12-04T17:00:00', 'medium', 'responseHours')).toBe('2026-12-07T16:00'); // 1 h Fri + 7 h Mon
    expect(due('2026-12-04T17:00:00', 'high', 'responseHours')).toBe('2026-12-07T12:00'); // 1 h Fri + 3 h Mon
    expect(due('2026-12-04T17:00:00', 'medium', 'resolveHours')).toBe('2026-12-11T12:00'); // 40 h: 1 + 9·4 + 3
    // At 18:00 or later, and over the weekend, the clock starts on Monday at 09:00.
    expect(due('2026-12-04T18:00:00', 'high', 'responseHours')).toBe('2026-12-07T13:00');
    expect(due('2026-12-05T11:00:00', 'high', 'responseHours')).toBe('2026-12-07T13:00');
    // Before 09:00 on a working day: from 09:00.
    expect(due('2026-12-07T07:10:00', 'high', 'responseHours')).toBe('2026-12-07T13:00');
  });

  it('a public holiday is skipped: Independence Day (Wed 16 Dec), Наурыз with its two moved days', () => {
    expect(due('2026-12-15T16:00:00', 'high', 'responseHours')).toBe('2026-12-17T11:00'); // 2 h Tue, Wed off, 2 h Thu
    expect(due('2026-12-15T16:00:00', 'low', 'responseHours')).toBe('2026-12-18T14:00'); // 2 h Tue, Wed off, 9 h Thu, 5 h Fri
    expect(due('2026-03-20T17:00:00', 'low', 'responseHours')).toBe('2026-03-27T15:00'); // 1 h Fri, Mon–Wed off, 9 h Thu, 6 h Fri
  });
});

const withCheckDigit = (first11: string) => `${first11}${iinBinCheckDigit(first11)}`;
const OTHER_BIN = withCheckDigit('16044001235');
const OTHER_HEAD = withCheckDigit('86070230013');
const COLLEAGUE = withCheckDigit('90010130002');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]).toString('base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]).toString('base64');

eachBackend('support requests', (backend) => {
  let tc: TestCloud;
  let head: string;
  let accountant: string;
  let colleague: string;
  let other: string;
  const c = () => tc.client;
  const ticket = (over: Record<string, unknown> = {}) => ({
    id: randomUUID(), priority: 'medium', subject: 'Не отправляется акт', description: 'Акт № 15 не уходит контрагенту, висит в очереди.', ...over,
  });

  /** Fresh sessions for everyone (after the clock moved on). */
  async function signIn() {
    head = (await c().login(DEMO.head)).accessToken;
    accountant = (await c().login(DEMO.accountant)).accessToken;
    colleague = (await c().login(COLLEAGUE, 'Start-Pass-1!')).accessToken;
    other = (await c().login(OTHER_HEAD, 'Other-Pass-2026!')).accessToken;
  }
  beforeAll(async () => {
    tc = await startTestCloud(backend, { seed: { kind: 'demo', counterparties: 4, acts: 6 } });
    head = (await c().login(DEMO.head)).accessToken;
    await c().ok('userCreate', { token: head, body: { iin: COLLEAGUE, fullName: 'Коллега Иван', role: 'manager', initialPassword: 'Start-Pass-1!' } });
    await createTenant(tc.server.services, { name: 'ТОО «Другая»', iinBin: OTHER_BIN, kind: 'legal_entity', address: 'г. Алматы', firstManager: { iin: OTHER_HEAD, fullName: 'Другой Руководитель', password: 'Other-Pass-2026!' } });
    await signIn();
  });
  afterAll(async () => tc?.close());

  it('a request: number, SLA due times from its creation, screenshot and attachments stored and given back', async () => {
    const logs = 'sync: 3 pending\nsync: retry in 4 s';
    const t = await c().ok('supportTicketCreate', {
      token: accountant,
      body: ticket({ priority: 'high', screenshot: { mediaType: 'image/png', base64: PNG }, attachments: [{ kind: 'logs', name: 'kense.log', text: logs }], context: { appVersion: '1.4.2', platform: 'win32' } }),
    });
    expect(t).toMatchObject({ number: expect.stringMatching(/^KS-\d{6}$/), status: 'open', priority: 'high', authorName: 'ТЕСТТОВ ТЕСТТ', reopened: 0, rating: null, context: { appVersion: '1.4.2', platform: 'win32' } });
    const created = new Date(t.createdAt);
    expect(t.sla).toEqual({
      clock: 'business_hours', firstResponseAt: null, resolvedAt: null,
      responseDueAt: expect.any(String), resolveDueAt: expect.any(String),
    });
    expect(Date.parse(t.sla.responseDueAt)).toBe(supportDue(created, 4, 'business_hours').getTime());
    expect(Date.parse(t.sla.resolveDueAt)).toBe(supportDue(created, 16, 'business_hours').getTime());
    expect(t.attachments.map((a) => [a.kind, a.name, a.mediaType])).toEqual([['logs', 'kense.log', 'text/plain; charset=utf-8'], ['screenshot', 'screenshot.png', 'image/png']]);
    const shot = t.attachments.find((a) => a.kind === 'screenshot')!;
    expect(await c().ok('supportAttachmentGet', { token: accountant, params: { id: t.id, attachmentId: shot.id } })).toMatchObject({ kind: 'screenshot', base64: PNG });
    const log = t.attachments.find((a) => a.kind === 'logs')!;
    expect(Buffer.from((await c().ok('supportAttachmentGet', { token: head, params: { id: t.id, attachmentId: log.id } })).base64, 'base64').toString()).toBe(logs);
    await c().fails('supportAttachmentGet', 'NOT_FOUND', { token: accountant, params: { id: t.id, attachmentId: randomUUID() } });
    // A JPEG is a screenshot too; critical runs 24×7.
    const j = await c().ok('supportTicketCreate', { token: accountant, body: ticket({ priority: 'critical', screenshot: { mediaType: 'image/jpeg', base64: JPEG } }) });
    expect(j.sla.clock).toBe('24x7');
    expect(Date.parse(j.sla.responseDueAt) - Date.parse(j.createdAt)).toBe(3600_000);
  });

  it('the screenshot must be what it says (PNG or JPEG by its magic bytes)', async () => {
    const fake = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64');
    const e = await c().fails('supportTicketCreate', 'INVALID_INPUT', { token: accountant, body: ticket({ screenshot: { mediaType: 'image/png', base64: fake } }) });
    expect(e.status).toBe(400);
    expect(e.details?.fields).toEqual([expect.objectContaining({ path: 'body.screenshot.base64' })]);
    // A JPEG sent as PNG is refused as well; a GIF type is not offered at all.
    await c().fails('supportTicketCreate', 'INVALID_INPUT', { token: accountant, body: ticket({ screenshot: { mediaType: 'image/png', base64: JPEG } }) });
    const gif = await c().fails('supportTicketCreate', 'INVALID_INPUT', { token: accountant, body: ticket({ screenshot: { mediaType: 'image/gif', base64: PNG } }) });
    expect(gif.details?.fields).toEqual([expect.objectContaining({ path: 'body.screenshot.mediaType' })]);
  });

  it('limits: too many attachments, too long a text, control characters → 400 INVALID_INPUT naming the field', async () => {
    const four = Array.from({ length: SUPPORT_LIMITS.attachments + 1 }, (_, i) => ({ kind: 'logs', name: `l${i}.log`, text: 'x' }));
    const many = await c().fails('supportTicketCreate', 'INVALID_INPUT', { token: accountant, body: ticket({ attachments: four }) });
    expect(many.status).toBe(400);
    expect(many.details?.fields).toEqual([expect.objectContaining({ path: 'body.attachments' })]);
    const long = await c().fails('supportTicketCreate', 'INVALID_INPUT', { token: accountant, body: ticket({ description: 'д'.repeat(SUPPORT_LIMITS.description + 1) }) });
    expect(long.details?.fields).toEqual([expect.objectContaining({ path: 'body.description' })]);
    const bigLog = await c().fails('supportTicketCreate', 'INVALID_INPUT', { token: accountant, body: ticket({ attachments: [{ kind: 'doctor_report', name: 'doctor.json', text: 'x'.repeat(SUPPORT_LIMITS.attachmentChars + 1) }] }) });
    expect(bigLog.details?.fields).toEqual([expect.objectContaining({ path: 'body.attachments.0.text' })]);
    const ctl = await c().fails('supportTicketCreate', 'INVALID_INPUT', { token: accountant, body: ticket({ subject: 'звонок\u0007' }) });
    expect(ctl.details?.fields).toEqual([expect.objectContaining({ path: 'body.subject' })]);
    const t = await c().ok('supportTicketCreate', { token: accountant, body: ticket() });
    const reply = await c().fails('supportTicketReply', 'INVALID_INPUT', { token: accountant, params: { id: t.id }, body: { body: 'я'.repeat(SUPPORT_LIMITS.reply + 1) } });
    expect(reply.details?.fields).toEqual([expect.objectContaining({ path: 'body.body' })]);
  });

  it('a create sent twice with the same client id makes one request and answers the first answer', async () => {
    const body = ticket({ subject: `Повтор ${randomUUID().slice(0, 8)}` });
    const first = await c().call('supportTicketCreate', { token: accountant, body });
    const second = await c().call('supportTicketCreate', { token: accountant, body });
    expect(first).toMatchObject({ ok: true, status: 201 });
    expect(second).toEqual(first);
    const mine = await c().ok('supportTicketsList', { token: accountant, query: { limit: 200 } });
    expect(mine.items.filter((x) => x.subject === body.subject)).toHaveLength(1);
    // The same id with another body is refused, not silently answered with the first request.
    await c().fails('supportTicketCreate', 'IDEMPOTENCY_KEY_REUSED', { token: accountant, body: { ...body, subject: 'Другая тема' } });
  });

  it('states: replies while open, support answers, resolved refuses replies, reopen restarts the SLA clock, rating closes', async () => {
    const t = await c().ok('supportTicketCreate', { token: accountant, body: ticket({ priority: 'low' }) });
    await c().fails('supportTicketRate', 'SUPPORT_TICKET_STATE', { token: accountant, params: { id: t.id }, body: { score: 5 } });
    await c().fails('supportTicketReopen', 'SUPPORT_TICKET_STATE', { token: accountant, params: { id: t.id }, body: { reason: 'ещё не решено' } });
    const r1 = await c().ok('supportTicketReply', { token: accountant, params: { id: t.id }, body: { body: 'Добавлю: с утра то же самое.' } });
    expect(r1).toMatchObject({ status: 'open', version: t.version + 1, replies: [{ from: 'user', authorName: 'ТЕСТТОВ ТЕСТТ', body: 'Добавлю: с утра то же самое.' }] });

    const asked = await operatorOk(tc.url, 'operatorSupportReply', { params: { id: t.id }, body: { body: 'Пришлите, пожалуйста, журнал.', status: 'waiting_for_customer', agentName: 'Айгерим (kense)' } });
    expect(asked).toMatchObject({ status: 'waiting_for_customer', company: { iinBin: '123456789021' } });
    // The user's answer to a question moves the request back to kense.
    expect(await c().ok('supportTicketReply', { token: accountant, params: { id: t.id }, body: { body: 'Журнал приложил.' } })).toMatchObject({ status: 'in_progress' });

    const resolved = await operatorOk(tc.url, 'operatorSupportReply', { params: { id: t.id }, body: { body: 'Исправлено в 1.4.3.', status: 'resolved' } });
    expect(resolved).toMatchObject({ status: 'resolved', sla: { resolvedAt: expect.any(String) } });
    const refused = await c().fails('supportTicketReply', 'SUPPORT_TICKET_STATE', { token: accountant, params: { id: t.id }, body: { body: 'Спасибо!' } });
    expect(refused).toMatchObject({ status: 409, details: { status: 'resolved', action: 'reply' } });
    for (const l of ['ru', 'kk', 'en']) {
      const e = await c().fails('supportTicketReply', 'SUPPORT_TICKET_STATE', { token: accountant, params: { id: t.id }, body: { body: 'ещё раз' }, headers: { 'accept-language': l } });
      expect(e.message.length, l).toBeGreaterThan(10);
      expect(e.action.length, l).toBeGreaterThan(10);
    }

    tc.server.services.clock.advance(3 * 86_400_000);
    await signIn();
    const again = await c().ok('supportTicketReopen', { token: accountant, params: { id: t.id }, body: { reason: 'Снова не отправляется.' } });
    const reopenedAt = new Date(again.updatedAt);
    expect(again).toMatchObject({ status: 'open', reopened: 1, sla: { firstResponseAt: null, resolvedAt: null } });
    expect(Date.parse(again.sla.responseDueAt)).toBe(supportDue(reopenedAt, 16, 'business_hours').getTime());
    expect(Date.parse(again.sla.responseDueAt)).toBeGreaterThan(Date.parse(t.sla.responseDueAt));
    expect(Date.parse(again.sla.resolveDueAt)).toBe(supportDue(reopenedAt, 80, 'business_hours').getTime());

    await operatorOk(tc.url, 'operatorSupportReply', { params: { id: t.id }, body: { body: 'Теперь точно.', status: 'resolved' } });
    const rated = await c().ok('supportTicketRate', { token: accountant, params: { id: t.id }, body: { score: 4, comment: 'Долго, но помогли' } });
    expect(rated).toMatchObject({ status: 'closed', rating: { score: 4, comment: 'Долго, но помогли' } });
    // Closed: the user may still reopen it; kense may not reopen it by answering.
    const closedReply = await operatorApi(tc.url, 'operatorSupportReply', { params: { id: t.id }, body: { body: 'Ещё вопрос', status: 'in_progress' } });
    expect(closedReply).toMatchObject({ ok: false, status: 409, error: { code: 'SUPPORT_TICKET_STATE' } });
  });

  it('who sees a request: its author and the first manager; a colleague and another company get 404; the feed agrees', async () => {
    const t = await c().ok('supportTicketCreate', { token: accountant, body: ticket({ subject: 'Видимость' }) });
    // The first manager sees the company's requests and may act on them.
    expect((await c().ok('supportTicketGet', { token: head, params: { id: t.id } })).id).toBe(t.id);
    expect((await c().ok('supportTicketsList', { token: head, query: { limit: 200 } })).items.map((x) => x.id)).toContain(t.id);
    for (const token of [colleague, other]) {
      expect((await c().fails('supportTicketGet', 'NOT_FOUND', { token, params: { id: t.id } })).status).toBe(404);
      await c().fails('supportTicketReply', 'NOT_FOUND', { token, params: { id: t.id }, body: { body: 'чужое' } });
      await c().fails('supportAttachmentGet', 'NOT_FOUND', { token, params: { id: t.id, attachmentId: randomUUID() } });
      expect((await c().ok('supportTicketsList', { token, query: { limit: 200 } })).items.map((x) => x.id)).not.toContain(t.id);
    }
    // The colleague's own request: theirs and the first manager's, not the accountant's.
    const own = await c().ok('supportTicketCreate', { token: colleague, body: ticket({ subject: 'Мой вопрос' }) });
    await c().fails('supportTicketGet', 'NOT_FOUND', { token: accountant, params: { id: own.id } });
    // Paging and the status filter.
    const page1 = await c().ok('supportTicketsList', { token: head, query: { limit: 1, status: 'open' } });
    expect(page1.items).toHaveLength(1);
    const page2 = await c().ok('supportTicketsList', { token: head, query: { limit: 1, status: 'open', after: page1.nextAfter! } });
    expect(page2.items[0].id).not.toBe(page1.items[0].id);

    const feed = async (token: string) => [...(await c().pullAll(token)).state.entries()].filter(([, v]) => v.entity === 'support_ticket').map(([k]) => k.split(':')[1]);
    expect(await feed(accountant)).toContain(t.id);
    expect(await feed(accountant)).not.toContain(own.id);
    expect(await feed(head)).toEqual(expect.arrayContaining([t.id, own.id]));
    expect(await feed(colleague)).toEqual([own.id]);
    expect(await feed(other)).toEqual([]);
  });

  it('kense support: the queue across companies, one request, an answer that notifies the author and sets firstResponseAt', async () => {
    const theirs = await c().ok('supportTicketCreate', { token: other, body: ticket({ subject: 'Другая компания', priority: 'critical' }) });
    const ours = await c().ok('supportTicketCreate', { token: accountant, body: ticket({ subject: 'Наш вопрос' }) });
    // The whole queue in pages of two, oldest first, both companies in it.
    const seen: { id: string; createdAt: string; company: { iinBin: string } }[] = [];
    let after: string | undefined;
    for (let i = 0; i < 100; i++) {
      const p = await operatorOk(tc.url, 'operatorSupportTickets', { query: { limit: 2, after } });
      seen.push(...p.items);
      if (!p.nextAfter) break;
      after = p.nextAfter;
    }
    expect(new Set(seen.map((x) => x.id)).size).toBe(seen.length);
    expect(seen.map((x) => x.createdAt)).toEqual([...seen.map((x) => x.createdAt)].sort((a, b) => Date.parse(a) - Date.parse(b)));
    expect(seen.find((x) => x.id === theirs.id)?.company.iinBin).toBe(OTHER_BIN);
    expect(seen.find((x) => x.id === ours.id)?.company.iinBin).toBe('123456789021');
    const open = await operatorOk(tc.url, 'operatorSupportTickets', { query: { status: 'closed', limit: 200 } });
    expect(open.items.every((x) => x.status === 'closed')).toBe(true);
    expect((await operatorOk(tc.url, 'operatorSupportTicket', { params: { id: theirs.id } })).subject).toBe('Другая компания');
    expect(await operatorApi(tc.url, 'operatorSupportTicket', { params: { id: randomUUID() } })).toMatchObject({ ok: false, status: 404, error: { code: 'NOT_FOUND' } });

    const answered = await operatorOk(tc.url, 'operatorSupportReply', { params: { id: ours.id }, body: { body: 'Смотрим, ответим до обеда.' } });
    expect(answered).toMatchObject({ status: 'in_progress', sla: { firstResponseAt: expect.any(String) }, replies: [{ from: 'support', authorName: 'kense support', body: 'Смотрим, ответим до обеда.' }] });
    const second = await operatorOk(tc.url, 'operatorSupportReply', { params: { id: ours.id }, body: { body: 'Готово?' } });
    expect(second.sla.firstResponseAt).toBe(answered.sla.firstResponseAt);
    // The author is told (REST and feed); the first manager is not (it is not their request).
    const note = (await c().ok('notificationsList', { token: accountant, query: { limit: 200 } })).items.find((n) => n.link?.id === ours.id);
    expect(note).toMatchObject({ kind: 'support_reply', title: expect.stringContaining(ours.number) });
    expect((await c().ok('notificationsList', { token: head, query: { limit: 200 } })).items.find((n) => n.link?.id === ours.id)).toBeUndefined();
    // The user sees the answer on their request; the company's audit names kense support.
    expect((await c().ok('supportTicketGet', { token: accountant, params: { id: ours.id } })).replies.map((r) => r.from)).toEqual(['support', 'support']);
    const audit = await c().ok('auditList', { token: head, query: { limit: 200 } });
    expect(audit.items.find((e) => e.action === 'support.operator_reply' && e.target === `support_ticket:${ours.id}`)).toMatchObject({ userId: null, details: { actor: 'kense_operator', via: 'operator_api' } });
    // Another company's audit shows nothing of it.
    const theirsAudit = await c().ok('auditList', { token: other, query: { limit: 200 } });
    expect(theirsAudit.items.filter((e) => e.target === `support_ticket:${ours.id}`)).toEqual([]);
  });

  it('the operator routes open to the operator token only: none, a client token, a wrong one → 401', async () => {
    for (const token of [null, head, `${OPERATOR_TOKEN}x`]) {
      expect(await operatorApi(tc.url, 'operatorSupportTickets', { token })).toMatchObject({ ok: false, status: 401, error: { code: 'OPERATOR_AUTH_REQUIRED' } });
      expect(await operatorApi(tc.url, 'operatorSupportReply', { token, params: { id: randomUUID() }, body: { body: 'x' } })).toMatchObject({ ok: false, status: 401 });
    }
    const bad = await operatorApi(tc.url, 'operatorSupportReply', { params: { id: randomUUID() }, body: { body: '', status: 'open' } });
    expect(bad).toMatchObject({ ok: false, status: 400, error: { code: 'INVALID_INPUT' } });
  });
});
