// Lockout after consecutive wrong passwords (DOMAIN.md: five in a row), for accounts and for ИИН that have no
// password account here — both lock the same way, so the lockout answer tells nobody which ИИН are users.
export interface LockState {
  failed: number;
  lockedUntil: Date | null;
}

export const isLocked = (s: LockState, now: Date): boolean => s.lockedUntil !== null && s.lockedUntil.getTime() > now.getTime();

/** The state after one more wrong password at `now`. After a lock's cool-down the count starts again. */
export function afterFailure(s: LockState, now: Date, threshold: number, cooldownSec: number): LockState & { locked: boolean } {
  const failed = (s.lockedUntil ? 0 : s.failed) + 1;
  const locked = failed >= threshold;
  return { failed, lockedUntil: locked ? new Date(now.getTime() + cooldownSec * 1000) : null, locked };
}

/**
 * Counters for ИИН without a password account (in memory: the reference server is one process; a restart
 * forgets them, which only ever unlocks). Bounded: old entries are swept when the map grows large.
 */
export class PhantomLockouts {
  private readonly states = new Map<string, LockState & { at: number }>();

  get(key: string): LockState {
    return this.states.get(key) ?? { failed: 0, lockedUntil: null };
  }

  fail(key: string, now: Date, threshold: number, cooldownSec: number): LockState & { locked: boolean } {
    const next = afterFailure(this.get(key), now, threshold, cooldownSec);
    this.states.set(key, { failed: next.failed, lockedUntil: next.lockedUntil, at: now.getTime() });
    if (this.states.size > 100_000) this.sweep(now.getTime() - cooldownSec * 1000);
    return next;
  }

  private sweep(before: number): void {
    for (const [k, v] of this.states) if (v.at < before) this.states.delete(k);
  }
}
