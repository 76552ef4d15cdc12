// Documents: incoming/outgoing/all/to sign, filters, full-text search as you type, a virtualized list that stays
// smooth at 100 000 rows, the detail beside it; select many and sign in one batch; keyboard-first
// (↑/↓, Enter, Space, N = next to sign, S = sign, R = refuse, / = search).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { DocumentFilter, DocumentRef, DocumentRow } from '../../../contract/ipc';
import { DOCUMENT_STATES } from '../../../contract/ipc/views';
import { api, useOffice, type Route } from '../state/store';
import { useDocumentWindow } from '../acts/useDocumentWindow';
import { useQuery } from '../api/hooks';
import { formatMoney } from '../format/format';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Icon } from '../ui/icons';
import { PageHead } from '../ui/Card';
import { DocumentDetailPane } from './DocumentDetail';
import { DocRow } from '../acts/DocRow';
import { SignDialog, RefuseDialog } from './SignDialogs';

type Tab = 'all' | 'awaiting' | 'incoming' | 'outgoing';
const refKey = (r: DocumentRef) => `${r.kind}:${r.id}`;
/** Pixel heights the stylesheet gives a row (--row-h) and the sticky column header (.vlist-head). */
const ROW_HEIGHT = 48;
const HEAD_HEIGHT = 36;

function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function Documents({ route }: { route: Extract<Route, { name: 'documents' }> }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>(route.tab ?? 'all');
  const [search, setSearch] = useState('');
  const [state, setState] = useState('');
  const [kind, setKind] = useState('');
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  const [amountFrom, setAmountFrom] = useState('');
  const [amountTo, setAmountTo] = useState('');
  const [counterparty, setCounterparty] = useState('');
  const counterparties = useQuery('counterparties.list', { search: counterparty.trim() || undefined, limit: 20 });
  // The choice is kept by its ИИН/БИН (what the filter needs): typed, or picked from the suggestions ("Name — БИН").
  const counterpartyIinBin = /(\d{12})\s*$/.exec(counterparty)?.[1];
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState<DocumentRef | null>(route.open ?? null);
  const [selected, setSelected] = useState<Map<string, DocumentRow>>(new Map());
  const [signing, setSigning] = useState<DocumentRow[] | DocumentRef[] | null>(null);
  const [refusing, setRefusing] = useState<DocumentRef | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (route.tab) setTab(route.tab);
    if (route.open) setOpen(route.open);
  }, [route]);

  const filter = useMemo<DocumentFilter>(() => {
    const f: DocumentFilter = {};
    if (tab === 'awaiting') f.awaitingSignature = true;
    if (tab === 'incoming' || tab === 'outgoing') f.direction = tab;
    if (search.trim()) f.search = search.trim();
    if (state) f.states = [state as (typeof DOCUMENT_STATES)[number]];
    if (kind) f.kinds = [kind as DocumentRef['kind']];
    if (dateFrom) f.dateFrom = dateFrom;
    if (dateTo) f.dateTo = dateTo;
    const tiyn = (s: string) => Math.round(Number(s.replace(/\s/g, '').replace(',', '.')) * 100);
    if (amountFrom && Number.isFinite(tiyn(amountFrom))) f.amountFrom = tiyn(amountFrom);
    if (amountTo && Number.isFinite(tiyn(amountTo))) f.amountTo = tiyn(amountTo);
    if (counterpartyIinBin) f.counterpartyIinBin = counterpartyIinBin;
    return f;
  }, [tab, search, state, kind, dateFrom, dateTo, amountFrom, amountTo, counterpartyIinBin]);

  const win = useDocumentWindow(filter);
  const { reload } = win;
  useEffect(() => api().on('data.changed', (p) => {
    if (p.entities.some((e) => e === 'act' || e === 'service_act' || e === 'reconciliation' || e === 'outbox')) reload();
  }), [reload]);
  useEffect(() => setActive(0), [filter]);

  const count = win.total ?? 0;
  // Rows start below the sticky column header inside the same scroller.
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12, scrollMargin: HEAD_HEIGHT });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (count) win.ensure(first, last);
  }, [first, last, count, win]);

  const toggle = useCallback((row: DocumentRow) => {
    setSelected((prev) => {
      const next = new Map(prev);
      const k = refKey(row);
      if (next.has(k)) next.delete(k);
      else if (row.awaitingSignature) next.set(k, row);
      return next;
    });
  }, []);

  const openRow = useCallback((i: number) => {
    const row = win.row(i);
    if (row) setOpen((prev) => (prev && prev.id === row.id && prev.kind === row.kind ? prev : { kind: row.kind, id: row.id }));
  }, [win]);
  // A click on a row: stable across renders (rows are memoized), reading the window of this render through a ref.
  const openRowRef = useRef(openRow);
  openRowRef.current = openRow;
  const pick = useCallback((i: number) => {
    setActive(i);
    openRowRef.current(i);
  }, []);

  const nextToSign = useCallback(async () => {
    const r = await api().invoke('documents.list', { filter: { awaitingSignature: true }, sort: { by: 'deadline', direction: 'asc' }, offset: 0, limit: 1 });
    const row = r.items[0];
    if (!row) {
      setNotice(t('docs.noneToSign'));
      return;
    }
    setNotice(null);
    setOpen({ kind: row.kind, id: row.id });
    return row;
  }, [t]);

  // Keyboard: the list keys work whenever focus is not in a text field or a dialog.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || signing || refusing) return;
      if (document.querySelector('[role="dialog"]')) return;
      if (e.key === '/' && !isTyping(e)) {
        e.preventDefault();
        searchRef.current?.focus();
        return;
      }
      if (e.key === 'Escape' && isTyping(e) && e.target === searchRef.current) {
        scrollRef.current?.focus();
        return;
      }
      if (isTyping(e)) return;
      const k = e.key.toLowerCase();
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = Math.max(0, Math.min(count - 1, active + (e.key === 'ArrowDown' ? 1 : -1)));
        setActive(n);
        virtualizer.scrollToIndex(n);
        scrollRef.current?.focus();
      } else if (e.key === 'Enter' && document.activeElement === scrollRef.current) {
        e.preventDefault();
        openRow(active);
      } else if (e.key === ' ' && document.activeElement === scrollRef.current) {
        e.preventDefault();
        const row = win.row(active);
        if (row) toggle(row);
      } else if (k === 'n') {
        e.preventDefault();
        void nextToSign();
      } else if (k === 's') {
        e.preventDefault();
        if (selected.size) setSigning([...selected.values()]);
        else if (open) setSigning([open]);
      } else if (k === 'r' && open) {
        e.preventDefault();
        setRefusing(open);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, count, open, selected, signing, refusing, virtualizer, win, toggle, openRow, nextToSign]);

  // The detail is heavy (form Р-1, signatures, history): the same element while the list scrolls, so React skips it.
  const detailPane = useMemo(
    () => (open ? <DocumentDetailPane docRef={open} onSign={() => setSigning([open])} onRefuse={() => setRefusing(open)} onClose={() => setOpen(null)} /> : null),
    [open],
  );
  const viewer = !useOffice((s) => s.session?.permissions.includes('acts.read'));
  const canBilling = useOffice((s) => s.session?.permissions.includes('billing.read') ?? false);
  const billing = useQuery('billing.get', canBilling ? {} : null, { refreshOn: ['subscription'] });
  const blocked = billing.data?.subscription?.state === 'blocked';
  const filtered = Object.keys(filter).some((k) => k !== 'awaitingSignature' && k !== 'direction');
  const emptyText = filtered ? t('docs.emptyFiltered') : tab === 'awaiting' ? t('docs.emptyAwaiting') : t('docs.empty');
  const selectedTotal = [...selected.values()].reduce((a, r) => a + r.amount, 0);
  const activeRow = win.row(active);

  return (
    <div className="page" data-testid="screen-documents">
      <PageHead
        title={t('docs.title')}
        sub={win.total === null ? t('common.loading') : t('docs.subtitle', { count: win.total })}
        subTestId="docs-total"
        subTotal={win.total ?? ''}
        actions={
          <button className="btn" onClick={() => void nextToSign()} data-testid="next-to-sign" aria-keyshortcuts="N">
            {t('docs.nextToSign')} <kbd>{'N'}</kbd>
          </button>
        }
      />
      <div className="toolbar">
        <div className="seg" role="group" aria-label={t('docs.filters')}>
          {(['all', 'awaiting', 'incoming', 'outgoing'] as Tab[]).map((x) => (
            <button key={x} aria-pressed={tab === x} onClick={() => setTab(x)} data-testid={`tab-${x}`}>
              {t(`docs.tab${x[0].toUpperCase()}${x.slice(1)}`)}
            </button>
          ))}
        </div>
        <input
          ref={searchRef}
          className="input grow"
          type="search"
          placeholder={t('docs.search')}
          aria-label={t('docs.searchLabel')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="docs-search"
          aria-keyshortcuts="/"
          style={{ minWidth: 240 }}
        />
        <select className="input" value={state} onChange={(e) => setState(e.target.value)} aria-label={t('docs.filterState')} data-testid="filter-state">
          <option value="">{t('docs.filterState')}: {t('docs.anyState')}</option>
          {DOCUMENT_STATES.map((s) => (
            <option key={s} value={s}>{t(`state.${s}`)}</option>
          ))}
        </select>
        <select className="input" value={kind} onChange={(e) => setKind(e.target.value)} aria-label={t('docs.filterKind')}>
          <option value="">{t('docs.filterKind')}: {t('docs.anyKind')}</option>
          {(['act', 'service_act', 'reconciliation'] as const).map((k) => (
            <option key={k} value={k}>{t(`kind.${k}`)}</option>
          ))}
        </select>
      </div>
      <details className="toolbar">
        <summary className="muted">{t('docs.filters')}</summary>
        <div className="row" style={{ marginTop: 8 }}>
          <label className="field" style={{ minWidth: 280 }}>
            <span className="label">{t('docs.counterpartyBin')}</span>
            <input className="input" list="docs-counterparties" value={counterparty} onChange={(e) => setCounterparty(e.target.value)} placeholder={t('docs.counterpartyHint')} data-testid="filter-counterparty" />
            <datalist id="docs-counterparties">
              {counterparties.data?.items.map((c) => <option key={c.id} value={`${c.name} — ${c.iinBin}`} />)}
            </datalist>
          </label>
          <label className="field">
            <span className="label">{t('docs.dateFrom')}</span>
            <input className="input" type="date" value={dateFrom} onChange={(e) => setDateFrom(e.target.value)} />
          </label>
          <label className="field">
            <span className="label">{t('docs.dateTo')}</span>
            <input className="input" type="date" value={dateTo} onChange={(e) => setDateTo(e.target.value)} />
          </label>
          <label className="field">
            <span className="label">{t('docs.amountFrom')}</span>
            <input className="input" inputMode="decimal" value={amountFrom} onChange={(e) => setAmountFrom(e.target.value)} />
          </label>
          <label className="field">
            <span className="label">{t('docs.amountTo')}</span>
            <input className="input" inputMode="decimal" value={amountTo} onChange={(e) => setAmountTo(e.target.value)} />
          </label>
          <button className="btn" style={{ alignSelf: 'flex-end' }} onClick={() => { setDateFrom(''); setDateTo(''); setAmountFrom(''); setAmountTo(''); setState(''); setKind(''); setSearch(''); setCounterparty(''); }}>
            {t('docs.reset')}
          </button>
        </div>
      </details>
      {blocked && (
        <div className="notice danger" role="status" data-testid="docs-blocked">
          <div className="grow">
            <strong>{t('billing.blockedTitle')}</strong>
            <span>{t('billing.blockedText')}</span>
          </div>
          <button className="btn btn-sm" onClick={() => useOffice.getState().setRoute({ name: 'billing' })}>{t('nav.billing')}</button>
        </div>
      )}
      {notice && <div className="notice info" role="status"><div className="grow">{notice}</div></div>}
      {win.error && <ErrorNotice error={win.error} />}
      {selected.size > 0 && (
        <div className="notice info" data-testid="selection-bar">
          <div className="grow">
            <strong>{t('docs.selected', { count: selected.size })}</strong>
            <span>{t('sign.total', { amount: formatMoney(selectedTotal) })}</span>
          </div>
          <button className="btn" onClick={() => setSelected(new Map())}>{t('docs.clearSelection')}</button>
          <button className="btn btn-primary" onClick={() => setSigning([...selected.values()])} data-testid="sign-selected">
            {t('docs.signSelected', { count: selected.size })} <kbd>{'S'}</kbd>
          </button>
        </div>
      )}
      <div className="split">
        <section className="vlist" aria-label={t('docs.title')}>
          <div
            className="vlist-scroll"
            ref={scrollRef}
            tabIndex={0}
            role="grid"
            aria-label={t('docs.title')}
            aria-multiselectable="true"
            aria-rowcount={count + 1}
            aria-activedescendant={activeRow ? `doc-${active}` : undefined}
            data-testid="docs-list"
            data-loaded={win.loadedKey ?? undefined}
          >
            <div className="vlist-head" role="row" aria-rowindex={1}>
              <span role="columnheader"><span className="sr-only">{t('docs.colSelect')}</span></span>
              <span role="columnheader">{t('docs.colNumber')}</span>
              <span role="columnheader">{t('docs.colCounterparty')}</span>
              <span role="columnheader" className="num">{t('docs.colAmount')}</span>
              <span role="columnheader">{t('docs.colState')}</span>
            </div>
            {win.total === 0 && (
              <div className="vlist-empty" role="row">
                <span role="gridcell">{viewer ? t('docs.emptyViewer') : emptyText}</span>
              </div>
            )}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="presentation">
              {items.map((vi) => {
                const row = win.row(vi.index);
                return (
                  <DocRow
                    key={vi.key}
                    index={vi.index}
                    top={vi.start - HEAD_HEIGHT}
                    row={row}
                    isOpen={!!row && !!open && open.id === row.id && open.kind === row.kind}
                    isSelected={!!row && selected.has(refKey(row))}
                    isActive={vi.index === active}
                    onPick={pick}
                    onToggle={toggle}
                  />
                );
              })}
            </div>
          </div>
          <div className="vlist-foot">
            <span><kbd className="kbd">{'↑'}</kbd><kbd className="kbd">{'↓'}</kbd> {t('docs.keyMove')}</span>
            <span><kbd className="kbd">{'Enter'}</kbd> {t('docs.keyOpen')}</span>
            <span><kbd className="kbd">{t('docs.keySpaceName')}</kbd> {t('docs.keyMark')}</span>
            <span><kbd className="kbd">{'N'}</kbd> {t('docs.keyNext')}</span>
            <span><kbd className="kbd">{'S'}</kbd> {t('docs.keySign')}</span>
            <span><kbd className="kbd">{'R'}</kbd> {t('docs.keyRefuse')}</span>
            <span><kbd className="kbd">{'/'}</kbd> {t('docs.keySearch')}</span>
          </div>
        </section>
        <section className="card detail" aria-live="polite" data-testid="detail-pane">
          {open ? (
            detailPane
          ) : (
            <div className="empty-state">
              <Icon name="documents" />
              <strong>{t('docs.placeholderTitle')}</strong>
              <span>{t('docs.placeholder')}</span>
              <span className="hint"><kbd className="kbd">{'N'}</kbd> {t('docs.keyNext')}</span>
            </div>
          )}
        </section>
      </div>
      {signing && (
        <SignDialog
          items={signing}
          onClose={(done) => {
            setSigning(null);
            if (done) setSelected(new Map());
            scrollRef.current?.focus();
          }}
        />
      )}
      {refusing && <RefuseDialog docRef={refusing} onClose={() => { setRefusing(null); scrollRef.current?.focus(); }} />}
    </div>
  );
}
