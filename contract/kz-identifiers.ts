// Kazakh identifiers (ИИН, БИН, ИИК, БИК, КБе, КНП): pure checks and zod field schemas, shared by the
// app and the cloud. Rules: ../shared/docs/DOMAIN.md, "Kazakh identifiers and formats".
import { z } from 'zod';
import type { Locale } from './errors/types';

/** Identifiers of the НУЦ РК test certificates: real test identities that fail the check-digit rule. */
export const NCA_TEST_IDENTIFIERS: readonly string[] = ['123456789011', '123456789012', '123456789021'];

const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** Check digit for the first 11 digits of an ИИН/БИН, or null when such a number is never issued. */
export function iinBinCheckDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) throw new RangeError('expected 11 digits');
  const d = [...first11].map(Number);
  let k = d.reduce((s, x, i) => s + x * W1[i], 0) % 11;
  if (k === 10) k = d.reduce((s, x, i) => s + x * W2[i], 0) % 11;
  return k === 10 ? null : k;
}

export type IdentifierProblem = 'format' | 'check_digit' | 'never_issued' | 'date' | 'type';

function checkDigitProblem(v: string): IdentifierProblem | null {
  const k = iinBinCheckDigit(v.slice(0, 11));
  if (k === null) return 'never_issued';
  return k === Number(v[11]) ? null : 'check_digit';
}

/** ИИН: YYMMDD, century/sex digit 1–6, serial, check digit. Returns null when valid. */
export function iinProblem(v: string): IdentifierProblem | null {
  if (!/^\d{12}$/.test(v)) return 'format';
  const mm = Number(v.slice(2, 4));
  const dd = Number(v.slice(4, 6));
  const c = Number(v[6]);
  if (mm < 1 || mm > 12 || dd < 1 || dd > 31) return 'date';
  if (c < 0 || c > 6) return 'date';
  return checkDigitProblem(v);
}

/** БИН: YYMM, type digit 4/5/6, unit digit 0–3, serial, check digit. Returns null when valid. */
export function binProblem(v: string): IdentifierProblem | null {
  if (!/^\d{12}$/.test(v)) return 'format';
  const mm = Number(v.slice(2, 4));
  if (mm < 1 || mm > 12) return 'date';
  if (!'456'.includes(v[4]) || !'0123'.includes(v[5])) return 'type';
  return checkDigitProblem(v);
}

function iinOrBinProblem(v: string): IdentifierProblem | null {
  if (binProblem(v) === null || iinProblem(v) === null) return null;
  return /^\d{12}$/.test(v) ? checkDigitProblem(v) ?? 'type' : 'format';
}

export const isValidIin = (v: string): boolean => iinProblem(v) === null;
export const isValidBin = (v: string): boolean => binProblem(v) === null;
/** A client is a company (БИН) or an individual entrepreneur (ИИН). */
export const isValidIinOrBin = (v: string): boolean => isValidBin(v) || isValidIin(v);

/** ISO 7064 mod 97-10 over an IBAN-shaped string (country and check digits moved to the end). */
function ibanMod97(v: string): number {
  const moved = v.slice(4) + v.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const n = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const digit of n) rem = (rem * 10 + Number(digit)) % 97;
  }
  return rem;
}

/** ИИК: Kazakh IBAN, `KZ` + 2 check digits + 3-digit bank code + 13 alphanumerics, mod 97 = 1. */
export function iikProblem(v: string): IdentifierProblem | null {
  if (!/^KZ\d{2}\d{3}[0-9A-Z]{13}$/.test(v)) return 'format';
  return ibanMod97(v) === 1 ? null : 'check_digit';
}
export const isValidIik = (v: string): boolean => iikProblem(v) === null;

/** Check digits that make `KZ??` + bban a valid ИИК (for generating demo accounts). */
export function iikWithCheckDigits(bban16: string): string {
  if (!/^\d{3}[0-9A-Z]{13}$/.test(bban16)) throw new RangeError('expected 3-digit bank code + 13 alphanumerics');
  const rem = ibanMod97(`KZ00${bban16}`);
  return `KZ${String(98 - rem).padStart(2, '0')}${bban16}`;
}

/** БИК: 8-character SWIFT-style code of a Kazakh bank, e.g. CASPKZKA. */
export const isValidBik = (v: string): boolean => /^[A-Z]{4}KZ[A-Z0-9]{2}$/.test(v);
/** КБе/КОд: residency 1|2 + sector 1–9. */
export const isValidKbe = (v: string): boolean => /^[12][1-9]$/.test(v);
/** КНП: 3-digit payment purpose code. */
export const isValidKnp = (v: string): boolean => /^\d{3}$/.test(v);

const PROBLEM_TEXT: Record<IdentifierProblem, string> = {
  format: 'wrong format',
  check_digit: 'check digit does not match',
  never_issued: 'such a number is never issued',
  date: 'impossible date part',
  type: 'impossible type digit',
};

export type IdentifierName = 'ИИН' | 'БИН' | 'ИИН/БИН' | 'ИИК' | 'БИК' | 'КБе' | 'КНП';
type Texts = Record<Locale, string>;
/** Each identifier's name and, for the `format` problem, what a well-formed value looks like. */
const FIELD: Record<IdentifierName, { name: Texts; shape: Texts }> = {
  'ИИН': { name: { ru: 'ИИН', kk: 'ЖСН', en: 'IIN' }, shape: { ru: '12 цифр', kk: '12 цифр', en: '12 digits' } },
  'БИН': { name: { ru: 'БИН', kk: 'БСН', en: 'BIN' }, shape: { ru: '12 цифр', kk: '12 цифр', en: '12 digits' } },
  'ИИН/БИН': { name: { ru: 'ИИН/БИН', kk: 'ЖСН/БСН', en: 'IIN/BIN' }, shape: { ru: '12 цифр', kk: '12 цифр', en: '12 digits' } },
  'ИИК': {
    name: { ru: 'ИИК', kk: 'ЖСК', en: 'IIK (IBAN)' },
    shape: { ru: '20 знаков: KZ, 2 контрольные цифры, код банка и 13 знаков счёта', kk: '20 таңба: KZ, 2 бақылау цифры, банк коды және шоттың 13 таңбасы', en: '20 characters: KZ, 2 check digits, the bank code and 13 account characters' },
  },
  'БИК': { name: { ru: 'БИК', kk: 'БСК', en: 'BIC' }, shape: { ru: '8 латинских букв и цифр, например CASPKZKA', kk: '8 латын әрпі мен цифр, мысалы CASPKZKA', en: '8 Latin letters and digits, e.g. CASPKZKA' } },
  'КБе': {
    name: { ru: 'КБе', kk: 'КБе', en: 'KBe' },
    shape: { ru: '2 цифры: резидентство 1 или 2 и сектор 1–9, например 17', kk: '2 цифр: резиденттік 1 не 2 және сектор 1–9, мысалы 17', en: '2 digits: residency 1 or 2 and sector 1–9, e.g. 17' },
  },
  'КНП': { name: { ru: 'КНП', kk: 'ТМК', en: 'KNP' }, shape: { ru: '3 цифры, например 851', kk: '3 цифр, мысалы 851', en: '3 digits, e.g. 851' } },
};
const PROBLEM: Record<Exclude<IdentifierProblem, 'format'>, Texts> = {
  check_digit: { ru: 'контрольная цифра не сходится — проверьте номер', kk: 'бақылау цифры сәйкес келмейді — нөмірді тексеріңіз', en: 'the check digit does not match — check the number' },
  never_issued: { ru: 'такой номер не выдаётся', kk: 'мұндай нөмір берілмейді', en: 'such a number is never issued' },
  date: { ru: 'в первых цифрах невозможная дата', kk: 'алғашқы цифрлардағы күн мүмкін емес', en: 'the first digits are not a possible date' },
  type: { ru: 'невозможная цифра типа (5-я или 6-я)', kk: 'түр цифры (5-ші не 6-шы) мүмкін емес', en: 'impossible type digit (5th or 6th)' },
};

/** The sentence shown next to a typed-in identifier that does not pass, in the reader's language. */
export function identifierMessage(name: IdentifierName, problem: IdentifierProblem, locale: Locale): string {
  const what = problem === 'format' ? `${locale === 'en' ? 'expected' : locale === 'kk' ? 'күтілгені' : 'нужно'} ${FIELD[name].shape[locale]}` : PROBLEM[problem][locale];
  return `${FIELD[name].name[locale]}: ${what}`;
}

/** The identifier and problem a field schema below attaches to its issue (zod `params`), or null. */
export function identifierIssue(params: unknown): { identifier: IdentifierName; problem: IdentifierProblem } | null {
  const p = params as { identifier?: unknown; problem?: unknown } | undefined;
  return p && typeof p.identifier === 'string' && p.identifier in FIELD && typeof p.problem === 'string' && p.problem in PROBLEM_TEXT
    ? { identifier: p.identifier as IdentifierName, problem: p.problem as IdentifierProblem }
    : null;
}

function refineWith(name: IdentifierName, problem: (v: string) => IdentifierProblem | null, allowTest: boolean) {
  return z.string().superRefine((v, ctx) => {
    if (allowTest && NCA_TEST_IDENTIFIERS.includes(v)) return;
    const p = problem(v);
    if (p) ctx.addIssue({ code: 'custom', message: `${name}: ${PROBLEM_TEXT[p]}`, params: { identifier: name, problem: p } });
  });
}

const formatOnly = (ok: (v: string) => boolean) => (v: string): IdentifierProblem | null => (ok(v) ? null : 'format');

/** Field schemas for identifiers a person types in. `…Login` variants also accept the НУЦ test identities. */
export const zIin = refineWith('ИИН', iinProblem, false).meta({ description: 'ИИН, 12 digits with a valid check digit', example: '900101300017' });
export const zBin = refineWith('БИН', binProblem, false).meta({ description: 'БИН, 12 digits with a valid check digit', example: '240140000011' });
/** The БИН of a branch (unit digit 1) or a representative office (2). */
export const zBranchBin = refineWith('БИН', (v) => binProblem(v) ?? ('12'.includes(v[5]) ? null : 'type'), false).meta({
  description: 'БИН of a branch or representative office (6th digit 1 or 2)', example: '240141000017',
});
export const zIinOrBin = refineWith('ИИН/БИН', iinOrBinProblem, false).meta({
  description: 'БИН of a company or ИИН of an individual entrepreneur',
});
export const zIik = refineWith('ИИК', iikProblem, false).meta({ description: 'ИИК (Kazakh IBAN), 20 characters', example: 'KZ18722S000012345678' });
export const zBik = refineWith('БИК', formatOnly(isValidBik), false).meta({ description: 'БИК, 8 characters', example: 'CASPKZKA' });
export const zKbe = refineWith('КБе', formatOnly(isValidKbe), false).meta({ description: 'КБе: residency 1|2 + sector 1–9', example: '17' });
export const zKnp = refineWith('КНП', formatOnly(isValidKnp), false).meta({ description: 'КНП, 3 digits', example: '851' });
/** An ИИН as typed on a login form: the rule applies, except for the НУЦ test identities when the server trusts the test PKI. */
export const zIinAtLogin = (allowTestIdentities: boolean) => refineWith('ИИН', iinProblem, allowTestIdentities);
/** Any 12-digit identifier read from a verified certificate: taken as it is. */
export const zIdentity12 = z.string().regex(/^\d{12}$/);
