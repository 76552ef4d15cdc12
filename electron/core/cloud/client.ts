// The cloud contract's client in core: typed calls from contract/cloud ENDPOINTS, answers parsed at the edge,
// network trouble and 5xx as OFFLINE (transient), expired access tokens refreshed once (single flight), a session
// the server ended as SIGN_IN_AGAIN, and the server's clock sampled from every answer.
import type { z } from 'zod';
import type { zTokens} from '../../../contract/cloud';
import { ENDPOINTS, zErrorResponse, type EndpointName, type ResponseOf } from '../../../contract/cloud';
import { KenseError, isErrorCode, type Locale } from '../../../contract/errors';
import { yieldToEventLoop } from '../turns';
import { Utf8Decoder } from './utf8-worker';


/** Answers longer than this (characters) are parsed and checked in separate event-loop turns. */
const LARGE_ANSWER = 256 * 1024;
export type Tokens = z.infer<typeof zTokens>;

export interface TokenHolder {
  get(): Tokens | null;
  /** Called with new tokens after a refresh (persist them), or null when the session is gone. */
  set(tokens: Tokens | null): void;
}

export interface CloudClientOptions {
  baseUrl: string;
  locale: () => Locale;
  tokens?: TokenHolder;
  userAgent: string;
  fetch?: typeof fetch;
  /** Per request; the feed may take longer on slow links. */
  timeoutMs?: number;
  /** Device clock minus server clock (ms), measured from the Date header at each answer. */
  onClockSample?: (skewMs: number) => void;
}

export interface CallRequest {
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

/** Codes after which the refresh token is of no more use: sign in again. */
const SESSION_GONE = new Set(['REFRESH_TOKEN_INVALID', 'REFRESH_TOKEN_REUSED', 'SESSION_ENDED', 'AUTH_REQUIRED']);

/** Network trouble, a 5xx or a cut answer: try again later. */
export function isTransient(e: unknown): boolean {
  return e instanceof KenseError && (e.code === 'OFFLINE' || e.code === 'RATE_LIMITED');
}

export class CloudClient {
  readonly baseUrl: string;
  private refreshing: Promise<Tokens> | null = null;
  private readonly fetchImpl: typeof fetch;
  private readonly decoder = new Utf8Decoder(LARGE_ANSWER);

  constructor(private readonly o: CloudClientOptions) {
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = o.fetch ?? fetch;
  }

  async call<N extends EndpointName>(name: N, req: CallRequest = {}, opts: { signal?: AbortSignal } = {}): Promise<ResponseOf<N>> {
    return (await this.callWithBytes(name, req, opts)).data;
  }

  /** The parsed answer and the UTF-8 bytes it was parsed from (the feed stores each document's JSON as sent). */
  async callWithBytes<N extends EndpointName>(name: N, req: CallRequest = {}, opts: { signal?: AbortSignal } = {}): Promise<{ data: ResponseOf<N>; bytes: Uint8Array }> {
    const e = ENDPOINTS[name];
    if (!e.auth) return this.send(name, req, null, opts.signal);
    const tokens = this.o.tokens?.get();
    if (!tokens) throw new KenseError('NOT_SIGNED_IN');
    try {
      return await this.send(name, req, tokens.accessToken, opts.signal);
    } catch (err) {
      if (err instanceof KenseError && (err.code === 'SESSION_ENDED' || err.code === 'REFRESH_TOKEN_REUSED')) {
        // Ended on the server (another device, a key reported compromised): the refresh token is of no use either.
        this.o.tokens?.set(null);
        throw new KenseError('SIGN_IN_AGAIN', { reason: err.code });
      }
      if (!(err instanceof KenseError) || (err.code !== 'TOKEN_EXPIRED' && err.code !== 'AUTH_REQUIRED')) throw err;
      const fresh = await this.refresh(tokens);
      return this.send(name, req, fresh.accessToken, opts.signal);
    }
  }

  /** Stops the decoding worker now (after a download: its memory returns at once; a later large answer starts it again). */
  releaseDecoder(): void {
    this.decoder.close();
  }

  /** One refresh at a time; callers that raced share its result. */
  private refresh(stale: Tokens): Promise<Tokens> {
    const current = this.o.tokens?.get();
    if (current && current.accessToken !== stale.accessToken) return Promise.resolve(current);
    this.refreshing ??= (async () => {
      try {
        const t = (await this.send('authRefresh', { body: { refreshToken: stale.refreshToken } }, null)).data;
        this.o.tokens?.set(t);
        return t;
      } catch (err) {
        if (err instanceof KenseError && SESSION_GONE.has(err.code)) {
          this.o.tokens?.set(null);
          throw new KenseError('SIGN_IN_AGAIN', { reason: err.code });
        }
        throw err;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async send<N extends EndpointName>(name: N, req: CallRequest, token: string | null, signal?: AbortSignal): Promise<{ data: ResponseOf<N>; bytes: Uint8Array }> {
    const e = ENDPOINTS[name];
    let p: string = e.path;
    for (const [k, v] of Object.entries(req.params ?? {})) p = p.replace(`:${k}`, encodeURIComponent(v));
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const url = `${this.baseUrl}${p}${qs.size ? `?${qs}` : ''}`;
    const headers: Record<string, string> = { 'accept-language': this.o.locale(), 'user-agent': this.o.userAgent };
    if (token) headers.authorization = `Bearer ${token}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.o.timeoutMs ?? 30_000);
    const started = Date.now();
    let res: Response;
    let bytes: Uint8Array;
    try {
      res = await this.fetchImpl(url, {
        method: e.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      if (signal?.aborted) throw new KenseError('CANCELLED');
      throw new KenseError('OFFLINE', { endpoint: name, reason: networkReason(err) });
    }
    this.sampleClock(res, started);
    // a large answer is decoded on a worker thread, and parsed in a turn of its own
    const large = bytes.length > LARGE_ANSWER;
    let text: string;
    try {
      text = await this.decoder.decode(bytes);
    } catch {
      throw new KenseError('OFFLINE', { endpoint: name, status: res.status, reason: 'incomplete answer' });
    }
    if (large) await yieldToEventLoop();
    if (res.status >= 500) throw new KenseError('OFFLINE', { endpoint: name, status: res.status });
    let payload: unknown;
    try {
      payload = 'contentType' in e && e.contentType === 'text/csv' && res.ok ? text : JSON.parse(text);
    } catch {
      // A body cut mid-way (proxy, dropped connection) is a network problem, not the server's answer.
      throw new KenseError('OFFLINE', { endpoint: name, status: res.status, reason: 'incomplete answer' });
    }
    if (!res.ok) {
      const err = zErrorResponse.safeParse(payload);
      if (!err.success) throw new KenseError('OFFLINE', { endpoint: name, status: res.status, reason: 'not a kense answer' });
      const code = err.data.code;
      if (isErrorCode(code)) throw new KenseError(code, { ...(err.data.details ?? {}), status: res.status });
      throw new KenseError('INTERNAL', { endpoint: name, status: res.status, serverCode: code });
    }
    // A large answer (a feed page) was decoded and parsed in this turn: let the event loop breathe before checking it.
    if (large) await yieldToEventLoop();
    const parsed = (e.response as z.ZodType).safeParse(payload);
    if (!parsed.success) throw new KenseError('INTERNAL', { endpoint: name, problem: 'the answer does not match the cloud contract', issues: parsed.error.issues.slice(0, 3).map((i) => i.path.join('.')) });
    return { data: parsed.data as ResponseOf<N>, bytes };
  }

  private sampleClock(res: Response, started: number): void {
    const date = res.headers.get('date');
    if (!date || !this.o.onClockSample) return;
    const server = Date.parse(date);
    if (Number.isNaN(server)) return;
    const now = Date.now();
    // The Date header has one-second resolution; the answer was made somewhere between send and receive.
    this.o.onClockSample((started + now) / 2 - (server + 500));
  }
}

function networkReason(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string }; code?: string };
  if (e?.name === 'TimeoutError') return 'timeout';
  return e?.cause?.code ?? e?.code ?? e?.name ?? 'network';
}
