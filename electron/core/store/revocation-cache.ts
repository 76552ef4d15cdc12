// CRLs (and OCSP answers) fetched while online, kept in the encrypted profile database so signatures can be judged
// offline; the verdict then says how fresh they were. native-bridge/pki's RevocationSource fetches and judges them;
// this is its RevocationStore over the encrypted database.
import type { RevocationCacheEntry, RevocationStore } from '../../../native-bridge/pki/revocation-store';
import type { Store } from './store';

interface Raw {
  key: string;
  kind: 'crl' | 'ocsp';
  bytes: Buffer;
  fetched_at: string;
  this_update: string;
  next_update: string | null;
}

const fromRaw = (r: Raw): RevocationCacheEntry => ({
  key: r.key, kind: r.kind, bytes: new Uint8Array(r.bytes), fetchedAt: new Date(r.fetched_at), thisUpdate: new Date(r.this_update),
  ...(r.next_update ? { nextUpdate: new Date(r.next_update) } : {}),
});

export class RevocationCache implements RevocationStore {
  constructor(private readonly store: Store) {}

  async get(key: string): Promise<RevocationCacheEntry | undefined> {
    if (this.store.isClosed) return undefined;
    const r = this.store.r.prepare('SELECT * FROM revocation_cache WHERE key = ?').get(key) as Raw | undefined;
    return r ? fromRaw(r) : undefined;
  }

  async put(e: RevocationCacheEntry): Promise<void> {
    if (this.store.isClosed) return;
    await this.store.tx(() =>
      this.store.w
        .prepare(
          `INSERT INTO revocation_cache (key, kind, bytes, fetched_at, this_update, next_update) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, bytes = excluded.bytes, fetched_at = excluded.fetched_at,
             this_update = excluded.this_update, next_update = excluded.next_update`,
        )
        .run(e.key, e.kind, Buffer.from(e.bytes), e.fetchedAt.toISOString(), e.thisUpdate.toISOString(), e.nextUpdate?.toISOString() ?? null),
    );
  }

  /** Every cached CRL (offline verification passes them all; the PKI layer picks the issuer's). */
  crls(): RevocationCacheEntry[] {
    return (this.store.r.prepare(`SELECT * FROM revocation_cache WHERE kind = 'crl'`).all() as Raw[]).map(fromRaw);
  }
}
