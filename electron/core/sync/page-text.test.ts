import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataSlices, dataSlicesSliced } from './page-text';

const utf8 = (s: string) => Buffer.from(s);
const texts = (slices: (Uint8Array | null)[] | null) => slices && slices.map((s) => (s === null ? null : Buffer.from(s).toString('utf8')));

describe('data bytes of a feed page', () => {
  it('cuts out exactly the UTF-8 of what JSON.stringify would give for each change (any data, any key order, any script)', () => {
    const change = fc.record({
      seq: fc.nat(), entity: fc.constantFrom('act', 'user'), id: fc.uuid(), version: fc.nat(), op: fc.constantFrom('upsert', 'delete'),
      data: fc.option(fc.jsonValue().map((v) => ({ v, 'data': v, 'q"x': '}{][', 'ә': 'Ақпарат "т" \\ 💡' })), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 8 }), fc.boolean(), (changes, hasMore) => {
        const text = JSON.stringify({ changes, cursor: 'c"ur}sor', hasMore });
        expect(texts(dataSlices(utf8(text)))).toEqual(changes.map((c) => (c.data === null ? null : JSON.stringify(c.data))));
      }),
      { numRuns: 300 },
    );
  });
  it('the sliced form (turns of ~10 ms) gives the same bytes for a page of several MB, and null for a cut page', async () => {
    const changes = Array.from({ length: 2000 }, (_, i) => ({ seq: i + 1, entity: 'act', id: `id-${i}`, version: 1, op: 'upsert', data: { n: i, text: 'Ақпарат "т" \\ }{'.repeat(40) } }));
    const page = utf8(JSON.stringify({ changes, cursor: 'c', hasMore: false }));
    const got = await dataSlicesSliced(page);
    expect(texts(got)).toEqual(texts(dataSlices(page)));
    expect(got).toHaveLength(2000);
    expect(texts(got)?.[7]).toBe(JSON.stringify(changes[7].data));
    expect(await dataSlicesSliced(utf8('{"changes":[{"data":{"a":1'))).toBeNull();
    expect(dataSlices(utf8('{"changes":[{"data":"unterminated'))).toBeNull();
  });
  it('keys after the changes array do not count', () => {
    expect(texts(dataSlices(utf8('{"changes":[{"data":{"a":1}}],"data":{"b":2}}')))).toEqual(['{"a":1}']);
  });
});
