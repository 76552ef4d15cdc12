// Canonical JSON: sorted keys, no whitespace, integers only, UTF-8. The bytes a signature covers are made
// with it once and then stored; they are never re-serialized for verification.
import { createHash } from 'node:crypto';

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
