// A session opened with a certificate remembers it: reporting the key compromised ends those sessions at once.
export const statements: string[] = [
  `alter table sessions add column cert_serial text`,
  `create index sessions_cert on sessions (cert_serial) where cert_serial is not null`,
];
