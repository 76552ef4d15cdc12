// Errors and notices of the desktop core (electron/core): the encrypted store, profiles, sync, offline signing, IPC.
import type { ErrorCatalog } from './types';

const t = (ru: string, kk: string, en: string) => ({ ru, kk, en });

export const CORE_ERRORS = {
  STORE_WRONG_KEY: {
    message: t('Локальная база не открывается этим ключом.', 'Жергілікті дерекқор бұл кілтпен ашылмайды.', 'The local database does not open with this key.'),
    action: t(
      'Данные на сервере не пострадали: войдите снова — приложение отложит старую базу, выгрузит неотправленные изменения, если сможет, и скачает всё заново.',
      'Сервердегі деректер зақымдалмаған: қайта кіріңіз — қосымша ескі дерекқорды бөлек сақтап, мүмкін болса жіберілмеген өзгерістерді шығарып, бәрін қайта жүктейді.',
      'Nothing is lost on the server: sign in again — the app sets the old database aside, exports unsent changes if it can, and downloads everything again.',
    ),
  },
  STORE_KEY_LOST: {
    message: t('Ключ шифрования локальной базы не найден.', 'Жергілікті дерекқорды шифрлау кілті табылмады.', 'The encryption key of the local database is missing.'),
    action: t(
      'Войдите снова: кэш будет восстановлен с сервера. Неотправленные изменения без ключа прочитать нельзя.',
      'Қайта кіріңіз: кэш серверден қалпына келтіріледі. Кілтсіз жіберілмеген өзгерістерді оқу мүмкін емес.',
      'Sign in again: the cache is rebuilt from the server. Unsent changes cannot be read without the key.',
    ),
  },
  STORE_CORRUPTED: {
    message: t('Локальная база повреждена.', 'Жергілікті дерекқор зақымдалған.', 'The local database is damaged.'),
    action: t(
      'Повреждённый файл отложен в сторону; неотправленные изменения выгружены в файл, если это было возможно. Войдите снова, чтобы восстановить данные с сервера.',
      'Зақымдалған файл бөлек қойылды; мүмкін болса жіберілмеген өзгерістер файлға шығарылды. Деректерді серверден қалпына келтіру үшін қайта кіріңіз.',
      'The damaged file was set aside; unsent changes were exported to a file where possible. Sign in again to restore the data from the server.',
    ),
  },
  STORE_TOO_NEW: {
    message: t('Локальная база создана более новой версией приложения.', 'Жергілікті дерекқорды қосымшаның жаңарақ нұсқасы жасаған.', 'The local database was created by a newer version of the app.'),
    action: t('Обновите Kense Office до последней версии.', 'Kense Office-ты соңғы нұсқаға дейін жаңартыңыз.', 'Update Kense Office to the latest version.'),
  },
  PROFILE_IN_USE: {
    message: t('Этот профиль уже открыт другим процессом Kense.', 'Бұл профильді Kense-тің басқа процесі ашқан.', 'This profile is already open in another Kense process.'),
    action: t('Закройте другое окно Kense Office или команду kense и повторите.', 'Kense Office-тің басқа терезесін немесе kense командасын жауып, қайталаңыз.', 'Close the other Kense Office window or kense command and try again.'),
  },
  PROFILE_NOT_FOUND: {
    message: t('Профиль не найден на этом компьютере.', 'Бұл компьютерде профиль табылмады.', 'No such profile on this computer.'),
    action: t('Войдите в kense, чтобы создать профиль.', 'Профиль жасау үшін kense жүйесіне кіріңіз.', 'Sign in to kense to create the profile.'),
  },
  KEY_VAULT_UNAVAILABLE: {
    message: t('Хранилище ключей недоступно.', 'Кілттер қоймасы қолжетімсіз.', 'The key store is not available.'),
    action: t(
      'Проверьте права на папку профиля (только ваш пользователь) и связку ключей системы; затем повторите.',
      'Профиль қалтасына құқықтарды (тек сіздің пайдаланушыңыз) және жүйенің кілттер байламын тексеріп, қайталаңыз.',
      'Check the permissions of the profile folder (your user only) and the system keychain, then try again.',
    ),
  },
  NOT_SIGNED_IN: {
    message: t('Вы не вошли в kense на этом устройстве.', 'Бұл құрылғыда kense жүйесіне кірмегенсіз.', 'You are not signed in to kense on this device.'),
    action: t('Войдите с ЭЦП или по ИИН и паролю.', 'ЭЦҚ арқылы немесе ЖСН мен құпиясөз арқылы кіріңіз.', 'Sign in with your digital signature or with your IIN and password.'),
  },
  SIGN_IN_AGAIN: {
    message: t('Сеанс завершён на сервере. Неотправленные изменения сохранены на этом устройстве.', 'Сеанс серверде аяқталды. Жіберілмеген өзгерістер осы құрылғыда сақталды.', 'The session was ended on the server. Unsent changes are kept on this device.'),
    action: t('Войдите снова тем же пользователем — изменения будут отправлены.', 'Сол пайдаланушымен қайта кіріңіз — өзгерістер жіберіледі.', 'Sign in again as the same user and the changes will be sent.'),
  },
  PROFILE_OTHER_USER: {
    message: t('Вход выполнен другим пользователем или в другую компанию, чем у открытого профиля.', 'Ашық профильдегіден басқа пайдаланушы немесе басқа компания атынан кірдіңіз.', 'You signed in as another user or company than the open profile.'),
    action: t('Войдите тем пользователем, чьи изменения ждут отправки, или откройте его профиль.', 'Өзгерістері жіберуді күтіп тұрған пайдаланушымен кіріңіз немесе оның профилін ашыңыз.', 'Sign in as the user whose changes are waiting, or open their profile.'),
  },
  CLOCK_SKEW: {
    message: t('Часы компьютера расходятся со временем сервера kense.', 'Компьютер сағаты kense сервері уақытынан өзгеше.', 'This computer’s clock differs from the kense server’s time.'),
    action: t(
      'Включите автоматическую установку времени и часового пояса (Алматы/Астана, UTC+5): от времени зависят сроки и проверка подписей.',
      'Уақыт пен сағат белдеуін автоматты орнатуды қосыңыз (Алматы/Астана, UTC+5): мерзімдер мен қолтаңбаны тексеру уақытқа байланысты.',
      'Turn on automatic date, time and time zone (Almaty/Astana, UTC+5): deadlines and signature checks depend on it.',
    ),
  },
  OUTBOX_NOT_EMPTY: {
    message: t('Есть изменения, ещё не отправленные в kense.', 'kense жүйесіне әлі жіберілмеген өзгерістер бар.', 'Some changes have not been sent to kense yet.'),
    action: t(
      'Дождитесь синхронизации или выгрузите очередь в файл; удалить данные можно, явно подтвердив потерю этих изменений.',
      'Синхрондауды күтіңіз немесе кезекті файлға шығарыңыз; бұл өзгерістердің жоғалуын нақты растап қана деректерді жоюға болады.',
      'Wait for the sync or export the queue to a file; you can delete the data only by confirming that these changes will be lost.',
    ),
  },
  SYNC_STUCK: {
    message: t('Изменения давно не удаётся отправить.', 'Өзгерістерді ұзақ уақыт жіберу мүмкін болмай тұр.', 'Changes have not been sent for a long time.'),
    action: t(
      'Проверьте интернет и прокси; изменения сохранены. Если не проходит, выгрузите очередь и напишите в поддержку kense.',
      'Интернет пен проксиді тексеріңіз; өзгерістер сақталған. Болмаса, кезекті шығарып, kense қолдау қызметіне жазыңыз.',
      'Check the internet connection and proxy; the changes are kept. If it persists, export the queue and contact kense support.',
    ),
  },
  PLATFORM_UNSUPPORTED: {
    message: t('Это действие недоступно в этом режиме приложения.', 'Бұл әрекет қосымшаның осы режимінде қолжетімсіз.', 'This action is not available in this mode of the app.'),
    action: t('Выполните его в настольном приложении Kense Office.', 'Оны Kense Office жұмыс үстелі қосымшасында орындаңыз.', 'Do it in the Kense Office desktop app.'),
  },
  IPC_UNKNOWN_OPERATION: {
    message: t('Приложение запросило неизвестное действие.', 'Қосымша белгісіз әрекетті сұрады.', 'The app asked for an unknown action.'),
    action: t('Перезапустите приложение; если повторяется, обновите его.', 'Қосымшаны қайта іске қосыңыз; қайталанса, жаңартыңыз.', 'Restart the app; if it happens again, update it.'),
  },
  CANONICAL_BYTES_CORRUPT: {
    message: t('Сохранённый текст документа не совпадает с его контрольной суммой — подписывать его нельзя.', 'Құжаттың сақталған мәтіні бақылау сомасына сәйкес келмейді — оған қол қоюға болмайды.', 'The stored document bytes do not match their checksum; it cannot be signed.'),
    action: t('Синхронизируйте данные заново (Настройки → Кэш → Загрузить заново).', 'Деректерді қайта синхрондаңыз (Баптаулар → Кэш → Қайта жүктеу).', 'Re-sync the data (Settings → Cache → Download again).'),
  },
  SIGNATURE_NOT_ACCEPTED: {
    message: t('Подпись, полученная от подписывающей программы, не прошла проверку и не сохранена.', 'Қол қою бағдарламасынан алынған қолтаңба тексеруден өтпеді және сақталмады.', 'The signature returned by the signer did not pass the checks and was not kept.'),
    action: t('Подпишите ещё раз своим действующим ключом; в подробностях — причина.', 'Жарамды кілтіңізбен қайта қол қойыңыз; себебі толығырақ бөлімде.', 'Sign again with your valid key; the details say why.'),
  },
  CERT_EXPIRING_SOON: {
    message: t('Срок действия сертификата ЭЦП скоро закончится.', 'ЭЦҚ сертификатының мерзімі жақында аяқталады.', 'Your signature certificate expires soon.'),
    action: t('Перевыпустите ключ на pki.gov.kz заранее, чтобы не прерывать подписание.', 'Қол қоюды тоқтатпау үшін кілтті pki.gov.kz сайтында алдын ала қайта шығарыңыз.', 'Renew the key on pki.gov.kz in advance so signing is not interrupted.'),
  },
  REVOCATION_DATA_STALE: {
    message: t('Проверка отзыва выполнена по сохранённому списку отзыва, срок обновления которого прошёл.', 'Кері қайтару сақталған тізім бойынша тексерілді, оның жаңарту мерзімі өткен.', 'Revocation was checked against a saved revocation list that is past its next-update time.'),
    action: t('Подключитесь к интернету: сервер kense проверит подпись ещё раз при отправке.', 'Интернетке қосылыңыз: жіберу кезінде kense сервері қолтаңбаны қайта тексереді.', 'Go online: the kense server checks the signature again when it is sent.'),
  },
  PROFILE_WIPED: {
    message: t('Доступ к компании прекращён; данные компании удалены с этого устройства.', 'Компанияға қолжетімділік тоқтатылды; компания деректері осы құрылғыдан жойылды.', 'Access to the company has ended; its data was removed from this device.'),
    action: t('Если это ошибка, обратитесь к первому руководителю компании.', 'Егер бұл қате болса, компанияның бірінші басшысына хабарласыңыз.', 'If this is a mistake, contact your company’s first manager.'),
  },
  NOT_CACHED: {
    message: t('Этих данных нет на устройстве, а сервер недоступен.', 'Бұл деректер құрылғыда жоқ, ал сервер қолжетімсіз.', 'This data is not on the device and the server cannot be reached.'),
    action: t('Повторите, когда появится связь.', 'Байланыс пайда болғанда қайталаңыз.', 'Try again when the connection is back.'),
  },
} satisfies ErrorCatalog;
