// Where the Electron binary is, without ever triggering its download (`require('electron')` would try one):
// KENSE_ELECTRON (a path to the executable), ELECTRON_OVERRIDE_DIST_PATH, or what `npm install` unpacked into
// node_modules/electron/dist. On these development machines there is none (TOOLCHAIN.md): the answer says why.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const EXECUTABLE = { win32: 'electron.exe', darwin: 'Electron.app/Contents/MacOS/Electron' };

/** @returns {{ path: string } | { reason: string }} */
export function findElectronBinary(env = process.env) {
  if (env.KENSE_ELECTRON) {
    return existsSync(env.KENSE_ELECTRON) ? { path: env.KENSE_ELECTRON } : { reason: `KENSE_ELECTRON names ${env.KENSE_ELECTRON}, which does not exist` };
  }
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : (EXECUTABLE[process.platform] ?? 'electron');
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative);
    return existsSync(p) ? { path: p } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${relative}` };
  }
  if (!existsSync(pkg)) return { reason: 'the electron package is not installed (npm install)' };
  const p = path.join(pkg, 'dist', relative);
  if (existsSync(pathFile) && existsSync(p)) return { path: p };
  return {
    reason:
      'no Electron binary: node_modules/electron/dist is empty (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or github.com unreachable). ' +
      'On a machine with internet run `node node_modules/electron/install.js`, or set KENSE_ELECTRON to an Electron 45 executable.',
  };
}
