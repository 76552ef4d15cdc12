import { describe, expect, it } from 'vitest';
import { daysUntil, formatBytes, formatCount, formatDate, formatDateTime, formatDocNumber, formatMoney, formatMonth, kzToday, subjectParts } from './format';

const nb = (s: string) => s.replaceAll(' ', '\u00a0');

describe('formatMoney', () => {
  it.each([
    [0, '0,00 ₸'],
    [5, '0,05 ₸'],
    [100, '1,00 ₸'],
    [100_000, '1 000,00 ₸'],
    [123_456_789, '1 234 567,89 ₸'],
    [-250_000, '−2 500,00 ₸'],
    [Number.MAX_SAFE_INTEGER, '90 071 992 547 409,91 ₸'],
  ])('%d tiyn → %s', (tiyn, text) => {
    expect(formatMoney(tiyn)).toBe(nb(text));
  });
  it('refuses fractional tiyn', () => {
    expect(() => formatMoney(1.5)).toThrow(RangeError);
  });
  it('can omit the currency and show a plus', () => {
    expect(formatMoney(100_000, { currency: false, sign: true })).toBe(nb('+1 000,00'));
  });
});

describe('dates in Kazakhstan time (UTC+5)', () => {
  it('prints calendar dates dd.MM.yyyy without time-zone shifts', () => {
    expect(formatDate('2026-01-05')).toBe('05.01.2026');
    expect(formatMonth('2026-11')).toBe('11.2026');
  });
  it('converts instants with any offset to UTC+5', () => {
    expect(formatDateTime('2026-11-25T22:45:00.000+05:00')).toBe('25.11.2026 22:45');
    expect(formatDateTime('2026-11-25T19:30:00Z')).toBe('26.11.2026 00:30');
    expect(formatDate('2026-12-31T20:00:00Z')).toBe('01.01.2027');
    expect(formatDateTime('2026-11-25T17:45:07Z', { seconds: true, zone: true })).toBe('25.11.2026 22:45:07 (UTC+5)');
  });
  it('knows the Kazakhstan date of now and counts days', () => {
    const now = new Date('2026-03-01T20:30:00Z'); // 02.03.2026 01:30 in Astana
    expect(kzToday(now)).toBe('2026-03-02');
    expect(daysUntil('2026-03-07', now)).toBe(5);
    expect(daysUntil('2026-02-27', now)).toBe(-3);
  });
  it('rejects garbage instead of printing Invalid Date', () => {
    expect(() => formatDateTime('yesterday')).toThrow(RangeError);
  });
});

describe('formatBytes', () => {
  it('uses the given units', () => {
    expect(formatBytes(512, ['B', 'KB', 'MB', 'GB'])).toBe(nb('512 B'));
    expect(formatBytes(1536, ['B', 'KB', 'MB', 'GB'])).toBe(nb('1,5 KB'));
    expect(formatBytes(5 * 1024 ** 3, ['Б', 'КБ', 'МБ', 'ГБ'])).toBe(nb('5 ГБ'));
  });
});

describe('formatCount and formatDocNumber', () => {
  it('groups counts and names a reconciliation act by its period', () => {
    expect(formatCount(20000)).toBe('20\u00a0000');
    expect(formatCount(50)).toBe('50');
    expect(formatDocNumber('2026-09-01…2026-11-30')).toBe('01.09.2026–30.11.2026');
    expect(formatDocNumber('T-2612-04988')).toBe('T-2612-04988');
  });
});

describe('subjectParts', () => {
  it('reads name, ИИН, БИН and organisation from an НУЦ РК subject, escaped quotes included', () => {
    expect(subjectParts('CN=ТЕСТОВ ТЕСТ,SURNAME=ТЕСТОВ,SERIALNUMBER=IIN123456789011,C=KZ,O=АО \\"ТЕСТ\\",OU=BIN123456789021,G=ТЕСТОВИЧ')).toEqual({
      name: 'ТЕСТОВ ТЕСТ', iin: '123456789011', bin: '123456789021', org: 'АО "ТЕСТ"',
    });
    expect(subjectParts('CN=Someone')).toEqual({ name: 'Someone', iin: null, bin: null, org: null });
  });
});
