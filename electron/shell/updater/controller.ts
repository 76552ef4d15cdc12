// The app's update policy around electron-updater: a generic feed with latest/beta channels, the staged rollout,
// the cloud's app policy (minimum version, kill switch), differential download with full-download fallback
// (electron-updater's own), and installing only when the user agreed and nothing is being signed or pushed.
import type { AppUpdater, ProgressInfo, UpdateCheckResult } from 'electron-updater';
import type { BusyState } from '../busy';
import { chooseChannel, feedChannelName, judgePolicy, type AppPolicy, type PolicyVerdict, type UpdateChannel } from './policy';

export type UpdateFailure = 'feed_missing' | 'checksum' | 'signature' | 'network' | 'other';

export type UpdateState =
  | { phase: 'idle' }
  | { phase: 'checking' }
  /** Nothing newer for this copy (or the staged rollout has not reached it yet). */
  | { phase: 'current'; latest: string | null }
  | { phase: 'downloading'; version: string; percent: number }
  /** Downloaded and verified; the user is asked to restart. */
  | { phase: 'ready'; version: string; required: boolean }
  /** The user said "restart", but a signing or a push is in flight: installs as soon as both end. */
  | { phase: 'waiting'; version: string; required: boolean }
  | { phase: 'installing'; version: string }
  /** The cloud's kill switch is on. */
  | { phase: 'halted'; message: string | null }
  | { phase: 'failed'; reason: UpdateFailure; detail: string };

export interface UpdaterLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface UpdateControllerOptions {
  /** electron-updater's platform updater (NsisUpdater, MacUpdater, AppImageUpdater). */
  updater: AppUpdater;
  currentVersion: string;
  /** Base URL of the generic feed (latest.yml, beta.yml, … and the installers). */
  feedUrl: string;
  /** The user's channel (null: not known — e.g. no profile yet). */
  channel: () => UpdateChannel | null | Promise<UpdateChannel | null>;
  /** The cloud's app policy as last fetched (null: never reached). */
  policy: () => Promise<AppPolicy | null>;
  busy: BusyState;
  /** Ask the user whether to restart now; true = now. Not awaited by install-on-quit. */
  askRestart: (offer: { version: string; required: boolean }) => Promise<boolean>;
  onState?: (state: UpdateState) => void;
  log?: UpdaterLogger;
}

const NO_LOG: UpdaterLogger = { info() {}, warn() {}, error() {} };

export function classifyUpdateError(e: unknown): { reason: UpdateFailure; detail: string } {
  const err = e as { code?: unknown; message?: unknown; statusCode?: unknown };
  const code = typeof err?.code === 'string' ? err.code : '';
  const detail = `${code ? `${code}: ` : ''}${typeof err?.message === 'string' ? err.message.split('\n')[0].slice(0, 300) : String(e)}`;
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND') return { reason: 'feed_missing', detail };
  if (code === 'ERR_CHECKSUM_MISMATCH' || code === 'ERR_UPDATER_NO_CHECKSUM') return { reason: 'checksum', detail };
  if (code === 'ERR_UPDATER_INVALID_SIGNATURE') return { reason: 'signature', detail };
  if (typeof err?.statusCode === 'number' || /^(E[A-Z]+|ERR_STREAM_PREMATURE_CLOSE)$/.test(code) || /Cannot download|socket hang up|aborted/.test(detail)) {
    return { reason: 'network', detail };
  }
  return { reason: 'other', detail };
}

export class UpdateController {
  private stateValue: UpdateState = { phase: 'idle' };
  private verdict: PolicyVerdict = { halted: null, required: false, minimumVersion: null };
  private round: Promise<UpdateState> | null = null;
  private stopIdle: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: UpdaterLogger;
  private readonly stagingDefault: AppUpdater['isUserWithinRollout'];

  constructor(private readonly o: UpdateControllerOptions) {
    this.log = o.log ?? NO_LOG;
    const u = o.updater;
    // We decide when to download and when to install: never electron-updater on its own at quit time
    // (it would install during a signing session; on macOS Squirrel would install on its own).
    u.autoDownload = false;
    u.autoInstallOnAppQuit = false;
    u.autoRunAppAfterInstall = true;
    u.allowDowngrade = false;
    u.disableWebInstaller = true;
    u.disableDifferentialDownload = false;
    u.logger = this.log;
    this.stagingDefault = u.isUserWithinRollout;
    // A copy below the cloud's minimum cannot sync: it takes the update whatever the staged rollout says.
    u.isUserWithinRollout = (info) => (this.verdict.required ? true : this.stagingDefault(info));
    u.on('download-progress', (p: ProgressInfo) => {
      if (this.stateValue.phase === 'downloading') this.setState({ ...this.stateValue, percent: Math.floor(p.percent) });
    });
  }

  get state(): UpdateState {
    return this.stateValue;
  }

  get policyVerdict(): PolicyVerdict {
    return this.verdict;
  }

  /** One round: read the policy, look at the feed, download and verify, ask to restart. Concurrent calls share it. */
  check(): Promise<UpdateState> {
    this.round ??= this.runRound().finally(() => (this.round = null));
    return this.round;
  }

  /** Checks now and then every `everyMs` (with ±10 % jitter so a fleet does not hit the feed at once). */
  start(everyMs: number, firstAfterMs = 30_000): void {
    this.stop();
    const schedule = (ms: number) => {
      this.timer = setTimeout(() => {
        void this.check().finally(() => schedule(everyMs * (0.9 + Math.random() * 0.2)));
      }, ms);
      this.timer.unref?.();
    };
    schedule(firstAfterMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopIdle?.();
    this.stopIdle = null;
  }

  /**
   * The user agreed to restart. Installs now when nothing is in flight; otherwise waits for signing and pushing to
   * end (state `waiting`). Refused while the kill switch is on or nothing is downloaded.
   */
  restartToUpdate(): 'installing' | 'waiting' | 'refused' {
    const s = this.stateValue;
    if (s.phase !== 'ready' && s.phase !== 'waiting') return 'refused';
    if (this.verdict.halted) return 'refused';
    if (!this.o.busy.idle) {
      if (s.phase === 'ready') this.setState({ phase: 'waiting', version: s.version, required: s.required });
      this.stopIdle ??= this.o.busy.onIdle(() => {
        this.stopIdle?.();
        this.stopIdle = null;
        if (this.stateValue.phase === 'waiting') this.restartToUpdate();
      });
      this.log.info(`update ${s.version}: restart deferred until signing/pushing ends`);
      return 'waiting';
    }
    this.setState({ phase: 'installing', version: s.version });
    this.log.info(`update ${s.version}: quitting to install`);
    // Silent per-user install, then the new version starts.
    this.o.updater.quitAndInstall(true, true);
    return 'installing';
  }

  /**
   * Called while the app quits (after quit has waited for an in-flight push): installs a downloaded update silently
   * without starting the app again — unless something is still in flight or the kill switch is on.
   */
  installOnQuit(): boolean {
    const s = this.stateValue;
    if ((s.phase !== 'ready' && s.phase !== 'waiting') || this.verdict.halted || !this.o.busy.idle) return false;
    const u = this.o.updater as AppUpdater & { install?: (silent: boolean, runAfter: boolean) => boolean };
    this.setState({ phase: 'installing', version: s.version });
    if (typeof u.install === 'function') return u.install(true, false);
    // macOS: Squirrel installs on quitAndInstall only (autoInstallOnAppQuit is off); do not relaunch.
    u.autoRunAppAfterInstall = false;
    u.quitAndInstall();
    return true;
  }

  private setState(next: UpdateState): void {
    this.stateValue = next;
    this.o.onState?.(next);
  }

  private async runRound(): Promise<UpdateState> {
    const before = this.stateValue;
    if (before.phase === 'installing') return before;
    let policy: AppPolicy | null = null;
    try {
      policy = await this.o.policy();
    } catch (e) {
      this.log.warn(`app policy unavailable, the feed alone decides: ${(e as Error)?.message ?? e}`);
    }
    this.verdict = judgePolicy(policy, this.o.currentVersion);
    if (this.verdict.halted) {
      this.log.warn('kill switch on: no update is checked, downloaded or installed');
      this.setState({ phase: 'halted', message: this.verdict.halted.message });
      return this.stateValue;
    }
    // Already downloaded: ask again (e.g. the minimum version was raised since) without another download.
    if (before.phase === 'ready' || before.phase === 'waiting') {
      if (before.phase === 'ready') {
        this.setState({ ...before, required: before.required || this.verdict.required });
        void this.offerRestart();
      }
      return this.stateValue;
    }
    const channel = chooseChannel(await this.o.channel(), policy, this.o.currentVersion);
    this.o.updater.setFeedURL({ provider: 'generic', url: this.o.feedUrl, channel: feedChannelName(channel) });
    this.setState({ phase: 'checking' });
    let result: UpdateCheckResult | null;
    try {
      result = await this.o.updater.checkForUpdates();
    } catch (e) {
      return this.fail(e);
    }
    if (!result || !result.isUpdateAvailable) {
      this.setState({ phase: 'current', latest: result?.updateInfo.version ?? null });
      return this.stateValue;
    }
    const version = result.updateInfo.version;
    this.setState({ phase: 'downloading', version, percent: 0 });
    try {
      await this.o.updater.downloadUpdate(result.cancellationToken);
    } catch (e) {
      return this.fail(e);
    }
    this.log.info(`update ${version} downloaded and verified (sha512)`);
    this.setState({ phase: 'ready', version, required: this.verdict.required });
    void this.offerRestart();
    return this.stateValue;
  }

  private async offerRestart(): Promise<void> {
    const s = this.stateValue;
    if (s.phase !== 'ready') return;
    let now = false;
    try {
      now = await this.o.askRestart({ version: s.version, required: s.required });
    } catch (e) {
      this.log.warn(`restart prompt failed: ${(e as Error)?.message ?? e}`);
    }
    if (now) this.restartToUpdate();
  }

  private fail(e: unknown): UpdateState {
    const { reason, detail } = classifyUpdateError(e);
    this.log.error(`update failed (${reason}): ${detail}`);
    this.setState({ phase: 'failed', reason, detail });
    return this.stateValue;
  }
}
