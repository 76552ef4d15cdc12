// One document beside the list: what it is, its local sync state, what may be done now (and why not), the form
// (Р-1, reconciliation halves or kense's service act), signatures with signer/ИИН/БИН/role/serial/time, history.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail, DocumentRef } from '../../../contract/ipc';
import { useQuery } from '../api/hooks';
import { api, useOffice } from '../state/store';
import { formatDateTime, formatDocNumber, formatMoney } from '../format/format';
import { ErrorNotice, toShownError } from '../ui/ErrorNotice';
import { Icon } from '../ui/icons';
import { R1View } from '../acts/R1View';
import { ReconciliationHalves } from '../acts/ReconciliationHalves';
import { StateBadge } from './badges';
import { Deadline } from './Home';

export function DocumentDetailPane({ docRef, onSign, onRefuse, onClose }: { docRef: DocumentRef; onSign(): void; onRefuse(): void; onClose(): void }) {
  const { t } = useTranslation();
  const q = useQuery('documents.get', docRef, { refreshOn: [docRef.kind, 'outbox'] });
  const [exporting, setExporting] = useState(false);
  const toast = useOffice((s) => s.toast);
  if (q.error) return <div className="section"><ErrorNotice error={q.error} /></div>;
  const d = q.data;
  if (!d || d.ref.id !== docRef.id) return <div className="empty">{t('common.loading')}</div>;
  const row = d.row;

  const exportPdf = async () => {
    setExporting(true);
    try {
      const data = await api().invoke('documents.exportData', docRef);
      const { documentPdf } = await import('../export/pdf');
      const bytes = await documentPdf(data, t);
      const saved = await api().invoke('files.save', { suggestedName: `${row.number.replace(/[^\p{L}\d._-]+/gu, '_')}.pdf`, mime: 'application/pdf', contentBase64: toBase64(bytes) });
      toast({ kind: 'ok', title: t('pdf.saved'), text: saved.path ?? undefined });
    } catch (e) {
      const err = toShownError(e);
      toast({ kind: 'error', title: t('common.error'), text: err.message });
    } finally {
      setExporting(false);
    }
  };

  return (
    <div data-testid="document-detail" data-local-state={row.localState} data-state={row.state}>
      <header className="detail-head">
        <div className="grow">
          <div className="faint">{t(`kind.${d.ref.kind}`)} · {t(`direction.${row.direction}`)}</div>
          <h2 className="mono" data-testid="detail-number" data-number={row.number}>{formatDocNumber(row.number)}</h2>
          <div className="row" style={{ marginTop: 6 }}>
            <StateBadge row={{ state: row.state, localState: row.localState }} />
            {row.awaitingSignature && row.localState === 'synced' && <StateBadge row={row} />}
            {row.deadline && row.awaitingSignature && <Deadline date={row.deadline} />}
          </div>
        </div>
        <button className="btn btn-sm" onClick={onClose} aria-label={t('detail.close')}>
          <Icon name="x" />
        </button>
      </header>
      <div className="detail-actions">
        {/* Sign and refuse are offered while the document waits for this user (disabled, with the reason, when a
            rule such as a blocked tariff stops them); a document already dealt with shows neither. */}
        {(row.awaitingSignature || d.sign.allowed) && <Action allowed={d.sign} label={t('detail.sign')} onClick={onSign} primary testId="detail-sign" kbd="S" />}
        {(row.awaitingSignature || d.refuse.allowed) && <Action allowed={d.refuse} label={t('detail.refuse')} onClick={onRefuse} testId="detail-refuse" kbd="R" danger />}
        <button className="btn" onClick={() => void exportPdf()} disabled={exporting} data-testid="detail-pdf">
          <Icon name="download" />
          {t('detail.exportPdf')}
        </button>
      </div>
      {!d.sign.allowed && d.sign.reason && row.awaitingSignature && (
        <div className="section" data-testid="sign-disabled-reason">
          <ErrorNotice error={d.sign.reason} kind="warn" />
        </div>
      )}
      {(row.localState === 'signed_locally' || row.localState === 'refused_locally') && (
        <div className="section">
          <div className="notice warn" data-testid="waiting-sync">
            <div className="grow">
              <strong>{t(`local.${row.localState}`)}</strong>
              <span>{row.localState === 'signed_locally' ? t('detail.waitingSync') : t('detail.refusedWaiting')}</span>
            </div>
          </div>
        </div>
      )}
      {d.problem && (
        <div className="section">
          <ErrorNotice error={d.problem.error} />
        </div>
      )}
      <div className="section">
        <dl className="kv">
          <dt>{t('detail.counterparty')}</dt>
          <dd>
            {row.counterpartyName} <span className="mono faint">{row.counterpartyIinBin}</span>
          </dd>
          <dt>{t('detail.amount')}</dt>
          <dd className="nowrap">{formatMoney(row.amount)}</dd>
          <dt>{t('detail.digest')}</dt>
          <dd className="mono" style={{ wordBreak: 'break-all' }}>{d.canonical.sha256}</dd>
          {refusalOf(d) && (
            <>
              <dt>{t('detail.refusal')}</dt>
              <dd>{refusalOf(d)}</dd>
            </>
          )}
        </dl>
      </div>
      <div className="section">
        <h3>{t('detail.signatures')}</h3>
        <Signatures d={d} />
      </div>
      <div className="section">
        <h3>{t('detail.form')}</h3>
        <DocumentForm d={d} />
      </div>
      <div className="section">
        <h3>{t('detail.history')}</h3>
        <ul className="timeline">
          {d.history.map((h, i) => (
            <li key={i}>
              <span className="faint nowrap">{formatDateTime(h.at)}</span>
              <span>
                <strong>{t(`detail.event.${h.event}`)}</strong>
                {h.who ? ` · ${h.who}` : ''}
                {h.text ? ` — ${h.text}` : ''}
              </span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function refusalOf(d: DocumentDetail): string | null {
  const x = d.data;
  const r = x.kind === 'act' ? x.act.refusal : x.kind === 'service_act' ? x.serviceAct.refusal : x.reconciliation.refusal;
  return r?.reason ?? null;
}

function Action({ allowed, label, onClick, primary, danger, testId, kbd }: { allowed: DocumentDetail['sign']; label: string; onClick(): void; primary?: boolean; danger?: boolean; testId: string; kbd: string }) {
  const reason = allowed.reason ? allowed.reason.message : undefined;
  return (
    <button className={`btn${primary ? ' btn-primary' : ''}${danger ? ' btn-danger' : ''}`} disabled={!allowed.allowed} onClick={onClick} title={reason} data-testid={testId} aria-keyshortcuts={kbd}>
      {label} <kbd>{kbd}</kbd>
    </button>
  );
}

/** One block per signature, the way the PDF prints it: who, as whom, with which certificate, when. */
function Signatures({ d }: { d: DocumentDetail }) {
  const { t } = useTranslation();
  if (d.signatures.length === 0) return <p className="muted">{t('detail.noSignatures')}</p>;
  return (
    <ul className="sig-list" data-testid="signatures">
      {d.signatures.map((s, i) => (
        <li key={i} className={`sig-block${s.pending ? ' pending' : ''}`}>
          <div className="sig-who">
            <Icon name="sign" className="sig-icon" />
            <div className="grow">
              <strong>{s.signerName}</strong>
              <div className="faint">
                {s.side === 'ours' ? t('detail.sideOurs') : t('detail.sideTheirs')} · {t(`detail.sigRole.${s.role}`)}
              </div>
            </div>
            {s.pending && <span className="badge pending">{t('detail.pending')}</span>}
          </div>
          <dl className="kv kv-tight">
            <dt>{t('detail.iinBin')}</dt>
            <dd className="mono">{[s.signerIin, s.signerBin].filter(Boolean).join(' / ') || '—'}</dd>
            <dt>{t('detail.serial')}</dt>
            <dd className="mono wrap-any">{s.certSerial ?? '—'}</dd>
            <dt>{t('detail.signedAt')}</dt>
            <dd>{formatDateTime(s.signedAt)}</dd>
            <dt>{t('detail.timestampAt')}</dt>
            <dd>{s.timestampAt ? formatDateTime(s.timestampAt) : <span className="faint">{s.pending ? t('detail.noTimestamp') : t('detail.timestampNone')}</span>}</dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}

function DocumentForm({ d }: { d: DocumentDetail }) {
  const { t } = useTranslation();
  const x = d.data;
  if (x.kind === 'act') return <R1View r1={x.act.r1} signatures={d.signatures} />;
  if (x.kind === 'reconciliation') return <ReconciliationHalves r={x.reconciliation} />;
  const s = x.serviceAct;
  return (
    <dl className="kv">
      <dt>{t('billing.amount')}</dt>
      <dd>{formatMoney(s.total)}</dd>
      <dt>{t('billing.vat', { rate: s.vatRate })}</dt>
      <dd>{formatMoney(s.vat)}</dd>
      <dt>{t('detail.deadline')}</dt>
      <dd>
        <Deadline date={s.deadline} />
      </dd>
    </dl>
  );
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
