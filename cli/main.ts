// The `kense` command: dispatches to one module per command; each module owns its flags and help.
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

const COMMANDS: Record<string, () => Promise<{ command: CommandModule }>> = {
  sign: () => import('./commands/sign'),
  verify: () => import('./commands/verify'),
  cert: () => import('./commands/cert'),
  trust: () => import('./commands/trust'),
  doctor: () => import('./commands/doctor'),
  'ncalayer-emulator': () => import('./commands/ncalayer-emulator'),
  cloud: () => import('./commands/cloud'),
  login: () => import('./commands/login'),
  sync: () => import('./commands/sync'),
  status: () => import('./commands/status'),
  acts: () => import('./commands/acts'),
};

function pickLocale(env: NodeJS.ProcessEnv): Locale {
  const raw = (env.KENSE_LANG ?? env.LC_ALL ?? env.LANG ?? '').toLowerCase();
  if (raw.startsWith('kk')) return 'kk';
  if (raw.startsWith('en') || raw.startsWith('c.') || raw === 'c' || raw === 'posix') return 'en';
  return raw.startsWith('ru') ? 'ru' : 'en';
}

/** Prints a KenseError (or anything else) the way a user should see it: what happened and what to do. */
export function printError(e: unknown, ctx: Pick<CommandContext, 'stderr' | 'locale'>): void {
  if (isKenseError(e)) {
    const { message, action } = e.localized(ctx.locale);
    ctx.stderr.write(`error ${e.code}: ${message}\n  → ${action}\n`);
    // Details never hold secrets (contract rule); the plain ones (which file, what was wrong) help here.
    const plain = Object.entries(e.details ?? {}).filter(([, v]) => typeof v === 'string' || typeof v === 'number');
    if (plain.length) ctx.stderr.write(`  (${plain.map(([k, v]) => `${k}: ${v}`).join('; ')})\n`);
    return;
  }
  const internal = new KenseError('INTERNAL');
  const { message, action } = internal.localized(ctx.locale);
  ctx.stderr.write(`error INTERNAL: ${message}\n  → ${action}\n`);
  if (process.env.KENSE_DEBUG) ctx.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
}

export async function runCli(argv: string[], io: Partial<CommandContext> = {}): Promise<number> {
  const env = io.env ?? process.env;
  const ctx: CommandContext = {
    argv: argv.slice(1),
    locale: io.locale ?? pickLocale(env),
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env,
  };
  const name = argv[0];
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write('kense — Kense Office command-line tool\n\nCommands:\n');
    for (const [cmd, load] of Object.entries(COMMANDS)) {
      const { command } = await load();
      ctx.stdout.write(`  ${cmd.padEnd(20)}${command.summary}\n`);
    }
    ctx.stdout.write('\nRun `kense <command> --help` for the options of a command.\n');
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    ctx.stderr.write(`Unknown command "${name}". Run \`kense --help\`.\n`);
    return 2;
  }
  try {
    const { command } = await load();
    return await command.run(ctx);
  } catch (e) {
    printError(e, ctx);
    return 1;
  }
}
