// The calling side of the IPC contract: a typed client over any transport, and both ends of a message endpoint
// (MessagePort, process.parentPort, WebSocket) so every process pair speaks the same wire.
import { ERRORS, type ErrorCode, type Locale } from '../errors';
import { EVENTS, isEventName, type EventName, type EventPayload } from './events';
import { OPERATIONS, type OperationInput, type OperationName, type OperationOutput, type OperationSpec } from './operations';
import type { AnyEventListener, CallContext, Dispatcher } from './dispatcher';
import { zWireMessage, zWireResult, type IpcTransport, type MessageEndpoint, type WireResult } from './wire';

/** A failed operation as the renderer sees it: the code, the user's sentence and action, and machine details. */
export class IpcError extends Error {
  readonly code: ErrorCode;
  readonly action: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(payload: { code: ErrorCode; message: string; action: string; details?: Record<string, unknown> }) {
    super(payload.message);
    this.name = 'IpcError';
    this.code = payload.code;
    this.action = payload.action;
    this.details = payload.details;
  }
}

export function isIpcError(e: unknown, code?: ErrorCode): e is IpcError {
  return e instanceof IpcError && (code === undefined || e.code === code);
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "every field optional" is exactly `{} extends T`
type InputArgs<N extends OperationName> = {} extends OperationInput<N> ? [input?: OperationInput<N>] : [input: OperationInput<N>];

export interface KenseApi {
  invoke<N extends OperationName>(op: N, ...input: InputArgs<N>): Promise<OperationOutput<N>>;
  /** Returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export interface ClientOptions {
  /** Language of errors made on this side (transport failures). */
  locale?: () => Locale;
  /** Check outputs and event payloads against their schemas here too (tests, the CLI); the dispatcher already does. */
  validate?: boolean;
}

function localError(code: ErrorCode, locale: Locale, details?: Record<string, unknown>): IpcError {
  return new IpcError({ code, message: ERRORS[code].message[locale], action: ERRORS[code].action[locale], ...(details ? { details } : {}) });
}

export function createKenseClient(transport: IpcTransport, options: ClientOptions = {}): KenseApi {
  const locale = options.locale ?? (() => 'ru' as Locale);
  return {
    async invoke(op, ...args) {
      let raw: WireResult;
      try {
        raw = await transport.invoke(op, args[0] ?? {});
      } catch (e) {
        throw isIpcError(e) ? e : localError('INTERNAL', locale(), { transport: (e as Error)?.message ?? String(e) });
      }
      const result = zWireResult.safeParse(raw);
      if (!result.success) throw localError('INTERNAL', locale(), { transport: 'malformed reply' });
      if (!result.data.ok) throw new IpcError(result.data.error);
      if (!options.validate) return result.data.output as OperationOutput<typeof op>;
      const out = (OPERATIONS[op] as OperationSpec).output.safeParse(result.data.output);
      if (!out.success) throw localError('INTERNAL', locale(), { transport: `output of ${op} does not match its schema` });
      return out.data as OperationOutput<typeof op>;
    },
    on(event, listener) {
      return transport.subscribe(event, (payload) => {
        if (!options.validate) return listener(payload as EventPayload<typeof event>);
        const p = EVENTS[event].safeParse(payload);
        if (p.success) listener(p.data as EventPayload<typeof event>);
      });
    },
  };
}

/** The calling end over a message endpoint: numbered calls, replies matched by id, events fanned out. */
export function endpointTransport(endpoint: MessageEndpoint, options: { locale?: () => Locale } = {}): IpcTransport & { close(): void } {
  let next = 1;
  const pending = new Map<number, (r: WireResult) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const stop = endpoint.listen((raw) => {
    const m = zWireMessage.safeParse(raw);
    if (!m.success) return;
    if (m.data.type === 'result') {
      const resolve = pending.get(m.data.id);
      pending.delete(m.data.id);
      resolve?.(m.data.result);
    } else if (m.data.type === 'event') {
      for (const l of listeners.get(m.data.event) ?? []) l(m.data.payload);
    }
  });
  const closedResult = (): WireResult => {
    const l = (options.locale ?? (() => 'ru' as Locale))();
    return { ok: false, error: { code: 'INTERNAL', message: ERRORS.INTERNAL.message[l], action: ERRORS.INTERNAL.action[l], details: { transport: 'closed' } } };
  };
  let closed = false;
  return {
    invoke(op, input) {
      if (closed) return Promise.resolve(closedResult());
      const id = next++;
      return new Promise<WireResult>((resolve) => {
        pending.set(id, resolve);
        try {
          endpoint.send({ type: 'call', id, op, input });
        } catch {
          pending.delete(id);
          resolve(closedResult());
        }
      });
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    },
    close() {
      closed = true;
      stop();
      for (const resolve of pending.values()) resolve(closedResult());
      pending.clear();
    },
  };
}

/**
 * The answering end over a message endpoint: each call goes to the dispatcher, each event of the hub is sent.
 * Returns the function that stops serving (and aborts calls still running for this endpoint).
 */
export function serveEndpoint(endpoint: MessageEndpoint, dispatcher: Dispatcher, events?: { onAny(listener: AnyEventListener): () => void }): () => void {
  const abort = new AbortController();
  const ctx: CallContext = { signal: abort.signal };
  const stopCalls = endpoint.listen((raw) => {
    const m = zWireMessage.safeParse(raw);
    if (!m.success || m.data.type !== 'call') return;
    const { id, op, input } = m.data;
    void dispatcher.dispatch(op, input, ctx).then((result) => {
      if (!abort.signal.aborted) endpoint.send({ type: 'result', id, result });
    });
  });
  const stopEvents = events?.onAny((event, payload) => {
    if (isEventName(event) && !abort.signal.aborted) endpoint.send({ type: 'event', event, payload });
  });
  return () => {
    abort.abort();
    stopCalls();
    stopEvents?.();
  };
}
