// Diagnostics: with KENSE_CLOUD_STALL_LOG=<ms> the server reports every time its event loop was held longer than
// that, with the requests in flight at the time (method and route only) — how a stall is traced to its cause.
import { performance } from 'node:perf_hooks';
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
  const timer = setInterval(() => {
    const now = performance.now();
    const gap = now - last - 10;
    const since = last;
    last = now;
    if (gap <= thresholdMs) return;
    const names = new Set([...inFlight.values(), ...ended.filter((e) => e.at >= since).map((e) => e.name)]);
    console.error(`kense cloud: event loop held ${gap.toFixed(0)} ms (requests: ${[...names].join(', ') || 'none'})`);
  }, 10);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
