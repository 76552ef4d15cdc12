// Support: diagnostics of this computer (the doctor) now; requests to kense support (priority with the agreement's
// SLA, description, screenshot, doctor report and logs with consent) once the cloud offers its support endpoints.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationOutput } from '../../../contract/ipc';
import { OPERATIONS } from '../../../contract/ipc';
import { api } from '../state/store';
import { ErrorNotice, toShownError, type ShownError } from '../ui/ErrorNotice';

const SEVERITY: Record<string, string> = { ok: 'ok', info: 'info', warning: 'warn', problem: 'danger' };

export function Support() {
  const { t } = useTranslation();
  const [report, setReport] = useState<OperationOutput<'doctor.run'> | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const supported = 'support.create' in OPERATIONS;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await api().invoke('doctor.run'));
    } catch (e) {
      setError(toShownError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page" data-testid="screen-support">
      <div className="page-head">
        <div className="grow">
          <h1>{t('support.title')}</h1>
          <p className="page-sub">{t('support.subtitle')}</p>
        </div>
      </div>
      {!supported && (
        <div className="notice info">
          <div className="grow">{t('support.unavailable')}</div>
        </div>
      )}
      <section className="card card-pad stack" aria-labelledby="h-doctor">
        <div className="row">
          <h2 id="h-doctor" className="grow">{t('support.doctor')}</h2>
          <button className="btn btn-primary" onClick={() => void run()} disabled={busy} data-testid="run-doctor">{t('support.runDoctor')}</button>
        </div>
        {error && <ErrorNotice error={error} />}
        {report?.healthy && <div className="notice ok"><div className="grow">{t('support.healthy')}</div></div>}
        {report?.findings.map((f) => (
          <div key={f.id} className="row">
            <span className={`badge ${SEVERITY[f.severity]}`}>{f.severity}</span>
            <span className="grow">
              {f.message}
              {f.fix && <span className="hint" style={{ display: 'block' }}>{f.fix}</span>}
            </span>
          </div>
        ))}
      </section>
    </div>
  );
}
