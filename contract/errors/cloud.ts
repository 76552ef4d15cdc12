// Errors of the kense cloud API (contract/cloud) and of the reference server (cloud/).
import type { ErrorCatalog } from './types';

const t = (ru: string, kk: string, en: string) => ({ ru, kk, en });

export const CLOUD_ERRORS = {
  AUTH_REQUIRED: {
    message: t('Требуется вход в kense.', 'kense жүйесіне кіру қажет.', 'Sign-in to kense is required.'),
    action: t('Войдите с ЭЦП или по ИИН и паролю.', 'ЭЦҚ арқылы немесе ЖСН мен құпиясөз арқылы кіріңіз.', 'Sign in with your digital signature or with your IIN and password.'),
  },
  TOKEN_EXPIRED: {
    message: t('Сеанс истёк.', 'Сеанс мерзімі өтті.', 'The session token has expired.'),
    action: t('Приложение обновит сеанс само; если не вышло — войдите снова.', 'Қосымша сеансты өзі жаңартады; болмаса, қайта кіріңіз.', 'The app renews it by itself; if that fails, sign in again.'),
  },
  SESSION_ENDED: {
    message: t('Сеанс на этом устройстве завершён.', 'Осы құрылғыдағы сеанс аяқталды.', 'The session on this device has been ended.'),
    action: t('Войдите снова.', 'Қайта кіріңіз.', 'Sign in again.'),
  },
  REFRESH_TOKEN_REUSED: {
    message: t('Обнаружено повторное использование старого ключа сеанса; сеанс закрыт ради безопасности.', 'Сеанстың ескі кілті қайта қолданылды; қауіпсіздік үшін сеанс жабылды.', 'An old session key was used again; the session was closed for safety.'),
    action: t('Войдите снова и проверьте список устройств в настройках безопасности.', 'Қайта кіріп, қауіпсіздік баптауларындағы құрылғылар тізімін тексеріңіз.', 'Sign in again and review your devices in the security settings.'),
  },
  REFRESH_TOKEN_INVALID: {
    message: t('Ключ обновления сеанса недействителен.', 'Сеансты жаңарту кілті жарамсыз.', 'The refresh token is not valid.'),
    action: t('Войдите снова.', 'Қайта кіріңіз.', 'Sign in again.'),
  },
  CHALLENGE_INVALID: {
    message: t('Запрос на вход устарел или уже использован.', 'Кіру сұрауы ескірген немесе қолданылған.', 'The sign-in challenge has expired or was already used.'),
    action: t('Начните вход заново.', 'Кіруді қайта бастаңыз.', 'Start signing in again.'),
  },
  CMS_INVALID: {
    message: t('Подпись не прошла проверку.', 'Қолтаңба тексеруден өтпеді.', 'The signature did not verify.'),
    action: t('Подпишите заново своим ключом НУЦ РК; не изменяйте подписанные данные.', 'ҰКО ҚР кілтіңізбен қайта қол қойыңыз; қол қойылған деректерді өзгертпеңіз.', 'Sign again with your NCA RK key; do not alter the signed data.'),
  },
  CERT_UNTRUSTED: {
    message: t('Сертификат выдан не доверенным удостоверяющим центром.', 'Сертификатты сенімді куәландырушы орталық бермеген.', 'The certificate was not issued by a trusted certification authority.'),
    action: t('Используйте действующий ключ НУЦ РК.', 'ҰКО ҚР-дың жарамды кілтін пайдаланыңыз.', 'Use a valid NCA RK key.'),
  },
  CERT_EXPIRED: {
    message: t('Срок действия сертификата истёк или ещё не начался.', 'Сертификаттың қолданылу мерзімі өткен немесе әлі басталмаған.', 'The certificate has expired or is not yet valid.'),
    action: t('Получите новый ключ ЭЦП в НУЦ РК (pki.gov.kz).', 'ҰКО ҚР-да (pki.gov.kz) жаңа ЭЦҚ кілтін алыңыз.', 'Get a new key from NCA RK (pki.gov.kz).'),
  },
  CERT_REVOKED: {
    message: t('Сертификат отозван.', 'Сертификат кері қайтарылған.', 'The certificate has been revoked.'),
    action: t('Получите новый ключ ЭЦП в НУЦ РК.', 'ҰКО ҚР-да жаңа ЭЦҚ кілтін алыңыз.', 'Get a new key from NCA RK.'),
  },
  CERT_REVOCATION_UNKNOWN: {
    message: t('Не удалось проверить, не отозван ли сертификат.', 'Сертификаттың кері қайтарылмағанын тексеру мүмкін болмады.', 'Could not check whether the certificate is revoked.'),
    action: t('Повторите позже; подпись будет отправлена, когда проверка станет возможной.', 'Кейінірек қайталаңыз; тексеру мүмкін болғанда қолтаңба жіберіледі.', 'Try later; the signature is sent once the check is possible.'),
  },
  CERT_COMPROMISED: {
    message: t('Сертификат заблокирован: сообщено о компрометации ключа.', 'Сертификат бұғатталған: кілттің әшкереленгені туралы хабарланған.', 'The certificate is blocked: its key was reported compromised.'),
    action: t('Используйте другой ключ или попросите первого руководителя восстановить сертификат.', 'Басқа кілтті пайдаланыңыз немесе бірінші басшыдан сертификатты қалпына келтіруді сұраңыз.', 'Use another key or ask the first manager to restore the certificate.'),
  },
  CERT_KEY_USAGE: {
    message: t('Этот ключ не предназначен для данного действия.', 'Бұл кілт осы әрекетке арналмаған.', 'This key may not be used for this action.'),
    action: t('Для входа и подписи используйте ключ подписи (GOST) НУЦ РК.', 'Кіру және қол қою үшін ҰКО ҚР қол қою кілтін (GOST) пайдаланыңыз.', 'Use your NCA RK signing (GOST) key to sign in and sign.'),
  },
  CERT_USER_UNKNOWN: {
    message: t('Владелец сертификата не зарегистрирован в kense.', 'Сертификат иесі kense жүйесінде тіркелмеген.', 'The certificate owner is not registered in kense.'),
    action: t('Попросите первого руководителя компании добавить вас как пользователя.', 'Компанияның бірінші басшысынан сізді пайдаланушы ретінде қосуды сұраңыз.', 'Ask your company’s first manager to add you as a user.'),
  },
  CERT_WRONG_SIGNER: {
    message: t('Подпись сделана не вашим ключом или не ключом этой компании.', 'Қолтаңба сіздің кілтіңізбен немесе осы компанияның кілтімен қойылмаған.', 'The signature was not made with your key or with a key of this company.'),
    action: t('Подпишите своим ключом юридического лица с БИН компании.', 'Компанияның БСН-і бар заңды тұлға кілтіңізбен қол қойыңыз.', 'Sign with your legal-entity key carrying the company’s BIN.'),
  },
  SIGN_RIGHT_MISSING: {
    message: t('У владельца ключа нет права подписи этого документа.', 'Кілт иесінің бұл құжатқа қол қою құқығы жоқ.', 'The key owner has no right to sign this document.'),
    action: t('Документ подписывает первый руководитель или сотрудник с правом подписи.', 'Құжатқа бірінші басшы немесе қол қою құқығы бар қызметкер қол қояды.', 'The first manager or an employee with the right to sign must sign it.'),
  },
  INVALID_CREDENTIALS: {
    message: t('Неверный ИИН или пароль.', 'ЖСН немесе құпиясөз қате.', 'Wrong IIN or password.'),
    action: t('Проверьте раскладку и Caps Lock. После 5 ошибок подряд учётная запись блокируется.', 'Пернетақта тілін және Caps Lock-ты тексеріңіз. Қатарынан 5 қатеден кейін есептік жазба бұғатталады.', 'Check the keyboard layout and Caps Lock. Five wrong passwords in a row lock the account.'),
  },
  ACCOUNT_LOCKED: {
    message: t('Учётная запись заблокирована после 5 неверных паролей подряд.', 'Қатарынан 5 қате құпиясөзден кейін есептік жазба бұғатталды.', 'The account is locked after five wrong passwords in a row.'),
    action: t('Попросите первого руководителя разблокировать её или повторите позже; можно войти с ЭЦП.', 'Бірінші басшыдан бұғаттан шығаруды сұраңыз немесе кейінірек қайталаңыз; ЭЦҚ арқылы кіруге болады.', 'Ask the first manager to unlock it or try later; you can also sign in with your digital signature.'),
  },
  PASSWORD_EXPIRED: {
    message: t('Срок действия пароля истёк.', 'Құпиясөздің мерзімі өтті.', 'The password has expired.'),
    action: t('Смените пароль — приложение предложит это сейчас. Вход с ЭЦП работает и без смены.', 'Құпиясөзді ауыстырыңыз — қосымша мұны қазір ұсынады. ЭЦҚ арқылы кіру ауыстырусыз да жұмыс істейді.', 'Change your password — the app asks for it now. Signing in with your digital signature works without the change.'),
  },
  TOTP_REQUIRED: {
    message: t('Нужен код из приложения-аутентификатора.', 'Аутентификатор қосымшасындағы код қажет.', 'A code from your authenticator app is required.'),
    action: t('Введите 6-значный код.', '6 таңбалы кодты енгізіңіз.', 'Enter the 6-digit code.'),
  },
  TOTP_INVALID: {
    message: t('Неверный код подтверждения.', 'Растау коды қате.', 'Wrong confirmation code.'),
    action: t('Проверьте время на телефоне и введите новый код.', 'Телефондағы уақытты тексеріп, жаңа кодты енгізіңіз.', 'Check the time on your phone and enter a fresh code.'),
  },
  PASSWORD_POLICY: {
    message: t('Пароль не соответствует требованиям.', 'Құпиясөз талаптарға сай емес.', 'The password does not meet the requirements.'),
    action: t('Не менее 8 символов: латинские строчные и заглавные буквы, цифры и символы. Не используйте пароль от egov.kz.', 'Кемінде 8 таңба: латынның кіші және бас әріптері, сандар және таңбалар. egov.kz құпиясөзін қолданбаңыз.', 'At least 8 characters with Latin lower- and upper-case letters, digits and symbols. Do not reuse your egov.kz password.'),
  },
  RATE_LIMITED: {
    message: t('Слишком много попыток.', 'Әрекеттер тым көп.', 'Too many attempts.'),
    action: t('Подождите минуту и повторите.', 'Бір минут күтіп, қайталаңыз.', 'Wait a minute and try again.'),
  },
  FORBIDDEN: {
    message: t('Ваша роль не позволяет это действие.', 'Сіздің рөліңіз бұл әрекетке рұқсат бермейді.', 'Your role does not allow this action.'),
    action: t('Обратитесь к первому руководителю компании.', 'Компанияның бірінші басшысына жүгініңіз.', 'Ask your company’s first manager.'),
  },
  NOT_FOUND: {
    message: t('Запись не найдена.', 'Жазба табылмады.', 'Not found.'),
    action: t('Обновите данные: запись могла быть удалена.', 'Деректерді жаңартыңыз: жазба жойылған болуы мүмкін.', 'Refresh: the record may have been deleted.'),
  },
  CONFLICT: {
    message: t('Документ изменился, пока вы работали с ним.', 'Сіз жұмыс істеп жатқанда құжат өзгерді.', 'The document changed while you were working on it.'),
    action: t('Посмотрите новое состояние документа и решите заново.', 'Құжаттың жаңа күйін қарап, қайта шешім қабылдаңыз.', 'Review the document’s new state and decide again.'),
  },
  DOCUMENT_STATE: {
    message: t('В текущем состоянии документа это действие невозможно.', 'Құжаттың қазіргі күйінде бұл әрекет мүмкін емес.', 'This action is not possible in the document’s current state.'),
    action: t('Обновите документ и проверьте его статус.', 'Құжатты жаңартып, мәртебесін тексеріңіз.', 'Refresh the document and check its status.'),
  },
  DEADLINE_PASSED: {
    message: t('Срок ответа по документу истёк: он считается принятым.', 'Құжат бойынша жауап беру мерзімі өтті: ол қабылданған болып саналады.', 'The deadline has passed: the document counts as accepted.'),
    action: t('Для спора свяжитесь с kense.', 'Дау үшін kense-пен байланысыңыз.', 'Contact kense to dispute it.'),
  },
  TARIFF_BLOCKED: {
    message: t('Подписка заблокирована из-за неоплаченного счёта: исходящие документы недоступны.', 'Төленбеген шотқа байланысты жазылым бұғатталды: шығыс құжаттар қолжетімсіз.', 'The subscription is blocked for an unpaid invoice: outgoing documents are unavailable.'),
    action: t('Оплатите счёт; входящие документы, архив и отчёты доступны и сейчас.', 'Шотты төлеңіз; кіріс құжаттар, мұрағат және есептер қазір де қолжетімді.', 'Pay the invoice; incoming documents, the archive and reports stay available.'),
  },
  TARIFF_CLOSED: {
    message: t('Этот тариф закрыт для подключения.', 'Бұл тарифке қосылу жабық.', 'This tariff is closed to new subscriptions.'),
    action: t('Выберите другой тариф.', 'Басқа тарифті таңдаңыз.', 'Choose another tariff.'),
  },
  CURSOR_RESET: {
    message: t('Сервер не узнаёт состояние синхронизации этого устройства (например, восстановлен из резервной копии).', 'Сервер осы құрылғының синхрондау күйін танымайды (мысалы, сақтық көшірмеден қалпына келтірілген).', 'The server does not recognise this device’s sync position (for example, it was restored from a backup).'),
    action: t('Приложение загрузит данные заново; неотправленные подписи сохранятся и будут отправлены.', 'Қосымша деректерді қайта жүктейді; жіберілмеген қолтаңбалар сақталып, жіберіледі.', 'The app downloads the data again; unsent signatures are kept and sent.'),
  },
  CURSOR_INVALID: {
    message: t('Неверная позиция синхронизации.', 'Синхрондау позициясы жарамсыз.', 'The sync cursor is not valid.'),
    action: t('Приложение начнёт синхронизацию заново.', 'Қосымша синхрондауды қайта бастайды.', 'The app restarts the sync.'),
  },
  MUTATION_ID_REUSED: {
    message: t('Идентификатор изменения уже использован для другого действия.', 'Өзгеріс идентификаторы басқа әрекет үшін қолданылған.', 'The mutation id was already used for a different action.'),
    action: t('Отправьте в поддержку журнал: это ошибка приложения.', 'Журналды қолдау қызметіне жіберіңіз: бұл қосымша қатесі.', 'Send the log to support: this is an application bug.'),
  },
  ACCOUNT_TERMINATED: {
    message: t('Доступ к kense для этой учётной записи прекращён.', 'Бұл есептік жазбаның kense-ке қолжетімділігі тоқтатылды.', 'Access to kense for this account has been terminated.'),
    action: t('Данные kense будут удалены с этого устройства. По вопросам обратитесь к первому руководителю.', 'kense деректері осы құрылғыдан жойылады. Сұрақтар бойынша бірінші басшыға жүгініңіз.', 'kense data will be removed from this device. Ask your first manager if in doubt.'),
  },
  APP_VERSION_UNSUPPORTED: {
    message: t('Эта версия Kense Office больше не поддерживается.', 'Kense Office-тің бұл нұсқасына енді қолдау көрсетілмейді.', 'This version of Kense Office is no longer supported.'),
    action: t('Установите обновление.', 'Жаңартуды орнатыңыз.', 'Install the update.'),
  },
  APP_DISABLED: {
    message: t('Работа приложения временно остановлена kense.', 'Қосымшаның жұмысын kense уақытша тоқтатты.', 'kense has temporarily stopped the app.'),
    action: t('Следите за новостями kense; данные на устройстве сохранены.', 'kense жаңалықтарын бақылаңыз; құрылғыдағы деректер сақталған.', 'Watch kense news; the data on this device is kept.'),
  },
  PORT_UNAVAILABLE: {
    message: t('Сервер kense не может занять этот адрес и порт: он занят другой программой или недоступен.', 'kense сервері бұл мекенжай мен портты ала алмайды: оны басқа бағдарлама алған немесе ол қолжетімсіз.', 'The kense server cannot take this address and port: another program uses it, or it is not available.'),
    action: t('Укажите другой порт (--port N, 0 — любой свободный) или остановите другую программу.', 'Басқа портты көрсетіңіз (--port N, 0 — кез келген бос порт) немесе басқа бағдарламаны тоқтатыңыз.', 'Choose another port (--port N; 0 = any free port) or stop the other program.'),
  },
  REQUEST_TOO_LARGE: {
    message: t('Запрос слишком большой.', 'Сұрау тым үлкен.', 'The request is too large.'),
    action: t('Отправьте данные частями (например, по 100 изменений или выгрузку за меньший период).', 'Деректерді бөліп жіберіңіз (мысалы, 100 өзгерістен немесе қысқарақ кезеңнің үзіндісін).', 'Send the data in parts (for example, 100 changes at a time, or an export for a shorter period).'),
  },
  IMPORT_INVALID: {
    message: t('Файл выгрузки учётных данных не прошёл проверку.', 'Есептік деректер файлы тексеруден өтпеді.', 'The accounting export did not pass validation.'),
    action: t('Исправьте отмеченные поля выгрузки из 1С и загрузите снова.', '1С-тен алынған файлдың белгіленген өрістерін түзетіп, қайта жүктеңіз.', 'Fix the marked fields of the 1C export and upload again.'),
  },
  IMPORT_TOO_LARGE: {
    message: t(
      'Выгрузка больше, чем данные среднего предприятия за год (до 20 МиБ: 50 000 строк продаж, по 20 000 строк дебиторской и кредиторской задолженности).',
      'Үзінді орта кәсіпорынның бір жылдық деректерінен үлкен (20 МиБ дейін: 50 000 сату жолы, дебиторлық және кредиторлық берешектің әрқайсысы 20 000 жолдан).',
      'The export is larger than a year of a medium company’s data (up to 20 MiB: 50,000 sales rows, 20,000 rows each of receivables and payables).',
    ),
    action: t('Выгрузите данные из 1С за более короткий период и загрузите их.', 'Деректерді 1С-тен қысқарақ кезеңге түсіріп, жүктеңіз.', 'Export the data from 1C for a shorter period and upload that.'),
  },
  DOCUMENT_NUMBER_TAKEN: {
    message: t('Документ с таким номером уже есть.', 'Мұндай нөмірлі құжат бар.', 'A document with this number already exists.'),
    action: t('Дайте документу другой номер (номера исходящих документов компании не повторяются).', 'Құжатқа басқа нөмір беріңіз (компанияның шығыс құжаттарының нөмірлері қайталанбайды).', 'Give the document another number (the company’s outgoing document numbers do not repeat).'),
  },
  IDEMPOTENCY_KEY_REUSED: {
    message: t('Этот ключ повтора уже использован для другого запроса.', 'Бұл қайталау кілті басқа сұрау үшін қолданылған.', 'This idempotency key was already used for a different request.'),
    action: t('Для нового документа создайте новый идентификатор; тот же ключ отправляйте только при повторе того же запроса.', 'Жаңа құжат үшін жаңа идентификатор жасаңыз; сол кілтті тек сол сұрауды қайталағанда жіберіңіз.', 'Make a new identifier for a new document; send the same key only when repeating the same request.'),
  },
  USER_TERMINATED: {
    message: t('Доступ этого пользователя прекращён.', 'Бұл пайдаланушының қолжетімділігі тоқтатылған.', 'This user’s access has been ended.'),
    action: t('Роль уволенного сотрудника не меняется; при возвращении добавьте его заново.', 'Жұмыстан шыққан қызметкердің рөлі өзгертілмейді; ол қайтса, оны қайта қосыңыз.', 'A departed user’s role cannot be changed; add them again if they return.'),
  },
  SUPPORT_TICKET_STATE: {
    message: t('В этом состоянии запроса такое действие невозможно.', 'Сұраудың осы күйінде бұл әрекет мүмкін емес.', 'This is not possible in the request’s current state.'),
    action: t('Пишите, пока запрос открыт; решённый или закрытый запрос сначала откройте снова; оценку ставьте после решения.', 'Сұрау ашық кезде жазыңыз; шешілген немесе жабылған сұрауды алдымен қайта ашыңыз; бағаны шешілгеннен кейін қойыңыз.', 'Write while it is open; reopen a resolved or closed request first; rate it once it is resolved.'),
  },
  // Errors of kense's own operators (recording a client's payment from the bank statement), not of clients.
  OPERATOR_AUTH_REQUIRED: {
    message: t('Нужен действующий ключ оператора kense.', 'kense операторының жарамды кілті қажет.', 'A valid kense operator token is required.'),
    action: t('Передайте ключ, заданный серверу при запуске (--operator-token-env), в заголовке Authorization: Bearer.', 'Серверге іске қосу кезінде берілген кілтті (--operator-token-env) Authorization: Bearer тақырыбында жіберіңіз.', 'Send the token the server was started with (--operator-token-env) as Authorization: Bearer.'),
  },
  PAYMENT_EXCEEDS_DUE: {
    message: t('Сумма платежа больше остатка к оплате по счёту.', 'Төлем сомасы шот бойынша төленетін қалдықтан көп.', 'The payment is more than what is still due on the invoice.'),
    action: t('Проведите не больше остатка (remaining, в тиынах); излишек верните плательщику или зачтите отдельно.', 'Қалдықтан аспайтын соманы өткізіңіз (remaining, тиынмен); артығын төлеушіге қайтарыңыз немесе бөлек есепке алыңыз.', 'Record at most what is due (remaining, in tiyn); refund the excess to the payer or credit it separately.'),
  },
  PAYMENT_REFERENCE_REUSED: {
    message: t('Платёж с этим номером уже проведён по другому счёту или на другую сумму.', 'Осы нөмірмен төлем басқа шот бойынша немесе басқа сомаға өткізілген.', 'A payment with this reference is already recorded for another invoice or amount.'),
    action: t('Проверьте номер платёжного документа в выписке банка; у каждого платежа клиента свой номер.', 'Банк үзіндісіндегі төлем құжатының нөмірін тексеріңіз; клиенттің әр төлемінің өз нөмірі бар.', 'Check the payment document number on the bank statement; each payment of a client has its own number.'),
  },
  STORAGE_IN_USE: {
    message: t('Папку данных сейчас использует другой процесс kense cloud (PGlite работает только в одном процессе).', 'Деректер қалтасын қазір басқа kense cloud процесі пайдаланып отыр (PGlite тек бір процесте жұмыс істейді).', 'Another kense cloud process is using this data folder (PGlite works in one process only).'),
    action: t('Остановите процесс, указанный в holderPid/holderCommand (Ctrl+C в его окне), или укажите другую папку --data. Платёж можно провести и при работающем сервере — через его операторский маршрут POST /v1/operator/payments.', 'holderPid/holderCommand-та көрсетілген процесті тоқтатыңыз (оның терезесінде Ctrl+C) немесе басқа --data қалтасын көрсетіңіз. Төлемді сервер жұмыс істеп тұрғанда да оның оператор маршруты POST /v1/operator/payments арқылы өткізуге болады.', 'Stop the process named in holderPid/holderCommand (Ctrl+C in its window), or give another --data folder. A payment can also be recorded while the server runs, through its operator route POST /v1/operator/payments.'),
  },
} satisfies ErrorCatalog;

/** HTTP status of each cloud error (everything else: 400 for INVALID_INPUT, 500 for INTERNAL). */
export const CLOUD_ERROR_STATUS: Record<keyof typeof CLOUD_ERRORS, number> = {
  AUTH_REQUIRED: 401, TOKEN_EXPIRED: 401, SESSION_ENDED: 401, REFRESH_TOKEN_REUSED: 401, REFRESH_TOKEN_INVALID: 401,
  CHALLENGE_INVALID: 401, CMS_INVALID: 422, CERT_UNTRUSTED: 422, CERT_EXPIRED: 422, CERT_REVOKED: 422,
  CERT_REVOCATION_UNKNOWN: 503, CERT_COMPROMISED: 403, CERT_KEY_USAGE: 422, CERT_USER_UNKNOWN: 403, CERT_WRONG_SIGNER: 403,
  SIGN_RIGHT_MISSING: 403, INVALID_CREDENTIALS: 401, ACCOUNT_LOCKED: 423, TOTP_REQUIRED: 401, TOTP_INVALID: 401,
  PASSWORD_POLICY: 422, RATE_LIMITED: 429, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, DOCUMENT_STATE: 409,
  DEADLINE_PASSED: 409, TARIFF_BLOCKED: 402, TARIFF_CLOSED: 409, CURSOR_RESET: 409, CURSOR_INVALID: 400,
  MUTATION_ID_REUSED: 409, ACCOUNT_TERMINATED: 410, APP_VERSION_UNSUPPORTED: 426, APP_DISABLED: 503, IMPORT_INVALID: 422, REQUEST_TOO_LARGE: 413, PASSWORD_EXPIRED: 403, PORT_UNAVAILABLE: 503,
  OPERATOR_AUTH_REQUIRED: 401, PAYMENT_EXCEEDS_DUE: 409, PAYMENT_REFERENCE_REUSED: 409, STORAGE_IN_USE: 409,
  IMPORT_TOO_LARGE: 413, DOCUMENT_NUMBER_TAKEN: 409, IDEMPOTENCY_KEY_REUSED: 409, USER_TERMINATED: 409, SUPPORT_TICKET_STATE: 409,
};
