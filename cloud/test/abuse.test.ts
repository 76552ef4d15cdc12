// Issue 9 — what a hostile tenant or a careless integrator sent and what it broke, one test per failure:
// input that passed validation ended in 500 (unsafe products, year 0000, month 13, NUL), bad text was stored,
// money sums lost precision, mutation ids were one space for all companies, a retried create made two
// documents, a terminated user's role could be changed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { iinBinCheckDigit } from '../../contract/kz-identifiers';
import { ACCOUNTING_IMPORT_LIMITS } from '../../contract/cloud';
import { createTenant } from '../src/seed/tenant';
import { DEMO, eachBackend, startTestCloud, type TestCloud } from './harness';

/** A valid 12-digit identifier from its first 11 digits. */
const withCheckDigit = (first11: string) => `${first11}${iinBinCheckDigit(first11)}`;
const OTHER_BIN = withCheckDigit('15044001234');
const OTHER_HEAD = withCheckDigit('85070230012');

const line = (over: Record<string, unknown> = {}) => ({ name: 'Консультационные услуги', performedOn: '2026-03-02', unit: 'усл.', quantity: '1', price: 100_000, ...over });
const handedOver = { position: 'Директор', name: 'Тестов Т.' };
const importBody = (over: Record<string, unknown> = {}) => ({ format: 'kense-accounting/1', asOf: '2026-11-25T18:00:00+05:00', source: { system: '1C' }, accounts: [], cashflow: [], sales: [], receivables: [], payables: [], ...over });

eachBackend('issue 9: hostile input and retries', (backend) => {
  let tc: TestCloud;
  let head: string;
  let other: string;
  let cp: string;
  const c = () => tc.client;
  beforeAll(async () => {
    tc = await startTestCloud(backend, { seed: { kind: 'demo', counterparties: 6, acts: 12 } });
    head = (await c().login(DEMO.head)).accessToken;
    await createTenant(tc.server.services, { name: 'ТОО «Другая компания»', iinBin: OTHER_BIN, kind: 'legal_entity', address: 'г. Алматы', firstManager: { iin: OTHER_HEAD, fullName: 'Другой Руководитель', password: 'Other-Pass-2026!' } });
    other = (await c().login(OTHER_HEAD, 'Other-Pass-2026!')).accessToken;
    cp = (await c().ok('counterpartiesList', { token: head, query: { limit: 1 } })).items[0].id;
  });
  afterAll(async () => tc?.close());

  /** Sends raw bytes (what a careless client may send) and returns status and JSON answer. */
  async function raw(path: string, body: Buffer | string, token = head, method = 'POST') {
    const res = await fetch(`${tc.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'en' }, body: typeof body === 'string' ? body : new Uint8Array(body) });
    return { status: res.status, json: (await res.json()) as { code: string; details?: { fields?: { path: string; problem?: string; message: string }[] } } };
  }
  const outgoingCount = async () => (await c().ok('actsList', { token: head, query: { direction: 'outgoing', limit: 1000 } })).items.length;

  it('a line whose quantity × price exceeds 2^53 is a field error, not a 500 (and so is a total that does)', async () => {
    const big = await c().fails('actCreate', 'INVALID_INPUT', { token: head, body: { counterpartyId: cp, number: 'BIG-1', date: '2026-03-02', lines: [line({ quantity: '999999999.999', price: Number.MAX_SAFE_INTEGER })], handedOver } });
    expect(big.status).toBe(400);
    expect(big.details?.fields).toEqual([expect.objectContaining({ path: 'body.lines.0.quantity', problem: 'out_of_range' })]);
    const sum = await c().fails('actCreate', 'INVALID_INPUT', { token: head, body: { counterpartyId: cp, number: 'BIG-2', date: '2026-03-02', lines: [line({ price: 2 ** 52 }), line({ price: 2 ** 52 })], handedOver } });
    expect(sum.details?.fields).toEqual([expect.objectContaining({ path: 'body.lines', problem: 'out_of_range' })]);
    // With VAT (16 %) the total would pass 2^53 − 1 although the lines do not.
    const vat = await c().fails('actCreate', 'INVALID_INPUT', { token: head, body: { counterpartyId: cp, number: 'BIG-3', date: '2026-03-02', lines: [line({ price: 8_000_000_000_000_000 })], handedOver } });
    expect(vat.details?.fields).toEqual([expect.objectContaining({ path: 'body.lines', problem: 'out_of_range' })]);
    // The largest exact act is accepted, to the tiyn.
    const max = await c().ok('actCreate', { token: head, body: { counterpartyId: cp, number: 'BIG-OK', date: '2026-03-02', lines: [line({ price: 7_764_823_495_909_768 })], handedOver } });
    expect(max.amountWithVat).toBe(7_764_823_495_909_768 + 1_242_371_759_345_563);
    expect(Number.isSafeInteger(max.amountWithVat)).toBe(true);
  });

  it('dates must be real and in range: year 0000 in an act, month 13 or year 0000 in an import instant, 31 April', async () => {
    const y0 = await c().fails('actCreate', 'INVALID_INPUT', { token: head, body: { counterpartyId: cp, number: 'D-1', date: '0000-01-01', lines: [line()], handedOver } });
    expect(y0.details?.fields).toEqual([expect.objectContaining({ path: 'body.date' })]);
    await c().fails('actCreate', 'INVALID_INPUT', { token: head, body: { counterpartyId: cp, number: 'D-2', date: '2026-04-31', lines: [line()], handedOver } });
    await c().fails('actCreate', 'INVALID_INPUT', { token: head, body: { counterpartyId: cp, number: 'D-3', date: '2026-03-02', lines: [line({ performedOn: '9999-12-31' })], handedOver } });
    for (const asOf of ['0000-11-25T18:00:00+05:00', '2026-13-25T18:00:00+05:00', '2026-02-30T18:00:00+05:00', '2026-11-25T24:00:00+05:00', '2026-11-25T18:00:00+15:00']) {
      const e = await c().fails('accountingImport', 'INVALID_INPUT', { token: head, body: importBody({ asOf }) });
      expect(e.details?.fields, asOf).toEqual([expect.objectContaining({ path: 'body.asOf' })]);
    }
    await c().fails('reconciliationCreate', 'INVALID_INPUT', { token: head, body: { counterpartyId: cp, periodFrom: '0001-01-01', periodTo: '2026-01-01' } });
    await c().ok('accountingImport', { token: head, body: importBody({ asOf: '2026-11-25T18:00:00.123456789+05:00' }) });
  });

  it('NUL, lone surrogates and bytes that are not UTF-8 are refused with the field, and nothing is stored', async () => {
    const before = await outgoingCount();
    const body = (number: string) => JSON.stringify({ counterpartyId: cp, number, date: '2026-03-02', lines: [line()], handedOver });
    const nul = await raw('/v1/acts', body('NUL-\u0000-1'));
    expect(nul).toMatchObject({ status: 400, json: { code: 'INVALID_INPUT', details: { fields: [{ path: 'body.number', problem: 'nul', message: expect.stringContaining('NUL') }] } } });
    const lone = await raw('/v1/acts', body('LONE-1').replace('LONE-1', 'LONE-\\ud800-1'));
    expect(lone).toMatchObject({ status: 400, json: { details: { fields: [{ path: 'body.number', problem: 'lone_surrogate' }] } } });
    const low = await raw('/v1/acts', body('LOW-1').replace('LOW-1', 'LOW-\\udc00'));
    expect(low).toMatchObject({ status: 400, json: { details: { fields: [{ path: 'body.number', problem: 'lone_surrogate' }] } } });
    const [a, b] = body('BADUTF8').split('BADUTF8');
    const bytes = Buffer.concat([Buffer.from(a), Buffer.from('АВР-'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(b)]);
    const utf = await raw('/v1/acts', bytes);
    expect(utf).toMatchObject({ status: 400, json: { details: { fields: [{ path: 'body.number', problem: 'invalid_utf8' }] } } });
    const deepLine = await raw('/v1/acts', body('X').replace('"Консультационные услуги"', '"a\\u0000b"'));
    expect(deepLine).toMatchObject({ status: 400, json: { details: { fields: [{ path: 'body.lines.0.name', problem: 'nul' }] } } });
    expect(await outgoingCount()).toBe(before);
    // Query parameters too: a NUL in a filter is a field error, not a database error.
    const q = await fetch(`${tc.url}/v1/audit?action=%00`, { headers: { authorization: `Bearer ${head}` } });
    expect(q.status).toBe(400);
    expect(await q.json()).toMatchObject({ code: 'INVALID_INPUT', details: { fields: [{ path: 'query.action', problem: 'nul' }] } });
    // Mutations carry text too.
    const m = await raw('/v1/sync/mutations', JSON.stringify({ mutations: [{ mutationId: randomUUID(), name: 'refuseAct', args: { actId: randomUUID(), reason: 'причина \u0000' }, baseVersion: null }] }));
    expect(m).toMatchObject({ status: 400, json: { details: { fields: [{ path: 'body.mutations.0.args.reason', problem: 'nul' }] } } });
    // A well-formed pair (emoji) is fine.
    expect((await raw('/v1/acts', body('EMOJI-\ud83d\ude00'))).status).toBe(201);
  });

  it('money sums stay exact: balances 2^53 − 1 and 2 are refused at import, naming the field; a sum that fits is exact', async () => {
    const account = (balance: number, code: string) => ({ code, name: `Счёт ${code}`, kind: 'bank', balance });
    const e = await c().fails('accountingImport', 'INVALID_INPUT', { token: head, body: importBody({ accounts: [account(Number.MAX_SAFE_INTEGER, '1'), account(2, '2')] }) });
    expect(e.details?.fields).toEqual([expect.objectContaining({ path: 'body.accounts', problem: 'out_of_range' })]);
    const dash = async () => (await c().ok('dashboardsList', { token: head })).items.find((d) => d.kind === 'money');
    const before = await dash();
    expect(before?.kind === 'money' && before.data.total).not.toBe(9007199254740992);
    await c().ok('accountingImport', { token: head, body: importBody({ accounts: [account(Number.MAX_SAFE_INTEGER, '1'), account(Number.MAX_SAFE_INTEGER, '2'), account(-Number.MAX_SAFE_INTEGER, '3'), account(-2, '4')] }) });
    const after = await dash();
    expect(after?.kind === 'money' && after.data.total).toBe(Number.MAX_SAFE_INTEGER - 2);
    for (const [field, rows] of [
      ['sales', [{ date: '2026-11-01', customerIinBin: '240140000011', customerName: 'А', amount: Number.MAX_SAFE_INTEGER }, { date: '2026-11-02', customerIinBin: '240140000011', customerName: 'А', amount: 1 }]],
      ['receivables', [0, 1].map((i) => ({ counterpartyIinBin: '240140000011', counterpartyName: 'А', document: `Д${i}`, documentDate: '2026-11-01', dueDate: '2026-12-01', amount: Number.MAX_SAFE_INTEGER }))],
      ['cashflow', [{ date: '2026-11-20', inflow: Number.MAX_SAFE_INTEGER, outflow: 0 }, { date: '2026-11-21', inflow: 5, outflow: 0 }]],
    ] as const) {
      const x = await c().fails('accountingImport', 'INVALID_INPUT', { token: head, body: importBody({ [field]: rows }) });
      expect(x.details?.fields, field).toEqual([expect.objectContaining({ path: `body.${field}`, problem: 'out_of_range' })]);
    }
  });

  it('an import above what a year of a medium company needs is refused before parsing, and the error says the limit', async () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => ({ date: '2026-03-01', customerIinBin: '240140000011', customerName: `ТОО «Покупатель ${i}» с длинным названием для объёма`, amount: i }));
    const big = JSON.stringify(importBody({ sales: rows }));
    expect(Buffer.byteLength(big)).toBeGreaterThan(ACCOUNTING_IMPORT_LIMITS.bytes);
    const res = await raw('/v1/imports/accounting', big);
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ code: 'IMPORT_TOO_LARGE', details: { limitBytes: ACCOUNTING_IMPORT_LIMITS.bytes, limits: { sales: 50_000, receivables: 20_000, payables: 20_000 } } });
    expect((res.json as unknown as { message: string }).message).toMatch(/20 MiB.*50,000 sales rows/);
    // Under the byte limit but over a row limit: the row count is named.
    const many = await c().fails('accountingImport', 'INVALID_INPUT', { token: head, body: importBody({ cashflow: Array.from({ length: 1001 }, () => ({ date: '2026-01-01', inflow: 0, outflow: 0 })) }) });
    expect(many.details?.fields).toEqual([expect.objectContaining({ path: 'body.cashflow' })]);
  });

  it('mutation ids are a space per company: another company’s id neither blocks ours nor tells us it exists', async () => {
    const id = randomUUID();
    const theirs = await c().ok('syncMutations', { token: other, body: { mutations: [{ mutationId: id, name: 'refuseAct', args: { actId: randomUUID(), reason: 'нет такого акта' }, baseVersion: null }] } });
    expect(theirs.results[0]).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' });
    const ours = await c().ok('syncMutations', { token: head, body: { mutations: [{ mutationId: id, name: 'markNotificationRead', args: { notificationId: randomUUID() }, baseVersion: null }] } });
    expect(ours.results[0]).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' });
    expect(ours.results[0]).not.toMatchObject({ code: 'MUTATION_ID_REUSED' });
    // Each company's replay gets its own first answer.
    const again = await c().ok('syncMutations', { token: head, body: { mutations: [{ mutationId: id, name: 'markNotificationRead', args: { notificationId: randomUUID() }, baseVersion: null }] } });
    expect(again.results[0]).toMatchObject({ status: 'rejected', code: 'MUTATION_ID_REUSED' });
  });

  it('a create sent twice (a retry after a timeout) makes one document: client-made id or Idempotency-Key; 20 copies at once make one', async () => {
    const before = await outgoingCount();
    const id = randomUUID();
    const body = { id, counterpartyId: cp, number: `RETRY-${id.slice(0, 8)}`, date: '2026-03-02', lines: [line()], handedOver };
    const first = await c().call('actCreate', { token: head, body });
    const second = await c().call('actCreate', { token: head, body });
    expect(first).toMatchObject({ status: 201, ok: true, data: { id } });
    expect(second).toEqual(first);
    expect(await outgoingCount()).toBe(before + 1);
    // Another body under the same id is refused; so is the id of something that exists in another company.
    await c().fails('actCreate', 'IDEMPOTENCY_KEY_REUSED', { token: head, body: { ...body, number: 'RETRY-OTHER' } });
    const theirCp = await c().ok('counterpartyCreate', { token: other, body: { iinBin: '240140000011', name: 'ТОО «Общий»' } });
    await c().fails('counterpartyCreate', 'IDEMPOTENCY_KEY_REUSED', { token: head, body: { id: theirCp.id, iinBin: '240140000011', name: 'ТОО «Общий»' } });

    const key = randomUUID();
    const headers = { 'idempotency-key': key };
    const copies = await Promise.all(Array.from({ length: 20 }, () => c().call('actCreate', { token: head, headers, body: { counterpartyId: cp, number: `KEY-${key.slice(0, 8)}`, date: '2026-03-02', lines: [line()], handedOver } })));
    const ids = new Set(copies.map((x) => (x.ok ? x.data.id : `${x.status} ${x.error.code}`)));
    expect([...ids]).toHaveLength(1);
    expect(copies.every((x) => x.status === 201)).toBe(true);
    expect(await outgoingCount()).toBe(before + 2);
    const res = await fetch(`${tc.url}/v1/acts`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${head}`, 'content-type': 'application/json' }, body: JSON.stringify({ counterpartyId: cp, number: `KEY-${key.slice(0, 8)}`, date: '2026-03-02', lines: [line()], handedOver }) });
    expect(res.headers.get('idempotent-replayed')).toBe('true');
    await c().fails('actCreate', 'INVALID_INPUT', { token: head, headers: { 'idempotency-key': 'with space' }, body });

    // Counterparties, reconciliation acts and imports take keys too.
    const cpId = randomUUID();
    const cp1 = await c().ok('counterpartyCreate', { token: head, body: { id: cpId, iinBin: '240140000011', name: 'ТОО «Повтор»' } });
    expect(await c().ok('counterpartyCreate', { token: head, body: { id: cpId, iinBin: '240140000011', name: 'ТОО «Повтор»' } })).toEqual(cp1);
    const rec = { id: randomUUID(), counterpartyId: cp, periodFrom: '2026-01-01', periodTo: '2026-06-30' };
    const r1 = await c().ok('reconciliationCreate', { token: head, body: rec });
    expect(await c().ok('reconciliationCreate', { token: head, body: rec })).toEqual(r1);
    expect((await c().ok('reconciliationsList', { token: head, query: { limit: 1000 } })).items.filter((r) => r.id === rec.id)).toHaveLength(1);
    const importId = randomUUID();
    const i1 = await c().ok('accountingImport', { token: head, body: importBody({ importId }) });
    expect(i1.importId).toBe(importId);
    expect(await c().ok('accountingImport', { token: head, body: importBody({ importId }) })).toEqual(i1);
    const imports = await tc.server.services.db.selectFrom('accounting_imports').select('id').where('id', '=', importId).execute();
    expect(imports).toHaveLength(1);
  });

  it('an outgoing number is used once per company (DOCUMENT_NUMBER_TAKEN); another company may use it', async () => {
    const body = { counterpartyId: cp, number: 'АВР-2026/77', date: '2026-03-02', lines: [line()], handedOver };
    const a = await c().ok('actCreate', { token: head, body });
    const taken = await c().fails('actCreate', 'DOCUMENT_NUMBER_TAKEN', { token: head, body });
    expect(taken).toMatchObject({ status: 409, details: { number: 'АВР-2026/77', actId: a.id } });
    // Two creates of one number at the same instant: one document.
    const racing = await Promise.all([0, 1, 2, 3].map(() => c().call('actCreate', { token: head, body: { ...body, number: 'АВР-2026/78' } })));
    expect(racing.filter((r) => r.ok)).toHaveLength(1);
    expect(racing.filter((r) => !r.ok && r.error.code === 'DOCUMENT_NUMBER_TAKEN')).toHaveLength(3);
    const theirCp = (await c().ok('counterpartiesList', { token: other, query: { limit: 1 } })).items[0];
    await c().ok('actCreate', { token: other, body: { ...body, counterpartyId: theirCp.id } });
  });

  it('the role of a terminated user cannot be changed (REST and mutation), nor can they be unlocked', async () => {
    const u = await c().ok('userCreate', { token: head, body: { iin: withCheckDigit('91020230045'), fullName: 'Уволенный Сотрудник', role: 'accountant', initialPassword: 'User-Pass-1!' } });
    await c().ok('userTerminate', { token: head, params: { id: u.id } });
    const e = await c().fails('userChangeRole', 'USER_TERMINATED', { token: head, params: { id: u.id }, body: { role: 'viewer', branchId: null } });
    expect(e.status).toBe(409);
    const m = await c().ok('syncMutations', { token: head, body: { mutations: [{ mutationId: randomUUID(), name: 'changeRole', args: { userId: u.id, role: 'viewer', branchId: null }, baseVersion: null }] } });
    expect(m.results[0]).toMatchObject({ status: 'rejected', code: 'USER_TERMINATED' });
    await c().fails('userUnlock', 'USER_TERMINATED', { token: head, params: { id: u.id } });
    expect((await c().ok('usersList', { token: head })).items.find((x) => x.id === u.id)).toMatchObject({ role: 'accountant', terminated: true });
  });
});
