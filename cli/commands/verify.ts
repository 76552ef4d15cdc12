import type { CommandModule } from '../main';

// Placeholder until the command is implemented; prints that plainly instead of pretending.
export const command: CommandModule = {
  summary: '(not implemented yet)',
  async run(ctx) {
    ctx.stderr.write('kense verify: not implemented yet\n');
    return 2;
  },
};
