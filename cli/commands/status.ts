// `kense status`: the profile's sync state without changing anything (scripts and support read --json).
import type { CommandModule } from '../command';
import { parseFlags, usageFor } from '../args';
import { PROFILE_HELP, syncSummary, withCore } from '../shared/core-session';

const HELP = `kense status --profile DIR [--json]

Who is signed in and the sync state: online, last sync, pending changes, conflicts, rejected, stuck queue,
clock skew. Asks the cloud only whether it answers (online); nothing is sent or downloaded.
${PROFILE_HELP}  --json              {online, lastSyncAt, pendingMutations, conflicts, rejected, stuck, state, …}
Exit code: 0, or 1 when not signed in; 2 usage error.
`;

export const command: CommandModule = {
  summary: 'show the profile’s sync state (online, last sync, pending, conflicts, rejected)',
  async run(ctx) {
    const f = parseFlags<{ profile?: string; json?: boolean }>(ctx, 'status', HELP, { profile: { type: 'string' }, json: { type: 'boolean' } });
    if (typeof f === 'number') return f;
    if (!f.profile) return usageFor('status', HELP)(ctx, '--profile is required');
    return withCore(ctx, { profileDir: f.profile }, async ({ core, api }) => {
      const session = await api.invoke('session.status');
      const online = await core.require().client.call('health').then(() => true, () => false);
      const s = { ...(await api.invoke('sync.status')), online };
      const problems = (await api.invoke('sync.problems')).items;
      if (f.json) {
        ctx.stdout.write(
          `${JSON.stringify(
            {
              online: s.online, lastSyncAt: s.lastSyncAt, pendingMutations: s.pendingMutations, conflicts: s.conflicts, rejected: s.rejected, stuck: s.stuck,
              state: session.state === 'needs_sign_in' ? 'needs_sign_in' : !online && s.state === 'idle' ? 'offline' : s.state, clockSkewSeconds: s.clockSkewSeconds, lastError: s.lastError,
              profile: session.profile, problems,
            },
            null,
            2,
          )}\n`,
        );
        return 0;
      }
      const p = session.profile;
      ctx.stdout.write(`${p?.userName} (${p?.role}), ${p?.companyName} БИН ${p?.companyIinBin} — ${p?.cloudUrl}\n${syncSummary(s).line}\n`);
      for (const x of problems) ctx.stdout.write(`  ${x.status} ${x.name} ${x.target ? `${x.target.kind} ${x.target.id}` : ''}: ${x.error.message}\n`);
      return 0;
    });
  },
};
