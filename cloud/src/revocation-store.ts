// The server's RevocationStore (native-bridge/pki/revocation-store.ts) over its own database: CRLs and OCSP answers
// the RevocationSource fetched, with their period, kept across restarts (table revocation_cache, migration 0010).
// Like every store it judges nothing: the source parses and checks each entry against the issuer before use.
import type { RevocationCacheEntry, RevocationStore } from '../../native-bridge/pki/revocation-store';
import type { Db } from './db/connect';

export class DbRevocationStore implements RevocationStore {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<RevocationCacheEntry | undefined> {
    const r = await this.db.selectFrom('revocation_cache').selectAll().where('key', '=', key).executeTakeFirst();
    if (!r) return undefined;
    return {
      key: r.key, kind: r.kind === 'ocsp' ? 'ocsp' : 'crl', bytes: new Uint8Array(r.bytes), fetchedAt: r.fetched_at, thisUpdate: r.this_update,
      ...(r.next_update ? { nextUpdate: r.next_update } : {}),
    };
  }

  async put(e: RevocationCacheEntry): Promise<void> {
    const row = { kind: e.kind, bytes: e.bytes, fetched_at: e.fetchedAt, this_update: e.thisUpdate, next_update: e.nextUpdate ?? null };
    await this.db.insertInto('revocation_cache').values({ key: e.key, ...row }).onConflict((oc) => oc.column('key').doUpdateSet(row)).execute();
  }
}
