// Instants as the contract writes them: ISO 8601 with the Kazakhstan offset (+05:00, no DST since 01.03.2024).

export function kzIso(t: Date): string {
  const local = new Date(t.getTime() + 5 * 3600_000).toISOString();
  return `${local.slice(0, 23)}+05:00`;
}
