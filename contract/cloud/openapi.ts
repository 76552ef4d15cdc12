// Builds the OpenAPI 3.1 document from the same zod schemas the server validates with.
import { z } from 'zod';
import { ENDPOINTS, type Endpoint } from './endpoints';
import { zErrorResponse } from './common';

type Json = Record<string, unknown>;

/**
 * JSON Schema of a zod schema; named sub-schemas (`.meta({id})`) are moved to components.schemas so that
 * every $ref resolves from the document root. The same id in input and output shape gets an `Input` twin.
 */
function schemaIn(components: Record<string, Json>) {
  return (s: z.ZodType, io: 'input' | 'output'): Json => {
    const js = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as Json;
    delete js.$schema;
    const defs = (js.$defs ?? {}) as Record<string, Json>;
    delete js.$defs;
    const rename = new Map<string, string>();
    for (const [id, def] of Object.entries(defs)) {
      const existing = components[id];
      rename.set(id, existing === undefined || JSON.stringify(existing) === JSON.stringify(def) ? id : `${id}${io === 'input' ? 'Input' : 'Output'}`);
    }
    const fix = (x: Json): Json =>
      JSON.parse(JSON.stringify(x).replace(/"#\/\$defs\/([^"]+)"/g, (_m, id: string) => `"#/components/schemas/${rename.get(id) ?? id}"`)) as Json;
    for (const [id, def] of Object.entries(defs)) components[rename.get(id) as string] = fix(def);
    return fix(js);
  };
}

function parameters(e: Endpoint, schemaOf: ReturnType<typeof schemaIn>): unknown[] {
  const out: unknown[] = [];
  for (const [where, obj] of [['path', e.params], ['query', e.query]] as const) {
    if (!obj) continue;
    const js = schemaOf(obj, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema });
    }
  }
  return out;
}

export function buildOpenApi(opts: { serverUrl?: string; version?: string } = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, Json> = {};
  const schemaOf = schemaIn(components);
  components.Error = schemaOf(zErrorResponse, 'output');
  for (const [name, e] of Object.entries(ENDPOINTS) as [string, Endpoint][]) {
    const path = e.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const status = String(e.status ?? 200);
    const op: Record<string, unknown> = {
      operationId: name,
      summary: e.summary,
      tags: [e.tag],
      ...(e.roles ? { 'x-roles': e.roles } : {}),
      parameters: parameters(e, schemaOf),
      responses: {
        [status]: {
          description: 'Success',
          content: { [e.contentType ?? 'application/json']: { schema: schemaOf(e.response, 'output') } },
        },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (e.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(e.body, 'input') } } };
    op.security = e.auth ? [{ bearer: [] }] : [];
    (paths[path] ??= {})[e.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'kense cloud API',
      version: opts.version ?? '1.0.0',
      description: 'Contract between Kense Office and the kense cloud. Money in integer tiyn; instants with an explicit offset (+05:00); errors as {code, message, action, details} in the Accept-Language locale (ru, kk, en; default ru).',
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <accessToken>' } },
    },
  };
}
