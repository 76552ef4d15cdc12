// Test harness: the real server on an ephemeral port, against PGlite and against PostgreSQL (a database of
// its own per run, dropped afterwards), and a client that validates every answer against the contract.
import { randomBytes, randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import type { z } from 'zod';
import type { zChangesResponse} from '../../contract/cloud';
import { ENDPOINTS, zErrorResponse, type EndpointName, type ParamsOf, type QueryInputOf, type BodyInputOf, type ResponseOf, SYNC_ENTITIES } from '../../contract/cloud';
import { OPERATOR_ENDPOINTS, type OperatorEndpointName, type OperatorPaymentRequest, type OperatorPaymentResult } from '../../contract/cloud/operator';
import { startCloud, type CloudServer, type StartOptions } from '../src/server';
import { TEST_CRL } from '../src/signatures';
import { createThrowawayDatabase } from './pg-database';

export type Backend = 'pglite' | 'postgres';
const PG_URL = process.env.KENSE_TEST_DATABASE_URL;

/** Runs `fn` once per storage backend; the PostgreSQL variant says plainly why it is skipped. */
export function eachBackend(title: string, fn: (backend: Backend) => void): void {
  describe(`${title} [pglite]`, () => fn('pglite'));
  if (!PG_URL) {
    console.warn(`SKIPPED ${title} [postgres]: KENSE_TEST_DATABASE_URL is not set (.ci/run starts PostgreSQL and sets it)`);
    describe.skip(`${title} [postgres] — skipped: KENSE_TEST_DATABASE_URL is not set`, () => fn('postgres'));
    return;
  }
  describe(`${title} [postgres]`, () => fn('postgres'));
}

export async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return createThrowawayDatabase(PG_URL as string, 'kense_t');
}

export interface TestCloud {
  server: CloudServer;
  url: string;
  client: Client;
  close(): Promise<void>;
}

export async function startTestCloud(backend: Backend, opts: StartOptions = {}): Promise<TestCloud> {
  const db = backend === 'postgres' ? await createDatabase() : undefined;
  const server = await startCloud({
    port: 0, trust: 'test', crlFiles: [TEST_CRL], validateResponses: true, databaseUrl: db?.url,
    seed: { kind: 'demo', counterparties: 24, acts: 120 },
    rateLimit: { perIpPerMinute: 10_000, perIinPerMinute: 1000 },
    operatorToken: OPERATOR_TOKEN,
    // As the demo runs: the server's own test TSA stamps signatures that arrive without a timestamp.
    tsa: { mode: 'builtin', timeoutMs: 10_000, retrySec: 30 },
    ...opts,
  });
  return {
    server,
    url: server.url,
    client: new Client(server.url),
    async close() {
      await server.close();
      await db?.drop();
    },
  };
}

/** Endpoints exercised in this process (the contract test checks that every endpoint was). */
export const exercised = new Set<EndpointName>();

export interface CallOptions<N extends EndpointName> {
  params?: ParamsOf<N>;
  query?: QueryInputOf<N>;
  body?: BodyInputOf<N> | unknown;
  token?: string;
  headers?: Record<string, string>;
}

export type Answer<N extends EndpointName> = { status: number; ok: true; data: ResponseOf<N> } | { status: number; ok: false; error: z.infer<typeof zErrorResponse> };

export class CallError extends Error {
  constructor(readonly status: number, readonly error: z.infer<typeof zErrorResponse>) {
    super(`${status} ${error.code}: ${error.message}`);
  }
}

/** A contract-checking HTTP client: every 2xx answer must parse with the endpoint's response schema, every error with Error. */
export class Client {
  constructor(readonly base: string) {}

  async call<N extends EndpointName>(name: N, o: CallOptions<N> = {}): Promise<Answer<N>> {
    exercised.add(name);
    const e = ENDPOINTS[name];
    let path: string = e.path;
    for (const [k, v] of Object.entries((o.params ?? {}) as Record<string, string>)) path = path.replace(`:${k}`, encodeURIComponent(v));
    const qs = o.query ? new URLSearchParams(Object.entries(o.query as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString() : '';
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}${qs ? `?${qs}` : ''}`, { method: e.method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    const text = await res.text();
    if (res.ok) {
      const payload: unknown = 'contentType' in e && e.contentType === 'text/csv' ? text : JSON.parse(text);
      const parsed = (e.response as z.ZodType).safeParse(payload);
      if (!parsed.success) throw new Error(`${name}: response does not match the contract: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
      if (name === 'syncChanges') validateChanges(parsed.data as z.infer<typeof zChangesResponse>);
      return { status: res.status, ok: true, data: parsed.data as ResponseOf<N> };
    }
    const err = zErrorResponse.safeParse(JSON.parse(text));
    if (!err.success) throw new Error(`${name}: error answer is not {code, message, action}: ${text.slice(0, 200)}`);
    return { status: res.status, ok: false, error: err.data };
  }

  /** Calls and insists on success. */
  async ok<N extends EndpointName>(name: N, o: CallOptions<N> = {}): Promise<ResponseOf<N>> {
    const a = await this.call(name, o);
    if (!a.ok) throw new CallError(a.status, a.error);
    return a.data;
  }

  /** Calls and insists on the error `code`; returns the error. */
  async fails<N extends EndpointName>(name: N, code: string, o: CallOptions<N> = {}): Promise<z.infer<typeof zErrorResponse> & { status: number }> {
    const a = await this.call(name, o);
    if (a.ok) throw new Error(`${name}: expected ${code}, got success`);
    if (a.error.code !== code) throw new Error(`${name}: expected ${code}, got ${a.error.code} ${JSON.stringify(a.error.details ?? {})}`);
    return { ...a.error, status: a.status };
  }

  async login(iin: string, password = 'Kense-Demo-2026!', device = `dev-${randomUUID().slice(0, 8)}`) {
    return this.ok('authPassword', { body: { iin, password, device: { id: device, name: `test ${device}`, platform: 'cli' } } });
  }

  /** Pulls the whole feed from `cursor`; returns the latest state per entity id and the final cursor. */
  async pullAll(token: string, cursor?: string, limit = 500) {
    const state = new Map<string, { entity: string; op: string; version: number; data: Record<string, unknown> | null }>();
    let pages = 0;
    for (;;) {
      const page = await this.ok('syncChanges', { token, query: { cursor, limit } });
      pages++;
      for (const c of page.changes) state.set(`${c.entity}:${c.id}`, { entity: c.entity, op: c.op, version: c.version, data: c.data });
      cursor = page.cursor;
      if (!page.hasMore) return { state, cursor, pages };
      if (pages > 10_000) throw new Error('feed does not end');
    }
  }
}

/** Each change's data must match its entity's schema; sequence numbers strictly increase. */
function validateChanges(page: z.infer<typeof zChangesResponse>): void {
  let last = 0;
  for (const c of page.changes) {
    if (c.seq <= last) throw new Error(`feed out of order: ${c.seq} after ${last}`);
    last = c.seq;
    if (c.op === 'delete') {
      if (c.data !== null) throw new Error('a tombstone carries data');
      continue;
    }
    const r = (SYNC_ENTITIES[c.entity] as z.ZodType).safeParse(c.data);
    if (!r.success) throw new Error(`feed ${c.entity} ${c.id} does not match the contract: ${JSON.stringify(r.error.issues.slice(0, 3))}`);
  }
}

export const DEMO = { head: '123456789011', accountant: '123456789012', password: 'Kense-Demo-2026!' };

/** kense's operator token of the test servers (random per run, as long as production asks). */
export const OPERATOR_TOKEN = randomBytes(32).toString('base64url');

type Op = typeof OPERATOR_ENDPOINTS;
type OpPart<N extends OperatorEndpointName, K extends string> = Op[N] extends Record<K, z.ZodType> ? z.input<Op[N][K]> : undefined;
export type OperatorAnswerOf<N extends OperatorEndpointName> =
  | { status: number; ok: true; data: z.infer<Op[N]['response']> }
  | { status: number; ok: false; error: z.infer<typeof zErrorResponse> };
export type OperatorAnswer = OperatorAnswerOf<'operatorPayment'>;

/** Operator endpoints exercised in this process (the contract test checks that every one was). */
export const operatorExercised = new Set<OperatorEndpointName>();

/** Calls one of kense's operator routes over HTTP (default: with the test servers' operator token); answers checked against the schema. */
export async function operatorApi<N extends OperatorEndpointName>(
  base: string,
  name: N,
  o: { params?: OpPart<N, 'params'>; query?: OpPart<N, 'query'>; body?: OpPart<N, 'body'> | Record<string, unknown>; token?: string | null } = {},
): Promise<OperatorAnswerOf<N>> {
  operatorExercised.add(name);
  const e = OPERATOR_ENDPOINTS[name];
  let path: string = e.path;
  for (const [k, v] of Object.entries((o.params ?? {}) as Record<string, string>)) path = path.replace(`:${k}`, encodeURIComponent(v));
  const qs = o.query ? new URLSearchParams(Object.entries(o.query as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString() : '';
  const token = o.token === undefined ? OPERATOR_TOKEN : o.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}${qs ? `?${qs}` : ''}`, { method: e.method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  const text = await res.text();
  if (res.ok) {
    const parsed = (e.response as z.ZodType).safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${name}: answer does not match the schema: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
    return { status: res.status, ok: true, data: parsed.data as z.infer<Op[N]['response']> };
  }
  const err = zErrorResponse.safeParse(JSON.parse(text));
  if (!err.success) throw new Error(`${name}: error answer is not {code, message, action}: ${text.slice(0, 200)}`);
  return { status: res.status, ok: false, error: err.data };
}

/** Calls an operator route and insists on success. */
export async function operatorOk<N extends OperatorEndpointName>(base: string, name: N, o: Parameters<typeof operatorApi<N>>[2] = {}): Promise<z.infer<Op[N]['response']>> {
  const a = await operatorApi(base, name, o);
  if (!a.ok) throw new CallError(a.status, a.error);
  return a.data;
}

/** kense's operator records a payment over HTTP (stands in for the bank statement import). */
export function operatorCall(base: string, body: OperatorPaymentRequest | Record<string, unknown>, token: string | null = OPERATOR_TOKEN): Promise<OperatorAnswer> {
  return operatorApi(base, 'operatorPayment', { body, token });
}

/** Records a payment as kense's operator and insists on success. */
export function operatorPay(base: string, body: OperatorPaymentRequest): Promise<OperatorPaymentResult> {
  return operatorOk(base, 'operatorPayment', { body });
}
