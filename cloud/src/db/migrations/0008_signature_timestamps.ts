// Signature timestamps (CAdES-T): a signature made offline carries only the device's claimed time; the server
// obtains a timestamp from its TSA and keeps the CAdES-T form. A signature is stored at once (never lost) as
// `pending` when it still needs a timestamp, and stamped after commit or by the retry loop when the TSA is back.
export const statements: string[] = [
  `alter table signatures add column claimed_at timestamptz`,
  // none: no timestamp and none asked for (no TSA configured, or older signatures); pending; stamped.
  `alter table signatures add column timestamp_status text not null default 'none'`,
  `alter table signatures add column timestamp_at timestamptz`,
  `alter table signatures add column timestamp_tsa text`,
  // signer: the CMS came with its own timestamp; server: this server's TSA stamped it.
  `alter table signatures add column timestamp_source text`,
  `alter table signatures add column timestamp_attempts int not null default 0`,
  `alter table signatures add column timestamp_next_at timestamptz`,
  `alter table signatures add column timestamp_error text`,
  `create index signatures_pending on signatures (timestamp_next_at) where timestamp_status = 'pending'`,
];
