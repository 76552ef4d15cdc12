// The kill test: core in a child process signs acts and syncs with the real cloud; SIGKILL at random moments (while
// signing, pushing, pulling, re-downloading). After each restart the database must open and pass integrity_check;
// at the end every act reported signed must be on the server, and the server must hold no duplicate.
// `npm run chaos -- --kills N [--seed S]` prints kills / lost / duplicated; the suite runs it with ≥ 50 kills.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEAD_P12, bundleScript, duplicateSignatures, seeded, serverSignedActIds, startTestCloud, tempDir } from './core-kit';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ChaosReport {
  kills: number;
  /** Acts the child reported signed (its transaction had committed). */
  reported: number;
  /** Reported signed, yet not on the server after the final sync. */
  lost: number;
  /** Acts the server holds more than one signature of ours for. */
  duplicated: number;
  integrityFailures: number;
  /** Kills that landed while the child was busy with each kind of work (what it last said). */
  killedDuring: Record<string, number>;
  relogins: number;
  final: string;
  ms: number;
}

interface Run {
  lines: string[];
  exit: Promise<number | null>;
  kill(): void;
  ready: Promise<boolean>;
}

function runChild(script: string, env: Record<string, string>): Run {
  const child = spawn(process.execPath, [script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  let readyResolve: (v: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((r) => (readyResolve = r));
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      if (line === 'READY') readyResolve(true);
    }
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      readyResolve(false);
      if (code !== null && code !== 0 && err) lines.push(`STDERR ${err.slice(0, 500)}`);
      r(code);
    }),
  );
  return { lines, exit, ready, kill: () => child.kill('SIGKILL') };
}

/**
 * kense's side keeps work coming: outgoing drafts (awaiting our signature) created over the cloud API, so a long run
 * does not run out of acts to sign.
 */
async function topUpDrafts(url: string, n: number, tag: string): Promise<void> {
  const call = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const res = await fetch(`${url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const login = await call('/v1/auth/password', { method: 'POST', body: JSON.stringify({ iin: '123456789011', password: 'Kense-Demo-2026!' }) });
  const token = login.accessToken as string;
  const cps = (await call('/v1/counterparties?limit=5', { token })).items as { id: string }[];
  const today = new Date(Date.now() + 5 * 3600_000).toISOString().slice(0, 10);
  for (let i = 0; i < n; i++) {
    await call('/v1/acts', {
      method: 'POST',
      token,
      body: JSON.stringify({
        counterpartyId: cps[i % cps.length].id, number: `CH-${tag}-${i}`, date: today,
        lines: [{ name: 'Услуги по договору', performedOn: today, unit: 'усл.', quantity: '1', price: 100_000 + i }],
        handedOver: { position: 'Директор', name: 'Тестов Т.' },
      }),
    });
  }
  await call('/v1/auth/logout', { method: 'POST', token }).catch(() => undefined);
}

export async function runChaos(o: { kills: number; seed?: number; acts?: number; maxLifeMs?: number; log?: (line: string) => void }): Promise<ChaosReport> {
  const started = Date.now();
  const random = seeded(o.seed ?? 1);
  const script = await bundleScript('core-chaos-child');
  const cloud = await startTestCloud({ acts: o.acts ?? 1500 });
  const profile = tempDir('kense-chaos-');
  const env = { KENSE_CHAOS_ROOT: profile.dir, KENSE_CHAOS_CLOUD: cloud.url, KENSE_CHAOS_P12: HEAD_P12 };
  const reported = new Set<string>();
  const killedDuring: Record<string, number> = {};
  let integrityFailures = 0;
  let relogins = 0;
  const take = (lines: string[]) => {
    for (const l of lines) {
      if (l.startsWith('SIGNED ')) reported.add(l.slice(7));
      if (l.startsWith('OPEN ') && !l.startsWith('OPEN ok')) integrityFailures++;
      if (l === 'RELOGIN') relogins++;
      if (l.startsWith('CRASH') || l.startsWith('STDERR')) o.log?.(`child: ${l}`);
    }
  };
  try {
    for (let k = 0; k < o.kills; k++) {
      if (k > 0 && k % 25 === 0) await topUpDrafts(cloud.url, 30, `${o.seed ?? 1}-${k}`);
      const run = runChild(script, { ...env, KENSE_CHAOS_SEED: String(Math.floor(random() * 2 ** 31)) });
      if (!(await run.ready)) {
        take(run.lines);
        throw new Error(`the child did not start:\n${run.lines.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, Math.floor(random() * (o.maxLifeMs ?? 1500))));
      const last = [...run.lines].reverse().find((l) => /^(SIGNED|NOTSIGNED|SYNCED|RESYNCED|READY|EXHAUSTED)/.test(l)) ?? 'READY';
      const doing = last.startsWith('SIGNED') || last.startsWith('NOTSIGNED') ? 'sync after signing' : last.startsWith('SYNCED') || last === 'READY' ? 'signing or pulling' : last === 'RESYNCED' ? 'after a re-download' : last;
      killedDuring[doing] = (killedDuring[doing] ?? 0) + 1;
      run.kill();
      await run.exit;
      take(run.lines);
      if ((k + 1) % 50 === 0) o.log?.(`${k + 1} kills, ${reported.size} acts reported signed`);
    }
    const fin = runChild(script, { ...env, KENSE_CHAOS_FINAL: '1' });
    await fin.exit;
    take(fin.lines);
    const final = fin.lines.find((l) => l.startsWith('FINAL')) ?? `no final line: ${fin.lines.slice(-5).join(' | ')}`;
    const onServer = await serverSignedActIds(cloud);
    const lost = [...reported].filter((id) => !onServer.has(id)).length;
    const duplicated = (await duplicateSignatures(cloud)).length;
    return { kills: o.kills, reported: reported.size, lost, duplicated, integrityFailures, killedDuring, relogins, final, ms: Date.now() - started };
  } finally {
    await cloud.close();
    profile.remove();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name: string, d: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  const kills = flag('--kills', 100);
  const seed = flag('--seed', Date.now() % 100_000);
  console.log(`kense chaos: ${kills} kills, seed ${seed}`);
  runChaos({ kills, seed, acts: flag('--acts', 1500), maxLifeMs: flag('--max-life-ms', 2500), log: (l) => console.log(l) })
    .then((r) => {
      console.log(`kills ${r.kills}, reported signed ${r.reported}, lost ${r.lost}, duplicated ${r.duplicated}, integrity failures ${r.integrityFailures}, re-sign-ins ${r.relogins}`);
      console.log(`killed during: ${JSON.stringify(r.killedDuring)}; ${r.final}; ${(r.ms / 1000).toFixed(0)} s`);
      process.exitCode = r.lost === 0 && r.duplicated === 0 && r.integrityFailures === 0 ? 0 : 1;
    })
    .catch((e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    });
}
