// The worker thread's side: prepares one accounting import at a time (domain/accounting-import.ts) and answers.
// Its heap and its CPU time are its own: the server's event loop keeps answering every other request meanwhile.
import { parentPort } from 'node:worker_threads';
import type { Locale } from '../../../contract/errors';
import { prepareImport } from '../domain/accounting-import';
import type { ToWorker } from './pool';
import { lowerThisThreadPriority } from '../worker-thread';

lowerThisThreadPriority();

/** Jobs whose body is still arriving. */
const arriving = new Map<number, { locale: Locale; pieces: Uint8Array[] }>();

function prepare(id: number, locale: Locale, bytes: Uint8Array): void {
  prepareImport(bytes, locale).then(
    (result) => {
      // The parts travel one message each, their bytes handed over without a copy: the server thread takes in
      // ~100 KB at a time, never 20 MB at once, and keeps them off its JS heap.
      if (result.ok) for (const part of result.parts) parentPort!.postMessage({ id, part }, [part.data.buffer as ArrayBuffer]);
      parentPort!.postMessage({ id, result: result.ok ? { ...result, parts: [] } : result });
    },
    (e: Error) => parentPort!.postMessage({ id, error: e?.message ?? String(e) }),
  );
}

parentPort!.on('message', (m: ToWorker) => {
  if ('start' in m) arriving.set(m.id, { locale: m.start.locale, pieces: [] });
  else if ('piece' in m) arriving.get(m.id)?.pieces.push(m.piece);
  else if ('abort' in m) arriving.delete(m.id);
  else {
    const job = arriving.get(m.id);
    arriving.delete(m.id);
    if (job) prepare(m.id, job.locale, Buffer.concat(job.pieces));
    else parentPort!.postMessage({ id: m.id, error: 'no such job' });
  }
});
parentPort!.postMessage({ ready: true });
