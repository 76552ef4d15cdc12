import { describe, expect, it } from 'vitest';
import { ftsQuery, searchAmount } from './documents';

describe('search text', () => {
  it.each([
    ['Каспий', '"каспий"*'],
    ['Т-2612-04988', '"2612"* AND "04988"*'],
    ['т', '"т"*'],
    ['1 234 567,89', '"1234567"* AND "89"*'],
    ['240140000011', '"240140000011"*'],
    ['ТОО "Самал"', '"тоо"* AND "самал"*'],
    ['  ', null],
  ])('%s → %s', (text, q) => expect(ftsQuery(text)).toBe(q));
  it('amounts are indexed as tenge and tenge.tiyn', () => expect(searchAmount(123456789)).toBe('1234567 1234567.89'));
});
