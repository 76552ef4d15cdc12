// Enforces the "may import" table of docs/ARCHITECTURE.md: a wrong arrow between layers fails lint.
import path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Layer of a repository-relative path; the most specific prefix wins. */
const LAYERS = [
  ['electron/core/', 'core'],
  ['electron/main/', 'main'],
  ['electron/preload/', 'preload'],
  ['electron/host/', 'host'],
  ['electron/shell/', 'shell'],
  ['electron/utility/', 'utility'],
  ['native-bridge/', 'native-bridge'],
  ['contract/', 'contract'],
  ['renderer/', 'renderer'],
  ['cloud/', 'cloud'],
  ['cli/', 'cli'],
  ['bench/', 'bench'],
  ['e2e/', 'e2e'],
];

/** Which project layers each layer may import (its own layer is always allowed). */
export const MAY_IMPORT = {
  contract: [],
  'native-bridge': ['contract'],
  core: ['contract', 'native-bridge'],
  main: ['contract', 'shell'],
  // The desktop shell's logic in plain Node (updater, protocol, guards, vault, supervisor): testable without Electron.
  shell: ['contract'],
  // Core's process in the desktop app (utilityProcess): builds core with the keychain vault proxied to main.
  utility: ['contract', 'core', 'shell'],
  preload: ['contract'],
  host: ['contract', 'core'],
  renderer: ['contract'],
  cloud: ['contract', 'native-bridge/pki'],
  cli: ['contract', 'native-bridge', 'core', 'host', 'cloud'],
  bench: ['*'],
  e2e: ['*'],
};

/** npm packages a layer may use; undefined = any package except `electron`. */
const PACKAGES = {
  contract: ['zod'],
  renderer: ['react', 'react-dom', 'zustand', 'zod', 'i18next', 'react-i18next', 'echarts', '@tanstack/react-virtual', 'pdf-lib', '@pdf-lib/fontkit', 'qrcode', 'dejavu-fonts-ttf'],
};
const ELECTRON_OK = new Set(['main', 'preload']);
const NO_NODE_BUILTINS = new Set(['contract', 'renderer', 'preload']);

function layerOf(rel) {
  for (const [prefix, layer] of LAYERS) if (rel.startsWith(prefix)) return { layer, prefix };
  return undefined;
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function check(context, node, spec) {
  if (typeof spec !== 'string') return;
  const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
  const from = layerOf(file);
  if (!from) return;
  const isTest = /\.test\.tsx?$/.test(file);
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = path.relative(ROOT, path.resolve(path.dirname(context.filename), spec)).split(path.sep).join('/');
    const to = layerOf(target.endsWith('/') ? target : `${target}/`) ?? layerOf(target);
    if (!to || to.layer === from.layer) return;
    const allowed = MAY_IMPORT[from.layer] ?? [];
    if (allowed.includes('*')) return;
    const ok = allowed.some((a) => a === to.layer || (target + '/').startsWith(`${a}/`));
    // Tests may reach layers they exercise end to end (a cloud test uses the signer to make a CMS).
    if (!ok && !(isTest && to.layer !== 'main' && to.layer !== 'renderer')) {
      context.report({ node, message: `Layer "${from.layer}" may not import "${target}" (layer "${to.layer}"). See docs/ARCHITECTURE.md, "Folders".` });
    }
    return;
  }
  if (BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0])) {
    if (NO_NODE_BUILTINS.has(from.layer)) context.report({ node, message: `Layer "${from.layer}" may not use Node built-in "${spec}".` });
    return;
  }
  const pkg = packageName(spec);
  if (pkg === 'electron' && !ELECTRON_OK.has(from.layer)) {
    context.report({ node, message: `Only electron/main and electron/preload may import "electron" (this is "${from.layer}").` });
    return;
  }
  const list = PACKAGES[from.layer];
  if (list && !list.includes(pkg) && !isTest) {
    context.report({ node, message: `Layer "${from.layer}" may not import package "${pkg}" (allowed: ${list.join(', ')}).` });
  }
}

export const importLayers = {
  meta: { type: 'problem', docs: { description: 'Enforce the import table of ARCHITECTURE.md' }, schema: [] },
  create(context) {
    return {
      ImportDeclaration: (node) => check(context, node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(context, node, node.source.value),
      ExportAllDeclaration: (node) => check(context, node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(context, node, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(context, node, node.arguments[0].value);
        }
      },
    };
  },
};

export default { rules: { 'import-layers': importLayers } };
