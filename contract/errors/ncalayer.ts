// Errors of signing through NCALayer, the bundled signer and its NCALayer-compatible server, and XML signatures.
import type { ErrorCatalog } from './types';

export const NCALAYER_ERRORS = {
  NCALAYER_UNAVAILABLE: {
    message: {
      ru: 'NCALayer не запущен: нет подключения к прослойке (127.0.0.1:13579).',
      kk: 'NCALayer іске қосылмаған: прослойкаға қосылу жоқ (127.0.0.1:13579).',
      en: 'NCALayer is not running: nothing answers on 127.0.0.1:13579.',
    },
    action: {
      ru: 'Запустите NCALayer (значок в трее) или установите его с pki.gov.kz. Либо подпишите файлом ключа .p12 через встроенный подписчик.',
      kk: 'NCALayer-ді іске қосыңыз (науадағы белгіше) немесе оны pki.gov.kz сайтынан орнатыңыз. Не кірістірілген қол қойғыш арқылы .p12 кілт файлымен қол қойыңыз.',
      en: 'Start NCALayer (tray icon) or install it from pki.gov.kz. Or sign with your .p12 key file through the built-in signer.',
    },
  },
  NCALAYER_TLS_UNTRUSTED: {
    message: {
      ru: 'Сертификат защищённого соединения NCALayer не доверенный.',
      kk: 'NCALayer қорғалған қосылымының сертификатына сенім жоқ.',
      en: 'The TLS certificate of NCALayer is not trusted.',
    },
    action: {
      ru: 'Переустановите NCALayer с pki.gov.kz (он установит корневые сертификаты НУЦ) или подтвердите отпечаток сертификата, если вы уверены, что это ваш NCALayer.',
      kk: 'NCALayer-ді pki.gov.kz сайтынан қайта орнатыңыз (ол ҰКО түбірлік сертификаттарын орнатады) немесе бұл сіздің NCALayer екеніне сенімді болсаңыз, сертификат іздерін растаңыз.',
      en: 'Reinstall NCALayer from pki.gov.kz (it installs the НУЦ root certificates), or confirm the certificate fingerprint if you are sure this is your NCALayer.',
    },
  },
  NCALAYER_TLS_PIN_CHANGED: {
    message: {
      ru: 'Сертификат NCALayer изменился с прошлого подключения.',
      kk: 'NCALayer сертификаты соңғы қосылудан бері өзгерді.',
      en: 'The NCALayer certificate has changed since the last connection.',
    },
    action: {
      ru: 'Если вы обновляли или переустанавливали NCALayer, подтвердите новый отпечаток в настройках. Иначе не подписывайте и обратитесь к администратору: на порту может работать чужая программа.',
      kk: 'NCALayer-ді жаңартсаңыз немесе қайта орнатсаңыз, баптауларда жаңа іздерді растаңыз. Әйтпесе қол қоймаңыз және әкімшіге хабарласыңыз: портта бөгде бағдарлама жұмыс істеуі мүмкін.',
      en: 'If you updated or reinstalled NCALayer, confirm the new fingerprint in the settings. Otherwise do not sign and contact your administrator: another program may be listening on the port.',
    },
  },
  NCALAYER_NOT_NCALAYER: {
    message: {
      ru: 'На порту NCALayer отвечает другая программа.',
      kk: 'NCALayer портында басқа бағдарлама жауап береді.',
      en: 'Another program is answering on the NCALayer port.',
    },
    action: {
      ru: 'Закройте программу, занявшую порт 13579, и перезапустите NCALayer. Либо подпишите файлом ключа .p12.',
      kk: '13579 портын алған бағдарламаны жабып, NCALayer-ді қайта іске қосыңыз. Не .p12 кілт файлымен қол қойыңыз.',
      en: 'Close the program that took port 13579 and restart NCALayer. Or sign with your .p12 key file.',
    },
  },
  NCALAYER_OUTDATED: {
    message: {
      ru: 'Установленная версия NCALayer устарела и не умеет нужный способ подписи.',
      kk: 'Орнатылған NCALayer нұсқасы ескірген және қажетті қол қою тәсілін қолдамайды.',
      en: 'The installed NCALayer is outdated and cannot sign this way.',
    },
    action: {
      ru: 'Установите последнюю версию NCALayer с pki.gov.kz или подпишите файлом ключа .p12.',
      kk: 'pki.gov.kz сайтынан NCALayer-дің соңғы нұсқасын орнатыңыз немесе .p12 кілт файлымен қол қойыңыз.',
      en: 'Install the latest NCALayer from pki.gov.kz, or sign with your .p12 key file.',
    },
  },
  NCALAYER_TIMEOUT: {
    message: {
      ru: 'NCALayer не ответил за отведённое время.',
      kk: 'NCALayer берілген уақыт ішінде жауап бермеді.',
      en: 'NCALayer did not answer in time.',
    },
    action: {
      ru: 'Проверьте, не открыто ли окно выбора ключа NCALayer за другими окнами, и повторите подписание.',
      kk: 'NCALayer кілт таңдау терезесі басқа терезелердің артында ашық қалмағанын тексеріп, қол қоюды қайталаңыз.',
      en: 'Check whether the NCALayer key dialog is hidden behind other windows, then sign again.',
    },
  },
  NCALAYER_CONNECTION_LOST: {
    message: {
      ru: 'Соединение с NCALayer прервалось во время подписания.',
      kk: 'Қол қою кезінде NCALayer-мен байланыс үзілді.',
      en: 'The connection to NCALayer was lost while signing.',
    },
    action: {
      ru: 'Перезапустите NCALayer и повторите подписание. Документы не подписаны.',
      kk: 'NCALayer-ді қайта іске қосып, қол қоюды қайталаңыз. Құжаттарға қол қойылмады.',
      en: 'Restart NCALayer and sign again. The documents were not signed.',
    },
  },
  NCALAYER_PROTOCOL_ERROR: {
    message: {
      ru: 'NCALayer прислал ответ, который невозможно разобрать.',
      kk: 'NCALayer талдауға болмайтын жауап жіберді.',
      en: 'NCALayer sent a reply that cannot be understood.',
    },
    action: {
      ru: 'Обновите NCALayer до последней версии и повторите. Если не помогло — подпишите файлом ключа .p12 и отправьте журнал в поддержку.',
      kk: 'NCALayer-ді соңғы нұсқаға дейін жаңартып, қайталаңыз. Көмектеспесе, .p12 кілт файлымен қол қойып, журналды қолдау қызметіне жіберіңіз.',
      en: 'Update NCALayer to the latest version and try again. If that does not help, sign with your .p12 key file and send the log to support.',
    },
  },
  NCALAYER_SIGN_FAILED: {
    message: {
      ru: 'NCALayer сообщил об ошибке подписания.',
      kk: 'NCALayer қол қою қатесі туралы хабарлады.',
      en: 'NCALayer reported a signing error.',
    },
    action: {
      ru: 'Проверьте, что ключ вставлен и не просрочен, и повторите. Код ошибки NCALayer указан в подробностях.',
      kk: 'Кілттің салынғанын және мерзімі өтпегенін тексеріп, қайталаңыз. NCALayer қате коды толығырақ бөлімінде көрсетілген.',
      en: 'Check that the key is plugged in and not expired, then try again. The NCALayer error code is in the details.',
    },
  },
  NCALAYER_BAD_SIGNATURE: {
    message: {
      ru: 'Полученная подпись не прошла проверку и не сохранена.',
      kk: 'Алынған қолтаңба тексеруден өтпеді және сақталмады.',
      en: 'The signature that came back failed verification and was not kept.',
    },
    action: {
      ru: 'Повторите подписание. Если ошибка повторяется, на вашем компьютере может работать подменённый NCALayer — обратитесь к администратору.',
      kk: 'Қол қоюды қайталаңыз. Қате қайталанса, компьютеріңізде жалған NCALayer жұмыс істеуі мүмкін — әкімшіге хабарласыңыз.',
      en: 'Sign again. If it happens again, a fake NCALayer may be running on your computer — contact your administrator.',
    },
  },
  SIGN_CANCELLED: {
    message: {
      ru: 'Подписание отменено.',
      kk: 'Қол қою тоқтатылды.',
      en: 'Signing was cancelled.',
    },
    action: {
      ru: 'Документы не подписаны. Начните подписание заново, когда будете готовы.',
      kk: 'Құжаттарға қол қойылмады. Дайын болғанда қол қоюды қайта бастаңыз.',
      en: 'The documents were not signed. Start signing again when you are ready.',
    },
  },
  SIGNER_CERTIFICATE_NOT_VALID: {
    message: {
      ru: 'Подпись сделана, но сертификат ключа сейчас недействителен (истёк, отозван или выдан не НУЦ РК).',
      kk: 'Қол қойылды, бірақ кілт сертификаты қазір жарамсыз (мерзімі өткен, кері қайтарылған немесе ҰКО бермеген).',
      en: 'The signature was made, but the key certificate is not valid now (expired, revoked, or not issued by НУЦ РК).',
    },
    action: {
      ru: 'Подпишите действующим ключом. Перевыпустить ключ можно на pki.gov.kz. Причина указана в подробностях.',
      kk: 'Жарамды кілтпен қол қойыңыз. Кілтті pki.gov.kz сайтында қайта шығаруға болады. Себебі толығырақ бөлімінде.',
      en: 'Sign with a valid key. You can reissue your key at pki.gov.kz. The reason is in the details.',
    },
  },
  SIGNER_NO_MATCHING_KEY: {
    message: {
      ru: 'Нет ключа ЭЦП, подходящего для этой подписи.',
      kk: 'Бұл қолтаңбаға сәйкес келетін ЭЦҚ кілті жоқ.',
      en: 'No signing key fits this signature.',
    },
    action: {
      ru: 'Выберите ключ для подписи (RSA256_… или GOST512_…) первого руководителя или лица с правом подписи вашей компании. Проверьте ИИН/БИН в сертификате.',
      kk: 'Компанияңыздың бірінші басшысының немесе қол қою құқығы бар тұлғаның қол қою кілтін (RSA256_… немесе GOST512_…) таңдаңыз. Сертификаттағы ЖСН/БСН тексеріңіз.',
      en: 'Choose the signing key (RSA256_… or GOST512_…) of your company’s first head or of a person with the right to sign. Check the IIN/BIN in the certificate.',
    },
  },
  SIGNER_KEY_NOT_ALLOWED: {
    message: {
      ru: 'Выбранный ключ не подходит для этой подписи.',
      kk: 'Таңдалған кілт бұл қолтаңбаға сәйкес келмейді.',
      en: 'The chosen key is not allowed for this signature.',
    },
    action: {
      ru: 'Повторите и выберите ключ для подписи (не для входа) с нужными ИИН/БИН и ролью.',
      kk: 'Қайталап, қажетті ЖСН/БСН және рөлі бар қол қою кілтін (кіру кілтін емес) таңдаңыз.',
      en: 'Try again and choose a signing key (not a login key) with the required IIN/BIN and role.',
    },
  },
  SIGNER_PASSWORD_ATTEMPTS_EXHAUSTED: {
    message: {
      ru: 'Пароль ключа введён неверно слишком много раз.',
      kk: 'Кілт құпиясөзі тым көп рет қате енгізілді.',
      en: 'The key password was entered wrongly too many times.',
    },
    action: {
      ru: 'Проверьте раскладку клавиатуры и Caps Lock. Забытый пароль восстановить нельзя — перевыпустите ключ в НУЦ РК (pki.gov.kz).',
      kk: 'Пернетақта тілін және Caps Lock тексеріңіз. Ұмытылған құпиясөзді қалпына келтіру мүмкін емес — кілтті ҰКО-да (pki.gov.kz) қайта шығарыңыз.',
      en: 'Check the keyboard layout and Caps Lock. A forgotten password cannot be recovered — reissue the key at НУЦ РК (pki.gov.kz).',
    },
  },
  SIGNER_KEY_FILE_UNREADABLE: {
    message: {
      ru: 'Файл ключа не удалось прочитать.',
      kk: 'Кілт файлын оқу мүмкін болмады.',
      en: 'The key file could not be read.',
    },
    action: {
      ru: 'Проверьте, что флешка с ключом вставлена и путь к файлу .p12 верен, и выберите файл заново.',
      kk: 'Кілті бар флешканың салынғанын және .p12 файлына жолдың дұрыстығын тексеріп, файлды қайта таңдаңыз.',
      en: 'Check that the USB stick with the key is plugged in and the .p12 path is right, then choose the file again.',
    },
  },
  EMULATOR_PORT_IN_USE: {
    message: {
      ru: 'Порт эмулятора NCALayer уже занят.',
      kk: 'NCALayer эмуляторының порты бос емес.',
      en: 'The NCALayer emulator port is already in use.',
    },
    action: {
      ru: 'Закройте NCALayer или другой эмулятор, либо запустите с другим портом (--port).',
      kk: 'NCALayer-ді немесе басқа эмуляторды жабыңыз, не басқа портпен іске қосыңыз (--port).',
      en: 'Close NCALayer or the other emulator, or start with another port (--port).',
    },
  },
  EMULATOR_NO_KEYS: {
    message: {
      ru: 'В папке ключей не найдено ни одного файла .p12.',
      kk: 'Кілттер қалтасынан бірде-бір .p12 файлы табылмады.',
      en: 'No .p12 file was found in the keys folder.',
    },
    action: {
      ru: 'Укажите папку с ключами: --keys ПАПКА (например, тестовые ключи НУЦ).',
      kk: 'Кілттер қалтасын көрсетіңіз: --keys ҚАЛТА (мысалы, ҰКО тестілік кілттері).',
      en: 'Point to a folder with keys: --keys DIR (for example the НУЦ test keys).',
    },
  },
  XML_UNSAFE: {
    message: {
      ru: 'XML-документ отклонён: он содержит DTD, сущности или превышает допустимый размер.',
      kk: 'XML құжаты қабылданбады: онда DTD, нысандар бар немесе рұқсат етілген өлшемнен асады.',
      en: 'The XML document was refused: it contains a DTD or entities, or is too large.',
    },
    action: {
      ru: 'Подписывайте только XML без <!DOCTYPE> и объявлений сущностей. Получите документ заново из надёжного источника.',
      kk: 'Тек <!DOCTYPE> және нысан жарияланымдары жоқ XML-ге қол қойыңыз. Құжатты сенімді көзден қайта алыңыз.',
      en: 'Only sign XML without <!DOCTYPE> and entity declarations. Get the document again from a trusted source.',
    },
  },
  XML_MALFORMED: {
    message: {
      ru: 'XML-документ повреждён и не может быть прочитан.',
      kk: 'XML құжаты бүлінген және оны оқу мүмкін емес.',
      en: 'The XML document is malformed and cannot be read.',
    },
    action: {
      ru: 'Получите документ заново. Место ошибки указано в подробностях.',
      kk: 'Құжатты қайта алыңыз. Қатенің орны толығырақ бөлімінде көрсетілген.',
      en: 'Get the document again. The position of the error is in the details.',
    },
  },
  XML_SIGNATURE_INVALID: {
    message: {
      ru: 'XML-подпись недействительна.',
      kk: 'XML қолтаңбасы жарамсыз.',
      en: 'The XML signature is not valid.',
    },
    action: {
      ru: 'Документ изменён после подписания или подписан не тем ключом. Причина указана в подробностях; запросите документ заново.',
      kk: 'Құжат қол қойылғаннан кейін өзгертілген немесе басқа кілтпен қол қойылған. Себебі толығырақ бөлімінде; құжатты қайта сұратыңыз.',
      en: 'The document was changed after signing or signed with another key. The reason is in the details; ask for the document again.',
    },
  },
} satisfies ErrorCatalog;
