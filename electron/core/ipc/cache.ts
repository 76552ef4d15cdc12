// Reading the cache's generic entities table (what the feed carries besides documents) for the handlers.
import type { z } from 'zod';
import type { Core, OpenProfile } from '../core';

/** Cached entities of one kind, each checked against its schema (a row that does not fit is left out and logged). */
export function entities<T>(core: Core, p: OpenProfile, entity: string, schema: z.ZodType<T>): T[] {
  const rows = p.store.r.prepare('SELECT data FROM entities WHERE entity = ?').all(entity) as { data: string }[];
  const out: T[] = [];
  for (const r of rows) {
    const parsed = schema.safeParse(JSON.parse(r.data));
    if (parsed.success) out.push(parsed.data);
    else core.o.log?.('cached entity does not match the contract', { entity });
  }
  return out;
}
