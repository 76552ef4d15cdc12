// Create routes answer a retry with their first answer. The client names the thing it creates — an `id` it made
// (a UUID, then also the new entity's id) or an `Idempotency-Key` header — and the first answer is kept under that
// key, per company, in the same transaction that creates the thing: a retry after a timeout, or 20 copies at once,
// create it once and all get the same answer. The same key with another request is IDEMPOTENCY_KEY_REUSED.
import { KenseError } from '../../contract/errors';
import type { EndpointName } from '../../contract/cloud';
import type { Call } from './context';
import { jsonDigestSliced } from './canonical-json';
import { companyTx, type Trx } from './feed';
import type { Db } from './db/connect';

/** A first answer given again (the HTTP layer adds `Idempotent-Replayed: true`). */
export class Replay {
  constructor(readonly data: unknown) {}
}

export interface IdemKey {
  key: string;
  route: EndpointName;
  requestSha256: string;
}

/** The key of this create call: the client-made id when there is one, else the Idempotency-Key header, else none. */
export async function idempotencyKey(c: Call, route: EndpointName, clientId: string | undefined, digest?: string): Promise<IdemKey | null> {
  const key = clientId ? `id:${clientId.toLowerCase()}` : c.idempotencyKey ? `key:${c.idempotencyKey}` : null;
  // `digest`: the same digest made elsewhere (the import worker hashes the import it parsed).
  return key ? { key, route, requestSha256: digest ?? (await jsonDigestSliced({ route, body: c.body ?? null })) } : null;
}

async function lookup(db: Db | Trx, c: Call, k: IdemKey): Promise<Replay | null> {
  const row = await db.selectFrom('idempotency').selectAll().where('company_id', '=', c.principal.company.id).where('key', '=', k.key).executeTakeFirst();
  if (!row) return null;
  if (row.route !== k.route || row.request_sha256 !== k.requestSha256 || row.user_id !== c.principal.user.id) {
    throw new KenseError('IDEMPOTENCY_KEY_REUSED', { key: k.key.replace(/^(id|key):/, ''), route: row.route === k.route ? k.route : 'another' });
  }
  return new Replay(JSON.parse(row.response));
}

/** The first answer under this key, when there is one (no lock: a quick way out before heavy work). */
export function replayOf(c: Call, k: IdemKey | null): Promise<Replay | null> {
  return k ? lookup(c.s.db, c, k) : Promise.resolve(null);
}

/**
 * Runs `create` in the company transaction unless the key already has an answer; the answer is stored with
 * what it created. `entityExists` (a client-made id taken by anything, in any company) is refused as a reused key.
 */
export async function createOnce<T>(c: Call, k: IdemKey | null, create: (trx: Trx) => Promise<T>, entityExists?: (trx: Trx) => Promise<boolean>): Promise<T | Replay> {
  return companyTx(c.s, c.principal.company.id, async (trx) => {
    if (k) {
      const prev = await lookup(trx, c, k);
      if (prev) return prev;
      if (entityExists && (await entityExists(trx))) throw new KenseError('IDEMPOTENCY_KEY_REUSED', { key: k.key.replace(/^(id|key):/, ''), route: k.route });
    }
    const out = await create(trx);
    if (k) {
      await trx
        .insertInto('idempotency')
        .values({ company_id: c.principal.company.id, key: k.key, route: k.route, user_id: c.principal.user.id, request_sha256: k.requestSha256, status: 201, response: JSON.stringify(out), created_at: c.s.clock.now() })
        .execute();
    }
    return out;
  });
}
