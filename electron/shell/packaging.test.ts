// The packaging configuration, checked offline with electron-builder's and @electron/fuses' own code: the schema,
// the fuses as electron-builder maps them (flipped on a stand-in Electron binary carrying the real fuse wire), the
// notarization hook's handling of credentials, the installer script and the macOS entitlements. The full
// `--linux dir` packaging run is build/check-packaging.mjs (CI runs it after bundling).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire, flipFuses } from '@electron/fuses';
import { DEFAULT_UPDATE_FEED } from './app-config';
import { DEEP_LINK_SCHEME } from './deep-link';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..', '..');
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath?: string | null): Promise<BuilderConfig>;
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { PlatformPackager } = require('app-builder-lib') as { PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<string, unknown>> } } };
const notarizeHook = await import('../../build/notarize.mjs');

type Targets = { target: string; arch: string[] }[];
/** The parts of electron-builder's resolved configuration these tests read. */
interface BuilderConfig {
  win: { target: Targets };
  mac: Record<string, unknown> & { target: Targets };
  linux: { target: Targets };
  nsis: Record<string, unknown>;
  electronFuses: Record<string, boolean>;
  files: { filter: string[] }[];
  extraResources: { filter: string[] }[];
  [key: string]: unknown;
}

/** Electron's fuse sentinel and the wire of an unmodified Electron 45 binary (its defaults). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ELECTRON_DEFAULT_WIRE = '101100011';

let config: BuilderConfig;
let dir: string;
beforeAll(async () => {
  config = await getConfig(root, null);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kense-packaging-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema (which does refuse a wrong option)', async () => {
    await validateConfiguration(config, new DebugLogger(false));
    await expect(validateConfiguration({ ...config, nsis: { ...config.nsis, perUser: true } }, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/);
  });

  it('builds the installers the issue asks for', () => {
    const archs = (t: { target: string; arch: string[] }[], name: string) => t.find((x) => x.target === name)?.arch;
    expect(archs(config.win.target, 'nsis')).toEqual(['x64', 'arm64']);
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false, allowElevation: false, include: 'build/installer.nsh' });
    expect(archs(config.mac.target, 'dmg')).toEqual(['x64', 'arm64']);
    expect(archs(config.mac.target, 'zip')).toEqual(['x64', 'arm64']);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, entitlements: 'build/entitlements.mac.plist', entitlementsInherit: 'build/entitlements.mac.inherit.plist', notarize: false });
    expect(config.afterSign).toBe('./build/notarize.mjs');
    expect(archs(config.linux.target, 'AppImage')).toEqual(['x64']);
  });

  it('publishes to the feed the app reads, for every channel; registers kense://', () => {
    expect(config.publish).toEqual({ provider: 'generic', url: DEFAULT_UPDATE_FEED, channel: 'latest' });
    expect(config.generateUpdatesFilesForAllChannels).toBe(true);
    expect(config.protocols).toEqual([{ name: 'Kense Office link', schemes: [DEEP_LINK_SCHEME] }]);
  });

  it('ships the bundles and the native module only, no test keys; never rebuilds natives offline', () => {
    expect(config.files[0].filter).toEqual(expect.arrayContaining(['out/**/*', '!node_modules/**/*', 'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node']));
    expect(config.extraResources[0].filter).toContain('!test-pki/**');
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(false);
    expect(config.asar).toBe(true);
  });
});

describe('fuses', () => {
  it('flip as configured: no RunAsNode, no NODE_OPTIONS, no --inspect, asar integrity, app only from asar, no file:// privileges', async () => {
    const binary = path.join(dir, 'electron');
    await fs.writeFile(binary, Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(4096), Buffer.from(SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]), Buffer.from(ELECTRON_DEFAULT_WIRE), Buffer.alloc(64)]));
    const before = await getCurrentFuseWire(binary);
    expect(before[FuseV1Options.RunAsNode]).toBe('1'.charCodeAt(0));
    // electron-builder's own mapping of the yml's electronFuses block.
    const fuseConfig = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    await flipFuses(binary, fuseConfig as never);
    const wire = await getCurrentFuseWire(binary);
    const on = (o: FuseV1Options) => String.fromCharCode(wire[o] as number);
    expect(on(FuseV1Options.RunAsNode)).toBe('0');
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0');
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe('0');
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('1');
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1');
    expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe('0');
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe('1');
  });
});

describe('macOS notarization hook', () => {
  const app = '/out/mac-arm64/Kense Office.app';
  it.each([
    [{ APPLE_API_KEY: '/k/AuthKey_X.p8', APPLE_API_KEY_ID: 'X', APPLE_API_ISSUER: 'uuid' }, { appPath: app, appleApiKey: '/k/AuthKey_X.p8', appleApiKeyId: 'X', appleApiIssuer: 'uuid' }],
    [{ APPLE_ID: 'dev@kense.app', APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh', APPLE_TEAM_ID: 'TEAM' }, { appPath: app, appleId: 'dev@kense.app', appleIdPassword: 'abcd-efgh', teamId: 'TEAM' }],
    [{ APPLE_KEYCHAIN_PROFILE: 'kense' }, { appPath: app, keychainProfile: 'kense' }],
    [{}, null],
  ])('%o', (env, options) => expect(notarizeHook.notarizeOptions(env, app)).toEqual(options));
  it('a half-set group fails and names what is missing', () => {
    expect(() => notarizeHook.notarizeOptions({ APPLE_API_KEY: '/k.p8' }, app)).toThrow(/APPLE_API_KEY_ID, APPLE_API_ISSUER not set/);
  });
});

describe('installer resources', () => {
  it('NSIS: kense:// runs the app with "--" before the link; an update keeps it, an uninstall removes it', async () => {
    const nsh = await fs.readFile(path.join(root, 'build', 'installer.nsh'), 'utf8');
    expect(nsh).toContain(`"$appExe" -- "%1"`);
    expect(nsh).toMatch(/!macro customUnInstall[\s\S]*\$\{ifNot\} \$\{isUpdated\}[\s\S]*DeleteRegKey SHELL_CONTEXT "Software\\Classes\\kense"/);
  });
  it('macOS entitlements: JIT only — no debugging, no library-validation or DYLD exceptions', async () => {
    for (const f of ['entitlements.mac.plist', 'entitlements.mac.inherit.plist']) {
      const plist = await fs.readFile(path.join(root, 'build', f), 'utf8');
      expect([...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual(['com.apple.security.cs.allow-jit']);
    }
  });
  it('the icon electron-builder derives .ico/.icns from is a 1024×1024 PNG', async () => {
    const png = await fs.readFile(path.join(root, 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
  });
});
