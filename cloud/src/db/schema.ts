// Row types of the reference server's tables (see migrations/). Timestamps are Date, dates 'YYYY-MM-DD', int8 number.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Ts = ColumnType<Date, Date | string, Date | string>;
type Def<T> = ColumnType<T, T | undefined, T>;
type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;

export interface CompaniesTable { id: string; name: string; iin_bin: string; kind: string; address: string; last_seq: Def<number>; version: Def<number>; terminated_at: Ts | null; created_at: Def<Date> }
export interface BranchesTable { id: string; company_id: string; name: string; bin: string; address: string; version: Def<number>; created_at: Def<Date> }
export interface UsersTable {
  id: string; company_id: string; iin: string; full_name: string; role: string; branch_id: string | null;
  password_hash: string | null; password_changed_at: Ts | null; totp_secret: string | null; totp_pending_secret: string | null;
  totp_enabled: Def<boolean>; totp_last_step: Def<number>; failed_logins: Def<number>; locked_until: Ts | null; terminated_at: Ts | null;
  version: Def<number>; created_at: Def<Date>;
}
export interface CertificatesTable {
  serial: string; company_id: string | null; user_id: string | null; iin: string | null; bin: string | null; subject: string;
  not_after: Ts | null; sha256: string | null; status: Def<string>; compromised_at: Ts | null; compromised_by: string | null;
  restored_at: Ts | null; first_seen_at: Def<Date>;
}
export interface ChallengesTable { nonce: string; expires_at: Ts; used_at: Ts | null }
export interface SessionsTable {
  id: string; user_id: string; company_id: string; device_id: string; device_name: string; platform: string; app_version: string | null;
  method: string; ip: string; created_at: Ts; last_seen_at: Ts; ended_at: Ts | null; end_reason: string | null; cert_serial: Def<string | null>;
}
export interface AccessTokensTable { hash: string; session_id: string; expires_at: Ts }
export interface RefreshTokensTable { hash: string; session_id: string; expires_at: Ts; used_at: Ts | null; created_at: Ts }
export interface CounterpartiesTable {
  id: string; company_id: string; branch_id: string | null; iin_bin: string; name: string; address: string; kbe: string;
  iik: string | null; bik: string | null; bank: string | null; email: string | null; version: Def<number>; deleted_at: Ts | null; created_at: Def<Date>;
}
export interface TariffsTable { id: string; code: string; name: string; price_tiyn: number; period_months: number; limits: string; modules: string; closed_at: Ts | null; successor_id: string | null; version: Def<number> }
export interface SubscriptionsTable {
  company_id: string; tariff_id: string; pending_tariff_id: string | null; pending_from: string | null; state: Def<string>;
  blocked_since: string | null; blocked_branch_ids: Def<string>; unpaid_invoice_ids: Def<string>; version: Def<number>;
}
export interface SubscriptionHistoryTable { id: string; company_id: string; tariff_id: string; valid_from: string; valid_to: string | null }
export interface InvoicesTable {
  id: string; company_id: string; branch_id: string | null; number: string; tariff_id: string; period: string; issued_on: string;
  due_on: string; amount: number; vat_rate: number; vat: number; total: number; paid_at: Ts | null; payment_ref: string | null; payment: string; version: Def<number>;
  /** Received so far (tiyn); paid once it reaches total. */
  paid_amount: Def<number>;
}
export interface InvoicePaymentsTable {
  id: string; company_id: string; invoice_id: string; amount: number; paid_at: Ts; reference: string; recorded_at: Ts;
  /** Who recorded it at kense: 'kense operator (cli: <os user>)', 'kense operator (api)', 'seed', 'migration'. */
  recorded_by: string;
}
export interface ServiceActsTable {
  id: string; company_id: string; number: string; month: string; issued_on: string; deadline: string; amount: number; vat_rate: number;
  vat: number; total: number; state: string; canonical: Bytes; canonical_sha256: string; canonical_format: string; refusal: string | null; version: Def<number>;
}
export interface ActsTable {
  id: string; company_id: string; branch_id: string | null; direction: string; number: string; date: string; counterparty_id: string | null;
  counterparty_name: string; counterparty_iin_bin: string; state: string; amount_with_vat: number; r1: string; canonical: Bytes;
  canonical_sha256: string; canonical_format: string; refusal: string | null; withdrawal: string | null; version: Def<number>; created_at: Ts; updated_at: Ts;
  peer_act_id: Def<string | null>; peer_company_id: Def<string | null>;
}
export interface ReconciliationsTable {
  id: string; company_id: string; branch_id: string | null; counterparty_id: string; counterparty_name: string; counterparty_iin_bin: string;
  period_from: string; period_to: string; ours: string; theirs: string | null; conclusion: string; state: string; sent_on: string; deadline: string;
  canonical: Bytes; canonical_sha256: string; canonical_format: string; refusal: string | null; version: Def<number>; created_at: Ts;
}
export interface SignaturesTable {
  id: string; company_id: string; doc_type: string; doc_id: string; side: string; signer_name: string; signer_iin: string | null;
  signer_bin: string | null; role: string; cert_serial: string | null; signed_at: Ts; cms: Bytes | null; cms_sha256: string | null; user_id: string | null;
  /** The signing time the CMS claims (the device's clock); null when it names none. */
  claimed_at: Def<Date | null>;
  timestamp_status: Def<string>; timestamp_at: Def<Date | null>; timestamp_tsa: Def<string | null>; timestamp_source: Def<string | null>;
  timestamp_attempts: Def<number>; timestamp_next_at: Def<Date | null>; timestamp_error: Def<string | null>;
}
export interface DashboardsTable { id: string; company_id: string; kind: string; as_of: Ts; data: string; version: Def<number> }
export interface AccountingImportsTable { id: string; company_id: string; user_id: string | null; imported_at: Ts; as_of: Ts; data: string; upload_id: Def<string | null> }
export interface NotificationsTable {
  id: string; company_id: string; user_id: string; kind: string; title: string; body: string; link: string | null;
  created_at: Ts; read_at: Ts | null; version: Def<number>;
}
export interface AuditTable {
  id: Generated<number>; company_id: string | null; user_id: string | null; session_id: string | null; device_name: string | null;
  ip: string | null; action: string; target: string | null; details: Def<string>; at: Ts;
}
export interface IdempotencyTable {
  company_id: string; key: string; route: string; user_id: string; request_sha256: string; status: number; response: string; created_at: Ts;
}
export interface AccountingImportPartsTable { upload_id: string; part: number; kind: string; rows: number; data: string; created_at: Ts }
export interface SupportTicketsTable {
  id: string; company_id: string; number: string; author_id: string; priority: string; subject: string; description: string; status: string;
  created_at: Ts; updated_at: Ts; response_due_at: Ts; resolve_due_at: Ts; first_response_at: Ts | null; resolved_at: Ts | null; closed_at: Ts | null;
  reopened: Def<number>; rating_score: number | null; rating_comment: string | null; rated_at: Ts | null; context: Def<string>; version: Def<number>;
}
export interface SupportRepliesTable { id: string; ticket_id: string; company_id: string; from_side: string; author_user_id: string | null; author_name: string; body: string; created_at: Ts }
export interface SupportAttachmentsTable { id: string; ticket_id: string; company_id: string; kind: string; name: string; media_type: string; size: number; sha256: string; data: Bytes }
export interface MutationsTable { mutation_id: string; company_id: string; user_id: string; name: string; args_hash: string; outcome: string; created_at: Ts }
export interface FeedTable {
  company_id: string; seq: number; entity: string; entity_id: string; version: number; op: string; scope: string;
  branch_id: string | null; user_id: string | null; data: string | null;
}
export interface MetaTable { key: string; value: string }
export interface RevocationCacheTable { key: string; kind: string; bytes: Bytes; fetched_at: Ts; this_update: Ts; next_update: Ts | null; parts_id: string | null; parts: number | null }
export interface RevocationCachePartsTable { parts_id: string; part: number; bytes: Bytes; created_at: Ts }
export interface FeedSegmentsTable { company_id: string; from_seq: number; next_seq: number; mark: string; closed: Def<boolean> }

export interface Database {
  meta: MetaTable;
  companies: CompaniesTable;
  branches: BranchesTable;
  users: UsersTable;
  certificates: CertificatesTable;
  challenges: ChallengesTable;
  sessions: SessionsTable;
  access_tokens: AccessTokensTable;
  refresh_tokens: RefreshTokensTable;
  counterparties: CounterpartiesTable;
  tariffs: TariffsTable;
  subscriptions: SubscriptionsTable;
  subscription_history: SubscriptionHistoryTable;
  invoices: InvoicesTable;
  invoice_payments: InvoicePaymentsTable;
  service_acts: ServiceActsTable;
  acts: ActsTable;
  reconciliations: ReconciliationsTable;
  signatures: SignaturesTable;
  dashboards: DashboardsTable;
  accounting_imports: AccountingImportsTable;
  notifications: NotificationsTable;
  audit: AuditTable;
  mutations: MutationsTable;
  idempotency: IdempotencyTable;
  accounting_import_parts: AccountingImportPartsTable;
  support_tickets: SupportTicketsTable;
  support_replies: SupportRepliesTable;
  support_attachments: SupportAttachmentsTable;
  feed: FeedTable;
  feed_segments: FeedSegmentsTable;
  revocation_cache: RevocationCacheTable;
  revocation_cache_parts: RevocationCachePartsTable;
}

export type UserRow = Selectable<UsersTable>;
export type CompanyRow = Selectable<CompaniesTable>;
export type ActRow = Selectable<ActsTable>;
export type NewAct = Insertable<ActsTable>;
