// Reconciliation acts: the list (the documents list filtered to them), the two halves of the one opened, and a
// request for a new one with a counterparty for a period.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../api/hooks';
import { api, useOffice } from '../state/store';
import { formatDate, formatMoney } from '../format/format';
import { ErrorNotice, toShownError, type ShownError } from '../ui/ErrorNotice';
import { StateBadge } from './badges';
import { ReconciliationHalves } from '../acts/ReconciliationHalves';

export function Reconciliation() {
  const { t } = useTranslation();
  const list = useQuery('documents.list', { filter: { kinds: ['reconciliation'] }, limit: 200 }, { refreshOn: ['reconciliation', 'outbox'] });
  const [open, setOpen] = useState<string | null>(null);
  const detail = useQuery('documents.get', open ? { kind: 'reconciliation', id: open } : null, { refreshOn: ['reconciliation'] });
  const company = useOffice((s) => s.session?.company?.name);
  const x = detail.data?.data;
  return (
    <div className="page" data-testid="screen-reconciliation">
      <div className="page-head">
        <div className="grow">
          <h1>{t('recon.title')}</h1>
          <p className="page-sub">{t('recon.subtitle')}</p>
        </div>
      </div>
      <CreateReconciliation />
      {list.error && <ErrorNotice error={list.error} />}
      <div className="grid grid-2" style={{ gridTemplateColumns: 'minmax(320px, 1fr) 2fr' }}>
        <section className="card" aria-label={t('recon.title')}>
          <table className="table">
            <thead>
              <tr>
                <th>{t('docs.colNumber')}</th>
                <th>{t('docs.colCounterparty')}</th>
                <th className="num">{t('docs.colAmount')}</th>
                <th>{t('docs.colState')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.items.map((r) => (
                <tr key={r.id} aria-selected={open === r.id}>
                  <td className="nowrap">
                    <button className="link" onClick={() => setOpen(r.id)}>{r.number}</button>
                    <div className="faint">{formatDate(r.date)}</div>
                  </td>
                  <td>{r.counterpartyName}</td>
                  <td className="num">{formatMoney(r.amount)}</td>
                  <td><StateBadge row={r} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data?.items.length === 0 && <p className="empty">{t('recon.empty')}</p>}
        </section>
        <section className="card card-pad">
          {detail.error && <ErrorNotice error={detail.error} />}
          {x?.kind === 'reconciliation' ? (
            <>
              <ReconciliationHalves r={x.reconciliation} ourName={company} />
              <div className="row" style={{ marginTop: 12 }}>
                <button className="btn btn-primary" onClick={() => useOffice.getState().setRoute({ name: 'documents', open: { kind: 'reconciliation', id: x.reconciliation.id } })} disabled={!detail.data?.sign.allowed}>
                  {t('detail.sign')}
                </button>
              </div>
            </>
          ) : (
            <p className="empty">{t('docs.placeholder')}</p>
          )}
        </section>
      </div>
    </div>
  );
}

function CreateReconciliation() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [cp, setCp] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const toast = useOffice((s) => s.toast);
  const cps = useQuery('counterparties.list', { search: search || undefined, limit: 20 });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api().invoke('reconciliations.create', { counterpartyId: cp, periodFrom: from, periodTo: to });
      toast({ kind: 'ok', title: t('recon.created') });
    } catch (err) {
      setError(toShownError(err));
    }
  };
  return (
    <details className="card card-pad">
      <summary style={{ cursor: 'pointer', fontWeight: 600 }}>{t('recon.create')}</summary>
      <form className="row" style={{ alignItems: 'flex-end', marginTop: 10 }} onSubmit={submit}>
        <label className="field" style={{ minWidth: 260 }}>
          <span className="label">{t('recon.counterparty')}</span>
          <input className="input" type="search" placeholder={t('recon.searchCounterparty')} value={search} onChange={(e) => setSearch(e.target.value)} />
          <select className="input" value={cp} onChange={(e) => setCp(e.target.value)} aria-label={t('recon.counterparty')}>
            <option value="" />
            {cps.data?.items.map((c) => (
              <option key={c.id} value={c.id}>{c.name} — {c.iinBin}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="label">{t('recon.from')}</span>
          <input className="input" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label className="field">
          <span className="label">{t('recon.to')}</span>
          <input className="input" type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button className="btn btn-primary" type="submit" disabled={!cp || !from || !to}>{t('recon.create')}</button>
      </form>
      {error && <ErrorNotice error={error} />}
    </details>
  );
}
