// Whether core is signing or pushing right now (core's `app.busy` event): the updater never installs and quit waits
// briefly while either is true.

export interface Busy {
  signing: boolean;
  pushing: boolean;
}

export class BusyState {
  private current: Busy = { signing: false, pushing: false };
  private readonly waiters = new Set<() => void>();

  get value(): Busy {
    return { ...this.current };
  }

  get idle(): boolean {
    return !this.current.signing && !this.current.pushing;
  }

  set(next: Busy): void {
    const wasIdle = this.idle;
    this.current = { signing: next.signing, pushing: next.pushing };
    if (wasIdle || !this.idle) return;
    for (const w of [...this.waiters]) w();
  }

  /** Resolves true as soon as nothing is in flight, false when `timeoutMs` passes first (or `signal` aborts). */
  whenIdle(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.idle) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (idle: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(onIdle);
        signal?.removeEventListener('abort', onAbort);
        resolve(idle);
      };
      const onIdle = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), Math.max(0, timeoutMs));
      this.waiters.add(onIdle);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Calls `listener` each time the state becomes idle; returns the unsubscribe function. */
  onIdle(listener: () => void): () => void {
    this.waiters.add(listener);
    return () => void this.waiters.delete(listener);
  }
}
