// Quitting while core pushes the outbox: wait a little for the push to finish (the server then knows what it
// applied; a push cut short is only resent — mutations are idempotent — but finishing spares the user a
// "waiting to sync" on the next start). A signing session is not waited for: it waits on the user, and core's one
// transaction per signature means stopping it loses nothing that was reported signed.
import type { BusyState } from './busy';

export const QUIT_PUSH_WAIT_MS = 5_000;

export interface QuitGateOptions {
  busy: BusyState;
  maxWaitMs?: number;
  /** The wait begins (main may show "finishing sending changes…" in the tray/title). */
  onWait?: () => void;
}

export function createQuitGate(o: QuitGateOptions) {
  let phase: 'running' | 'waiting' | 'released' = 'running';
  return {
    get phase() {
      return phase;
    },
    /**
     * From `before-quit`: 'quit' lets the quit go on; 'hold' means prevent it now — `resume` is called once, when the
     * push has ended or the wait ran out, and should call app.quit() again (which then answers 'quit').
     */
    request(resume: () => void): 'quit' | 'hold' {
      if (phase === 'released') return 'quit';
      if (phase === 'waiting') return 'hold';
      if (!o.busy.value.pushing) {
        phase = 'released';
        return 'quit';
      }
      phase = 'waiting';
      o.onWait?.();
      const deadline = Date.now() + (o.maxWaitMs ?? QUIT_PUSH_WAIT_MS);
      const poll = async () => {
        // Wait on the push only: a signing session may stay open.
        while (o.busy.value.pushing && Date.now() < deadline) await o.busy.whenIdle(Math.min(100, deadline - Date.now()));
        phase = 'released';
        resume();
      };
      void poll();
      return 'hold';
    },
  };
}
