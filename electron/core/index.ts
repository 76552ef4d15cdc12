// What hosts load: `openCore(config)` gives core's dispatcher and event hub for a profile folder (the headless host,
// the desktop utility process, tests). Also the pieces the CLI uses directly.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locale } from '../../contract/errors';
import type { Dispatcher, EventHub } from '../../contract/ipc';
import { FilePinStore } from '../../native-bridge/ncalayer/trust';
import { Core, type CoreOptions, type Platform } from './core';
import { coreDispatcher } from './ipc/handlers';
import { FileKeyVault, type KeyVault } from './store/key-vault';

export { Core, type CoreOptions } from './core';
export { coreDispatcher, coreHandlers } from './ipc/handlers';
export { FileKeyVault, MemoryKeyVault, type KeyVault } from './store/key-vault';

/** The host's description of where core runs (electron/host/core-link.ts). */
export interface CoreConfig {
  dataDir: string;
  cloudUrl: string | null;
  ncalayer: { url: string; caFile: string | null } | null;
  keyDirs: string[];
  testTrust: boolean;
  locale(): Locale;
  /** The desktop shell passes its safeStorage vault; the default is the file vault in dataDir/keys. */
  vault?: KeyVault;
  appVersion?: string;
  platform?: Platform;
}

export interface CoreHandle {
  core: Core;
  dispatcher: Dispatcher;
  events: EventHub;
  close(): Promise<void>;
}

export function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function currentPlatform(): Platform {
  return process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'macos' : process.platform === 'linux' ? 'linux' : 'other';
}

export function coreOptionsFrom(config: CoreConfig, extra: Partial<CoreOptions> = {}): CoreOptions {
  const ca = config.ncalayer?.caFile ? [readFileSync(config.ncalayer.caFile, 'utf8')] : undefined;
  return {
    root: config.dataDir,
    vault: config.vault ?? new FileKeyVault(path.join(config.dataDir, 'keys')),
    appVersion: config.appVersion ?? appVersion(),
    platform: config.platform ?? currentPlatform(),
    deviceName: os.hostname(),
    cloudUrl: config.cloudUrl,
    locale: config.locale,
    ncalayer: { ...(config.ncalayer ? { url: config.ncalayer.url } : {}), tls: { ...(ca ? { ca } : {}), pinStore: new FilePinStore(path.join(config.dataDir, 'ncalayer-pins.json')) } },
    keyDirs: config.keyDirs,
    ...(config.testTrust ? { trust: 'test' as const } : {}),
    log: (message, fields) => console.error(`kense core: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
    ...extra,
  };
}

/** Starts core for a host: opens the profile used last (offline start) and syncs in the background. */
export async function openCore(config: CoreConfig): Promise<CoreHandle> {
  const core = new Core(coreOptionsFrom(config));
  await core.start();
  return { core, dispatcher: coreDispatcher(core), events: core.events, close: () => core.close() };
}
