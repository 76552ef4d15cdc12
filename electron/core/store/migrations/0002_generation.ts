// A re-download (CURSOR_RESET after a server restore, or the user's re-sync) must not empty the cache first: rows
// carry the generation of the download that wrote them, and the old generation is swept only when the new one is
// complete — until then the office (and offline signing) keeps working from what it has.
import type { Migration } from './types';

export const m0002: Migration = {
  version: 2,
  name: 'generation',
  up(db) {
    db.exec(`
      ALTER TABLE documents ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE entities ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX documents_gen ON documents (gen);
    `);
  },
};
