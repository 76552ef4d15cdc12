// Restore detection: the feed's sequence is cut into segments, each with a random mark a cursor carries. A server
// restored from a backup re-issues sequence numbers under new segments, so a cursor from before the restore no
// longer matches its segment's mark (CURSOR_RESET) even after the sequence has grown past it.
export const statements: string[] = [
  `create table feed_segments (
     company_id uuid not null, from_seq bigint not null, next_seq bigint not null, mark text not null,
     closed boolean not null default false, primary key (company_id, from_seq))`,
  // What existed before this migration is one segment per company.
  `insert into feed_segments (company_id, from_seq, next_seq, mark, closed)
     select id, 1, last_seq + 1, md5(random()::text || clock_timestamp()::text || id::text), true from companies where last_seq > 0`,
];
