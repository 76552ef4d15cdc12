// НУЦ РК root and CA certificates found in the operating system's certificate store. NCALayer installs
// them there, so on a user's machine this often fills an otherwise empty shipped trust store.
// Best effort: a store that cannot be read yields nothing and a note, never an error.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseCertificate } from './certificate';
import type { KzCertificate } from './types';

export interface OsStoreOptions {
  platform?: NodeJS.Platform;
  /** Runs a program and returns its stdout (injected in tests; child_process by default). */
  run?: (file: string, args: string[]) => string;
  /** Linux: folders of PEM/DER files (default /etc/ssl/certs and the local CA folders). */
  linuxDirs?: string[];
  /** Keep test CAs ("… TEST …") too; off for production trust. */
  includeTest?: boolean;
}

export interface OsStoreResult {
  certificates: KzCertificate[];
  /** Where we looked and what went wrong, for `kense doctor` and logs. */
  notes: string[];
}

const DEFAULT_LINUX_DIRS = ['/etc/ssl/certs', '/usr/local/share/ca-certificates', '/etc/pki/ca-trust/source/anchors'];

/** Windows: root and intermediate stores of the user and the machine, one base64 DER per line. */
const POWERSHELL_SCRIPT =
  'Get-ChildItem Cert:\\CurrentUser\\Root,Cert:\\LocalMachine\\Root,Cert:\\CurrentUser\\CA,Cert:\\LocalMachine\\CA | ' +
  'ForEach-Object { [Convert]::ToBase64String($_.RawData) }';

function defaultRun(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: 'utf8', timeout: 15_000, maxBuffer: 64 * 1024 * 1024, windowsHide: true, stdio: ['ignore', 'pipe', 'ignore'] });
}

/**
 * НУЦ РК CA names: «ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ …», «НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ …», older «ҰКО 3.0 …»,
 * «НЕГІЗГІ КО …». A Kazakh commercial TLS CA in the same store is not a signing-certificate authority.
 */
export function isNucCa(c: KzCertificate, includeTest = false): boolean {
  if (!c.isCa || c.country !== 'KZ') return false;
  const cn = (c.commonName ?? '').toUpperCase();
  if (!includeTest && /\bTEST\b/.test(cn)) return false;
  // (\b is ASCII-only in JavaScript, so Cyrillic words end at whitespace or the end.)
  return /КУӘЛАНДЫРУШЫ ОРТАЛЫҚ|^ҰКО(?:\s|$)|^НЕГІЗГІ КО(?:\s|$)|НАЦИОНАЛЬНЫЙ УДОСТОВЕРЯЮЩИЙ ЦЕНТР/.test(cn);
}

const PEM_RE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** Every certificate in a text blob of PEM blocks. */
export function splitPem(text: string): Uint8Array[] {
  return [...text.matchAll(PEM_RE)].map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
}

function filesUnder(dir: string, depth = 0): string[] {
  if (depth > 3 || !existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    try {
      const st = statSync(p); // follows the symlinks /etc/ssl/certs is made of
      if (st.isDirectory()) return filesUnder(p, depth + 1);
      return st.isFile() && st.size < 4 * 1024 * 1024 ? [p] : [];
    } catch {
      return [];
    }
  });
}

function readLinux(dirs: string[], notes: string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const dir of dirs) {
    const files = filesUnder(dir);
    if (files.length) notes.push(`read ${files.length} files under ${dir}`);
    for (const f of files) {
      if (!/\.(pem|crt|cer|der)$/i.test(f)) continue;
      const bytes = readFileSync(f);
      const text = bytes.toString('latin1');
      if (text.includes('-----BEGIN CERTIFICATE-----')) out.push(...splitPem(text));
      else if (bytes[0] === 0x30) out.push(new Uint8Array(bytes));
    }
  }
  return out;
}

function readWindows(run: NonNullable<OsStoreOptions['run']>): Uint8Array[] {
  const text = run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', POWERSHELL_SCRIPT]);
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^[A-Za-z0-9+/]+={0,2}$/.test(l))
    .map((l) => new Uint8Array(Buffer.from(l, 'base64')));
}

function readMac(run: NonNullable<OsStoreOptions['run']>, notes: string[]): Uint8Array[] {
  const keychains = [
    '/Library/Keychains/System.keychain',
    '/System/Library/Keychains/SystemRootCertificates.keychain',
    path.join(homedir(), 'Library/Keychains/login.keychain-db'),
  ];
  const out: Uint8Array[] = [];
  for (const k of keychains) {
    try {
      out.push(...splitPem(run('/usr/bin/security', ['find-certificate', '-a', '-p', k])));
    } catch (e) {
      notes.push(`cannot read keychain ${k}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return out;
}

/** Reads the OS store and keeps the НУЦ РК CA certificates (deduplicated by SHA-256). */
export function readOsStoreCertificates(opts: OsStoreOptions = {}): OsStoreResult {
  const platform = opts.platform ?? process.platform;
  const run = opts.run ?? defaultRun;
  const notes: string[] = [];
  let raw: Uint8Array[] = [];
  try {
    if (platform === 'win32') raw = readWindows(run);
    else if (platform === 'darwin') raw = readMac(run, notes);
    else raw = readLinux(opts.linuxDirs ?? DEFAULT_LINUX_DIRS, notes);
  } catch (e) {
    notes.push(`OS certificate store not readable: ${(e as Error).message.split('\n')[0]}`);
  }
  const seen = new Set<string>();
  const certificates: KzCertificate[] = [];
  for (const der of raw) {
    let c: KzCertificate;
    try {
      c = parseCertificate(der);
    } catch {
      continue; // EC/Ed25519 roots and oddities: not ours
    }
    if (seen.has(c.sha256) || !isNucCa(c, opts.includeTest)) continue;
    seen.add(c.sha256);
    certificates.push(c);
  }
  notes.push(`${certificates.length} НУЦ РК CA certificate(s) found among ${raw.length} in the ${platform} store`);
  return { certificates, notes };
}
