// Reading from core in components: one call, its loading and error state, re-run when core says the cached data
// of the named entities changed (event data.changed) or when the inputs change.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OperationInput, OperationName, OperationOutput } from '../../../contract/ipc';
import { api } from '../state/store';
import { toShownError, type ShownError } from '../ui/ErrorNotice';

export interface Query<T> {
  data: T | null;
  error: ShownError | null;
  loading: boolean;
  reload(): void;
}

export function useQuery<N extends OperationName>(op: N, input: OperationInput<N> | null, opts: { refreshOn?: string[] } = {}): Query<OperationOutput<N>> {
  const [data, setData] = useState<OperationOutput<N> | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(input);
  const seq = useRef(0);
  const run = useCallback(() => {
    if (input === null) return;
    const my = ++seq.current;
    setLoading(true);
    (api().invoke as (op: N, input: unknown) => Promise<OperationOutput<N>>)(op, input).then(
      (out) => {
        if (my !== seq.current) return;
        setData(out);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (my !== seq.current) return;
        setError(toShownError(e));
        setLoading(false);
      },
    );
  }, [op, key]);
  useEffect(run, [run]);
  const refreshOn = (opts.refreshOn ?? []).join(',');
  useEffect(() => {
    if (!refreshOn) return;
    const wanted = refreshOn.split(',');
    return api().on('data.changed', (p) => {
      if (p.entities.some((e) => wanted.includes(e))) run();
    });
  }, [refreshOn, run]);
  return { data, error, loading, reload: run };
}

/** An action the user started (a button): runs it, keeps its error to show (cleared when it runs again). */
export function useAction(): { error: ShownError | null; run(f: () => Promise<unknown>): Promise<void> } {
  const [error, setError] = useState<ShownError | null>(null);
  const run = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(toShownError(e));
    }
  };
  return { error, run };
}
