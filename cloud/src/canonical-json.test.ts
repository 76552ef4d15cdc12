import { expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalBytes, canonicalJson } from './canonical-json';

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
