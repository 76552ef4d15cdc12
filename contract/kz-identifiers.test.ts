import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  binProblem, iikProblem, iikWithCheckDigits, iinBinCheckDigit, iinProblem, isValidBik, isValidKbe, isValidKnp,
  identifierIssue, identifierMessage, zBik, zBin, zBranchBin, zIik, zIin, zIinAtLogin, zIinOrBin, zKbe,
} from './kz-identifiers';

describe('ИИН/БИН check digit (DOMAIN.md vectors)', () => {
  it.each([
    ['900101300017', 'iin', null],
    ['851231400021', 'iin', null],
    ['851231400207', 'iin', null],
    ['240140000011', 'bin', null],
    ['240141000017', 'bin', null],
    ['240140000203', 'bin', null],
    ['900101300018', 'iin', 'check_digit'],
    ['851231400270', 'iin', 'never_issued'],
    ['123456789011', 'iin', 'date'],
    ['123456789021', 'bin', 'date'],
    ['90010130001', 'iin', 'format'],
    ['90010130001a', 'iin', 'format'],
    ['901301300017', 'iin', 'date'],
    ['241340000011', 'bin', 'date'],
  ] as const)('%s as %s → %s', (v, kind, problem) => {
    expect(kind === 'iin' ? iinProblem(v) : binProblem(v)).toBe(problem);
  });

  it('a generated check digit always validates (property)', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{11}$/), (first11) => {
      const k = iinBinCheckDigit(first11);
      if (k === null) return true;
      const v = first11 + k;
      const wrong = first11 + ((k + 1) % 10);
      return iinProblem(v) !== 'check_digit' && iinProblem(wrong) !== null;
    }));
  });
});

describe('ИИК, БИК, КБе, КНП', () => {
  it.each([
    ['KZ18722S000012345678', null],
    ['KZ00722S000012345678', 'check_digit'],
    ['KZ13722S00013131565', 'format'],
    ['kz18722S000012345678', 'format'],
  ] as const)('ИИК %s → %s', (v, p) => expect(iikProblem(v)).toBe(p));

  it('iikWithCheckDigits produces valid accounts', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{3}[0-9A-Z]{13}$/), (bban) => iikProblem(iikWithCheckDigits(bban)) === null));
    expect(iikWithCheckDigits('722S000012345678')).toBe('KZ18722S000012345678');
  });

  it.each([['CASPKZKA', true], ['HSBKKZKX', true], ['CASPRUKA', false], ['CASPKZK', false]] as const)('БИК %s → %s', (v, ok) =>
    expect(isValidBik(v)).toBe(ok));
  it('КБе and КНП', () => {
    expect([isValidKbe('17'), isValidKbe('19'), isValidKbe('10'), isValidKbe('37')]).toEqual([true, true, false, false]);
    expect([isValidKnp('851'), isValidKnp('85')]).toEqual([true, false]);
  });
});

describe('field schemas give field errors', () => {
  it('rejects a bad ИИН with a readable message and accepts a good one', () => {
    const r = zIin.safeParse('900101300018');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/ИИН: check digit/);
    expect(zIin.safeParse('900101300017').success).toBe(true);
    expect(zBin.safeParse('240140000011').success).toBe(true);
    expect(zIik.safeParse('KZ00722S000012345678').success).toBe(false);
    expect(zIinOrBin.safeParse('900101300017').success).toBe(true);
    expect(zIinOrBin.safeParse('240140000011').success).toBe(true);
    expect(zIinOrBin.safeParse('240140000012').success).toBe(false);
  });
  it('login accepts the НУЦ test identities only when the test PKI is trusted', () => {
    expect(zIinAtLogin(true).safeParse('123456789011').success).toBe(true);
    expect(zIinAtLogin(false).safeParse('123456789011').success).toBe(false);
    expect(zIin.safeParse('123456789011').success).toBe(false);
  });
});

describe('field errors read well in ru, kk and en', () => {
  it.each([
    [zIin, '900101300018', 'ИИН: контрольная цифра не сходится — проверьте номер', 'ЖСН: бақылау цифры сәйкес келмейді — нөмірді тексеріңіз', 'IIN: the check digit does not match — check the number'],
    [zIik, 'KZ13722S00013131565', 'ИИК: нужно 20 знаков: KZ, 2 контрольные цифры, код банка и 13 знаков счёта', 'ЖСК: күтілгені 20 таңба: KZ, 2 бақылау цифры, банк коды және шоттың 13 таңбасы', 'IIK (IBAN): expected 20 characters: KZ, 2 check digits, the bank code and 13 account characters'],
    [zBik, 'CASPRUKA', 'БИК: нужно 8 латинских букв и цифр, например CASPKZKA', 'БСК: күтілгені 8 латын әрпі мен цифр, мысалы CASPKZKA', 'BIC: expected 8 Latin letters and digits, e.g. CASPKZKA'],
    [zKbe, '37', 'КБе: нужно 2 цифры: резидентство 1 или 2 и сектор 1–9, например 17', 'КБе: күтілгені 2 цифр: резиденттік 1 не 2 және сектор 1–9, мысалы 17', 'KBe: expected 2 digits: residency 1 or 2 and sector 1–9, e.g. 17'],
  ] as const)('%#', (schema, value, ru, kk, en) => {
    const issue = identifierIssue(schema.safeParse(value).error?.issues[0] && (schema.safeParse(value).error!.issues[0] as { params?: unknown }).params);
    expect(issue).not.toBeNull();
    expect([ru, kk, en]).toEqual((['ru', 'kk', 'en'] as const).map((l) => identifierMessage(issue!.identifier, issue!.problem, l)));
  });
  it('other issues carry no identifier', () => expect(identifierIssue({ foo: 1 })).toBeNull());
  it('a branch has a branch БИН (6th digit 1, or 2 for a representative office)', () => {
    expect(zBranchBin.safeParse('240141000017').success).toBe(true);
    const head = zBranchBin.safeParse('240140000011');
    expect(identifierIssue((head.error?.issues[0] as { params?: unknown }).params)).toEqual({ identifier: 'БИН', problem: 'type' });
  });
});
