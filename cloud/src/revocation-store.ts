// The server's RevocationStore (native-bridge/pki/revocation-store.ts) over its own database: CRLs and OCSP answers
// the RevocationSource fetched, with their period, kept across restarts (table revocation_cache, migration 0010).
// Like every store it judges nothing: the source parses and checks each entry against the issuer before use.
//
// A НУЦ CRL is ~20 MB. As one bytea value it held the server's thread for tens of seconds on PGlite (Postgres runs
// on that thread, and its driver turns bytea parameters into text in JavaScript) and for half a second on
// PostgreSQL. So bytes travel as base64 text (decoded and encoded by Postgres itself), and an entry above PART bytes
// is kept in parts (revocation_cache_parts, migration 0011), one short statement each, written under a new parts id
// before the row is switched to it: a reader meets the old parts or the new, whole.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RevocationCacheEntry, RevocationStore } from '../../native-bridge/pki/revocation-store';
import type { Db } from './db/connect';
import { joinSliced } from './slicer';

/** Bytes per part: a statement of well under 20 ms on PGlite. */
const PART = 256 * 1024;
/** Parts nobody names (a put that did not finish) are dropped after this long. */
const ORPHAN_MS = 3600_000;

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const fromBase64 = (b64: string) => Buffer.from(b64, 'base64');
const bytea = (bytes: Uint8Array) => sql<Uint8Array>`decode(${toBase64(bytes)}, 'base64')`;

export class DbRevocationStore implements RevocationStore {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<RevocationCacheEntry | undefined> {
    const r = await this.db
      .selectFrom('revocation_cache')
      .select(['key', 'kind', 'fetched_at', 'this_update', 'next_update', 'parts_id', 'parts', sql<string>`encode(bytes, 'base64')`.as('b64')])
      .where('key', '=', key)
      .executeTakeFirst();
    if (!r) return undefined;
    const bytes = r.parts_id ? await this.readParts(r.parts_id, r.parts ?? 0) : fromBase64(r.b64);
    // Replaced while being read: as if not kept (the source fetches it, or reads the new one next time).
    if (!bytes) return undefined;
    return {
      key: r.key, kind: r.kind === 'ocsp' ? 'ocsp' : 'crl', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), fetchedAt: r.fetched_at, thisUpdate: r.this_update,
      ...(r.next_update ? { nextUpdate: r.next_update } : {}),
    };
  }

  async put(e: RevocationCacheEntry): Promise<void> {
    const now = new Date();
    const partsId = e.bytes.length > PART ? randomUUID() : null;
    let parts = 0;
    if (partsId) {
      for (let at = 0; at < e.bytes.length; at += PART, parts++) {
        await this.db.insertInto('revocation_cache_parts').values({ parts_id: partsId, part: parts, bytes: bytea(e.bytes.subarray(at, at + PART)), created_at: now }).execute();
      }
    }
    const row = { kind: e.kind, bytes: bytea(partsId ? new Uint8Array(0) : e.bytes), fetched_at: e.fetchedAt, this_update: e.thisUpdate, next_update: e.nextUpdate ?? null, parts_id: partsId, parts: partsId ? parts : null };
    const before = await this.db.transaction().execute(async (trx) => {
      const old = await trx.selectFrom('revocation_cache').select('parts_id').where('key', '=', e.key).forUpdate().executeTakeFirst();
      await trx.insertInto('revocation_cache').values({ key: e.key, ...row }).onConflict((oc) => oc.column('key').doUpdateSet(row)).execute();
      return old?.parts_id ?? null;
    });
    if (before) await this.db.deleteFrom('revocation_cache_parts').where('parts_id', '=', before).execute();
    await this.db
      .deleteFrom('revocation_cache_parts')
      .where('created_at', '<', new Date(now.getTime() - ORPHAN_MS))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('revocation_cache as c').select(sql`1`.as('x')).whereRef('c.parts_id', '=', 'revocation_cache_parts.parts_id'))))
      .execute();
  }

  /** The parts in order, joined without a long turn; undefined when one is gone. */
  private async readParts(partsId: string, count: number): Promise<Buffer | undefined> {
    const pieces: Buffer[] = [];
    let total = 0;
    for (let i = 0; i < count; i++) {
      const p = await this.db.selectFrom('revocation_cache_parts').select(sql<string>`encode(bytes, 'base64')`.as('b64')).where('parts_id', '=', partsId).where('part', '=', i).executeTakeFirst();
      if (!p) return undefined;
      const piece = fromBase64(p.b64);
      pieces.push(piece);
      total += piece.length;
    }
    return joinSliced(pieces, total);
  }
}
