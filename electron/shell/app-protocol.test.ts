import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY, createAppProtocolHandler, judgeAppRequest } from './app-protocol';

let dir: string;
let root: string;
const refused: string[] = [];
let handle: (r: Request) => Promise<Response>;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kense-app-protocol-'));
  root = path.join(dir, 'renderer');
  await fs.mkdir(path.join(root, 'assets'), { recursive: true });
  await fs.writeFile(path.join(root, 'index.html'), '<!doctype html><script type="module" src="./assets/index.js"></script>');
  await fs.writeFile(path.join(root, 'assets', 'index.js'), 'console.log(1)');
  await fs.writeFile(path.join(root, 'assets', 'x.exe'), 'MZ');
  await fs.writeFile(path.join(dir, 'secret.txt'), 'SECRET');
  await fs.symlink(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  handle = createAppProtocolHandler({ root, onRefused: (u, why) => refused.push(`${u} ${why}`) });
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('app:// handler', () => {
  it('serves the office with the strict CSP and security headers', async () => {
    const r = await get('app://kense/index.html');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await r.text()).toContain('./assets/index.js');
    const js = await get('app://kense/assets/index.js');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log(1)');
  });

  it('answers / and client-side routes with the office, HEAD without a body', async () => {
    for (const u of ['app://kense/', 'app://kense', 'app://kense/documents/act/42?tab=history#x']) expect(await (await get(u)).text()).toContain('<!doctype html>');
    const head = await get('app://kense/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('CSP allows no inline script, no eval, nothing remote', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/object-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
  });

  it('refuses symlinks out of the folder, unknown types and missing files', async () => {
    expect((await get('app://kense/assets/link.txt')).status).toBe(404);
    expect((await get('app://kense/assets/x.exe')).status).toBe(404);
    expect((await get('app://kense/assets/missing.js')).status).toBe(404);
    expect(refused.some((r) => r.includes('link.txt outside the build folder'))).toBe(true);
  });

  it('refuses other methods', async () => {
    expect((await get('app://kense/index.html', 'POST')).status).toBe(405);
  });
});

describe('judgeAppRequest refuses traversal in every spelling', () => {
  it.each([
    'app://kense/../secret.txt',
    'app://kense/assets/../../secret.txt',
    'app://kense/%2e%2e/secret.txt',
    'app://kense/%2E%2E/%2E%2E/secret.txt',
    'app://kense/.%2e/secret.txt',
    'app://kense/assets/..%2fsecret.txt',
    'app://kense/assets/..%2Fsecret.txt',
    'app://kense/assets/..%5csecret.txt',
    'app://kense/assets/..\\secret.txt',
    'app://kense/%252e%252e/secret.txt',
    'app://kense//server/share/file.txt',
    'app://kense/%2f%2fserver/share/file.txt',
    'app://kense/\\\\server\\share\\file.txt',
    'app://kense/C:/Windows/win.ini',
    'app://kense/C%3a/Windows/win.ini',
    'app://kense/c:%5cwindows%5cwin.ini',
    'app://kense/index.html%00.png',
    'app://kense/index.html::$DATA',
    'app://kense/index.html.',
    'app://kense/index.html%20',
    'app://kense/CON',
    'app://kense/assets/nul.js',
    'app://kense/COM1.txt',
    'app://kense/~1/x.js',
    'app://kense/%',
    'app://evil/index.html',
    'app://kense.evil/index.html',
    'app://kense@evil/index.html',
    'app://kense:8080/index.html',
    'https://kense/index.html',
    'file:///etc/passwd',
  ])('%s', (url) => {
    const v = judgeAppRequest(url);
    expect(v.ok, JSON.stringify(v)).toBe(false);
  });

  it('accepts ordinary asset paths (host case-insensitive)', () => {
    expect(judgeAppRequest('app://kense/assets/index.js')).toEqual({ ok: true, segments: ['assets', 'index.js'] });
    expect(judgeAppRequest('app://KENSE/assets/index.js').ok).toBe(true);
  });

  it('every refusal over the handler is a 4xx with the CSP and no file content', async () => {
    for (const url of ['app://kense/%2e%2e/secret.txt', 'app://kense/assets/..%2fsecret.txt', 'app://kense/C:/x.txt', 'app://evil/index.html']) {
      const r = await get(url);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await r.text()).not.toContain('SECRET');
    }
  });
});
