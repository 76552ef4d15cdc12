import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, kzDate, workingDaysBetween } from './kz-calendar';

describe('Kazakh working-day calendar', () => {
  it.each([
    ['2025-01-03', false], // transfer order
    ['2025-01-06', true],
    ['2025-03-24', false], // Nauryz moved from Saturday
    ['2025-06-06', false], // Kurban Ait
    ['2026-01-05', true],
    ['2026-03-09', false], // 8 March on Sunday → Monday
    ['2026-03-26', true],
    ['2026-05-27', false], // Kurban Ait
    ['2026-08-31', false],
    ['2026-11-21', false], // Saturday
    ['2026-11-23', true],
    ['2026-12-16', false],
    ['2027-01-04', false],
    ['2027-05-16', false], // Sunday (Kurban Ait is not moved)
    ['2027-05-17', true],
    ['2028-01-03', true], // outside the covered years: weekends only
  ] as const)('%s working = %s', (d, w) => expect(isWorkingDay(d)).toBe(w));

  it.each([
    // service act issued on the 1st: 5 working days to answer
    ['2026-03-02', 5, '2026-03-10'], // skips 9 March and the weekend
    ['2026-03-20', 5, '2026-04-01'], // Nauryz 23–25 March
    ['2025-12-31', 5, '2026-01-12'], // New Year and Christmas
    ['2026-05-25', 5, '2026-06-02'], // Kurban Ait 27 May
    ['2026-11-25', 0, '2026-11-25'],
    ['2026-11-27', 1, '2026-11-30'], // Friday → Monday
  ] as const)('addWorkingDays(%s, %i) = %s', (d, n, r) => expect(addWorkingDays(d, n)).toBe(r));

  it.each([
    ['2026-03-02', '2026-03-10', 5],
    ['2026-03-20', '2026-04-01', 5],
    ['2026-11-27', '2026-11-27', 0],
    ['2026-11-27', '2026-11-26', 0],
    ['2026-01-01', '2026-12-31', 246],
  ] as const)('workingDaysBetween(%s, %s) = %i', (a, b, n) => expect(workingDaysBetween(a, b)).toBe(n));

  it('kzDate uses UTC+5', () => {
    expect(kzDate(new Date('2026-01-31T19:30:00Z'))).toBe('2026-02-01');
    expect(kzDate(new Date('2026-01-31T18:59:59Z'))).toBe('2026-01-31');
  });
  it('rejects impossible dates', () => expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError));
});
