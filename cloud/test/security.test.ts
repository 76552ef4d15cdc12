// Security tests: lockout, rate limits, token reuse and expiry, termination (remote wipe), app policy,
// forged/altered CMS, signers without the right, compromised and revoked certificates, tariff blocking.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { kzDate, addCalendarDays } from '../../contract/kz-calendar';
import { newInvoice } from '../src/domain/billing';
import { TARIFF_ID } from '../src/seed/catalog';
import { createSignatureService } from '../src/signatures';
import { base32Decode, totp } from '../src/auth/totp';
import { DEMO, eachBackend, operatorPay, startTestCloud, type TestCloud } from './harness';
import { ENDPOINTS, ROLES, type Endpoint, type EndpointName } from '../../contract/cloud';
import { b64bytes, cmsB64, testKey } from './keys';

eachBackend('cloud security', (backend) => {
  let tc: TestCloud;
  let head: string;
  const c = () => tc.client;
  const users = () => tc.server.seed!.users;
  beforeAll(async () => {
    tc = await startTestCloud(backend);
    head = (await c().login(DEMO.head)).accessToken;
  });
  afterAll(async () => tc?.close());
  // Some tests move the clock forward: every test starts with a fresh session.
  beforeEach(async () => {
    head = (await c().login(DEMO.head)).accessToken;
  });

  async function newUser(role: 'accountant' | 'manager' | 'viewer', iin: string) {
    const u = await c().ok('userCreate', { token: head, body: { iin, fullName: `Пользователь ${iin}`, role, initialPassword: 'User-Pass-1!' } });
    return u;
  }

  it('five wrong passwords in a row lock the account; the first manager unlocks; the cool-down also unlocks', async () => {
    const u = await newUser('viewer', '900101300017');
    const dev = { id: 'dev-lock-01', name: 'x' };
    for (let i = 1; i <= 4; i++) await c().fails('authPassword', 'INVALID_CREDENTIALS', { body: { iin: u.iin, password: `Wrong-${i}!x`, device: dev } });
    await c().fails('authPassword', 'ACCOUNT_LOCKED', { body: { iin: u.iin, password: 'Wrong-5!x', device: dev } });
    const locked = await c().fails('authPassword', 'ACCOUNT_LOCKED', { body: { iin: u.iin, password: 'User-Pass-1!', device: dev } });
    expect(locked.status).toBe(423);
    const audit = await c().ok('auditList', { token: head, query: { action: 'account.locked' } });
    expect(audit.items.some((a) => a.userId === u.id)).toBe(true);
    await c().ok('userUnlock', { token: head, params: { id: u.id } });
    await c().ok('authPassword', { body: { iin: u.iin, password: 'User-Pass-1!', device: dev } });

    for (let i = 1; i <= 5; i++) await c().call('authPassword', { body: { iin: u.iin, password: `Wrong-${i}!x`, device: dev } });
    await c().fails('authPassword', 'ACCOUNT_LOCKED', { body: { iin: u.iin, password: 'User-Pass-1!', device: dev } });
    tc.server.services.clock.advance(tc.server.services.config.lockoutCooldownSec * 1000 + 1000);
    await c().ok('authPassword', { body: { iin: u.iin, password: 'User-Pass-1!', device: dev } });
  });

  it('typed-in ИИН is validated (НУЦ test identities pass only under test trust); unknown ИИН and wrong password look alike', async () => {
    const bad = await c().fails('authPassword', 'INVALID_INPUT', { body: { iin: '900101300018', password: 'x', device: { id: 'dev-iin-01', name: 'x' } } });
    expect(bad.details?.fields).toEqual([{ path: 'body.iin', problem: 'check_digit', message: 'ИИН: контрольная цифра не сходится — проверьте номер' }]);
    await c().fails('authPassword', 'INVALID_CREDENTIALS', { body: { iin: '240140000011'.replace('24014000001', '85123140002'), password: 'Nope-1!x', device: { id: 'dev-iin-02', name: 'x' } } });
  });

  it('lockout tells nobody which ИИН are users: an unknown ИИН locks after five tries exactly like an account', async () => {
    const u = await newUser('viewer', '851231400021');
    const answers = async (iin: string) => {
      const out = [];
      for (let i = 1; i <= 6; i++) out.push((await c().call('authPassword', { body: { iin, password: `Wrong-${i}!x`, device: { id: 'dev-enum-01', name: 'x' } } })) as { status: number; error?: { code: string } });
      return out.map((a) => `${a.status} ${a.error?.code}`);
    };
    const real = await answers(u.iin);
    expect(real).toEqual([...Array(4).fill('401 INVALID_CREDENTIALS'), '423 ACCOUNT_LOCKED', '423 ACCOUNT_LOCKED']);
    expect(await answers('800101300056')).toEqual(real); // no user has this ИИН
    tc.server.services.clock.advance(tc.server.services.config.lockoutCooldownSec * 1000 + 1000);
  });

  it('a password older than the periodic-change limit must be changed before other work; the certificate path is unaffected', async () => {
    const u = await newUser('accountant', '750505400037');
    const old = new Date(tc.server.services.clock.now().getTime() - (tc.server.services.config.passwordMaxAgeDays + 1) * 86_400_000);
    await tc.server.services.db.updateTable('users').set({ password_changed_at: old }).where('id', '=', u.id).execute();
    const s = await c().login(u.iin, 'User-Pass-1!');
    expect(s.passwordChangeRequired).toBe(true);
    expect(Date.parse(s.passwordExpiresAt!)).toBeLessThan(tc.server.services.clock.now().getTime());
    const e = await c().fails('actsList', 'PASSWORD_EXPIRED', { token: s.accessToken });
    expect(e.status).toBe(403);
    await c().fails('syncChanges', 'PASSWORD_EXPIRED', { token: s.accessToken });
    await c().ok('me', { token: s.accessToken });
    await c().ok('passwordChange', { token: s.accessToken, body: { currentPassword: 'User-Pass-1!', newPassword: 'Fresh-Pass-2#' } });
    await c().ok('actsList', { token: s.accessToken, query: { limit: 1 } });
    expect((await c().login(u.iin, 'Fresh-Pass-2#')).passwordChangeRequired).toBe(false);
  });

  it('a TOTP code works once: a replay within its window and a concurrent second sign-in with it are refused', async () => {
    const u = await newUser('viewer', '911111300046');
    const s = await c().login(u.iin, 'User-Pass-1!');
    const setup = await c().ok('totpSetup', { token: s.accessToken });
    const clock = tc.server.services.clock;
    await c().ok('totpEnable', { token: s.accessToken, body: { code: totp(base32Decode(setup.secret), clock.now()) } });
    clock.advance(30_000);
    const code = totp(base32Decode(setup.secret), clock.now());
    const body = (n: number) => ({ iin: u.iin, password: 'User-Pass-1!', totp: code, device: { id: `dev-totp-r${n}`, name: 'x' } });
    const both = await Promise.all([c().call('authPassword', { body: body(1) }), c().call('authPassword', { body: body(2) })]);
    expect(both.map((a) => (a.ok ? 'ok' : a.error.code)).sort()).toEqual(['TOTP_INVALID', 'ok']);
    await c().fails('authPassword', 'TOTP_INVALID', { body: body(3) });
    clock.advance(30_000);
    await c().ok('authPassword', { body: { ...body(4), totp: totp(base32Decode(setup.secret), clock.now()) } });
  });

  it('rate limits per ИИН and per IP', async () => {
    const cfg = tc.server.services.config.rateLimit;
    const saved = { ...cfg };
    try {
      cfg.perIinPerMinute = 3;
      const body = { iin: '880808300012', password: 'Wrong-1!x', device: { id: 'dev-rate-01', name: 'x' } };
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await c().call('authPassword', { body })).status);
      expect(codes.slice(3)).toEqual([429, 429]);
      cfg.perIinPerMinute = 1000;
      cfg.perIpPerMinute = 2;
      await c().call('authChallenge');
      await c().call('authChallenge');
      await c().fails('authChallenge', 'RATE_LIMITED');
    } finally {
      Object.assign(cfg, saved);
      tc.server.services.clock.advance(61_000);
    }
  });

  it('reuse of a rotated refresh token ends the session; access tokens expire after 10 minutes', async () => {
    const s = await c().login(DEMO.accountant);
    const r2 = await c().ok('authRefresh', { body: { refreshToken: s.refreshToken } });
    const reuse = await c().fails('authRefresh', 'REFRESH_TOKEN_REUSED', { body: { refreshToken: s.refreshToken } });
    expect(reuse.status).toBe(401);
    await c().fails('authRefresh', 'SESSION_ENDED', { body: { refreshToken: r2.refreshToken } });
    await c().fails('me', 'SESSION_ENDED', { token: r2.accessToken });
    await c().fails('authRefresh', 'REFRESH_TOKEN_INVALID', { body: { refreshToken: 'kr_not-a-token-at-all' } });

    const t = await c().login(DEMO.accountant);
    tc.server.services.clock.advance(601_000);
    await c().fails('me', 'TOKEN_EXPIRED', { token: t.accessToken });
    const fresh = await c().ok('authRefresh', { body: { refreshToken: t.refreshToken } });
    await c().ok('me', { token: fresh.accessToken });
  });

  it('a terminated account hears ACCOUNT_TERMINATED on every call (remote wipe)', async () => {
    const u = await newUser('accountant', '851231400207');
    const s = await c().login(u.iin, 'User-Pass-1!');
    await c().ok('userTerminate', { token: head, params: { id: u.id } });
    for (const name of ['me', 'syncChanges', 'actsList', 'dashboardsList'] as const) {
      const e = await c().fails(name, 'ACCOUNT_TERMINATED', { token: s.accessToken });
      expect(e.status).toBe(410);
    }
    await c().fails('authRefresh', 'ACCOUNT_TERMINATED', { body: { refreshToken: s.refreshToken } });
    // Only the holder of the password is told; a guess is just a wrong password.
    await c().fails('authPassword', 'INVALID_CREDENTIALS', { body: { iin: u.iin, password: 'Guess-Pass-1!', device: { id: 'dev-term-01', name: 'x' } } });
    await c().fails('authPassword', 'ACCOUNT_TERMINATED', { body: { iin: u.iin, password: 'User-Pass-1!', device: { id: 'dev-term-01', name: 'x' } } });
  });

  it('role-based access on endpoints: a viewer cannot read acts, invoices or the audit log', async () => {
    const viewer = users().find((u) => u.role === 'viewer')!;
    const v = await c().login(viewer.iin);
    for (const name of ['actsList', 'invoicesList', 'auditList', 'usersList', 'counterpartiesList'] as const) {
      const e = await c().fails(name, 'FORBIDDEN', { token: v.accessToken });
      expect(e.status).toBe(403);
    }
    await c().ok('dashboardsList', { token: v.accessToken });
    const acc = await c().login(DEMO.accountant);
    await c().fails('userCreate', 'FORBIDDEN', { token: acc.accessToken, body: { iin: '900101300017', fullName: 'Иванов Иван', role: 'viewer', initialPassword: 'User-Pass-1!' } });
  });

  it('role-based access on every endpoint of the contract: each role outside an endpoint’s roles is refused', async () => {
    const byRole = {
      first_manager: head,
      accountant: (await c().login(DEMO.accountant)).accessToken,
      manager: (await c().login(users().find((u) => u.role === 'manager')!.iin)).accessToken,
      viewer: (await c().login(users().find((u) => u.role === 'viewer')!.iin)).accessToken,
    };
    let checked = 0;
    for (const [name, e] of Object.entries(ENDPOINTS) as [EndpointName, Endpoint][]) {
      if (!e.roles) continue;
      const params = Object.fromEntries([...e.path.matchAll(/:(\w+)/g)].map((m) => [m[1], m[1] === 'serial' ? 'ABCDEF01' : randomUUID()]));
      for (const role of ROLES.filter((r) => !e.roles!.includes(r))) {
        const a = await c().call(name, { token: byRole[role], params: params as never, body: e.body ? {} : undefined });
        expect(a.ok ? 'ok' : `${a.status} ${a.error.code}`, `${name} as ${role}`).toBe('403 FORBIDDEN');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('the feed carries only what each role may see', async () => {
    const never: Record<string, string[]> = {
      first_manager: [],
      accountant: ['user'],
      manager: ['user', 'invoice', 'service_act', 'reconciliation', 'dashboard'],
      viewer: ['user', 'invoice', 'service_act', 'reconciliation', 'act', 'counterparty'],
    };
    for (const u of users()) {
      const t = (await c().login(u.iin)).accessToken;
      const kinds = new Set([...(await c().pullAll(t, undefined, 1000)).state.values()].map((x) => x.entity));
      expect([...kinds].filter((k) => never[u.role].includes(k)), u.role).toEqual([]);
      expect(kinds.has('subscription'), u.role).toBe(true);
    }
  });

  it('app policy: an outdated desktop version must update; the kill switch stops the app', async () => {
    const policy = tc.server.services.config.appPolicy;
    policy.minimumVersion = '1.2.0';
    try {
      await c().fails('me', 'APP_VERSION_UNSUPPORTED', { token: head, headers: { 'x-kense-app-version': '1.1.9' } });
      await c().ok('me', { token: head, headers: { 'x-kense-app-version': '1.2.0' } });
      policy.killSwitch = { active: true, message: 'maintenance' };
      await c().fails('me', 'APP_DISABLED', { token: head, headers: { 'x-kense-app-version': '1.3.0' } });
      expect((await c().ok('appPolicy', { headers: { 'x-kense-app-version': '1.3.0' } })).killSwitch.active).toBe(true);
    } finally {
      policy.minimumVersion = '0.1.0';
      policy.killSwitch = { active: false, message: null };
    }
  });

  async function draftAct(token: string, number = `SEC-${randomUUID().slice(0, 6)}`) {
    const cp = (await c().ok('counterpartiesList', { token: head, query: { limit: 1 } })).items[0];
    return c().ok('actCreate', { token, body: { counterpartyId: cp.id, number, date: '2026-11-20', lines: [{ name: 'Услуги', performedOn: '2026-11-20', unit: 'усл.', quantity: '1', price: 10_000_00 }], handedOver: { position: 'Директор', name: 'ТЕСТОВ ТЕСТ' } } });
  }
  const sign = (token: string, actId: string, cms: string) =>
    c().ok('syncMutations', { token, body: { mutations: [{ mutationId: randomUUID(), name: 'signAct', args: { actId, cms }, baseVersion: null }] } }).then((r) => r.results[0]);

  it('signing: head key applies; employee with the right to sign applies; plain employee, altered CMS, other bytes, wrong person are rejected', async () => {
    const acc = await c().login(DEMO.accountant);
    const a1 = await draftAct(head);
    expect(await sign(head, a1.id, cmsB64('head', b64bytes(a1.canonical.base64)))).toMatchObject({ status: 'applied' });
    const a2 = await draftAct(head);
    expect(await sign(acc.accessToken, a2.id, cmsB64('employee_signright', b64bytes(a2.canonical.base64), true))).toMatchObject({ status: 'applied' });

    const a3 = await draftAct(head);
    const bytes = b64bytes(a3.canonical.base64);
    // The kit's legal/valid/employee.p12 is listed on the test CRL (checked: serial 130D7A4B…); with CRL checks on
    // it is refused as revoked, and with revocation checks off the missing right to sign is what refuses it.
    expect(await sign(acc.accessToken, a3.id, cmsB64('employee', bytes))).toMatchObject({ status: 'rejected', code: 'CERT_REVOKED' });
    const services = tc.server.services;
    const withCrl = services.signatures;
    services.signatures = async () => createSignatureService({ trust: 'test', revocation: 'none', crlFiles: [] }, services.clock);
    try {
      expect(await sign(acc.accessToken, a3.id, cmsB64('employee', bytes))).toMatchObject({ status: 'rejected', code: 'SIGN_RIGHT_MISSING' });
    } finally {
      services.signatures = withCrl;
    }
    const cms = Buffer.from(cmsB64('head', bytes), 'base64');
    cms[cms.length - 10] ^= 0x01; // inside the signature value
    expect(await sign(head, a3.id, cms.toString('base64'))).toMatchObject({ status: 'rejected', code: 'CMS_INVALID' });
    const altered = new Uint8Array(bytes);
    altered[20] ^= 0x01;
    expect(await sign(head, a3.id, cmsB64('head', altered))).toMatchObject({ status: 'rejected', code: 'CMS_INVALID' });
    expect(await sign(head, a3.id, cmsB64('head', altered, true))).toMatchObject({ status: 'rejected', code: 'CMS_INVALID' });
    expect(await sign(head, a3.id, cmsB64('employee_signright', bytes))).toMatchObject({ status: 'rejected', code: 'CERT_WRONG_SIGNER' });
    expect(await sign(head, a3.id, cmsB64('individual', bytes))).toMatchObject({ status: 'rejected', code: 'CERT_WRONG_SIGNER' });
    expect(await sign(head, a3.id, cmsB64('head_revoked', bytes))).toMatchObject({ status: 'rejected', code: 'CERT_REVOKED' });
    expect((await c().ok('actGet', { token: head, params: { id: a3.id } })).state).toBe('draft');
  });

  it('a compromised certificate can neither sign nor log in until the first manager restores it', async () => {
    const serial = testKey('employee_signright').certificate.serialNumber;
    const acc = await c().login(DEMO.accountant);
    const ch0 = await c().ok('authChallenge');
    const withKey = await c().ok('authCert', { body: { cms: cmsB64('employee_signright', ch0.nonce), device: { id: 'dev-comp-00', name: 'stolen laptop' } } });
    await c().ok('me', { token: withKey.accessToken });
    const rep = await c().ok('certificateCompromised', { token: acc.accessToken, params: { serial }, body: { reason: 'ноутбук украден' } });
    expect(rep.status).toBe('compromised');
    // A session opened with the key ends with it; the password session that reported it goes on.
    await c().fails('me', 'SESSION_ENDED', { token: withKey.accessToken });
    await c().fails('authRefresh', 'SESSION_ENDED', { body: { refreshToken: withKey.refreshToken } });
    await c().ok('me', { token: acc.accessToken });
    const a = await draftAct(head);
    expect(await sign(acc.accessToken, a.id, cmsB64('employee_signright', b64bytes(a.canonical.base64)))).toMatchObject({ status: 'rejected', code: 'CERT_COMPROMISED' });
    const ch = await c().ok('authChallenge');
    await c().fails('authCert', 'CERT_COMPROMISED', { body: { cms: cmsB64('employee_signright', ch.nonce), device: { id: 'dev-comp-01', name: 'x' } } });
    const failed = await c().ok('auditList', { token: head, query: { action: 'login.failed', limit: 5 } });
    expect(failed.items[0]).toMatchObject({ deviceName: 'x', details: { method: 'certificate', reason: 'compromised' } });
    await c().fails('certificateRestore', 'FORBIDDEN', { token: acc.accessToken, params: { serial } });
    await c().ok('certificateRestore', { token: head, params: { serial } });
    expect(await sign(acc.accessToken, a.id, cmsB64('employee_signright', b64bytes(a.canonical.base64)))).toMatchObject({ status: 'applied' });
  });

  it('certificate sign-in: single-use nonce, forged CMS, revoked key, unknown person', async () => {
    const ch = await c().ok('authChallenge');
    const cms = cmsB64('head', ch.nonce);
    await c().ok('authCert', { body: { cms, device: { id: 'dev-cert-11', name: 'x' } } });
    await c().fails('authCert', 'CHALLENGE_INVALID', { body: { cms, device: { id: 'dev-cert-11', name: 'x' } } });
    await c().fails('authCert', 'CHALLENGE_INVALID', { body: { cms: cmsB64('head', 'kense-login:made-up-nonce'), device: { id: 'dev-cert-12', name: 'x' } } });
    const ch2 = await c().ok('authChallenge');
    const forged = Buffer.from(cmsB64('head', ch2.nonce), 'base64');
    forged[forged.length - 5] ^= 0x40;
    await c().fails('authCert', 'CMS_INVALID', { body: { cms: forged.toString('base64'), device: { id: 'dev-cert-13', name: 'x' } } });
    const ch3 = await c().ok('authChallenge');
    await c().fails('authCert', 'CERT_REVOKED', { body: { cms: cmsB64('head_revoked', ch3.nonce), device: { id: 'dev-cert-14', name: 'x' } } });
    const ch4 = await c().ok('authChallenge');
    tc.server.services.clock.advance(301_000);
    await c().fails('authCert', 'CHALLENGE_INVALID', { body: { cms: cmsB64('head', ch4.nonce), device: { id: 'dev-cert-15', name: 'x' } } });
    const ch5 = await c().ok('authChallenge');
    const ind = await c().ok('authCert', { body: { cms: cmsB64('individual', ch5.nonce), device: { id: 'dev-cert-16', name: 'x' } } });
    expect(ind.user.iin).toBe('123456789011');
  });

  it('production trust never accepts the НУЦ test keys', async () => {
    const services = tc.server.services;
    const saved = services.signatures;
    services.signatures = async () => createSignatureService({ trust: 'production', revocation: 'none', crlFiles: [] }, services.clock);
    try {
      const ch = await c().ok('authChallenge');
      await c().fails('authCert', 'CERT_UNTRUSTED', { body: { cms: cmsB64('head', ch.nonce), device: { id: 'dev-prod-01', name: 'x' } } });
    } finally {
      services.signatures = saved;
    }
  });

  it('an unpaid invoice past 5 days blocks outgoing work (incoming stays); payment unblocks; a branch can be blocked alone', async () => {
    const s = tc.server.services;
    const company = await c().ok('company', { token: head });
    const today = kzDate(s.clock.now());
    const draft = await draftAct(head);
    const inv = newInvoice({ companyId: company.id, branchId: null, tariffId: TARIFF_ID.business, number: 'K-OVERDUE', period: '2020-01', issuedOn: addCalendarDays(today, -6), amount: 1_500_000, paidAt: null });
    await s.db.insertInto('invoices').values(inv).execute();
    const sub = await c().ok('subscriptionGet', { token: head });
    expect(sub).toMatchObject({ state: 'blocked', outgoingAllowed: false });
    expect(sub.unpaidInvoiceIds).toContain(inv.id);
    expect(await sign(head, draft.id, cmsB64('head', b64bytes(draft.canonical.base64)))).toMatchObject({ status: 'rejected', code: 'TARIFF_BLOCKED' });
    await c().fails('actCreate', 'TARIFF_BLOCKED', { token: head, body: { counterpartyId: draft.counterpartyId!, number: 'X', date: '2026-11-20', lines: [{ name: 'x', performedOn: '2026-11-20', unit: 'усл.', quantity: '1', price: 100 }], handedOver: { position: 'x', name: 'x' } } });
    const incoming = (await c().ok('actsList', { token: head, query: { state: 'signed_by_them', limit: 1 } })).items[0];
    expect(await sign(head, incoming.id, cmsB64('head', b64bytes(incoming.canonical.base64)))).toMatchObject({ status: 'applied' });
    const viewer = users().find((u) => u.role === 'viewer')!;
    const v = await c().login(viewer.iin);
    const { state } = await c().pullAll(v.accessToken);
    expect([...state.values()].find((x) => x.entity === 'subscription')?.data).toMatchObject({ state: 'blocked' });
    await operatorPay(tc.url, { invoiceId: inv.id, reference: 'PP-777' });
    expect((await c().ok('subscriptionGet', { token: head })).state).toBe('active');
    expect(await sign(head, draft.id, cmsB64('head', b64bytes(draft.canonical.base64)))).toMatchObject({ status: 'applied' });

    const branch = (await c().ok('branchesList', { token: head })).items[0];
    const binv = newInvoice({ companyId: company.id, branchId: branch.id, tariffId: TARIFF_ID.business, number: 'K-BRANCH', period: today.slice(0, 7), issuedOn: addCalendarDays(today, -7), amount: 500_000, paidAt: null });
    await s.db.insertInto('invoices').values(binv).execute();
    const bsub = await c().ok('subscriptionGet', { token: head });
    expect(bsub).toMatchObject({ state: 'active', blockedBranchIds: [branch.id] });
    expect((await c().ok('branchesList', { token: head })).items.find((b) => b.id === branch.id)?.blocked).toBe(true);
    await c().fails('actCreate', 'TARIFF_BLOCKED', { token: head, body: { counterpartyId: draft.counterpartyId!, branchId: branch.id, number: 'Y', date: '2026-11-20', lines: [{ name: 'x', performedOn: '2026-11-20', unit: 'усл.', quantity: '1', price: 100 }], handedOver: { position: 'x', name: 'x' } } });
    await operatorPay(tc.url, { invoiceId: binv.id, reference: 'PP-778' });
  });
});
