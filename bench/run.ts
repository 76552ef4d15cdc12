// Runs every benchmark in bench/ in turn (each file exports `run()`), or the ones named on the command line.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import os from 'node:os';

const self = fileURLToPath(import.meta.url);
const dir = path.dirname(self);
// .ts under tsx, .mjs when bundled by build-and-run.mjs
const suffix = `.bench${path.extname(self)}`;
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(suffix))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

console.log(`Kense Office benchmarks (${suffix.endsWith('.mjs') ? 'bundled, plain Node' : 'through tsx'}) — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}`);
for (const f of files) {
  console.log(`\n## ${f}`);
  const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { run: () => Promise<void> };
  await mod.run();
}
