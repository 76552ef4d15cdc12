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

/** Joins chunks into one buffer of `total` bytes, a few milliseconds of copying per turn of the event loop (one
 * Buffer.concat of many megabytes into fresh memory held the thread for 60–120 ms). */
export async function joinSliced(chunks: readonly Uint8Array[], total: number): Promise<Buffer> {
  if (chunks.length === 1) return Buffer.from(chunks[0]);
  const out = Buffer.allocUnsafeSlow(total);
  const slicer = new Slicer();
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
    await slicer.step();
  }
  return out;
}
