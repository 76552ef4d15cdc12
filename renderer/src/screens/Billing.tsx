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
import { formatCount, formatDate, formatMoney, formatMonth } from '../format/format';
import { Card, PageHead } from '../ui/Card';
import { ErrorNotice, toShownError, type ShownError } from '../ui/ErrorNotice';
import { Dialog } from '../ui/Dialog';
import { Icon } from '../ui/icons';
import { StateBadge, SubscriptionBadge } from './badges';

export function Billing() {
  const { t } = useTranslation();
  const billing = useQuery('billing.get', {}, { refreshOn: ['subscription', 'invoice', 'tariff'] });
  const tariffs = useQuery('tariffs.list', {}, { refreshOn: ['tariff', 'subscription'] });
  const invoices = useQuery('invoices.list', { limit: 24 }, { refreshOn: ['invoice'] });
  const serviceActs = useQuery('documents.list', { filter: { kinds: ['service_act'] }, sort: { by: 'date', direction: 'desc' }, limit: 6 }, { refreshOn: ['service_act', 'outbox'] });
  const [changing, setChanging] = useState<Tariff | null>(null);
  const setRoute = useOffice((s) => s.setRoute);
  const b = billing.data;
  const sub = b?.subscription;
  const unpaid = invoices.data?.items.filter((x) => x.status !== 'paid') ?? [];
  const paid = invoices.data?.items.filter((x) => x.status === 'paid') ?? [];
  const due = unpaid.reduce((a, x) => a + x.total - x.paidAmount, 0);
  const capability = (x: string) => t(`billing.capability.${x}`, { defaultValue: x });
  return (
    <div className="page" data-testid="screen-billing">
      <PageHead title={t('billing.title')} sub={t('billing.subtitle')} />
      {billing.error && <ErrorNotice error={billing.error} />}
      {sub?.state === 'blocked' && (
        <div className="notice danger" role="alert" data-testid="billing-blocked">
          <div className="grow stack" style={{ gap: 6 }}>
            <div>
              <strong>{t('billing.blockedTitle')}</strong>
              <span>{t('billing.blockedText')}</span>
            </div>
            <span>{t('billing.blockedAction')}</span>
            {b?.blocked && (
              <div className="capabilities">
                <div>
                  <b>{t('billing.allowedTitle')}</b>
                  <ul>{b.blocked.allowed.map((x) => <li key={x} className="cap-yes">{capability(x)}</li>)}</ul>
                </div>
                <div>
                  <b>{t('billing.refusedTitle')}</b>
                  <ul>{b.blocked.refused.map((x) => <li key={x} className="cap-no">{capability(x)}</li>)}</ul>
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
          {b?.tariff ? (
            <>
              <div className="row">
                <span className="kpi-value">{b.tariff.name}</span>
                {sub && <SubscriptionBadge state={sub.state} blockedSince={sub.blockedSince} unpaid={sub.unpaidInvoiceIds.length} testId="billing-state" />}
              </div>
              <p className="muted">{t('billing.perMonth', { amount: formatMoney(b.tariff.pricePerMonth) })}</p>
              <TariffLimits tariff={b.tariff} />
            </>
          ) : (
            !billing.loading && <p className="muted">{t('billing.noSubscription')}</p>
          )}
          {b?.pendingTariff && sub?.pendingFrom && <div className="notice info"><div className="grow">{t('billing.pending', { date: formatDate(sub.pendingFrom), name: b.pendingTariff.name })}</div></div>}
        </section>
        <section className="card card-pad stack" aria-labelledby="h-due">
          <h2 id="h-due">{t('billing.toPay')}</h2>
          {invoices.data && (unpaid.length > 0 ? (
            <>
              <span className="kpi-value">{formatMoney(due)}</span>
              <span className={`badge ${unpaid.some((x) => x.status === 'overdue') ? 'danger' : 'warn'}`} style={{ alignSelf: 'flex-start' }}>
                {t('billing.due', { date: formatDate(unpaid.map((x) => x.dueOn).sort()[0]) })}
              </span>
              <p className="hint">{t('billing.toPayHint')}</p>
            </>
          ) : (
            <>
              <span className="kpi-value">{formatMoney(0)}</span>
              <p className="muted">{paid[0]?.paidAt ? t('billing.allPaidOn', { date: formatDate(paid[0].paidAt) }) : t('billing.noInvoices')}</p>
            </>
          ))}
        </section>
      </div>
      {unpaid.map((inv) => <UnpaidInvoice key={inv.id} inv={inv} />)}
      <Card title={t('billing.catalog')} actions={<span className="hint">{t('billing.catalogHint')}</span>}>
        {tariffs.error && <ErrorNotice error={tariffs.error} />}
        <table className="table">
          <thead>
            <tr>
              <th>{t('billing.colTariff')}</th>
              <th className="num">{t('billing.colPrice')}</th>
              <th className="num">{t('billing.colUsers')}</th>
              <th className="num">{t('billing.colDocs')}</th>
              <th className="num">{t('billing.colStorage')}</th>
              <th>{t('billing.modules')}</th>
              <th><span className="sr-only">{t('billing.colAction')}</span></th>
            </tr>
          </thead>
          <tbody>
            {tariffs.data?.items.filter((x) => !x.closedAt).map((x) => (
              <tr key={x.id} className={x.id === tariffs.data?.currentId ? 'current' : undefined}>
                <td><strong>{x.name}</strong></td>
                <td className="num">{formatMoney(x.pricePerMonth)}</td>
                <td className="num">{formatCount(x.limits.users)}</td>
                <td className="num">{formatCount(x.limits.outgoingDocumentsPerMonth)}</td>
                <td className="num">{t('billing.gb', { gb: x.limits.storageGb })}</td>
                <td>{x.modules.map((m) => t(`billing.module.${m}`)).join(', ')}</td>
                <td className="num">
                  {x.id === tariffs.data?.currentId ? (
                    <span className="badge ok">{t('billing.isCurrent')}</span>
                  ) : x.id === tariffs.data?.pendingId ? (
                    <span className="badge info">{t('billing.isPending')}</span>
                  ) : (
                    <button className="btn btn-sm" onClick={() => setChanging(x)}>{t('billing.choose')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <div className="grid grid-2">
        <Card title={t('billing.history')}>
          {invoices.error && <ErrorNotice error={invoices.error} />}
          {invoices.data && paid.length === 0 && <p className="muted">{t('billing.noPaid')}</p>}
          {paid.length > 0 && (
            <table className="table" data-testid="invoices-paid">
              <thead>
                <tr>
                  <th>{t('billing.colInvoice')}</th>
                  <th>{t('billing.colPeriod')}</th>
                  <th className="num">{t('billing.amount')}</th>
                  <th>{t('billing.colPaid')}</th>
                </tr>
              </thead>
              <tbody>
                {paid.map((inv) => (
                  <tr key={inv.id} data-testid="invoice">
                    <td className="mono nowrap">{inv.number}</td>
                    <td>{formatMonth(inv.period)}</td>
                    <td className="num">{formatMoney(inv.total)}</td>
                    <td className="nowrap">{inv.paidAt ? formatDate(inv.paidAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title={t('billing.serviceActs')} bodyClassName="stack">
          <p className="hint">{t('billing.serviceActsHint')}</p>
          {serviceActs.error && <ErrorNotice error={serviceActs.error} />}
          {serviceActs.data?.items.length === 0 && <p className="muted">{t('billing.noServiceActs')}</p>}
          {serviceActs.data && serviceActs.data.items.length > 0 && (
            <table className="table">
              <tbody>
                {serviceActs.data.items.map((r) => (
                  <tr key={r.id}>
                    <td className="nowrap">
                      <button className="link" onClick={() => setRoute({ name: 'documents', tab: 'all', open: { kind: r.kind, id: r.id } })}>{r.number}</button>
                      <div className="faint">{formatDate(r.date)}</div>
                    </td>
                    <td className="num">{formatMoney(r.amount)}</td>
                    <td><StateBadge row={r} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
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

function UnpaidInvoice({ inv }: { inv: Invoice }) {
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
    <section className={`card invoice-due ${inv.status}`} aria-label={t('billing.invoice', { number: inv.number, period: formatMonth(inv.period) })} data-testid="invoice">
      <div className="card-head">
        <h2 className="grow">{t('billing.invoice', { number: inv.number, period: formatMonth(inv.period) })}</h2>
        <span className={`badge ${inv.status === 'overdue' ? 'danger' : 'warn'}`}>{t(`billing.invStatus.${inv.status}`)}</span>
        <span className="faint">{t('billing.due', { date: formatDate(inv.dueOn) })}</span>
      </div>
      <div className="card-body stack">
        {inv.paidAmount > 0 && <p className="hint">{t('billing.paidPart', { paid: formatMoney(inv.paidAmount), total: formatMoney(inv.total) })}</p>}
        <h3>{t('billing.paymentDetails')}</h3>
        <dl className="kv">
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
      </div>
    </section>
  );
}
