// Billing: current tariff and limits, the catalog and plan change (effective on the 1st), invoices with copyable
// payment details, kense's monthly service acts, and — when blocked — what still works and what does not.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { zInvoice, zTariff } from '../../../contract/cloud';

type Invoice = z.infer<typeof zInvoice>;
type Tariff = z.infer<typeof zTariff>;
import { useQuery } from '../api/hooks';
import { api, useOffice } from '../state/store';
import { formatDate, formatMoney, formatMonth } from '../format/format';
import { ErrorNotice, toShownError, type ShownError } from '../ui/ErrorNotice';
import { Dialog } from '../ui/Dialog';
import { Icon } from '../ui/icons';

export function Billing() {
  const { t } = useTranslation();
  const billing = useQuery('billing.get', {}, { refreshOn: ['subscription', 'invoice', 'tariff'] });
  const tariffs = useQuery('tariffs.list', {}, { refreshOn: ['tariff', 'subscription'] });
  const invoices = useQuery('invoices.list', { limit: 24 }, { refreshOn: ['invoice'] });
  const [changing, setChanging] = useState<Tariff | null>(null);
  const b = billing.data;
  const sub = b?.subscription;
  return (
    <div className="page" data-testid="screen-billing">
      <div className="page-head">
        <h1 className="grow">{t('billing.title')}</h1>
      </div>
      {billing.error && <ErrorNotice error={billing.error} />}
      {sub?.state === 'blocked' && (
        <div className="notice danger" role="alert" data-testid="billing-blocked">
          <div className="grow">
            <strong>{t('billing.blockedTitle')}</strong>
            <p>{t('billing.blockedText')}</p>
            <p>{t('billing.blockedAction')}</p>
            {b?.blocked && (
              <div className="grid grid-2" style={{ marginTop: 8 }}>
                <div>
                  <b>{t('billing.allowedTitle')}</b>
                  <ul>{b.blocked.allowed.map((x) => <li key={x}>{x}</li>)}</ul>
                </div>
                <div>
                  <b>{t('billing.refusedTitle')}</b>
                  <ul>{b.blocked.refused.map((x) => <li key={x}>{x}</li>)}</ul>
                </div>
              </div>
            )}
          </div>
        </div>
      )}
      {sub?.state === 'warning' && b && b.unpaidInvoices[0] && (
        <div className="notice warn" role="status">
          <div className="grow">
            <strong>{t('billing.warningTitle')}</strong>
            <span>{t('billing.warningText', { date: formatDate(b.unpaidInvoices[0].dueOn) })}</span>
          </div>
        </div>
      )}
      <div className="grid grid-3">
        <section className="card card-pad stack" aria-labelledby="h-current">
          <h2 id="h-current">{t('billing.current')}</h2>
          {b?.tariff && (
            <>
              <div className="row">
                <span className="kpi-value">{b.tariff.name}</span>
                <span className={`badge ${sub?.state === 'active' ? 'ok' : sub?.state === 'warning' ? 'warn' : 'danger'}`}>
                  {sub?.state === 'active' ? t('billing.active') : sub?.state === 'blocked' ? t('home.tariffBlocked', { date: sub.blockedSince ? formatDate(sub.blockedSince) : '' }) : t('billing.warningTitle')}
                </span>
              </div>
              <p className="muted">{t('billing.perMonth', { amount: formatMoney(b.tariff.pricePerMonth) })}</p>
              <TariffLimits tariff={b.tariff} />
            </>
          )}
          {b?.pendingTariff && sub?.pendingFrom && <div className="notice info"><div className="grow">{t('billing.pending', { date: formatDate(sub.pendingFrom), name: b.pendingTariff.name })}</div></div>}
        </section>
        <section className="card card-pad stack" aria-labelledby="h-catalog">
          <h2 id="h-catalog">{t('billing.catalog')}</h2>
          {tariffs.data?.items.filter((x) => !x.closedAt).map((x) => (
            <div key={x.id} className="row">
              <span className="grow">
                <strong>{x.name}</strong>
                <span className="hint" style={{ display: 'block' }}>{t('billing.perMonth', { amount: formatMoney(x.pricePerMonth) })}</span>
              </span>
              {x.id === tariffs.data?.currentId ? (
                <span className="badge ok">{t('billing.isCurrent')}</span>
              ) : x.id === tariffs.data?.pendingId ? (
                <span className="badge info">{t('billing.isPending')}</span>
              ) : (
                <button className="btn btn-sm" onClick={() => setChanging(x)}>{t('billing.choose')}</button>
              )}
            </div>
          ))}
        </section>
      </div>
      <section className="card" aria-labelledby="h-invoices">
        <div className="card-head">
          <h2 id="h-invoices">{t('billing.invoices')}</h2>
        </div>
        <div className="card-body stack">
          {invoices.error && <ErrorNotice error={invoices.error} />}
          {invoices.data?.items.length === 0 && <p className="muted">{t('billing.noInvoices')}</p>}
          {invoices.data?.items.map((inv) => <InvoiceCard key={inv.id} inv={inv} />)}
        </div>
      </section>
      <section className="card card-pad stack" aria-labelledby="h-sa">
        <h2 id="h-sa">{t('billing.serviceActs')}</h2>
        <p className="hint">{t('billing.serviceActsHint')}</p>
        <button className="btn" style={{ alignSelf: 'flex-start' }} onClick={() => useOffice.getState().setRoute({ name: 'documents', tab: 'awaiting' })}>
          {t('nav.documents')}
        </button>
      </section>
      {changing && <ChangeTariff tariff={changing} onClose={() => setChanging(null)} />}
    </div>
  );
}

function TariffLimits({ tariff }: { tariff: Tariff }) {
  const { t } = useTranslation();
  return (
    <ul className="stack" style={{ gap: 4, paddingLeft: 18, margin: 0 }}>
      <li>{t('billing.users', { count: tariff.limits.users })}</li>
      <li>{t('billing.docsPerMonth', { count: tariff.limits.outgoingDocumentsPerMonth })}</li>
      <li>{t('billing.storage', { gb: tariff.limits.storageGb })}</li>
      <li>
        {t('billing.modules')}: {tariff.modules.map((m) => t(`billing.module.${m}`)).join(', ')}
      </li>
    </ul>
  );
}

function nextFirst(): string {
  const d = new Date(Date.now() + 5 * 3600_000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

function ChangeTariff({ tariff, onClose }: { tariff: Tariff; onClose(): void }) {
  const { t } = useTranslation();
  const toast = useOffice((s) => s.toast);
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      const r = await api().invoke('tariffs.change', { tariffId: tariff.id });
      toast({ kind: 'ok', title: t('billing.changed', { date: formatDate(r.effectiveFrom) }) });
      onClose();
    } catch (e) {
      setError(toShownError(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('billing.changeTitle')} onClose={onClose} footer={<><button className="btn" onClick={onClose}>{t('common.cancel')}</button><button className="btn btn-primary" disabled={busy} onClick={() => void go()}>{t('billing.choose')}</button></>}>
      <p>{t('billing.changeText', { name: tariff.name, date: formatDate(nextFirst()) })}</p>
      <TariffLimits tariff={tariff} />
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}

function InvoiceCard({ inv }: { inv: Invoice }) {
  const { t } = useTranslation();
  const toast = useOffice((s) => s.toast);
  const copy = (what: string, value: string) => {
    void navigator.clipboard?.writeText(value).then(
      () => toast({ kind: 'info', title: t('billing.copied', { what }) }),
      () => undefined,
    );
  };
  const p = inv.payment;
  const field = (label: string, value: string) => (
    <>
      <dt>{label}</dt>
      <dd className="copy">
        <span className="mono">{value}</span>
        <button className="btn btn-sm" onClick={() => copy(label, value)} aria-label={t('billing.copy', { what: label })}>
          <Icon name="copy" />
        </button>
      </dd>
    </>
  );
  return (
    <details className="card card-pad" open={inv.status !== 'paid'} data-testid="invoice">
      <summary className="row" style={{ cursor: 'pointer' }}>
        <strong className="grow">{t('billing.invoice', { number: inv.number, period: formatMonth(inv.period) })}</strong>
        <span className="num">{formatMoney(inv.total)}</span>
        <span className={`badge ${inv.status === 'paid' ? 'ok' : inv.status === 'overdue' ? 'danger' : 'warn'}`}>{t(`billing.invStatus.${inv.status}`)}</span>
        <span className="faint">{inv.status === 'paid' && inv.paidAt ? t('billing.paid', { date: formatDate(inv.paidAt) }) : t('billing.due', { date: formatDate(inv.dueOn) })}</span>
      </summary>
      {inv.status !== 'paid' && inv.paidAmount > 0 && <p className="hint">{t('billing.paidPart', { paid: formatMoney(inv.paidAmount), total: formatMoney(inv.total) })}</p>}
      <h3 style={{ marginTop: 10 }}>{t('billing.paymentDetails')}</h3>
      <dl className="kv" style={{ marginTop: 6 }}>
        <dt>{t('billing.beneficiary')}</dt>
        <dd>{p.beneficiary}</dd>
        {field(t('billing.bin'), p.bin)}
        {field(t('billing.iik'), p.iik)}
        <dt>{t('billing.bank')}</dt>
        <dd>{p.bank}</dd>
        {field(t('billing.bik'), p.bik)}
        {field(t('billing.kbe'), p.kbe)}
        {field(t('billing.knp'), p.knp)}
        {field(t('billing.purpose'), p.purpose)}
        {field(t('billing.amount'), formatMoney(inv.total - inv.paidAmount, { currency: false }).replace(/\u00a0/g, ''))}
        <dt>{t('billing.vat', { rate: inv.vatRate })}</dt>
        <dd>{formatMoney(inv.vat)}</dd>
      </dl>
    </details>
  );
}
