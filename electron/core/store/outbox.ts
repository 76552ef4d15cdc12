// The outbox: changes made on this device, in order, each with the mutationId made once when the change was made.
import { randomUUID } from 'node:crypto';
import type { MutationName } from '../../../contract/cloud';
import type { DocumentRef, IpcErrorPayload } from '../../../contract/ipc';
import type { Store } from './store';
import type { OutboxStatus } from '../sync/overlay';

export interface OutboxRow {
  seq: number;
  mutationId: string;
  name: MutationName;
  args: unknown;
  baseVersion: number | null;
  target: DocumentRef | null;
  status: OutboxStatus;
  createdAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  error: IpcErrorPayload | null;
  confirmedVersion: number | null;
  answeredAt: string | null;
}

interface Raw {
  seq: number; mutation_id: string; name: string; args: string; base_version: number | null; target_kind: string | null; target_id: string | null;
  status: OutboxStatus; created_at: string; attempts: number; last_attempt_at: string | null; next_attempt_at: string | null; error: string | null;
  confirmed_version: number | null; answered_at: string | null;
}

const fromRaw = (r: Raw): OutboxRow => ({
  seq: r.seq, mutationId: r.mutation_id, name: r.name as MutationName, args: JSON.parse(r.args) as unknown, baseVersion: r.base_version,
  target: r.target_kind && r.target_id ? ({ kind: r.target_kind, id: r.target_id } as DocumentRef) : null, status: r.status, createdAt: r.created_at,
  attempts: r.attempts, lastAttemptAt: r.last_attempt_at, nextAttemptAt: r.next_attempt_at, error: r.error ? (JSON.parse(r.error) as IpcErrorPayload) : null,
  confirmedVersion: r.confirmed_version, answeredAt: r.answered_at,
});

export interface NewMutation {
  name: MutationName;
  args: unknown;
  baseVersion: number | null;
  target: DocumentRef | null;
  /** Given when re-queueing an exported outbox: the id it was made with. */
  mutationId?: string;
}

export class Outbox {
  constructor(private readonly store: Store) {}

  /** Appends a change; call inside the caller's write transaction (with the state change and the audit row). */
  enqueue(m: NewMutation, now: string): string {
    const mutationId = m.mutationId ?? randomUUID();
    this.store.w
      .prepare(
        `INSERT INTO outbox (mutation_id, name, args, base_version, target_kind, target_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (mutation_id) DO NOTHING`,
      )
      .run(mutationId, m.name, JSON.stringify(m.args), m.baseVersion, m.target?.kind ?? null, m.target?.id ?? null, now);
    return mutationId;
  }

  /** The next pending changes in order (read on the write connection: the engine acts on them under the lock). */
  pending(limit: number): OutboxRow[] {
    return (this.store.w.prepare(`SELECT * FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT ?`).all(limit) as Raw[]).map(fromRaw);
  }

  all(): OutboxRow[] {
    return (this.store.r.prepare('SELECT * FROM outbox ORDER BY seq').all() as Raw[]).map(fromRaw);
  }

  byTarget(ref: DocumentRef): OutboxRow[] {
    return (this.store.r.prepare('SELECT * FROM outbox WHERE target_kind = ? AND target_id = ? ORDER BY seq').all(ref.kind, ref.id) as Raw[]).map(fromRaw);
  }

  get(mutationId: string): OutboxRow | null {
    const r = this.store.w.prepare('SELECT * FROM outbox WHERE mutation_id = ?').get(mutationId) as Raw | undefined;
    return r ? fromRaw(r) : null;
  }

  counts(): { pending: number; conflicts: number; rejected: number; oldestPending: { createdAt: string; attempts: number; error: IpcErrorPayload | null } | null } {
    const c = this.store.r
      .prepare(`SELECT sum(status = 'pending') AS pending, sum(status = 'conflict') AS conflicts, sum(status = 'rejected') AS rejected FROM outbox`)
      .get() as { pending: number | null; conflicts: number | null; rejected: number | null };
    const oldest = this.store.r.prepare(`SELECT created_at, attempts, error FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT 1`).get() as
      | { created_at: string; attempts: number; error: string | null }
      | undefined;
    return {
      pending: c.pending ?? 0,
      conflicts: c.conflicts ?? 0,
      rejected: c.rejected ?? 0,
      oldestPending: oldest ? { createdAt: oldest.created_at, attempts: oldest.attempts, error: oldest.error ? (JSON.parse(oldest.error) as IpcErrorPayload) : null } : null,
    };
  }

  /** A push attempt that did not get an answer: counted, with when to try again (inside the lock). */
  markAttempt(seqs: number[], at: string, nextAt: string, error: IpcErrorPayload | null): void {
    const st = this.store.w.prepare('UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?, error = ? WHERE seq = ?');
    for (const seq of seqs) st.run(at, nextAt, error ? JSON.stringify(error) : null, seq);
  }

  /** The server's answer to one change (inside the caller's transaction). */
  answer(seq: number, a: { status: Exclude<OutboxStatus, 'pending'>; confirmedVersion?: number | null; error?: IpcErrorPayload | null }, at: string): void {
    this.store.w
      .prepare('UPDATE outbox SET status = ?, confirmed_version = ?, error = ?, answered_at = ?, last_attempt_at = ?, attempts = attempts + 1 WHERE seq = ?')
      .run(a.status, a.confirmedVersion ?? null, a.error ? JSON.stringify(a.error) : null, at, at, seq);
  }

  /** The user dealt with a conflict/rejection (the server's state stands), or asks to retry a stuck change now. */
  resolve(mutationId: string, resolution: 'dismiss' | 'retry'): OutboxRow | null {
    const row = this.get(mutationId);
    if (!row) return null;
    if (resolution === 'dismiss' && row.status !== 'pending' && row.status !== 'applied') this.store.w.prepare('DELETE FROM outbox WHERE seq = ?').run(row.seq);
    if (resolution === 'retry' && row.status === 'pending') this.store.w.prepare('UPDATE outbox SET next_attempt_at = NULL WHERE status = ?').run('pending');
    return row;
  }
}
