// Route handler types: each contract endpoint gets a handler with its parsed params, query and body.
import type { BodyOf, EndpointName, ParamsOf, QueryOf, ResponseOf } from '../../../../contract/cloud';
import type { Call } from '../../context';
import type { Replay } from '../../idempotency';

/** A handler may answer with prepared JSON, as UTF-8 bytes (the sync feed), instead of an object. */
export class RawJson {
  constructor(readonly bytes: Uint8Array) {}
}

/** A create route may answer a retry with its first answer (Replay). */
export type Handler<N extends EndpointName> = (c: Call<ParamsOf<N>, QueryOf<N>, BodyOf<N>>) => Promise<ResponseOf<N> | RawJson | Replay>;
export type Handlers<K extends EndpointName> = { [N in K]: Handler<N> };

/** Keyset pages over ids: `after` is the last id of the previous page. */
export function pageOf<T extends { id: string }>(items: T[], limit: number): { items: T[]; nextAfter: string | null } {
  return { items, nextAfter: items.length === limit ? items[items.length - 1].id : null };
}
