// Words the CLI commands share: role names as a director knows them, in ru/kk/en.
import type { Locale } from '../../contract/errors';
import type { KzRole } from '../../native-bridge/pki';

export const ROLE_NAMES: Record<Locale, Record<KzRole, string>> = {
  ru: { first_head: 'первый руководитель', sign_right: 'право подписи', financial: 'подпись финансовых документов', hr: 'кадровые документы', employee: 'сотрудник', information_system: 'информационная система' },
  kk: { first_head: 'бірінші басшы', sign_right: 'қол қою құқығы', financial: 'қаржылық құжаттарға қол қою', hr: 'кадр құжаттары', employee: 'қызметкер', information_system: 'ақпараттық жүйе' },
  en: { first_head: 'first head', sign_right: 'right to sign', financial: 'financial documents', hr: 'HR documents', employee: 'employee', information_system: 'information system' },
};

/** 2026-11-25 12:00:00 UTC */
export const utc = (d: Date): string => `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** "35 s", "12 min", "5 h", "3 days" */
export function ageOf(ms: number, locale: Locale): string {
  const units: Record<Locale, [string, string, string, string]> = { ru: ['с', 'мин', 'ч', 'дн.'], kk: ['с', 'мин', 'сағ', 'күн'], en: ['s', 'min', 'h', 'days'] };
  const [s, m, h, d] = units[locale];
  if (ms < 120_000) return `${Math.max(0, Math.round(ms / 1000))} ${s}`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} ${m}`;
  if (ms < 72 * 3_600_000) return `${Math.round(ms / 3_600_000)} ${h}`;
  return `${Math.round(ms / 86_400_000)} ${d}`;
}
