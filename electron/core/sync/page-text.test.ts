import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataTexts, dataTextsSliced } from './page-text';

describe('data texts of a feed page', () => {
  it('cuts out exactly what JSON.stringify would give for each change (any data, any key order)', () => {
    const change = fc.record({ seq: fc.nat(), entity: fc.constantFrom('act', 'user'), id: fc.uuid(), version: fc.nat(), op: fc.constantFrom('upsert', 'delete'), data: fc.option(fc.jsonValue().map((v) => ({ v, 'data': v, 'q"x': '}{][' })), { nil: null }) });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 8 }), fc.boolean(), (changes, hasMore) => {
        const text = JSON.stringify({ changes, cursor: 'c"ur}sor', hasMore });
        const got = dataTexts(text);
        expect(got).toEqual(changes.map((c) => (c.data === null ? null : JSON.stringify(c.data))));
      }),
      { numRuns: 300 },
    );
  });
  it('the sliced form (turns of ~10 ms) gives the same texts for a page of several MB, and null for a cut page', async () => {
    const changes = Array.from({ length: 2000 }, (_, i) => ({ seq: i + 1, entity: 'act', id: `id-${i}`, version: 1, op: 'upsert', data: { n: i, text: 'Ақпарат "т" \\ }{'.repeat(40) } }));
    const text = JSON.stringify({ changes, cursor: 'c', hasMore: false });
    const got = await dataTextsSliced(text);
    expect(got).toEqual(dataTexts(text));
    expect(got).toHaveLength(2000);
    expect(await dataTextsSliced('{"changes":[{"data":{"a":1')).toBeNull();
  });
  it('keys after the changes array do not count', () => {
    expect(dataTexts('{"changes":[{"data":{"a":1}}],"data":{"b":2}}')).toEqual(['{"a":1}']);
  });
});
