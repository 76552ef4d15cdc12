// Language of the office: applied at once, kept in core's settings (so the desktop menu and errors follow).
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, currentLocale, type Locale } from '../i18n';
import { api } from '../state/store';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const change = (lng: Locale) => {
    setLanguage(lng);
    void api().invoke('settings.update', { language: lng }).catch(() => undefined);
  };
  return (
    <div className="seg" role="group" aria-label={t('settings.language')} data-testid="language-switch">
      {LANGUAGES.map((l) => (
        <button key={l} type="button" aria-pressed={currentLocale() === l} onClick={() => change(l)} lang={l} data-lang={l}>
          {t(`settings.languages.${l}`)}
        </button>
      ))}
    </div>
  );
}
