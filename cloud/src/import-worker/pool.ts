// The server's import worker: one thread, started on the first import, one job at a time (an import holds up to
// 20 MiB and its rows), restarted after a crash. The body goes to it as it arrives, in pieces of 1 MiB handed over
// without a copy, and the rows come back as bytes: the server's thread never holds the import whole, never joins or
// copies megabytes in one turn, and its heap stays small (no long collections). Where a thread cannot start,
// imports are prepared in this thread instead, in slices (slower for the importer, still no long stall for anyone else).
import type { Worker } from 'node:worker_threads';
import type { Locale } from '../../../contract/errors';
import { prepareImport } from '../domain/accounting-import';
import type { BodyPump, ImportPart, ImportPreparer, PreparedImport } from '../import-types';
import { joinSliced } from '../slicer';
import { WorkerHost } from '../worker-thread';

/** What the body is cut into on its way to the worker. */
const PIECE = 1024 * 1024;

/** Messages to the worker: a job starts, its body arrives in pieces, then ends (or is dropped). */
export type ToWorker = { id: number; start: { locale: Locale } } | { id: number; piece: Uint8Array } | { id: number; end: true } | { id: number; abort: true };

type Answer = { id: number; part?: ImportPart; result?: PreparedImport; error?: string };

export class ImportWorker implements ImportPreparer {
  private readonly host = new WorkerHost(new URL('./worker.ts', import.meta.url), {
    message: (m) => this.answer(m as Answer),
    failed: (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    },
  });
  private turn: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly pending = new Map<number, { parts: ImportPart[]; resolve(r: PreparedImport): void; reject(e: Error): void }>();
  private inline = false;

  private answer(m: Answer): void {
    const p = this.pending.get(m.id);
    if (m.part) {
      p?.parts.push(m.part);
      return;
    }
    this.pending.delete(m.id);
    if (m.error !== undefined || !m.result) p?.reject(new Error(`import worker: ${m.error ?? 'no answer'}`));
    else p?.resolve(m.result.ok ? { ...m.result, parts: p.parts } : m.result);
  }

  /** Prepares one import (parsing, checks, exact sums, parts) off this thread; its body is read when its turn comes. */
  prepare(body: BodyPump, locale: Locale): Promise<PreparedImport> {
    const job = this.turn.then(() => this.run(body, locale));
    this.turn = job.catch(() => undefined);
    return job;
  }

  private async run(body: BodyPump, locale: Locale): Promise<PreparedImport> {
    if (this.host.isClosed) throw new Error('import worker closed');
    if (this.inline) return prepareHere(body, locale);
    let w: Worker;
    try {
      w = await this.host.thread();
    } catch (e) {
      if (this.pending.size === 0 && !this.host.isClosed) {
        console.error(`kense cloud: the import worker thread did not start (${(e as Error).message}); imports are prepared in the server thread`);
        this.inline = true;
        return prepareHere(body, locale);
      }
      throw e;
    }
    const id = this.nextId++;
    const answer = new Promise<PreparedImport>((resolve, reject) => this.pending.set(id, { parts: [], resolve, reject }));
    // Awaited once the body is sent; a worker that dies meanwhile must not leave a rejection nobody handles.
    answer.catch(() => undefined);
    const send = (m: ToWorker, transfer: ArrayBuffer[] = []) => w.postMessage(m, transfer);
    send({ id, start: { locale } });
    // Each piece is memory of its own (the chunks may share the socket's buffers), handed over without a copy.
    let piece = new Uint8Array(PIECE);
    let filled = 0;
    const flush = () => {
      if (filled === 0) return;
      const out = filled === piece.length ? piece : piece.slice(0, filled);
      send({ id, piece: out }, [out.buffer as ArrayBuffer]);
      piece = new Uint8Array(PIECE);
      filled = 0;
    };
    try {
      await body((chunk) => {
        for (let at = 0; at < chunk.length; ) {
          const n = Math.min(chunk.length - at, PIECE - filled);
          piece.set(chunk.subarray(at, at + n), filled);
          filled += n;
          at += n;
          if (filled === PIECE) flush();
        }
      });
    } catch (e) {
      this.pending.delete(id);
      send({ id, abort: true });
      throw e;
    }
    flush();
    send({ id, end: true });
    return answer;
  }

  close(): Promise<void> {
    return this.host.close();
  }
}

/** The fallback without a thread: the body joined in slices, then prepared here (itself in slices). */
async function prepareHere(body: BodyPump, locale: Locale): Promise<PreparedImport> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  await body((c) => {
    chunks.push(new Uint8Array(c));
    total += c.length;
  });
  return prepareImport(await joinSliced(chunks, total), locale);
}
