// Each document's JSON moves out of the documents table into document_bodies. The documents rows become small
// (the columns the list filters, sorts and searches on), so building an index or the FTS table reads a few MB
// instead of every document's ~3 KB of JSON, and a bulk download can defer its indexes (sync/apply.ts).
import type { Migration } from './types';

export const m0006: Migration = {
  version: 6,
  name: 'document bodies',
  up(db) {
    db.exec(`
      CREATE TABLE document_bodies (doc INTEGER PRIMARY KEY, data TEXT NOT NULL);
      INSERT INTO document_bodies (doc, data) SELECT rowid, data FROM documents;
      ALTER TABLE documents DROP COLUMN data;
      CREATE TRIGGER documents_body_ad AFTER DELETE ON documents BEGIN
        DELETE FROM document_bodies WHERE doc = old.rowid;
      END;
    `);
  },
};
