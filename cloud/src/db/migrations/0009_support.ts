// Support requests to kense (issue 11): the request, its replies (the user's and kense support's), its attachments
// (a screenshot, the doctor report, recent logs), a number to quote, SLA due times, reopenings and the rating.
export const statements: string[] = [
  `create sequence support_ticket_number`,
  `create table support_tickets (
     id uuid primary key, company_id uuid not null references companies(id), number text not null unique,
     author_id uuid not null references users(id), priority text not null, subject text not null, description text not null,
     status text not null, created_at timestamptz not null, updated_at timestamptz not null,
     response_due_at timestamptz not null, resolve_due_at timestamptz not null, first_response_at timestamptz,
     resolved_at timestamptz, closed_at timestamptz, reopened int not null default 0,
     rating_score int, rating_comment text, rated_at timestamptz, context text not null default '{}',
     version int not null default 1)`,
  `create index support_tickets_company on support_tickets (company_id, id)`,
  `create index support_tickets_status on support_tickets (status, created_at)`,
  `create table support_replies (
     id uuid primary key, ticket_id uuid not null references support_tickets(id), company_id uuid not null,
     from_side text not null, author_user_id uuid, author_name text not null, body text not null, created_at timestamptz not null)`,
  `create index support_replies_ticket on support_replies (ticket_id, created_at)`,
  `create table support_attachments (
     id uuid primary key, ticket_id uuid not null references support_tickets(id), company_id uuid not null, kind text not null,
     name text not null, media_type text not null, size int not null, sha256 text not null, data bytea not null)`,
  `create index support_attachments_ticket on support_attachments (ticket_id)`,
];
