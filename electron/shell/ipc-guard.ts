// The one guard in front of every IPC call from a window (VS Code's validatedIpcMain): the sender must be the main
// frame of one of our windows showing app://kense, the channel must be ours, and the call must parse against the
// contract's input schema. Anything else is refused and logged — by channel, operation and reason, never by input
// (a call may carry a .p12 password).
import { IPC_CHANNEL_PREFIX, IPC_CHANNELS, errorResult, parseCall, type OperationName, type WireResult } from '../../contract/ipc';
import { KenseError, type Locale } from '../../contract/errors';
import { isAppUrl } from './web-guards';

/** What main knows about the sender of an IPC message (from event.sender and event.senderFrame). */
export interface IpcSender {
  /** webContents id of the sender. */
  webContentsId: number;
  /** event.senderFrame: null when the frame is gone (navigated, destroyed). */
  frame: { url: string; isMainFrame: boolean } | null;
}

export type GuardRefusal = 'channel' | 'foreign_window' | 'frame_gone' | 'subframe' | 'foreign_origin' | 'unknown_operation' | 'invalid_input';

export type GuardVerdict = { ok: true; op: OperationName; input: unknown } | { ok: false; refusal: GuardRefusal; result: WireResult };

export interface IpcGuardOptions {
  /** The webContents ids of our own windows. */
  isOurWindow: (webContentsId: number) => boolean;
  locale: () => Locale;
  onRefused?: (entry: { channel: string; op: string | null; refusal: GuardRefusal; origin: string | null }) => void;
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return 'unparseable';
  }
}

export function createIpcGuard(o: IpcGuardOptions) {
  const refuse = (channel: string, sender: IpcSender, op: unknown, refusal: GuardRefusal, error: KenseError): GuardVerdict => {
    o.onRefused?.({ channel: channel.slice(0, 100), op: typeof op === 'string' ? op.slice(0, 100) : null, refusal, origin: originOf(sender.frame?.url) });
    return { ok: false, refusal, result: errorResult(error, o.locale()) };
  };
  return {
    /** Judges one invoke: `kense:invoke` with (op, input). */
    check(channel: string, sender: IpcSender, op: unknown, input: unknown): GuardVerdict {
      // A caller that is not our office learns nothing: the same INTERNAL as any failure.
      const foreign = new KenseError('INTERNAL');
      if (typeof channel !== 'string' || !channel.startsWith(IPC_CHANNEL_PREFIX) || channel !== IPC_CHANNELS.invoke) return refuse(String(channel), sender, op, 'channel', foreign);
      if (!o.isOurWindow(sender.webContentsId)) return refuse(channel, sender, op, 'foreign_window', foreign);
      if (!sender.frame) return refuse(channel, sender, op, 'frame_gone', foreign);
      if (!sender.frame.isMainFrame) return refuse(channel, sender, op, 'subframe', foreign);
      if (!isAppUrl(sender.frame.url)) return refuse(channel, sender, op, 'foreign_origin', foreign);
      const call = parseCall(op, input);
      if (!call.ok) return refuse(channel, sender, op, call.error.code === 'IPC_UNKNOWN_OPERATION' ? 'unknown_operation' : 'invalid_input', call.error);
      return { ok: true, op: call.op, input: call.input };
    },
  };
}

export type IpcGuard = ReturnType<typeof createIpcGuard>;
