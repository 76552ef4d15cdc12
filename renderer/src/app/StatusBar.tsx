// Always visible: online/offline, changes waiting to sync, the last successful sync, and problems that need the
// user (conflicts, rejected signatures, a stuck queue) with the way to deal with them.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventPayload, SyncProblem } from '../../../contract/ipc';
import { api, useOffice } from '../state/store';
import { formatCount, formatDateTime } from '../format/format';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice, toShownError } from '../ui/ErrorNotice';
import { Icon } from '../ui/icons';

export function StatusBar() {
  const { t } = useTranslation();
  const sync = useOffice((s) => s.sync);
  const open = useOffice((s) => s.problemsOpen);
  const progress = useSyncProgress();
  if (!sync) return <footer className="statusbar" aria-label={t('status.label')} />;
  const problems = sync.conflicts + sync.rejected + (sync.stuck ? 1 : 0);
  const busy = sync.state === 'pulling' || sync.state === 'pushing' || sync.state === 'rebuilding';
  const dot = sync.state === 'needs_sign_in' ? 'bad' : sync.online ? 'ok' : 'off';
  const downloading = busy && progress && progress.phase !== 'push' && progress.applied > 0;
  const onlineText =
    sync.state === 'needs_sign_in' ? t('status.needsSignIn')
    : downloading ? (progress.remaining !== null ? t('status.downloadingOf', { done: formatCount(progress.applied), total: formatCount(progress.applied + progress.remaining) }) : t('status.downloading', { done: formatCount(progress.applied) }))
    : busy ? t('status.syncing')
    : sync.online ? t('status.online') : t('status.offline');
  return (
    <footer className="statusbar" aria-label={t('status.label')} data-testid="statusbar">
      <span className="item" data-testid="status-online" data-online={sync.online ? 'yes' : 'no'}>
        <span className={`dot ${dot}`} aria-hidden="true" />
        {onlineText}
      </span>
      <span className="item" data-testid="status-pending" data-pending={sync.pendingMutations}>
        {sync.pendingMutations > 0 ? t('status.pending', { count: sync.pendingMutations }) : t('status.allSent')}
      </span>
      <span className="item faint">{sync.lastSyncAt ? t('status.lastSync', { time: formatDateTime(sync.lastSyncAt) }) : t('status.neverSynced')}</span>
      {sync.clockWarning && <span className="item problem">{t('status.clock')}</span>}
      <span className="grow" />
      {problems > 0 && (
        <span className="item problem" data-testid="status-problems">
          {sync.stuck && !sync.conflicts && !sync.rejected ? t('status.stuck', { time: formatDateTime(sync.stuck.since) }) : t('status.problems', { count: problems })}
          <button className="link" onClick={() => useOffice.setState({ problemsOpen: true })}>
            {t('status.show')}
          </button>
        </span>
      )}
      <button className="btn btn-sm" onClick={() => void api().invoke('sync.now', { wait: false }).catch(() => undefined)} disabled={busy || sync.state === 'signed_out'}>
        <Icon name="refresh" className="nav-icon" />
        {t('status.syncNow')}
      </button>
      {open && <ProblemsDialog onClose={() => useOffice.setState({ problemsOpen: false })} />}
    </footer>
  );
}

function ProblemsDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<SyncProblem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => api().invoke('sync.problems').then((r) => setItems(r.items), setError);
  useEffect(() => {
    void load();
  }, []);
  const resolve = async (p: SyncProblem, resolution: 'dismiss' | 'retry') => {
    try {
      await api().invoke('sync.resolve', { mutationId: p.mutationId, resolution });
      await load();
    } catch (e) {
      setError(e);
    }
  };
  const title = (p: SyncProblem) => (p.status === 'conflict' ? t('status.problemConflict') : p.status === 'rejected' ? t('status.problemRejected') : t('status.problemStuck'));
  return (
    <Dialog title={t('status.problemsTitle')} onClose={onClose} wide footer={<button className="btn" onClick={onClose}>{t('common.close')}</button>}>
      {error !== null && <ErrorNotice error={toShownError(error)} />}
      {items?.length === 0 && <p>{t('status.noProblems')}</p>}
      {items?.map((p) => (
        <div key={p.mutationId} className="card card-pad stack" data-testid="sync-problem">
          <div className="row">
            <strong className="grow">{title(p)}</strong>
            <span className="faint">
              {formatDateTime(p.at)} · {t('status.attempts', { count: p.attempts })}
            </span>
          </div>
          <ErrorNotice error={p.error} kind="warn" />
          <div className="row">
            {p.target && (
              <button
                className="btn btn-sm"
                onClick={() => {
                  onClose();
                  useOffice.getState().setRoute({ name: 'documents', open: p.target! });
                }}
              >
                {t('status.openDocument')}
              </button>
            )}
            {p.status === 'stuck' ? (
              <button className="btn btn-sm btn-primary" onClick={() => void resolve(p, 'retry')}>
                {t('status.retry')}
              </button>
            ) : (
              <button className="btn btn-sm" onClick={() => void resolve(p, 'dismiss')}>
                {t('status.dismiss')}
              </button>
            )}
          </div>
        </div>
      ))}
    </Dialog>
  );
}

/** The last sync.progress of the round in flight (a large download says how far it is). */
function useSyncProgress(): EventPayload<'sync.progress'> | null {
  const [p, setP] = useState<EventPayload<'sync.progress'> | null>(null);
  useEffect(() => api().on('sync.progress', setP), []);
  return p;
}
