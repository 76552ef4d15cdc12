import { expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalBytes, canonicalJson, jsonDigest } from './canonical-json';

it('sorts keys at every level, no whitespace, UTF-8', () => {
  expect(canonicalJson({ b: 1, a: { d: [2, { z: 'я', y: null }], c: true } })).toBe('{"a":{"c":true,"d":[2,{"y":null,"z":"я"}]},"b":1}');
  const c = canonicalBytes('f', { x: 'ә' });
  expect(Buffer.from(c.bytes).toString('utf8')).toBe('{"x":"ә"}');
  expect(c.sha256).toMatch(/^[0-9a-f]{64}$/);
});
it('refuses floats (money is integer tiyn)', () => expect(() => canonicalJson({ a: 1.5 })).toThrow(TypeError));
it('is independent of key order (property)', () => {
  fc.assert(fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (o) => {
    const reversed = Object.fromEntries(Object.entries(o).reverse());
    return canonicalJson(o) === canonicalJson(reversed) && JSON.stringify(JSON.parse(canonicalJson(o))) !== undefined;
  }));
});
it('digests any client JSON independent of key order; refuses absurd nesting', () => {
  expect(jsonDigest({ a: 1.5, b: [1, 'x'] })).toBe(jsonDigest({ b: [1, 'x'], a: 1.5 }));
  expect(jsonDigest({ a: 1.5 })).not.toBe(jsonDigest({ a: 1.25 }));
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = [deep];
  expect(() => jsonDigest(deep)).toThrow(TypeError);
  expect(() => canonicalJson(deep)).toThrow(TypeError);
});
it('the sliced digest is the digest (long arrays hashed element by element)', async () => {
  const { jsonDigestSliced } = await import('./canonical-json');
  await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (v) => {
    expect(await jsonDigestSliced(v)).toBe(jsonDigest(v));
  }), { numRuns: 200 });
  const big = { route: 'accountingImport', body: { sales: Array.from({ length: 3000 }, (_, i) => ({ i, s: `x${i}` })), asOf: 'y', nested: [Array.from({ length: 400 }, (_, i) => i)] } };
  expect(await jsonDigestSliced(big)).toBe(jsonDigest(big));
});
