#!/usr/bin/env node
// `npm start`: the desktop app from source. Builds everything (the office with vite, the Electron bundles), starts
// the embedded demo unless KENSE_CLOUD_URL names a real cloud — the reference cloud with the demo tenant and the
// NCALayer emulator over the НУЦ test keys, the same EmbeddedDemo `npm run start:web` uses — and opens Kense Office
// in Electron with a profile of its own under .kense-data/desktop. Closing the app stops the demo.
// Needs the Electron binary (a machine that can reach github.com); without one it says so and stops.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(process.env.KENSE_DESKTOP_DATA ?? path.join(root, '.kense-data', 'desktop'));
const say = (l) => process.stdout.write(`kense desktop: ${l}\n`);

const binary = findElectronBinary();
if (!('path' in binary)) {
  say(binary.reason);
  say('the office without Electron, in any Chromium: npm run start:web');
  process.exit(1);
}

for (const [what, args] of [
  ['building the office (vite)', [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(root, 'vite.renderer.config.ts'), '--logLevel', 'warn']],
  ['bundling main, preload and core for Electron', [path.join(root, 'build', 'bundle-electron.mjs')]],
]) {
  say(`${what}…`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const env = { ...process.env, KENSE_USER_DATA: path.join(dataDir, 'profile'), KENSE_UPDATES: 'off' };
let demo = null;
if (!process.env.KENSE_CLOUD_URL) {
  const { register } = await import('tsx/esm/api');
  register();
  const { EmbeddedDemo, TEST_KEYS_DIR } = await import(pathToFileURL(path.join(root, 'electron', 'host', 'demo.ts')).href);
  mkdirSync(dataDir, { recursive: true });
  demo = new EmbeddedDemo(path.join(dataDir, 'demo'));
  const planned = await demo.plan();
  // Core reads the emulator's TLS CA when it opens: on the very first start wait for the emulator to create it.
  if (!existsSync(planned.endpoints.ncalayerCaFile)) await planned.emulator.catch(() => undefined);
  Object.assign(env, {
    KENSE_DEMO: '1',
    KENSE_CLOUD_URL: planned.endpoints.cloudUrl,
    KENSE_NCALAYER_URL: planned.endpoints.ncalayerUrl,
    KENSE_NCALAYER_CA: planned.endpoints.ncalayerCaFile,
    KENSE_KEY_DIRS: TEST_KEYS_DIR,
  });
  say(`demo cloud ${planned.endpoints.cloudUrl}, NCALayer emulator ${planned.endpoints.ncalayerUrl} (starting)`);
  planned.ready.then(
    (e) => {
      say('demo ready. Sign in with NCALayer (the director\'s test key), a key file from resources/test-pki (password Qwerty12), or:');
      for (const u of e.users) say(`  ИИН ${u.iin}  password ${u.password}  ${u.role}  ${u.name}`);
    },
    (err) => say(`the demo did not start: ${err?.message ?? err}`),
  );
}

say(`opening Kense Office (${binary.path})`);
const app = spawn(binary.path, [root], { cwd: root, env, stdio: 'inherit' });
const stop = () => app.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
const code = await new Promise((resolve) => app.on('exit', (c) => resolve(c ?? 0)));
if (demo) {
  say('stopping the demo…');
  await demo.stop().catch(() => undefined);
}
process.exit(code);
