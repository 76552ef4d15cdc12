// Deterministic generators of believable Kazakh business data with valid identifiers (for seeds).
import { iinBinCheckDigit, iikWithCheckDigits } from '../../../contract/kz-identifiers';

/** mulberry32: small, fast, reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export type Rng = () => number;
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
export const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const digits = (r: Rng, n: number) => Array.from({ length: n }, () => int(r, 0, 9)).join('');

/** A valid БИН: YYMM, type 4 (resident), unit 0 (head) or 1 (branch), serial, check digit. */
export function validBin(r: Rng, unit: 0 | 1 = 0): string {
  for (;;) {
    const first = `${String(int(r, 0, 24)).padStart(2, '0')}${String(int(r, 1, 12)).padStart(2, '0')}4${unit}${digits(r, 5)}`;
    const k = iinBinCheckDigit(first);
    if (k !== null) return first + k;
  }
}

/** A valid ИИН of a person born 1960–2000. */
export function validIin(r: Rng, female = false): string {
  for (;;) {
    const yy = String(int(r, 60, 99)).padStart(2, '0');
    const first = `${yy}${String(int(r, 1, 12)).padStart(2, '0')}${String(int(r, 1, 28)).padStart(2, '0')}${female ? 4 : 3}${digits(r, 4)}`;
    const k = iinBinCheckDigit(first);
    if (k !== null) return first + k;
  }
}

export const BANKS = [
  { code: '722', bik: 'CASPKZKA', name: 'АО «Kaspi Bank»' },
  { code: '601', bik: 'HSBKKZKX', name: 'АО «Народный Банк Казахстана»' },
  { code: '826', bik: 'KCJBKZKX', name: 'АО «Банк ЦентрКредит»' },
  { code: '965', bik: 'IRTYKZKA', name: 'АО «ForteBank»' },
  { code: '998', bik: 'TSESKZKA', name: 'АО «First Heartland Jusan Bank»' },
  { code: '948', bik: 'EURIKZKA', name: 'АО «Евразийский Банк»' },
] as const;

export function validIik(r: Rng, bankCode: string): string {
  return iikWithCheckDigits(`${bankCode}${digits(r, 13)}`);
}

const PREFIX = ['ТОО', 'ТОО', 'ТОО', 'АО', 'ТОО'];
const ROOTS = ['Алтын', 'Сарыарқа', 'Жетісу', 'Каспий', 'Тулпар', 'Береке', 'Нур', 'Асар', 'Алатау', 'Ертіс', 'Байтерек', 'Самал', 'Арай', 'Көкше', 'Ұлытау', 'Атамекен', 'Қазына', 'Кайнар', 'Мерей', 'Шапағат'];
const TAILS = ['Сауда', 'Строй', 'Транс', 'Логистик', 'Сервис', 'Трейд', 'Инжиниринг', 'Консалт', 'Агро', 'Энерго', 'Медиа', 'Технолоджи', 'Азия', 'Групп', 'Пром'];
const CITIES = ['г. Астана', 'г. Алматы', 'г. Шымкент', 'г. Караганда', 'г. Актобе', 'г. Павлодар', 'г. Усть-Каменогорск', 'г. Атырау', 'г. Костанай', 'г. Тараз'];
const STREETS = ['пр. Абая', 'ул. Кенесары', 'пр. Республики', 'ул. Сейфуллина', 'пр. Назарбаева', 'ул. Толе би', 'ул. Желтоксан', 'пр. Мангилик Ел', 'ул. Достык', 'ул. Байтурсынова'];
const SURNAMES = ['Ахметов', 'Нурланов', 'Сейткали', 'Жумабаев', 'Касымов', 'Бекмуханов', 'Омаров', 'Ибраев', 'Смагулов', 'Искаков', 'Петров', 'Ким'];
const NAMES = ['Ерлан', 'Асхат', 'Данияр', 'Марат', 'Бауыржан', 'Алексей', 'Тимур', 'Руслан', 'Айдар', 'Нурлан'];

export function companyName(r: Rng, i: number): string {
  return `${pick(r, PREFIX)} «${pick(r, ROOTS)} ${pick(r, TAILS)}${i % 7 === 0 ? ` ${int(r, 1, 99)}` : ''}»`;
}
export const address = (r: Rng): string => `${pick(r, CITIES)}, ${pick(r, STREETS)}, ${int(r, 1, 250)}`;
export const personName = (r: Rng): string => `${pick(r, SURNAMES)} ${pick(r, NAMES)}`;

export const SERVICES = [
  { name: 'Консультационные услуги по бухгалтерскому учёту', unit: 'час', price: [1_000_000, 2_500_000] },
  { name: 'Техническое обслуживание оборудования', unit: 'усл.', price: [5_000_000, 30_000_000] },
  { name: 'Транспортные услуги по перевозке грузов', unit: 'рейс', price: [8_000_000, 45_000_000] },
  { name: 'Услуги по уборке помещений', unit: 'м²', price: [30_000, 90_000] },
  { name: 'Разработка программного обеспечения', unit: 'час', price: [1_500_000, 4_000_000] },
  { name: 'Аренда спецтехники', unit: 'маш.-ч', price: [1_200_000, 3_500_000] },
  { name: 'Рекламные услуги', unit: 'усл.', price: [10_000_000, 80_000_000] },
  { name: 'Монтаж вентиляционных систем', unit: 'усл.', price: [20_000_000, 150_000_000] },
  { name: 'Охранные услуги', unit: 'мес.', price: [25_000_000, 60_000_000] },
  { name: 'Юридические услуги', unit: 'час', price: [2_000_000, 5_000_000] },
] as const;
