// The rows behind the virtualized documents list: the total for the filter, and pages of 100 rows fetched by
// offset only when the list shows them. A newer filter wins over answers still on their way.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentFilter, DocumentRow } from '../../../contract/ipc';
import { api } from '../state/store';
import { toShownError, type ShownError } from '../ui/ErrorNotice';

export const PAGE = 100;

export interface DocumentWindow {
  total: number | null;
  row(index: number): DocumentRow | undefined;
  ensure(from: number, to: number): void;
  error: ShownError | null;
  /** Bumped when rows arrive (re-render trigger). */
  version: number;
  /** Filter generation the rows belong to. */
  generation: number;
  /** The filter (as JSON) whose total and first page are both here: what the list shows is its answer. */
  loadedKey: string | null;
  reload(): void;
}

export function useDocumentWindow(filter: DocumentFilter): DocumentWindow {
  const key = JSON.stringify(filter);
  const gen = useRef(0);
  const pages = useRef(new Map<number, DocumentRow[]>());
  const inflight = useRef(new Set<number>());
  const stale = useRef(new Map<number, DocumentRow[]>());
  const lastKey = useRef<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<ShownError | null>(null);
  const [reloads, setReloads] = useState(0);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const firstHalves = useRef(0);

  const fetchPage = useCallback(
    (p: number, g: number) => {
      if (inflight.current.has(p) || pages.current.has(p)) return;
      inflight.current.add(p);
      api()
        .invoke('documents.list', { filter: JSON.parse(key) as DocumentFilter, offset: p * PAGE, limit: PAGE })
        .then(
          (r) => {
            if (g !== gen.current) return;
            inflight.current.delete(p);
            pages.current.set(p, r.items);
            setVersion((v) => v + 1);
            if (p === 0 && ++firstHalves.current === 2) setLoadedKey(key);
          },
          (e: unknown) => {
            if (g !== gen.current) return;
            inflight.current.delete(p);
            setError(toShownError(e));
          },
        );
    },
    [key],
  );

  useEffect(() => {
    const g = ++gen.current;
    // A reload (data changed) keeps showing the old rows until their fresh pages arrive; a new filter starts empty.
    const sameFilter = lastKey.current === key;
    lastKey.current = key;
    stale.current = sameFilter ? new Map([...stale.current, ...pages.current]) : new Map();
    pages.current = new Map();
    inflight.current = new Set();
    setError(null);
    if (!sameFilter) setTotal(null);
    firstHalves.current = 0;
    // Count and the first page together: the list can draw as soon as both are here.
    api()
      .invoke('documents.count', { filter: JSON.parse(key) as DocumentFilter })
      .then(
        (r) => {
          if (g !== gen.current) return;
          setTotal(r.total);
          if (++firstHalves.current === 2) setLoadedKey(key);
        },
        (e: unknown) => g === gen.current && setError(toShownError(e)),
      );
    fetchPage(0, g);
    for (const p of stale.current.keys()) fetchPage(p, g);
  }, [key, reloads, fetchPage]);

  // Until the effect above has switched to a new filter, what the refs hold belongs to the previous one: this render
  // must not show it (a row or a count of another tab for one frame is a row a quick click could act on).
  const current = lastKey.current === key;
  return {
    total: current ? total : null,
    error,
    version,
    generation: gen.current,
    loadedKey: current && loadedKey === key ? loadedKey : null,
    row(i) {
      if (!current) return undefined;
      const p = Math.floor(i / PAGE);
      return (pages.current.get(p) ?? stale.current.get(p))?.[i % PAGE];
    },
    ensure(from, to) {
      for (let p = Math.floor(from / PAGE); p <= Math.floor(to / PAGE); p++) fetchPage(p, gen.current);
    },
    reload: () => setReloads((n) => n + 1),
  };
}
