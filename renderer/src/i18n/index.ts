// i18next for the office: Russian by default, Kazakh and English complete. Errors that cross IPC are re-worded
// from their code (contract/errors) in the current language, so switching language re-words them too.
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ERRORS, isErrorCode, type Locale } from '../../../contract/errors';
import { ru } from './ru';
import { kk } from './kk';
import { en } from './en';

export const RESOURCES = { ru, kk, en } as const;
export const LANGUAGES: readonly Locale[] = ['ru', 'kk', 'en'];
export type { Locale };

export function createI18n(lng: Locale = 'ru'): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    resources: { ru: { translation: ru }, kk: { translation: kk }, en: { translation: en } },
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return instance;
}

export const i18n = createI18n('ru');

export function setLanguage(lng: Locale): void {
  void i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
}

export function currentLocale(): Locale {
  const l = i18n.language;
  return l === 'kk' || l === 'en' ? l : 'ru';
}

/** What happened and what to do, in the current language; unknown codes fall back to the text that came with them. */
export function errorTexts(e: { code: string; message?: string; action?: string }): { message: string; action: string } {
  const lng = currentLocale();
  if (isErrorCode(e.code)) return { message: ERRORS[e.code].message[lng], action: ERRORS[e.code].action[lng] };
  return { message: e.message ?? ERRORS.INTERNAL.message[lng], action: e.action ?? ERRORS.INTERNAL.action[lng] };
}
