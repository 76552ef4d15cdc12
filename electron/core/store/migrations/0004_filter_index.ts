// Search and filters over 100 000 documents: an FTS match used to be checked against the table by rowid, reading each
// matching row's record (~3 KB of JSON, decrypted page by page) — 0.4–1.5 s for a one- or two-letter prefix. This
// index holds every column the office filters on, in date order: a search reads only it (count and the list's first
// page in milliseconds) and the rows of the page shown. It replaces documents_date, whose (date, rowid) it starts with.
import type { Migration } from './types';

export const m0004: Migration = {
  version: 4,
  name: 'documents filter index',
  up(db) {
    db.exec(`
      CREATE INDEX documents_filter ON documents (date, kind, direction, state, local_state, awaiting, counterparty_iin_bin, amount, deadline);
      DROP INDEX IF EXISTS documents_date;
    `);
  },
};
