// The accounting import's body streams to the import worker as it arrives (the server's thread never holds it
// whole): a body sent in odd pieces without a Content-Length is the same import, a chunked body over the limit is
// IMPORT_TOO_LARGE as soon as the limit is passed, and the worker takes the next import after one it dropped.
// Reading the body is the same code on both storages, so PGlite alone is exercised here.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTING_IMPORT_LIMITS } from '../../contract/cloud';
import { DEMO, startTestCloud, type TestCloud } from './harness';

const importBody = (over: Record<string, unknown> = {}) => ({ format: 'kense-accounting/1', asOf: '2026-11-25T18:00:00+05:00', source: { system: '1C' }, accounts: [], cashflow: [], sales: [], receivables: [], payables: [], ...over });

/** The bytes as a stream of `size`-byte pieces (fetch sends it chunked, without a Content-Length). */
function pieces(bytes: Buffer, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(new Uint8Array(bytes.subarray(at, (at += size))));
    },
  });
}

describe('the accounting import streams to its worker', () => {
  let tc: TestCloud;
  let head: string;
  beforeAll(async () => {
    tc = await startTestCloud('pglite', { seed: { kind: 'demo', counterparties: 2, acts: 2 } });
    head = (await tc.client.login(DEMO.head)).accessToken;
  });
  afterAll(async () => tc?.close());

  async function send(body: ReadableStream<Uint8Array> | Buffer) {
    const res = await fetch(`${tc.url}/v1/imports/accounting`, {
      method: 'POST',
      headers: { authorization: `Bearer ${head}`, 'content-type': 'application/json', 'accept-language': 'en', 'idempotency-key': randomUUID() },
      body: body instanceof Buffer ? new Uint8Array(body) : body,
      duplex: 'half',
    } as RequestInit);
    return { status: res.status, json: (await res.json()) as { code?: string; importId?: string; details?: Record<string, unknown> } };
  }
  const salesTotal = async () => {
    const d = (await tc.client.ok('dashboardsList', { token: head })).items.find((x) => x.kind === 'sales');
    return d?.kind === 'sales' ? d.data.total12m : undefined;
  };

  it('a body in odd pieces without a Content-Length (cut inside letters) is the same import', async () => {
    const sales = Array.from({ length: 3000 }, (_, i) => ({ date: '2026-11-01', customerIinBin: '240140000011', customerName: `ТОО «Покупатель ${i}»`, amount: 1000 + i }));
    const res = await send(pieces(Buffer.from(JSON.stringify(importBody({ sales }))), 777));
    expect(res.status).toBe(201);
    expect(await salesTotal()).toBe(sales.reduce((s, x) => s + x.amount, 0));
  });

  it('a chunked body over the limit is IMPORT_TOO_LARGE, and the next import goes through', async () => {
    const row = JSON.stringify({ date: '2026-03-01', customerIinBin: '240140000011', customerName: 'ТОО «Покупатель с длинным названием для объёма»', amount: 1 });
    const n = Math.ceil((ACCOUNTING_IMPORT_LIMITS.bytes + 1) / (row.length + 1));
    const big = Buffer.from(`{"format":"kense-accounting/1","sales":[${Array.from({ length: n }, () => row).join(',')}]}`);
    expect(big.length).toBeGreaterThan(ACCOUNTING_IMPORT_LIMITS.bytes);
    const res = await send(pieces(big, 256 * 1024));
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ code: 'IMPORT_TOO_LARGE', details: { limitBytes: ACCOUNTING_IMPORT_LIMITS.bytes } });
    const next = await send(Buffer.from(JSON.stringify(importBody({ sales: [{ date: '2026-11-02', customerIinBin: '240140000011', customerName: 'А', amount: 7 }] }))));
    expect(next.status).toBe(201);
    expect(await salesTotal()).toBe(7);
  });

  it('an empty or broken body is INVALID_INPUT, not a 500', async () => {
    expect(await send(Buffer.alloc(0))).toMatchObject({ status: 400, json: { code: 'INVALID_INPUT' } });
    expect(await send(pieces(Buffer.from('{"format":"kense-accounting/1","sales":[{'), 5))).toMatchObject({ status: 400, json: { code: 'INVALID_INPUT' } });
  });
});
