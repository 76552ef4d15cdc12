// Where fetched CRLs and OCSP responses are kept between uses: a small interface (get/put of the raw
// bytes by URL, with when they were fetched and what period they cover), an in-memory implementation
// and a folder of files. The desktop core implements the same interface over its encrypted database.
// A store keeps what it is given and returns it as it was: it judges nothing (the RevocationSource
// parses and checks every entry it reads, so a damaged or planted entry is set aside, never trusted).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One stored CRL or OCSP response. */
export interface RevocationCacheEntry {
  /**
   * What it is stored under: the CRL's URL as the certificate names it (distribution point or
   * freshestCRL); for OCSP the responder URL + `#` + hex SHA-256 of the certificate's CertID.
   */
  key: string;
  kind: 'crl' | 'ocsp';
  /** The DER exactly as the server sent it. */
  bytes: Uint8Array;
  fetchedAt: Date;
  /** The period it speaks for (CRL thisUpdate/nextUpdate; OCSP SingleResponse thisUpdate/nextUpdate). */
  thisUpdate: Date;
  nextUpdate?: Date;
}

export interface RevocationStore {
  /** The entry stored under `key`, or undefined. Never throws for a missing or unreadable entry. */
  get(key: string): Promise<RevocationCacheEntry | undefined>;
  /** Stores (replaces) the entry under `entry.key`. */
  put(entry: RevocationCacheEntry): Promise<void>;
}

/** In memory (tests, the cloud until it keeps them in its database). */
export class MemoryRevocationStore implements RevocationStore {
  private readonly entries = new Map<string, RevocationCacheEntry>();

  async get(key: string): Promise<RevocationCacheEntry | undefined> {
    const e = this.entries.get(key);
    return e && { ...e, bytes: e.bytes };
  }

  async put(entry: RevocationCacheEntry): Promise<void> {
    this.entries.set(entry.key, { ...entry });
  }

  get size(): number {
    return this.entries.size;
  }
}

interface FileMeta {
  key: string;
  kind: 'crl' | 'ocsp';
  fetchedAt: string;
  thisUpdate: string;
  nextUpdate?: string;
  /** The data file beside it (named by the content's hash, so a half-written update is never read as whole). */
  file: string;
  sha256: string;
  size: number;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/**
 * A folder: `<hash of key>.json` (what and when) + `<hash of key>-<hash of content>.der` (the bytes).
 * Every write is a temp file + rename; the data file is written before the JSON that names it, and a
 * reader checks the bytes against the SHA-256 in the JSON, so a crash mid-write leaves the previous
 * entry or nothing — never a torn CRL.
 */
export class FileRevocationStore implements RevocationStore {
  constructor(readonly dir: string) {}

  private base(key: string): string {
    return sha256(key).slice(0, 32);
  }

  async get(key: string): Promise<RevocationCacheEntry | undefined> {
    try {
      const meta = JSON.parse(readFileSync(path.join(this.dir, `${this.base(key)}.json`), 'utf8')) as FileMeta;
      if (meta.key !== key || path.basename(meta.file) !== meta.file) return undefined;
      const bytes = new Uint8Array(readFileSync(path.join(this.dir, meta.file)));
      if (sha256(bytes) !== meta.sha256) return undefined;
      const thisUpdate = new Date(meta.thisUpdate);
      const fetchedAt = new Date(meta.fetchedAt);
      if (Number.isNaN(thisUpdate.getTime()) || Number.isNaN(fetchedAt.getTime())) return undefined;
      return { key, kind: meta.kind === 'ocsp' ? 'ocsp' : 'crl', bytes, fetchedAt, thisUpdate, ...(meta.nextUpdate ? { nextUpdate: new Date(meta.nextUpdate) } : {}) };
    } catch {
      return undefined;
    }
  }

  /** What the folder holds (for `kense doctor`): key, kind and dates of every readable entry, without the bytes. */
  list(): Omit<RevocationCacheEntry, 'bytes'>[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
    const out: Omit<RevocationCacheEntry, 'bytes'>[] = [];
    for (const n of names) {
      try {
        const m = JSON.parse(readFileSync(path.join(this.dir, n), 'utf8')) as FileMeta;
        out.push({ key: m.key, kind: m.kind, fetchedAt: new Date(m.fetchedAt), thisUpdate: new Date(m.thisUpdate), ...(m.nextUpdate ? { nextUpdate: new Date(m.nextUpdate) } : {}) });
      } catch {
        // unreadable entries are reported by get() as absent
      }
    }
    return out;
  }

  async put(entry: RevocationCacheEntry): Promise<void> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const base = this.base(entry.key);
    const hash = sha256(entry.bytes);
    const file = `${base}-${hash.slice(0, 16)}.der`;
    writeAtomically(path.join(this.dir, file), entry.bytes);
    const meta: FileMeta = {
      key: entry.key,
      kind: entry.kind,
      fetchedAt: entry.fetchedAt.toISOString(),
      thisUpdate: entry.thisUpdate.toISOString(),
      ...(entry.nextUpdate ? { nextUpdate: entry.nextUpdate.toISOString() } : {}),
      file,
      sha256: hash,
      size: entry.bytes.length,
    };
    writeAtomically(path.join(this.dir, `${base}.json`), `${JSON.stringify(meta, null, 2)}\n`);
    // Older data files of this key are no longer named by the JSON.
    for (const f of readdirSync(this.dir)) if (f.startsWith(`${base}-`) && f.endsWith('.der') && f !== file) rmSync(path.join(this.dir, f), { force: true });
  }
}

function writeAtomically(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
