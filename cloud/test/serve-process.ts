// `kense cloud serve` in a process of its own, as a user runs it: waits for the lines a user reads (URL, the
// demo users and passwords) or for the process to end, and stops it with SIGTERM or kills it with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI, found upwards from this file — also when a benchmark bundles it into .bench-build/ (one level deep). */
export const KENSE = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = path.dirname(dir)) if (existsSync(path.join(dir, 'cli/bin/kense.mjs'))) return path.join(dir, 'cli/bin/kense.mjs');
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cli/bin/kense.mjs');
})();

export interface ServedUser {
  iin: string;
  password: string;
  role: string;
}

export interface ServeProcess {
  child: ChildProcess;
  pid: number;
  out(): string;
  /** Resolves with the URL once the server says it serves; rejects with its output when it ends first. */
  ready: Promise<{ url: string; users: ServedUser[] }>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM (Ctrl+C): the server closes its storage and exits 0. */
  stop(): Promise<number | null>;
  /** SIGKILL: no clean-up at all. Resolves at once, without waiting for the process to be reaped. */
  kill(): void;
}

/** `kense`: the CLI entry to run (a bundled benchmark names it from its own place). */
export function serveProcess(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; kense?: string } = {}): ServeProcess {
  const env = { ...process.env, ...opts.env };
  if (!args.includes('--database-url')) delete env.DATABASE_URL;
  const child = spawn(process.execPath, [opts.kense ?? KENSE, 'cloud', 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = new Promise<{ url: string; users: ServedUser[] }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kense cloud serve did not start:\n${out}`)), opts.timeoutMs ?? 150_000);
    child.stderr!.on('data', (d) => (out += String(d)));
    child.stdout!.on('data', (d) => {
      out += String(d);
      const url = /URL:\s+(\S+)\/v1/.exec(out)?.[1];
      if (!url || !out.includes('Ctrl+C')) return;
      clearTimeout(timer);
      const users = [...out.matchAll(/^\s+(\d{12})\s+(\S+)\s+(first_manager|accountant|manager|viewer)\s/gm)].map((m) => ({ iin: m[1], password: m[2], role: m[3] }));
      resolve({ url, users });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kense cloud serve exited (${code}):\n${out}`));
    });
  });
  ready.catch(() => undefined);
  return {
    child,
    pid: child.pid!,
    out: () => out,
    ready,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
