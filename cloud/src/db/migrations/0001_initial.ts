// The first schema of the reference server. Same SQL on PGlite and PostgreSQL.
// JSON is kept in text columns: the server stores the serialized client view and sends it as is.
export const statements: string[] = [
  `create table meta (key text primary key, value text not null)`,
  `insert into meta (key, value) values ('epoch', md5(random()::text || clock_timestamp()::text))`,

  `create table companies (
     id uuid primary key, name text not null, iin_bin text not null unique, kind text not null, address text not null,
     last_seq bigint not null default 0, version int not null default 1, terminated_at timestamptz, created_at timestamptz not null default now())`,
  `create table branches (
     id uuid primary key, company_id uuid not null references companies(id), name text not null, bin text not null,
     address text not null, version int not null default 1, created_at timestamptz not null default now())`,
  `create table users (
     id uuid primary key, company_id uuid not null references companies(id), iin text not null, full_name text not null,
     role text not null, branch_id uuid references branches(id), password_hash text, password_changed_at timestamptz,
     totp_secret text, totp_pending_secret text, totp_enabled boolean not null default false, totp_last_step bigint not null default 0,
     failed_logins int not null default 0, locked_until timestamptz, terminated_at timestamptz,
     version int not null default 1, created_at timestamptz not null default now(), unique (company_id, iin))`,
  `create index users_iin on users (iin)`,
  `create table certificates (
     serial text primary key, company_id uuid references companies(id), user_id uuid references users(id), iin text, bin text,
     subject text not null, not_after timestamptz, sha256 text, status text not null default 'active',
     compromised_at timestamptz, compromised_by uuid, restored_at timestamptz, first_seen_at timestamptz not null default now())`,
  `create table challenges (nonce text primary key, expires_at timestamptz not null, used_at timestamptz)`,
  `create table sessions (
     id uuid primary key, user_id uuid not null references users(id), company_id uuid not null references companies(id),
     device_id text not null, device_name text not null, platform text not null, app_version text, method text not null,
     ip text not null, created_at timestamptz not null, last_seen_at timestamptz not null, ended_at timestamptz, end_reason text)`,
  `create index sessions_user on sessions (user_id)`,
  `create table access_tokens (hash text primary key, session_id uuid not null references sessions(id), expires_at timestamptz not null)`,
  `create index access_tokens_session on access_tokens (session_id)`,
  `create table refresh_tokens (
     hash text primary key, session_id uuid not null references sessions(id), expires_at timestamptz not null,
     used_at timestamptz, created_at timestamptz not null)`,
  `create index refresh_tokens_session on refresh_tokens (session_id)`,

  `create table counterparties (
     id uuid primary key, company_id uuid not null references companies(id), branch_id uuid references branches(id),
     iin_bin text not null, name text not null, address text not null, kbe text not null, iik text, bik text, bank text, email text,
     version int not null default 1, deleted_at timestamptz, created_at timestamptz not null default now())`,
  `create index counterparties_company on counterparties (company_id, id)`,
  `create table tariffs (
     id uuid primary key, code text not null unique, name text not null, price_tiyn bigint not null, period_months int not null,
     limits text not null, modules text not null, closed_at timestamptz, successor_id uuid, version int not null default 1)`,
  `create table subscriptions (
     company_id uuid primary key references companies(id), tariff_id uuid not null references tariffs(id),
     pending_tariff_id uuid references tariffs(id), pending_from date, state text not null default 'active',
     blocked_since date, blocked_branch_ids text not null default '[]', unpaid_invoice_ids text not null default '[]',
     version int not null default 1)`,
  `create table subscription_history (
     id uuid primary key, company_id uuid not null references companies(id), tariff_id uuid not null references tariffs(id),
     valid_from date not null, valid_to date)`,
  `create table invoices (
     id uuid primary key, company_id uuid not null references companies(id), branch_id uuid references branches(id),
     number text not null, tariff_id uuid not null references tariffs(id), period text not null, issued_on date not null,
     due_on date not null, amount bigint not null, vat_rate int not null, vat bigint not null, total bigint not null,
     paid_at timestamptz, payment_ref text, payment text not null, version int not null default 1)`,
  `create index invoices_company on invoices (company_id, issued_on)`,
  `create table service_acts (
     id uuid primary key, company_id uuid not null references companies(id), number text not null, month text not null,
     issued_on date not null, deadline date not null, amount bigint not null, vat_rate int not null, vat bigint not null,
     total bigint not null, state text not null, canonical bytea not null, canonical_sha256 text not null,
     canonical_format text not null, refusal text, version int not null default 1, unique (company_id, month))`,
  `create table acts (
     id uuid primary key, company_id uuid not null references companies(id), branch_id uuid references branches(id),
     direction text not null, number text not null, date date not null, counterparty_id uuid references counterparties(id),
     counterparty_name text not null, counterparty_iin_bin text not null, state text not null, amount_with_vat bigint not null,
     r1 text not null, canonical bytea not null, canonical_sha256 text not null, canonical_format text not null,
     refusal text, withdrawal text, version int not null default 1,
     created_at timestamptz not null, updated_at timestamptz not null)`,
  `create index acts_company on acts (company_id, id)`,
  `create index acts_company_state on acts (company_id, state)`,
  `create table reconciliations (
     id uuid primary key, company_id uuid not null references companies(id), branch_id uuid references branches(id),
     counterparty_id uuid not null references counterparties(id), counterparty_name text not null, counterparty_iin_bin text not null,
     period_from date not null, period_to date not null, ours text not null, theirs text, conclusion text not null,
     state text not null, sent_on date not null, deadline date not null, canonical bytea not null, canonical_sha256 text not null,
     canonical_format text not null, refusal text, version int not null default 1, created_at timestamptz not null)`,
  `create table signatures (
     id uuid primary key, company_id uuid not null references companies(id), doc_type text not null, doc_id uuid not null,
     side text not null, signer_name text not null, signer_iin text, signer_bin text, role text not null, cert_serial text,
     signed_at timestamptz not null, cms bytea, cms_sha256 text, user_id uuid)`,
  `create index signatures_doc on signatures (doc_type, doc_id)`,
  `create table dashboards (
     id uuid primary key, company_id uuid not null references companies(id), kind text not null, as_of timestamptz not null,
     data text not null, version int not null default 1, unique (company_id, kind))`,
  `create table accounting_imports (
     id uuid primary key, company_id uuid not null references companies(id), user_id uuid, imported_at timestamptz not null,
     as_of timestamptz not null, data text not null)`,
  `create table notifications (
     id uuid primary key, company_id uuid not null references companies(id), user_id uuid not null references users(id),
     kind text not null, title text not null, body text not null, link text, created_at timestamptz not null,
     read_at timestamptz, version int not null default 1)`,
  `create index notifications_user on notifications (user_id, created_at)`,
  `create table audit (
     id bigserial primary key, company_id uuid, user_id uuid, session_id uuid, device_name text, ip text,
     action text not null, target text, details text not null default '{}', at timestamptz not null)`,
  `create index audit_company on audit (company_id, id)`,
  `create table mutations (
     mutation_id uuid primary key, company_id uuid not null, user_id uuid not null, name text not null,
     args_hash text not null, outcome text not null, created_at timestamptz not null)`,
  `create table feed (
     company_id uuid not null, seq bigint not null, entity text not null, entity_id text not null, version int not null,
     op text not null, scope text not null, branch_id uuid, user_id uuid, data text,
     primary key (company_id, seq), unique (company_id, entity, entity_id))`,
];
