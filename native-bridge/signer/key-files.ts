// Finding НУЦ РК key files on disk: recursive *.p12 scan with bounds, the usual places people keep
// them (home, Desktop, Documents, Downloads, USB sticks), and what a file name tells (§4 naming).
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface KeyFileName {
  /** AUTH_RSA256 / RSA256 / GOSTKNCA / GOST512 as НУЦ names the files, or undefined for other names. */
  kind?: 'AUTH_RSA256' | 'RSA256' | 'GOSTKNCA' | 'GOST512';
  /** Subject key identifier from the name (= NCALayer alias), lower-case hex. */
  ski?: string;
  purpose?: 'authentication' | 'signature';
}

/** `AUTH_RSA256_<SKI>.p12`, `RSA256_<SKI>.p12`, `GOSTKNCA_<SKI>.p12`, `GOST512_<SKI>.p12` (NCALAYER_AND_PKI.md §4). */
export function parseKeyFileName(file: string): KeyFileName {
  const m = path.basename(file).match(/^(AUTH_RSA256|RSA256|GOSTKNCA|GOST512)_([0-9a-fA-F]{40})\.p12$/);
  if (!m) return {};
  const kind = m[1] as KeyFileName['kind'];
  // GOST-2015 keys do both; the name does not say, so signature is what matters for acts.
  return { kind, ski: m[2].toLowerCase(), purpose: kind === 'AUTH_RSA256' ? 'authentication' : 'signature' };
}

export interface ScanOptions {
  maxDepth?: number;
  maxFiles?: number;
  /** Stop descending into folders after this many entries in total (a home folder can be huge). */
  maxEntries?: number;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.cache', 'Library', 'AppData', '.npm', '.local', 'proc', 'sys']);

/** *.p12 files under `root`, breadth-first, bounded. Unreadable folders are skipped silently. */
export async function findKeyFiles(root: string, o: ScanOptions = {}): Promise<string[]> {
  const maxDepth = o.maxDepth ?? 6;
  const maxFiles = o.maxFiles ?? 500;
  let budget = o.maxEntries ?? 50_000;
  const found: string[] = [];
  let level: string[] = [root];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (--budget < 0) return found.sort();
        const p = path.join(dir, e.name);
        if (e.isFile() && /\.p12$/i.test(e.name)) {
          found.push(p);
          if (found.length >= maxFiles) return found.sort();
        } else if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) next.push(p);
      }
    }
    level = next;
  }
  return found.sort();
}

/** Where НУЦ keys usually live: home and its common folders, and mounted removable media. */
export async function usualKeyPlaces(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<{ path: string; depth: number }[]> {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  const places: { path: string; depth: number }[] = [
    // Keys are often unpacked into a folder of their own (~/ЭЦП/…, ~/keys/2026/…): look two levels down.
    { path: home, depth: 2 },
    ...['Desktop', 'Documents', 'Downloads', 'Рабочий стол', 'Документы', 'Загрузки'].map((d) => ({ path: path.join(home, d), depth: 3 })),
  ];
  const mounts = platform === 'win32' ? [] : platform === 'darwin' ? ['/Volumes'] : ['/media', '/mnt', '/run/media'];
  for (const m of mounts) places.push({ path: m, depth: 4 });
  if (platform === 'win32') {
    // Drive letters other than the system drive: USB sticks with keys show up as D:, E:, …
    for (const letter of 'DEFGHIJKLMNOPQRSTUVWXYZ') {
      const drive = `${letter}:\\`;
      try {
        await stat(drive);
        places.push({ path: drive, depth: 2 });
      } catch {
        // no such drive
      }
    }
  }
  const out: { path: string; depth: number }[] = [];
  for (const p of places) {
    try {
      if ((await stat(p.path)).isDirectory()) out.push(p);
    } catch {
      // absent
    }
  }
  return out;
}
