// Where the headless host meets core: core's dispatcher and event hub for a profile folder, configured with the
// cloud and NCALayer to use. Core is loaded by name at run time so the host can say plainly when it is missing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Dispatcher, EventHub } from '../../contract/ipc';
import type { Locale } from '../../contract/errors';

export interface CoreConfig {
  /** Profile folder: encrypted databases, wrapped keys (file key vault), settings. */
  dataDir: string;
  cloudUrl: string | null;
  ncalayer: { url: string; caFile: string | null } | null;
  /** Folders where key files (.p12) are looked for (the demo: the НУЦ test keys). */
  keyDirs: string[];
  /** Accept НУЦ test certificates (demo and e2e only). */
  testTrust: boolean;
  locale(): Locale;
}

export interface CoreHandle {
  dispatcher: Dispatcher;
  events: Pick<EventHub, 'onAny'>;
  close(): Promise<void>;
}

/** The module core exports for hosts (the desktop utility process and this host). */
export const CORE_ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'core', 'index.ts');

export function coreAvailable(): boolean {
  return existsSync(CORE_ENTRY);
}

export async function openCore(config: CoreConfig): Promise<CoreHandle> {
  if (!coreAvailable()) throw new Error(`core is not there yet (${CORE_ENTRY} is missing): the office needs electron/core (issue 10)`);
  const spec = pathToFileURL(CORE_ENTRY).href;
  const mod = (await import(spec)) as { openCore?: (c: CoreConfig) => Promise<CoreHandle> };
  if (typeof mod.openCore !== 'function') throw new Error(`${CORE_ENTRY} does not export openCore(config)`);
  return mod.openCore(config);
}
