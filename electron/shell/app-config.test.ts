import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_UPDATE_FEED, desktopConfig, localeFromSystem } from './app-config';
import { safeFileName, writeChosenFile } from './platform-files';

describe('desktopConfig', () => {
  it('defaults: production feed, no demo, updates only when packaged', () => {
    expect(desktopConfig({}, { isPackaged: true })).toEqual({
      cloudUrl: null, updateFeedUrl: DEFAULT_UPDATE_FEED, updateChecks: true, ncalayer: null, testTrust: false, keyDirs: [], demo: false, userDataDir: null, ignored: [],
    });
    expect(desktopConfig({}, { isPackaged: false }).updateChecks).toBe(false);
    expect(desktopConfig({ KENSE_UPDATES: 'off' }, { isPackaged: true }).updateChecks).toBe(false);
  });
  it('the embedded demo: its cloud, its emulator with CA, test trust, its key folder', () => {
    const c = desktopConfig(
      { KENSE_DEMO: '1', KENSE_CLOUD_URL: 'http://127.0.0.1:5555', KENSE_NCALAYER_URL: 'wss://127.0.0.1:6666', KENSE_NCALAYER_CA: '/tmp/ca.crt', KENSE_KEY_DIRS: `/keys${path.delimiter}relative` },
      { isPackaged: false },
    );
    expect(c).toMatchObject({ cloudUrl: 'http://127.0.0.1:5555', ncalayer: { url: 'wss://127.0.0.1:6666', caFile: '/tmp/ca.crt' }, testTrust: true, demo: true, keyDirs: ['/keys'] });
  });
  it('a profile folder of its own (absolute only)', () => {
    expect(desktopConfig({ KENSE_USER_DATA: '/tmp/kense-profile' }, { isPackaged: true }).userDataDir).toBe('/tmp/kense-profile');
    expect(desktopConfig({ KENSE_USER_DATA: 'relative' }, { isPackaged: true })).toMatchObject({ userDataDir: null, ignored: ['KENSE_USER_DATA: not an absolute folder'] });
  });
  it('refuses what is not a proper URL, and says so', () => {
    const c = desktopConfig({ KENSE_CLOUD_URL: 'file:///etc', KENSE_UPDATE_URL: 'https://u:p@x/', KENSE_NCALAYER_URL: 'ws://127.0.0.1:1' }, { isPackaged: true });
    expect(c).toMatchObject({ cloudUrl: null, updateFeedUrl: DEFAULT_UPDATE_FEED, ncalayer: null });
    expect(c.ignored).toHaveLength(3);
    expect(desktopConfig({ KENSE_UPDATE_URL: 'https://mirror.example/kense' }, { isPackaged: true }).updateFeedUrl).toBe('https://mirror.example/kense/');
  });
  it('UI language from the system', () => {
    expect(localeFromSystem('kk-KZ')).toBe('kk');
    expect(localeFromSystem('en-US')).toBe('en');
    expect(localeFromSystem('ru-RU')).toBe('ru');
    expect(localeFromSystem('de')).toBe('ru');
  });
});

describe('platform files', () => {
  it.each([
    ['Акт № 17.pdf', 'Акт № 17.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Windows\\win.ini', 'win.ini'],
    ['a:b*c?.csv', 'a_b_c_.csv'],
    ['CON.txt', 'kense-document'],
    ['report.pdf. ', 'report.pdf'],
    ['', 'kense-document'],
  ])('%s → %s', (s, out) => expect(safeFileName(s)).toBe(out));

  let dir: string;
  beforeEach(async () => void (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kense-save-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));
  it('writes the bytes the user asked for, completely', async () => {
    const p = path.join(dir, 'a.pdf');
    await writeChosenFile(p, Buffer.from('%PDF-1.7 …').toString('base64'));
    expect(await fs.readFile(p, 'utf8')).toBe('%PDF-1.7 …');
    expect(await fs.readdir(dir)).toEqual(['a.pdf']);
  });
});
