// The generation index cost every insert of a download to serve one sweep at its end; the sweep walks the table by
// rowid instead (apply.ts finishRebuild).
import type { Migration } from './types';

export const m0003: Migration = {
  version: 3,
  name: 'no generation index',
  up(db) {
    db.exec('DROP INDEX IF EXISTS documents_gen;');
  },
};
