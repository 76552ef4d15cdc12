import { describe, expect, it } from 'vitest';
import { BusyState } from './busy';
import { createQuitGate } from './quit';

describe('quit gate', () => {
  it('quits at once when nothing is pushed (a signing session is not waited for)', () => {
    const busy = new BusyState();
    busy.set({ signing: true, pushing: false });
    const gate = createQuitGate({ busy });
    expect(gate.request(() => {})).toBe('quit');
  });

  it('holds while a push is in flight and resumes when it ends', async () => {
    const busy = new BusyState();
    busy.set({ signing: false, pushing: true });
    let waited = 0;
    const gate = createQuitGate({ busy, maxWaitMs: 5_000, onWait: () => waited++ });
    const resumed = new Promise<number>((resolve) => {
      const t0 = Date.now();
      expect(gate.request(() => resolve(Date.now() - t0))).toBe('hold');
    });
    expect(gate.request(() => {})).toBe('hold');
    setTimeout(() => busy.set({ signing: false, pushing: false }), 30);
    expect(await resumed).toBeLessThan(1_000);
    expect(waited).toBe(1);
    expect(gate.request(() => {})).toBe('quit');
  });

  it('a push that does not end in time does not keep the app open', async () => {
    const busy = new BusyState();
    busy.set({ signing: false, pushing: true });
    const gate = createQuitGate({ busy, maxWaitMs: 80 });
    const t0 = Date.now();
    await new Promise<void>((resolve) => expect(gate.request(resolve)).toBe('hold'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
    expect(gate.phase).toBe('released');
  });

  it('ends the wait when the push ends even if signing continues', async () => {
    const busy = new BusyState();
    busy.set({ signing: true, pushing: true });
    const gate = createQuitGate({ busy, maxWaitMs: 5_000 });
    const done = new Promise<void>((resolve) => gate.request(resolve));
    setTimeout(() => busy.set({ signing: true, pushing: false }), 20);
    const t0 = Date.now();
    await done;
    expect(Date.now() - t0).toBeLessThan(1_000);
  });
});
