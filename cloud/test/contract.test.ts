// Contract tests: every endpoint is called against the real server and its answer validated by the contract.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENDPOINTS, buildOpenApi, type EndpointName } from '../../contract/cloud';
import { base32Decode, totp } from '../src/auth/totp';
import { OPERATOR_ENDPOINTS, type OperatorEndpointName } from '../../contract/cloud/operator';
import { DEMO, eachBackend, exercised, operatorCall, operatorExercised, operatorOk, operatorPay, startTestCloud, type TestCloud } from './harness';
import { b64bytes, cmsB64 } from './keys';

eachBackend('cloud contract', (backend) => {
  let tc: TestCloud;
  let head: string;
  beforeAll(async () => {
    tc = await startTestCloud(backend);
    head = (await tc.client.login(DEMO.head)).accessToken;
  });
  afterAll(async () => tc?.close());
  const c = () => tc.client;

  it('public endpoints: health, OpenAPI (same as generated), app policy, challenge', async () => {
    expect((await c().ok('health')).storage).toBe(backend);
    expect(await c().ok('openapi')).toEqual(buildOpenApi());
    expect((await c().ok('appPolicy')).killSwitch.active).toBe(false);
    expect(await c().ok('timestampAuthority')).toMatchObject({ mode: 'builtin', certificates: [expect.any(String), expect.any(String)] });
    const ch = await c().ok('authChallenge');
    expect(ch.nonce.length).toBeGreaterThan(20);
    const policy = await c().ok('passwordPolicy', { headers: { 'accept-language': 'kk' } });
    expect(policy).toMatchObject({ minLength: 8, maxAgeDays: 90, lockoutThreshold: 5, lockoutMinutes: 15 });
    expect(policy.warnings.find((w) => w.code === 'EGOV_PASSWORD_REUSE')?.message).toContain('egov.kz');
  });

  it('sign-in, me, sessions, refresh, password change, TOTP, session end, logout', async () => {
    const login = await c().login(DEMO.head);
    expect(login.user.role).toBe('first_manager');
    expect(login.company.iinBin).toBe('123456789021');
    const me = await c().ok('me', { token: login.accessToken });
    expect(me.permissions).toContain('users.manage');
    const other = await c().login(DEMO.head);
    const sessions = await c().ok('sessionsList', { token: login.accessToken });
    expect(sessions.items.filter((x) => x.current)).toHaveLength(1);
    await c().ok('sessionEnd', { token: login.accessToken, params: { id: other.sessionId } });
    await c().fails('me', 'SESSION_ENDED', { token: other.accessToken });
    const rotated = await c().ok('authRefresh', { body: { refreshToken: login.refreshToken } });
    expect(rotated.refreshToken).not.toBe(login.refreshToken);

    // A fresh user exercises password change and two-factor.
    const user = await c().ok('userCreate', { token: head, body: { iin: '900101300017', fullName: 'Иванов Иван', role: 'viewer', initialPassword: 'Start-Pass-1!' } });
    const u = await c().login(user.iin, 'Start-Pass-1!');
    await c().fails('passwordChange', 'PASSWORD_POLICY', { token: u.accessToken, body: { currentPassword: 'Start-Pass-1!', newPassword: 'weakpass' } });
    await c().ok('passwordChange', { token: u.accessToken, body: { currentPassword: 'Start-Pass-1!', newPassword: 'Better-Pass-2#' } });
    const setup = await c().ok('totpSetup', { token: u.accessToken });
    const now = tc.server.services.clock.now();
    await c().ok('totpEnable', { token: u.accessToken, body: { code: totp(base32Decode(setup.secret), now) } });
    await c().fails('authPassword', 'TOTP_REQUIRED', { body: { iin: user.iin, password: 'Better-Pass-2#', device: { id: 'dev-totp-1', name: 'x' } } });
    tc.server.services.clock.advance(31_000);
    const later = tc.server.services.clock.now();
    const withCode = await c().ok('authPassword', { body: { iin: user.iin, password: 'Better-Pass-2#', totp: totp(base32Decode(setup.secret), later), device: { id: 'dev-totp-1', name: 'x' } } });
    tc.server.services.clock.advance(31_000);
    await c().ok('totpDisable', { token: withCode.accessToken, body: { code: totp(base32Decode(setup.secret), tc.server.services.clock.now()) } });
    await c().ok('authLogout', { token: withCode.accessToken });
    await c().fails('me', 'SESSION_ENDED', { token: withCode.accessToken });
  });

  it('company, branches, users and roles, counterparties', async () => {
    expect((await c().ok('company', { token: head })).name).toBe('АО "ТЕСТ"');
    const branch = await c().ok('branchCreate', { token: head, body: { name: 'Филиал в Караганде', bin: '240141000017', address: 'г. Караганда' } });
    expect((await c().ok('branchesList', { token: head })).items.map((b) => b.id)).toContain(branch.id);
    const u = await c().ok('userCreate', { token: head, body: { iin: '851231400021', fullName: 'Петрова Анна', role: 'accountant', initialPassword: 'Anna-Pass-1!' } });
    const moved = await c().ok('userChangeRole', { token: head, params: { id: u.id }, body: { role: 'manager', branchId: branch.id, baseVersion: u.version } });
    expect(moved).toMatchObject({ role: 'manager', branchId: branch.id });
    expect((await c().ok('usersList', { token: head })).items.length).toBeGreaterThanOrEqual(5);
    expect((await c().ok('userUnlock', { token: head, params: { id: u.id } })).locked).toBe(false);
    expect((await c().ok('userTerminate', { token: head, params: { id: u.id } })).terminated).toBe(true);

    const bad = await c().fails('counterpartyCreate', 'INVALID_INPUT', { token: head, body: { iinBin: '240140000012', name: 'ТОО «Ошибка»', account: { iik: 'KZ00722S000012345678', bik: 'CASPKZKA', bank: 'Kaspi' } } });
    const fields = (bad.details?.fields as { path: string; message: string }[]).map((f) => f.path);
    expect(fields).toEqual(expect.arrayContaining(['body.iinBin', 'body.account.iik']));
    const cp = await c().ok('counterpartyCreate', { token: head, body: { iinBin: '240140000203', name: 'ТОО «Новый партнёр»', account: { iik: 'KZ18722S000012345678', bik: 'CASPKZKA', bank: 'АО «Kaspi Bank»' } } });
    expect((await c().ok('counterpartyGet', { token: head, params: { id: cp.id } })).iinBin).toBe('240140000203');
    const page = await c().ok('counterpartiesList', { token: head, query: { limit: 10 } });
    expect(page.items).toHaveLength(10);
    expect(page.nextAfter).not.toBeNull();
    await c().ok('counterpartyDelete', { token: head, params: { id: cp.id } });
    await c().fails('counterpartyGet', 'NOT_FOUND', { token: head, params: { id: cp.id } });
  });

  it('billing: tariffs, subscription change from the 1st of next month, invoices, service acts', async () => {
    const tariffs = await c().ok('tariffsList', { token: head });
    const corporate = tariffs.items.find((t) => t.code === 'corporate')!;
    const closed = tariffs.items.find((t) => t.closedAt !== null)!;
    await c().fails('subscriptionChange', 'TARIFF_CLOSED', { token: head, body: { tariffId: closed.id } });
    // A client left on a closed tariff is moved to its successor after 3 days.
    await tc.server.services.db.updateTable('subscriptions').set({ tariff_id: closed.id, pending_tariff_id: null, pending_from: null }).execute();
    expect((await c().ok('subscriptionGet', { token: head })).tariffId).toBe(closed.successorId);
    const sub = await c().ok('subscriptionChange', { token: head, body: { tariffId: corporate.id } });
    expect(sub.pendingTariffId).toBe(corporate.id);
    expect(sub.pendingFrom).toMatch(/^\d{4}-\d{2}-01$/);
    expect((await c().ok('subscriptionGet', { token: head })).state).toBe('active');
    const invoices = await c().ok('invoicesList', { token: head, query: { limit: 50 } });
    expect(invoices.items).toHaveLength(12);
    const inv = await c().ok('invoiceGet', { token: head, params: { id: invoices.items[0].id } });
    expect(inv.payment).toMatchObject({ knp: '851', kbe: '17', bik: 'CASPKZKA' });
    // The demo's invoices are paid: nothing more is due on them. kense records a payment of a new one.
    expect(inv).toMatchObject({ status: 'paid', paidAmount: inv.total });
    const more = await operatorCall(tc.url, { invoiceId: inv.id, reference: 'PP-0' });
    expect(more).toMatchObject({ ok: false, status: 409, error: { code: 'PAYMENT_EXCEEDS_DUE', details: { remaining: 0 } } });
    const { newInvoice } = await import('../src/domain/billing');
    const fresh = newInvoice({ companyId: (await c().ok('company', { token: head })).id, branchId: null, tariffId: inv.tariffId, number: 'K-CONTRACT', period: '2019-01', issuedOn: '2019-01-01', amount: 900_000, paidAt: null });
    await tc.server.services.db.insertInto('invoices').values(fresh).execute();
    expect((await operatorPay(tc.url, { invoiceId: fresh.id, reference: 'PP-1' })).invoice.status).toBe('paid');
    expect(await c().ok('invoiceGet', { token: head, params: { id: fresh.id } })).toMatchObject({ status: 'paid', paidAmount: fresh.total });
    const services = await c().ok('serviceActsList', { token: head, query: { limit: 50 } });
    expect(services.items.length).toBeGreaterThanOrEqual(11);
    const one = await c().ok('serviceActGet', { token: head, params: { id: services.items[0].id } });
    expect(one.canonical.sha256).toMatch(/^[0-9a-f]{64}$/);

    // A fresh service act (issued today) can be signed; another refused.
    const s = tc.server.services;
    const { newServiceAct } = await import('../src/domain/billing');
    const { kzDate } = await import('../../contract/kz-calendar');
    const company = (await c().ok('company', { token: head }));
    const a1 = newServiceAct(company.id, { name: company.name, iinBin: company.iinBin }, '2099-01', kzDate(s.clock.now()), 1_500_000, 'T-1');
    const a2 = newServiceAct(company.id, { name: company.name, iinBin: company.iinBin }, '2099-02', kzDate(s.clock.now()), 1_500_000, 'T-2');
    await s.db.insertInto('service_acts').values([a1, a2]).execute();
    const signed = await c().ok('serviceActSign', { token: head, params: { id: a1.id }, body: { cms: cmsB64('head', a1.canonical) } });
    expect(signed.state).toBe('signed');
    expect(signed.signature?.certSerial).toBe('303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E');
    expect((await c().ok('serviceActRefuse', { token: head, params: { id: a2.id }, body: { reason: 'Неверная сумма' } })).state).toBe('refused');
  });

  it('acts: create, sign, send, withdraw, refuse, delete, list, get', async () => {
    const cps = await c().ok('counterpartiesList', { token: head, query: { limit: 5 } });
    const draft = await c().ok('actCreate', {
      token: head,
      body: { counterpartyId: cps.items[0].id, number: 'TEST-1', date: '2026-11-20', lines: [{ name: 'Услуги', performedOn: '2026-11-20', unit: 'усл.', quantity: '2.5', price: 1_000_000 }], handedOver: { position: 'Директор', name: 'ТЕСТОВ ТЕСТ' } },
    });
    expect(draft.r1.totals).toEqual({ amount: 2_500_000, vatRate: 16, vat: 400_000, amountWithVat: 2_900_000 });
    expect(draft.state).toBe('draft');
    const signed = await c().ok('actSign', { token: head, params: { id: draft.id }, body: { cms: cmsB64('head', b64bytes(draft.canonical.base64)) } });
    expect(signed.state).toBe('signed_by_us');
    expect((await c().ok('actSend', { token: head, params: { id: draft.id } })).state).toBe('sent');
    expect((await c().ok('actWithdraw', { token: head, params: { id: draft.id }, body: { reason: 'Ошибка в сумме' } })).state).toBe('withdrawn');

    const incoming = await c().ok('actsList', { token: head, query: { state: 'signed_by_them', limit: 5 } });
    expect(incoming.items.length).toBeGreaterThan(0);
    const refused = await c().ok('actRefuse', { token: head, params: { id: incoming.items[0].id }, body: { reason: 'Объём не соответствует договору' } });
    expect(refused.refusal).toMatchObject({ side: 'ours', reason: 'Объём не соответствует договору' });
    expect((await c().ok('actGet', { token: head, params: { id: refused.id } })).state).toBe('refused');

    const d2 = await c().ok('actCreate', { token: head, body: { counterpartyId: cps.items[1].id, number: 'TEST-2', date: '2025-12-20', lines: [{ name: 'Услуги', performedOn: '2025-12-20', unit: 'усл.', quantity: '1', price: 1_000_000 }], handedOver: { position: 'Директор', name: 'ТЕСТОВ ТЕСТ' } } });
    expect(d2.r1.totals.vatRate).toBe(12);
    await c().ok('actDelete', { token: head, params: { id: d2.id } });
    await c().fails('actGet', 'NOT_FOUND', { token: head, params: { id: d2.id } });
  });

  it('reconciliation acts: build, sign, refuse', async () => {
    const cps = await c().ok('counterpartiesList', { token: head, query: { limit: 3 } });
    const r1 = await c().ok('reconciliationCreate', { token: head, body: { counterpartyId: cps.items[0].id, periodFrom: '2026-01-01', periodTo: '2026-09-30' } });
    expect(r1.ours.closing).toBe(r1.ours.opening + r1.ours.turnover.debit - r1.ours.turnover.credit);
    const signed = await c().ok('reconciliationSign', { token: head, params: { id: r1.id }, body: { cms: cmsB64('head', b64bytes(r1.canonical.base64)) } });
    expect(signed.state).toBe('signed_by_us');
    const r2 = await c().ok('reconciliationCreate', { token: head, body: { counterpartyId: cps.items[1].id, periodFrom: '2026-01-01', periodTo: '2026-06-30' } });
    expect((await c().ok('reconciliationRefuse', { token: head, params: { id: r2.id }, body: { reason: 'Не учтена оплата' } })).state).toBe('refused');
    expect((await c().ok('reconciliationsList', { token: head, query: { limit: 100 } })).items.length).toBeGreaterThanOrEqual(2);
    expect((await c().ok('reconciliationGet', { token: head, params: { id: r1.id } })).id).toBe(r1.id);
  });

  it('dashboards and the accounting import; notifications; audit; certificates', async () => {
    const imp = await c().ok('accountingImport', {
      token: head,
      body: {
        format: 'kense-accounting/1', asOf: '2026-11-25T18:00:00+05:00', source: { system: '1C' },
        accounts: [{ code: '1030', name: 'Kaspi', kind: 'bank', balance: 1_000_000_00 }, { code: '1010', name: 'Касса', kind: 'cash', balance: 5_000_00 }],
        cashflow: [{ date: '2026-11-20', inflow: 100_00, outflow: 50_00 }],
        sales: [{ date: '2026-11-01', customerIinBin: '240140000011', customerName: 'ТОО «А»', amount: 300_00 }],
        receivables: [
          { counterpartyIinBin: '240140000011', counterpartyName: 'ТОО «А»', document: 'АВР 1', documentDate: '2026-11-10', dueDate: '2026-12-10', amount: 100_00 },
          { counterpartyIinBin: '240140000011', counterpartyName: 'ТОО «А»', document: 'АВР 2', documentDate: '2026-07-01', dueDate: '2026-08-01', amount: 40_00 },
        ],
        payables: [],
      },
    });
    expect(imp.dashboards).toContain('money');
    const dash = await c().ok('dashboardsList', { token: head });
    const money = dash.items.find((d) => d.kind === 'money');
    expect(money?.kind === 'money' && money.data.total).toBe(1_005_000_00);
    const rec = dash.items.find((d) => d.kind === 'receivables');
    expect(rec?.kind === 'receivables' && rec.data).toMatchObject({ total: 140_00, overdue: 40_00, aging: { d0_30: 100_00, d31_60: 0, d61_90: 0, d90_plus: 40_00 } });
    const badImport = await c().fails('accountingImport', 'INVALID_INPUT', { token: head, body: { format: 'kense-accounting/1', asOf: '2026-11-25T18:00:00+05:00', source: { system: '1C' }, accounts: [], cashflow: [], sales: [{ date: '2026-11-01', customerIinBin: '240140000012', customerName: 'x', amount: 1 }], receivables: [], payables: [] } });
    expect(JSON.stringify(badImport.details)).toContain('sales.0.customerIinBin');

    const notes = await c().ok('notificationsList', { token: head, query: { limit: 100 } });
    expect(notes.items.length).toBeGreaterThan(0);
    expect((await c().ok('notificationRead', { token: head, params: { id: notes.items[0].id } })).readAt).not.toBeNull();

    const audit = await c().ok('auditList', { token: head, query: { limit: 20, action: 'login' } });
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items.every((a) => a.action === 'login' && a.deviceName !== null)).toBe(true);
    const csv = await c().ok('auditExport', { token: head });
    expect(csv.split('\n')[0]).toBe('id,at,iin,user,device,ip,action,target,details');

    const serial = 'ABCDEF0123456789';
    expect((await c().ok('certificateCompromised', { token: head, params: { serial }, body: { reason: 'test' } })).status).toBe('compromised');
    expect((await c().ok('certificateRestore', { token: head, params: { serial } })).status).toBe('active');
    expect((await c().ok('certificatesList', { token: head })).items.map((x) => x.serial)).toContain(serial);
  });

  it('sync: pull and push', async () => {
    const { state } = await c().pullAll(head);
    expect([...state.values()].some((x) => x.entity === 'act')).toBe(true);
    const note = [...state.values()].find((x) => x.entity === 'notification' && x.data && x.data.readAt === null);
    const res = await c().ok('syncMutations', { token: head, body: { mutations: [{ mutationId: randomUUID(), name: 'markNotificationRead', args: { notificationId: note!.data!.id }, baseVersion: note!.version }] } });
    expect(res.results[0].status).toBe('applied');
  });

  it('certificate sign-in', async () => {
    const ch = await c().ok('authChallenge');
    const r = await c().ok('authCert', { body: { cms: cmsB64('head', ch.nonce), device: { id: 'dev-cert-01', name: 'cert' } } });
    expect(r).toMatchObject({ method: 'certificate', user: { iin: '123456789011', role: 'first_manager' } });
    // The bare shapes: {cms}, and ИИН + password; such a session is a device of its own.
    const ch2 = await c().ok('authChallenge');
    const bare = await c().ok('authCert', { body: { cms: cmsB64('head', ch2.nonce) }, headers: { 'user-agent': 'curl/8.5' } });
    const bare2 = await c().ok('authPassword', { body: { iin: DEMO.head, password: DEMO.password }, headers: { 'user-agent': 'curl/8.5' } });
    const sessions = (await c().ok('sessionsList', { token: bare.accessToken })).items;
    expect(sessions.filter((x) => x.id === bare.sessionId || x.id === bare2.sessionId).map((x) => x.device.name)).toEqual(['curl/8.5', 'curl/8.5']);
  });

  it('errors speak the caller’s language', async () => {
    const ru = await c().fails('me', 'AUTH_REQUIRED');
    const kk = await c().fails('me', 'AUTH_REQUIRED', { headers: { 'accept-language': 'kk-KZ,kk;q=0.9,ru;q=0.8' } });
    const en = await c().fails('me', 'AUTH_REQUIRED', { headers: { 'accept-language': 'en-US' } });
    expect(new Set([ru.message, kk.message, en.message]).size).toBe(3);
    expect(ru.status).toBe(401);
    const nf = await fetch(`${tc.url}/v1/nothing-here`);
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { code: string }).code).toBe('NOT_FOUND');
    const malformed = await fetch(`${tc.url}/v1/auth/password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"iin":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('INVALID_INPUT');
  });

  it('malformed positions and identifiers are field errors, never a database error', async () => {
    for (const [name, query] of [['actsList', { after: 'zzz' }], ['invoicesList', { after: '1; drop table acts' }], ['counterpartiesList', { after: 'x' }], ['auditList', { after: 'NaN' }], ['notificationsList', { after: '-1' }]] as const) {
      const e = await c().fails(name, 'INVALID_INPUT', { token: head, query: query as never });
      expect(e.status, name).toBe(400);
      expect(JSON.stringify(e.details), name).toContain('query.after');
    }
    const page = await c().ok('auditList', { token: head, query: { limit: 2 } });
    const next = await c().ok('auditList', { token: head, query: { limit: 2, after: page.nextAfter! } });
    expect(Number(next.items[0].id)).toBeLessThan(Number(page.items[1].id));
  });

  it('HTTP hygiene: security headers, no CORS, body limits, an empty JSON body is no body, identifier errors in the caller’s language', async () => {
    const res = await fetch(`${tc.url}/v1/auth/challenge`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(Object.fromEntries(['cache-control', 'x-content-type-options', 'x-frame-options', 'referrer-policy'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer',
    });
    const pre = await fetch(`${tc.url}/v1/me`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const big = await fetch(`${tc.url}/v1/auth/password`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, body: JSON.stringify({ iin: '1'.repeat(12), password: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'REQUEST_TOO_LARGE', message: 'The request is too large.' });
    const bad = await c().fails('counterpartyCreate', 'INVALID_INPUT', { token: head, headers: { 'accept-language': 'kk' }, body: { iinBin: '240140000012', name: 'ТОО «Қате»', kbe: '37', account: { iik: 'KZ00722S000012345678', bik: 'caspkzka', bank: 'Kaspi' } } });
    expect(bad.details?.fields).toEqual(expect.arrayContaining([
      { path: 'body.iinBin', problem: 'check_digit', message: 'ЖСН/БСН: бақылау цифры сәйкес келмейді — нөмірді тексеріңіз' },
      { path: 'body.account.iik', problem: 'check_digit', message: 'ЖСК: бақылау цифры сәйкес келмейді — нөмірді тексеріңіз' },
      { path: 'body.account.bik', problem: 'format', message: 'БСК: күтілгені 8 латын әрпі мен цифр, мысалы CASPKZKA' },
      expect.objectContaining({ path: 'body.kbe', problem: 'format' }),
    ]));
  });

  it('support: ask with a screenshot and the doctor report, reply, kense answers and resolves, rate, reopen; kense support’s queue', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');
    const t = await c().ok('supportTicketCreate', {
      token: head,
      body: { priority: 'high', subject: 'Не подписывается акт', description: 'NCALayer не видит ключ после обновления.', screenshot: { mediaType: 'image/png', base64: png }, attachments: [{ kind: 'doctor_report', name: 'doctor.json', text: '{"ncalayer":"missing"}' }] },
    });
    expect(t).toMatchObject({ status: 'open', sla: { clock: 'business_hours', firstResponseAt: null } });
    expect((await c().ok('supportTicketsList', { token: head, query: { status: 'open' } })).items.map((x) => x.id)).toContain(t.id);
    const doctor = t.attachments.find((a) => a.kind === 'doctor_report')!;
    expect((await c().ok('supportAttachmentGet', { token: head, params: { id: t.id, attachmentId: doctor.id } })).mediaType).toMatch(/^text\/plain/);
    await c().ok('supportTicketReply', { token: head, params: { id: t.id }, body: { body: 'Версия 1.4.2, Windows 11.' } });
    const queue = await operatorOk(tc.url, 'operatorSupportTickets', { query: { status: 'open' } });
    expect(queue.items.map((x) => x.id)).toContain(t.id);
    expect((await operatorOk(tc.url, 'operatorSupportTicket', { params: { id: t.id } })).company.iinBin).toBe('123456789021');
    const resolved = await operatorOk(tc.url, 'operatorSupportReply', { params: { id: t.id }, body: { body: 'Переустановите NCALayer 1.4.', status: 'resolved' } });
    expect(resolved.sla.firstResponseAt).not.toBeNull();
    expect(await c().ok('supportTicketGet', { token: head, params: { id: t.id } })).toMatchObject({ status: 'resolved' });
    expect(await c().ok('supportTicketRate', { token: head, params: { id: t.id }, body: { score: 5 } })).toMatchObject({ status: 'closed' });
    expect(await c().ok('supportTicketReopen', { token: head, params: { id: t.id }, body: { reason: 'Снова не видит ключ.' } })).toMatchObject({ status: 'open', reopened: 1 });
  });

  it('the audit log holds every significant action with who, when, device and IP; the first manager exports it', async () => {
    await c().fails('authPassword', 'INVALID_CREDENTIALS', { body: { iin: DEMO.head, password: 'Not-The-Password-1!', device: { id: 'dev-audit-01', name: 'audit laptop' } } });
    const entries = [];
    for (let after: string | undefined; ; ) {
      const page = await c().ok('auditList', { token: head, query: { limit: 1000, after } });
      entries.push(...page.items);
      if (!page.nextAfter) break;
      after = page.nextAfter;
    }
    const significant = [
      'login', 'login.failed', 'logout', 'password.change', 'totp.enable', 'totp.disable', 'session.end', 'branch.create', 'user.create',
      'user.role_change', 'user.unlock', 'user.terminate', 'counterparty.create', 'counterparty.delete', 'tariff.change', 'invoice.payment',
      'service_act.sign', 'service_act.refuse', 'act.create', 'act.sign', 'act.send', 'act.withdraw', 'act.refuse', 'act.delete',
      'reconciliation.create', 'reconciliation.sign', 'reconciliation.refuse', 'accounting.import', 'audit.export', 'certificate.compromised', 'certificate.restored',
      'support.create', 'support.reply', 'support.rate', 'support.reopen', 'support.operator_reply',
    ];
    const seen = new Set(entries.map((e) => e.action));
    expect(significant.filter((a) => !seen.has(a))).toEqual([]);
    for (const e of entries.filter((x) => significant.includes(x.action))) {
      if (e.action === 'invoice.payment') {
        // Recorded by kense's operator from the bank statement, never by a user of the company.
        expect(e).toMatchObject({ userId: null, userName: null, sessionId: null, deviceName: 'kense operator (operator_api)', ip: expect.stringMatching(/127\.0\.0\.1/), details: { actor: 'kense_operator', via: 'operator_api' } });
        continue;
      }
      if (e.action === 'support.operator_reply') {
        // kense support answered: in the client's log, never as one of its users.
        expect(e).toMatchObject({ userId: null, userName: null, sessionId: null, deviceName: 'kense support (operator_api)', ip: expect.stringMatching(/127\.0\.0\.1/), details: { actor: 'kense_operator', via: 'operator_api' } });
        continue;
      }
      expect(e.userId, e.action).not.toBeNull();
      expect(e.deviceName, e.action).not.toBeNull();
      expect(e.ip, e.action).toMatch(/127\.0\.0\.1/);
      expect(Date.parse(e.at), e.action).toBeGreaterThan(0);
    }
    const csv = await c().ok('auditExport', { token: head });
    for (const a of significant) expect(csv, a).toContain(`,${a},`);
  });

  it('every endpoint of the contract was exercised, and every operator route', () => {
    const missing = (Object.keys(ENDPOINTS) as EndpointName[]).filter((n) => !exercised.has(n));
    expect(missing).toEqual([]);
    expect((Object.keys(OPERATOR_ENDPOINTS) as OperatorEndpointName[]).filter((n) => !operatorExercised.has(n))).toEqual([]);
  });
});
