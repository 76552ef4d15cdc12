// The CRL worker thread's side (pool.ts): reads a CRL (from shared bytes, or a file straight into shared memory),
// indexes it and checks its signature against the certificates that may have issued it, and answers with the index.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { isKenseError } from '../../../contract/errors';
import { parseCertificate } from '../../../native-bridge/pki/certificate';
import { crlFromIndex, indexCrl, verifyCrl } from '../../../native-bridge/pki/crl';
import { lowerThisThreadPriority } from '../worker-thread';
import type { CrlAnswer, CrlJob } from './pool';

lowerThisThreadPriority();

/** Files above this are not CRLs a server should hold (НУЦ's full CRL is ~20 MB). */
const MAX_FILE = 256 * 1024 * 1024;

function readShared(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_FILE) throw new Error(`${file}: ${size} bytes, more than a CRL (${MAX_FILE})`);
    const out = new Uint8Array(new SharedArrayBuffer(size));
    for (let at = 0; at < size; ) {
      const n = readSync(fd, out, at, size - at, at);
      if (n === 0) throw new Error(`${file}: shorter than its size`);
      at += n;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

parentPort!.on('message', (job: CrlJob) => {
  let answer: CrlAnswer;
  const transfer: ArrayBuffer[] = [];
  try {
    const { der, index } = indexCrl('file' in job ? readShared(job.file) : job.bytes);
    const crl = crlFromIndex(der, index);
    const issued: Record<string, boolean> = {};
    for (const raw of job.issuers) {
      const issuer = parseCertificate(raw);
      issued[issuer.sha256] = verifyCrl(crl, issuer);
    }
    answer = { id: job.id, der, index, issued };
    transfer.push(index.slots.buffer as ArrayBuffer);
    // DER decoded from PEM is this thread's own memory: handed over. Shared bytes are shared already.
    if (!(der.buffer instanceof SharedArrayBuffer)) transfer.push(der.buffer as ArrayBuffer);
  } catch (e) {
    answer = { id: job.id, error: isKenseError(e) ? { code: e.code, message: e.message, details: e.details } : { message: (e as Error)?.message ?? String(e) } };
  }
  parentPort!.postMessage(answer, transfer);
});
parentPort!.postMessage({ ready: true });
