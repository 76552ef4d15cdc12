// The server's worker threads (the import worker, the CRL worker): each started on first use, unref'd (it never keeps
// the process alive), restarted after a crash — what was in flight is failed, not lost silently. Their work is CPU
// and memory the thread answering requests must not spend: megabytes parsed, hashed, indexed.
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** Loads TypeScript modules in a worker thread as the `kense` command does (worker-entry.mjs). */
const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export class WorkerHost {
  private worker: Promise<Worker> | null = null;
  private closed = false;

  /** `module`: the worker's code (a .ts URL); it posts {ready: true} once listening. */
  constructor(
    private readonly module: URL,
    private readonly on: { message(m: unknown): void; failed(e: Error): void },
  ) {}

  /** The thread, started if need be; rejects when it cannot start (or the host is closed). */
  thread(): Promise<Worker> {
    if (this.closed) return Promise.reject(new Error('worker closed'));
    return (this.worker ??= this.start());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private start(): Promise<Worker> {
    return new Promise((resolve, reject) => {
      const w = new Worker(ENTRY, { workerData: { module: this.module.href } });
      w.unref();
      const fail = (e: Error) => {
        this.worker = null;
        this.on.failed(e);
        reject(e);
      };
      w.on('message', (m: { ready?: boolean }) => (m?.ready ? resolve(w) : this.on.message(m)));
      w.on('error', fail);
      w.on('exit', (code) => fail(new Error(`worker exited (${code})`)));
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (w) await (await w.catch(() => null))?.terminate();
  }
}

/**
 * Called by a worker thread first: on Linux it steps back (nice 10) so that the thread answering requests gets the
 * CPU first; its work takes a little longer when the machine is busy, nobody else waits for it.
 */
export function lowerThisThreadPriority(): void {
  try {
    const tid = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
    if (tid > 0) os.setPriority(tid, 10);
  } catch {
    // not Linux, or not allowed: the thread keeps the process's priority
  }
}
