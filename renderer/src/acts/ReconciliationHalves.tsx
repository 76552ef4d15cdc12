// A reconciliation act as its two mirrored halves («по данным A / по данным B»); lines that do not match the other
// side's mirror are highlighted.
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { zReconciliation } from '../../../contract/cloud';

type Reconciliation = z.infer<typeof zReconciliation>;
import { formatDate, formatMoney } from '../format/format';

type Half = NonNullable<Reconciliation['theirs']>;

/** Our debit is their credit: a line differs when the other half has no line with that date and mirrored amounts. */
export function differingLines(ours: Half, theirs: Half | null): { ours: Set<number>; theirs: Set<number> } {
  const res = { ours: new Set<number>(), theirs: new Set<number>() };
  if (!theirs) return res;
  const key = (date: string, a: number, b: number) => `${date}|${a}|${b}`;
  const theirMirror = new Map<string, number>();
  theirs.lines.forEach((l) => theirMirror.set(key(l.date, l.credit, l.debit), (theirMirror.get(key(l.date, l.credit, l.debit)) ?? 0) + 1));
  const ourKeys = new Map<string, number>();
  ours.lines.forEach((l, i) => {
    const k = key(l.date, l.debit, l.credit);
    const n = theirMirror.get(k) ?? 0;
    if (n > 0) theirMirror.set(k, n - 1);
    else res.ours.add(i);
    ourKeys.set(k, (ourKeys.get(k) ?? 0) + 1);
  });
  theirs.lines.forEach((l, i) => {
    const k = key(l.date, l.credit, l.debit);
    const n = ourKeys.get(k) ?? 0;
    if (n > 0) ourKeys.set(k, n - 1);
    else res.theirs.add(i);
  });
  return res;
}

export function ReconciliationHalves({ r, ourName }: { r: Reconciliation; ourName?: string }) {
  const { t } = useTranslation();
  const diff = differingLines(r.ours, r.theirs);
  const count = diff.ours.size + diff.theirs.size;
  return (
    <div className="stack" data-testid="reconciliation">
      <div className="row">
        <strong className="grow">{t('recon.period', { from: formatDate(r.periodFrom), to: formatDate(r.periodTo) })}</strong>
        {r.theirs ? (
          <span className={count ? 'badge warn' : 'badge ok'}>{count ? t('recon.differences', { count }) : t('recon.noDifferences')}</span>
        ) : (
          <span className="badge info">{t('recon.theirsMissingShort')}</span>
        )}
      </div>
      {!r.theirs && (
        <div className="notice info">
          <div className="grow">{t('recon.theirsMissing')}</div>
        </div>
      )}
      <div className={r.theirs ? 'recon' : 'recon single'}>
        <HalfTable title={t('recon.ours', { name: ourName ?? '' })} half={r.ours} marked={diff.ours} />
        {r.theirs && <HalfTable title={t('recon.theirs', { name: r.counterpartyName })} half={r.theirs} marked={diff.theirs} />}
      </div>
      <p>
        <strong>{t('recon.conclusion')}:</strong> {r.conclusion.text}
      </p>
    </div>
  );
}

function HalfTable({ title, half, marked }: { title: string; half: Half; marked: Set<number> }) {
  const { t } = useTranslation();
  const m = (v: number) => formatMoney(v, { currency: false });
  return (
    <table className="table">
      <caption style={{ textAlign: 'left', fontWeight: 600, padding: '4px 0' }}>{title}</caption>
      <thead>
        <tr>
          <th>{t('recon.date')}</th>
          <th>{t('recon.document')}</th>
          <th className="num">{t('recon.debit')}</th>
          <th className="num">{t('recon.credit')}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td colSpan={2}>{t('recon.opening')}</td>
          <td className="num">{half.opening > 0 ? m(half.opening) : ''}</td>
          <td className="num">{half.opening < 0 ? m(-half.opening) : ''}</td>
        </tr>
        {half.lines.map((l, i) => (
          <tr key={i} className={marked.has(i) ? 'diff' : undefined}>
            <td className="nowrap">{formatDate(l.date)}</td>
            <td>{l.document}</td>
            <td className="num">{l.debit ? m(l.debit) : ''}</td>
            <td className="num">{l.credit ? m(l.credit) : ''}</td>
          </tr>
        ))}
        <tr>
          <td colSpan={2}>{t('recon.turnover')}</td>
          <td className="num">{m(half.turnover.debit)}</td>
          <td className="num">{m(half.turnover.credit)}</td>
        </tr>
        <tr>
          <td colSpan={2}>{t('recon.closing')}</td>
          <td className="num">{half.closing > 0 ? m(half.closing) : ''}</td>
          <td className="num">{half.closing < 0 ? m(-half.closing) : ''}</td>
        </tr>
      </tbody>
    </table>
  );
}
