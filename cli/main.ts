// The `kense` command: dispatches to one module per command; each module owns its flags and help.
import type { Locale } from '../contract/errors';

export type { CommandContext, CommandModule } from './command';
import { printError, type CommandContext, type CommandModule } from './command';
export { printError } from './command';

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
