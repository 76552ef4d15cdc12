import type { ErrorCatalog } from './types';

export const PKI_ERRORS = {
  // ---- CMS signing and co-signing (native-bridge/pki/cms.ts) ----
  CMS_MALFORMED: {
    message: {
      ru: 'Файл подписи повреждён или не является подписью CMS.',
      kk: 'Қолтаңба файлы бүлінген немесе CMS қолтаңбасы емес.',
      en: 'The signature file is damaged or is not a CMS signature.',
    },
    action: {
      ru: 'Запросите у отправителя подпись заново (файл .cms или .p7s).',
      kk: 'Жіберушіден қолтаңбаны қайта сұраңыз (.cms немесе .p7s файлы).',
      en: 'Ask the sender for the signature again (a .cms or .p7s file).',
    },
  },
  CMS_DATA_REQUIRED: {
    message: {
      ru: 'Подпись отделена от документа, а сам документ не передан.',
      kk: 'Қолтаңба құжаттан бөлек, ал құжаттың өзі берілмеген.',
      en: 'The signature is detached and the signed document was not given.',
    },
    action: {
      ru: 'Укажите файл подписанного документа вместе с подписью.',
      kk: 'Қолтаңбамен бірге қол қойылған құжат файлын көрсетіңіз.',
      en: 'Give the signed document file together with the signature.',
    },
  },
  CMS_DATA_MISMATCH: {
    message: {
      ru: 'Документ не совпадает с документом внутри подписи.',
      kk: 'Құжат қолтаңба ішіндегі құжатпен сәйкес келмейді.',
      en: 'The document differs from the document inside the signature.',
    },
    action: {
      ru: 'Подписывайте тот же самый документ, который подписала другая сторона.',
      kk: 'Екінші тарап қол қойған дәл сол құжатқа қол қойыңыз.',
      en: 'Sign exactly the document the other party signed.',
    },
  },
  CMS_KEY_MISMATCH: {
    message: {
      ru: 'Ключ не подходит к сертификату или уже закрыт.',
      kk: 'Кілт сертификатқа сәйкес келмейді немесе жабылған.',
      en: 'The key does not match the certificate or has been closed.',
    },
    action: {
      ru: 'Откройте ключ ЭЦП заново и повторите подписание.',
      kk: 'ЭЦҚ кілтін қайта ашып, қол қоюды қайталаңыз.',
      en: 'Open the signing key again and repeat the signing.',
    },
  },
  CMS_UNSUPPORTED_ALGORITHM: {
    message: {
      ru: 'Алгоритм ключа или подписи не поддерживается.',
      kk: 'Кілттің немесе қолтаңбаның алгоритмі қолдау көрсетілмейді.',
      en: 'The key or signature algorithm is not supported.',
    },
    action: {
      ru: 'Используйте ключ НУЦ РК (ГОСТ 34.10-2015 или RSA).',
      kk: 'ҚР ҰКО кілтін пайдаланыңыз (ГОСТ 34.10-2015 немесе RSA).',
      en: 'Use an НУЦ РК key (GOST 34.10-2015 or RSA).',
    },
  },
  // ---- GOST primitives (native-bridge/gost) ----
  GOST_NO_CSPRNG: {
    message: {
      ru: 'На этом устройстве нет надёжного генератора случайных чисел для подписи.',
      kk: 'Бұл құрылғыда қолтаңбаға арналған сенімді кездейсоқ сандар генераторы жоқ.',
      en: 'This device has no secure random number generator for signing.',
    },
    action: {
      ru: 'Подпись не создана. Обновите приложение или подпишите на другом компьютере.',
      kk: 'Қолтаңба жасалмады. Қосымшаны жаңартыңыз немесе басқа компьютерде қол қойыңыз.',
      en: 'No signature was made. Update the app or sign on another computer.',
    },
  },
  GOST_INVALID_KEY: {
    message: {
      ru: 'Закрытый ключ ЭЦП повреждён или имеет неверный формат.',
      kk: 'ЭЦҚ жабық кілті бүлінген немесе пішімі қате.',
      en: 'The private signing key is damaged or has a wrong format.',
    },
    action: {
      ru: 'Выберите другой файл ключа или получите ключ в НУЦ РК заново.',
      kk: 'Басқа кілт файлын таңдаңыз немесе ҚР ҰКО-дан кілтті қайта алыңыз.',
      en: 'Choose another key file or get a new key from НУЦ РК.',
    },
  },
  GOST_INVALID_PUBLIC_KEY: {
    message: {
      ru: 'Открытый ключ ГОСТ повреждён или имеет неверный формат.',
      kk: 'ГОСТ ашық кілті бүлінген немесе пішімі қате.',
      en: 'The GOST public key is damaged or has a wrong format.',
    },
    action: {
      ru: 'Запросите у отправителя подпись с действующим сертификатом НУЦ РК.',
      kk: 'Жіберушіден ҚР ҰКО жарамды сертификатымен жасалған қолтаңбаны сұраңыз.',
      en: 'Ask the sender for a signature made with a valid НУЦ РК certificate.',
    },
  },
  GOST_MALFORMED_SIGNATURE: {
    message: {
      ru: 'Значение подписи ГОСТ повреждено (неверная длина).',
      kk: 'ГОСТ қолтаңбасының мәні бүлінген (ұзындығы қате).',
      en: 'The GOST signature value is damaged (wrong length).',
    },
    action: {
      ru: 'Запросите у отправителя подпись заново.',
      kk: 'Жіберушіден қолтаңбаны қайта сұраңыз.',
      en: 'Ask the sender for the signature again.',
    },
  },
  // ---- certificates, key containers, trust and revocation (native-bridge/pki) ----
  CERT_MALFORMED: {
    message: {
      ru: 'Файл не является корректным сертификатом X.509.',
      kk: 'Файл дұрыс X.509 сертификаты емес.',
      en: 'The file is not a valid X.509 certificate.',
    },
    action: {
      ru: 'Выберите файл сертификата (.cer, .crt, .pem) или ключ ЭЦП (.p12), выданный НУЦ РК.',
      kk: 'ҰКО берген сертификат файлын (.cer, .crt, .pem) немесе ЭЦҚ кілтін (.p12) таңдаңыз.',
      en: 'Choose a certificate file (.cer, .crt, .pem) or an НУЦ РК key file (.p12).',
    },
  },
  PKI_UNSUPPORTED_ALGORITHM: {
    message: {
      ru: 'Алгоритм подписи или ключа не поддерживается.',
      kk: 'Қолтаңба немесе кілт алгоритміне қолдау көрсетілмейді.',
      en: 'The signature or key algorithm is not supported.',
    },
    action: {
      ru: 'Используйте ключ НУЦ РК (ГОСТ 34.10-2015, ГОСТ 34.310-2004 или RSA).',
      kk: 'ҰКО кілтін пайдаланыңыз (ГОСТ 34.10-2015, ГОСТ 34.310-2004 немесе RSA).',
      en: 'Use an НУЦ РК key (GOST 34.10-2015, GOST 34.310-2004 or RSA).',
    },
  },
  P12_WRONG_PASSWORD: {
    message: {
      ru: 'Неверный пароль к ключу ЭЦП.',
      kk: 'ЭЦҚ кілтінің құпиясөзі қате.',
      en: 'Wrong password for the signing key.',
    },
    action: {
      ru: 'Введите пароль ещё раз, проверьте раскладку и Caps Lock. Пароль задавался при получении ключа в НУЦ РК.',
      kk: 'Құпиясөзді қайта енгізіңіз, пернетақта тілін және Caps Lock тексеріңіз. Құпиясөз кілтті ҰКО-дан алғанда қойылған.',
      en: 'Enter the password again; check the keyboard layout and Caps Lock. It was set when the key was issued by НУЦ РК.',
    },
  },
  P12_CORRUPTED: {
    message: {
      ru: 'Файл ключа ЭЦП повреждён.',
      kk: 'ЭЦҚ кілтінің файлы бүлінген.',
      en: 'The signing key file is damaged.',
    },
    action: {
      ru: 'Скопируйте файл ключа заново с исходного носителя или перевыпустите ключ на pki.gov.kz.',
      kk: 'Кілт файлын бастапқы тасымалдағыштан қайта көшіріңіз немесе кілтті pki.gov.kz сайтында қайта шығарыңыз.',
      en: 'Copy the key file again from its original medium, or reissue the key at pki.gov.kz.',
    },
  },
  P12_NOT_PKCS12: {
    message: {
      ru: 'Этот файл не является ключом ЭЦП (PKCS#12).',
      kk: 'Бұл файл ЭЦҚ кілті (PKCS#12) емес.',
      en: 'This file is not a signing key container (PKCS#12).',
    },
    action: {
      ru: 'Выберите файл ключа с расширением .p12 (например, GOST512_….p12 или RSA256_….p12).',
      kk: '.p12 кеңейтімді кілт файлын таңдаңыз (мысалы, GOST512_….p12 немесе RSA256_….p12).',
      en: 'Choose the key file ending in .p12 (for example GOST512_….p12 or RSA256_….p12).',
    },
  },
  P12_UNSUPPORTED_KEY_ALGORITHM: {
    message: {
      ru: 'Ключ в этом файле использует алгоритм, который не применяется в НУЦ РК.',
      kk: 'Бұл файлдағы кілт ҰКО-да қолданылмайтын алгоритмді пайдаланады.',
      en: 'The key in this file uses an algorithm that НУЦ РК does not issue.',
    },
    action: {
      ru: 'Выберите ключ ЭЦП, выданный НУЦ РК (ГОСТ или RSA).',
      kk: 'ҰКО берген ЭЦҚ кілтін таңдаңыз (ГОСТ немесе RSA).',
      en: 'Choose a signing key issued by НУЦ РК (GOST or RSA).',
    },
  },
  P12_NO_KEY: {
    message: {
      ru: 'В файле нет закрытого ключа — только сертификат.',
      kk: 'Файлда жабық кілт жоқ — тек сертификат бар.',
      en: 'The file holds no private key, only a certificate.',
    },
    action: {
      ru: 'Выберите полный файл ключа .p12, полученный в НУЦ РК.',
      kk: 'ҰКО-дан алынған толық .p12 кілт файлын таңдаңыз.',
      en: 'Choose the complete .p12 key file you received from НУЦ РК.',
    },
  },
  P12_KEY_MISMATCH: {
    message: {
      ru: 'Закрытый ключ в файле не соответствует сертификату.',
      kk: 'Файлдағы жабық кілт сертификатқа сәйкес келмейді.',
      en: 'The private key in the file does not match its certificate.',
    },
    action: {
      ru: 'Файл собран неправильно. Используйте исходный файл ключа от НУЦ РК.',
      kk: 'Файл дұрыс құрастырылмаған. ҰКО берген бастапқы кілт файлын пайдаланыңыз.',
      en: 'The file was assembled wrongly. Use the original key file from НУЦ РК.',
    },
  },
  KEY_DESTROYED: {
    message: {
      ru: 'Ключ уже закрыт и стёрт из памяти.',
      kk: 'Кілт жабылып, жадтан өшірілді.',
      en: 'The key has already been closed and wiped from memory.',
    },
    action: {
      ru: 'Откройте файл ключа снова и введите пароль.',
      kk: 'Кілт файлын қайта ашып, құпиясөзді енгізіңіз.',
      en: 'Open the key file again and enter the password.',
    },
  },
  CRL_MALFORMED: {
    message: {
      ru: 'Список отозванных сертификатов (CRL) повреждён или не подписан удостоверяющим центром.',
      kk: 'Кері қайтарылған сертификаттар тізімі (CRL) бүлінген немесе куәландырушы орталық қол қоймаған.',
      en: 'The certificate revocation list (CRL) is damaged or not signed by the certification authority.',
    },
    action: {
      ru: 'Загрузите CRL заново с crl.pki.gov.kz.',
      kk: 'CRL тізімін crl.pki.gov.kz сайтынан қайта жүктеңіз.',
      en: 'Download the CRL again from crl.pki.gov.kz.',
    },
  },
  OCSP_MALFORMED: {
    message: {
      ru: 'Ответ службы OCSP повреждён или не подписан.',
      kk: 'OCSP қызметінің жауабы бүлінген немесе қол қойылмаған.',
      en: 'The OCSP response is damaged or not signed.',
    },
    action: {
      ru: 'Повторите проверку статуса сертификата позже.',
      kk: 'Сертификат мәртебесін кейінірек қайта тексеріңіз.',
      en: 'Check the certificate status again later.',
    },
  },
  TRUST_FILE_INVALID: {
    message: {
      ru: 'Файл в хранилище доверенных сертификатов не является сертификатом удостоверяющего центра.',
      kk: 'Сенімді сертификаттар қоймасындағы файл куәландырушы орталықтың сертификаты емес.',
      en: 'A file in the trusted certificate store is not a certification authority certificate.',
    },
    action: {
      ru: 'Удалите этот файл из папки доверенных сертификатов или замените его сертификатом с pki.gov.kz.',
      kk: 'Бұл файлды сенімді сертификаттар қалтасынан жойыңыз немесе pki.gov.kz сайтындағы сертификатпен ауыстырыңыз.',
      en: 'Remove the file from the trusted certificates folder or replace it with the certificate from pki.gov.kz.',
    },
  },
  TRUST_IMPORT_NOT_CA: {
    message: {
      ru: 'Это сертификат человека или организации, а не удостоверяющего центра: доверенным корневым он быть не может.',
      kk: 'Бұл куәландырушы орталықтың емес, адамның немесе ұйымның сертификаты: ол сенімді түбірлік бола алмайды.',
      en: 'This is the certificate of a person or organisation, not of a certification authority: it cannot be a trusted root.',
    },
    action: {
      ru: 'Добавьте корневой или промежуточный сертификат НУЦ РК с pki.gov.kz (например, root_gost_2022.cer и nca_gost_2022.cer).',
      kk: 'pki.gov.kz сайтындағы ҰКО-ның түбірлік немесе аралық сертификатын қосыңыз (мысалы, root_gost_2022.cer және nca_gost_2022.cer).',
      en: 'Add an НУЦ РК root or intermediate certificate from pki.gov.kz (for example root_gost_2022.cer and nca_gost_2022.cer).',
    },
  },
  TRUST_IMPORT_TEST_CA: {
    message: {
      ru: 'Это тестовый сертификат НУЦ РК: среди доверенных для настоящих подписей ему не место.',
      kk: 'Бұл ҰКО-ның сынақ сертификаты: нақты қолтаңбаларға арналған сенімділер арасында оның орны жоқ.',
      en: 'This is an НУЦ РК test certificate: it does not belong among the roots trusted for real signatures.',
    },
    action: {
      ru: 'Подписи тестовыми ключами проверяйте с тестовым хранилищем (в kense: --trust test).',
      kk: 'Сынақ кілттерімен жасалған қолтаңбаларды сынақ қоймасымен тексеріңіз (kense-те: --trust test).',
      en: 'Check signatures made with test keys against the test store (in kense: --trust test).',
    },
  },
  TRUST_CERT_NOT_FOUND: {
    message: {
      ru: 'Среди добавленных вами доверенных сертификатов нет сертификата с таким отпечатком.',
      kk: 'Сіз қосқан сенімді сертификаттар арасында мұндай таңбасы бар сертификат жоқ.',
      en: 'None of the trusted certificates you added has this fingerprint.',
    },
    action: {
      ru: 'Сверьте отпечаток SHA-256 со списком добавленных сертификатов (kense trust list).',
      kk: 'SHA-256 таңбасын қосылған сертификаттар тізімімен салыстырыңыз (kense trust list).',
      en: 'Compare the SHA-256 fingerprint with the list of added certificates (kense trust list).',
    },
  },
  VERIFY_NO_SIGNATURES: {
    message: {
      ru: 'В папке нет файлов подписи: ни подписей CMS (.cms, .p7s), ни XML-документов с подписью.',
      kk: 'Қалтада қолтаңба файлдары жоқ: CMS қолтаңбалары да (.cms, .p7s), қолтаңбасы бар XML құжаттары да жоқ.',
      en: 'The folder holds no signature files: neither CMS signatures (.cms, .p7s) nor signed XML documents.',
    },
    action: {
      ru: 'Укажите файл подписи или папку, где лежат подписи (вложенные папки не просматриваются).',
      kk: 'Қолтаңба файлын немесе қолтаңбалар жатқан қалтаны көрсетіңіз (ішкі қалталар қаралмайды).',
      en: 'Name a signature file, or the folder the signatures are in (folders inside it are not searched).',
    },
  },
} satisfies ErrorCatalog;

/**
 * Why a signer of a verified document is not valid (the `reasons` of a verdict, native-bridge/pki):
 * what it means and what to do, in ru/kk/en. Not errors that stop an operation, so kept apart from
 * PKI_ERRORS; the act screen and `kense verify` print them next to the signer.
 */
export const VERIFICATION_REASONS = {
  MALFORMED: {
    message: {
      ru: 'Подпись повреждена: её структура не читается.',
      kk: 'Қолтаңба бүлінген: оның құрылымы оқылмайды.',
      en: 'The signature is damaged: its structure cannot be read.',
    },
    action: {
      ru: 'Запросите у отправителя подпись заново.',
      kk: 'Жіберушіден қолтаңбаны қайта сұраңыз.',
      en: 'Ask the sender for the signature again.',
    },
  },
  DIGEST_MISMATCH: {
    message: {
      ru: 'Документ изменён после подписания или проверяется не тот документ.',
      kk: 'Құжат қол қойылғаннан кейін өзгертілген немесе басқа құжат тексерілуде.',
      en: 'The document was changed after signing, or a different document is being checked.',
    },
    action: {
      ru: 'Убедитесь, что проверяете именно подписанный файл; иначе запросите документ и подпись заново.',
      kk: 'Қол қойылған файлдың дәл өзін тексеріп отырғаныңызға көз жеткізіңіз; әйтпесе құжат пен қолтаңбаны қайта сұраңыз.',
      en: 'Make sure you are checking the very file that was signed; otherwise ask for the document and the signature again.',
    },
  },
  BAD_SIGNATURE: {
    message: {
      ru: 'Подпись не сходится с сертификатом подписанта: она подделана или повреждена.',
      kk: 'Қолтаңба қол қоюшының сертификатына сәйкес келмейді: ол жалған немесе бүлінген.',
      en: "The signature does not match the signer's certificate: it is forged or damaged.",
    },
    action: {
      ru: 'Не принимайте документ; запросите подпись заново.',
      kk: 'Құжатты қабылдамаңыз; қолтаңбаны қайта сұраңыз.',
      en: 'Do not accept the document; ask for the signature again.',
    },
  },
  ESS_CERT_MISMATCH: {
    message: {
      ru: 'Сертификат в подписи подменён: это не тот сертификат, который указал подписант.',
      kk: 'Қолтаңбадағы сертификат ауыстырылған: бұл қол қоюшы көрсеткен сертификат емес.',
      en: 'The certificate in the signature was swapped: it is not the one the signer named.',
    },
    action: {
      ru: 'Не принимайте документ; запросите подпись заново.',
      kk: 'Құжатты қабылдамаңыз; қолтаңбаны қайта сұраңыз.',
      en: 'Do not accept the document; ask for the signature again.',
    },
  },
  NO_SIGNER_CERT: {
    message: {
      ru: 'В подписи нет сертификата подписанта.',
      kk: 'Қолтаңбада қол қоюшының сертификаты жоқ.',
      en: "The signature does not contain the signer's certificate.",
    },
    action: {
      ru: 'Попросите подписать документ заново через NCALayer или kense: они вкладывают сертификат в подпись.',
      kk: 'Құжатқа NCALayer немесе kense арқылы қайта қол қоюды сұраңыз: олар сертификатты қолтаңбаға қосады.',
      en: 'Ask for the document to be signed again with NCALayer or kense: they put the certificate into the signature.',
    },
  },
  CONTENT_TYPE_MISMATCH: {
    message: {
      ru: 'Тип подписанного содержимого не совпадает с указанным в подписи.',
      kk: 'Қол қойылған мазмұн түрі қолтаңбада көрсетілгенмен сәйкес емес.',
      en: 'The type of the signed content differs from the one stated in the signature.',
    },
    action: {
      ru: 'Запросите у отправителя подпись заново.',
      kk: 'Жіберушіден қолтаңбаны қайта сұраңыз.',
      en: 'Ask the sender for the signature again.',
    },
  },
  DETACHED_DATA_MISSING: {
    message: {
      ru: 'Подпись отделена от документа, а сам документ не указан.',
      kk: 'Қолтаңба құжаттан бөлек, ал құжаттың өзі көрсетілмеген.',
      en: 'The signature is detached and the signed document was not given.',
    },
    action: {
      ru: 'Укажите подписанный документ вместе с подписью.',
      kk: 'Қол қойылған құжатты қолтаңбамен бірге көрсетіңіз.',
      en: 'Give the signed document together with the signature.',
    },
  },
  CERT_NOT_YET_VALID: {
    message: {
      ru: 'На момент проверки сертификат подписанта ещё не действовал.',
      kk: 'Тексеру сәтінде қол қоюшының сертификаты әлі күшіне енбеген.',
      en: "The signer's certificate was not yet valid at the time checked.",
    },
    action: {
      ru: 'Проверьте дату подписания и часы на компьютере подписанта.',
      kk: 'Қол қою күнін және қол қоюшының компьютеріндегі сағатты тексеріңіз.',
      en: "Check the signing date and the clock of the signer's computer.",
    },
  },
  CERT_EXPIRED: {
    message: {
      ru: 'На момент проверки срок действия сертификата подписанта истёк.',
      kk: 'Тексеру сәтінде қол қоюшы сертификатының мерзімі өтіп кеткен.',
      en: "The signer's certificate had expired at the time checked.",
    },
    action: {
      ru: 'Если документ подписан, пока сертификат действовал, попросите подпись с меткой времени (CAdES-T); иначе подписант должен получить новый ключ ЭЦП в НУЦ РК (pki.gov.kz) и подписать заново.',
      kk: 'Егер құжатқа сертификат жарамды кезде қол қойылса, уақыт белгісі бар қолтаңбаны (CAdES-T) сұраңыз; әйтпесе қол қоюшы ҰКО-дан (pki.gov.kz) жаңа ЭЦҚ кілтін алып, қайта қол қоюы керек.',
      en: 'If the document was signed while the certificate was valid, ask for the signature with a timestamp (CAdES-T); otherwise the signer must get a new key from НУЦ РК (pki.gov.kz) and sign again.',
    },
  },
  CERT_REVOKED: {
    message: {
      ru: 'Сертификат подписанта отозван.',
      kk: 'Қол қоюшының сертификаты кері қайтарылған.',
      en: "The signer's certificate has been revoked.",
    },
    action: {
      ru: 'Подпись, сделанная после отзыва, недействительна. Не принимайте документ, пока нет метки времени, доказывающей подписание до отзыва; иначе подписант должен получить новый ключ ЭЦП и подписать заново.',
      kk: 'Кері қайтарылғаннан кейін қойылған қолтаңба жарамсыз. Қол кері қайтаруға дейін қойылғанын дәлелдейтін уақыт белгісі болмаса, құжатты қабылдамаңыз; әйтпесе қол қоюшы жаңа ЭЦҚ кілтін алып, қайта қол қоюы керек.',
      en: 'A signature made after the revocation is not valid. Do not accept the document unless a timestamp proves it was signed before the revocation; otherwise the signer must get a new key and sign again.',
    },
  },
  REVOCATION_UNKNOWN: {
    message: {
      ru: 'Неизвестно, отозван ли сертификат: нет действующего списка отзыва (CRL) или ответа OCSP на нужное время.',
      kk: 'Сертификаттың кері қайтарылғаны белгісіз: қажетті уақытқа жарамды кері қайтару тізімі (CRL) немесе OCSP жауабы жоқ.',
      en: 'Whether the certificate is revoked is unknown: no revocation list (CRL) or OCSP response covers the time needed.',
    },
    action: {
      ru: 'Возьмите свежий список отзыва с pki.gov.kz или проверьте ещё раз, когда будет связь.',
      kk: 'pki.gov.kz сайтынан жаңа кері қайтару тізімін алыңыз немесе байланыс болғанда қайта тексеріңіз.',
      en: 'Get a fresh revocation list from pki.gov.kz, or check again when online.',
    },
  },
  UNTRUSTED_CHAIN: {
    message: {
      ru: 'Сертификат подписанта не ведёт к доверенному корневому сертификату.',
      kk: 'Қол қоюшының сертификаты сенімді түбірлік сертификатқа жетпейді.',
      en: "The signer's certificate does not lead to a trusted root certificate.",
    },
    action: {
      ru: 'Не полагайтесь на подпись, пока цепочка не подтверждена. Если подписант пользуется ключом НУЦ РК, добавьте корневой сертификат НУЦ РК с pki.gov.kz в доверенные.',
      kk: 'Тізбек расталмайынша, қолтаңбаға сүйенбеңіз. Егер қол қоюшы ҰКО кілтін пайдаланса, pki.gov.kz сайтындағы ҰКО түбірлік сертификатын сенімділерге қосыңыз.',
      en: 'Do not rely on the signature until its chain is confirmed. If the signer uses an НУЦ РК key, add the НУЦ РК root certificate from pki.gov.kz to the trusted ones.',
    },
  },
  TRUST_STORE_EMPTY: {
    message: {
      ru: 'Хранилище доверенных корневых сертификатов пусто: в нём нет сертификатов НУЦ РК, поэтому цепочку доверия проверить нельзя. Сама подпись этим не опорочена.',
      kk: 'Сенімді түбірлік сертификаттар қоймасы бос: онда ҰКО сертификаттары жоқ, сондықтан сенім тізбегін тексеру мүмкін емес. Бұл қолтаңбаның өзін теріске шығармайды.',
      en: 'The store of trusted root certificates is empty: it holds no НУЦ РК certificates, so the chain of trust cannot be checked. This alone says nothing bad about the signature.',
    },
    action: {
      ru: 'Добавьте корневые сертификаты НУЦ РК, скачанные с pki.gov.kz, или установите NCALayer (он добавляет их в систему).',
      kk: 'pki.gov.kz сайтынан жүктелген ҰКО түбірлік сертификаттарын қосыңыз немесе NCALayer орнатыңыз (ол оларды жүйеге қосады).',
      en: 'Add the НУЦ РК root certificates downloaded from pki.gov.kz, or install NCALayer (it adds them to the system).',
    },
  },
  KEY_USAGE_NOT_ALLOWED: {
    message: {
      ru: 'Ключ подписанта не предназначен для подписи документов.',
      kk: 'Қол қоюшының кілті құжаттарға қол қоюға арналмаған.',
      en: "The signer's key is not meant for signing documents.",
    },
    action: {
      ru: 'Подписывать нужно ключом для подписи (RSA256_… или GOST512_…), а не ключом для входа (AUTH_…).',
      kk: 'Кіру кілтімен (AUTH_…) емес, қол қою кілтімен (RSA256_… немесе GOST512_…) қол қою керек.',
      en: 'Documents must be signed with a signing key (RSA256_… or GOST512_…), not a login key (AUTH_…).',
    },
  },
  UNSUPPORTED_ALGORITHM: {
    message: {
      ru: 'Подпись сделана алгоритмом, который kense не поддерживает.',
      kk: 'Қолтаңба kense қолдамайтын алгоритммен жасалған.',
      en: 'The signature uses an algorithm kense does not support.',
    },
    action: {
      ru: 'Попросите подписать документ ключом НУЦ РК (ГОСТ или RSA).',
      kk: 'Құжатқа ҰКО кілтімен (ГОСТ немесе RSA) қол қоюды сұраңыз.',
      en: 'Ask for the document to be signed with an НУЦ РК key (GOST or RSA).',
    },
  },
  TIMESTAMP_INVALID: {
    message: {
      ru: 'Метка времени в подписи недействительна или выдана недоверенной службой.',
      kk: 'Қолтаңбадағы уақыт белгісі жарамсыз немесе сенімсіз қызмет берген.',
      en: 'The timestamp in the signature is invalid or comes from an untrusted service.',
    },
    action: {
      ru: 'Время подписания не подтверждено; запросите подпись с меткой времени НУЦ РК заново.',
      kk: 'Қол қою уақыты расталмаған; ҰКО уақыт белгісі бар қолтаңбаны қайта сұраңыз.',
      en: 'The signing time is not confirmed; ask for the signature with an НУЦ РК timestamp again.',
    },
  },
} satisfies ErrorCatalog;

export type VerificationReasonCode = keyof typeof VERIFICATION_REASONS;

/**
 * The ETSI EN 319 102-1 sub-indication of a signer's verdict (native-bridge/pki/verdict.ts decides it from the
 * reasons and the proofs of existence): what it means and what to do, in ru/kk/en. The first six are TOTAL-FAILED
 * (INVALID: the signature is proven wrong); the others are INDETERMINATE (not confirmed: the evidence at hand
 * cannot prove it either way). `kense verify` prints the one that decided the verdict above the reasons.
 */
export const VERIFICATION_SUBINDICATIONS = {
  FORMAT_FAILURE: {
    message: {
      ru: 'Подпись недействительна: её структура или метка времени в ней повреждена.',
      kk: 'Қолтаңба жарамсыз: оның құрылымы немесе ішіндегі уақыт белгісі бүлінген.',
      en: 'The signature is not valid: its structure, or the timestamp in it, is broken.',
    },
    action: {
      ru: 'Не принимайте документ; запросите подпись заново.',
      kk: 'Құжатты қабылдамаңыз; қолтаңбаны қайта сұраңыз.',
      en: 'Do not accept the document; ask for the signature again.',
    },
  },
  HASH_FAILURE: {
    message: {
      ru: 'Подпись недействительна: подписанное не совпадает — документ (или названный подписантом сертификат) изменён после подписания, либо проверяется другой документ.',
      kk: 'Қолтаңба жарамсыз: қол қойылған нәрсе сәйкес келмейді — құжат (немесе қол қоюшы атаған сертификат) қол қойылғаннан кейін өзгертілген, не басқа құжат тексерілуде.',
      en: 'The signature is not valid: what was signed does not match — the document (or the certificate the signer named) was changed after signing, or another document is being checked.',
    },
    action: {
      ru: 'Убедитесь, что проверяете именно подписанный файл; иначе не принимайте документ и запросите документ и подпись заново.',
      kk: 'Қол қойылған файлдың дәл өзін тексеріп отырғаныңызға көз жеткізіңіз; әйтпесе құжатты қабылдамай, құжат пен қолтаңбаны қайта сұраңыз.',
      en: 'Make sure you are checking the very file that was signed; otherwise do not accept it, and ask for the document and the signature again.',
    },
  },
  SIG_CRYPTO_FAILURE: {
    message: {
      ru: 'Подпись недействительна: значение подписи не сходится с сертификатом подписанта — она подделана или повреждена.',
      kk: 'Қолтаңба жарамсыз: қолтаңба мәні қол қоюшының сертификатына сәйкес келмейді — ол жалған немесе бүлінген.',
      en: "The signature is not valid: its value does not verify with the signer's certificate — it is forged or damaged.",
    },
    action: {
      ru: 'Не принимайте документ; запросите подпись заново.',
      kk: 'Құжатты қабылдамаңыз; қолтаңбаны қайта сұраңыз.',
      en: 'Do not accept the document; ask for the signature again.',
    },
  },
  REVOKED: {
    message: {
      ru: 'Подпись недействительна: она сделана после отзыва сертификата — и доверенная метка времени, и время подписи, указанное самим подписантом, позже отзыва.',
      kk: 'Қолтаңба жарамсыз: ол сертификат кері қайтарылғаннан кейін қойылған — сенімді уақыт белгісі де, қол қоюшының өзі көрсеткен қол қою уақыты да кері қайтарудан кейін.',
      en: "The signature is not valid: it was made after the certificate was revoked — both a trusted timestamp and the signer's own signing time lie after the revocation.",
    },
    action: {
      ru: 'Не принимайте документ: подписант должен получить новый ключ ЭЦП в НУЦ РК и подписать заново.',
      kk: 'Құжатты қабылдамаңыз: қол қоюшы ҰКО-дан жаңа ЭЦҚ кілтін алып, қайта қол қоюы керек.',
      en: 'Do not accept the document: the signer must get a new key from НУЦ РК and sign again.',
    },
  },
  EXPIRED: {
    message: {
      ru: 'Подпись недействительна: она сделана после окончания срока сертификата — и доверенная метка времени, и время подписи, указанное самим подписантом, позже этого срока.',
      kk: 'Қолтаңба жарамсыз: ол сертификат мерзімі біткеннен кейін қойылған — сенімді уақыт белгісі де, қол қоюшының өзі көрсеткен қол қою уақыты да сол мерзімнен кейін.',
      en: "The signature is not valid: it was made after the certificate expired — both a trusted timestamp and the signer's own signing time lie after the expiry.",
    },
    action: {
      ru: 'Не принимайте документ: подписант должен получить новый ключ ЭЦП в НУЦ РК (pki.gov.kz) и подписать заново.',
      kk: 'Құжатты қабылдамаңыз: қол қоюшы ҰКО-дан (pki.gov.kz) жаңа ЭЦҚ кілтін алып, қайта қол қоюы керек.',
      en: 'Do not accept the document: the signer must get a new key from НУЦ РК (pki.gov.kz) and sign again.',
    },
  },
  NOT_YET_VALID: {
    message: {
      ru: 'Подпись недействительна: на проверяемый момент сертификат подписанта ещё не был выдан.',
      kk: 'Қолтаңба жарамсыз: тексерілетін сәтте қол қоюшының сертификаты әлі берілмеген еді.',
      en: "The signature is not valid: the signer's certificate had not yet been issued at the time judged at.",
    },
    action: {
      ru: 'Проверьте дату подписания и часы на компьютере подписанта; запросите подпись заново.',
      kk: 'Қол қою күнін және қол қоюшының компьютеріндегі сағатты тексеріңіз; қолтаңбаны қайта сұраңыз.',
      en: "Check the signing date and the clock of the signer's computer; ask for the signature again.",
    },
  },
  NO_SIGNING_CERTIFICATE_FOUND: {
    message: {
      ru: 'Подпись не подтверждена: в ней нет сертификата подписанта, поэтому её нельзя проверить.',
      kk: 'Қолтаңба расталмады: онда қол қоюшының сертификаты жоқ, сондықтан оны тексеру мүмкін емес.',
      en: "The signature cannot be confirmed: the signer's certificate is not in it, so it cannot be checked.",
    },
    action: {
      ru: 'Попросите подписать документ заново через NCALayer или kense: они вкладывают сертификат в подпись.',
      kk: 'Құжатқа NCALayer немесе kense арқылы қайта қол қоюды сұраңыз: олар сертификатты қолтаңбаға қосады.',
      en: 'Ask for the document to be signed again with NCALayer or kense: they put the certificate into the signature.',
    },
  },
  SIGNED_DATA_NOT_FOUND: {
    message: {
      ru: 'Подпись не подтверждена: она отделена от документа, а сам документ не указан, поэтому сверить его нельзя.',
      kk: 'Қолтаңба расталмады: ол құжаттан бөлек, ал құжаттың өзі көрсетілмеген, сондықтан оны салыстыру мүмкін емес.',
      en: 'The signature cannot be confirmed: it is detached and the signed document was not given, so it cannot be compared.',
    },
    action: {
      ru: 'Укажите подписанный документ вместе с подписью.',
      kk: 'Қол қойылған құжатты қолтаңбамен бірге көрсетіңіз.',
      en: 'Give the signed document together with the signature.',
    },
  },
  CRYPTO_CONSTRAINTS_FAILURE: {
    message: {
      ru: 'Подпись не подтверждена: она сделана алгоритмом, который kense не поддерживает, поэтому здесь её проверить нельзя.',
      kk: 'Қолтаңба расталмады: ол kense қолдамайтын алгоритммен жасалған, сондықтан мұнда оны тексеру мүмкін емес.',
      en: 'The signature cannot be confirmed: it uses an algorithm kense does not support, so it cannot be checked here.',
    },
    action: {
      ru: 'Попросите подписать документ ключом НУЦ РК (ГОСТ или RSA).',
      kk: 'Құжатқа ҰКО кілтімен (ГОСТ немесе RSA) қол қоюды сұраңыз.',
      en: 'Ask for the document to be signed with an НУЦ РК key (GOST or RSA).',
    },
  },
  NO_CERTIFICATE_CHAIN_FOUND: {
    message: {
      ru: 'Подпись не подтверждена: сертификат подписанта не ведёт к корневому сертификату, которому здесь доверяют. Само по себе это не значит, что подпись подделана.',
      kk: 'Қолтаңба расталмады: қол қоюшының сертификаты мұнда сенім білдірілген түбірлік сертификатқа жетпейді. Бұл өздігінен қолтаңба жалған дегенді білдірмейді.',
      en: "The signature cannot be confirmed: the signer's certificate does not lead to a root certificate trusted here. This alone does not mean it is forged.",
    },
    action: {
      ru: 'Не полагайтесь на подпись, пока она не подтверждена. Если подписант пользуется ключом НУЦ РК, корневой сертификат НУЦ РК должен быть в доверенных.',
      kk: 'Қолтаңба расталмайынша, оған сүйенбеңіз. Егер қол қоюшы ҰКО кілтін пайдаланса, ҰКО түбірлік сертификаты сенімділер қатарында болуы керек.',
      en: 'Do not rely on the signature until it is confirmed. If the signer uses an НУЦ РК key, the НУЦ РК root certificate must be among the trusted ones.',
    },
  },
  CHAIN_CONSTRAINTS_FAILURE: {
    message: {
      ru: 'Подпись не подтверждена: сертификат подписанта или удостоверяющий центр над ним не отвечает правилам (центр не действовал в тот момент или не вправе выдавать сертификаты, либо ключ не предназначен для подписи документов).',
      kk: 'Қолтаңба расталмады: қол қоюшының сертификаты немесе оның үстіндегі куәландырушы орталық ережелерге сай емес (орталық сол сәтте жарамсыз болған немесе сертификат беруге құқығы жоқ, не кілт құжаттарға қол қоюға арналмаған).',
      en: "The signature cannot be confirmed: the signer's certificate, or a certification authority above it, breaks the rules (the authority was not valid at that time or may not issue certificates, or the key is not meant for signing documents).",
    },
    action: {
      ru: 'Не полагайтесь на подпись; попросите подписать действующим ключом для подписи НУЦ РК (RSA256_… или GOST512_…).',
      kk: 'Қолтаңбаға сүйенбеңіз; ҰКО-ның жарамды қол қою кілтімен (RSA256_… немесе GOST512_…) қол қоюды сұраңыз.',
      en: 'Do not rely on the signature; ask for it to be signed with a current НУЦ РК signing key (RSA256_… or GOST512_…).',
    },
  },
  REVOKED_NO_POE: {
    message: {
      ru: 'Подпись не подтверждена: сертификат подписанта отозван, и ничто не доказывает, что подпись сделана до отзыва (нет доверенной метки времени, сделанной раньше).',
      kk: 'Қолтаңба расталмады: қол қоюшының сертификаты кері қайтарылған, және қолтаңбаның кері қайтаруға дейін қойылғанын ештеңе дәлелдемейді (ертерек жасалған сенімді уақыт белгісі жоқ).',
      en: "The signature cannot be confirmed: the signer's certificate has been revoked, and nothing proves the signature was made before the revocation (no trusted timestamp from before it).",
    },
    action: {
      ru: 'Не принимайте документ без выяснения. Попросите у отправителя подпись с меткой времени (CAdES-T), сделанную до отзыва, или новую подпись действующим ключом.',
      kk: 'Анықтамай тұрып құжатты қабылдамаңыз. Жіберушіден кері қайтаруға дейін жасалған уақыт белгісі бар қолтаңбаны (CAdES-T) немесе жарамды кілтпен жаңа қолтаңбаны сұраңыз.',
      en: 'Do not accept the document without finding out. Ask the sender for a signature with a timestamp (CAdES-T) made before the revocation, or for a new signature with a current key.',
    },
  },
  OUT_OF_BOUNDS_NO_POE: {
    message: {
      ru: 'Подпись не подтверждена: на проверяемый момент срок сертификата уже истёк, а метки времени, доказывающей, когда сделана подпись, нет.',
      kk: 'Қолтаңба расталмады: тексерілетін сәтте сертификат мерзімі өтіп кеткен, ал қолтаңбаның қашан қойылғанын дәлелдейтін уақыт белгісі жоқ.',
      en: 'The signature cannot be confirmed: the certificate had expired by the time judged at, and the signature has no timestamp proving when it was made.',
    },
    action: {
      ru: 'Попросите у отправителя подпись с меткой времени (CAdES-T) или уточните у него, когда документ подписан.',
      kk: 'Жіберушіден уақыт белгісі бар қолтаңбаны (CAdES-T) сұраңыз немесе құжатқа қашан қол қойылғанын одан нақтылаңыз.',
      en: 'Ask the sender for a signature with a timestamp (CAdES-T), or check with them when the document was signed.',
    },
  },
  OUT_OF_BOUNDS_NOT_REVOKED: {
    message: {
      ru: 'Подпись не подтверждена: на проверяемый момент срок сертификата уже истёк; он не был отозван, но ничто не доказывает, что подпись сделана до окончания срока.',
      kk: 'Қолтаңба расталмады: тексерілетін сәтте сертификат мерзімі өтіп кеткен; ол кері қайтарылмаған, бірақ қолтаңбаның мерзім біткенге дейін қойылғанын ештеңе дәлелдемейді.',
      en: 'The signature cannot be confirmed: the certificate had expired by the time judged at; it was not revoked, but nothing proves the signature was made before the expiry.',
    },
    action: {
      ru: 'Попросите у отправителя подпись с меткой времени (CAdES-T) или уточните у него, когда документ подписан.',
      kk: 'Жіберушіден уақыт белгісі бар қолтаңбаны (CAdES-T) сұраңыз немесе құжатқа қашан қол қойылғанын одан нақтылаңыз.',
      en: 'Ask the sender for a signature with a timestamp (CAdES-T), or check with them when the document was signed.',
    },
  },
  TRY_LATER: {
    message: {
      ru: 'Подпись пока не подтверждена: неизвестно, отозван ли сертификат (нет действующего списка отзыва или ответа OCSP).',
      kk: 'Қолтаңба әзірге расталмады: сертификаттың кері қайтарылғаны белгісіз (жарамды кері қайтару тізімі немесе OCSP жауабы жоқ).',
      en: 'The signature cannot be confirmed yet: whether the certificate is revoked is unknown (no current revocation list or OCSP answer).',
    },
    action: {
      ru: 'Проверьте ещё раз, когда будет связь, или со свежим списком отзыва с pki.gov.kz.',
      kk: 'Байланыс болғанда немесе pki.gov.kz сайтынан алынған жаңа кері қайтару тізімімен қайта тексеріңіз.',
      en: 'Check again when online, or with a fresh revocation list from pki.gov.kz.',
    },
  },
} satisfies ErrorCatalog;

export type VerificationSubIndication = keyof typeof VERIFICATION_SUBINDICATIONS;
