// Shared plumbing of the command modules: flag parsing with --help, usage errors, file arguments.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KenseError } from '../contract/errors';
import type { CommandContext } from './command';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `(ctx, problem) => 2`: prints the problem and the command's help to stderr. */
export function usageFor(name: string, help: string): (ctx: Pick<CommandContext, 'stderr'>, problem: string) => number {
  return (ctx, problem) => {
    ctx.stderr.write(`kense ${name}: ${problem}\n\n${help}`);
    return 2;
  };
}

/**
 * Parses `ctx.argv` strictly (no positionals unless `positionals: true`, then in `.positionals`).
 * Returns the flags, or an exit code when the command should stop: 0 after printing help for
 * --help/-h, 2 after a usage error.
 */
export function parseFlags<T>(ctx: CommandContext, name: string, help: string, options: Options, extra: { positionals?: boolean } = {}): T | number {
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: ctx.argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: extra.positionals === true }));
  } catch (e) {
    return usageFor(name, help)(ctx, (e as Error).message);
  }
  if (values.help) {
    ctx.stdout.write(help);
    return 0;
  }
  return (extra.positionals ? { ...values, positionals } : values) as T;
}

/** Reads a file named on the command line; a missing file is FILE_NOT_FOUND, not a stack trace. */
export function readFileArg(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw new KenseError('FILE_NOT_FOUND', { path: file });
    throw e;
  }
}

/** Temp file in the same folder + rename: a reader never sees half a signature. */
export function writeAtomically(file: string, bytes: Uint8Array | string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, bytes, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
