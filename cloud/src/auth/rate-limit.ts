// Fixed-window attempt counters per key (IP, ИИН). In memory: the reference server is one process.
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly now: () => number) {}

  /** Counts an attempt; false when the key already used `limit` attempts in the current minute. */
  hit(key: string, limit: number): boolean {
    const t = this.now();
    const w = this.windows.get(key);
    if (!w || t - w.start >= 60_000) {
      this.windows.set(key, { start: t, count: 1 });
      if (this.windows.size > 100_000) this.sweep(t);
      return true;
    }
    w.count++;
    return w.count <= limit;
  }

  private sweep(t: number): void {
    for (const [k, w] of this.windows) if (t - w.start >= 60_000) this.windows.delete(k);
  }
}
