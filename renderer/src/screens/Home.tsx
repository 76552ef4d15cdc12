// What the director sees every morning: money, sales, receivables/payables aging and top debtors (each snapshot with
// its "as of" time and whether it is stale), documents awaiting signature with deadlines, tariff state, certificates.
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationOutput } from '../../../contract/ipc';
import { useQuery } from '../api/hooks';
import { useOffice } from '../state/store';
// ECharts is a third of the office's code: it loads after the home screen is up, the charts' boxes waiting for it.
const Chart = lazy(() => import('../charts/Chart').then((m) => ({ default: m.Chart })));
import type { EChartsCoreOption } from 'echarts/core';
import { daysUntil, formatDate, formatDateTime, formatDocNumber, formatMoney, formatMoneyShort, formatMonth } from '../format/format';
import { Card, PageHead } from '../ui/Card';
import { ErrorNotice } from '../ui/ErrorNotice';
import { StateBadge, SubscriptionBadge } from './badges';

type HomeData = OperationOutput<'home.get'>;
type Snapshot = { asOf: string; stale: boolean } | null;

function AsOf({ s }: { s: Snapshot }) {
  const { t } = useTranslation();
  if (!s) return null;
  return (
    <span className={`asof${s.stale ? ' stale' : ''}`} data-testid="asof">
      {t('home.asOf', { time: formatDateTime(s.asOf) })}
      {s.stale ? ` · ${t('home.stale')}` : ''}
    </span>
  );
}

export function Home() {
  const { t } = useTranslation();
  const session = useOffice((s) => s.session);
  const home = useQuery('home.get', {}, { refreshOn: ['dashboard', 'act', 'service_act', 'reconciliation', 'subscription', 'invoice', 'outbox'] });
  const d = home.data;
  useEffect(() => {
    if (d && !performance.getEntriesByName('kense:home-data').length) performance.mark('kense:home-data');
  }, [d]);
  return (
    <div className="page" data-testid="screen-home" data-ready={d ? 'yes' : undefined}>
      <PageHead title={t('home.greeting', { name: session?.profile?.userName ?? '' })} sub={session?.company?.name} />
      {home.error && <ErrorNotice error={home.error} />}
      {d && <Dashboard d={d} />}
    </div>
  );
}

function Dashboard({ d }: { d: HomeData }) {
  const { t } = useTranslation();
  const setRoute = useOffice((s) => s.setRoute);
  // A viewer's role shows no acts: no "awaiting your signature" for them.
  const canActs = useOffice((s) => s.session?.permissions.includes('acts.read') ?? false);
  const canBilling = useOffice((s) => s.session?.permissions.includes('billing.read') ?? false);
  const plan = useQuery('billing.get', canBilling ? {} : null, { refreshOn: ['subscription', 'invoice', 'tariff'] });
  const units = { thousand: t('home.units.thousand'), million: t('home.units.million'), billion: t('home.units.billion') };
  const short = (v: number) => formatMoneyShort(v, units);

  const cashOption = useMemo(() => {
    if (!d.money) return null;
    const days = d.money.data.daily.slice(-30);
    return {
      grid: { left: 56, right: 12, top: 28, bottom: 26 },
      legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatMoney(Math.round(v)) },
      xAxis: { type: 'category', data: days.map((x) => formatDate(x.date).slice(0, 5)), axisTick: { show: false } },
      yAxis: { type: 'value', axisLabel: { formatter: short }, splitLine: { lineStyle: { color: '#eef1f4' } } },
      series: [
        { name: t('home.inflow'), type: 'bar', data: days.map((x) => x.inflow), barMaxWidth: 10 },
        { name: t('home.outflow'), type: 'bar', data: days.map((x) => x.outflow), barMaxWidth: 10, itemStyle: { color: '#f0a020' } },
      ],
    };
  }, [d.money, t]);

  const salesOption = useMemo(() => {
    if (!d.sales) return null;
    const months = d.sales.data.byMonth.slice(-12);
    return {
      grid: { left: 56, right: 12, top: 16, bottom: 26 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatMoney(Math.round(v)) },
      xAxis: { type: 'category', data: months.map((m) => formatMonth(m.month)), axisTick: { show: false } },
      yAxis: { type: 'value', axisLabel: { formatter: short }, splitLine: { lineStyle: { color: '#eef1f4' } } },
      series: [{ name: t('home.revenue'), type: 'line', smooth: true, areaStyle: { opacity: 0.12 }, data: months.map((m) => m.amount), symbolSize: 5 }],
    };
  }, [d.sales, t]);

  const agingOption = useMemo(() => {
    const r = d.receivables?.data.aging, p = d.payables?.data.aging;
    if (!r && !p) return null;
    const cats = ['0–30', '31–60', '61–90', '90+'];
    const row = (a: typeof r) => (a ? [a.d0_30, a.d31_60, a.d61_90, a.d90_plus] : []);
    return {
      grid: { left: 56, right: 12, top: 28, bottom: 26 },
      legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatMoney(Math.round(v)) },
      xAxis: { type: 'category', data: cats, axisTick: { show: false } },
      yAxis: { type: 'value', axisLabel: { formatter: short }, splitLine: { lineStyle: { color: '#eef1f4' } } },
      series: [
        { name: t('home.receivables'), type: 'bar', data: row(r), barMaxWidth: 22 },
        { name: t('home.payables'), type: 'bar', data: row(p), barMaxWidth: 22, itemStyle: { color: '#7a5af8' } },
      ],
    };
  }, [d.receivables, d.payables, t]);

  return (
    <>
      {d.billing && d.billing.state !== 'active' && (
        <div className={`notice ${d.billing.state === 'blocked' ? 'danger' : 'warn'}`} role="status" data-testid="home-billing-notice">
          <div className="grow">
            <strong>{d.billing.state === 'blocked' ? t('billing.blockedTitle') : t('billing.warningTitle')}</strong>
            <span>{d.billing.state === 'blocked' ? t('billing.blockedText') : t('home.tariffWarning', { count: d.billing.unpaidInvoices })}</span>
          </div>
          {useOffice.getState().session?.permissions.includes('billing.read') && (
            <button className="btn btn-sm" onClick={() => setRoute({ name: 'billing' })}>{t('nav.billing')}</button>
          )}
        </div>
      )}
      <div className="grid grid-kpi">
        <Kpi label={t('home.moneyTotal')} value={d.money ? formatMoney(d.money.data.total) : null} foot={<AsOf s={d.money} />} testId="kpi-money" />
        <Kpi label={t('home.sales12')} value={d.sales ? formatMoney(d.sales.data.total12m) : null} foot={<AsOf s={d.sales} />} />
        <Kpi
          label={t('home.receivables')}
          value={d.receivables ? formatMoney(d.receivables.data.total) : null}
          foot={d.receivables ? <span className="asof">{t('home.overdue', { amount: formatMoney(d.receivables.data.overdue) })}</span> : null}
        />
        <Kpi
          label={t('home.payables')}
          value={d.payables ? formatMoney(d.payables.data.total) : null}
          foot={d.payables ? <span className="asof">{t('home.overdue', { amount: formatMoney(d.payables.data.overdue) })}</span> : null}
        />
      </div>
      <div className={canActs ? 'grid grid-3' : 'grid grid-narrow'}>
        {canActs && (
          <Card
            title={<>{t('home.awaiting')} <span className="badge count">{d.awaiting.count}</span></>}
            actions={<button className="btn btn-sm" onClick={() => setRoute({ name: 'documents', tab: 'awaiting' })}>{t('home.openAll')}</button>}
            testId="home-awaiting"
          >
            {d.awaiting.items.length === 0 ? (
              <p className="muted">{t('home.awaitingEmpty')}</p>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('docs.colNumber')}</th>
                    <th>{t('docs.colCounterparty')}</th>
                    <th className="num">{t('docs.colAmount')}</th>
                    <th>{t('detail.deadline')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.awaiting.items.slice(0, 6).map((r) => (
                    <tr key={r.id}>
                      <td className="nowrap">
                        <button className="link" onClick={() => setRoute({ name: 'documents', tab: 'awaiting', open: { kind: r.kind, id: r.id } })}>{formatDocNumber(r.number)}</button>
                        <div className="faint">{t(`kind.${r.kind}`)}</div>
                      </td>
                      <td>{r.counterpartyName}</td>
                      <td className="num">{formatMoney(r.amount)}</td>
                      <td className="nowrap">
                        {r.deadline ? <Deadline date={r.deadline} /> : '—'}
                        {r.localState !== 'synced' && <div><StateBadge row={r} /></div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        )}
        <Card title={t('home.tariff')} bodyClassName="stack">
          {d.billing ? (
            <SubscriptionBadge state={d.billing.state} blockedSince={d.billing.blockedSince} unpaid={d.billing.unpaidInvoices} testId="home-tariff-state" />
          ) : (
            <span className="muted">{t('home.noData')}</span>
          )}
          {plan.data?.tariff && (
            <div className="row" style={{ justifyContent: 'space-between' }}>
              <span>
                <strong>{plan.data.tariff.name}</strong>
                <span className="faint"> · {t('billing.perMonth', { amount: formatMoney(plan.data.tariff.pricePerMonth) })}</span>
              </span>
              <button className="link" onClick={() => setRoute({ name: 'billing' })}>{t('home.openBilling')}</button>
            </div>
          )}
          {plan.data?.unpaidInvoices[0] && (
            <p className="hint">{t('home.nextInvoice', { amount: formatMoney(plan.data.unpaidInvoices[0].total - plan.data.unpaidInvoices[0].paidAmount), date: formatDate(plan.data.unpaidInvoices[0].dueOn) })}</p>
          )}
          {canActs && <h3>{t('home.certificates')}</h3>}
          {canActs && d.certificates.length === 0 && <p className="hint">{t('home.noCertificates')}</p>}
          {d.certificates.map((c) => (
            <div key={c.serial} className="stack" style={{ gap: 2 }}>
              <strong>{c.commonName ?? c.serial}</strong>
              <span className="mono faint">{c.serial}</span>
              <span className={c.daysLeft < 30 ? 'badge warn' : 'badge ok'}>{c.daysLeft < 0 ? t('home.certExpired') : t('home.certDays', { count: c.daysLeft })}</span>
              {c.warning && <ErrorNotice error={c.warning} kind="warn" />}
            </div>
          ))}
        </Card>
      </div>
      <div className="grid grid-2">
        <ChartCard title={t('home.cashflow')} snap={d.money} option={cashOption} />
        <ChartCard title={t('home.sales')} snap={d.sales} option={salesOption} />
        <ChartCard title={`${t('home.receivables')} / ${t('home.payables')} — ${t('home.aging')}`} snap={d.receivables} option={agingOption} />
        <Card title={t('home.topDebtors')} actions={<AsOf s={d.receivables} />}>
          {!d.receivables ? (
            <p className="muted">{t('home.noData')}</p>
          ) : (
            <table className="table">
              <tbody>
                {d.receivables.data.top.slice(0, 6).map((x) => (
                  <tr key={x.iinBin}>
                    <td>
                      {x.name}
                      <div className="faint mono">{x.iinBin}</div>
                    </td>
                    <td className="num">
                      {formatMoney(x.amount)}
                      {x.overdue > 0 && <div className="faint">{t('home.overdue', { amount: formatMoney(x.overdue) })}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}

export function Deadline({ date }: { date: string }) {
  const { t } = useTranslation();
  const left = daysUntil(date);
  return (
    <span className={left < 0 ? 'badge danger' : left <= 2 ? 'badge warn' : 'badge'}>
      {t('home.deadline', { date: formatDate(date) })}
      {' · '}
      {left < 0 ? t('detail.deadlinePassed') : t('detail.deadlineLeft', { count: left })}
    </span>
  );
}

function Kpi({ label, value, foot, testId }: { label: string; value: string | null; foot?: React.ReactNode; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className="card kpi" data-testid={testId}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value ?? t('home.noData')}</div>
      <div className="kpi-foot">{foot}</div>
    </div>
  );
}

function ChartCard({ title, snap, option }: { title: string; snap: Snapshot; option: EChartsCoreOption | null }) {
  const { t } = useTranslation();
  return (
    <Card title={title} actions={<AsOf s={snap} />}>
      {option ? (
        <Suspense fallback={<div className="chart chart-loading" role="img" aria-label={title} />}>
          <Chart option={option} label={title} />
        </Suspense>
      ) : (
        <p className="muted">{t('home.noData')}</p>
      )}
    </Card>
  );
}
