// Payments of kense's invoices, as kense records them from its bank statement (never the client): an invoice is
// paid once what was received reaches its total, a part payment leaves it unpaid. A reference (the payment
// document number) is recorded once per paying company.
export const statements: string[] = [
  `alter table invoices add column paid_amount bigint not null default 0`,
  `update invoices set paid_amount = total where paid_at is not null`,
  `create table invoice_payments (
     id uuid primary key, company_id uuid not null references companies(id), invoice_id uuid not null references invoices(id),
     amount bigint not null check (amount > 0), paid_at timestamptz not null, reference text not null,
     recorded_at timestamptz not null, recorded_by text not null, unique (company_id, reference))`,
  `create index invoice_payments_invoice on invoice_payments (invoice_id)`,
  // Invoices paid before this table: one payment of the whole total under the reference they carry.
  `insert into invoice_payments (id, company_id, invoice_id, amount, paid_at, reference, recorded_at, recorded_by)
     select gen_random_uuid(), company_id, id, total, paid_at, coalesce(payment_ref, 'PP-' || number), paid_at, 'migration'
     from invoices where paid_at is not null and total > 0
     on conflict (company_id, reference) do nothing`,
];
