// A static update feed on 127.0.0.1 — what updates.kense.app serves (channel files, installers, block maps) — with
// HTTP byte ranges (single and multipart, as differential download asks for them) and a record of every request.
// Used by the updater tests; faults (a cut connection) are switched on per path.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface FeedRequest {
  path: string;
  range: string | null;
  status: number;
  bytes: number;
  headers: http.IncomingHttpHeaders;
}

export interface LoopbackFeed {
  url: string;
  requests: FeedRequest[];
  /** Paths whose body is cut off after half of it (the socket is destroyed). */
  cut: Set<string>;
  close(): Promise<void>;
}

function parseRanges(header: string, size: number): [number, number][] | null {
  const m = /^bytes=(.+)$/.exec(header.trim());
  if (!m) return null;
  const out: [number, number][] = [];
  for (const part of m[1].split(',')) {
    const r = /^\s*(\d*)-(\d*)\s*$/.exec(part);
    if (!r || (r[1] === '' && r[2] === '')) return null;
    const start = r[1] === '' ? Math.max(0, size - Number(r[2])) : Number(r[1]);
    const end = r[1] === '' || r[2] === '' ? size - 1 : Math.min(Number(r[2]), size - 1);
    if (start > end || start >= size) return null;
    out.push([start, end]);
  }
  return out;
}

export async function startLoopbackFeed(root: string): Promise<LoopbackFeed> {
  const requests: FeedRequest[] = [];
  const cut = new Set<string>();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://feed');
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const record = (status: number, bytes: number) => requests.push({ path: `/${rel}`, range: req.headers.range ?? null, status, bytes, headers: req.headers });
    const file = path.resolve(root, rel);
    if (!file.startsWith(path.resolve(root) + path.sep)) {
      record(403, 0);
      return res.writeHead(403).end();
    }
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch {
      record(404, 0);
      return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
    if (cut.has(`/${rel}`)) {
      record(200, data.length >> 1);
      res.writeHead(200, { 'content-length': data.length, 'content-type': 'application/octet-stream' });
      res.write(data.subarray(0, data.length >> 1), () => res.destroy());
      return;
    }
    const ranges = req.headers.range ? parseRanges(req.headers.range, data.length) : null;
    if (req.headers.range && !ranges) {
      record(416, 0);
      return res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
    }
    if (!ranges) {
      record(200, data.length);
      return res.writeHead(200, { 'content-length': data.length, 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' }).end(data);
    }
    if (ranges.length === 1) {
      const [s, e] = ranges[0];
      record(206, e - s + 1);
      return res
        .writeHead(206, { 'content-length': e - s + 1, 'content-range': `bytes ${s}-${e}/${data.length}`, 'content-type': 'application/octet-stream' })
        .end(data.subarray(s, e + 1));
    }
    const boundary = randomBytes(12).toString('hex');
    const parts: Buffer[] = [];
    let bytes = 0;
    for (const [s, e] of ranges) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes ${s}-${e}/${data.length}\r\n\r\n`));
      parts.push(data.subarray(s, e + 1), Buffer.from('\r\n'));
      bytes += e - s + 1;
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    const body = Buffer.concat(parts);
    record(206, bytes);
    res.writeHead(206, { 'content-type': `multipart/byteranges; boundary=${boundary}`, 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    cut,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
