// Canonical JSON: sorted keys, no whitespace, integers only, UTF-8. The bytes a signature covers are made
// with it once and then stored; they are never re-serialized for verification.
import { createHash } from 'node:crypto';

function canon(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new TypeError('canonical JSON allows only safe integers');
    return String(v);
  }
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canon(x)}`).join(',')}}`;
  }
  throw new TypeError(`cannot serialize ${typeof v}`);
}

export function canonicalJson(v: unknown): string {
  return canon(v);
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
