import { describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { buildOpenApi } from './openapi';
import { ENDPOINTS } from './endpoints';
import { OPERATOR_PAYMENTS_PATH } from './operator';

describe('OpenAPI document', () => {
  const doc = buildOpenApi();

  it('is a valid OpenAPI 3.1 document (official schema)', async () => {
    const v = new Validator();
    const res = await v.validate(doc);
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(v.version).toBe('3.1');
  });

  it('has one operation per endpoint, every $ref resolvable, path parameters declared', () => {
    const paths = doc.paths as Record<string, Record<string, { operationId: string; parameters: { name: string; in: string }[] }>>;
    const ops = Object.values(paths).flatMap((p) => Object.values(p));
    expect(ops.map((o) => o.operationId).sort()).toEqual(Object.keys(ENDPOINTS).sort());
    const text = JSON.stringify(doc);
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(schemas, m[1]).toHaveProperty(m[1]);
    expect(text).not.toContain('#/$defs/');
    for (const [path, item] of Object.entries(paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(item)) expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name).sort()).toEqual(names.sort());
    }
  });

  it('gives a client no way to record a payment: invoices are read only, the operator route is not in it', () => {
    const paths = Object.keys(doc.paths as Record<string, unknown>);
    expect(paths.filter((p) => /payment/i.test(p))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('/v1/operator'))).toEqual([]);
    expect(paths).not.toContain(OPERATOR_PAYMENTS_PATH);
    const invoiceWrites = Object.values(ENDPOINTS).filter((e) => e.path.startsWith('/v1/invoices') && e.method !== 'GET');
    expect(invoiceWrites).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/RecordPayment|recordPayment/);
  });
});
