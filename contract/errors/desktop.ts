// Errors of the desktop shell (electron/main, electron/shell): core's process, the OS keychain.
import type { ErrorCatalog } from './types';

const t = (ru: string, kk: string, en: string) => ({ ru, kk, en });

export const DESKTOP_ERRORS = {
  CORE_RESTARTING: {
    message: t('Модуль данных приложения перезапускается; ничего не потеряно.', 'Қосымшаның деректер модулі қайта іске қосылуда; ештеңе жоғалған жоқ.', 'The app’s data engine is restarting; nothing is lost.'),
    action: t('Повторите действие через несколько секунд.', 'Әрекетті бірнеше секундтан кейін қайталаңыз.', 'Try again in a few seconds.'),
  },
  CORE_FAILED: {
    message: t('Модуль данных приложения несколько раз подряд завершился с ошибкой.', 'Қосымшаның деректер модулі бірнеше рет қатарынан қатемен тоқтады.', 'The app’s data engine stopped with an error several times in a row.'),
    action: t(
      'Перезапустите Kense Office: неотправленные изменения сохранены на диске. Если повторится, отправьте журнал в поддержку kense.',
      'Kense Office-ты қайта іске қосыңыз: жіберілмеген өзгерістер дискіде сақталған. Қайталанса, журналды kense қолдау қызметіне жіберіңіз.',
      'Restart Kense Office: unsent changes are kept on disk. If it happens again, send the log to kense support.',
    ),
  },
  KEYCHAIN_UNAVAILABLE: {
    message: t(
      'Системное хранилище ключей недоступно, поэтому ключ локальной базы нельзя защитить.',
      'Жүйенің кілттер қоймасы қолжетімсіз, сондықтан жергілікті дерекқор кілтін қорғау мүмкін емес.',
      'The system keychain is not available, so the local database key cannot be protected.',
    ),
    action: t(
      'Windows и macOS: войдите в свою учётную запись обычным способом. Linux: запустите службу ключей (GNOME Keyring или KWallet) и перезапустите приложение.',
      'Windows және macOS: есептік жазбаңызға әдеттегідей кіріңіз. Linux: кілттер қызметін (GNOME Keyring немесе KWallet) іске қосып, қосымшаны қайта іске қосыңыз.',
      'Windows and macOS: sign in to your user account the usual way. Linux: start a keyring service (GNOME Keyring or KWallet) and restart the app.',
    ),
  },
  KEYCHAIN_CHANGED: {
    message: t(
      'Системное хранилище ключей изменилось: ключ локальной базы больше не расшифровывается.',
      'Жүйенің кілттер қоймасы өзгерді: жергілікті дерекқор кілті енді шифрдан шығарылмайды.',
      'The system keychain has changed: the local database key can no longer be decrypted.',
    ),
    action: t(
      'Так бывает после сброса пароля учётной записи или переноса профиля. Войдите снова: данные загрузятся с сервера заново; неотправленные изменения без ключа прочитать нельзя.',
      'Бұл есептік жазба құпиясөзін қалпына келтіргеннен немесе профильді көшіргеннен кейін болады. Қайта кіріңіз: деректер серверден қайта жүктеледі; кілтсіз жіберілмеген өзгерістерді оқу мүмкін емес.',
      'This happens after an account password reset or a moved profile. Sign in again: the data is downloaded from the server again; unsent changes cannot be read without the key.',
    ),
  },
} satisfies ErrorCatalog;
