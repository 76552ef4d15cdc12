// Keeps core's process running: starts it, connects the contract and the key vault to it, and when it dies
// unexpectedly starts it again (with backoff) and says so — the outbox is on disk, so nothing is lost. After too many
// crashes in a short time it gives up and says that instead. Electron-free: main's `spawn` forks a utilityProcess,
// the tests fork a Node process.
import { z } from 'zod';
import { zLocale } from '../../contract/cloud';
import { endpointTransport, type IpcTransport, type MessageEndpoint } from '../../contract/ipc';
import { serveKeyVault, type PortLike, type VaultLike } from './vault-channel';

/** One running core process as the supervisor sees it. */
export interface CoreChild {
  /** The IPC contract's wire (main's end of core's MessagePort). */
  contract: MessageEndpoint;
  /** Control messages: the key vault, shutdown. */
  control: PortLike;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export interface CoreRestartInfo {
  restarts: number;
  gaveUp: boolean;
  exitCode: number | null;
}

export interface CoreSupervisorOptions {
  spawn: () => CoreChild;
  vault: VaultLike;
  /** A core connection is up (first start or after a restart): subscribe to its events here. */
  onConnected?: (transport: IpcTransport) => void;
  onRestart?: (info: CoreRestartInfo) => void;
  /** Crashes tolerated within `windowMs` before giving up. */
  maxRestarts?: number;
  windowMs?: number;
  backoffMs?: (attempt: number) => number;
  log?: (message: string) => void;
}

export const SHUTDOWN_MESSAGE = { type: 'core.shutdown' } as const;

/** The first control message main sends a new core process (with core's MessagePort attached in Electron). */
export const zCoreStart = z.object({
  type: z.literal('core.start'),
  config: z.object({
    /** Profiles, settings (the app's userData/profiles). */
    dataDir: z.string().min(1),
    cloudUrl: z.string().nullable(),
    ncalayer: z.object({ url: z.string(), caFile: z.string().nullable() }).nullable(),
    keyDirs: z.array(z.string()),
    testTrust: z.boolean(),
    locale: zLocale,
    appVersion: z.string(),
    platform: z.enum(['windows', 'macos', 'linux', 'other']),
  }),
});
export type CoreStart = z.infer<typeof zCoreStart>;

export class CoreSupervisor {
  private child: CoreChild | null = null;
  private transportValue: (IpcTransport & { close(): void }) | null = null;
  private stopVault: (() => void) | null = null;
  private crashes: number[] = [];
  private restarts = 0;
  private stopping = false;
  private gaveUpValue = false;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: CoreSupervisorOptions) {}

  /** Core's connection now; null while it is (re)starting or after giving up. */
  get transport(): IpcTransport | null {
    return this.transportValue;
  }

  get gaveUp(): boolean {
    return this.gaveUpValue;
  }

  start(): void {
    this.stopping = false;
    this.launch();
  }

  private launch(): void {
    const child = this.o.spawn();
    this.child = child;
    this.stopVault = serveKeyVault(child.control, this.o.vault);
    const transport = endpointTransport(child.contract);
    this.transportValue = transport;
    child.onExit((code) => this.exited(child, transport, code));
    this.o.onConnected?.(transport);
  }

  private exited(child: CoreChild, transport: IpcTransport & { close(): void }, code: number | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.transportValue = null;
    transport.close();
    this.stopVault?.();
    this.stopVault = null;
    if (this.stopping) return;
    const now = Date.now();
    const windowMs = this.o.windowMs ?? 60_000;
    this.crashes = [...this.crashes.filter((t) => now - t < windowMs), now];
    this.o.log?.(`core exited unexpectedly (code ${code}); ${this.crashes.length} crash(es) in the last ${Math.round(windowMs / 1000)} s`);
    if (this.crashes.length > (this.o.maxRestarts ?? 5)) {
      this.gaveUpValue = true;
      this.o.onRestart?.({ restarts: this.restarts, gaveUp: true, exitCode: code });
      return;
    }
    const delay = (this.o.backoffMs ?? ((n) => Math.min(5_000, 200 * 2 ** (n - 1))))(this.crashes.length);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.restarts++;
      this.launch();
      this.o.onRestart?.({ restarts: this.restarts, gaveUp: false, exitCode: code });
    }, delay);
  }

  /** Asks core to close its database and exit; kills it if it has not within `timeoutMs`. */
  async stop(timeoutMs = 3_000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
    try {
      child.control.send(SHUTDOWN_MESSAGE);
    } catch {
      child.kill();
    }
    const timer = setTimeout(() => child.kill(), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
