// The trust mode a cloud storage (a PGlite folder or a PostgreSQL database) runs with, kept in the storage itself
// (`meta`, key `trust_mode`), so that restarting `kense cloud serve` without the options it was seeded with keeps
// it: a demo folder seeded with test trust must not come back under production trust, where its users cannot sign
// in and every signature made with the test keys is refused (CERT_UNTRUSTED).
//
// A command line that names the mode gets it and records it: `--trust MODE`, or `--seed demo` (which implies test)
// without --trust. One that names none reads the record; a storage with no record yet is test when it already holds
// the demo tenant (seeded before records existed) and production otherwise, and that is recorded. So the same
// command line always gives the same mode, and the record changes only when a command line names another one.
import type { TrustMode } from './config';
import type { Db } from './db/connect';

export const TRUST_META_KEY = 'trust_mode';

/** How the mode was chosen: named on the command line, read from the storage's record, or found for a storage without one. */
export type TrustSource = 'flag' | 'seed' | 'recorded' | 'demo-data' | 'default';

export interface TrustRecord {
  mode: TrustMode;
  /** What set it: `--trust`, `--seed demo`, the demo tenant found in a storage without a record, or the default. */
  how: Exclude<TrustSource, 'recorded'>;
  /** When it was recorded (ISO 8601). */
  at: string;
}

/** What the storage says before this start. */
export interface TrustFacts {
  recorded: TrustRecord | null;
  /** The demo tenant (АО "ТЕСТ", test БИН and ИИН, НУЦ РК test keys) is in the storage. */
  demoTenant: boolean;
}

export interface TrustDecision {
  mode: TrustMode;
  source: TrustSource;
  /** The record before this start (null: none). */
  previous: TrustRecord | null;
  /** The record this start writes (null: it stays as it was). */
  record: TrustRecord | null;
  /** The mode differs from the one recorded before (named on the command line). */
  changed: boolean;
  /** The storage holds (or this start seeds) the demo tenant while running with production trust. */
  demoUnderProduction: boolean;
  demoTenant: boolean;
}

/** The decision for one start; `flag` is `--trust` as given, `seedDemo` is `--seed demo[:N]`. */
export function decideTrust(o: { flag?: TrustMode; seedDemo: boolean }, facts: TrustFacts, now: Date): TrustDecision {
  const previous = facts.recorded;
  let mode: TrustMode;
  let source: TrustSource;
  if (o.flag) [mode, source] = [o.flag, 'flag'];
  else if (o.seedDemo) [mode, source] = ['test', 'seed'];
  else if (previous) [mode, source] = [previous.mode, 'recorded'];
  else if (facts.demoTenant) [mode, source] = ['test', 'demo-data'];
  else [mode, source] = ['production', 'default'];
  const write = source !== 'recorded' && previous?.mode !== mode;
  return {
    mode,
    source,
    previous,
    record: write ? { mode, how: source as TrustRecord['how'], at: now.toISOString() } : null,
    changed: previous !== null && previous.mode !== mode,
    demoUnderProduction: mode === 'production' && (facts.demoTenant || o.seedDemo),
    demoTenant: facts.demoTenant || o.seedDemo,
  };
}

function parseRecord(value: string): TrustRecord | null {
  try {
    const r = JSON.parse(value) as Partial<TrustRecord>;
    if ((r.mode === 'test' || r.mode === 'production') && typeof r.how === 'string' && typeof r.at === 'string') return r as TrustRecord;
  } catch {
    // An unreadable record counts as none: the storage's content decides, and a valid one is written.
  }
  return null;
}

export async function readTrustFacts(db: Db): Promise<TrustFacts> {
  const { DEMO_BIN } = await import('./seed/demo');
  const row = await db.selectFrom('meta').select('value').where('key', '=', TRUST_META_KEY).executeTakeFirst();
  const demo = await db.selectFrom('companies').select('id').where('iin_bin', '=', DEMO_BIN).executeTakeFirst();
  return { recorded: row ? parseRecord(row.value) : null, demoTenant: demo !== undefined };
}

/** One statement: the record is replaced whole or not at all. */
export async function writeTrustRecord(db: Db, record: TrustRecord): Promise<void> {
  const value = JSON.stringify(record);
  await db.insertInto('meta').values({ key: TRUST_META_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}
