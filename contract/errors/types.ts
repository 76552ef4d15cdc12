// The shape every user-facing error takes: a code from one list, a sentence and an action in ru/kk/en.
export type Locale = 'ru' | 'kk' | 'en';
export const LOCALES: readonly Locale[] = ['ru', 'kk', 'en'];

export interface LocalizedText {
  ru: string;
  kk: string;
  en: string;
}

/** What happened (message) and what the user should do now (action). */
export interface ErrorSpec {
  message: LocalizedText;
  action: LocalizedText;
}

export type ErrorCatalog = Record<string, ErrorSpec>;
