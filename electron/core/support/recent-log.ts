// Core's recent log lines, kept in memory (a bounded ring) so a support request can carry them with the user's
// consent. Nothing is written to disk here; the lines are redacted when they leave (support/redact.ts).
export class RecentLog {
  private readonly lines: string[] = [];
  constructor(private readonly max = 400) {}

  add(at: string, message: string, fields?: Record<string, unknown>): void {
    let f = '';
    if (fields) {
      try {
        f = ` ${JSON.stringify(fields)}`;
      } catch {
        f = ' {…}';
      }
    }
    this.lines.push(`${at} ${message}${f}`.slice(0, 4000));
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  /** The kept lines, oldest first. */
  all(): string[] {
    return [...this.lines];
  }
}
