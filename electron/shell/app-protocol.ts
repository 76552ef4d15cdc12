// The app:// protocol: serves the built office (dist/renderer) to the window with a strict CSP, and nothing else.
// Every request is judged on its raw URL before any file is touched: another host, a method other than GET/HEAD,
// encoded separators or NULs, dot segments, drive letters and UNC/device paths, Windows name tricks (trailing dots,
// reserved names, alternate data streams) and symlinks leading out of the folder are all refused.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { OFFICE_MIME, OFFICE_SECURITY_HEADERS, officeContentSecurityPolicy } from '../../contract/office-page';

export const APP_SCHEME = 'app';
export const APP_HOST = 'kense';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The office's policy (contract/office-page.ts, as the headless host sends it), with nothing to connect to but
 * itself: in Electron the office talks to core through window.kense, not fetch. */
export const CONTENT_SECURITY_POLICY = officeContentSecurityPolicy();

export const SECURITY_HEADERS: Readonly<Record<string, string>> = { 'content-security-policy': CONTENT_SECURITY_POLICY, ...OFFICE_SECURITY_HEADERS };

export type AppRequestVerdict =
  | { ok: true; segments: string[] }
  | { ok: false; status: 400 | 403 | 404 | 405; reason: string };

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/** Judges a request's URL and method; on success, the path segments under the build folder. */
export function judgeAppRequest(rawUrl: string, method = 'GET'): AppRequestVerdict {
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 405, reason: 'method' };
  // Look at the raw text first: a parser may already have folded what we want to refuse.
  const m = /^app:\/\/([^/?#]*)(\/[^?#]*)?(?:[?#].*)?$/i.exec(rawUrl);
  if (!m) return { ok: false, status: 400, reason: 'not an app:// URL' };
  if (m[1].toLowerCase() !== APP_HOST) return { ok: false, status: 403, reason: 'foreign host' };
  const rawPath = m[2] ?? '/';
  if (/%(2f|5c|00|3a)/i.test(rawPath) || /[\\\0]/.test(rawPath)) return { ok: false, status: 403, reason: 'encoded separator' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'bad escape' };
  }
  // A % left after one decoding is a double encoding: no asset has one, and nothing may decode it again.
  if (/[\0-\x1f\\:*?"<>|%]/.test(decoded)) return { ok: false, status: 403, reason: 'forbidden character' };
  if (decoded.startsWith('//')) return { ok: false, status: 403, reason: 'UNC path' };
  const segments = decoded.split('/').filter((s) => s !== '');
  for (const s of segments) {
    if (s === '.' || s === '..') return { ok: false, status: 403, reason: 'dot segment' };
    // Windows drops trailing dots and spaces ("index.html." is index.html) and gives device names a meaning.
    if (/[. ]$/.test(s) || WINDOWS_RESERVED.test(s) || s.startsWith('~')) return { ok: false, status: 403, reason: 'windows name' };
  }
  if (segments.length === 0) return { ok: true, segments: ['index.html'] };
  // A client-side route (no file extension) is the office itself.
  if (!path.posix.extname(segments[segments.length - 1])) return { ok: true, segments: ['index.html'] };
  return { ok: true, segments };
}

export interface AppProtocolOptions {
  /** The built office (dist/renderer, inside app.asar when packaged). */
  root: string;
  /** A refused request (logged by main). */
  onRefused?: (url: string, reason: string) => void;
}

function refusal(status: number): Response {
  return new Response(null, { status, headers: { ...SECURITY_HEADERS, 'cache-control': 'no-store' } });
}

/** The handler given to Electron's protocol.handle('app', …): WHATWG Request in, Response out. */
export function createAppProtocolHandler(o: AppProtocolOptions): (request: Request) => Promise<Response> {
  const root = path.resolve(o.root);
  let realRoot: Promise<string> | null = null;
  return async (request) => {
    const verdict = judgeAppRequest(request.url, request.method);
    if (!verdict.ok) {
      o.onRefused?.(request.url, verdict.reason);
      return refusal(verdict.status);
    }
    const file = path.join(root, ...verdict.segments);
    const type = OFFICE_MIME[path.extname(file).toLowerCase()];
    if (!type) {
      o.onRefused?.(request.url, 'type not served');
      return refusal(404);
    }
    let body: Buffer;
    try {
      // Symlinks must not lead out of the build folder.
      realRoot ??= fs.realpath(root);
      const real = await fs.realpath(file);
      if (!real.startsWith((await realRoot) + path.sep)) {
        o.onRefused?.(request.url, 'outside the build folder');
        return refusal(404);
      }
      body = await fs.readFile(real);
    } catch {
      return refusal(404);
    }
    const headers = { ...SECURITY_HEADERS, 'content-type': type, 'content-length': String(body.length), 'cache-control': 'no-cache' };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
