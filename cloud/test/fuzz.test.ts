// Never a 500 for bad input (issue 9): a property test over every route of the contract. Bodies, queries and
// path parameters are built from each route's own contract schema (its JSON Schema: types, patterns, formats,
// bounds, examples) or taken from a valid example, then mutated — boundary numbers, odd strings (NUL, lone
// surrogates, huge, SQL, dates in year 0000 or month 13), wrong types, deep nesting, removed or unknown keys,
// bytes that are not UTF-8 — and sent to the real server on PGlite. Every answer must be below 500.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { ENDPOINTS, MUTATION_NAMES, MUTATIONS, type Endpoint, type EndpointName } from '../../contract/cloud';
import { createTenant } from '../src/seed/tenant';
import { OPERATOR_ENDPOINTS, type OperatorEndpoint, type OperatorEndpointName } from '../../contract/cloud/operator';
import { DEMO, OPERATOR_TOKEN, startTestCloud, type TestCloud } from './harness';

type Js = Record<string, unknown> & { type?: string; properties?: Record<string, Js>; required?: string[]; items?: Js; anyOf?: Js[]; oneOf?: Js[] };
const jsonSchema = (s: z.ZodType): Js => z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any', reused: 'inline' }) as Js;

/** Ids the generated values draw from: real ones of this tenant, another tenant's, and random ones. */
const ids: string[] = [];
const pickId = () => fc.oneof(fc.constantFrom(...(ids.length ? ids : [randomUUID()])), fc.uuid());

function stringArb(js: Js): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [];
  if (typeof js.example === 'string') options.push(fc.constant(js.example));
  if (js.format === 'uuid') return pickId();
  if (js.format === 'date') options.push(fc.constantFrom('2026-03-02', '2025-12-31', '2026-02-28', '2024-02-29'));
  if (js.format === 'email') options.push(fc.emailAddress());
  if (js.format === 'base64') options.push(fc.base64String({ maxLength: 120 }));
  if (typeof js.pattern === 'string' && js.format !== 'base64') {
    try {
      options.push(fc.stringMatching(new RegExp(js.pattern)).filter((s) => s.length <= 200));
    } catch {
      // a pattern fast-check cannot generate from: plain strings below
    }
  }
  const min = (js.minLength as number | undefined) ?? 0;
  const plain = fc.string({ minLength: min, maxLength: Math.max(min, Math.min((js.maxLength as number | undefined) ?? 40, 60)) });
  // Mostly values of the right shape (deeper into the server), sometimes any string.
  return options.length ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...options) }, { weight: 1, arbitrary: plain }) : plain;
}

/** A value of (roughly) the JSON Schema's shape; refinements it cannot express are what the mutations test too. */
function arb(js: Js, depth = 0): fc.Arbitrary<unknown> {
  if (js.const !== undefined) return fc.constant(js.const);
  if (Array.isArray(js.enum)) return fc.constantFrom(...(js.enum as unknown[]));
  const alts = js.anyOf ?? js.oneOf;
  if (alts) return fc.oneof(...alts.map((a) => arb(a, depth)));
  switch (js.type) {
    case 'object': {
      const props = js.properties ?? {};
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arb(v, depth + 1)])), { requiredKeys: (js.required ?? []).filter((k) => k in props) });
    }
    case 'array': {
      const min = (js.minItems as number | undefined) ?? 0;
      return fc.array(depth > 4 ? fc.constant(null) : arb(js.items ?? {}, depth + 1), { minLength: min, maxLength: Math.max(min, 3) });
    }
    case 'string':
      return stringArb(js);
    case 'integer': {
      const min = Math.max((js.minimum as number | undefined) ?? -1e6, Number.MIN_SAFE_INTEGER);
      const max = Math.min((js.maximum as number | undefined) ?? 1e6, Number.MAX_SAFE_INTEGER);
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const DELETE = Symbol('delete');
let nested: unknown = 'deep';
for (let i = 0; i < 60; i++) nested = i % 2 ? [nested] : { d: nested };
/** What replaces one node of a value. */
const HOSTILE: unknown[] = [
  DELETE, null, true, 0, -1, 1.5, -0, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, 1e308, -1e308, 9007199254740993, '', ' ', '\u0000', 'a\u0000b', '\ud800',
  '\udc00x', 'x'.repeat(100_000), '0000-01-01', '2026-13-01', '2026-02-30', '9999-12-31T23:59:59Z', '2026-01-01T25:00:00+05:00', '1e308', 'NaN',
  "'; drop table acts; --", '\u202e\u0000', '__proto__', '..%2F..%2F', '😀', [], {}, [1, 'x', null], { __proto__x: 1, constructor: { prototype: 1 } }, nested,
  Array.from({ length: 2000 }, (_, i) => i),
];

/** Every path of a value (the root included). */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (out.length > 500) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}
/** Hostile values of the node's own type hit deeper (a date field gets year 0000, an amount 2^53). */
const HOSTILE_STRINGS: unknown[] = ['\u0000', 'a\u0000b', '\ud800', '\udc00x', '0000-01-01', '2026-13-01', '2026-02-30', '0000-11-25T18:00:00+05:00', '2026-13-25T18:00:00+05:00', '2026-01-01T25:00:00+05:00', '2026-01-01T10:00:00+99:00', 'x'.repeat(100_000), '', '999999999.999', "'; drop table acts; --"];
const HOSTILE_NUMBERS: unknown[] = [2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, -1, 1.5, 0, 9007199254740993, 4_503_599_627_370_496];

function mutate(v: unknown, picks: number[], hostile: unknown, extraKey: boolean): unknown {
  const copy = structuredClone(v) as unknown;
  const all = paths(copy);
  const root: unknown = copy;
  for (const [n, pick] of picks.entries()) {
    const path = all[pick % all.length];
    let parent = root as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) {
      if (!parent || typeof parent !== 'object') break;
      parent = parent[k] as Record<string | number, unknown>;
    }
    if (!parent || typeof parent !== 'object') continue;
    const last = path[path.length - 1];
    const current = path.length ? parent[last] : root;
    // The first change is of the node's type when it is a string or a number; the others anything.
    const typed = n === 0 && typeof current === 'string' ? HOSTILE_STRINGS : n === 0 && typeof current === 'number' ? HOSTILE_NUMBERS : null;
    // A hostile object or array is copied: changed later in place (by a later pick), the shared one would grow into itself.
    const h = typed ? typed[pick % typed.length] : hostile !== null && typeof hostile === 'object' ? structuredClone(hostile) : hostile;
    if (path.length === 0) return h === DELETE ? undefined : h;
    if (h === DELETE) delete parent[last];
    else parent[last] = h;
  }
  if (extraKey && root && typeof root === 'object' && !Array.isArray(root)) (root as Record<string, unknown>).unexpected = hostile === DELETE ? 1 : hostile !== null && typeof hostile === 'object' ? structuredClone(hostile) : hostile;
  return root;
}
const hostileArb = fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), fc.constantFrom(...HOSTILE), fc.boolean());

/** A part of a request: from the schema, from an example, or either of those mutated. */
function partArb(schema: z.ZodType | undefined, examples: unknown[]): fc.Arbitrary<unknown> {
  if (!schema) return fc.constant(undefined);
  const generated = arb(jsonSchema(schema));
  const base = examples.length ? fc.oneof({ weight: 1, arbitrary: generated }, { weight: 2, arbitrary: fc.constantFrom(...examples) }) : generated;
  return fc.oneof({ weight: 1, arbitrary: base }, { weight: 2, arbitrary: fc.tuple(base, hostileArb).map(([v, [pick, h, extra]]) => mutate(v, pick, h, extra)) });
}

/** Percent-encoding that also carries a lone surrogate (as the CESU-8 bytes a careless client would send). */
function pct(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') + '%ED%A0%80';
  }
}

const RAW_PARAMS = ['x', '0', '%00', '%FF%FE', '..%2F..%2Fetc', 'a'.repeat(300), '00000000-0000-0000-0000-000000000000', '%E2%80%AE'];

interface Sent {
  name: EndpointName | OperatorEndpointName;
  status: number;
  request: string;
  answer: string;
}

let tc: TestCloud;
let head = '';
const failures: Sent[] = [];
let sent = 0;
/** Answers per route and status: printed, so a run shows how deep the requests went (2xx = they got through). */
const statuses: Partial<Record<EndpointName | OperatorEndpointName, Record<number, number>>> = {};
const examples: Partial<Record<EndpointName | OperatorEndpointName, unknown[]>> = {};

async function token(): Promise<string> {
  return (head = (await tc.client.login(DEMO.head, DEMO.password, 'fuzz-device-01')).accessToken);
}

/**
 * Sends one request; a 401 (the fuzzer logged itself out or ended its session) signs in again once. kense's operator
 * routes (no `auth` flag) go with the operator token.
 */
async function send(name: EndpointName | OperatorEndpointName, e: Endpoint | OperatorEndpoint, params: string | undefined, query: unknown, body: unknown, rawBody?: Buffer): Promise<void> {
  const auth = 'auth' in e && e.auth;
  let path: string = e.path;
  // The first path parameter is the generated one; a second (an attachment of a request) a known or random id.
  let nth = 0;
  path = path.replace(/:[A-Za-z]+/g, () => (nth++ === 0 ? (params ?? randomUUID()) : (ids[Math.floor(Math.random() * ids.length)] ?? randomUUID())));
  let qs = '';
  if (query && typeof query === 'object') {
    qs = Object.entries(query as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${pct(k)}=${pct(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`)
      .join('&');
  }
  const payload = rawBody ?? (body === undefined ? undefined : Buffer.from(JSON.stringify(body) ?? 'null'));
  for (let attempt = 0; attempt < 2; attempt++) {
    const headers: Record<string, string> = { 'accept-language': 'en' };
    if (auth) headers.authorization = `Bearer ${head}`;
    else if (!('auth' in e)) headers.authorization = `Bearer ${OPERATOR_TOKEN}`;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${tc.url}${path}${qs ? `?${qs}` : ''}`, { method: e.method, headers, body: payload === undefined || e.method === 'GET' ? undefined : new Uint8Array(payload) });
    const answer = await res.text();
    sent++;
    const bucket = (statuses[name] ??= {});
    bucket[res.status] = (bucket[res.status] ?? 0) + 1;
    if (res.status >= 500) failures.push({ name, status: res.status, request: `${e.method} ${path}${qs ? `?${qs.slice(0, 300)}` : ''} ${payload?.toString('utf8').slice(0, 400) ?? ''}`, answer: answer.slice(0, 300) });
    if (res.status === 401 && auth && attempt === 0 && /SESSION_ENDED|TOKEN|AUTH_REQUIRED/.test(answer)) {
      await token();
      continue;
    }
    return;
  }
}

/** One string value of a JSON body gets bytes that are not UTF-8. */
function withBadUtf8(body: unknown): Buffer | undefined {
  const text = JSON.stringify(body);
  if (!text) return undefined;
  const at = text.indexOf('":"');
  if (at < 0) return undefined;
  const buf = Buffer.from(text, 'utf8');
  const cut = Buffer.byteLength(text.slice(0, at + 3));
  return Buffer.concat([buf.subarray(0, cut), Buffer.from([0xff, 0xc3, 0x28]), buf.subarray(cut)]);
}

beforeAll(async () => {
  tc = await startTestCloud('pglite', { seed: { kind: 'demo', counterparties: 8, acts: 30 }, validateResponses: false });
  await token();
  const c = tc.client;
  const s = tc.server.services;
  const other = await createTenant(s, { name: 'ТОО «Чужая компания»', iinBin: '240140000011', kind: 'legal_entity', address: 'г. Алматы', firstManager: { iin: '900101300017', fullName: 'Чужой Руководитель', password: 'Other-Pass-2026!' } });
  const victim = await c.ok('userCreate', { token: head, body: { iin: '851231400021', fullName: 'Пользователь для проверки', role: 'viewer', initialPassword: 'User-Pass-1!' } });
  const acts = (await c.ok('actsList', { token: head, query: { limit: 20 } })).items;
  const cps = (await c.ok('counterpartiesList', { token: head, query: { limit: 5 } })).items;
  const recs = (await c.ok('reconciliationsList', { token: head, query: { limit: 3 } })).items;
  const invoices = (await c.ok('invoicesList', { token: head, query: { limit: 3 } })).items;
  const services = (await c.ok('serviceActsList', { token: head, query: { limit: 3 } })).items;
  const notes = (await c.ok('notificationsList', { token: head, query: { limit: 3 } })).items;
  const tariffs = (await c.ok('tariffsList', { token: head })).items;
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');
  const ticket = { priority: 'medium', subject: 'Вопрос', description: 'Не открывается акт, пишет ошибку.' };
  const tickets = await Promise.all([
    c.ok('supportTicketCreate', { token: head, body: { ...ticket, screenshot: { mediaType: 'image/png', base64: png }, attachments: [{ kind: 'logs', name: 'kense.log', text: 'log' }] } }),
    c.ok('supportTicketCreate', { token: (await c.login('900101300017', 'Other-Pass-2026!')).accessToken, body: ticket }),
  ]);
  ids.push(...tickets.flatMap((t) => [t.id, ...t.attachments.map((a) => a.id)]));
  ids.push(other.companyId, other.userId, victim.id, ...acts.map((a) => a.id), ...cps.map((x) => x.id), ...recs.map((x) => x.id), ...invoices.map((x) => x.id), ...services.map((x) => x.id), ...notes.map((x) => x.id), ...tariffs.map((x) => x.id));
  const cp = cps[0].id;
  const line = { name: 'Услуги', performedOn: '2026-03-02', unit: 'усл.', quantity: '2.5', price: 100_000 };
  Object.assign(examples, {
    actCreate: [{ counterpartyId: cp, number: 'FZ-1', date: '2026-03-02', lines: [line], handedOver: { position: 'Директор', name: 'Т.' } }],
    counterpartyCreate: [{ iinBin: '240140000011', name: 'ТОО «А»', account: { iik: 'KZ18722S000012345678', bik: 'CASPKZKA', bank: 'Kaspi' }, email: 'a@b.kz' }],
    reconciliationCreate: [{ counterpartyId: cp, periodFrom: '2026-01-01', periodTo: '2026-06-30' }],
    accountingImport: [{ format: 'kense-accounting/1', asOf: '2026-11-25T18:00:00+05:00', source: { system: '1C' }, accounts: [{ code: '1', name: 'Касса', kind: 'cash', balance: 100 }], cashflow: [{ date: '2026-11-20', inflow: 1, outflow: 2 }], sales: [{ date: '2026-11-01', customerIinBin: '240140000011', customerName: 'А', amount: 3 }], receivables: [{ counterpartyIinBin: '240140000011', counterpartyName: 'А', document: 'Д', documentDate: '2026-10-01', dueDate: '2026-11-01', amount: 4 }], payables: [] }],
    userCreate: [{ iin: '900101300017', fullName: 'Новый Пользователь', role: 'viewer', initialPassword: 'User-Pass-1!' }],
    branchCreate: [{ name: 'Филиал', bin: '240141000017', address: 'г. Шымкент' }],
    userChangeRole: [{ role: 'manager', branchId: null }],
    actSign: [{ cms: Buffer.from('not a cms').toString('base64') }],
    actRefuse: [{ reason: 'Причина отказа' }],
    subscriptionChange: [{ tariffId: tariffs[0].id }],
    authPassword: [{ iin: '800101300056', password: 'Wrong-Pass-1!', device: { id: 'fuzz-login', name: 'f' } }],
    supportTicketCreate: [{ ...ticket, screenshot: { mediaType: 'image/png', base64: png }, attachments: [{ kind: 'doctor_report', name: 'doctor.json', text: '{}' }] }],
    supportTicketReply: [{ body: 'Ещё подробности' }],
    supportTicketReopen: [{ reason: 'Снова не работает' }],
    supportTicketRate: [{ score: 5, comment: null }],
    operatorSupportReply: [{ body: 'Ответ поддержки', status: 'resolved' }, { body: 'Уточните', status: 'waiting_for_customer', agentName: 'Айгерим' }],
  });
}, 120_000);
afterAll(async () => tc?.close());

it('no route answers 5xx to generated and mutated input (bodies, queries, path parameters, bytes that are not UTF-8)', async () => {
  const runs = Number(process.env.KENSE_FUZZ_RUNS ?? 24);
  // A new seed each run explores more over time; a failure names its seed (KENSE_FUZZ_SEED=… repeats it).
  const seed = Number(process.env.KENSE_FUZZ_SEED ?? Date.now() % 1e9);
  const routes = [...Object.entries(ENDPOINTS), ...Object.entries(OPERATOR_ENDPOINTS)] as [EndpointName | OperatorEndpointName, Endpoint | OperatorEndpoint][];
  for (const [name, e] of routes) {
    const body = name === 'syncMutations' ? mutationsArb() : partArb(e.body, examples[name] ?? []);
    const params = e.params ? fc.oneof(pickId(), fc.constantFrom(...RAW_PARAMS), fc.stringMatching(/^[0-9A-Fa-f]{1,70}$/)) : fc.constant(undefined);
    await fc.assert(
      fc.asyncProperty(params, partArb(e.query, []), body, fc.integer({ min: 0, max: 9 }), async (p, q, b, utf) => {
        await send(name, e, p, q, b, e.body && utf === 0 ? withBadUtf8(b) : undefined);
      }),
      // Routes with a body get twice the runs: that is where most of the input is.
      { numRuns: e.body ? runs * 2 : runs, seed },
    );
  }
  const ok = Object.values(statuses).reduce((n, b) => n + Object.entries(b!).filter(([st]) => Number(st) < 300).reduce((m, [, c]) => m + c, 0), 0);
  console.log(`fuzz: ${sent} requests, ${ok} answered 2xx; per route: ${Object.entries(statuses).map(([n, b]) => `${n} ${JSON.stringify(b)}`).join('; ')}`);
  if (failures.length) console.error(JSON.stringify(failures.slice(0, 10), null, 1));
  expect(failures, `${failures.length} of ${sent} requests answered 5xx (KENSE_FUZZ_SEED=${seed})`).toEqual([]);
  expect(sent).toBeGreaterThan(routes.length * runs * 0.9);
}, 600_000);

/** A push of mutations: valid names with arguments from their schemas (real ids), or odd ones, mutated. */
function mutationsArb(): fc.Arbitrary<unknown> {
  const one = fc.constantFrom(...MUTATION_NAMES).chain((name) =>
    fc.record({ mutationId: fc.uuid(), name: fc.constant(name as string), args: partArb(MUTATIONS[name], []), baseVersion: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 5 })) }),
  );
  const odd = fc.record({ mutationId: fc.oneof(fc.uuid(), fc.string()), name: fc.string(), args: fc.jsonValue({ maxDepth: 3 }), baseVersion: fc.oneof(fc.constant(null), fc.integer()) });
  return fc.tuple(fc.array(fc.oneof({ weight: 4, arbitrary: one }, { weight: 1, arbitrary: odd }), { minLength: 1, maxLength: 5 }), hostileArb, fc.boolean()).map(([mutations, [pick, h, extra], mutateIt]) =>
    mutateIt ? mutate({ mutations }, pick, h, extra) : { mutations },
  );
}
