// One process per PGlite folder: processes racing for the folder's OS lock at the same instant, many times —
// exactly one wins each time; the loser learns who holds it; kill -9 of the holder frees the folder at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isKenseError } from '../../../contract/errors';
import { HOLDER_FILE, lockStorage } from './storage-lock';

const RACER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/lock-racer.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-lock-'));
const folder = path.join(dir, 'data');

interface Racer {
  child: ChildProcess;
  next(): Promise<string>;
  send(line: string): void;
}

function racer(): Promise<Racer> {
  const child = spawn(process.execPath, ['--import', 'tsx', RACER, folder], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => (waiting.length ? waiting.shift()!(l) : lines.push(l)));
  const next = () => new Promise<string>((r) => (lines.length ? r(lines.shift()!) : waiting.push(r)));
  const r = { child, next, send: (l: string) => child.stdin!.write(`${l}\n`) };
  return next().then((first) => {
    expect(first).toBe('ready');
    return r;
  });
}

let racers: Racer[] = [];
beforeAll(async () => {
  racers = await Promise.all([racer(), racer(), racer(), racer()]);
}, 60_000);
afterAll(() => {
  for (const r of racers) r.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Every live racer tries at the same instant; returns the answers in racer order. */
async function round(live: Racer[]): Promise<string[]> {
  for (const r of live) r.send('take');
  return Promise.all(live.map((r) => r.next()));
}

it('processes taking the folder at the same instant, 30 times: exactly one wins each time, the others are refused at once', async () => {
  const wins = new Map<number, number>();
  for (let i = 0; i < 30; i++) {
    const answers = await round(racers);
    const won = answers.map((a, k) => (a.startsWith('won') ? k : -1)).filter((k) => k >= 0);
    expect(won, `round ${i}: ${answers.join(', ')}`).toHaveLength(1);
    expect(answers.filter((a) => a.startsWith('busy'))).toHaveLength(racers.length - 1);
    wins.set(won[0], (wins.get(won[0]) ?? 0) + 1);
    // Now that the winner's note is written, a refused process is told who holds the folder.
    const other = racers[(won[0] + 1) % racers.length];
    other.send('take');
    expect(await other.next()).toBe(`busy ${racers[won[0]].child.pid}`);
    racers[won[0]].send('release');
    expect(await racers[won[0]].next()).toBe('released');
  }
  // A real race: more than one process won over the rounds.
  expect(wins.size).toBeGreaterThan(1);
}, 60_000);

it('kill -9 of the holder frees the folder at once (before the dead process is reaped); the note names the holder', async () => {
  const [victim, ...rest] = racers;
  victim.send('take');
  expect(await victim.next()).toBe(`won ${victim.child.pid}`);
  // No one reaps the child before the next take: the OS released the lock when the process died.
  process.kill(victim.child.pid!, 'SIGKILL');
  let answer = '';
  for (let i = 0; i < 100 && !answer.startsWith('won'); i++) {
    rest[0].send('take');
    answer = await rest[0].next();
    if (!answer.startsWith('won')) await new Promise((r) => setTimeout(r, 5));
  }
  expect(answer).toBe(`won ${rest[0].child.pid}`);
  racers = rest;
  rest[0].send('release');
  expect(await rest[0].next()).toBe('released');
});

it('in this process: a second take of a held folder is refused too, with the holder named; release lets the next one in', async () => {
  const own = path.join(dir, 'own');
  const a = await lockStorage(own, 'test holder');
  try {
    await lockStorage(own, 'second');
    expect.unreachable('the second take must be refused');
  } catch (e) {
    expect(isKenseError(e, 'STORAGE_IN_USE')).toBe(true);
    expect((e as { details: Record<string, unknown> }).details).toMatchObject({ folder: own, holderPid: process.pid, holderCommand: 'test holder', holderHost: os.hostname() });
  }
  a.release();
  const b = await lockStorage(own, 'third');
  b.release();
  expect(() => rmSync(path.join(own, HOLDER_FILE))).toThrow(); // the note goes with the lock
});
