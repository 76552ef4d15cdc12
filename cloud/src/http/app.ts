// The HTTP face of the server: one Fastify route per contract endpoint, every input parsed with the contract
// schemas, errors as {code, message, action, details} in the caller's language.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ERRORS, KenseError, isErrorCode, isKenseError, type Locale } from '../../../contract/errors';
import { identifierIssue, identifierMessage } from '../../../contract/kz-identifiers';
import { CLOUD_ERROR_STATUS } from '../../../contract/errors/cloud';
import { ENDPOINTS, type Endpoint, type EndpointName } from '../../../contract/cloud';
import type { Call, Services } from '../context';
import { resolveAccessToken } from '../auth/tokens';
import { pickLocale } from './locale';
import { ROUTES, RawJson } from './routes';
import { OPERATOR_PAYMENTS_PATH, zOperatorPaymentRequest, zOperatorPaymentResult } from '../../../contract/cloud/operator';
import { operatorPayment, requireOperator } from './operator';

function statusOf(code: string): number {
  if (code === 'INVALID_INPUT') return 400;
  if (code === 'INTERNAL') return 500;
  return (CLOUD_ERROR_STATUS as Record<string, number>)[code] ?? 400;
}

/** One entry per field that did not pass; typed-in identifiers (ИИН, БИН, ИИК, БИК …) are explained in the caller's language. */
function fieldsOf(e: z.ZodError, where: string, locale: Locale) {
  return e.issues.map((i) => {
    const path = [where, ...i.path.map(String)].join('.');
    const id = i.code === 'custom' ? identifierIssue(i.params) : null;
    return id ? { path, message: identifierMessage(id.identifier, id.problem, locale), problem: id.problem } : { path, message: i.message };
  });
}

function parsePart<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string, locale: Locale): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new KenseError('INVALID_INPUT', { fields: fieldsOf(r.error, where, locale) });
  return r.data;
}

/** What a session whose password expired may still do: change it, see who it is, manage its sessions, leave. */
const OPEN_WITH_EXPIRED_PASSWORD: ReadonlySet<EndpointName> = new Set(['passwordChange', 'me', 'sessionsList', 'sessionEnd', 'authLogout']);

/** Request bodies above these sizes are refused before parsing (REQUEST_TOO_LARGE); 1 MiB for every other route. */
const BODY_LIMIT = 1024 * 1024;
const BODY_LIMITS: Partial<Record<EndpointName, number>> = {
  accountingImport: 64 * 1024 * 1024, // a year of sales rows from 1C
  syncMutations: 16 * 1024 * 1024, // up to 100 mutations, each with a CMS carrying its certificate chain
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

function sendError(reply: FastifyReply, e: unknown, locale: Locale, log: boolean): void {
  let err: KenseError;
  if (isKenseError(e)) err = e;
  else if ((e as { statusCode?: number })?.statusCode === 413) err = new KenseError('REQUEST_TOO_LARGE');
  else if ((e as { validation?: unknown; statusCode?: number })?.statusCode && (e as { statusCode: number }).statusCode < 500) {
    // Fastify's own refusals (malformed JSON, wrong content type): their messages never echo the body.
    err = new KenseError('INVALID_INPUT', { reason: (e as Error).message });
  } else {
    if (log) console.error(e);
    else console.error('kense cloud: internal error:', (e as Error)?.message ?? e);
    err = new KenseError('INTERNAL');
  }
  reply.code(statusOf(err.code)).type('application/json').send(err.toPayload(locale));
}

export async function buildHttp(s: Services): Promise<FastifyInstance> {
  // The logger (off unless configured) writes method, URL, status and timing: never headers or bodies, so no
  // password, token, nonce or CMS reaches the log; the URL carries at most a sync cursor, which is no secret.
  const app = Fastify({ logger: s.config.log, bodyLimit: BODY_LIMIT });
  // An empty body with a JSON content type (curl -H 'content-type: application/json' on a body-less POST) is no body.
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => ((body as string) === '' ? done(null, undefined) : json(req, body as string, done)));
  app.addHook('onSend', async (_req, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  app.setErrorHandler((e, req, reply) => sendError(reply, e, pickLocale(req.headers['accept-language']), s.config.log));
  app.setNotFoundHandler((req, reply) => sendError(reply, new KenseError('NOT_FOUND', { path: req.url.split('?')[0] }), pickLocale(req.headers['accept-language']), false));

  for (const [name, e] of Object.entries(ENDPOINTS) as [EndpointName, Endpoint][]) {
    const handler = ROUTES[name] as (c: Call) => Promise<unknown>;
    app.route({
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
        const call: Call = {
          s,
          principal: principal as NonNullable<typeof principal>,
          params: parsePart(e.params, req.params, 'params', locale),
          query: parsePart(e.query, req.query, 'query', locale),
          body: parsePart(e.body, e.body ? req.body : undefined, 'body', locale),
          ip: req.ip,
          locale,
          userAgent: String(req.headers['user-agent'] ?? ''),
        };
        const result = await handler(call);
        if (result instanceof RawJson) return reply.code(200).type('application/json; charset=utf-8').send(result.bytes);
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
  }
  // kense's own operator route, outside the client contract: absent (404 like any unknown path) unless the server
  // was started with an operator token; a client's access token is no operator token.
  if (s.config.operatorTokenSha256) {
    app.route({
      method: 'POST',
      url: OPERATOR_PAYMENTS_PATH,
      handler: async (req, reply) => {
        const locale = pickLocale(req.headers['accept-language']);
        requireOperator(s, req.headers.authorization, req.ip);
        const result = await operatorPayment(s, parsePart(zOperatorPaymentRequest, req.body, 'body', locale), req.ip);
        if (s.config.validateResponses && !zOperatorPaymentResult.safeParse(result).success) throw new KenseError('INTERNAL');
        return reply.code(result.duplicate ? 200 : 201).type('application/json; charset=utf-8').send(result);
      },
    });
  }
  return app;
}

export { ERRORS, isErrorCode };
