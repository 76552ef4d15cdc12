// Starts the headless host as a user would (node electron/host/start.mjs) in its own process, on an ephemeral port,
// with the e2e-only control endpoint; reads the address and token it prints; stops it by its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');

export interface Host {
  url: string;
  control: { url: string; token: string };
  stop(): Promise<void>;
  cloud(action: 'stop' | 'start'): Promise<void>;
}

export async function startHost(dataDir: string, extra: string[] = []): Promise<Host> {
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'electron', 'host', 'start.mjs'), '--port', '0', '--data', dataDir, '--test-control', ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 180 s:\n${out}\n${err}`)), 180_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (/Ctrl\+C stops it/.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    void exited.then(() => reject(new Error(`host exited:\n${out}\n${err}`)));
  });
  const url = /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(banner)?.[1];
  const ctl = /test control: (http:\/\/127\.0\.0\.1:\d+) token ([0-9a-f]+)/.exec(banner);
  if (!url || !ctl) throw new Error(`unexpected host output:\n${banner}`);
  const control = { url: ctl[1], token: ctl[2] };
  return {
    url,
    control,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
    async cloud(action) {
      const r = await fetch(`${control.url}/cloud/${action}`, { method: 'POST', headers: { authorization: `Bearer ${control.token}` } });
      if (!r.ok) throw new Error(`cloud ${action}: ${r.status} ${await r.text()}`);
    },
  };
}
