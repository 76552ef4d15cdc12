// The worker thread's side: prepares one accounting import at a time (domain/accounting-import.ts) and answers.
// Its heap and its CPU time are its own: the server's event loop keeps answering every other request meanwhile.
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { Locale } from '../../../contract/errors';
import { prepareImport } from '../domain/accounting-import';

export interface ImportJob {
  id: number;
  bytes: Uint8Array;
  locale: Locale;
}

// On Linux this thread steps back (nice 10) so that the thread answering requests gets the CPU first; an import
// takes a little longer when the machine is busy, nobody else waits for it.
try {
  const tid = Number(/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
  if (tid > 0) os.setPriority(tid, 10);
} catch {
  // not Linux, or not allowed: the thread keeps the process's priority
}

parentPort!.on('message', (job: ImportJob) => {
  prepareImport(job.bytes, job.locale).then(
    (result) => {
      // The parts travel one message each: the server thread takes in ~100 KB at a time, never 20 MB at once.
      if (result.ok) for (const part of result.parts) parentPort!.postMessage({ id: job.id, part });
      parentPort!.postMessage({ id: job.id, result: result.ok ? { ...result, parts: [] } : result });
    },
    (e: Error) => parentPort!.postMessage({ id: job.id, error: e?.message ?? String(e) }),
  );
});
parentPort!.postMessage({ ready: true });
