import type { ErrorCatalog } from './types';

export const COMMON_ERRORS = {
  INTERNAL: {
    message: {
      ru: 'Внутренняя ошибка приложения.',
      kk: 'Қосымшаның ішкі қатесі.',
      en: 'Internal application error.',
    },
    action: {
      ru: 'Повторите действие. Если ошибка повторяется, отправьте журнал в поддержку kense.',
      kk: 'Әрекетті қайталаңыз. Қате қайталанса, журналды kense қолдау қызметіне жіберіңіз.',
      en: 'Try again. If it happens again, send the log to kense support.',
    },
  },
  INVALID_INPUT: {
    message: {
      ru: 'Входные данные не прошли проверку.',
      kk: 'Кіріс деректері тексеруден өтпеді.',
      en: 'The input did not pass validation.',
    },
    action: {
      ru: 'Исправьте отмеченные поля и повторите.',
      kk: 'Белгіленген өрістерді түзетіп, қайталаңыз.',
      en: 'Correct the marked fields and try again.',
    },
  },
  FILE_NOT_FOUND: {
    message: { ru: 'Файл не найден.', kk: 'Файл табылмады.', en: 'File not found.' },
    action: {
      ru: 'Проверьте путь к файлу.',
      kk: 'Файлға апаратын жолды тексеріңіз.',
      en: 'Check the file path.',
    },
  },
  CANCELLED: {
    message: { ru: 'Действие отменено.', kk: 'Әрекет тоқтатылды.', en: 'Cancelled.' },
    action: {
      ru: 'Ничего не изменено. Повторите, когда будете готовы.',
      kk: 'Ештеңе өзгертілмеді. Дайын болғанда қайталаңыз.',
      en: 'Nothing was changed. Try again when you are ready.',
    },
  },
  OFFLINE: {
    message: { ru: 'Нет связи с сервером kense.', kk: 'kense серверімен байланыс жоқ.', en: 'No connection to the kense server.' },
    action: {
      ru: 'Работа продолжится офлайн; данные синхронизируются, когда связь появится.',
      kk: 'Жұмыс желісіз жалғасады; байланыс пайда болғанда деректер синхрондалады.',
      en: 'You can keep working offline; data will sync when the connection is back.',
    },
  },
} satisfies ErrorCatalog;
