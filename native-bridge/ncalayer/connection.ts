// One wss connection to NCALayer: TLS trust, the version greeting, a FIFO queue with one request in
// flight, heartbeat, reconnect after an idle drop, and long cancel-aware timeouts (NCALayer itself
// never times out). Every failure surfaces as a KenseError with an NCALAYER_* / SIGN_CANCELLED code.
import WebSocket from 'ws';
import { KenseError, type ErrorCode } from '../../contract/errors';
import { DEFAULT_NCALAYER_URL, HEARTBEAT, parseGreeting, safeJson } from './protocol';
import { pinKey, trustingConnector, type NcaLayerTrust, type TlsPeerInfo, type TlsVerdict } from './trust';

export interface NcaLayerConnectionOptions {
  url?: string;
  /** Who may answer on the URL (CA file, pins); see trust.ts. */
  tls?: NcaLayerTrust;
  /** TCP + TLS + HTTP upgrade. Default 5 s. */
  connectTimeoutMs?: number;
  /** Wait for `{"result":{"version":…}}` after the upgrade. Default 5 s. */
  greetingTimeoutMs?: number;
  /** Default timeout of one request. NCALayer waits for the user forever; we wait 10 min by default. */
  requestTimeoutMs?: number;
  /** Send `--heartbeat--` when idle this long (0 = never). Default 30 s. */
  heartbeatIntervalMs?: number;
  /** Drop the connection when the echo does not come back in this time. Default 10 s. */
  heartbeatTimeoutMs?: number;
  /** Reconnect in the background after an idle connection drops. */
  reconnect?: { attempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** Largest accepted reply. Default 256 MiB (an attached CMS of a large file; also below V8's longest string). */
  maxMessageBytes?: number;
  /** Diagnostic events (never payloads). */
  onEvent?: (event: ConnectionEvent) => void;
}

export type ConnectionEvent =
  | { type: 'open'; version: string; trustedBy: 'ca' | 'pin' }
  | { type: 'closed'; code?: number; duringRequest: boolean }
  | { type: 'heartbeat_lost' }
  | { type: 'reconnect_scheduled'; attempt: number; delayMs: number }
  | { type: 'unsolicited'; size: number };

export interface RequestOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Job {
  text: string;
  timeoutMs: number;
  signal?: AbortSignal;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  settled: boolean;
  cleanup: () => void;
}

const REFUSED = new Set(['ECONNREFUSED', 'EADDRNOTAVAIL', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND']);

export function cancelled(by: 'app' | 'user', extra: Record<string, unknown> = {}): KenseError {
  return new KenseError('SIGN_CANCELLED', { by, ...extra });
}

export class NcaLayerConnection {
  readonly url: string;
  private readonly opts: Required<Omit<NcaLayerConnectionOptions, 'tls' | 'onEvent' | 'reconnect' | 'url'>> & {
    reconnect: { attempts: number; initialDelayMs: number; maxDelayMs: number };
  };
  private readonly trust: NcaLayerTrust;
  private readonly onEvent: (e: ConnectionEvent) => void;
  private ws: WebSocket | undefined;
  private opening: Promise<void> | undefined;
  private readonly queue: Job[] = [];
  private current: Job | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatDeadline: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempt = 0;
  private closedByUser = false;
  private pumping = false;
  /** Version from the greeting of the current (or last) connection. */
  version: string | undefined;
  peer: TlsPeerInfo | undefined;
  trustedBy: 'ca' | 'pin' | undefined;

  constructor(options: NcaLayerConnectionOptions = {}) {
    this.url = options.url ?? DEFAULT_NCALAYER_URL;
    this.trust = options.tls ?? {};
    this.onEvent = options.onEvent ?? (() => {});
    this.opts = {
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      greetingTimeoutMs: options.greetingTimeoutMs ?? 5_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 10 * 60_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 10_000,
      maxMessageBytes: options.maxMessageBytes ?? 256 * 1024 * 1024,
      reconnect: {
        attempts: options.reconnect?.attempts ?? 5,
        initialDelayMs: options.reconnect?.initialDelayMs ?? 500,
        maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
      },
    };
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && this.opening === undefined;
  }

  /** Connects (once) and reads the greeting; resolves with the NCALayer version. */
  async open(): Promise<string> {
    this.closedByUser = false;
    if (this.isOpen && this.version) return this.version;
    if (!this.opening) {
      this.opening = this.connectWithTofu().finally(() => {
        this.opening = undefined;
      });
    }
    await this.opening;
    return this.version as string;
  }

  /** Sends one JSON message (or raw text) and resolves with the next reply parsed as JSON. */
  request(message: unknown, options: RequestOptions = {}): Promise<unknown> {
    this.closedByUser = false;
    return new Promise((resolve, reject) => {
      const signal = options.signal;
      if (signal?.aborted) {
        reject(cancelled('app'));
        return;
      }
      const job: Job = {
        text: typeof message === 'string' ? message : JSON.stringify(message),
        timeoutMs: options.timeoutMs ?? this.opts.requestTimeoutMs,
        signal,
        settled: false,
        resolve: (v) => {
          if (job.settled) return;
          job.settled = true;
          job.cleanup();
          resolve(v);
        },
        reject: (e) => {
          if (job.settled) return;
          job.settled = true;
          job.cleanup();
          reject(e);
        },
        cleanup: () => {},
      };
      if (signal) {
        const onAbort = () => this.abortJob(job, cancelled('app'));
        signal.addEventListener('abort', onAbort, { once: true });
        job.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(job);
      void this.pump();
    });
  }

  /** Closes the connection; queued and in-flight requests end with SIGN_CANCELLED. */
  close(): void {
    this.closedByUser = true;
    clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    for (const job of this.queue.splice(0)) job.reject(cancelled('app', { reason: 'closed' }));
    if (this.current) this.current.reject(cancelled('app', { reason: 'closed' }));
    this.current = undefined;
    this.ws?.terminate();
    this.ws = undefined;
  }

  // ---------- queue ----------

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.current && this.queue.length > 0) {
        const job = this.queue[0];
        if (job.settled) {
          this.queue.shift();
          continue;
        }
        clearTimeout(this.reconnectTimer);
        if (!this.isOpen) {
          try {
            await this.open();
          } catch (e) {
            // The connection cannot be made: every waiting request learns why.
            for (const j of this.queue.splice(0)) j.reject(e);
            return;
          }
          if (job.settled) continue;
        }
        this.queue.shift();
        this.send(job);
      }
    } finally {
      this.pumping = false;
    }
  }

  private send(job: Job): void {
    const ws = this.ws as WebSocket;
    this.current = job;
    this.stopHeartbeat();
    const timer = setTimeout(
      () => this.abortJob(job, new KenseError('NCALAYER_TIMEOUT', { timeoutMs: job.timeoutMs })),
      job.timeoutMs,
    );
    const prevCleanup = job.cleanup;
    job.cleanup = () => {
      clearTimeout(timer);
      prevCleanup();
    };
    ws.send(job.text, (err) => {
      if (err && this.current === job) this.failCurrent('NCALAYER_CONNECTION_LOST', { stage: 'send' });
    });
  }

  /** Ends a job early (timeout, abort). In flight: the connection is dropped so a late reply cannot answer the next request. */
  private abortJob(job: Job, error: KenseError): void {
    if (job.settled) return;
    if (this.current === job) {
      this.current = undefined;
      job.reject(error);
      const ws = this.ws;
      this.ws = undefined;
      ws?.terminate();
      void this.pump();
    } else {
      const i = this.queue.indexOf(job);
      if (i >= 0) this.queue.splice(i, 1);
      job.reject(error);
    }
  }

  private failCurrent(code: ErrorCode, details: Record<string, unknown>): void {
    const job = this.current;
    if (!job) return;
    this.current = undefined;
    job.reject(new KenseError(code, details));
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    const job = this.current;
    if (isBinary) {
      if (job) {
        this.current = undefined;
        job.reject(new KenseError('NCALAYER_PROTOCOL_ERROR', { reason: 'binary frame' }));
        this.ws?.terminate();
      }
      return;
    }
    let text: string;
    try {
      text = data.toString();
    } catch {
      // Longer than a JS string can be (only with a raised maxMessageBytes).
      if (job) this.failCurrent('NCALAYER_PROTOCOL_ERROR', { reason: 'reply too large' });
      this.ws?.terminate();
      return;
    }
    if (text === HEARTBEAT) {
      clearTimeout(this.heartbeatDeadline);
      this.heartbeatDeadline = undefined;
      return;
    }
    if (!job) {
      this.onEvent({ type: 'unsolicited', size: text.length });
      return;
    }
    this.current = undefined;
    const json = safeJson(text);
    if (json === undefined) job.reject(new KenseError('NCALAYER_PROTOCOL_ERROR', { reason: 'reply is not JSON', size: text.length }));
    else job.resolve(json);
    this.startHeartbeat();
    void this.pump();
  }

  // ---------- connecting ----------

  private async connectWithTofu(): Promise<void> {
    try {
      await this.connectOnce();
    } catch (e) {
      const t = this.trust;
      if (
        e instanceof KenseError &&
        e.code === 'NCALAYER_TLS_UNTRUSTED' &&
        t.pinStore &&
        t.confirmUnknownCertificate &&
        this.peer
      ) {
        const peer = this.peer;
        if (await t.confirmUnknownCertificate(peer)) {
          await t.pinStore.set(pinKey(this.url), peer.fingerprint256);
          await this.connectOnce();
          return;
        }
      }
      throw e;
    }
  }

  private async connectOnce(): Promise<void> {
    const pinned = this.trust.pinStore ? await this.trust.pinStore.get(pinKey(this.url)) : undefined;
    let verdict: TlsVerdict | undefined;
    const ws = new WebSocket(this.url, {
      createConnection: trustingConnector(this.trust, pinned, (v) => {
        verdict = v;
        this.peer = v.peer;
      }) as never,
      handshakeTimeout: this.opts.connectTimeoutMs,
      maxPayload: this.opts.maxMessageBytes,
      perMessageDeflate: false,
      followRedirects: false,
    });
    this.ws = ws;
    try {
      const version = await new Promise<string>((resolve, reject) => {
        let greetingTimer: NodeJS.Timeout | undefined;
        // ws's handshakeTimeout does not cover a TLS handshake that never completes: guard the whole opening.
        const openTimer = setTimeout(
          () => fail('NCALAYER_NOT_NCALAYER', { reason: 'no TLS/WebSocket handshake in time' }),
          this.opts.connectTimeoutMs,
        );
        const fail = (code: ErrorCode, details: Record<string, unknown>) => {
          clearTimeout(openTimer);
          clearTimeout(greetingTimer);
          ws.removeAllListeners();
          ws.on('error', () => {});
          ws.terminate();
          reject(new KenseError(code, { url: this.url, ...details }));
        };
        const tlsFailure = (): boolean => {
          if (verdict && !verdict.ok) {
            const code = verdict.why === 'pin_changed' ? 'NCALAYER_TLS_PIN_CHANGED' : 'NCALAYER_TLS_UNTRUSTED';
            fail(code, {
              fingerprint256: verdict.peer.fingerprint256,
              subject: verdict.peer.subject,
              issuer: verdict.peer.issuer,
              validTo: verdict.peer.validTo,
              ...(verdict.detail ? { reason: verdict.detail } : {}),
              ...(verdict.pinned ? { pinnedFingerprint256: verdict.pinned } : {}),
            });
            return true;
          }
          return false;
        };
        ws.on('unexpected-response', (_req, res) => {
          res.resume();
          fail('NCALAYER_NOT_NCALAYER', { reason: `HTTP ${res.statusCode} instead of a WebSocket upgrade` });
        });
        ws.on('error', (err: NodeJS.ErrnoException) => {
          if (tlsFailure()) return;
          if (err.code && REFUSED.has(err.code) && !verdict) fail('NCALAYER_UNAVAILABLE', { reason: err.code });
          else if (!verdict) fail('NCALAYER_NOT_NCALAYER', { reason: `TLS handshake failed: ${err.code ?? err.message}` });
          else fail('NCALAYER_NOT_NCALAYER', { reason: err.code ?? err.message });
        });
        ws.on('close', (code) => {
          if (tlsFailure()) return;
          fail('NCALAYER_NOT_NCALAYER', { reason: `closed before the greeting (${code})` });
        });
        ws.on('open', () => {
          clearTimeout(openTimer);
          greetingTimer = setTimeout(() => fail('NCALAYER_NOT_NCALAYER', { reason: 'no greeting' }), this.opts.greetingTimeoutMs);
        });
        ws.once('message', (data, isBinary) => {
          const g = isBinary ? null : parseGreeting(data.toString());
          if (!g) {
            fail('NCALAYER_NOT_NCALAYER', { reason: 'first message is not the NCALayer greeting' });
            return;
          }
          clearTimeout(greetingTimer);
          ws.removeAllListeners();
          // Take over synchronously: frames that arrived in the same chunk as the greeting must not be lost.
          ws.on('message', (d, b) => this.onMessage(d, b));
          ws.on('error', (err: NodeJS.ErrnoException) => {
            // A reply over the size limit: ws drops the connection; the request learns why.
            if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
              this.failCurrent('NCALAYER_PROTOCOL_ERROR', { reason: 'reply too large', maxMessageBytes: this.opts.maxMessageBytes });
            }
          });
          ws.on('close', (code) => this.onClose(ws, code));
          resolve(g.version);
        });
      });
      this.version = version;
      this.trustedBy = verdict?.ok ? verdict.by : undefined;
      this.reconnectAttempt = 0;
      this.onEvent({ type: 'open', version, trustedBy: this.trustedBy ?? 'ca' });
      this.startHeartbeat();
    } catch (e) {
      if (this.ws === ws) this.ws = undefined;
      throw e;
    }
  }

  private onClose(ws: WebSocket, code: number): void {
    if (this.ws !== ws) return;
    this.ws = undefined;
    this.stopHeartbeat();
    const duringRequest = this.current !== undefined;
    this.onEvent({ type: 'closed', code, duringRequest });
    if (duringRequest) this.failCurrent('NCALAYER_CONNECTION_LOST', { code });
    if (this.queue.length > 0) void this.pump();
    else if (!this.closedByUser) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const r = this.opts.reconnect;
    if (this.reconnectAttempt >= r.attempts) return;
    const delayMs = Math.min(r.maxDelayMs, r.initialDelayMs * 2 ** this.reconnectAttempt);
    this.reconnectAttempt++;
    this.onEvent({ type: 'reconnect_scheduled', attempt: this.reconnectAttempt, delayMs });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      if (this.closedByUser || this.isOpen || this.opening || this.current) return;
      this.open().catch(() => this.scheduleReconnect());
    }, delayMs);
    this.reconnectTimer.unref();
  }

  // ---------- heartbeat ----------

  private startHeartbeat(): void {
    this.stopHeartbeat();
    if (this.opts.heartbeatIntervalMs <= 0) return;
    this.heartbeatTimer = setInterval(() => {
      const ws = this.ws;
      if (!ws || this.current || this.heartbeatDeadline) return;
      ws.send(HEARTBEAT);
      this.heartbeatDeadline = setTimeout(() => {
        this.heartbeatDeadline = undefined;
        if (this.current) return;
        this.onEvent({ type: 'heartbeat_lost' });
        ws.terminate();
      }, this.opts.heartbeatTimeoutMs);
      this.heartbeatDeadline.unref();
    }, this.opts.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.heartbeatDeadline);
    this.heartbeatTimer = undefined;
    this.heartbeatDeadline = undefined;
  }
}
