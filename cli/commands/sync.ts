// `kense sync`: pushes the profile's unsent changes and pulls what changed; one line says whether all is in sync.
import type { CommandModule } from '../command';
import { parseFlags, usageFor } from '../args';
import { PROFILE_HELP, syncSummary, withCore } from '../shared/core-session';

const HELP = `kense sync --profile DIR [--watch]

Sends unsent signatures and changes to the kense cloud and downloads what changed, then prints one line:
in sync / offline / not in sync, pending changes, conflicts, rejected, the last successful sync.
${PROFILE_HELP}  --watch             keep syncing (on change, on reconnect, every minute) and print a line when
                      the status changes; stop with Ctrl+C
Exit code: 0 when everything is in sync, 1 otherwise (offline, pending, conflicts, rejected), 2 usage error.
`;

interface Flags {
  profile?: string;
  watch?: boolean;
}

export const command: CommandModule = {
  summary: 'sync the profile with the kense cloud (push unsent changes, pull what changed)',
  async run(ctx) {
    const f = parseFlags<Flags>(ctx, 'sync', HELP, { profile: { type: 'string' }, watch: { type: 'boolean' } });
    if (typeof f === 'number') return f;
    if (!f.profile) return usageFor('sync', HELP)(ctx, '--profile is required');
    return withCore(ctx, { profileDir: f.profile, autoSync: f.watch === true }, async ({ api }) => {
      if (!f.watch) {
        const s = syncSummary(await api.invoke('sync.now', { wait: true }));
        ctx.stdout.write(`${s.line}\n`);
        return s.inSync ? 0 : 1;
      }
      let last = '';
      let inSync = false;
      const print = (line: string) => {
        if (line !== last) ctx.stdout.write(`${new Date().toISOString()} ${line}\n`);
        last = line;
      };
      const off = api.on('sync.status', (st) => {
        if (st.state === 'pulling' || st.state === 'pushing' || st.state === 'rebuilding') return;
        const s = syncSummary(st);
        inSync = s.inSync;
        print(s.line);
      });
      const first = syncSummary(await api.invoke('sync.now', { wait: true }));
      inSync = first.inSync;
      print(first.line);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      off();
      return inSync ? 0 : 1;
    });
  },
};
