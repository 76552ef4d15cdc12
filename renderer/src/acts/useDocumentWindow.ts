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
    // Count and the first page together: the list can draw as soon as both are here.
    api()
      .invoke('documents.count', { filter: JSON.parse(key) as DocumentFilter })
      .then(
        (r) => g === gen.current && setTotal(r.total),
        (e: unknown) => g === gen.current && setError(toShownError(e)),
      );
    fetchPage(0, g);
    for (const p of stale.current.keys()) fetchPage(p, g);
  }, [key, reloads, fetchPage]);

  return {
    total,
    error,
    version,
    generation: gen.current,
    row(i) {
      const p = Math.floor(i / PAGE);
      return (pages.current.get(p) ?? stale.current.get(p))?.[i % PAGE];
    },
    ensure(from, to) {
      for (let p = Math.floor(from / PAGE); p <= Math.floor(to / PAGE); p++) fetchPage(p, gen.current);
    },
    reload: () => setReloads((n) => n + 1),
  };
}
