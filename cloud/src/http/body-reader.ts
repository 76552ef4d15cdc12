// Request bodies read without a long turn of the event loop. Fastify's own reader joins the chunks with one
// Buffer.concat when the body ends: for a body of many megabytes that copy into fresh memory held the server's
// only thread for 60–120 ms (an 18 MiB import, measured; the page faults of the new buffer cost more than the
// copy). Here the chunks are handed on as they arrive (`pumpBody`, the accounting import streams them to its
// worker) or joined in slices that hand the event loop back every few milliseconds (`readBody`).
import type { Readable } from 'node:stream';
import { joinSliced } from '../slicer';

/** A refusal while reading: 413 (over the route's limit) or 400 (cut short, or longer than it said). */
export class BodyReadError extends Error {
  constructor(
    message: string,
    readonly statusCode: 400 | 413,
  ) {
    super(message);
  }
}

const tooLarge = () => new BodyReadError('request body is larger than this route takes', 413);

/** Refuses at once a body that announces more bytes than `limit` (the client is told before it sends them). */
export function checkDeclaredLength(contentLength: string | undefined, limit: number): void {
  if (Number(contentLength) > limit) throw tooLarge();
}

/**
 * Reads `payload` chunk by chunk, calling `onChunk` with each (a view that may share memory with the socket's
 * buffers: copy what must outlive the call). Resolves with the byte count at the end; rejects with BodyReadError
 * past `limit`, or when the body ends before (or after) its Content-Length.
 */
export function pumpBody(payload: Readable, limit: number, contentLength: string | undefined, onChunk: (chunk: Buffer) => void): Promise<number> {
  checkDeclaredLength(contentLength, limit);
  const declared = contentLength === undefined ? NaN : Number(contentLength);
  return new Promise((resolve, reject) => {
    let received = 0;
    const stop = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    // Past the limit the rest is not read: the answer (413, connection closed) goes out at once.
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > limit) {
        stop();
        reject(tooLarge());
        return;
      }
      try {
        onChunk(bytes);
      } catch (e) {
        stop();
        reject(e as Error);
      }
    };
    const onEnd = () => {
      stop();
      if (!Number.isNaN(declared) && received !== declared) reject(new BodyReadError('request body length differs from its Content-Length', 400));
      else resolve(received);
    };
    const onError = (e: Error) => {
      stop();
      reject(new BodyReadError(`request body could not be read: ${e.message}`, 400));
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    payload.resume();
  });
}

/** The whole body as one buffer of its own, read and joined without a long turn. */
export async function readBody(payload: Readable, limit: number, contentLength: string | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const total = await pumpBody(payload, limit, contentLength, (c) => chunks.push(c));
  return joinSliced(chunks, total);
}
