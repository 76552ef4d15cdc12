#!/usr/bin/env node
// Bundles the desktop app's Node code for Electron (no tsx at run time, everything inside app.asar):
//   out/main/main.mjs        Electron main (ESM) + its assets
//   out/utility/core.mjs     core's utility process (ESM); the native SQLite module stays a package
//   out/preload/preload.cjs  the sandboxed preload (one CommonJS file: sandboxed preloads cannot import)
//   out/renderer/            the office, copied from dist/renderer (npm run build:renderer), with the CSP also
//                            as a <meta> (the app:// handler sends it as a header; the meta keeps it on the page)
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'out');
const renderer = path.join(root, 'dist', 'renderer');
if (!existsSync(path.join(renderer, 'index.html'))) {
  console.error('the office is not built: run `npm run build:renderer` first (dist/renderer/index.html is missing)');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });

// ESM bundles that contain CommonJS packages (electron-updater, electron-log) need a real `require`.
const esmBanner = { js: "import { createRequire as __kenseCreateRequire } from 'node:module'; const require = __kenseCreateRequire(import.meta.url);" };
const common = { bundle: true, logLevel: 'warning', sourcemap: false, legalComments: 'none', target: 'node22', absWorkingDir: root };

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'out/main/main.mjs', platform: 'node', format: 'esm', banner: esmBanner, external: ['electron'] }),
  build({
    ...common,
    entryPoints: ['electron/utility/core-process.ts'],
    outfile: 'out/utility/core.mjs',
    platform: 'node',
    format: 'esm',
    banner: esmBanner,
    // The native database module is loaded from node_modules (rebuilt for Electron's ABI); ws's optional helpers are absent.
    external: ['electron', 'better-sqlite3-multiple-ciphers', 'bufferutil', 'utf-8-validate'],
  }),
  build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'out/preload/preload.cjs', platform: 'browser', format: 'cjs', target: 'chrome140', external: ['electron'] }),
]);
cpSync(path.join(root, 'electron', 'main', 'assets'), path.join(out, 'main', 'assets'), { recursive: true });
cpSync(renderer, path.join(out, 'renderer'), { recursive: true });
register();
const { CONTENT_SECURITY_POLICY } = await import(pathToFileURL(path.join(root, 'electron', 'shell', 'app-protocol.ts')).href);
// frame-ancestors means nothing in a <meta> (browsers ignore it there and say so); the header carries it.
const metaPolicy = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
const indexHtml = path.join(out, 'renderer', 'index.html');
const html = readFileSync(indexHtml, 'utf8');
const meta = `<meta http-equiv="Content-Security-Policy" content="${metaPolicy}">`;
const anchor = /<meta charset[^>]*>/i.test(html) ? /(<meta charset[^>]*>)/i : /(<head>)/i;
if (!anchor.test(html)) throw new Error('out/renderer/index.html has no <head>');
writeFileSync(indexHtml, html.replace(anchor, `$1\n    ${meta}`));
console.log('bundled the desktop app into out/ (main, utility, preload, renderer)');
