// Core: the profile folder, the open profile (its encrypted store, cloud client and sync engine), sign-in and
// sign-out, signing. Plain Node — the desktop utility process, the headless host, the CLI and tests all run it.
import path from 'node:path';
import { KenseError, isKenseError, type Locale } from '../../contract/errors';
import { zLoginResponse } from '../../contract/cloud';
import { createEventHub, type EventHub, type Profile, type SessionStatus, type Settings } from '../../contract/ipc';
import { SignerFilterSchema, type SignerKind } from '../../contract/signing';
import { readFileSync } from 'node:fs';
import { TEST_CRL_FILES, loadTrustStore, parseCrl, type Crl, type Sourced, type TrustStore } from '../../native-bridge/pki';
import { RevocationSource } from '../../native-bridge/pki/revocation-source';
import { NcaLayerSigner } from '../../native-bridge/ncalayer/signer';
import { DEFAULT_NCALAYER_URL } from '../../native-bridge/ncalayer/protocol';
import { FilePinStore, type NcaLayerTrust } from '../../native-bridge/ncalayer/trust';
import { BundledSigner } from '../../native-bridge/signer/bundled';
import type { Signer } from '../../native-bridge/signer/types';
import { CloudClient, type Tokens } from './cloud/client';
import { ProfileRoot, profileIdFor } from './store/profiles';
import type { KeyVault } from './store/key-vault';
import { Store } from './store/store';
import { Outbox } from './store/outbox';
import { SyncEngine, type SyncEngineOptions } from './sync/engine';
import { zProfileInfo, type ProfileInfo } from './profile-info';
import { kzIso } from './time';
import { audit } from './signing/orchestrator';
import { RevocationCache } from './store/revocation-cache';
import { RecentLog } from './support/recent-log';

export type Platform = 'windows' | 'macos' | 'linux' | 'cli' | 'other';

export interface CoreOptions {
  /** The installation folder (profiles, settings, file key vault). */
  root: string;
  vault: KeyVault;
  appVersion: string;
  platform: Platform;
  deviceName: string;
  /** The cloud to sign in to when the caller names none (and no setting does). */
  cloudUrl?: string | null;
  /** Language until the user picks one. */
  locale?: () => Locale;
  ncalayer?: { url?: string; tls?: NcaLayerTrust };
  /** Folders searched for .p12 key files (signer.keyFiles). */
  keyDirs?: string[];
  /** Where CRL URLs certificates name are really fetched from (a mirror; tests: a loopback server). */
  crlMirror?: (url: string) => string;
  /** In test mode, judge revocation by the НУЦ test kit's CRL at hand (default); false: fetch what certificates name. */
  testCrlAtHand?: boolean;
  /** Force the trust mode for signatures; default: the cloud's (its /v1/health says test for the demo). */
  trust?: 'production' | 'test';
  fetch?: typeof fetch;
  now?: () => Date;
  random?: () => number;
  /** Sync in the background (the app, the host); the CLI syncs when asked. */
  autoSync?: boolean;
  sync?: Pick<SyncEngineOptions, 'periodicMs' | 'stuckAfterMs' | 'pageLimit' | 'pushBatch' | 'clockWarnMs'>;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface OpenProfile {
  id: string;
  store: Store;
  info: ProfileInfo;
  client: CloudClient;
  engine: SyncEngine;
}

interface RootSettings {
  language?: Locale;
  cloudUrl?: string;
  updateChannel?: 'stable' | 'beta';
  desktopNotifications?: boolean;
  signer?: { via?: SignerKind; ncalayerUrl?: string };
}

export interface SignVia {
  via: SignerKind;
  p12Path?: string;
  password?: string;
}

export class Core {
  readonly events: EventHub;
  readonly root: ProfileRoot;
  readonly now: () => Date;
  private current: OpenProfile | null = null;
  private needsSignIn = false;
  private readonly trustStores = new Map<string, TrustStore>();
  private signingCount = 0;
  readonly signingAborts = new Map<string, AbortController>();

  readonly o: CoreOptions;
  /** Core's recent log lines (in memory), for a support request the user agreed to attach logs to. */
  readonly recentLog = new RecentLog();

  constructor(options: CoreOptions) {
    const log = options.log;
    const o: CoreOptions = { ...options, log: (message, fields) => {
      this.recentLog.add(kzIso((options.now ?? (() => new Date()))()), message, fields);
      log?.(message, fields);
    } };
    this.o = o;
    this.events = createEventHub({ onUnexpected: (event, e) => o.log?.('event listener failed', { event, error: String(e) }) });
    this.root = new ProfileRoot(o.root, o.vault);
    this.now = o.now ?? (() => new Date());
  }

  // ── settings ───────────────────────────────────────────────────────────────────────────────

  rootSettings(): RootSettings {
    return this.root.readSettings() as RootSettings;
  }
  locale(): Locale {
    const l = this.rootSettings().language;
    return l === 'ru' || l === 'kk' || l === 'en' ? l : (this.o.locale?.() ?? 'ru');
  }
  cloudUrl(): string | null {
    return this.current?.info.cloudUrl ?? this.rootSettings().cloudUrl ?? this.o.cloudUrl ?? null;
  }
  ncalayerUrl(): string {
    return this.rootSettings().signer?.ncalayerUrl ?? this.o.ncalayer?.url ?? DEFAULT_NCALAYER_URL;
  }

  settings(): Settings {
    const s = this.rootSettings();
    const p = this.current;
    return {
      language: this.locale(),
      cloudUrl: this.cloudUrl(),
      signer: { via: s.signer?.via ?? 'ncalayer', p12Path: p?.store.meta<string>('p12Path') ?? null, ncalayerUrl: this.ncalayerUrl() },
      updateChannel: s.updateChannel ?? 'stable',
      desktopNotifications: s.desktopNotifications ?? true,
      cache: p ? this.cacheSize(p) : null,
    };
  }

  private cacheSize(p: OpenProfile): { sizeBytes: number; documents: number } {
    const pages = p.store.r.pragma('page_count', { simple: true }) as number;
    const size = p.store.r.pragma('page_size', { simple: true }) as number;
    const documents = (p.store.r.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
    return { sizeBytes: pages * size, documents };
  }

  async updateSettings(u: { language?: Locale; cloudUrl?: string; signer?: { via?: SignerKind; p12Path?: string | null; ncalayerUrl?: string }; updateChannel?: 'stable' | 'beta'; desktopNotifications?: boolean }): Promise<Settings> {
    const s = this.rootSettings();
    const next: RootSettings = {
      ...s,
      ...(u.language ? { language: u.language } : {}),
      ...(u.cloudUrl ? { cloudUrl: u.cloudUrl } : {}),
      ...(u.updateChannel ? { updateChannel: u.updateChannel } : {}),
      ...(u.desktopNotifications !== undefined ? { desktopNotifications: u.desktopNotifications } : {}),
      signer: { ...s.signer, ...(u.signer?.via ? { via: u.signer.via } : {}), ...(u.signer?.ncalayerUrl ? { ncalayerUrl: u.signer.ncalayerUrl } : {}) },
    };
    this.root.writeSettings(next as Record<string, unknown>);
    const p = this.current;
    if (p) {
      await p.store.tx(() => {
        // The key file's path may name its owner: it lives in the encrypted profile, not in settings.json.
        if (u.signer?.p12Path !== undefined) p.store.setMeta('p12Path', u.signer.p12Path ?? undefined);
        audit(p.store, kzIso(this.now()), 'settings.change', null, { changed: Object.keys(u) });
      });
    }
    this.events.emit('data.changed', { entities: ['settings'], refs: null });
    return this.settings();
  }

  // ── session ────────────────────────────────────────────────────────────────────────────────

  get open(): OpenProfile | null {
    return this.current;
  }

  require(): OpenProfile {
    if (!this.current) throw new KenseError('NOT_SIGNED_IN');
    return this.current;
  }

  status(): SessionStatus {
    const p = this.current;
    if (!p) return { state: 'signed_out', profile: null, company: null, role: null, permissions: [], method: null, passwordChangeRequired: false, passwordExpiresAt: null };
    const company = p.store.r.prepare(`SELECT data FROM entities WHERE entity = 'company' AND id = ?`).get(p.info.companyId) as { data: string } | undefined;
    return {
      state: this.needsSignIn ? 'needs_sign_in' : 'signed_in',
      profile: this.profileView(p.id, p.store, p.info),
      company: company
        ? (JSON.parse(company.data) as SessionStatus['company'])
        : { id: p.info.companyId, version: 1, name: p.info.companyName, iinBin: p.info.companyIinBin, kind: p.info.companyKind, address: '', terminated: false },
      role: p.info.role,
      permissions: p.info.permissions,
      method: p.info.method,
      passwordChangeRequired: p.info.passwordChangeRequired,
      passwordExpiresAt: p.info.passwordExpiresAt,
    };
  }

  private profileView(id: string, store: Store, info: ProfileInfo): Profile {
    return {
      id, cloudUrl: info.cloudUrl, userId: info.userId, userName: info.userName, iin: info.iin, companyId: info.companyId, companyName: info.companyName,
      companyIinBin: info.companyIinBin, role: info.role, lastSyncAt: store.meta<string>('lastSyncAt') ?? null, lastOpenedAt: store.meta<string>('lastOpenedAt') ?? null,
    };
  }

  /** Every profile on this device (each database is opened briefly to read who it is; the open one as it is). */
  async profiles(): Promise<Profile[]> {
    const out: Profile[] = [];
    for (const id of this.root.list()) {
      if (this.current?.id === id) {
        out.push(this.profileView(id, this.current.store, this.current.info));
        continue;
      }
      try {
        const db = await this.root.open(id);
        const store = new Store(id, db);
        try {
          const info = zProfileInfo.safeParse(store.meta('profile'));
          if (info.success) out.push(this.profileView(id, store, info.data));
        } finally {
          store.close();
        }
      } catch (e) {
        this.o.log?.('a profile could not be read', { profileId: id, code: isKenseError(e) ? e.code : 'INTERNAL' });
      }
    }
    return out;
  }

  /** A client without a session (password policy before sign-in, health). */
  anonymousClient(cloudUrl: string): CloudClient {
    return this.client(cloudUrl.replace(/\/+$/, ''), undefined);
  }

  private client(cloudUrl: string, tokens: { get(): Tokens | null; set(t: Tokens | null): void } | undefined, onClock?: (ms: number) => void): CloudClient {
    return new CloudClient({
      baseUrl: cloudUrl,
      locale: () => this.locale(),
      userAgent: `KenseOffice/${this.o.appVersion} (${this.o.platform})`,
      ...(tokens ? { tokens } : {}),
      ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
      ...(onClock ? { onClockSample: onClock } : {}),
    });
  }

  private device() {
    return { id: this.root.deviceId(), name: this.o.deviceName.slice(0, 100) || 'Kense Office', platform: this.o.platform, appVersion: this.o.appVersion };
  }

  private cloudFor(input?: string): string {
    const url = input ?? this.cloudUrl();
    if (!url) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'cloudUrl', message: 'no kense cloud address is configured' }] });
    return url.replace(/\/+$/, '');
  }

  async signInWithPassword(i: { cloudUrl?: string; iin: string; password: string; totp?: string; companyId?: string }): Promise<SessionStatus> {
    const cloudUrl = this.cloudFor(i.cloudUrl);
    const c = this.client(cloudUrl, undefined);
    const health = await c.call('health');
    const login = await c.call('authPassword', { body: { iin: i.iin, password: i.password, ...(i.totp ? { totp: i.totp } : {}), device: this.device(), ...(i.companyId ? { companyId: i.companyId } : {}) } });
    return this.afterLogin(cloudUrl, login, health.trust);
  }

  async signInWithCertificate(i: SignVia & { cloudUrl?: string; companyId?: string; requestId?: string }): Promise<SessionStatus> {
    const cloudUrl = this.cloudFor(i.cloudUrl);
    const c = this.client(cloudUrl, undefined);
    const health = await c.call('health');
    const trust = this.o.trust ?? health.trust;
    const { nonce } = await c.call('authChallenge');
    const signer = this.signer(i, trust);
    const abort = this.abortFor(i.requestId);
    let cms: Uint8Array;
    try {
      this.busy(+1);
      const filter = SignerFilterSchema.parse({ purpose: 'authentication', allowTestKeys: trust === 'test' });
      cms = (await signer.signCms([new TextEncoder().encode(nonce)], { filter, locale: this.locale(), signal: abort.signal })).signatures[0];
    } finally {
      this.busy(-1);
      this.signingAborts.delete(i.requestId ?? '');
      await signer.close();
    }
    const login = await c.call('authCert', { body: { cms: Buffer.from(cms).toString('base64'), device: this.device(), ...(i.companyId ? { companyId: i.companyId } : {}) } });
    return this.afterLogin(cloudUrl, login, health.trust, i.via === 'p12' ? i.p12Path : undefined);
  }

  private async afterLogin(cloudUrl: string, raw: unknown, cloudTrust: 'production' | 'test', p12Path?: string): Promise<SessionStatus> {
    const login = zLoginResponse.parse(raw);
    const id = profileIdFor(cloudUrl, login.user.id, login.company.id);
    const tokens: Tokens = { accessToken: login.accessToken, accessTokenExpiresAt: login.accessTokenExpiresAt, refreshToken: login.refreshToken, refreshTokenExpiresAt: login.refreshTokenExpiresAt, sessionId: login.sessionId };
    const probe = this.client(cloudUrl, { get: () => tokens, set: () => undefined });
    const me = await probe.call('me').catch(() => null);
    const info: ProfileInfo = {
      cloudUrl, userId: login.user.id, userName: login.user.fullName, iin: login.user.iin, role: login.user.role, branchId: login.user.branchId,
      companyId: login.company.id, companyName: login.company.name, companyIinBin: login.company.iinBin, companyKind: login.company.kind,
      trust: this.o.trust ?? cloudTrust, method: login.method, permissions: me?.permissions ?? [],
      passwordChangeRequired: login.passwordChangeRequired, passwordExpiresAt: login.passwordExpiresAt,
    };
    if (this.current && this.current.id !== id) await this.closeProfile();
    if (!this.current) await this.openStore(id, { create: true, cloudUrl });
    const p = this.current as unknown as OpenProfile;
    const recovered = this.root.takeRecoveredOutbox(id);
    await p.store.tx(() => {
      p.store.setMeta('profile', info);
      p.store.setMeta('tokens', tokens);
      p.store.setMeta('lastOpenedAt', kzIso(this.now()));
      if (p12Path) p.store.setMeta('p12Path', p12Path);
      const outbox = new Outbox(p.store);
      for (const r of recovered) for (const m of r.mutations) outbox.enqueue({ mutationId: m.mutationId, name: m.name as never, args: m.args, baseVersion: m.baseVersion, target: m.target as never }, m.createdAt);
      audit(p.store, kzIso(this.now()), 'login', null, { method: info.method, requeued: recovered.reduce((n, r) => n + r.mutations.length, 0) });
    });
    p.info = info;
    this.root.setCurrent(id);
    this.needsSignIn = false;
    p.engine.resume();
    this.events.emit('session.changed', this.status());
    return this.status();
  }

  /** Opens a cached profile (offline start): the office works from the cache; sync starts when the cloud answers. */
  async openProfile(id: string): Promise<SessionStatus> {
    if (this.current?.id === id) return this.status();
    await this.closeProfile();
    await this.openStore(id, { create: false });
    this.root.setCurrent(id);
    const p = this.current as unknown as OpenProfile;
    await p.store.tx(() => p.store.setMeta('lastOpenedAt', kzIso(this.now())));
    this.needsSignIn = !p.store.meta('tokens');
    if (!this.needsSignIn && this.o.autoSync !== false) p.engine.start();
    this.events.emit('session.changed', this.status());
    return this.status();
  }

  /** Opens the profile used last, if any (start of the app): no network needed. */
  async start(): Promise<SessionStatus> {
    const id = this.root.current();
    if (!id) return this.status();
    try {
      return await this.openProfile(id);
    } catch (e) {
      this.o.log?.('the last profile could not be opened', { code: isKenseError(e) ? e.code : 'INTERNAL' });
      return this.status();
    }
  }

  private async openStore(id: string, o: { create: boolean; cloudUrl?: string }): Promise<void> {
    let db;
    try {
      db = await this.root.open(id, o);
    } catch (e) {
      if (isKenseError(e) && (e.code === 'STORE_WRONG_KEY' || e.code === 'STORE_KEY_LOST' || e.code === 'STORE_CORRUPTED')) {
        // The way out: set the database aside (exporting its outbox when readable); a sign-in rebuilds it.
        const report = await this.root.recover(id, e.code);
        this.o.log?.('profile database set aside', { code: e.code, outbox: report.outboxCount });
        if (!o.create) throw new KenseError(e.code, { movedTo: report.movedTo, outboxFile: report.outboxFile, outboxCount: report.outboxCount });
        db = await this.root.open(id, o);
      } else throw e;
    }
    const store = new Store(id, db);
    const info = zProfileInfo.safeParse(store.meta('profile'));
    const placeholder: ProfileInfo = info.success
      ? info.data
      : { cloudUrl: '', userId: '', userName: '', iin: '', role: 'viewer', branchId: null, companyId: '', companyName: '', companyIinBin: '', companyKind: 'legal_entity', trust: 'production', method: 'password', permissions: [], passwordChangeRequired: false, passwordExpiresAt: null };
    if (!info.success && !o.create) {
      store.close();
      throw new KenseError('PROFILE_NOT_FOUND', { profileId: id });
    }
    const tokens = {
      get: () => (store.isClosed ? null : (store.meta<Tokens>('tokens') ?? null)),
      set: (t: Tokens | null) => {
        if (!store.isClosed) void store.tx(() => store.setMeta('tokens', t ?? undefined));
      },
    };
    let engine: SyncEngine | null = null;
    const client = this.client(o.cloudUrl ?? placeholder.cloudUrl, tokens, (ms) => engine?.clockSample(ms));
    engine = new SyncEngine({
      store,
      client,
      events: this.events,
      locale: () => this.locale(),
      now: this.now,
      ...(this.o.random ? { random: this.o.random } : {}),
      ...(this.o.autoSync === false ? { periodicMs: 2 ** 31 - 1 } : {}),
      ...this.o.sync,
      onSignInAgain: () => {
        this.needsSignIn = true;
        this.events.emit('session.changed', this.status());
      },
      onAccountTerminated: async (e) => this.wipe('account_terminated', e),
      ...(this.o.log ? { log: this.o.log } : {}),
    });
    this.current = { id, store, info: placeholder, client, engine };
  }

  async closeProfile(): Promise<void> {
    const p = this.current;
    if (!p) return;
    this.current = null;
    await p.engine.stop();
    await p.store.lock.run(() => undefined);
    p.store.close();
  }

  async signOut(o: { forget: boolean; discardUnsent: boolean }): Promise<SessionStatus> {
    const p = this.current;
    if (!p) return this.status();
    const pending = new Outbox(p.store).counts();
    if (o.forget && pending.pending + pending.conflicts + pending.rejected > 0 && !o.discardUnsent) throw new KenseError('OUTBOX_NOT_EMPTY', { pending: pending.pending, conflicts: pending.conflicts, rejected: pending.rejected });
    // The session ends on the server when it can be reached; signing out works offline too.
    await p.client.call('authLogout').catch(() => undefined);
    await p.store.tx(() => {
      p.store.setMeta('tokens', undefined);
      audit(p.store, kzIso(this.now()), 'logout', null, { forget: o.forget });
    });
    if (o.forget) await this.wipe('user_request', null);
    else {
      await this.closeProfile();
      this.root.setCurrent(null);
    }
    this.events.emit('session.changed', this.status());
    return this.status();
  }

  /** Removes the open profile's data and key from this device. */
  async wipe(reason: 'account_terminated' | 'user_request', e: KenseError | null): Promise<void> {
    const p = this.current;
    if (!p) return;
    await this.closeProfile();
    await this.root.wipe(p.id);
    this.root.setCurrent(null);
    const error = e ? new KenseError('PROFILE_WIPED', { cause: e.code }).toPayload(this.locale()) : null;
    this.events.emit('profile.wiped', { profileId: p.id, reason, error: error ? { code: error.code, message: error.message, action: error.action } : null });
    this.events.emit('session.changed', this.status());
  }

  // ── signing ────────────────────────────────────────────────────────────────────────────────

  trustStore(mode: 'production' | 'test'): TrustStore {
    let t = this.trustStores.get(mode);
    if (!t) this.trustStores.set(mode, (t = loadTrustStore(mode, mode === 'test' ? {} : { osStore: false })));
    return t;
  }

  revocationCache(p: OpenProfile): RevocationCache {
    return new RevocationCache(p.store);
  }

  private readonly sources = new WeakMap<Store, { online: RevocationSource; offline: RevocationSource }>();
  /**
   * Revocation for signatures judged in this profile: while the cloud answers, the CRLs certificates name are fetched
   * and kept in the encrypted database; offline (no network to wait for) the kept copies are used and the verdict
   * says how old they are.
   */
  revocationSource(p: OpenProfile): RevocationSource {
    let s = this.sources.get(p.store);
    if (!s) {
      const make = (online: boolean) =>
        new RevocationSource({ store: new RevocationCache(p.store), online, limits: { timeoutMs: 15_000, idleTimeoutMs: 5_000 }, now: this.now, ...(this.o.crlMirror ? { resolveUrl: this.o.crlMirror } : {}) });
      s = { online: make(true), offline: make(false) };
      this.sources.set(p.store, s);
    }
    return p.engine.status().online ? s.online : s.offline;
  }

  private testCrls: Sourced<Crl>[] | null = null;
  /** Evidence at hand without any network: the НУЦ test kit's CRL, in test mode only. */
  crlsAtHand(trust: 'production' | 'test'): Sourced<Crl>[] {
    if (trust !== 'test' || this.o.testCrlAtHand === false) return [];
    this.testCrls ??= TEST_CRL_FILES.map((f) => ({ evidence: parseCrl(new Uint8Array(readFileSync(f))), from: { origin: 'shipped_test_crl' as const, file: f } }));
    return this.testCrls;
  }

  /** The signer for one call. A .p12 password is used for this call only. */
  signer(v: SignVia, trust: 'production' | 'test'): Signer {
    if (v.via === 'p12') {
      const keyPath = v.p12Path ?? this.current?.store.meta<string>('p12Path');
      if (!keyPath) throw new KenseError('INVALID_INPUT', { fields: [{ path: 'p12Path', message: 'choose the key file' }] });
      let given = v.password ?? null;
      return new BundledSigner({
        keyPath,
        maxAttempts: 1,
        password: async () => {
          const p = given;
          given = null;
          return p;
        },
        now: this.now,
      });
    }
    const tls: NcaLayerTrust = this.o.ncalayer?.tls ?? { pinStore: new FilePinStore(path.join(this.o.root, 'ncalayer-pins.json')) };
    return new NcaLayerSigner({ url: this.ncalayerUrl(), tls, trust: this.trustStore(trust), locale: this.locale(), now: this.now });
  }

  abortFor(requestId: string | undefined): AbortController {
    const a = new AbortController();
    if (requestId) this.signingAborts.set(requestId, a);
    return a;
  }

  busy(delta: number): void {
    const before = this.signingCount > 0;
    this.signingCount += delta;
    if (before !== this.signingCount > 0) this.events.emit('app.busy', { signing: this.signingCount > 0, pushing: this.current?.engine.pushing ?? false });
  }
  get signing(): boolean {
    return this.signingCount > 0;
  }

  async close(): Promise<void> {
    for (const a of this.signingAborts.values()) a.abort();
    await this.closeProfile();
  }
}
