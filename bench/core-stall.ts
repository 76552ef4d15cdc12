// How long the event loop could not answer while some work ran: the largest gap between 2 ms timer ticks.

export async function maxStall<T>(work: () => Promise<T>): Promise<{ result: T; maxStallMs: number; /** performance.now() when the largest stall ended */ maxStallAt: number }> {
  let last = performance.now();
  let max = 0;
  let at = 0;
  const t = setInterval(() => {
    const now = performance.now();
    if (now - last - 2 > max) {
      max = now - last - 2;
      at = now;
    }
    last = now;
  }, 2);
  try {
    const result = await work();
    return { result, maxStallMs: max, maxStallAt: at };
  } finally {
    clearInterval(t);
  }
}
