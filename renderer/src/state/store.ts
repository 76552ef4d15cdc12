// The office's state: connection to core, session, sync status, route, toasts. Server data is never kept here
// longer than a screen needs it; core's cache is the source of truth.
import { create } from 'zustand';
import type { DocumentRef, KenseApi, SessionStatus, SyncStatus, Settings } from '../../../contract/ipc';
import type { ShownError } from '../ui/ErrorNotice';
import type { ConnectionState } from '../api/transport';

export type Route =
  | { name: 'home' }
  | { name: 'documents'; tab?: 'all' | 'awaiting' | 'incoming' | 'outgoing'; open?: { kind: 'act' | 'service_act' | 'reconciliation'; id: string } }
  | { name: 'billing' }
  | { name: 'reconciliation' }
  | { name: 'company' }
  | { name: 'support' }
  | { name: 'settings' };

export interface Toast {
  id: number;
  kind: 'ok' | 'error' | 'info';
  title: string;
  text?: string;
}

interface OfficeState {
  api: KenseApi | null;
  connection: ConnectionState;
  session: SessionStatus | null;
  sync: SyncStatus | null;
  settings: Settings | null;
  route: Route;
  toasts: Toast[];
  problemsOpen: boolean;
  /** A document a kense:// link asked for before anyone signed in. */
  pendingOpen: DocumentRef | null;
  /** Core cannot be reached any more (the desktop app gave up restarting it): the office shows only this. */
  fatal: ShownError | null;
  setRoute(route: Route): void;
  toast(t: Omit<Toast, 'id'>): void;
  dismissToast(id: number): void;
}

let toastId = 0;

export const useOffice = create<OfficeState>((set) => ({
  api: null,
  connection: 'connecting',
  session: null,
  sync: null,
  settings: null,
  route: { name: 'home' },
  toasts: [],
  problemsOpen: false,
  pendingOpen: null,
  fatal: null,
  setRoute: (route) => set({ route }),
  toast: (t) => {
    const id = ++toastId;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { ...t, id }] }));
    setTimeout(() => set((s) => ({ toasts: s.toasts.filter((x) => x.id !== id) })), t.kind === 'error' ? 9000 : 4500);
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((x) => x.id !== id) })),
}));

/** The API; screens are rendered only once it exists. */
export function api(): KenseApi {
  const a = useOffice.getState().api;
  if (!a) throw new Error('not connected');
  return a;
}

export function can(permission: string): boolean {
  return useOffice.getState().session?.permissions.includes(permission) ?? false;
}
