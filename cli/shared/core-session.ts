// What the core commands (login, sync, status, acts) share: core over a --profile folder, called through its
// dispatcher like the office does, passwords from an environment variable or asked without echo, money and errors.
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { KenseError } from '../../contract/errors';
import { createKenseClient, isIpcError, type KenseApi, type SyncStatus } from '../../contract/ipc';
import { FilePinStore } from '../../native-bridge/ncalayer/trust';
import { Core, type CoreOptions } from '../../electron/core/core';
import { coreDispatcher } from '../../electron/core/ipc/handlers';
import { FileKeyVault } from '../../electron/core/store/key-vault';
import { appVersion } from '../../electron/core/index';
import type { CommandContext } from '../command';
import { productionTrust } from './verification';
import { TerminalPrompter } from './terminal-prompter';

export interface CoreSession {
  core: Core;
  api: KenseApi;
  close(): Promise<void>;
}

export interface CoreSessionOptions {
  profileDir: string;
  cloudUrl?: string;
  /** CA of NCALayer's TLS certificate (the emulator prints its ca.crt); default: the НУЦ RSA roots, then pins. */
  caFile?: string;
  /** NCALayer's address (default wss://127.0.0.1:13579, or the profile's setting). */
  ncalayerUrl?: string;
  autoSync?: boolean;
}

/** Core over the profile folder; the key vault is a file in DIR/keys readable by this user only. */
export function openCoreSession(ctx: CommandContext, o: CoreSessionOptions): CoreSession {
  const root = path.resolve(o.profileDir);
  const ca: (string | Uint8Array)[] = [];
  if (o.caFile) ca.push(readFileSync(o.caFile, 'utf8'));
  else {
    const production = productionTrust(ctx.env);
    for (const c of [...production.anchors, ...production.intermediates]) if (c.keyAlgorithm === 'RSA') ca.push(c.der);
  }
  const opts: CoreOptions = {
    root,
    vault: new FileKeyVault(path.join(root, 'keys')),
    appVersion: appVersion(),
    platform: 'cli',
    deviceName: `kense CLI (${os.hostname()})`,
    ...(o.cloudUrl ? { cloudUrl: o.cloudUrl } : {}),
    locale: () => ctx.locale,
    ncalayer: { ...(o.ncalayerUrl ? { url: o.ncalayerUrl } : {}), tls: { ca, pinStore: new FilePinStore(path.join(root, 'ncalayer-pins.json')) } },
    autoSync: o.autoSync ?? false,
    ...(ctx.env.KENSE_DEBUG ? { log: (m: string, f?: Record<string, unknown>) => ctx.stderr.write(`kense core: ${m} ${f ? JSON.stringify(f) : ''}\n`) } : {}),
  };
  const core = new Core(opts);
  const dispatcher = coreDispatcher(core);
  const api = createKenseClient({ invoke: (op, input) => dispatcher.dispatch(op, input), subscribe: (event, l) => core.events.on(event as never, l as never) }, { locale: () => ctx.locale });
  return { core, api, close: () => core.close() };
}

/** Runs `fn` on a session and closes it; an operation's error becomes the KenseError the CLI prints. */
export async function withCore<T>(ctx: CommandContext, o: CoreSessionOptions & { requireProfile?: boolean }, fn: (s: CoreSession) => Promise<T>): Promise<T> {
  const s = openCoreSession(ctx, o);
  try {
    if (o.requireProfile !== false) {
      const status = await s.core.start();
      if (status.state === 'signed_out') throw new KenseError('NOT_SIGNED_IN', { profile: path.resolve(o.profileDir) });
    }
    return await fn(s);
  } catch (e) {
    if (isIpcError(e)) throw new KenseError(e.code, e.details);
    throw e;
  } finally {
    await s.close();
  }
}

/** A password from environment variable `envVar`, or asked in the terminal without echo. */
export async function passwordFrom(ctx: CommandContext, envVar: string | undefined, question: string): Promise<string> {
  if (envVar) {
    const v = ctx.env[envVar];
    if (!v) throw new KenseError('INVALID_INPUT', { fields: [{ path: '--password-env', message: `environment variable ${envVar} is empty or not set` }] });
    return v;
  }
  if (!process.stdin.isTTY) throw new KenseError('INVALID_INPUT', { fields: [{ path: '--password-env', message: 'no terminal to ask the password in: pass --password-env VAR' }] });
  const p = await new TerminalPrompter(process.stdin, ctx.stderr).askHidden(question);
  if (p === null || p === '') throw new KenseError('CANCELLED');
  return p;
}

export async function askLine(ctx: CommandContext, question: string): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  return new TerminalPrompter(process.stdin, ctx.stderr).ask(question);
}

/** 123456789 tiyn → "1 234 567,89 ₸". */
export function money(tiyn: number): string {
  const neg = tiyn < 0;
  const abs = Math.abs(tiyn);
  const t = Math.trunc(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${neg ? '-' : ''}${t},${String(abs % 100).padStart(2, '0')} ₸`;
}

/** The one-line summary `kense sync` prints, and whether everything is in sync. */
export function syncSummary(s: SyncStatus): { inSync: boolean; line: string } {
  const inSync = s.lastError === null && s.pendingMutations === 0 && s.conflicts === 0 && s.rejected === 0 && s.state !== 'needs_sign_in';
  const parts = [
    inSync ? 'in sync' : s.state === 'needs_sign_in' ? 'sign in again' : s.online ? 'not in sync' : 'offline',
    `${s.pendingMutations} pending`,
    `${s.conflicts} conflicts`,
    `${s.rejected} rejected`,
    `last sync ${s.lastSyncAt ?? 'never'}`,
  ];
  if (s.stuck) parts.push(`stuck since ${s.stuck.since}`);
  if (s.lastError) parts.push(`${s.lastError.code}: ${s.lastError.message}`);
  if (s.clockWarning) parts.push(`clock off by ${s.clockSkewSeconds} s`);
  return { inSync, line: parts.join(', ') };
}

export const PROFILE_HELP = '  --profile DIR       the profile folder (encrypted databases, the key file, settings)\n';
