// One row of the virtualized documents list. Memoized: while the list scrolls, only rows that come into view render
// (a scroll step re-renders the list, not the forty rows already on screen with their translated labels).
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentRow } from '../../../contract/ipc';
import { formatDate, formatDocNumber, formatMoney } from '../format/format';
import { StateBadge } from '../screens/badges';

export interface DocRowProps {
  index: number;
  /** Offset of the row inside the rows box, px. */
  top: number;
  row: DocumentRow | undefined;
  isOpen: boolean;
  isSelected: boolean;
  isActive: boolean;
  onPick(index: number): void;
  onToggle(row: DocumentRow): void;
}

export const DocRow = memo(function DocRow({ index, top, row, isOpen, isSelected, isActive, onPick, onToggle }: DocRowProps) {
  const { t } = useTranslation();
  return (
    <div
      id={`doc-${index}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={isSelected}
      aria-current={isOpen ? 'true' : undefined}
      className={`vrow${isActive ? ' active' : ''}${isOpen ? ' open' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onPick(index)}
      data-testid="doc-row"
      data-number={row?.number}
      data-local-state={row?.localState}
      data-state={row?.state}
    >
      {row ? (
        <>
          <span role="gridcell" onClick={(e) => e.stopPropagation()}>
            {row.awaitingSignature && (
              <input type="checkbox" className="checkbox" checked={isSelected} onChange={() => onToggle(row)} aria-label={t('docs.selectRow', { number: row.number })} tabIndex={-1} />
            )}
          </span>
          <span role="gridcell" className="cell-2">
            <span className="mono">{formatDocNumber(row.number)}</span>
            <small>{formatDate(row.date)}</small>
          </span>
          <span role="gridcell" className="cell-2">
            <span>{row.counterpartyName}</span>
            <small>{t(`kind.${row.kind}`)} · {t(`direction.${row.direction}`)}</small>
          </span>
          <span role="gridcell" className="num">{formatMoney(row.amount)}</span>
          <span role="gridcell" className="cell-state">
            <StateBadge row={row} />
            {row.awaitingSignature && row.deadline && row.localState === 'synced' && <small>{t('home.deadline', { date: formatDate(row.deadline) })}</small>}
          </span>
        </>
      ) : (
        <span role="gridcell" className="faint" style={{ gridColumn: '2 / -1' }}>{t('docs.loadingRow')}</span>
      )}
    </div>
  );
});
