// `npm run bench`: bundles the benchmarks with esbuild and runs them in plain Node, as the shipped app
// runs bundled code. Running TypeScript through tsx's loader hooks detaches ArrayBuffers in the
// process, which invalidates a V8 protector and slows every typed-array access (Streebog by ~1.5×):
// a figure that no user would ever see. `npm run bench:tsx` runs the same files through tsx.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Same depth as bench/, so `new URL('../x', import.meta.url)` inside a bench resolves identically.
const outdir = path.join(root, '.bench-build');
const entries = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts') || f === 'run.ts')
  .map((f) => path.join(root, 'bench', f));

await build({
  entryPoints: entries,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, [path.join(outdir, 'run.mjs'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exitCode = r.status ?? 1;
