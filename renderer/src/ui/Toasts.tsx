import { useTranslation } from 'react-i18next';
import { useOffice } from '../state/store';
import { Icon } from './icons';

export function Toasts() {
  const { t } = useTranslation();
  const toasts = useOffice((s) => s.toasts);
  const dismiss = useOffice((s) => s.dismissToast);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((x) => (
        <div key={x.id} className={`toast ${x.kind}`} data-testid="toast">
          <div className="grow">
            <strong>{x.title}</strong>
            {x.text && <span className="muted">{x.text}</span>}
          </div>
          <button className="btn btn-sm" onClick={() => dismiss(x.id)} aria-label={t('common.close')}>
            <Icon name="x" className="nav-icon" />
          </button>
        </div>
      ))}
    </div>
  );
}
