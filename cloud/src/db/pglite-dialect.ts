// A Kysely dialect for PGlite (Postgres in WASM). PGlite has one connection, so every query and every
// transaction takes a turn through one queue: a transaction holds the connection until commit/rollback.
// PGlite runs each query on this thread and resolves at once, so a request doing many queries would otherwise
// never let the event loop turn (a push of 100 mutations held every other request for a second): after a few
// milliseconds of queries the connection hands the event loop back before the next one.
import type { PGlite } from '@electric-sql/pglite';
import { Slicer } from '../slicer';
import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult, type TransactionSettings,
} from 'kysely';

/** Shared by every PGlite connection of the process: they all run on this one thread. */
const turns = new Slicer();

class Turnstile {
  private tail: Promise<void> = Promise.resolve();
  /** Resolves when it is the caller's turn; call the returned function to pass the turn on. */
  async enter(): Promise<() => void> {
    let leave!: () => void;
    const mine = new Promise<void>((r) => (leave = r));
    const before = this.tail;
    this.tail = before.then(() => mine);
    await before;
    return leave;
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    await turns.step();
    const r = await this.pg.query<R>(q.sql, q.parameters as unknown[]);
    const command = r.command?.toUpperCase();
    const counted = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
    return { rows: r.rows, ...(counted ? { numAffectedRows: BigInt(r.rowCount ?? r.affectedRows ?? 0) } : {}) };
  }

   
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on PGlite');
  }
}

class PGliteDriver implements Driver {
  private readonly turn = new Turnstile();
  private readonly leaves = new WeakMap<DatabaseConnection, () => void>();
  private readonly connection: PGliteConnection;

  constructor(private readonly pg: PGlite) {
    this.connection = new PGliteConnection(pg);
  }
  async init(): Promise<void> {
    await this.pg.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const leave = await this.turn.enter();
    // One physical connection: the turnstile guarantees a single holder, the map remembers how to leave.
    const handle = Object.create(this.connection) as PGliteConnection;
    this.leaves.set(handle, leave);
    return handle;
  }
  async beginTransaction(c: DatabaseConnection, s: TransactionSettings): Promise<void> {
    const iso = s.isolationLevel ? ` isolation level ${s.isolationLevel}` : '';
    await c.executeQuery(CompiledQuery.raw(`begin${iso}`));
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(c: DatabaseConnection): Promise<void> {
    this.leaves.get(c)?.();
    this.leaves.delete(c);
  }
  async destroy(): Promise<void> {
    const leave = await this.turn.enter();
    try {
      if (!this.pg.closed) await this.pg.close();
    } finally {
      leave();
    }
  }
}

export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}
