import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyReadError, checkDeclaredLength, pumpBody, readBody } from './body-reader';
import { joinSliced, turnsDuring } from '../slicer';

/** A request body as a stream: the chunks, then the end (or not). */
function body(chunks: (string | Buffer)[], end = true): PassThrough {
  const s = new PassThrough();
  for (const c of chunks) s.write(c);
  if (end) s.end();
  return s;
}

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: BodyReadError) => ({ status: e.statusCode, kind: e instanceof BodyReadError }));

describe('request bodies read without a long turn', () => {
  it('reads the bytes as sent, whatever the chunks, and an empty body as empty', async () => {
    const text = '{"name":"ТОО «Ромашка»","n":[1,2,3]}';
    const bytes = Buffer.from(text);
    // Cut inside a two-byte letter too.
    expect((await readBody(body([bytes.subarray(0, 11), bytes.subarray(11, 12), bytes.subarray(12)]), 1000, String(bytes.length))).toString()).toBe(text);
    expect((await readBody(body([text]), 1000, undefined)).toString()).toBe(text);
    expect((await readBody(body([]), 1000, '0')).length).toBe(0);
  });

  it('a body over the limit is 413 — at once when its Content-Length says so, else as soon as the limit is passed', async () => {
    expect(() => checkDeclaredLength('1001', 1000)).toThrow(BodyReadError);
    expect(() => checkDeclaredLength('1000', 1000)).not.toThrow();
    expect(() => checkDeclaredLength(undefined, 1000)).not.toThrow();
    expect(await refusal(readBody(body([]), 1000, '5000'))).toEqual({ status: 413, kind: true });
    // No Content-Length (chunked) and no end: refused once 1000 bytes are passed, the rest is not awaited.
    const seen: number[] = [];
    const open = body(['x'.repeat(600), 'x'.repeat(600)], false);
    expect(await refusal(pumpBody(open, 1000, undefined, (c) => seen.push(c.length)))).toEqual({ status: 413, kind: true });
    expect(seen).toEqual([600]);
    expect(open.listenerCount('data')).toBe(0);
  });

  it('a body that ends before (or after) its Content-Length, or breaks off, is 400', async () => {
    expect(await refusal(readBody(body(['{"a":1}']), 1000, '100'))).toEqual({ status: 400, kind: true });
    expect(await refusal(readBody(body(['{"a":1}']), 1000, '3'))).toEqual({ status: 400, kind: true });
    const broken = body(['{"a":'], false);
    const read = refusal(readBody(broken, 1000, undefined));
    broken.destroy(new Error('aborted'));
    expect(await read).toEqual({ status: 400, kind: true });
  });

  it('joining 32 MiB of chunks hands the event loop back (one Buffer.concat would give it one turn)', async () => {
    const chunks = Array.from({ length: 512 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const { value: joined, turns } = await turnsDuring(() => joinSliced(chunks, 512 * 64 * 1024));
    expect(joined.equals(Buffer.concat(chunks))).toBe(true);
    expect(turns).toBeGreaterThan(1);
  });
});
