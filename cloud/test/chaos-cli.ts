// `npm run chaos:cloud -- --kills N [--storage pglite|postgres|both] [--writers W]`: the crash test for as long
// as wanted; prints kills / acknowledged / lost / duplicated / feed problems per storage and exits 1 on any loss.
// PostgreSQL needs KENSE_TEST_DATABASE_URL (or DATABASE_URL): a server the test may create a database on.
import { parseArgs } from 'node:util';
import os from 'node:os';
import { runChaos, type ChaosStorage } from './chaos';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '20' }, storage: { type: 'string', default: 'both' }, writers: { type: 'string', default: '6' }, quiet: { type: 'boolean' } } });
const kills = Number(values.kills);
if (!Number.isInteger(kills) || kills < 1) throw new Error('--kills must be a positive whole number');
const adminUrl = process.env.KENSE_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const wanted: ChaosStorage[] = values.storage === 'both' ? ['pglite', 'postgres'] : [values.storage as ChaosStorage];
let failed = false;
console.log(`kense cloud crash test: ${kills} kills per storage, ${values.writers} writers; node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
for (const storage of wanted) {
  if (storage === 'postgres' && !adminUrl) {
    console.log('SKIP postgres: set KENSE_TEST_DATABASE_URL (or DATABASE_URL) to a server the test may create a database on');
    continue;
  }
  const r = await runChaos({ storage, kills, adminUrl, writers: Number(values.writers), log: values.quiet ? undefined : (l) => console.log(`  ${l}`) });
  console.log(`${storage}: kills ${r.kills}, acknowledged ${r.acknowledged}, retried after a kill ${r.retried}, refused ${r.refused}, lost ${r.lost.length}, duplicated ${r.duplicated.length}, feed problems ${r.feed.length}; median restart ${r.restartMs} ms; self-check: ${r.selfCheck}; ${r.seconds} s`);
  for (const l of [...r.lost, ...r.duplicated, ...r.feed].slice(0, 20)) console.log(`  ! ${l}`);
  if (r.lost.length || r.duplicated.length || r.feed.length) failed = true;
}
process.exitCode = failed ? 1 : 0;
