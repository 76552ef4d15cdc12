#!/usr/bin/env node
// `npm run start:web`: builds the office if its build is missing or older than its sources, then runs the headless
// host through tsx (no build step for Node code).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = path.join(root, 'dist', 'renderer', 'index.html');

function newest(dir) {
  let t = 0;
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}
const sources = Math.max(newest(path.join(root, 'renderer')), newest(path.join(root, 'contract')), statSync(path.join(root, 'vite.renderer.config.ts')).mtimeMs);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  process.stdout.write('kense host: building the office (vite)…\n');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(root, 'vite.renderer.config.ts'), '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { register } = await import('tsx/esm/api');
register();
const { main } = await import(pathToFileURL(path.join(root, 'electron', 'host', 'main.ts')).href);
const code = await main(process.argv.slice(2));
// Whatever timers or sockets are left (a failed start, a sync round in flight), the host is done.
process.exit(code);
