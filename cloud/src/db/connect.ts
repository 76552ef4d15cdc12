// Opens the server's database: PGlite in a data folder by default, PostgreSQL when a URL is given.
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from './pglite-dialect';
import { migrate } from './migrate';
import { lockStorage } from './storage-lock';
import type { Database } from './schema';

export type Db = Kysely<Database>;
export type StorageKind = 'pglite' | 'postgres';

export interface OpenedDatabase {
  db: Db;
  kind: StorageKind;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;

/** Same JavaScript types from both drivers: int8 → number (ids and sums stay below 2^53), date → 'YYYY-MM-DD'. */
const toNumber = (v: string) => Number(v);
const asIs = (v: string) => v;

export interface OpenOptions {
  dataDir?: string;
  databaseUrl?: string;
  poolSize?: number;
  /** Who opens a PGlite folder (named to a second process that is refused): e.g. `kense cloud serve`. */
  holder?: string;
}

export async function openDatabase(opts: OpenOptions): Promise<OpenedDatabase> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === INT8) return toNumber;
          if (oid === DATE) return asIs;
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    // An idle pooled connection can be closed by the server (restart, admin command): say so, do not crash.
    let closing = false;
    pool.on('error', (e) => {
      if (!closing) console.error('kense cloud: PostgreSQL connection lost:', e.message);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await migrate(db);
    return {
      db,
      kind: 'postgres',
      close: async () => {
        closing = true;
        await db.destroy();
      },
    };
  }
  // One process per folder: the OS lock is taken before PGlite touches a file, and held until close (or death).
  const lock = opts.dataDir ? await lockStorage(opts.dataDir, opts.holder ?? `kense cloud (${path.basename(process.argv[1] ?? 'node')})`) : null;
  let db: Kysely<Database> | undefined;
  try {
    const lite = await PGlite.create({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), parsers: { [INT8]: toNumber, [DATE]: asIs } });
    db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
    await migrate(db);
  } catch (e) {
    await db?.destroy().catch(() => undefined);
    lock?.release();
    throw e;
  }
  const opened = db;
  return {
    db: opened,
    kind: 'pglite',
    close: async () => {
      try {
        await opened.destroy();
      } finally {
        lock?.release();
      }
    },
  };
}
