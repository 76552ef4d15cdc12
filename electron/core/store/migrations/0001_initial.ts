// The first schema: settings and tokens (meta), the cached feed (entities; documents with FTS), the outbox,
// signatures made here, the local audit log, revocation data fetched while online, certificates seen.
import type { Migration } from './types';

export const m0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

      -- Every feed entity except documents: data is the entity's JSON as the server sent it.
      CREATE TABLE entities (
        entity TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (entity, id)
      ) WITHOUT ROWID;

      -- Acts, service acts and reconciliation acts: the columns the list filters and sorts on, and the JSON.
      -- server_awaiting: awaits our answer by the server's state; awaiting: the same with the local overlay applied.
      CREATE TABLE documents (
        rowid INTEGER PRIMARY KEY,
        kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
        number TEXT NOT NULL, date TEXT NOT NULL, direction TEXT NOT NULL,
        counterparty_name TEXT NOT NULL, counterparty_iin_bin TEXT NOT NULL,
        amount INTEGER NOT NULL, search_amount TEXT NOT NULL,
        state TEXT NOT NULL, deadline TEXT, server_awaiting INTEGER NOT NULL, awaiting INTEGER NOT NULL, branch_id TEXT,
        local_state TEXT NOT NULL DEFAULT 'synced',
        data TEXT NOT NULL,
        UNIQUE (kind, id)
      );
      CREATE INDEX documents_date ON documents (date, rowid);
      CREATE INDEX documents_awaiting ON documents (deadline, date) WHERE awaiting = 1;
      CREATE INDEX documents_counterparty ON documents (counterparty_iin_bin, date);
      CREATE INDEX documents_local ON documents (local_state) WHERE local_state <> 'synced';

      CREATE VIRTUAL TABLE documents_fts USING fts5(
        number, counterparty_name, counterparty_iin_bin, search_amount,
        content = 'documents', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
      );
      CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts (rowid, number, counterparty_name, counterparty_iin_bin, search_amount)
        VALUES (new.rowid, new.number, new.counterparty_name, new.counterparty_iin_bin, new.search_amount);
      END;
      CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts (documents_fts, rowid, number, counterparty_name, counterparty_iin_bin, search_amount)
        VALUES ('delete', old.rowid, old.number, old.counterparty_name, old.counterparty_iin_bin, old.search_amount);
      END;
      CREATE TRIGGER documents_au AFTER UPDATE OF number, counterparty_name, counterparty_iin_bin, search_amount ON documents
      WHEN old.number IS NOT new.number OR old.counterparty_name IS NOT new.counterparty_name
        OR old.counterparty_iin_bin IS NOT new.counterparty_iin_bin OR old.search_amount IS NOT new.search_amount BEGIN
        INSERT INTO documents_fts (documents_fts, rowid, number, counterparty_name, counterparty_iin_bin, search_amount)
        VALUES ('delete', old.rowid, old.number, old.counterparty_name, old.counterparty_iin_bin, old.search_amount);
        INSERT INTO documents_fts (rowid, number, counterparty_name, counterparty_iin_bin, search_amount)
        VALUES (new.rowid, new.number, new.counterparty_name, new.counterparty_iin_bin, new.search_amount);
      END;

      -- Changes made here, pushed in seq order. mutation_id is made once and reused on every retry.
      -- status: pending → (applied, until the cache holds confirmed_version) | conflict | rejected (shown until dismissed).
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        mutation_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL, args TEXT NOT NULL, base_version INTEGER,
        target_kind TEXT, target_id TEXT,
        status TEXT NOT NULL DEFAULT 'pending',
        created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_attempt_at TEXT, next_attempt_at TEXT,
        error TEXT, confirmed_version INTEGER, answered_at TEXT
      );
      CREATE INDEX outbox_target ON outbox (target_kind, target_id);

      -- Signatures made on this device (the CMS as verified before it was queued).
      CREATE TABLE local_signatures (
        mutation_id TEXT PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL,
        cms BLOB NOT NULL, cms_sha256 TEXT NOT NULL, signer TEXT NOT NULL, signed_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX local_signatures_doc ON local_signatures (kind, id);

      CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL, target TEXT, details TEXT NOT NULL);

      -- CRLs / OCSP responses fetched while online (native-bridge/pki RevocationStore).
      CREATE TABLE revocation_cache (
        key TEXT PRIMARY KEY, kind TEXT NOT NULL, bytes BLOB NOT NULL,
        fetched_at TEXT NOT NULL, this_update TEXT NOT NULL, next_update TEXT
      ) WITHOUT ROWID;

      -- Certificates this user signed or signed in with (expiry warnings), and those reported compromised here.
      CREATE TABLE certificates (
        serial TEXT PRIMARY KEY, common_name TEXT, iin TEXT, bin TEXT,
        not_before TEXT NOT NULL, not_after TEXT NOT NULL, test INTEGER NOT NULL, last_used_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE compromised (serial TEXT PRIMARY KEY, reported_at TEXT NOT NULL) WITHOUT ROWID;
    `);
  },
};
