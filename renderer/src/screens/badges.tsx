// The state of a document as one badge: the local overlay (waiting to sync, conflict, rejected) wins over the
// server's state, because that is what the director must know first.
import { useTranslation } from 'react-i18next';
import type { DocumentRow } from '../../../contract/ipc';
import { formatDate } from '../format/format';

const SERVER_TONE: Record<string, string> = {
  signed_by_both: 'ok', signed: 'ok', deemed_accepted: 'ok', signed_by_us: 'info', signed_by_them: 'info',
  refused: 'danger', withdrawn: 'danger', draft: '', sent: '', delivered: '', viewed: '', issued: 'warn',
};
const LOCAL_TONE: Record<string, string> = { signed_locally: 'pending', refused_locally: 'pending', sync_conflict: 'danger', sync_rejected: 'danger' };

/** Awaiting the director's signature says so (an outgoing draft or an incoming act they signed) — that is the news. */
type BadgeRow = Pick<DocumentRow, 'state' | 'localState'> & { awaitingSignature?: boolean };
export function StateBadge({ row }: { row: BadgeRow }) {
  const { t } = useTranslation();
  if (row.localState !== 'synced') {
    return (
      <span className={`badge ${LOCAL_TONE[row.localState]}`} data-testid="local-state" data-local-state={row.localState}>
        {t(`local.${row.localState}`)}
      </span>
    );
  }
  if (row.awaitingSignature) {
    return (
      <span className="badge warn" data-state={row.state} title={t(`state.${row.state}`)}>
        {t('local.awaiting_you')}
      </span>
    );
  }
  return (
    <span className={`badge ${SERVER_TONE[row.state] ?? ''}`} data-state={row.state}>
      {t(`state.${row.state}`)}
    </span>
  );
}

/** The subscription's state in words: active, an unpaid invoice (warning), or blocked since a date. */
export function SubscriptionBadge({ state, blockedSince, unpaid, testId }: { state: 'active' | 'warning' | 'blocked'; blockedSince: string | null; unpaid: number; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${state === 'active' ? 'ok' : state === 'warning' ? 'warn' : 'danger'}`} data-testid={testId} style={{ alignSelf: 'flex-start' }}>
      {state === 'active' ? t('home.tariffActive') : state === 'warning' ? t('home.tariffWarning', { count: unpaid }) : t('home.tariffBlocked', { date: blockedSince ? formatDate(blockedSince) : '' })}
    </span>
  );
}
