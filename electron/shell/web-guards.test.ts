import { describe, expect, it } from 'vitest';
import { judgeNavigation, judgePermission, judgeWindowOpen } from './web-guards';

describe('navigation', () => {
  it('keeps our own pages', () => {
    expect(judgeNavigation('app://kense/index.html')).toEqual({ allow: true, openExternal: null });
    expect(judgeNavigation('app://kense/documents/act/1')).toEqual({ allow: true, openExternal: null });
  });
  it.each([
    ['https://kense.app/help', 'https://kense.app/help'],
    ['https://evil.example/', null],
    ['file:///etc/passwd', null],
    ['app://evil/index.html', null],
    ['app://user@kense/index.html', null],
    ['http://127.0.0.1:5173/', null],
    ['javascript:alert(1)', null],
    ['not a url', null],
  ])('refuses %s (browser: %s)', (url, ext) => expect(judgeNavigation(url)).toEqual({ allow: false, openExternal: ext }));
});

describe('window.open', () => {
  it('never opens a window; allowed sites go to the browser', () => {
    expect(judgeWindowOpen('https://pki.gov.kz/')).toEqual({ allow: false, openExternal: 'https://pki.gov.kz/' });
    expect(judgeWindowOpen('app://kense/index.html')).toEqual({ allow: false, openExternal: null });
    expect(judgeWindowOpen('https://evil.example/')).toEqual({ allow: false, openExternal: null });
  });
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'usb', 'serial', 'midi', 'unknown'])(
    'refuses %s even from our page',
    (p) => expect(judgePermission(p, 'app://kense/index.html', true)).toBe(false),
  );
  it('lets our main frame write text to the clipboard, nobody else', () => {
    expect(judgePermission('clipboard-sanitized-write', 'app://kense/index.html', true)).toBe(true);
    expect(judgePermission('clipboard-sanitized-write', 'app://kense/index.html', false)).toBe(false);
    expect(judgePermission('clipboard-sanitized-write', 'https://evil.example/', true)).toBe(false);
  });
});
