// Main's side of the IPC contract: every window call passes the guard, then platform operations (native dialogs)
// are answered by main and the rest go to core over its MessagePort; core's events fan out to the windows.
import {
  EVENT_NAMES, IPC_CHANNELS, errorResult, isPlatformOperation, type Dispatcher, type EventName, type IpcTransport, type WireResult,
} from '../../contract/ipc';
import { KenseError, type Locale } from '../../contract/errors';
import type { IpcGuard, IpcSender } from './ipc-guard';

export interface IpcRelayOptions {
  guard: IpcGuard;
  platform: Dispatcher;
  /** Core's connection now; null while its process is (re)starting. */
  core: () => IpcTransport | null;
  locale: () => Locale;
  /** A call passed the guard (main learns the office is up and listening). */
  onAccepted?: (sender: IpcSender) => void;
}

export function createIpcRelay(o: IpcRelayOptions) {
  return {
    /** The handler of `kense:invoke`. Always resolves with a WireResult (failures are data across contextBridge). */
    async invoke(sender: IpcSender, op: unknown, input: unknown, channel: string = IPC_CHANNELS.invoke): Promise<WireResult> {
      const v = o.guard.check(channel, sender, op, input);
      if (!v.ok) return v.result;
      o.onAccepted?.(sender);
      if (isPlatformOperation(v.op)) return o.platform.dispatch(v.op, v.input);
      const core = o.core();
      if (!core) return errorResult(new KenseError('CORE_RESTARTING'), o.locale());
      return core.invoke(v.op, v.input);
    },
  };
}

/** Subscribes to every contract event on core's connection; returns the function that unsubscribes them all. */
export function forwardCoreEvents(core: IpcTransport, deliver: (event: EventName, payload: unknown) => void): () => void {
  const offs = EVENT_NAMES.map((event) => core.subscribe(event, (payload) => deliver(event, payload)));
  return () => offs.forEach((off) => off());
}
