// Child processes of the headless host's demo: the reference cloud and the NCALayer emulator run as the `kense`
// commands a user would type, in their own processes (the host's layer may not import them, and a process can be
// stopped and started again like a real server going away).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const KENSE_BIN = path.join(REPO_ROOT, 'cli', 'bin', 'kense.mjs');

export interface KenseChild {
  readonly pid: number;
  /** Lines the command printed on standard output until it became ready. */
  readonly banner: string;
  readonly match: RegExpMatchArray;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Starts `kense ARGS…` and resolves once a line of its standard output matches `ready`. Standard error is kept
 * (last lines) to explain a failed start; nothing of it is printed by default, the host stays quiet.
 */
export function startKense(args: string[], ready: RegExp, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; name: string }): Promise<KenseChild> {
  const child: ChildProcess = spawn(process.execPath, [KENSE_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise<KenseChild>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${opts.name} did not start within ${(opts.timeoutMs ?? 60_000) / 1000} s: ${lastLines(err || out)}`));
    }, opts.timeoutMs ?? 60_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (c: string) => {
      err = (err + c).slice(-8000);
    });
    child.stdout?.setEncoding('utf8');
    const onData = (c: string) => {
      out += c;
      const m = out.match(ready);
      if (!m) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      // Keep draining so the child never blocks on a full pipe.
      child.stdout?.on('data', () => undefined);
      resolve({
        pid: child.pid!,
        banner: out,
        match: m,
        exited,
        stop: () => stopChild(child, exited),
      });
    };
    child.stdout?.on('data', onData);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} exited (${code}) before it was ready: ${lastLines(err || out)}`));
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
  await exited;
  clearTimeout(killer);
}

function lastLines(s: string): string {
  return s.trim().split('\n').slice(-6).join(' | ');
}
