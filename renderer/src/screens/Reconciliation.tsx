// Reconciliation acts: the list (the documents list filtered to them), the two halves of the one opened with the
// differences marked, signing or refusing it right here, and a request for a new one with a counterparty for a period.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHead } from '../ui/Card';
import type { DocumentRef } from '../../../contract/ipc';
import { useQuery } from '../api/hooks';
import { api, useOffice } from '../state/store';
import { formatDocNumber, formatMoney } from '../format/format';
import { ErrorNotice, toShownError, type ShownError } from '../ui/ErrorNotice';
import { Dialog } from '../ui/Dialog';
import { Icon } from '../ui/icons';
import { StateBadge } from './badges';
import { ReconciliationHalves } from '../acts/ReconciliationHalves';
import { RefuseDialog, SignDialog } from './SignDialogs';
import { Deadline } from './Home';

export function Reconciliation() {
  const { t } = useTranslation();
  const list = useQuery('documents.list', { filter: { kinds: ['reconciliation'] }, limit: 200 }, { refreshOn: ['reconciliation', 'outbox'] });
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [signing, setSigning] = useState<DocumentRef | null>(null);
  const [refusing, setRefusing] = useState<DocumentRef | null>(null);
  const detail = useQuery('documents.get', open ? { kind: 'reconciliation', id: open } : null, { refreshOn: ['reconciliation', 'outbox'] });
  const company = useOffice((s) => s.session?.company?.name);
  const d = detail.data;
  const x = d?.data;
  const ref: DocumentRef | null = open ? { kind: 'reconciliation', id: open } : null;
  return (
    <div className="page" data-testid="screen-reconciliation">
      <PageHead
        title={t('recon.title')}
        sub={t('recon.subtitle')}
        actions={
          <button className="btn btn-primary" onClick={() => setCreating(true)} data-testid="recon-create">
            {t('recon.create')}
          </button>
        }
      />
      {list.error && <ErrorNotice error={list.error} />}
      <div className="master-detail">
        <section className="card list-card" aria-label={t('recon.listLabel')}>
          {list.data?.items.length === 0 && (
            <div className="empty-state">
              <Icon name="reconciliation" />
              <strong>{t('recon.empty')}</strong>
              <span>{t('recon.emptyHint')}</span>
            </div>
          )}
          <ul className="pick-list">
            {list.data?.items.map((r) => (
              <li key={r.id}>
                <button className="pick" aria-current={open === r.id ? 'true' : undefined} onClick={() => setOpen(r.id)} data-testid="recon-row">
                  <span className="pick-title">{r.counterpartyName}</span>
                  <span className="pick-end num">{formatMoney(r.amount)}</span>
                  <span className="faint nowrap">{formatDocNumber(r.number)}</span>
                  <span className="pick-end"><StateBadge row={r} /></span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="card detail" aria-live="polite">
          {detail.error && <div className="section"><ErrorNotice error={detail.error} /></div>}
          {x?.kind === 'reconciliation' && d && ref ? (
            <>
              <header className="detail-head">
                <div className="grow">
                  <div className="faint">{t('kind.reconciliation')} · {x.reconciliation.counterpartyIinBin}</div>
                  <h2>{x.reconciliation.counterpartyName}</h2>
                  <div className="row" style={{ marginTop: 6 }}>
                    <StateBadge row={{ state: d.row.state, localState: d.row.localState }} />
                    {d.row.awaitingSignature && <Deadline date={x.reconciliation.deadline} />}
                  </div>
                </div>
              </header>
              {(d.row.awaitingSignature || d.sign.allowed || d.refuse.allowed) && (
                <div className="detail-actions">
                  <button className="btn btn-primary" onClick={() => setSigning(ref)} disabled={!d.sign.allowed} title={d.sign.reason?.message}>
                    {t('detail.sign')}
                  </button>
                  <button className="btn btn-danger" onClick={() => setRefusing(ref)} disabled={!d.refuse.allowed} title={d.refuse.reason?.message}>
                    {t('detail.refuse')}
                  </button>
                </div>
              )}
              {!d.sign.allowed && d.sign.reason && d.row.awaitingSignature && (
                <div className="section"><ErrorNotice error={d.sign.reason} kind="warn" /></div>
              )}
              {d.problem && <div className="section"><ErrorNotice error={d.problem.error} /></div>}
              <div className="section">
                <ReconciliationHalves r={x.reconciliation} ourName={company} />
              </div>
            </>
          ) : (
            !detail.error && (
              <div className="empty-state">
                <Icon name="reconciliation" />
                <strong>{t('recon.placeholderTitle')}</strong>
                <span>{t('recon.placeholder')}</span>
              </div>
            )
          )}
        </section>
      </div>
      {creating && <CreateReconciliation onClose={() => setCreating(false)} />}
      {signing && <SignDialog items={[signing]} onClose={() => setSigning(null)} />}
      {refusing && <RefuseDialog docRef={refusing} onClose={() => setRefusing(null)} />}
    </div>
  );
}

function CreateReconciliation({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [cp, setCp] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const toast = useOffice((s) => s.toast);
  const cps = useQuery('counterparties.list', { search: search || undefined, limit: 20 });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await api().invoke('reconciliations.create', { counterpartyId: cp, periodFrom: from, periodTo: to });
      toast({ kind: 'ok', title: t('recon.created') });
      onClose();
    } catch (err) {
      setError(toShownError(err));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('recon.create')}
      onClose={onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose}>{t('common.cancel')}</button>
          <button className="btn btn-primary" type="submit" form="recon-form" disabled={busy || !cp || !from || !to}>{t('recon.send')}</button>
        </>
      }
    >
      <form id="recon-form" className="stack" onSubmit={submit}>
        <p className="hint">{t('recon.createHint')}</p>
        <div className="field">
          <label htmlFor="recon-search">{t('recon.counterparty')}</label>
          <input id="recon-search" className="input" type="search" placeholder={t('recon.searchCounterparty')} value={search} onChange={(e) => setSearch(e.target.value)} data-autofocus />
          <select className="input" value={cp} onChange={(e) => setCp(e.target.value)} aria-label={t('recon.counterparty')} size={5}>
            {cps.data?.items.map((c) => (
              <option key={c.id} value={c.id}>{c.name} — {c.iinBin}</option>
            ))}
          </select>
        </div>
        <div className="row">
          <label className="field grow">
            <span className="label">{t('recon.from')}</span>
            <input className="input" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label className="field grow">
            <span className="label">{t('recon.to')}</span>
            <input className="input" type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
          </label>
        </div>
        {error && <ErrorNotice error={error} />}
      </form>
    </Dialog>
  );
}
