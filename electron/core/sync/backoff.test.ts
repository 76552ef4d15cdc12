import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, PUSH_BACKOFF } from './backoff';

describe('backoff with jitter', () => {
  it('grows, stays within [half, whole] of the exponential step, never passes the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (n, r) => {
        const d = backoffDelay(n, () => r);
        const step = Math.min(PUSH_BACKOFF.capMs, PUSH_BACKOFF.baseMs * 2 ** Math.min(n - 1, 30));
        return d >= step / 2 && d <= step && d <= PUSH_BACKOFF.capMs;
      }),
    );
  });
  it('no wait before the first failure; jitter spreads devices that failed together', () => {
    expect(backoffDelay(0)).toBe(0);
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(6)));
    expect(seen.size).toBeGreaterThan(20);
  });
});
