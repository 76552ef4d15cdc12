// Ports the host keeps from one start to the next (the office's own, the demo cloud's, the NCALayer emulator's): a
// signed-in profile keeps the cloud address it signed in to, and a browser keeps the office's cached code per origin.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Listens on `port` (0: any) on 127.0.0.1 for a moment and answers the port it got. */
export function freePort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const addr = srv.address();
      const got = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(got));
    });
  });
}

/** `wanted` when it can be listened on (and is not one of `taken`), otherwise any free port. */
export async function portOr(wanted: number | undefined, ...taken: number[]): Promise<number> {
  if (wanted && !taken.includes(wanted)) {
    const got = await freePort(wanted).catch(() => 0);
    if (got === wanted) return wanted;
  }
  let p = await freePort(0);
  while (taken.includes(p)) p = await freePort(0);
  return p;
}

/** The ports saved in `file` (unprivileged ones only; a missing or damaged file is no ports). */
export function readPorts(file: string): Record<string, number | undefined> {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(j).map(([k, v]) => [k, Number.isInteger(v) && (v as number) > 1023 && (v as number) < 65536 ? (v as number) : undefined]));
  } catch {
    return {};
  }
}

export function writePorts(file: string, ports: Record<string, number>): void {
  writeFileSync(file, `${JSON.stringify(ports)}\n`);
}
