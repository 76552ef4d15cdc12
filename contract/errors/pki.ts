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
} satisfies ErrorCatalog;
