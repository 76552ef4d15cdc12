// A CRL of НУЦ РК is ~20 MB: written or read as one bytea value it held the server's thread for tens of seconds on
// PGlite (which runs Postgres on that thread) and for half a second on PostgreSQL. A large entry is now kept in
// parts of a few hundred kilobytes, each written and read by a statement of its own (revocation-store.ts); the row
// names its parts (parts_id, parts) and keeps bytes empty. Rows written before keep their bytes in place.
export const statements: string[] = [
  `alter table revocation_cache add column parts_id uuid, add column parts int`,
  `create table revocation_cache_parts (
     parts_id uuid not null, part int not null, bytes bytea not null, created_at timestamptz not null,
     primary key (parts_id, part))`,
];
