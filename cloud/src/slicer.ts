// Long work in slices: the event loop is handed back every few milliseconds, so one big request (an accounting
// import, a large body) never keeps every other request of every tenant waiting.
import { performance } from 'node:perf_hooks';

/** Longest run of work between two yields, in milliseconds. */
export const SLICE_MS = 8;

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

export class Slicer {
  private since = performance.now();
  constructor(private readonly budgetMs = SLICE_MS) {}
  /** Yields to the event loop when this slice has used its budget; cheap to call often. */
  async step(): Promise<void> {
    if (performance.now() - this.since < this.budgetMs) return;
    await nextTurn();
    this.since = performance.now();
  }
}

/** Runs `fn` over the items in slices; `fn` may throw to stop. */
export async function forEachSliced<T>(items: readonly T[], fn: (item: T, index: number) => void, slicer = new Slicer()): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    fn(items[i], i);
    if ((i & 63) === 63) await slicer.step();
  }
}

/** Bytes copied per step of copySliced. */
const COPY_STEP = 1024 * 1024;

/**
 * Copies chunks one after another into `out`, a megabyte at a time and a few milliseconds per turn of the event
 * loop: one copy of many megabytes into fresh memory (Buffer.concat, a Uint8Array copy) held the thread for
 * 60–120 ms, mostly in page faults.
 */
export async function copySliced<T extends Uint8Array>(chunks: readonly Uint8Array[], out: T): Promise<T> {
  const slicer = new Slicer();
  let at = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i += COPY_STEP) {
      const piece = c.subarray(i, i + COPY_STEP);
      out.set(piece, at);
      at += piece.length;
      await slicer.step();
    }
  }
  return out;
}

/** Chunks joined into one buffer of `total` bytes of its own (copySliced). */
export function joinSliced(chunks: readonly Uint8Array[], total: number): Promise<Buffer> {
  return copySliced(chunks, Buffer.allocUnsafeSlow(total));
}

/**
 * Runs `work` and counts the turns the event loop made meanwhile (a chain of setImmediate): how a test sees that
 * long work was sliced or ran elsewhere (one synchronous run gives the loop no turn at all).
 */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let ticking = true;
  const tick = () => {
    turns++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return { value: await work(), turns };
  } finally {
    ticking = false;
  }
}
