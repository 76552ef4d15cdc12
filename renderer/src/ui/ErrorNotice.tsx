// An error as a user meets it: what happened and what to do, in the current language (re-worded from the code).
import { useTranslation } from 'react-i18next';
import { errorTexts } from '../i18n';

export interface ShownError {
  code: string;
  message?: string;
  action?: string;
}

export function toShownError(e: unknown): ShownError {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const x = e as { code: string; message?: string; action?: string };
    return { code: x.code, message: x.message, action: x.action };
  }
  return { code: 'INTERNAL' };
}

export function ErrorNotice({ error, kind = 'danger' }: { error: ShownError; kind?: 'danger' | 'warn' }) {
  const { t } = useTranslation();
  const { message, action } = errorTexts(error);
  return (
    <div className={`notice ${kind}`} role="alert" data-error-code={error.code}>
      <div className="grow">
        <strong>{message}</strong>
        <span>
          {t('common.whatToDo')}: {action}
        </span>
      </div>
    </div>
  );
}
