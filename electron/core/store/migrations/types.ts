// The shape of one numbered migration of the profile database (its own module: the migrations and their list
// both import it, so neither imports the other).
import type Sqlite from 'better-sqlite3-multiple-ciphers';

export interface Migration {
  version: number;
  name: string;
  up(db: Sqlite.Database): void;
}
