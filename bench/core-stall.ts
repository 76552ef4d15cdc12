// How long the event loop could not answer while some work ran: the largest gap between 2 ms timer ticks.

export async function maxStall<T>(work: () => Promise<T>): Promise<{ result: T; maxStallMs: number }> {
  let last = performance.now();
  let max = 0;
  const t = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - 2);
    last = now;
  }, 2);
  try {
    const result = await work();
    return { result, maxStallMs: max };
  } finally {
    clearInterval(t);
  }
}
