// The kill test in the suite (≥ 50 kills; KENSE_KILLS=N for more, or `npm run chaos -- --kills N`): core in a child
// process signs and syncs against the real cloud and is SIGKILLed at random moments; the database always opens
// sound, every act reported signed reaches the server, and the server holds no duplicate.
import { describe, expect, it } from 'vitest';
import { runChaos } from '../../../bench/core-chaos';

const KILLS = Math.max(50, Number(process.env.KENSE_KILLS ?? 50));
const SEED = Number(process.env.KENSE_CHAOS_SEED ?? 20261204);

describe(`kill test (${KILLS} kills, seed ${SEED})`, () => {
  it(
    'nothing reported signed is lost, nothing is doubled, the database always opens',
    async () => {
      const r = await runChaos({ kills: KILLS, seed: SEED, acts: 600, maxLifeMs: 2500, log: (l) => console.log(`chaos: ${l}`) });
      console.log(`chaos: ${JSON.stringify(r)}`);
      expect(r.integrityFailures).toBe(0);
      expect(r.reported).toBeGreaterThan(10);
      expect(r.lost).toBe(0);
      expect(r.duplicated).toBe(0);
      expect(r.final).toMatch(/^FINAL pending=0 conflicts=0 rejected=0 error=none/);
    },
    15 * 60_000,
  );
});
