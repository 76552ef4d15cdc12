#!/usr/bin/env node
// Entry of the `kense` command: loads the TypeScript CLI through tsx (no build step needed).
import { register } from 'tsx/esm/api';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

register();
const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');
const { runCli } = await import(pathToFileURL(main).href);
process.exitCode = await runCli(process.argv.slice(2));
