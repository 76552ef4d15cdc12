#!/usr/bin/env node
// `npm run start:web`: builds what is missing or older than its sources — the office (vite → dist/renderer) and the
// host with core (esbuild → dist/host/main.mjs, one file; only the native database module stays in node_modules) — then runs the host in plain
// Node. Loading one bundle instead of ~200 TypeScript files through tsx is what lets the office open in about a second.
// dist/host is at the same depth as electron/host, so paths the code finds from its own location stay right.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rel = (...p) => path.join(root, ...p);

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const older = (file, sources) => !existsSync(file) || statSync(file).mtimeMs < Math.max(...sources.map((s) => (statSync(s).isDirectory() ? newest(s) : statSync(s).mtimeMs)));

const office = rel('dist', 'renderer', 'index.html');
if (older(office, [rel('renderer'), rel('contract'), rel('vite.renderer.config.ts')])) {
  process.stdout.write('kense host: building the office (vite)…\n');
  const r = spawnSync(process.execPath, [rel('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', rel('vite.renderer.config.ts'), '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const bundle = rel('dist', 'host', 'main.mjs');
if (older(bundle, [rel('electron', 'host'), rel('electron', 'core'), rel('contract'), rel('native-bridge'), rel('package.json')])) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [rel('electron', 'host', 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages are bundled too (fewer files to load); the native database module stays in node_modules, and ws's
    // optional native helpers are absent. CommonJS packages inside an ES module need a real `require`.
    external: ['better-sqlite3-multiple-ciphers', 'bufferutil', 'utf-8-validate'],
    banner: { js: "import { createRequire as __kenseCreateRequire } from 'node:module'; const require = __kenseCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
    absWorkingDir: root,
  });
}
const { main } = await import(pathToFileURL(bundle).href);
const code = await main(process.argv.slice(2));
// Whatever timers or sockets are left (a failed start, a sync round in flight), the host is done.
process.exit(code);
