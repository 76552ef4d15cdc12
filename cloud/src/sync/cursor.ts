// The opaque sync cursor: company, database epoch, sequence position with the mark of its feed segment (restore
// detection, feed-segments.ts), and the scope it was served under.
// It needs no signature: a forged cursor can only cause tombstones or a re-send of rows the *current*
// scope allows, because every row sent as data is filtered by the caller's current role and branch.
import { KenseError } from '../../../contract/errors';

export interface Cursor {
  c: string;
  e: string;
  s: number;
  k: string;
  /** Mark of the feed segment holding position `s` ('' for 0); absent in cursors from before segments existed. */
  m?: string;
  /** A re-scoping pass in progress: target scope key and position within (0, s]. */
  t?: { k: string; p: number };
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify({ v: 2, ...c })).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    const o = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor & { v: number };
    const ok = (o.v === 1 || o.v === 2) && typeof o.c === 'string' && typeof o.e === 'string' && Number.isSafeInteger(o.s) && o.s >= 0 && typeof o.k === 'string' &&
      (o.v === 1 || typeof o.m === 'string') && (o.t === undefined || (typeof o.t.k === 'string' && Number.isSafeInteger(o.t.p) && o.t.p >= 0));
    if (!ok) throw new Error('shape');
    return { c: o.c, e: o.e, s: o.s, k: o.k, ...(o.v === 2 ? { m: o.m } : {}), ...(o.t ? { t: { k: o.t.k, p: o.t.p } } : {}) };
  } catch {
    throw new KenseError('CURSOR_INVALID');
  }
}
