// What the desktop shell itself says (menu, tray, dialogs, desktop notifications) in the UI language.
import type { Locale } from '../../contract/errors';

const t = (ru: string, kk: string, en: string) => ({ ru, kk, en });

export const SHELL_TEXTS = {
  appName: t('Kense Office', 'Kense Office', 'Kense Office'),
  // menu
  menuFile: t('Файл', 'Файл', 'File'),
  menuEdit: t('Правка', 'Өңдеу', 'Edit'),
  menuView: t('Вид', 'Көрініс', 'View'),
  menuWindow: t('Окно', 'Терезе', 'Window'),
  menuHelp: t('Справка', 'Анықтама', 'Help'),
  about: t('О программе Kense Office', 'Kense Office туралы', 'About Kense Office'),
  checkUpdates: t('Проверить обновления…', 'Жаңартуларды тексеру…', 'Check for Updates…'),
  restartToUpdate: t('Перезапустить и обновить', 'Қайта іске қосып, жаңарту', 'Restart to Update'),
  syncNow: t('Синхронизировать сейчас', 'Қазір синхрондау', 'Sync Now'),
  openLogs: t('Открыть папку журналов', 'Журналдар қалтасын ашу', 'Open Log Folder'),
  help: t('Справка kense', 'kense анықтамасы', 'kense Help'),
  services: t('Службы', 'Қызметтер', 'Services'),
  hide: t('Скрыть Kense Office', 'Kense Office-ты жасыру', 'Hide Kense Office'),
  hideOthers: t('Скрыть остальные', 'Басқаларын жасыру', 'Hide Others'),
  showAll: t('Показать все', 'Барлығын көрсету', 'Show All'),
  quit: t('Выйти из Kense Office', 'Kense Office-тан шығу', 'Quit Kense Office'),
  close: t('Закрыть окно', 'Терезені жабу', 'Close Window'),
  undo: t('Отменить', 'Болдырмау', 'Undo'),
  redo: t('Повторить', 'Қайталау', 'Redo'),
  cut: t('Вырезать', 'Қиып алу', 'Cut'),
  copy: t('Копировать', 'Көшіру', 'Copy'),
  paste: t('Вставить', 'Қою', 'Paste'),
  selectAll: t('Выделить всё', 'Барлығын белгілеу', 'Select All'),
  resetZoom: t('Обычный масштаб', 'Қалыпты масштаб', 'Actual Size'),
  zoomIn: t('Увеличить', 'Үлкейту', 'Zoom In'),
  zoomOut: t('Уменьшить', 'Кішірейту', 'Zoom Out'),
  fullScreen: t('Во весь экран', 'Толық экран', 'Toggle Full Screen'),
  minimize: t('Свернуть', 'Жиыру', 'Minimize'),
  zoom: t('Изменить масштаб окна', 'Терезе өлшемін өзгерту', 'Zoom'),
  front: t('Все окна на передний план', 'Барлық терезелерді алдыңғы жоспарға', 'Bring All to Front'),
  // tray
  showWindow: t('Открыть Kense Office', 'Kense Office-ты ашу', 'Open Kense Office'),
  allSynced: t('Все изменения отправлены', 'Барлық өзгерістер жіберілді', 'All changes sent'),
  offline: t('Нет связи с kense', 'kense-пен байланыс жоқ', 'Offline'),
  // update dialogs
  updateReadyTitle: t('Обновление загружено', 'Жаңарту жүктелді', 'Update downloaded'),
  updateReady: t(
    'Версия {version} загружена и проверена. Перезапустить Kense Office сейчас? Неотправленные изменения сохранятся.',
    '{version} нұсқасы жүктеліп, тексерілді. Kense Office-ты қазір қайта іске қосу керек пе? Жіберілмеген өзгерістер сақталады.',
    'Version {version} is downloaded and verified. Restart Kense Office now? Unsent changes are kept.',
  ),
  updateRequired: t(
    'Версия {version} загружена. Эта версия больше не поддерживается сервером kense — перезапустите приложение, чтобы продолжить синхронизацию.',
    '{version} нұсқасы жүктелді. Бұл нұсқаға kense сервері енді қолдау көрсетпейді — синхрондауды жалғастыру үшін қосымшаны қайта іске қосыңыз.',
    'Version {version} is downloaded. This version is no longer supported by the kense server — restart the app to keep syncing.',
  ),
  restartNow: t('Перезапустить', 'Қайта іске қосу', 'Restart'),
  later: t('Позже', 'Кейінірек', 'Later'),
  updateWaiting: t(
    'Обновление установится, как только завершится подписание или отправка изменений.',
    'Жаңарту қол қою немесе өзгерістерді жіберу аяқталған бойда орнатылады.',
    'The update installs as soon as signing or sending changes finishes.',
  ),
  upToDate: t('У вас последняя версия Kense Office.', 'Сізде Kense Office-тың соңғы нұсқасы.', 'You have the latest version of Kense Office.'),
  updateHalted: t('Обновления приостановлены kense.', 'Жаңартуларды kense уақытша тоқтатты.', 'kense has paused updates.'),
  updateFailed: t(
    'Не удалось проверить или загрузить обновление. Приложение попробует снова позже.',
    'Жаңартуды тексеру немесе жүктеу мүмкін болмады. Қосымша кейінірек қайта тырысады.',
    'Could not check for or download the update. The app will try again later.',
  ),
  // quit
  quitWaiting: t('Отправка изменений завершается…', 'Өзгерістерді жіберу аяқталуда…', 'Finishing sending changes…'),
  // local notices
  deadlineTitle: t('Документы ждут вашей подписи', 'Құжаттар сіздің қолыңызды күтуде', 'Documents await your signature'),
  deadlineBody: t('Ближайший срок ответа: {date}.', 'Жауап берудің ең жақын мерзімі: {date}.', 'The nearest answer deadline: {date}.'),
  tariffBlockedTitle: t('Тариф заблокирован', 'Тариф бұғатталды', 'Tariff blocked'),
  tariffBlockedBody: t(
    'Исходящие документы недоступны до оплаты. Подписание входящих и просмотр работают.',
    'Төлем жасалғанға дейін шығыс құжаттар қолжетімсіз. Кіріс құжаттарға қол қою және қарау жұмыс істейді.',
    'Outgoing documents are off until payment. Signing incoming documents and viewing still work.',
  ),
  certExpiringTitle: t('Сертификат ЭЦП скоро истекает', 'ЭЦҚ сертификатының мерзімі жақында бітеді', 'Signature certificate expires soon'),
  certExpiringBody: t('{name}: осталось дней — {days}. Перевыпустите ключ на pki.gov.kz.', '{name}: {days} күн қалды. Кілтті pki.gov.kz сайтында қайта шығарыңыз.', '{name}: {days} days left. Renew the key on pki.gov.kz.'),
  coreRestarted: t('Модуль данных перезапущен; данные сохранены.', 'Деректер модулі қайта іске қосылды; деректер сақталған.', 'The data engine restarted; your data is kept.'),
} as const;

export type ShellTextKey = keyof typeof SHELL_TEXTS;

export function text(key: ShellTextKey, locale: Locale, vars: Record<string, string | number> = {}): string {
  return SHELL_TEXTS[key][locale].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

const PENDING: Record<Locale, Partial<Record<Intl.LDMLPluralRule, string>>> = {
  ru: { one: '{n} изменение ждёт отправки', few: '{n} изменения ждут отправки', many: '{n} изменений ждут отправки', other: '{n} изменения ждут отправки' },
  // Kazakh keeps the noun singular after a numeral.
  kk: { other: '{n} өзгеріс жіберуді күтуде' },
  en: { one: '{n} change waiting to be sent', other: '{n} changes waiting to be sent' },
};

/** "3 изменения ждут отправки" — the tray's pending line, with each language's plural rules. */
export function pendingText(n: number, locale: Locale): string {
  const forms = PENDING[locale];
  const form = forms[new Intl.PluralRules(locale).select(n)] ?? forms.other!;
  return form.replace('{n}', String(n));
}

/** dd.MM.yyyy from yyyy-mm-dd (how dates read in Kazakhstan, in every language of the app). */
export function displayDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}
