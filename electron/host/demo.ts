// The embedded demo of `npm run start:web` with no configuration: the reference cloud with the demo tenant
// (`kense cloud serve --seed demo`) and the NCALayer emulator over the НУЦ test keys, each in its own process.
// The cloud can be stopped and started again on the same port and data (the e2e's "the network went away").
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startKense, type KenseChild } from './children';
import { portOr, readPorts, writePorts } from './ports';

/** The НУЦ РК test keys shipped with the repository; their password is public (resources/test-pki/README.md). */
export const TEST_KEYS_DIR = path.join(REPO_ROOT, 'resources', 'test-pki');
const TEST_KEYS_PASSWORD = 'Qwerty12';

export interface DemoEndpoints {
  cloudUrl: string;
  ncalayerUrl: string;
  ncalayerCaFile: string;
  /** What the seed printed: demo users (ИИН, role, password) for the README and the console. */
  users: { iin: string; password: string; role: string; name: string }[];
}

export class EmbeddedDemo {
  private cloud: KenseChild | null = null;
  private emulator: KenseChild | null = null;
  private cloudPort = 0;
  private cloudStarting: Promise<void> | null = null;
  private stopped = false;
  endpoints: DemoEndpoints | null = null;

  /** `avoid`: ports the host already holds (its own office port). */
  constructor(private readonly dataDir: string, private readonly avoid: number[] = []) {}

  /** The demo users' keys (also where the office looks for key files in the demo). */
  get keyringDir(): string {
    return path.join(this.dataDir, 'ncalayer-keys');
  }

  get cloudRunning(): boolean {
    return this.cloud !== null;
  }

  private emulatorPort = 0;

  /**
   * The addresses are chosen before the servers start, so core and the office can open at once (from the cache)
   * while the demo's servers come up; `ready` settles when both answer.
   */
  async plan(): Promise<{ endpoints: DemoEndpoints; emulator: Promise<unknown>; ready: Promise<DemoEndpoints> }> {
    mkdirSync(this.dataDir, { recursive: true });
    demoKeyring(this.keyringDir);
    // The same ports as last time when they are free: a signed-in profile keeps the cloud's address it signed in to.
    const portsFile = path.join(this.dataDir, 'ports.json');
    const saved = readPorts(portsFile);
    this.cloudPort = await portOr(saved.cloud, ...this.avoid);
    this.emulatorPort = await portOr(saved.ncalayer, this.cloudPort, ...this.avoid);
    writePorts(portsFile, { cloud: this.cloudPort, ncalayer: this.emulatorPort });
    this.endpoints = {
      cloudUrl: `http://127.0.0.1:${this.cloudPort}`,
      ncalayerUrl: `wss://127.0.0.1:${this.emulatorPort}`,
      ncalayerCaFile: path.join(this.dataDir, 'ncalayer', 'ca.crt'),
      users: [],
    };
    const emulator = this.startEmulator();
    // Nobody may be waiting on `emulator` alone: its failure is reported through `ready`.
    emulator.catch(() => undefined);
    const ready = Promise.all([this.startCloud(), emulator]).then(() => {
      const m = this.cloud?.banner ?? '';
      this.endpoints!.users = [...m.matchAll(/^\s{4}(\d{12})\s+(\S+)\s+(\S+)\s+(.+)$/gm)].map((u) => ({ iin: u[1], password: u[2], role: u[3], name: u[4].trim() }));
      return this.endpoints!;
    });
    return { endpoints: this.endpoints, emulator, ready };
  }

  async start(): Promise<DemoEndpoints> {
    return (await this.plan()).ready;
  }

  /** Starts the cloud (again) on the port it had, over the same data: a restart, not a new server. */
  startCloud(): Promise<void> {
    if (this.cloud) return Promise.resolve();
    this.cloudStarting ??= (async () => {
      const child = await startKense(
        ['cloud', 'serve', '--seed', 'demo', '--port', String(this.cloudPort), '--data', path.join(this.dataDir, 'cloud')],
        /URL:\s+http:\/\/127\.0\.0\.1:(\d+)\/v1[\s\S]*Ctrl\+C stops/,
        { name: 'the demo cloud (kense cloud serve --seed demo)', timeoutMs: 180_000 },
      );
      if (this.stopped) return void (await child.stop());
      this.cloudPort = Number(child.match[1]);
      this.cloud = child;
      void child.exited.then(() => {
        if (this.cloud === child) this.cloud = null;
      });
    })().finally(() => {
      this.cloudStarting = null;
    });
    return this.cloudStarting;
  }

  async stopCloud(): Promise<void> {
    const c = this.cloud;
    this.cloud = null;
    await c?.stop();
  }

  private async startEmulator(): Promise<KenseChild> {
    const child = await startKense(
      ['ncalayer-emulator', '--keys', this.keyringDir, '--password-env', 'KENSE_DEMO_KEY_PASSWORD', '--approve', 'auto', '--port', String(this.emulatorPort), '--data', path.join(this.dataDir, 'ncalayer')],
      /listening on (wss:\/\/\S+)\nTLS CA: (.+)\n/,
      { name: 'the NCALayer emulator', env: { KENSE_DEMO_KEY_PASSWORD: TEST_KEYS_PASSWORD }, timeoutMs: 60_000 },
    );
    if (this.stopped) await child.stop();
    else this.emulator = child;
    return child;
  }

  /** Stops both servers, also one still starting (it stops as soon as it is up). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.stopCloud(), this.emulator?.stop()]);
    this.emulator = null;
  }
}

/**
 * The keys the demo's NCALayer holds: the director's (first head of АО "ТЕСТ", the demo tenant's first manager)
 * first, then the accountant's (right to sign). The emulator signs without asking with the first key that fits,
 * so "sign in with NCALayer" in the demo is the director, as on a director's own computer.
 */
export const DEMO_NCALAYER_KEYS = ['head', 'employee_signright'] as const;

function demoKeyring(dir: string): void {
  const from = path.join(TEST_KEYS_DIR, 'gost2022-test', 'legal', 'valid');
  DEMO_NCALAYER_KEYS.forEach((name, i) => {
    const to = path.join(dir, `${i + 1}-${name}`);
    mkdirSync(to, { recursive: true });
    for (const ext of ['.p12', '.pem']) copyFileSync(path.join(from, name + ext), path.join(to, name + ext));
  });
}
