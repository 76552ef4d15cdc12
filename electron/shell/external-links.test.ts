import { describe, expect, it } from 'vitest';
import { allowedExternalUrl } from './external-links';

describe('shell.openExternal allow-list', () => {
  it.each([
    ['https://kense.app/help', 'https://kense.app/help'],
    ['https://www.kense.app/privacy?lang=kk#top', 'https://www.kense.app/privacy?lang=kk#top'],
    ['https://KENSE.APP/', 'https://kense.app/'],
    ['https://pki.gov.kz/ncalayer/', 'https://pki.gov.kz/ncalayer/'],
    ['https://ncl.pki.gov.kz/', 'https://ncl.pki.gov.kz/'],
    ['mailto:support@kense.app', 'mailto:support@kense.app'],
  ])('opens %s', (url, opened) => expect(allowedExternalUrl(url)).toBe(opened));

  it.each([
    'http://kense.app/',
    'https://kense.app.evil.com/',
    'https://evilkense.app/',
    'https://kense.app@evil.com/',
    'https://user:pw@kense.app/',
    'https://kense.app:8443/',
    'https://127.0.0.1/',
    'https://[::1]/',
    'https://xn--kense-7ya.app/',
    'https://gov.kz/',
    'file:///C:/Windows/System32/calc.exe',
    'smb://server/share',
    '\\\\server\\share\\x.exe',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'ms-msdt:/id PCWDiagnostic',
    'kense://document/act/1',
    'app://kense/index.html',
    'mailto:someone@evil.com',
    'mailto:support@kense.app?attach=C:/secret',
    'https://kense.app/\n',
    ' https://kense.app/',
    `https://kense.app/${'a'.repeat(3000)}`,
    42,
    null,
  ])('refuses %s', (url) => expect(allowedExternalUrl(url)).toBeNull());
});
