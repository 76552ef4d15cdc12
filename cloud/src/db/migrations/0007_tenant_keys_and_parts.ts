// Issue 9: mutation ids are one space per company (another tenant can neither learn nor pre-empt ours); every
// create route remembers its first answer under the client's key (a client-made id or an Idempotency-Key);
// outgoing document numbers are looked up per company; an accounting import is kept in parts, written in slices.
export const statements: string[] = [
  `alter table mutations drop constraint mutations_pkey`,
  `alter table mutations add primary key (company_id, mutation_id)`,
  `create table idempotency (
     company_id uuid not null, key text not null, route text not null, user_id uuid not null, request_sha256 text not null,
     status int not null, response text not null, created_at timestamptz not null, primary key (company_id, key))`,
  `create index acts_number on acts (company_id, direction, number)`,
  // Parts are written before the import's own transaction, under an upload id of that request; an import names its
  // upload; parts no import names (a failed or interrupted upload) are removed after an hour.
  `create table accounting_import_parts (
     upload_id uuid not null, part int not null, kind text not null, rows int not null, data text not null,
     created_at timestamptz not null, primary key (upload_id, part))`,
  `alter table accounting_imports add column upload_id uuid`,
];
