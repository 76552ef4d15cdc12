import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataTexts } from './page-text';

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
  it('keys after the changes array do not count', () => {
    expect(dataTexts('{"changes":[{"data":{"a":1}}],"data":{"b":2}}')).toEqual(['{"a":1}']);
  });
});
