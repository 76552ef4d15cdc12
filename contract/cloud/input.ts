// What the cloud accepts as input beyond each field's own schema: UTF-8 text without NUL or lone surrogates,
// JSON nested at most MAX_JSON_DEPTH deep, real calendar dates in a sane range, amounts whose sums stay exact.
// A refusal is INVALID_INPUT with one entry per field: {path, problem, message} in the caller's language.
import type { Locale, LocalizedText } from '../errors/types';

/** Dates the API accepts (documents, periods, imports): real calendar dates in this range. */
export const DATE_MIN = '1990-01-01';
export const DATE_MAX = '2099-12-31';

/** Objects and arrays inside a request body nest at most this deep. */
export const MAX_JSON_DEPTH = 32;

/** The largest amount (and sum of amounts) in tiyn that is exact everywhere: 2^53 − 1. */
export const MAX_TIYN = Number.MAX_SAFE_INTEGER;

export type InputProblem = 'nul' | 'lone_surrogate' | 'invalid_utf8' | 'too_deep' | 'forbidden_key' | 'malformed_json' | 'out_of_range' | 'duplicate' | 'file_type';

const t = (ru: string, kk: string, en: string): LocalizedText => ({ ru, kk, en });

export const INPUT_PROBLEMS: Record<InputProblem, LocalizedText> = {
  nul: t('Текст содержит нулевой символ (U+0000) — уберите его.', 'Мәтінде нөлдік таңба (U+0000) бар — оны алып тастаңыз.', 'The text contains a NUL character (U+0000): remove it.'),
  lone_surrogate: t('Текст содержит одиночный суррогат UTF-16 — это не символ; проверьте кодировку.', 'Мәтінде жалғыз UTF-16 суррогаты бар — бұл таңба емес; кодтауды тексеріңіз.', 'The text contains a lone UTF-16 surrogate, which is no character: check the encoding.'),
  invalid_utf8: t('Текст не в кодировке UTF-8 — сохраните данные в UTF-8.', 'Мәтін UTF-8 кодтауында емес — деректерді UTF-8-де сақтаңыз.', 'The text is not valid UTF-8: save the data as UTF-8.'),
  too_deep: t(`Данные вложены глубже ${MAX_JSON_DEPTH} уровней.`, `Деректер ${MAX_JSON_DEPTH} деңгейден тереңірек салынған.`, `The data is nested deeper than ${MAX_JSON_DEPTH} levels.`),
  forbidden_key: t('Недопустимое имя поля.', 'Өріс атауы жарамсыз.', 'A field name that is not allowed.'),
  malformed_json: t('Тело запроса — не корректный JSON.', 'Сұрау денесі — дұрыс JSON емес.', 'The request body is not valid JSON.'),
  out_of_range: t(
    'Сумма не представима точно (больше 2^53 − 1 тиын) — разбейте документ или выгрузку.',
    'Сома дәл көрсетілмейді (2^53 − 1 тиыннан көп) — құжатты немесе үзіндіні бөліңіз.',
    'The amount cannot be represented exactly (over 2^53 − 1 tiyn): split the document or the export.',
  ),
  duplicate: t('Такое значение уже есть.', 'Мұндай мән бар.', 'This value is already taken.'),
  file_type: t('Файл не того типа: нужен снимок экрана PNG или JPEG.', 'Файл түрі сәйкес емес: PNG немесе JPEG экран суреті керек.', 'The file is not of the stated type: a PNG or JPEG screenshot is needed.'),
};

export function inputProblemMessage(p: InputProblem, locale: Locale): string {
  return INPUT_PROBLEMS[p][locale];
}

/** NUL or a lone surrogate (a high one not followed by a low one, or a low one not preceded by a high one). */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text, or null. */
export function textProblem(s: string): 'nul' | 'lone_surrogate' | null {
  if (!SUSPECT.test(s)) return null;
  if (s.includes('\u0000')) return 'nul';
  return LONE.test(s) ? 'lone_surrogate' : null;
}

/** True for a real calendar date YYYY-MM-DD within [DATE_MIN, DATE_MAX]. */
export function isDateInRange(d: string): boolean {
  return d >= DATE_MIN && d <= DATE_MAX;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;

/** An ISO 8601 instant with an explicit offset whose parts are real (month 1–12, day of that month, 23:59:59, offset ≤ 14:00) and whose date is in range. */
export function isRealInstant(s: string): boolean {
  const m = INSTANT.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return false;
  if (d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return false;
  if (m[9] && (Number(m[10]) > 14 || Number(m[11]) > 59)) return false;
  return isDateInRange(`${m[1]}-${m[2]}-${m[3]}`) && Number.isFinite(Date.parse(s));
}

/** Field entries `{path, problem}` of an INVALID_INPUT get their message in `locale` (problems of this list only). */
export function localizeFieldProblems(details: Record<string, unknown> | undefined, locale: Locale): Record<string, unknown> | undefined {
  const fields = details?.fields;
  if (!Array.isArray(fields)) return details;
  return {
    ...details,
    fields: fields.map((f: Record<string, unknown>) =>
      typeof f?.problem === 'string' && Object.prototype.hasOwnProperty.call(INPUT_PROBLEMS, f.problem) ? { ...f, message: inputProblemMessage(f.problem as InputProblem, locale) } : f,
    ),
  };
}
