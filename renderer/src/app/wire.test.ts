// The office's answers to the desktop shell's events: a kense:// link opens its document (at once, or right after
// sign-in), core restarting reloads what is shown, core given up on shows CORE_FAILED instead of the office.
import { beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, KenseApi, SessionStatus, Settings, SyncStatus } from '../../../contract/ipc';
import { useOffice } from '../state/store';
import { wireCore } from './wire';

const signedOut: SessionStatus = { state: 'signed_out', profile: null, company: null, role: null, permissions: [], method: null, passwordChangeRequired: false, passwordExpiresAt: null };
const signedInAs: SessionStatus = { ...signedOut, state: 'signed_in', role: 'first_manager', permissions: ['acts.read'], method: 'certificate' };
const sync: SyncStatus = { online: true, state: 'idle', lastSyncAt: null, lastAttemptAt: null, nextAttemptAt: null, pendingMutations: 0, conflicts: 0, rejected: 0, stuck: null, clockSkewSeconds: null, clockWarning: null, lastError: null };
const settings: Settings = { language: 'ru', cloudUrl: null, signer: { via: 'ncalayer', p12Path: null, ncalayerUrl: 'wss://127.0.0.1:13579' }, updateChannel: 'stable', desktopNotifications: true, cache: null };

/** The other end of the IPC contract as the renderer sees it: answers operations from `state`, emits events on demand. */
function fakeCore(state: { session: SessionStatus; pending: number }) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: string[] = [];
  const api = {
    invoke: async (op: string) => {
      calls.push(op);
      if (op === 'session.status') return state.session;
      if (op === 'sync.status') return { ...sync, pendingMutations: state.pending };
      if (op === 'settings.get') return settings;
      throw new Error(`unexpected ${op}`);
    },
    on: (event: string, l: (p: unknown) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l);
      return () => listeners.get(event)!.delete(l);
    },
  } as unknown as KenseApi;
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => listeners.get(event)?.forEach((l) => l(payload));
  return { api, emit, calls, listeners };
}

const act = { kind: 'act' as const, id: '0190a0a0-0000-7000-8000-000000000001' };

describe('wireCore', () => {
  beforeEach(() => useOffice.setState({ session: null, sync: null, route: { name: 'home' }, pendingOpen: null, fatal: null, toasts: [] }));

  it('opens a linked document at once when signed in', () => {
    const core = fakeCore({ session: signedInAs, pending: 0 });
    useOffice.setState({ session: signedInAs });
    const off = wireCore(core.api);
    core.emit('app.openDocument', act);
    expect(useOffice.getState().route).toEqual({ name: 'documents', tab: 'all', open: act });
    off();
    expect([...core.listeners.values()].every((s) => s.size === 0)).toBe(true);
  });

  it('keeps a link that arrives before sign-in and opens it once the session starts', () => {
    const core = fakeCore({ session: signedOut, pending: 0 });
    useOffice.setState({ session: signedOut });
    wireCore(core.api);
    core.emit('app.openDocument', act);
    expect(useOffice.getState().route).toEqual({ name: 'home' });
    expect(useOffice.getState().pendingOpen).toEqual(act);
    core.emit('session.changed', signedInAs);
    expect(useOffice.getState().route).toEqual({ name: 'documents', tab: 'all', open: act });
    expect(useOffice.getState().pendingOpen).toBeNull();
  });

  it('reloads session and sync status after core restarted, and says nothing was lost', async () => {
    const state = { session: signedInAs, pending: 2 };
    const core = fakeCore(state);
    useOffice.setState({ session: signedInAs, sync: { ...sync, pendingMutations: 0 } });
    wireCore(core.api);
    core.emit('app.coreRestarted', { restarts: 1, gaveUp: false, error: null });
    await expect.poll(() => useOffice.getState().sync?.pendingMutations).toBe(2);
    expect(core.calls).toEqual(expect.arrayContaining(['session.status', 'sync.status', 'settings.get']));
    expect(useOffice.getState().toasts.map((t) => t.title)).toEqual(['Модуль данных перезапущен']);
    expect(useOffice.getState().fatal).toBeNull();
  });

  it('shows CORE_FAILED instead of the office when the shell gave up', () => {
    const core = fakeCore({ session: signedInAs, pending: 0 });
    wireCore(core.api);
    const error = { code: 'CORE_FAILED' as const, message: 'Модуль данных приложения несколько раз подряд завершился с ошибкой.', action: 'Перезапустите Kense Office.' };
    core.emit('app.coreRestarted', { restarts: 5, gaveUp: true, error });
    expect(useOffice.getState().fatal).toEqual(error);
  });
});
