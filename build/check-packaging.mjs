#!/usr/bin/env node
// The packaging steps that need no download, run for real: electron-builder packs the bundled app (`npm run
// build:desktop` first) for Linux as a folder against a stand-in Electron distribution (the real binary cannot be
// fetched here; the stand-in carries Electron's fuse wire so electron-builder flips it as on a real build). Then
// the result is checked: what is inside app.asar, the unpacked native module, resources without test keys,
// app-update.yml pointing at the feed, and the fuses. Prints one line per check; exit 0 only if all hold.
import { build, Platform, Arch } from 'electron-builder';
import asar from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';

const root = path.resolve(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'out', 'main', 'main.mjs'))) {
  console.error('out/ is not built: run `npm run build:desktop` first');
  process.exit(1);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kense-pack-'));
const dist = path.join(tmp, 'electron-dist');
mkdirSync(path.join(dist, 'resources'), { recursive: true });
const version = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
// Electron's fuse sentinel, then wire version 1 and the defaults of an unmodified Electron binary.
const wire = '101100011';
writeFileSync(path.join(dist, 'electron'), Buffer.concat([Buffer.from('\x7fELF stand-in for the Electron binary\n'), Buffer.alloc(4096), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, wire.length]), Buffer.from(wire), Buffer.alloc(64)]));
chmodSync(path.join(dist, 'electron'), 0o755);
writeFileSync(path.join(dist, 'version'), version);

let failed = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failed++;
};

/**
 * The bundled core process (out/utility/core.mjs) under Node with a stand-in for Electron's process.parentPort
 * (Electron-style message events): it must open core and answer the contract on the port it is handed.
 */
async function bundledCoreAnswers() {
  const electronStyle = (port) => {
    const handlers = new Map();
    return {
      on: (event, h) => {
        const w = (data) => h({ data, ports: [] });
        handlers.set(h, w);
        port.on(event, w);
      },
      once: (event, h) => port.once(event, (data) => h({ data, ports: [] })),
      off: (event, h) => port.off(event, handlers.get(h)),
      postMessage: (m) => port.postMessage(m),
      start: () => port.start?.(),
    };
  };
  const control = new MessageChannel();
  const contract = new MessageChannel();
  const parent = electronStyle(control.port2);
  // The first message carries core's port, as Electron's utilityProcess.postMessage(message, [port]) does.
  let first = true;
  parent.once = (event, h) => control.port2.once(event, (data) => h({ data, ports: first ? ((first = false), [electronStyle(contract.port2)]) : [] }));
  process.parentPort = parent;
  const dataDir = path.join(tmp, 'profiles');
  control.port1.postMessage({ type: 'core.start', config: { dataDir, cloudUrl: null, ncalayer: null, keyDirs: [], testTrust: false, locale: 'ru', appVersion: '0.0.0', platform: 'linux' } });
  process.env.KENSE_RESOURCES = path.join(root, 'resources');
  await import(pathToFileURL(path.join(root, 'out', 'utility', 'core.mjs')).href);
  const answer = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no answer from the bundled core within 20 s')), 20_000);
    contract.port1.on('message', (m) => {
      if (m?.type === 'result' && m.id === 1) {
        clearTimeout(t);
        resolve(m.result);
      }
    });
    contract.port1.postMessage({ type: 'call', id: 1, op: 'session.status', input: {} });
  });
  // No core.shutdown here: the bundle's answer to it is process.exit, and this is our process.
  return answer;
}

try {
  const status = await bundledCoreAnswers().catch((e) => ({ ok: false, error: String(e?.message ?? e) }));
  check(status?.ok === true && status.output?.state === 'signed_out', `the bundled core process opens and answers session.status (${JSON.stringify(status).slice(0, 120)})`);
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    config: { electronDist: dist, directories: { output: path.join(tmp, 'release') } },
    publish: 'never',
  });
  const app = path.join(tmp, 'release', 'linux-unpacked');
  const res = path.join(app, 'resources');
  const archive = path.join(res, 'app.asar');
  const files = asar.listPackage(archive, { isPack: false }).map((f) => f.split(path.sep).join('/'));
  for (const f of ['/package.json', '/out/main/main.mjs', '/out/main/assets/trayTemplate.png', '/out/utility/core.mjs', '/out/preload/preload.cjs', '/out/renderer/index.html']) check(files.includes(f), `app.asar has ${f}`);
  const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8'));
  check(pkg.main === 'out/main/main.mjs' && files.includes(`/${pkg.main}`), `package.json main (${pkg.main}) is in app.asar`);
  const modules = new Set(files.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/')[2]));
  check([...modules].sort().join(',') === 'better-sqlite3-multiple-ciphers,bindings,file-uri-to-path', `only the native module and its loaders ship as packages (${[...modules].sort().join(', ')})`);
  check(files.every((f) => !/\.(ts|map)$/.test(f)), 'no TypeScript sources or source maps');
  check(existsSync(path.join(res, 'app.asar.unpacked', 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node')), 'better_sqlite3.node is unpacked next to app.asar');
  check(existsSync(path.join(res, 'resources', 'trust')) && existsSync(path.join(res, 'resources', 'calendar')), 'resources/trust and resources/calendar are shipped');
  check(!existsSync(path.join(res, 'resources', 'test-pki')), 'the test keys are not shipped');
  const updateYml = readFileSync(path.join(res, 'app-update.yml'), 'utf8');
  check(/provider: generic/.test(updateYml) && /url: https:\/\/updates\.kense\.app\/desktop\//.test(updateYml) && /updaterCacheDirName: kense-office-updater/.test(updateYml), 'app-update.yml names the generic feed');
  const fuses = await getCurrentFuseWire(path.join(app, 'kense-office'));
  const state = (o) => String.fromCharCode(fuses[o]);
  check(state(FuseV1Options.RunAsNode) === '0', 'fuse RunAsNode off');
  check(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable) === '0', 'fuse NODE_OPTIONS off');
  check(state(FuseV1Options.EnableNodeCliInspectArguments) === '0', 'fuse --inspect off');
  check(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation) === '1', 'fuse embedded asar integrity on');
  check(state(FuseV1Options.OnlyLoadAppFromAsar) === '1', 'fuse only load app from asar on');
  check(state(FuseV1Options.GrantFileProtocolExtraPrivileges) === '0', 'fuse file:// extra privileges off');
} catch (e) {
  console.error(e?.stack ?? e);
  failed++;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(failed ? `packaging check: ${failed} failed` : 'packaging check: all passed');
process.exit(failed ? 1 : 0);
