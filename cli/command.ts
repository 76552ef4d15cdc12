// What every `kense` command is: its context (argv, locale, streams, environment), its module shape, and how an
// error reaches the user. Commands import this, never cli/main.ts (which imports them).
import { KenseError, isKenseError, type Locale } from '../contract/errors';

export interface CommandContext {
  argv: string[];
  locale: Locale;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface CommandModule {
  summary: string;
  /** Returns the process exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/** Prints a KenseError (or anything else) the way a user should see it: what happened and what to do. */
export function printError(e: unknown, ctx: Pick<CommandContext, 'stderr' | 'locale'>): void {
  if (isKenseError(e)) {
    const { message, action } = e.localized(ctx.locale);
    ctx.stderr.write(`error ${e.code}: ${message}\n  → ${action}\n`);
    // Details never hold secrets (contract rule); the plain ones (which file, what was wrong) help here.
    const plain = Object.entries(e.details ?? {}).filter(([, v]) => typeof v === 'string' || typeof v === 'number');
    if (plain.length) ctx.stderr.write(`  (${plain.map(([k, v]) => `${k}: ${v}`).join('; ')})\n`);
    // INVALID_INPUT says "correct the marked fields": a terminal has no marks, so name each field and its problem.
    const fields = (e.details as { fields?: unknown } | undefined)?.fields;
    if (Array.isArray(fields)) {
      for (const f of fields.slice(0, 10) as { path?: unknown; message?: unknown }[]) {
        if (typeof f?.path === 'string') ctx.stderr.write(`  ${f.path}: ${typeof f.message === 'string' ? f.message : 'invalid'}\n`);
      }
    }
    return;
  }
  const internal = new KenseError('INTERNAL');
  const { message, action } = internal.localized(ctx.locale);
  ctx.stderr.write(`error INTERNAL: ${message}\n  → ${action}\n`);
  if (process.env.KENSE_DEBUG) ctx.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
}
