// The receiving side of the IPC contract: validates the input with the operation's schema, calls the handler,
// validates the output, and turns anything thrown into the wire error (a KenseError keeps its code; anything else
// is INTERNAL and never leaks its message). Core uses it for its operations, main/host for the platform ones.
import type { z } from 'zod';
import { KenseError, isKenseError, type Locale } from '../errors';
import { EVENTS, type EventName, type EventPayload } from './events';
import { OPERATIONS, isOperationName, type OperationArgs, type OperationName, type OperationOutput, type OperationSpec } from './operations';
import type { WireResult } from './wire';

export interface CallContext {
  /** Aborted when the caller went away (window closed, socket dropped). */
  signal?: AbortSignal;
}

export type Handler<N extends OperationName> = (input: OperationArgs<N>, ctx: CallContext) => Promise<OperationOutput<N>> | OperationOutput<N>;
export type Handlers<N extends OperationName> = { [K in N]: Handler<K> };

export interface DispatcherOptions {
  /** The user's language for messages. */
  locale: () => Locale;
  /** A bug (non-KenseError thrown, output not matching its schema): log it; the caller gets INTERNAL. */
  onUnexpected?: (op: string, error: unknown) => void;
}

export interface Dispatcher {
  dispatch(op: unknown, input: unknown, ctx?: CallContext): Promise<WireResult>;
  handles(op: unknown): boolean;
}

/** Plain JSON copy: details may hold Dates or class instances that must not cross a process boundary as such. */
function plain(details: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!details) return undefined;
  try {
    return JSON.parse(JSON.stringify(details, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export function errorResult(e: KenseError, locale: Locale): WireResult {
  const p = e.toPayload(locale);
  const details = plain(p.details);
  return { ok: false, error: { code: p.code, message: p.message, action: p.action, ...(details ? { details } : {}) } };
}

export function fieldErrors(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Parses a call's input: what main's guard and the dispatcher both do before anything runs. */
export function parseCall(op: unknown, input: unknown): { ok: true; op: OperationName; input: unknown } | { ok: false; error: KenseError } {
  if (!isOperationName(op)) return { ok: false, error: new KenseError('IPC_UNKNOWN_OPERATION', { op: String(op).slice(0, 100) }) };
  const parsed = (OPERATIONS[op] as OperationSpec).input.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: new KenseError('INVALID_INPUT', { op, fields: fieldErrors(parsed.error) }) };
  return { ok: true, op, input: parsed.data };
}

export function createDispatcher<N extends OperationName>(handlers: Handlers<N>, options: DispatcherOptions): Dispatcher {
  const table = handlers as unknown as Record<string, (input: unknown, ctx: CallContext) => unknown>;
  const handles = (op: unknown): boolean => isOperationName(op) && Object.prototype.hasOwnProperty.call(table, op);
  return {
    handles,
    async dispatch(op, input, ctx = {}) {
      const locale = options.locale();
      if (!handles(op)) return errorResult(new KenseError('IPC_UNKNOWN_OPERATION', { op: String(op).slice(0, 100) }), locale);
      const call = parseCall(op, input);
      if (!call.ok) return errorResult(call.error, locale);
      try {
        const out = await table[call.op](call.input, ctx);
        const parsed = (OPERATIONS[call.op] as OperationSpec).output.safeParse(out);
        if (!parsed.success) {
          options.onUnexpected?.(call.op, new Error(`output of ${call.op} does not match its schema: ${JSON.stringify(fieldErrors(parsed.error))}`));
          return errorResult(new KenseError('INTERNAL'), locale);
        }
        return { ok: true, output: parsed.data };
      } catch (e) {
        if (isKenseError(e)) return errorResult(e, locale);
        options.onUnexpected?.(call.op, e);
        return errorResult(new KenseError('INTERNAL'), locale);
      }
    },
  };
}

export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;
export type AnyEventListener = (event: EventName, payload: unknown) => void;

export interface EventHub {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  on<E extends EventName>(event: E, listener: EventListener<E>): () => void;
  onAny(listener: AnyEventListener): () => void;
}

/**
 * Core's event bus. Payloads are checked against their schema (a wrong payload is a bug: reported, not sent).
 * A listener that throws does not stop the others.
 */
export function createEventHub(options: { onUnexpected?: (event: string, error: unknown) => void } = {}): EventHub {
  const byName = new Map<string, Set<(p: unknown) => void>>();
  const any = new Set<AnyEventListener>();
  const safely = (event: string, f: () => void) => {
    try {
      f();
    } catch (e) {
      options.onUnexpected?.(event, e);
    }
  };
  return {
    emit(event, payload) {
      const parsed = EVENTS[event].safeParse(payload);
      if (!parsed.success) {
        options.onUnexpected?.(event, new Error(`payload of ${event} does not match its schema: ${JSON.stringify(fieldErrors(parsed.error))}`));
        return;
      }
      for (const l of byName.get(event) ?? []) safely(event, () => l(parsed.data));
      for (const l of any) safely(event, () => l(event, parsed.data));
    },
    on(event, listener) {
      let set = byName.get(event);
      if (!set) byName.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    onAny(listener) {
      any.add(listener);
      return () => void any.delete(listener);
    },
  };
}

