// The act of completed works in the layout of form Р-1 (Order № 562, Appendix 50), from the signed data as is.
import { useTranslation } from 'react-i18next';
import type { R1 } from '../../../contract/cloud/acts';
import type { SignatureView } from '../../../contract/ipc';
import { formatDate, formatDateTime, formatMoney } from '../format/format';

export function R1View({ r1, signatures }: { r1: R1; signatures: SignatureView[] }) {
  const { t } = useTranslation();
  const party = (label: string, p: R1['customer']) => (
    <div className="r1-party">
      <span>{label}</span>
      <span className="line">
        {p.name}, {p.address}
        {p.contacts ? `, ${p.contacts}` : ''}
      </span>
      <span>
        <span className="faint" style={{ fontSize: 10 }}>{t('r1.iinBin')}</span>
        <div className="r1-box">{p.iinBin}</div>
      </span>
    </div>
  );
  // «Сдал» is the performer and «Принял» the customer: each side's signatures go under its own name.
  return (
    <article className="r1" data-testid="r1" lang="ru">
      <div className="r1-corner">
        {t('r1.appendix')}
        <br />
        <b>{t('r1.form')}</b>
      </div>
      {party(t('r1.customer'), r1.customer)}
      {party(t('r1.performer'), r1.performer)}
      <div className="r1-party">
        <span>{t('r1.contract')}</span>
        <span className="line">{r1.contract ? t('r1.contractOf', { number: r1.contract.number, date: formatDate(r1.contract.date) }) : t('r1.contractNone')}</span>
        <span />
      </div>
      <table style={{ width: 'auto', marginLeft: 'auto', marginTop: 8 }}>
        <thead>
          <tr>
            <th>{t('r1.docNumber')}</th>
            <th>{t('r1.docDate')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td style={{ textAlign: 'center' }}>{r1.documentNumber}</td>
            <td style={{ textAlign: 'center' }}>{formatDate(r1.documentDate)}</td>
          </tr>
        </tbody>
      </table>
      <div className="r1-title">{t('r1.title')}</div>
      <table>
        <thead>
          <tr>
            <th rowSpan={2}>{t('r1.colNo')}</th>
            <th rowSpan={2}>{t('r1.colName')}</th>
            <th rowSpan={2}>{t('r1.colDate')}</th>
            <th rowSpan={2}>{t('r1.colReport')}</th>
            <th rowSpan={2}>{t('r1.colUnit')}</th>
            <th colSpan={3}>{t('r1.done')}</th>
          </tr>
          <tr>
            <th>{t('r1.colQty')}</th>
            <th>{t('r1.colPrice')}</th>
            <th>{t('r1.colAmount')}</th>
          </tr>
          <tr className="colno">
            {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
              <th key={n}>{n}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r1.lines.map((l) => (
            <tr key={l.no}>
              <td style={{ textAlign: 'center' }}>{l.no}</td>
              <td>{l.name}</td>
              <td style={{ textAlign: 'center' }}>{formatDate(l.performedOn)}</td>
              <td>{l.report}</td>
              <td style={{ textAlign: 'center' }}>{l.unit}</td>
              <td className="num">{l.quantity.replace('.', ',')}</td>
              <td className="num">{formatMoney(l.price, { currency: false })}</td>
              <td className="num">{formatMoney(l.amount, { currency: false })}</td>
            </tr>
          ))}
          <tr className="total">
            <td colSpan={5} style={{ textAlign: 'right' }}>{t('r1.total')}</td>
            <td className="num">{r1.lines.reduce((a, l) => a + Number(l.quantity), 0).toString().replace('.', ',')}</td>
            <td />
            <td className="num">{formatMoney(r1.totals.amount, { currency: false })}</td>
          </tr>
          <tr>
            <td colSpan={7} style={{ textAlign: 'right' }}>{t('r1.vat', { rate: r1.totals.vatRate })}</td>
            <td className="num">{formatMoney(r1.totals.vat, { currency: false })}</td>
          </tr>
          <tr className="total">
            <td colSpan={7} style={{ textAlign: 'right' }}>{t('r1.withVat')}</td>
            <td className="num">{formatMoney(r1.totals.amountWithVat, { currency: false })}</td>
          </tr>
        </tbody>
      </table>
      <p style={{ marginTop: 8 }}>
        {t('r1.stocks')}: {r1.customerStocks || '—'}
      </p>
      <p>{t('r1.attachments')}{r1.attachments.length ? `: ${r1.attachments.join('; ')}` : ''}</p>
      <div className="r1-foot">
        <Side title={t('r1.handedOver')} person={r1.handedOver} all={signatures} iinBin={r1.performer.iinBin} />
        <Side title={t('r1.accepted')} person={r1.accepted} all={signatures} iinBin={r1.customer.iinBin} />
      </div>
      <p className="faint" style={{ marginTop: 10, fontSize: 10.5 }}>{t('r1.edsNote')}</p>
    </article>
  );
}

function Side({ title, person, all, iinBin }: { title: string; person: { position: string; name: string }; all: SignatureView[]; iinBin: string }) {
  const { t } = useTranslation();
  const mine = all.filter((s) => s.signerBin === iinBin || (s.signerBin === null && s.signerIin === iinBin));
  return (
    <div>
      <b>{title}</b>
      <div style={{ borderBottom: '1px solid #000', marginTop: 6 }}>
        {person.position} / {person.name}
      </div>
      <div className="faint" style={{ fontSize: 10 }}>
        {t('r1.position')} / {t('r1.signature')} / {t('r1.fullName')}
      </div>
      <div style={{ marginTop: 4 }}>
        {t('r1.date')}: {mine[0] ? formatDate(mine[0].signedAt) : '____'}
      </div>
      <div>{t('r1.stamp')}</div>
      {mine.map((s) => (
        <div key={`${s.certSerial}-${s.signedAt}`} className="r1-sig">
          {s.signerName} · {s.signerIin ?? s.signerBin} · {s.certSerial} · {formatDateTime(s.signedAt)}
        </div>
      ))}
    </div>
  );
}
