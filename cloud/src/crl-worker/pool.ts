// The server's CRL worker: a CRL of НУЦ РК is ~20 MB and ~500 000 entries; reading it (one pass, the serial index)
// and checking its signature (hashing all 20 MB — GOST hashing in JavaScript takes seconds) would hold the thread
// answering every tenant's requests. Here both run in a worker thread: the bytes are shared with it, not copied
// (a file is read by the worker straight into shared memory), the index comes back as typed arrays handed over
// without a copy, and the signature verdicts are noted for crlIssuedBy. Where the thread cannot start, CRLs are
// read in this thread as before.
import { readFile } from 'node:fs/promises';
import { KenseError, isErrorCode } from '../../../contract/errors';
import { type Crl, type CrlIndex, crlFromIndex, parseCrl } from '../../../native-bridge/pki/crl';
import { noteCrlIssuer } from '../../../native-bridge/pki/revocation';
import type { KzCertificate } from '../../../native-bridge/pki/types';
import { copySliced } from '../slicer';
import { WorkerHost } from '../worker-thread';

/** To the worker: the CRL's bytes (shared memory) or a file to read, and the certificates that may have issued it. */
export type CrlJob = { id: number; issuers: Uint8Array[] } & ({ bytes: Uint8Array } | { file: string });

/** From the worker: the DER and its index, with the signature verdict per issuer (by certificate SHA-256). */
export type CrlAnswer = { id: number } & ({ der: Uint8Array; index: CrlIndex; issued: Record<string, boolean> } | { error: { code?: string; message: string; details?: Record<string, unknown> } });

export class CrlWorker {
  private readonly host = new WorkerHost(new URL('./worker.ts', import.meta.url), {
    message: (m) => this.answer(m as CrlAnswer),
    failed: (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    },
  });
  private nextId = 1;
  private readonly pending = new Map<number, { issuers: readonly KzCertificate[]; resolve(c: Crl): void; reject(e: Error): void }>();
  private inline = false;

  /** A CRL from its bytes (DER or PEM), checked against each of `issuers` (crlIssuedBy then answers at once). */
  async parse(bytes: Uint8Array, issuers: readonly KzCertificate[]): Promise<Crl> {
    const w = await this.thread();
    if (!w) return parseCrl(bytes); // crlIssuedBy checks the signature when first asked
    // Shared with the worker and kept by the CRL (its entries are decoded from these bytes on lookup).
    const shared = await copySliced([bytes], new Uint8Array(new SharedArrayBuffer(bytes.length)));
    return this.ask((id) => ({ id, bytes: shared, issuers: issuers.map((c) => c.der) }), issuers);
  }

  /** A CRL file, read by the worker (DER or PEM). */
  async parseFile(file: string, issuers: readonly KzCertificate[]): Promise<Crl> {
    const w = await this.thread();
    if (!w) return parseCrl(new Uint8Array(await readFile(file)));
    return this.ask((id) => ({ id, file, issuers: issuers.map((c) => c.der) }), issuers);
  }

  close(): Promise<void> {
    return this.host.close();
  }

  /** The worker, or null when no thread can run here (then CRLs are read in this thread). */
  private async thread() {
    if (this.inline) return null;
    try {
      return await this.host.thread();
    } catch (e) {
      if (this.host.isClosed) throw e;
      console.error(`kense cloud: the CRL worker thread did not start (${(e as Error).message}); CRLs are read in the server thread`);
      this.inline = true;
      return null;
    }
  }

  private async ask(job: (id: number) => CrlJob, issuers: readonly KzCertificate[]): Promise<Crl> {
    const w = await this.host.thread();
    const id = this.nextId++;
    return new Promise<Crl>((resolve, reject) => {
      this.pending.set(id, { issuers, resolve, reject });
      w.postMessage(job(id));
    });
  }

  private answer(m: CrlAnswer): void {
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (!p) return;
    if ('error' in m) {
      const { code, message, details } = m.error;
      return p.reject(code && isErrorCode(code) ? new KenseError(code, details) : new Error(message));
    }
    const crl = crlFromIndex(m.der, m.index);
    for (const c of p.issuers) if (c.sha256 in m.issued) noteCrlIssuer(crl, c, m.issued[c.sha256]);
    p.resolve(crl);
  }
}
