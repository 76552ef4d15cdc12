// Canonical JSON: sorted keys, no whitespace, integers only, UTF-8. The bytes a signature covers are made
// with it once and then stored; they are never re-serialized for verification.
import { createHash } from 'node:crypto';
import { Slicer } from './slicer';

/** Deeper nesting than any document of ours: refused instead of running out of stack. */
const MAX_DEPTH = 64;

function canon(v: unknown, anyNumber: boolean, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError('canonical JSON: nested too deeply');
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (anyNumber ? !Number.isFinite(v) : !Number.isSafeInteger(v)) throw new TypeError('canonical JSON allows only safe integers');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map((x) => canon(x, anyNumber, depth + 1)).join(',')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canon(x, anyNumber, depth + 1)}`).join(',')}}`;
  }
  throw new TypeError(`cannot serialize ${typeof v}`);
}

export function canonicalJson(v: unknown): string {
  return canon(v, false, 0);
}

/**
 * SHA-256 of any parsed JSON value, independent of key order (idempotency keys of client input, which may hold
 * numbers that are not integers). Throws TypeError only for nesting deeper than 64 levels.
 */
export function jsonDigest(v: unknown): string {
  return sha256Hex(canon(v, true, 0));
}

const STREAMED_LEVELS = 3;

/**
 * The same digest as `jsonDigest`, with the elements of long arrays (up to three levels down, as the rows of an
 * accounting import inside `{route, body}`) hashed one by one and the event loop handed back between slices.
 */
export async function jsonDigestSliced(v: unknown, slicer = new Slicer()): Promise<string> {
  const h = createHash('sha256');
  const walk = async (x: unknown, level: number): Promise<void> => {
    if (level <= STREAMED_LEVELS && Array.isArray(x) && x.length > 256) {
      h.update('[');
      for (let i = 0; i < x.length; i++) {
        if (i > 0) h.update(',');
        h.update(canon(x[i], true, level + 1));
        if ((i & 63) === 63) await slicer.step();
      }
      h.update(']');
      return;
    }
    if (level < STREAMED_LEVELS && x !== null && typeof x === 'object' && !Array.isArray(x)) {
      const entries = Object.entries(x as Record<string, unknown>).filter(([, y]) => y !== undefined);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      h.update('{');
      for (let i = 0; i < entries.length; i++) {
        h.update(`${i > 0 ? ',' : ''}${JSON.stringify(entries[i][0])}:`);
        await walk(entries[i][1], level + 1);
      }
      h.update('}');
      return;
    }
    h.update(canon(x, true, level));
  };
  await walk(v, 0);
  return h.digest('hex');
}

export interface CanonicalBytes {
  format: string;
  bytes: Uint8Array;
  sha256: string;
}

export function canonicalBytes(format: string, v: unknown): CanonicalBytes {
  const bytes = new Uint8Array(Buffer.from(canonicalJson(v), 'utf8'));
  return { format, bytes, sha256: sha256Hex(bytes) };
}

export function sha256Hex(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}
