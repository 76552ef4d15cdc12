// The trust decision of `kense cloud serve`: a command line that names the mode gets it and records it, one that
// names none keeps the record, and the same command line twice gives the same mode.
import { describe, expect, it } from 'vitest';
import { decideTrust, type TrustFacts, type TrustRecord } from './trust-record';

const now = new Date('2026-05-04T10:00:00+05:00');
const rec = (mode: TrustRecord['mode'], how: TrustRecord['how'] = 'seed'): TrustRecord => ({ mode, how, at: '2026-05-01T05:00:00.000Z' });
const facts = (recorded: TrustRecord | null, demoTenant = false): TrustFacts => ({ recorded, demoTenant });

/** Runs one start and returns the facts the next start sees. */
const after = (f: TrustFacts, o: Parameters<typeof decideTrust>[0]): TrustFacts => {
  const d = decideTrust(o, f, now);
  return { recorded: d.record ?? f.recorded, demoTenant: d.demoTenant };
};

describe('decideTrust', () => {
  it('a new storage: production by default, test with --seed demo; either is recorded', () => {
    const plain = decideTrust({ seedDemo: false }, facts(null), now);
    expect(plain).toMatchObject({ mode: 'production', source: 'default', changed: false, demoUnderProduction: false, record: { mode: 'production', how: 'default' } });
    const demo = decideTrust({ seedDemo: true }, facts(null), now);
    expect(demo).toMatchObject({ mode: 'test', source: 'seed', changed: false, record: { mode: 'test', how: 'seed', at: now.toISOString() } });
  });

  it('a demo folder restarted without --seed keeps test trust, and the record is left as it is', () => {
    const d = decideTrust({ seedDemo: false }, facts(rec('test'), true), now);
    expect(d).toMatchObject({ mode: 'test', source: 'recorded', record: null, changed: false, demoUnderProduction: false });
  });

  it('a demo folder seeded before records existed is found to be test, and that is recorded', () => {
    const d = decideTrust({ seedDemo: false }, facts(null, true), now);
    expect(d).toMatchObject({ mode: 'test', source: 'demo-data', record: { mode: 'test', how: 'demo-data' } });
  });

  it('--trust that differs from the record wins, is flagged as a change and recorded; demo data under production is flagged', () => {
    const d = decideTrust({ flag: 'production', seedDemo: false }, facts(rec('test'), true), now);
    expect(d).toMatchObject({ mode: 'production', source: 'flag', changed: true, demoUnderProduction: true, record: { mode: 'production', how: 'flag' } });
    expect(decideTrust({ flag: 'production', seedDemo: true }, facts(null), now)).toMatchObject({ mode: 'production', demoUnderProduction: true, changed: false });
  });

  it('--trust equal to the record changes nothing; an unrecorded production storage without demo data has no warning', () => {
    expect(decideTrust({ flag: 'test', seedDemo: false }, facts(rec('test')), now)).toMatchObject({ mode: 'test', record: null, changed: false });
    expect(decideTrust({ seedDemo: false }, facts(rec('production', 'default')), now)).toMatchObject({ mode: 'production', demoUnderProduction: false });
  });

  it('--seed demo on a storage recorded as production makes it test (the command line names the mode)', () => {
    const d = decideTrust({ seedDemo: true }, facts(rec('production', 'default')), now);
    expect(d).toMatchObject({ mode: 'test', source: 'seed', changed: true, record: { mode: 'test', how: 'seed' } });
  });

  it('the same command line twice gives the same mode, whatever came before', () => {
    const lines: Parameters<typeof decideTrust>[0][] = [{ seedDemo: false }, { seedDemo: true }, { flag: 'test', seedDemo: false }, { flag: 'production', seedDemo: false }, { flag: 'production', seedDemo: true }];
    const starts: TrustFacts[] = [facts(null), facts(null, true), facts(rec('test'), true), facts(rec('production', 'flag'), true), facts(rec('production', 'default'))];
    for (const start of starts) {
      for (const before of lines) {
        const f = after(start, before);
        for (const line of lines) {
          const once = decideTrust(line, f, now);
          const twice = decideTrust(line, after(f, line), now);
          expect(twice.mode, JSON.stringify({ start, before, line })).toBe(once.mode);
          expect(twice.record, 'a repeat writes nothing').toBeNull();
        }
      }
    }
  });
});
