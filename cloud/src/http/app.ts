// The HTTP face of the server: one Fastify route per contract endpoint, every input parsed with the contract
// schemas, errors as {code, message, action, details} in the caller's language.
import type { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ERRORS, KenseError, isErrorCode, isKenseError, type Locale } from '../../../contract/errors';
import { CLOUD_ERROR_STATUS } from '../../../contract/errors/cloud';
import { ENDPOINTS, type Endpoint, type EndpointName } from '../../../contract/cloud';
import type { Call, Services } from '../context';
import { resolveAccessToken } from '../auth/tokens';
import { pickLocale } from './locale';
import { ROUTES, RawJson } from './routes';
import { OPERATOR_ENDPOINTS, type OperatorEndpoint, type OperatorEndpointName } from '../../../contract/cloud/operator';
import { OPERATOR_ROUTES, requireOperator, type OperatorCall } from './operator';
import { ACCOUNTING_IMPORT_LIMITS, SUPPORT_LIMITS, localizeFieldProblems } from '../../../contract/cloud';
import { JsonBodyError, parseJsonBody, textProblems } from './json-body';
import { fieldsOf, problemFields, safeParseSliced } from './validate';
import { Replay } from '../idempotency';
import { watchStalls } from './stall-watch';
import { checkDeclaredLength, pumpBody, readBody } from './body-reader';
import type { BodyPump } from '../import-types';
import { importRefusal } from '../domain/accounting-import';
import { TEST_TSA_PATH } from '../../../contract/cloud/timestamps';
import { TSQ_TYPE, TSR_TYPE } from '../timestamps/rfc3161';

function statusOf(code: string): number {
  if (code === 'INVALID_INPUT') return 400;
  if (code === 'INTERNAL') return 500;
  return (CLOUD_ERROR_STATUS as Record<string, number>)[code] ?? 400;
}

/** An Idempotency-Key: 1–200 visible ASCII characters (a UUID is a good one). */
function idempotencyHeader(req: FastifyRequest, locale: Locale): string | undefined {
  const v = req.headers['idempotency-key'];
  if (v === undefined) return undefined;
  if (typeof v === 'string' && /^[\x21-\x7e]{1,200}$/.test(v)) return v;
  const message = { ru: 'Idempotency-Key: от 1 до 200 видимых символов ASCII (например, UUID)', kk: 'Idempotency-Key: 1-ден 200-ге дейін көрінетін ASCII таңбасы (мысалы, UUID)', en: 'Idempotency-Key: 1 to 200 visible ASCII characters (a UUID, for example)' }[locale];
  throw new KenseError('INVALID_INPUT', { fields: [{ path: 'headers.idempotency-key', message }] });
}

/** Size of each request's JSON body as read. */
const bodyBytes = new WeakMap<FastifyRequest, number>();

/** Bodies above this many bytes are validated in slices. */
const SLICED_BODY = 256 * 1024;

async function parsePart<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string, locale: Locale, bytes = 0): Promise<T> {
  if (!schema) return undefined as T;
  // The body's text was checked while it was parsed; the query and path parameters are checked here.
  if (where !== 'body') {
    const problems = await textProblems(value ?? {}, [where]);
    if (problems.length) throw new KenseError('INVALID_INPUT', { fields: problemFields(problems, locale) });
  }
  const r = bytes > SLICED_BODY ? await safeParseSliced(schema, value ?? {}) : schema.safeParse(value ?? {});
  if (!r.success) throw new KenseError('INVALID_INPUT', { fields: fieldsOf(r.error, where, locale) });
  return r.data as T;
}

/** What a session whose password expired may still do: change it, see who it is, manage its sessions, leave. */
const OPEN_WITH_EXPIRED_PASSWORD: ReadonlySet<EndpointName> = new Set(['passwordChange', 'me', 'sessionsList', 'sessionEnd', 'authLogout']);

/** Request bodies above these sizes are refused before parsing (REQUEST_TOO_LARGE); 1 MiB for every other route. */
const BODY_LIMIT = 1024 * 1024;
const BODY_LIMITS: Partial<Record<EndpointName, number>> = {
  accountingImport: ACCOUNTING_IMPORT_LIMITS.bytes, // a year of a medium company's 1C data
  syncMutations: 16 * 1024 * 1024, // up to 100 mutations, each with a CMS carrying its certificate chain
  supportTicketCreate: SUPPORT_LIMITS.bodyBytes, // a screenshot (2 MiB) and three text attachments
};

/** Every answer: never cached (tokens, personal data), never sniffed or framed; no CORS headers, so browsers keep other origins out. */
const SECURITY_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
};

const ROUTE_NAMES = new Map<string, EndpointName>(Object.entries(ENDPOINTS).map(([n, e]) => [e.path, n as EndpointName]));

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The desktop app announces its version; too old → must update; kill switch → stop (policy and health stay open). */
function appGate(s: Services, name: EndpointName, req: FastifyRequest): void {
  if (name === 'appPolicy' || name === 'health' || name === 'openapi') return;
  const version = req.headers['x-kense-app-version'];
  if (typeof version !== 'string') return;
  if (s.config.appPolicy.killSwitch.active) throw new KenseError('APP_DISABLED');
  if (compareVersions(version, s.config.appPolicy.minimumVersion) < 0) throw new KenseError('APP_VERSION_UNSUPPORTED', { minimumVersion: s.config.appPolicy.minimumVersion });
}

function sendError(reply: FastifyReply, e: unknown, locale: Locale, log: boolean, route?: string): void {
  let err: KenseError;
  if (isKenseError(e)) err = e;
  // Two writes racing for one unique value (a client-made id, a key): the loser is told, not given a 500.
  else if ((e as { code?: unknown })?.code === '23505') err = new KenseError('CONFLICT', { reason: 'a concurrent request created the same thing; repeat to see it' });
  else if ((e as { statusCode?: number })?.statusCode === 413) {
    // The import says what it may hold; every other route says how much it takes.
    err = route === ENDPOINTS.accountingImport.path
      ? new KenseError('IMPORT_TOO_LARGE', { limitBytes: ACCOUNTING_IMPORT_LIMITS.bytes, limits: { ...ACCOUNTING_IMPORT_LIMITS } })
      : new KenseError('REQUEST_TOO_LARGE', { limitBytes: BODY_LIMITS[ROUTE_NAMES.get(route ?? '') as EndpointName] ?? BODY_LIMIT });
  }
  else if ((e as { validation?: unknown; statusCode?: number })?.statusCode && (e as { statusCode: number }).statusCode < 500) {
    // Fastify's own refusals (malformed JSON, wrong content type): their messages never echo the body.
    err = new KenseError('INVALID_INPUT', { reason: (e as Error).message });
  } else {
    if (log) console.error(e);
    else console.error('kense cloud: internal error:', (e as Error)?.message ?? e);
    err = new KenseError('INTERNAL');
  }
  const payload = err.toPayload(locale);
  if (payload.details) payload.details = localizeFieldProblems(payload.details, locale);
  reply.code(statusOf(err.code)).type('application/json').send(payload);
}

/** The accounting import's body as it arrives (none: an empty body, which the worker refuses as JSON). */
function importBody(req: FastifyRequest): BodyPump {
  const payload = req.body as Readable | undefined;
  return async (onChunk) => (payload ? pumpBody(payload, ACCOUNTING_IMPORT_LIMITS.bytes, req.headers['content-length'], onChunk) : 0);
}

export async function buildHttp(s: Services): Promise<FastifyInstance> {
  // The logger (off unless configured) writes method, URL, status and timing: never headers or bodies, so no
  // password, token, nonce or CMS reaches the log; the URL carries at most a sync cursor, which is no secret.
  const app = Fastify({ logger: s.config.log, bodyLimit: BODY_LIMIT });
  // JSON bodies are read as bytes: UTF-8 checked, parsed in slices, every string checked (json-body.ts). An empty
  // body with a JSON content type (curl -H 'content-type: application/json' on a body-less POST) is no body.
  // The bytes are read by body-reader.ts (joined in slices: one Buffer.concat of megabytes held the thread too long).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', async (req: FastifyRequest, payload: Readable) => {
    const body = await readBody(payload, req.routeOptions.bodyLimit ?? BODY_LIMIT, req.headers['content-length']);
    if (body.length === 0) return undefined;
    bodyBytes.set(req, body.length);
    try {
      return await parseJsonBody(body);
    } catch (e) {
      if (e instanceof JsonBodyError) throw new KenseError('INVALID_INPUT', { fields: problemFields(e.problems, pickLocale(req.headers['accept-language'])) });
      throw e;
    }
  });
  const stallLog = Number(process.env.KENSE_CLOUD_STALL_LOG);
  if (stallLog > 0) watchStalls(app, stallLog);
  app.addHook('onSend', async (_req, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  app.setErrorHandler((e, req, reply) => sendError(reply, e, pickLocale(req.headers['accept-language']), s.config.log, req.routeOptions?.url));
  app.setNotFoundHandler((req, reply) => sendError(reply, new KenseError('NOT_FOUND', { path: req.url.split('?')[0] }), pickLocale(req.headers['accept-language']), false));

  const addRoute = (target: FastifyInstance, name: EndpointName, e: Endpoint) => {
    const handler = ROUTES[name] as (c: Call) => Promise<unknown>;
    target.route({
      method: e.method,
      url: e.path,
      bodyLimit: BODY_LIMITS[name] ?? BODY_LIMIT,
      handler: async (req, reply) => {
        const locale = pickLocale(req.headers['accept-language']);
        appGate(s, name, req);
        const auth = req.headers.authorization;
        const principal = e.auth ? await resolveAccessToken(s, auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined, req.ip) : undefined;
        if (principal?.passwordExpired && !OPEN_WITH_EXPIRED_PASSWORD.has(name)) throw new KenseError('PASSWORD_EXPIRED');
        if (principal && e.roles && !e.roles.includes(principal.viewer.role)) throw new KenseError('FORBIDDEN', { role: principal.viewer.role });
        // The accounting import arrives as bytes and is prepared by the import worker (parsed, checked, summed).
        const prepared = name === 'accountingImport' ? await s.imports.prepare(importBody(req), locale) : undefined;
        if (prepared && !prepared.ok) throw importRefusal(prepared);
        const call: Call = {
          s,
          principal: principal as NonNullable<typeof principal>,
          params: await parsePart(e.params, req.params, 'params', locale),
          query: await parsePart(e.query, req.query, 'query', locale),
          body: prepared ? { importId: prepared.importId, asOf: prepared.asOf } : await parsePart(e.body, e.body ? req.body : undefined, 'body', locale, bodyBytes.get(req) ?? 0),
          prepared,
          ip: req.ip,
          locale,
          userAgent: String(req.headers['user-agent'] ?? ''),
          idempotencyKey: e.method === 'POST' ? idempotencyHeader(req, locale) : undefined,
        };
        let result = await handler(call);
        if (result instanceof RawJson) return reply.code(200).type('application/json; charset=utf-8').send(result.bytes);
        if (result instanceof Replay) {
          reply.header('idempotent-replayed', 'true');
          result = result.data;
        }
        if (s.config.validateResponses) {
          const r = e.response.safeParse(result);
          if (!r.success) {
            console.error(`response of ${name} does not match the contract:`, JSON.stringify(r.error.issues.slice(0, 5)));
            throw new KenseError('INTERNAL');
          }
        }
        reply.code(e.status ?? 200);
        if (e.contentType === 'text/csv') return reply.type('text/csv; charset=utf-8').send(result);
        return reply.type('application/json; charset=utf-8').send(result);
      },
    });
  };
  for (const [name, e] of Object.entries(ENDPOINTS) as [EndpointName, Endpoint][]) if (name !== 'accountingImport') addRoute(app, name, e);
  // The import's body is not read here: once the caller may import, it streams to the import worker, which parses it.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', (req: FastifyRequest, payload: Readable, done: (e: Error | null, body?: unknown) => void) => {
      try {
        checkDeclaredLength(req.headers['content-length'], ACCOUNTING_IMPORT_LIMITS.bytes);
        done(null, payload);
      } catch (e) {
        done(e as Error);
      }
    });
    addRoute(scope, 'accountingImport', ENDPOINTS.accountingImport);
  });
  // The built-in test TSA (demo and tests): RFC 3161 over HTTP, outside the JSON contract; absent otherwise.
  const answerQuery = s.timestamps.answerQuery;
  if (answerQuery) {
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(TSQ_TYPE, { parseAs: 'buffer' }, async (_req: FastifyRequest, body: Buffer) => body);
      scope.route({
        method: 'POST',
        url: TEST_TSA_PATH,
        bodyLimit: 16 * 1024,
        handler: async (req, reply) => reply.code(200).type(TSR_TYPE).send(Buffer.from(await answerQuery(new Uint8Array(req.body as Buffer)))),
      });
    });
  }
  // kense's own operator routes, outside the client contract: absent (404 like any unknown path) unless the server
  // was started with an operator token; a client's access token is no operator token.
  if (s.config.operatorTokenSha256) {
    for (const [name, e] of Object.entries(OPERATOR_ENDPOINTS) as [OperatorEndpointName, OperatorEndpoint][]) {
      const handler = OPERATOR_ROUTES[name] as (c: Record<keyof OperatorCall<OperatorEndpointName>, unknown>) => Promise<{ result: unknown; status?: number }>;
      app.route({
        method: e.method,
        url: e.path,
        handler: async (req, reply) => {
          const locale = pickLocale(req.headers['accept-language']);
          requireOperator(s, req.headers.authorization, req.ip);
          const { result, status } = await handler({
            s,
            params: await parsePart(e.params, req.params, 'params', locale),
            query: await parsePart(e.query, req.query, 'query', locale),
            body: await parsePart(e.body, e.body ? req.body : undefined, 'body', locale, bodyBytes.get(req) ?? 0),
            ip: req.ip,
          });
          if (s.config.validateResponses && !e.response.safeParse(result).success) throw new KenseError('INTERNAL');
          return reply.code(status ?? e.status ?? 200).type('application/json; charset=utf-8').send(result);
        },
      });
    }
  }
  return app;
}

export { ERRORS, isErrorCode };
