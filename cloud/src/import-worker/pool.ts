// The server's import worker: one thread, started on the first import, one job at a time (an import holds up to
// 20 MiB and its rows), restarted after a crash. Where a thread cannot start, imports are prepared in this thread
// instead, in slices (slower for the importer, still no long stall for anyone else).
import { Worker } from 'node:worker_threads';
import type { Locale } from '../../../contract/errors';
import { prepareImport } from '../domain/accounting-import';
import type { ImportPart, ImportPreparer, PreparedImport } from '../import-types';

type Answer = { id: number; part?: ImportPart; result?: PreparedImport; error?: string };

export class ImportWorker implements ImportPreparer {
  private worker: Promise<Worker> | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly pending = new Map<number, { parts: ImportPart[]; resolve(r: PreparedImport): void; reject(e: Error): void }>();
  private inline = false;
  private closed = false;

  private start(): Promise<Worker> {
    return new Promise((resolve, reject) => {
      const w = new Worker(new URL('./entry.mjs', import.meta.url));
      w.unref();
      const fail = (e: Error) => {
        this.worker = null;
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
        reject(e);
      };
      w.on('message', (m: Answer & { ready?: boolean }) => {
        if (m.ready) return resolve(w);
        const p = this.pending.get(m.id);
        if (m.part) {
          p?.parts.push(m.part);
          return;
        }
        this.pending.delete(m.id);
        if (m.error !== undefined || !m.result) p?.reject(new Error(`import worker: ${m.error ?? 'no answer'}`));
        else p?.resolve(m.result.ok ? { ...m.result, parts: p.parts } : m.result);
      });
      w.on('error', fail);
      w.on('exit', (code) => fail(new Error(`import worker exited (${code})`)));
    });
  }

  /** Prepares one import (parsing, checks, exact sums, parts) off this thread. */
  prepare(bytes: Uint8Array, locale: Locale): Promise<PreparedImport> {
    const job = this.turn.then(() => this.run(bytes, locale));
    this.turn = job.catch(() => undefined);
    return job;
  }

  private async run(bytes: Uint8Array, locale: Locale): Promise<PreparedImport> {
    if (this.closed) throw new Error('import worker closed');
    if (this.inline) return prepareImport(bytes, locale);
    let w: Worker;
    try {
      w = await (this.worker ??= this.start());
    } catch (e) {
      if (this.pending.size === 0 && !this.closed) {
        console.error(`kense cloud: the import worker thread did not start (${(e as Error).message}); imports are prepared in the server thread`);
        this.inline = true;
        return prepareImport(bytes, locale);
      }
      throw e;
    }
    const id = this.nextId++;
    // A copy of its own, handed over without another copy.
    const own = new Uint8Array(bytes);
    return new Promise<PreparedImport>((resolve, reject) => {
      this.pending.set(id, { parts: [], resolve, reject });
      w.postMessage({ id, bytes: own, locale }, [own.buffer]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (w) await (await w.catch(() => null))?.terminate();
  }
}
