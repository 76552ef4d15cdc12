import { describe, expect, it } from 'vitest';
import { BusyState } from './busy';

describe('BusyState', () => {
  it('is idle until core says it signs or pushes', () => {
    const b = new BusyState();
    expect(b.idle).toBe(true);
    b.set({ signing: true, pushing: false });
    expect(b.idle).toBe(false);
    b.set({ signing: false, pushing: true });
    expect(b.idle).toBe(false);
  });

  it('whenIdle resolves when the push ends, or false at the timeout', async () => {
    const b = new BusyState();
    b.set({ signing: false, pushing: true });
    const waiting = b.whenIdle(5_000);
    setTimeout(() => b.set({ signing: false, pushing: false }), 10);
    expect(await waiting).toBe(true);
    b.set({ signing: true, pushing: false });
    expect(await b.whenIdle(20)).toBe(false);
    const ac = new AbortController();
    const aborted = b.whenIdle(5_000, ac.signal);
    ac.abort();
    expect(await aborted).toBe(false);
  });

  it('onIdle fires each time work ends (not on a repeated idle), until unsubscribed', () => {
    const b = new BusyState();
    let n = 0;
    const off = b.onIdle(() => n++);
    b.set({ signing: true, pushing: false });
    b.set({ signing: false, pushing: false });
    b.set({ signing: false, pushing: false });
    b.set({ signing: false, pushing: true });
    b.set({ signing: false, pushing: false });
    off();
    b.set({ signing: true, pushing: false });
    b.set({ signing: false, pushing: false });
    expect(n).toBe(2);
  });
});
