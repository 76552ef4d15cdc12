// Revocation evidence the server fetched (native-bridge/pki RevocationSource): each CRL a certificate names, under its
// distribution point URL (one URL serves one issuing CA's list), and each OCSP answer, under the responder URL + the
// certificate's CertID hash (which names the issuer); with the period it speaks for. Kept across restarts, so a
// restarted server judges signatures with what it fetched before, and fetches again only when next_update nears.
export const statements: string[] = [
  `create table revocation_cache (
     key text primary key, kind text not null, bytes bytea not null, fetched_at timestamptz not null,
     this_update timestamptz not null, next_update timestamptz)`,
];
