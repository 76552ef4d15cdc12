// electron-updater driven by UpdateController in Node: a real NsisUpdater with our AppAdapter and Node HTTP executor
// against a loopback feed of real files, channel files and electron-builder's own block maps.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { NsisUpdater } from 'electron-updater';
// Not re-exported by the package index; the interface a custom adapter implements.
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { BusyState } from '../busy';
import { UpdateController, classifyUpdateError, type UpdateState } from './controller';
import { startLoopbackFeed, type LoopbackFeed } from './loopback-feed';
import { NodeHttpExecutor } from './node-http-executor';
import type { AppPolicy } from './policy';

// electron-builder's block-map writer (what the release job publishes next to each installer).
const { buildBlockMap } = createRequire(import.meta.url)('app-builder-lib/out/targets/blockmap/blockmap.js') as {
  buildBlockMap(file: string, format: 'gzip', out: string): Promise<{ size: number; sha512: string }>;
};

const CACHE_DIR_NAME = 'kense-office-updater';
const installerName = (v: string) => `Kense-Office-Setup-${v}.exe`;
/** The channel file electron-updater asks for on this machine (it names the platform, except on Windows). */
function channelFile(channel: string): string {
  const suffix = process.platform === 'win32' ? '' : process.platform === 'darwin' ? '-mac' : `-linux${process.arch === 'x64' ? '' : `-${process.arch}`}`;
  return `${channel}${suffix}.yml`;
}
const sha512 = (b: Uint8Array) => createHash('sha512').update(b).digest('base64');

interface Env {
  dir: string;
  feedDir: string;
  feed: LoopbackFeed;
  adapter: AppAdapter;
}

class TestAppAdapter implements AppAdapter {
  readonly name = 'Kense Office';
  readonly isPackaged = true;
  constructor(
    readonly version: string,
    readonly appUpdateConfigPath: string,
    readonly userDataPath: string,
    readonly baseCachePath: string,
  ) {}
  whenReady() {
    return Promise.resolve();
  }
  relaunch() {}
  quit() {}
  onQuit() {}
}

let env: Env;
const v1 = randomBytes(640 * 1024);
const v2 = Buffer.concat([v1.subarray(0, 300_000), randomBytes(24_000), v1.subarray(324_000), randomBytes(8_000)]);

async function publish(version: string, bytes: Buffer, opts: { channel?: string; stagingPercentage?: number; listedSha512?: string; blockmap?: boolean } = {}) {
  const file = path.join(env.feedDir, installerName(version));
  await fs.writeFile(file, bytes);
  if (opts.blockmap !== false) await buildBlockMap(file, 'gzip', `${file}.blockmap`);
  const sum = opts.listedSha512 ?? sha512(bytes);
  const yml = [
    `version: ${version}`,
    'files:',
    `  - url: ${installerName(version)}`,
    `    sha512: ${sum}`,
    `    size: ${bytes.length}`,
    `path: ${installerName(version)}`,
    `sha512: ${sum}`,
    `releaseDate: '2026-05-01T06:00:00.000Z'`,
    ...(opts.stagingPercentage === undefined ? [] : [`stagingPercentage: ${opts.stagingPercentage}`]),
  ].join('\n');
  await fs.writeFile(path.join(env.feedDir, channelFile(opts.channel ?? 'latest')), `${yml}\n`);
}

/** An installed 0.1.0 as electron-builder's NSIS installer leaves it: its installer in the updater cache. */
async function installOld() {
  const cache = path.join(env.dir, 'cache', CACHE_DIR_NAME);
  await fs.mkdir(cache, { recursive: true });
  await fs.writeFile(path.join(cache, 'installer.exe'), v1);
}

/** Staging ids: electron-updater compares the last 4 bytes of this per-install UUID with stagingPercentage. */
const STAGING_LOW = '4f3b1c2e-8a7d-4e21-9c3f-012319999999'; // ≈ 0.10
const STAGING_HIGH = '4f3b1c2e-8a7d-4e21-9c3f-0123e6666666'; // ≈ 0.90

interface Harness {
  controller: UpdateController;
  updater: NsisUpdater;
  busy: BusyState;
  states: UpdateState[];
  offers: { version: string; required: boolean }[];
  installs: string[];
}

function harness(o: { version?: string; policy?: AppPolicy | null; channel?: 'stable' | 'beta' | null; restart?: boolean } = {}): Harness {
  const updater = new NsisUpdater(null, env.adapter);
  // electron-updater leaves the executor null when given an adapter; set it before any feed URL (setFeedURL binds it).
  (updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = new NodeHttpExecutor();
  const installs: string[] = [];
  // Process boundary: launching the installer. Record instead of spawning the test bytes.
  updater.quitAndInstall = (silent = false, runAfter = false) => void installs.push(`quitAndInstall(${silent},${runAfter})`);
  updater.install = (silent = false, runAfter = false) => (installs.push(`install(${silent},${runAfter})`), true);
  const busy = new BusyState();
  const states: UpdateState[] = [];
  const offers: { version: string; required: boolean }[] = [];
  const controller = new UpdateController({
    updater,
    currentVersion: o.version ?? '0.1.0',
    feedUrl: env.feed.url,
    channel: () => (o.channel === undefined ? 'stable' : o.channel),
    policy: async () => (o.policy === undefined ? null : o.policy),
    busy,
    askRestart: async (offer) => (offers.push(offer), o.restart ?? false),
    onState: (s) => states.push(s),
  });
  return { controller, updater, busy, states, offers, installs };
}

const policy = (p: Partial<AppPolicy> = {}): AppPolicy => ({
  minimumVersion: '0.0.1',
  latestVersion: '0.2.0',
  updateChannel: 'stable',
  killSwitch: { active: false, message: null },
  ...p,
});

async function downloaded(): Promise<Buffer> {
  const pending = path.join(env.dir, 'cache', CACHE_DIR_NAME, 'pending');
  return fs.readFile(path.join(pending, installerName('0.2.0')));
}

beforeEach(async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kense-updater-'));
  const feedDir = path.join(dir, 'feed');
  await fs.mkdir(feedDir);
  await fs.mkdir(path.join(dir, 'userData'));
  const feed = await startLoopbackFeed(feedDir);
  const configPath = path.join(dir, 'app-update.yml');
  // What electron-builder writes into resources/ from the publish section (downloadUpdate always reads it).
  await fs.writeFile(configPath, `provider: generic\nurl: ${feed.url}\nupdaterCacheDirName: ${CACHE_DIR_NAME}\n`);
  const adapter = new TestAppAdapter('0.1.0', configPath, path.join(dir, 'userData'), path.join(dir, 'cache'));
  env = { dir, feedDir, feed, adapter };
});

afterEach(async () => {
  await env.feed.close();
  await fs.rm(env.dir, { recursive: true, force: true });
});

describe('UpdateController over electron-updater and a loopback feed', () => {
  it('finds, downloads and verifies an update, then asks to restart', async () => {
    await publish('0.2.0', v2);
    const h = harness();
    const s = await h.controller.check();
    expect(s).toEqual({ phase: 'ready', version: '0.2.0', required: false });
    expect(sha512(await downloaded())).toBe(sha512(v2));
    expect(h.offers).toEqual([{ version: '0.2.0', required: false }]);
    expect(h.states.map((x) => x.phase)).toEqual(expect.arrayContaining(['checking', 'downloading', 'ready']));
    expect(h.installs).toEqual([]);
  });

  it('says current when the feed has nothing newer', async () => {
    await publish('0.1.0', v1);
    const h = harness();
    expect(await h.controller.check()).toEqual({ phase: 'current', latest: '0.1.0' });
    expect(env.feed.requests.some((r) => r.path.endsWith('.exe'))).toBe(false);
  });

  it.each([
    ['corrupted (one byte flipped)', (b: Buffer) => Buffer.concat([b.subarray(0, 1000), Buffer.from([b[1000] ^ 0xff]), b.subarray(1001)])],
    ['truncated (upload cut short)', (b: Buffer) => b.subarray(0, b.length - 4096)],
  ])('refuses a %s installer with ERR_CHECKSUM_MISMATCH and keeps nothing', async (_name, damage) => {
    await publish('0.2.0', damage(v2), { listedSha512: sha512(v2) });
    const h = harness();
    const s = await h.controller.check();
    expect(s.phase).toBe('failed');
    expect(s.phase === 'failed' && s.reason).toBe('checksum');
    expect(s.phase === 'failed' && s.detail).toMatch(/^ERR_CHECKSUM_MISMATCH/);
    await expect(downloaded()).rejects.toThrow(/ENOENT/);
    expect(h.offers).toEqual([]);
  });

  it('reports a missing feed (no channel file) without crashing', async () => {
    const h = harness();
    const s = await h.controller.check();
    expect(s).toMatchObject({ phase: 'failed', reason: 'feed_missing' });
    expect(env.feed.requests[0].path).toBe(`/${channelFile('latest')}`);
  });

  it('reports a connection cut mid-download as a network failure and installs nothing', async () => {
    await publish('0.2.0', v2);
    env.feed.cut.add(`/${installerName('0.2.0')}`);
    const h = harness();
    expect(await h.controller.check()).toMatchObject({ phase: 'failed', reason: 'network' });
    await expect(downloaded()).rejects.toThrow(/ENOENT/);
  });

  it('honours the staged rollout: a copy inside the percentage updates, one outside does not', async () => {
    await publish('0.2.0', v2, { stagingPercentage: 50 });
    await fs.writeFile(path.join(env.dir, 'userData', '.updaterId'), STAGING_HIGH);
    const outside = harness();
    expect(await outside.controller.check()).toEqual({ phase: 'current', latest: '0.2.0' });
    expect(env.feed.requests[0].headers['x-user-staging-id']).toBe(STAGING_HIGH);

    await fs.writeFile(path.join(env.dir, 'userData', '.updaterId'), STAGING_LOW);
    const inside = harness();
    expect(await inside.controller.check()).toMatchObject({ phase: 'ready', version: '0.2.0' });
  });

  it('a copy below the cloud’s minimum version takes the update past the rollout, marked required', async () => {
    await publish('0.2.0', v2, { stagingPercentage: 10 });
    await fs.writeFile(path.join(env.dir, 'userData', '.updaterId'), STAGING_HIGH);
    const h = harness({ policy: policy({ minimumVersion: '0.2.0' }) });
    expect(await h.controller.check()).toEqual({ phase: 'ready', version: '0.2.0', required: true });
    expect(h.offers).toEqual([{ version: '0.2.0', required: true }]);
  });

  it('honours the kill switch: no request to the feed, no download, and a ready update is not installed', async () => {
    await publish('0.2.0', v2);
    const h = harness({ policy: policy({ killSwitch: { active: true, message: 'Работа приостановлена' } }) });
    expect(await h.controller.check()).toEqual({ phase: 'halted', message: 'Работа приостановлена' });
    expect(env.feed.requests).toEqual([]);

    let current: AppPolicy = policy();
    const later = harness();
    (later.controller as unknown as { o: { policy: () => Promise<AppPolicy> } }).o.policy = async () => current;
    expect((await later.controller.check()).phase).toBe('ready');
    current = policy({ killSwitch: { active: true, message: null } });
    expect(await later.controller.check()).toEqual({ phase: 'halted', message: null });
    expect(later.controller.restartToUpdate()).toBe('refused');
    expect(later.controller.installOnQuit()).toBe(false);
    expect(later.installs).toEqual([]);
  });

  it('never installs while signing or pushing: restart waits for both to end, quit skips the install', async () => {
    await publish('0.2.0', v2);
    const h = harness();
    await h.controller.check();
    h.busy.set({ signing: true, pushing: false });
    expect(h.controller.restartToUpdate()).toBe('waiting');
    expect(h.controller.state.phase).toBe('waiting');
    expect(h.controller.installOnQuit()).toBe(false);
    h.busy.set({ signing: false, pushing: true });
    expect(h.installs).toEqual([]);
    h.busy.set({ signing: false, pushing: false });
    expect(h.installs).toEqual(['quitAndInstall(true,true)']);
    expect(h.controller.state).toEqual({ phase: 'installing', version: '0.2.0' });
  });

  it('installs on quit when the user said later and nothing is in flight', async () => {
    await publish('0.2.0', v2);
    const h = harness({ restart: false });
    await h.controller.check();
    expect(h.installs).toEqual([]);
    expect(h.controller.installOnQuit()).toBe(true);
    expect(h.installs).toEqual(['install(true,false)']);
  });

  it('restarts at once when the user says now and nothing is in flight', async () => {
    await publish('0.2.0', v2);
    const h = harness({ restart: true });
    await h.controller.check();
    await new Promise((r) => setImmediate(r));
    expect(h.installs).toEqual(['quitAndInstall(true,true)']);
  });

  it('downloads differentially from the installed version’s block map (byte ranges, far fewer bytes)', async () => {
    await publish('0.1.0', v1, { channel: 'old' });
    await publish('0.2.0', v2);
    await installOld();
    const h = harness();
    expect((await h.controller.check()).phase).toBe('ready');
    expect(sha512(await downloaded())).toBe(sha512(v2));
    const installer = env.feed.requests.filter((r) => r.path === `/${installerName('0.2.0')}`);
    expect(installer.length).toBeGreaterThan(0);
    expect(installer.every((r) => r.status === 206 && r.range)).toBe(true);
    const fetched = installer.reduce((n, r) => n + r.bytes, 0);
    expect(fetched).toBeLessThan(v2.length / 4);
    expect(env.feed.requests.map((r) => r.path)).toEqual(expect.arrayContaining([`/${installerName('0.1.0')}.blockmap`, `/${installerName('0.2.0')}.blockmap`]));
  });

  it('falls back to the full download when the differential one cannot be made (old block map missing)', async () => {
    await publish('0.2.0', v2);
    await installOld();
    const h = harness();
    expect((await h.controller.check()).phase).toBe('ready');
    expect(sha512(await downloaded())).toBe(sha512(v2));
    const installer = env.feed.requests.filter((r) => r.path === `/${installerName('0.2.0')}`);
    expect(installer).toEqual([expect.objectContaining({ status: 200, range: null, bytes: v2.length })]);
  });

  it('follows the beta channel when the user chose it', async () => {
    await publish('0.2.0-beta.1', v2, { channel: 'beta' });
    const h = harness({ channel: 'beta' });
    expect(await h.controller.check()).toMatchObject({ phase: 'ready', version: '0.2.0-beta.1' });
    expect(env.feed.requests[0].path).toBe(`/${channelFile('beta')}`);
  });

  it('classifies updater errors', () => {
    expect(classifyUpdateError(Object.assign(new Error('x'), { code: 'ERR_UPDATER_INVALID_SIGNATURE' })).reason).toBe('signature');
    expect(classifyUpdateError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })).reason).toBe('network');
    expect(classifyUpdateError(new Error('weird')).reason).toBe('other');
  });
});
