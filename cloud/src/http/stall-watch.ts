// Diagnostics: with KENSE_CLOUD_STALL_LOG=<ms> the server reports every time its event loop was held longer than
// that, with the requests in flight at the time (method and route only) — how a stall is traced to its cause. On
// Linux it also says how much of the gap this thread ran on a CPU and how long it waited for one (another process
// had it): a stall of the first kind is ours to fix, the second is the machine's load.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** This thread's time on a CPU and waiting in the run queue, in ms (Linux /proc schedstat), or null elsewhere. */
export function schedTimes(): { cpu: number; wait: number } | null {
  try {
    const [cpu, wait] = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ').map(Number);
    return Number.isFinite(cpu) && Number.isFinite(wait) ? { cpu: cpu / 1e6, wait: wait / 1e6 } : null;
  } catch {
    return null;
  }
}
import type { FastifyInstance } from 'fastify';

export function watchStalls(app: FastifyInstance, thresholdMs: number): void {
  // Requests in flight, and those that ended lately (a stall that ends with the request still names it).
  const inFlight = new Map<object, string>();
  const ended: { name: string; at: number }[] = [];
  app.addHook('onRequest', async (req) => {
    inFlight.set(req, `${req.method} ${req.routeOptions?.url ?? req.url.split('?')[0]}`);
  });
  app.addHook('onResponse', async (req) => {
    const name = inFlight.get(req);
    inFlight.delete(req);
    if (name) ended.push({ name, at: performance.now() });
    if (ended.length > 64) ended.shift();
  });
  let last = performance.now();
  let lastSched = schedTimes();
  const timer = setInterval(() => {
    const now = performance.now();
    const sched = lastSched && schedTimes();
    const gap = now - last - 10;
    const since = last;
    const before = lastSched;
    last = now;
    lastSched = sched;
    if (gap <= thresholdMs) return;
    const names = new Set([...inFlight.values(), ...ended.filter((e) => e.at >= since).map((e) => e.name)]);
    const cpu = sched && before ? `; this thread ran ${(sched.cpu - before.cpu).toFixed(0)} ms, waited for a CPU ${(sched.wait - before.wait).toFixed(0)} ms` : '';
    console.error(`kense cloud: event loop held ${gap.toFixed(0)} ms (requests: ${[...names].join(', ') || 'none'}${cpu})`);
  }, 10);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
