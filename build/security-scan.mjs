#!/usr/bin/env node
// The Electron security scan of CI: @doyensec/electronegativity over the desktop code (electron/**, without tests)
// and the office page the app ships (out/renderer/index.html — `npm run build:desktop` first). Fails on any finding
// above LOW severity and on any file the scanner could not parse; prints every finding, and the findings reviewed
// in the code (`eng-disable` comments, each with its reason). A canary file with known mistakes is scanned in the
// same run: if the scanner stops finding them, the scan fails too (a gate that cannot fail proves nothing).
import run from '@doyensec/electronegativity';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const page = path.join(root, 'out', 'renderer', 'index.html');
if (!existsSync(page)) {
  console.error('out/renderer/index.html is missing: run `npm run build:desktop` first');
  process.exit(1);
}

// What the scan sees: the desktop code as written (tests left out: they hold attack strings on purpose) and the page.
const stage = mkdtempSync(path.join(os.tmpdir(), 'kense-scan-'));
cpSync(path.join(root, 'electron'), path.join(stage, 'electron'), { recursive: true, filter: (f) => !/\.test\.ts$/.test(f) });
cpSync(page, path.join(stage, 'out', 'renderer', 'index.html'));
const CANARY = 'canary/insecure-window.ts';
const CANARY_EXPECTED = ['NODE_INTEGRATION_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'OPEN_EXTERNAL_JS_CHECK'];
mkdirSync(path.join(stage, 'canary'));
writeFileSync(
  path.join(stage, CANARY),
  [
    "import { BrowserWindow, shell } from 'electron';",
    'const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });',
    'void shell.openExternal(process.argv[2]);',
    'export default win;',
  ].join('\n'),
);

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

let result;
try {
  result = await run({ input: stage, isRelative: true, electronVersionOverride: electronVersion, severitySet: 'informational', confidenceSet: 'tentative', customScan: [], excludeFromScan: [] });
} finally {
  // Reviewed findings: the eng-disable comments with their reasons.
  const reviewed = files(stage).flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => /eng-disable/.test(line))
      .map(({ line, i }) => `${path.relative(stage, f)}:${i + 1}  ${line.trim().replace(/^.*?(\/\/|\/\*|<!--)\s*/, '')}`),
  );
  console.log(`\nreviewed in the code (${reviewed.length}):`);
  reviewed.forEach((r) => console.log(`  ${r}`));
  rmSync(stage, { recursive: true, force: true });
}

const ORDER = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const sev = (i) => String(i.severity?.name ?? i.severity).toUpperCase();
const conf = (i) => String(i.confidence?.name ?? i.confidence).toUpperCase();
const isCanary = (i) => i.file.split(path.sep).join('/') === CANARY;
const canaryFound = new Set(result.issues.filter(isCanary).map((i) => i.id));
const canaryMissed = CANARY_EXPECTED.filter((id) => !canaryFound.has(id));
console.log(`\ncanary (${CANARY}): ${canaryMissed.length ? `MISSED ${canaryMissed.join(', ')}` : `all ${CANARY_EXPECTED.length} planted mistakes found`}`);
result.issues = result.issues.filter((i) => !isCanary(i));
console.log(`\nelectronegativity ${electronVersion ? `(assuming Electron ${electronVersion})` : ''}: ${result.globalChecks} global and ${result.atomicChecks} atomic checks, ${result.issues.length} finding(s)`);
for (const i of result.issues) {
  console.log(`  ${sev(i).padEnd(13)} ${conf(i).padEnd(9)} ${i.id}  ${i.file}:${i.location.line}${i.manualReview ? '  (review)' : ''}${i.sample ? `\n      ${String(i.sample).trim().slice(0, 200)}` : ''}`);
}
const unparsed = result.errors.filter((e) => !e.tolerable);
unparsed.forEach((e) => console.log(`  NOT SCANNED ${e.file}: ${e.message}`));
const above = result.issues.filter((i) => ORDER.indexOf(sev(i)) > ORDER.indexOf('LOW'));
console.log(`security scan: ${above.length} finding(s) above LOW, ${unparsed.length} file(s) not parsed${canaryMissed.length ? ', canary missed' : ''}`);
process.exit(above.length || unparsed.length || canaryMissed.length ? 1 : 0);
