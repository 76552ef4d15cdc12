// The sync engine of one open profile: push the outbox in order, pull the feed page by page (prefetching the next
// page while one is applied), keep the status the office shows, and decide when to try again.
import type { Change, MutationResult, MutationOutcome } from '../../../contract/cloud';
import { KenseError, isErrorCode, type Locale } from '../../../contract/errors';
import type { EventHub, IpcErrorPayload, SyncStatus } from '../../../contract/ipc';
import type { CloudClient } from '../cloud/client';
import { isTransient } from '../cloud/client';
import type { Store } from '../store/store';
import { Outbox, type OutboxRow } from '../store/outbox';
import { applyPage, DownloadWriter, type ApplyResult, beginBulkLoad, bulkLoading, finishBulkLoad, finishRebuild, rebaseDocument, rebuilding, startRebuild } from './apply';
import { yieldToEventLoop } from '../turns';
import { backoffDelay } from './backoff';
import { dataSlicesSliced } from './page-text';

/**
 * Feed page size: a page is parsed in one go and applied in one transaction, so it is kept small enough that neither
 * holds the event loop long (≈ 0.8 MB of JSON).
 */
export const DEFAULT_PAGE = 300;
import { kzIso } from '../time';

export interface SyncEngineOptions {
  store: Store;
  client: CloudClient;
  events: EventHub;
  locale: () => Locale;
  now?: () => Date;
  random?: () => number;
  /** Sync this often while online and idle. */
  periodicMs?: number;
  /** The oldest pending change waiting longer than this is "stuck" (watchdog). */
  stuckAfterMs?: number;
  pageLimit?: number;
  pushBatch?: number;
  /** The server's clock differs by more than this: warn (deadlines and signing times depend on it). */
  clockWarnMs?: number;
  /** Called when the server ended the session (outbox kept). */
  onSignInAgain?: (e: KenseError) => void;
  /** Called when the account or company was terminated: the profile must be wiped. */
  onAccountTerminated?: (e: KenseError) => Promise<void>;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

type Phase = SyncStatus['state'];

export class SyncEngine {
  private readonly outbox: Outbox;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failures = 0;
  private phase: Phase = 'idle';
  private online = false;
  private lastAttemptAt: string | null = null;
  private nextAttemptAt: string | null = null;
  private lastError: IpcErrorPayload | null = null;
  private skewMs: number | null = null;
  private needsSignIn = false;
  private lastStatusJson = '';
  private waiters: (() => void)[] = [];
  private lastProgressAt = 0;
  private lastProgressPhase: 'pull' | 'push' | 'rebuild' | null = null;
  private terminated: KenseError | null = null;

  constructor(private readonly o: SyncEngineOptions) {
    this.outbox = new Outbox(o.store);
    this.now = o.now ?? (() => new Date());
  }

  /** Device clock minus server clock (feed it the client's samples). */
  clockSample(skewMs: number): void {
    this.skewMs = this.skewMs === null ? skewMs : this.skewMs * 0.7 + skewMs * 0.3;
  }

  start(): void {
    this.stopped = false;
    this.watchdog = setInterval(() => this.emitStatus(), 30_000);
    this.watchdog.unref();
    this.trigger(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.timer = null;
    // Callers of syncNow are answered by the round they joined (its end runs after any hook it calls).
    await this.running?.catch(() => undefined);
  }

  get pushing(): boolean {
    return this.phase === 'pushing';
  }

  /** Sync soon: after a local change (debounced), on start, on reconnect, or when the user asks. */
  trigger(delayMs = 150): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), delayMs);
    this.timer.unref?.();
  }

  /** Runs a round now (or joins the one running) and resolves when no round is left to run. */
  async syncNow(): Promise<SyncStatus> {
    if (this.needsSignIn) return this.status();
    this.failures = 0;
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.running) this.again = true;
    else {
      if (this.timer) clearTimeout(this.timer);
      void this.round();
    }
    await done;
    return this.status();
  }

  /** The session is back (signed in again): resume. */
  resume(): void {
    this.needsSignIn = false;
    this.failures = 0;
    this.trigger(0);
  }

  status(): SyncStatus {
    if (this.o.store.isClosed) {
      return {
        online: this.online, state: 'signed_out', lastSyncAt: null, lastAttemptAt: this.lastAttemptAt, nextAttemptAt: null, pendingMutations: 0, conflicts: 0, rejected: 0,
        stuck: null, clockSkewSeconds: null, clockWarning: null, lastError: this.lastError,
      };
    }
    const c = this.outbox.counts();
    const stuckAfter = this.o.stuckAfterMs ?? 15 * 60_000;
    const oldest = c.oldestPending;
    const stuck = oldest && this.now().getTime() - Date.parse(oldest.createdAt) > stuckAfter ? { since: oldest.createdAt, attempts: oldest.attempts, lastError: oldest.error ?? this.lastError } : null;
    const warnMs = this.o.clockWarnMs ?? 120_000;
    const skewed = this.skewMs !== null && Math.abs(this.skewMs) > warnMs;
    return {
      online: this.online,
      state: this.needsSignIn ? 'needs_sign_in' : this.phase === 'idle' && !this.online && this.lastAttemptAt ? 'offline' : this.phase,
      lastSyncAt: this.o.store.meta<string>('lastSyncAt') ?? null,
      lastAttemptAt: this.lastAttemptAt,
      nextAttemptAt: this.nextAttemptAt,
      pendingMutations: c.pending,
      conflicts: c.conflicts,
      rejected: c.rejected,
      stuck,
      clockSkewSeconds: this.skewMs === null ? null : Math.round(this.skewMs / 1000),
      clockWarning: skewed ? this.payload(new KenseError('CLOCK_SKEW', { skewSeconds: Math.round((this.skewMs as number) / 1000) })) : null,
      lastError: this.lastError,
    };
  }

  private payload(e: KenseError): IpcErrorPayload {
    const p = e.toPayload(this.o.locale());
    return { code: p.code, message: p.message, action: p.action, ...(p.details ? { details: JSON.parse(JSON.stringify(p.details)) as Record<string, unknown> } : {}) };
  }

  private emitStatus(): void {
    if (this.o.store.isClosed) return;
    const s = this.status();
    const json = JSON.stringify(s);
    if (json === this.lastStatusJson) return;
    this.lastStatusJson = json;
    this.o.events.emit('sync.status', s);
  }

  private setPhase(p: Phase): void {
    if (this.o.store.isClosed) return;
    const wasPushing = this.phase === 'pushing';
    this.phase = p;
    if (wasPushing !== (p === 'pushing')) this.o.events.emit('app.busy', { signing: false, pushing: p === 'pushing' });
    this.emitStatus();
  }

  private round(): Promise<void> {
    this.timer = null;
    const run = (async () => {
      try {
        do {
          this.again = false;
          if (this.stopped || this.needsSignIn || this.o.store.isClosed) break;
          await this.once();
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
      // Outside the round: the hook closes the store and stops this engine, which must not wait for itself.
      const terminated = this.terminated;
      this.terminated = null;
      if (terminated) await this.o.onAccountTerminated?.(terminated);
    })().finally(() => {
      this.running = null;
      this.setPhase('idle');
      for (const w of this.waiters.splice(0)) w();
      this.schedule();
    });
    this.running = run;
    return run;
  }

  private schedule(): void {
    if (this.stopped || this.needsSignIn || this.o.store.isClosed) return;
    const delay = this.failures > 0 ? backoffDelay(this.failures, this.o.random) : (this.o.periodicMs ?? 60_000);
    this.nextAttemptAt = kzIso(new Date(this.now().getTime() + delay));
    this.emitStatus();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), delay);
    this.timer.unref?.();
  }

  /** One round: push what is waiting, pull what changed, push again if a change came in meanwhile. */
  private async once(): Promise<void> {
    this.lastAttemptAt = kzIso(this.now());
    try {
      await this.push();
      await this.pull();
      if (this.outbox.counts().pending > 0) await this.push();
      this.failures = 0;
      this.online = true;
      this.lastError = null;
      this.nextAttemptAt = null;
    } catch (e) {
      await this.failed(e);
    }
  }

  private async failed(e: unknown): Promise<void> {
    const err = e instanceof KenseError ? e : new KenseError('INTERNAL', {}, { cause: e });
    if (!(e instanceof KenseError)) this.o.log?.('sync failed', { error: String((e as Error)?.stack ?? e) });
    this.lastError = this.payload(err);
    if (isTransient(err)) {
      this.online = false;
      this.failures++;
      return;
    }
    this.online = err.code !== 'INTERNAL' ? true : this.online;
    if (err.code === 'SIGN_IN_AGAIN' || err.code === 'NOT_SIGNED_IN') {
      this.needsSignIn = true;
      this.o.events.emit('session.expired', { error: this.payload(err), pendingMutations: this.outbox.counts().pending });
      this.o.onSignInAgain?.(err);
      return;
    }
    if (err.code === 'ACCOUNT_TERMINATED') {
      this.stopped = true;
      this.terminated = err;
      return;
    }
    this.failures++;
  }

  // ── push ─────────────────────────────────────────────────────────────────────────────────────

  private async push(): Promise<void> {
    const batch = this.o.pushBatch ?? 50;
    for (;;) {
      const rows = this.outbox.pending(batch);
      if (rows.length === 0) return;
      this.setPhase('pushing');
      let results: MutationResult[];
      try {
        results = (
          await this.o.client.call('syncMutations', {
            body: { mutations: rows.map((r) => ({ mutationId: r.mutationId, name: r.name, args: r.args, baseVersion: r.baseVersion })) },
          })
        ).results;
      } catch (e) {
        if (isTransient(e)) {
          const at = kzIso(this.now());
          await this.o.store.tx(() => this.outbox.markAttempt(rows.map((r) => r.seq), at, at, this.payload(e as KenseError)));
          throw e;
        }
        // A refusal of the whole request (not of one change) by a 4xx: find the change it is about, one at a time.
        if (e instanceof KenseError && (e.code === 'INVALID_INPUT' || e.code === 'MUTATION_ID_REUSED' || e.code === 'REQUEST_TOO_LARGE') && rows.length > 0) {
          await this.pushAlone(rows[0]);
          continue;
        }
        throw e;
      }
      await this.record(rows, results);
      this.progress('push', 0, rows.length);
      if (rows.length < batch) return;
    }
  }

  private async pushAlone(row: OutboxRow): Promise<void> {
    try {
      const r = await this.o.client.call('syncMutations', { body: { mutations: [{ mutationId: row.mutationId, name: row.name, args: row.args, baseVersion: row.baseVersion }] } });
      await this.record([row], r.results);
    } catch (e) {
      if (isTransient(e) || !(e instanceof KenseError) || e.code === 'SIGN_IN_AGAIN' || e.code === 'ACCOUNT_TERMINATED') throw e;
      const at = kzIso(this.now());
      await this.o.store.tx(() => {
        this.outbox.answer(row.seq, { status: 'rejected', error: this.payload(e) }, at);
        if (row.target) rebaseDocument(this.o.store, row.target.kind, row.target.id);
      });
    }
  }

  private outcomeError(o: MutationOutcome): IpcErrorPayload | null {
    if (o.status === 'conflict') return this.payload(new KenseError('CONFLICT', { entity: o.entity.entity, id: o.entity.id, version: o.entity.version }));
    if (o.status === 'rejected') {
      const code = isErrorCode(o.code) ? o.code : 'INTERNAL';
      return { code, message: o.message, action: o.action, ...(o.details ? { details: o.details } : {}), ...(code === 'INTERNAL' ? { details: { serverCode: o.code } } : {}) };
    }
    return null;
  }

  /** The answers of one push, in one transaction; each document's overlay is re-derived. */
  private async record(rows: OutboxRow[], results: MutationResult[]): Promise<void> {
    const byId = new Map(results.map((r) => [r.mutationId, r]));
    const at = kzIso(this.now());
    await this.o.store.tx(() => {
      for (const row of rows) {
        const r = byId.get(row.mutationId);
        if (!r) continue;
        const outcome: MutationOutcome = r.status === 'duplicate' ? r.original : r;
        if (outcome.status === 'applied') this.outbox.answer(row.seq, { status: 'applied', confirmedVersion: outcome.entity?.version ?? null }, at);
        else this.outbox.answer(row.seq, { status: outcome.status, error: this.outcomeError(outcome) }, at);
        if (row.target) rebaseDocument(this.o.store, row.target.kind, row.target.id);
        else if (outcome.status === 'applied') this.o.store.w.prepare('DELETE FROM outbox WHERE seq = ?').run(row.seq);
      }
    });
    this.o.events.emit('data.changed', { entities: ['outbox'], refs: rows.flatMap((r) => (r.target ? [r.target] : [])).slice(0, 100) });
  }

  // ── pull ─────────────────────────────────────────────────────────────────────────────────────

  /** One feed page, parsed and checked, with each document's JSON cut out of the answer as sent (UTF-8). */
  private async fetchPage(cursor: string | undefined) {
    // 300 a page: each is decoded, parsed, checked and prepared for the background connection here, in turns that stay short
    const { data, bytes } = await this.o.client.callWithBytes('syncChanges', { query: { cursor, limit: this.o.pageLimit ?? DEFAULT_PAGE } });
    await yieldToEventLoop();
    return { ...data, changes: data.changes as Change[], slices: await dataSlicesSliced(bytes) };
  }

  private async pull(): Promise<void> {
    let resetDone = false;
    for (;;) {
      try {
        await this.pullPages();
        if (rebuilding(this.o.store)) {
          await finishRebuild(this.o.store);
          await this.finishDownload();
          this.o.events.emit('data.changed', { entities: ['act', 'service_act', 'reconciliation', 'invoice', 'dashboard', 'notification', 'user', 'subscription'], refs: null });
        }
        await this.finishDownload();
        await this.o.store.tx(() => this.o.store.setMeta('lastSyncAt', kzIso(this.now())));
        return;
      } catch (e) {
        if (!resetDone && e instanceof KenseError && (e.code === 'CURSOR_RESET' || e.code === 'CURSOR_INVALID')) {
          // The server was restored from a backup (or forgot us): rebuild the cache, keep and replay the outbox.
          resetDone = true;
          this.o.log?.('cursor reset: rebuilding the cache', { code: e.code });
          await startRebuild(this.o.store);
          continue;
        }
        // A download cut short (offline, signed out, killed before) must not leave the cache without its indexes.
        await this.finishDownload().catch((f: unknown) => this.o.log?.('building the indexes after a download failed', { code: (f as KenseError).code }));
        throw e;
      }
    }
  }

  /** Builds the indexes a bulk download deferred (apply.ts), telling the office once they are back. */
  private async finishDownload(): Promise<void> {
    if (!(await finishBulkLoad(this.o.store))) return;
    await this.o.store.releaseBackground();
    this.o.client.releaseDecoder();
    this.o.events.emit('data.changed', { entities: ['act', 'service_act', 'reconciliation'], refs: null });
  }

  private async pullPages(): Promise<void> {
    let cursor = this.o.store.meta<string>('cursor');
    const initial = cursor === undefined;
    const store = this.o.store;
    // A first download, a re-download, or one a kill interrupted: indexes deferred once there is more than one page.
    const download = initial || rebuilding(store) || bulkLoading(store);
    this.setPhase(rebuilding(store) ? 'rebuilding' : 'pulling');
    let next = this.fetchPage(cursor);
    let applied = 0;
    const told = (r: ApplyResult) => {
      applied += r.applied;
      if (r.applied > 0) this.o.events.emit('data.changed', { entities: [...r.entities], refs: r.refs.length > 100 ? null : r.refs });
      for (const n of r.notifications) this.o.events.emit('notification', n as never);
      this.progress(this.phase === 'rebuilding' ? 'rebuild' : 'pull', applied, 0);
    };
    // a download's pages are written on the background connection while the next ones are fetched and prepared here
    const writer = new DownloadWriter(store, told);
    try {
      for (;;) {
        const page = await next;
        // Ask for the next page before applying this one: the network and the database work at the same time.
        next = page.hasMore ? this.fetchPage(page.cursor) : (null as never);
        next?.catch(() => undefined);
        if (download && page.hasMore && !bulkLoading(store)) await beginBulkLoad(store);
        if (bulkLoading(store)) await writer.add(page, { collectNotifications: !initial });
        else {
          await writer.flush();
          told(await applyPage(store, page.changes, page.cursor, { collectNotifications: !initial, slices: page.slices }));
        }
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      await writer.flush();
    } catch (e) {
      // what was queued before the failure is still committed (or its own failure reported)
      await writer.flush().catch(() => undefined);
      if (e instanceof KenseError) throw e;
      throw new KenseError('INTERNAL', { problem: 'applying a feed page failed' }, { cause: e });
    }
  }

  private progress(phase: 'pull' | 'push' | 'rebuild', applied: number, pushed: number): void {
    const t = performance.now();
    // At most ten a second, but a new phase is always told (a rebuild right after a push must show).
    if (t - this.lastProgressAt < 100 && phase !== 'push' && phase === this.lastProgressPhase) return;
    this.lastProgressAt = t;
    this.lastProgressPhase = phase;
    this.o.events.emit('sync.progress', { phase, applied, remaining: null, pushed, pending: this.outbox.counts().pending });
  }
}
