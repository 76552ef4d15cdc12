// Benchmark helpers: warm up, run many times, report the median (and p90) so figures are comparable.
import { performance } from 'node:perf_hooks';

export interface Measurement {
  name: string;
  medianMs: number;
  p90Ms: number;
  runs: number;
}

export interface MeasureOptions {
  warmup?: number;
  runs?: number;
  /** Stop early after this many milliseconds of measured time (at least 5 runs are always taken). */
  budgetMs?: number;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i];
}

export async function measure(name: string, fn: () => unknown, opts: MeasureOptions = {}): Promise<Measurement> {
  const warmup = opts.warmup ?? 20;
  const runs = opts.runs ?? 100;
  const budget = opts.budgetMs ?? 10_000;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    if (i >= 4 && performance.now() - started > budget) break;
  }
  times.sort((a, b) => a - b);
  return { name, medianMs: quantile(times, 0.5), p90Ms: quantile(times, 0.9), runs: times.length };
}

/** Throughput in MiB/s of `fn` over `bytes` bytes (median of runs). */
export async function throughput(name: string, bytes: number, fn: () => unknown, opts: MeasureOptions = {}): Promise<Measurement & { mibPerSec: number }> {
  const m = await measure(name, fn, { warmup: 3, runs: 15, ...opts });
  return { ...m, mibPerSec: bytes / (1024 * 1024) / (m.medianMs / 1000) };
}

export function fmtMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

/** Prints one row: our figure, the goal, and the reference figure measured in the same run. */
export function report(row: { what: string; ours: string; goal: string; reference?: string; ratio?: number; pass: boolean }): void {
  const ratio = row.ratio !== undefined ? `  (×${row.ratio.toFixed(1)} vs reference)` : '';
  const ref = row.reference ? `  reference: ${row.reference}` : '';
  console.log(`${row.pass ? 'OK  ' : 'MISS'} ${row.what}: ${row.ours}  goal ${row.goal}${ref}${ratio}`);
}
