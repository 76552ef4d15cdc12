// Server time. Tests move it forward (lockout cool-down, token expiry, deadlines) instead of sleeping.
export class Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** An instant as ISO 8601 with the Kazakhstan offset (+05:00), as the contract requires. */
export function kzIso(t: Date): string {
  const local = new Date(t.getTime() + 5 * 3600_000).toISOString();
  return `${local.slice(0, 23)}+05:00`;
}

export function kzIsoOrNull(t: Date | null | undefined): string | null {
  return t ? kzIso(t) : null;
}
