// Support: diagnostics of this computer (the doctor) now; requests to kense support (priority with the agreement's
// SLA, description, screenshot, doctor report and logs with consent) once the cloud offers its support endpoints.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHead } from '../ui/Card';
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
  // The check is quick and local (NCALayer, key files, clock): run it when the screen opens.
  useEffect(() => {
    void run();
  }, []);
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
      <PageHead title={t('support.title')} sub={t('support.subtitle')} />
      {!supported && (
        <div className="notice info" data-testid="support-unavailable">
          <div className="grow">
            <strong>{t('support.unavailableTitle')}</strong>
            <span>{t('support.unavailable')}</span>
          </div>
        </div>
      )}
      <section className="card card-pad stack" aria-labelledby="h-doctor">
        <div className="row">
          <div className="grow">
            <h2 id="h-doctor">{t('support.doctor')}</h2>
            <p className="hint">{t('support.doctorHint')}</p>
          </div>
          <button className="btn" onClick={() => void run()} disabled={busy} data-testid="run-doctor">{busy ? t('support.checking') : t('support.runDoctor')}</button>
        </div>
        {error && <ErrorNotice error={error} />}
        {report?.healthy && <div className="notice ok"><div className="grow">{t('support.healthy')}</div></div>}
        {report && <Findings items={report.findings.filter((f) => f.severity !== 'ok')} />}
        {report && report.findings.some((f) => f.severity === 'ok') && (
          <details>
            <summary className="muted">{t('support.okChecks', { count: report.findings.filter((f) => f.severity === 'ok').length })}</summary>
            <Findings items={report.findings.filter((f) => f.severity === 'ok')} />
          </details>
        )}
      </section>
    </div>
  );
}

type Finding = OperationOutput<'doctor.run'>['findings'][number];
const ORDER: Record<Finding['severity'], number> = { problem: 0, warning: 1, info: 2, ok: 3 };

function Findings({ items }: { items: Finding[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <ul className="findings" data-testid="doctor-findings">
      {[...items].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]).map((f) => (
        <li key={f.id}>
          <span className={`badge ${SEVERITY[f.severity]}`}>{t(`support.severity.${f.severity}`)}</span>
          <span>
            {f.message}
            {f.fix && <span className="hint" style={{ display: 'block' }}>{f.fix}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}
