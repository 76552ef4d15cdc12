// How long to wait before trying the cloud again (pure): exponential with jitter, capped.

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}
/** Capped at a minute: offline, the cloud is asked again about once a minute (with jitter), no more often. */
export const PUSH_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 60_000 };

/**
 * Delay before attempt `failures` + 1: base·2^(failures−1), capped, then "equal jitter" — half fixed, half random —
 * so a thousand devices coming back online together do not knock at the same instant, and none waits longer than the cap.
 */
export function backoffDelay(failures: number, random: () => number = Math.random, o: BackoffOptions = PUSH_BACKOFF): number {
  if (failures <= 0) return 0;
  const exp = Math.min(o.capMs, o.baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(exp / 2 + (exp / 2) * random());
}
