import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../contract/errors';
import { applicationMenu, trayMenu, trayTitle, trayTooltip, type MenuItemSpec } from './menu';
import { SHELL_TEXTS, displayDate, pendingText, text } from './texts';

const flat = (items: MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);

describe('application menu', () => {
  it.each(LOCALES)('every item is labelled in %s (roles too), none says developer tools or reload', (locale) => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const items = flat(applicationMenu({ locale, platform, updateReady: false }));
      for (const i of items) if (i.type !== 'separator') expect(i.label, JSON.stringify(i)).toBeTruthy();
      expect(items.some((i) => /toggleDevTools|reload/i.test(String(i.role)))).toBe(false);
    }
  });

  it('follows the UI language', () => {
    const labels = (locale: 'ru' | 'kk' | 'en') => applicationMenu({ locale, platform: 'win32', updateReady: false }).map((i) => i.label);
    expect(labels('ru')).toEqual(['Файл', 'Правка', 'Вид', 'Окно', 'Справка']);
    expect(labels('kk')).toEqual(['Файл', 'Өңдеу', 'Көрініс', 'Терезе', 'Анықтама']);
    expect(labels('en')).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
  });

  it('macOS gets the app menu with Quit; Windows/Linux quit from File', () => {
    const mac = applicationMenu({ locale: 'en', platform: 'darwin', updateReady: false });
    expect(mac[0].label).toBe('Kense Office');
    expect(flat(mac[0].submenu!).some((i) => i.role === 'quit')).toBe(true);
    const win = applicationMenu({ locale: 'en', platform: 'win32', updateReady: false });
    expect(win[0].submenu!.at(-1)).toEqual({ label: 'Quit Kense Office', role: 'quit' });
  });

  it('offers the restart once an update is ready', () => {
    const cmds = (ready: boolean) => flat(applicationMenu({ locale: 'ru', platform: 'win32', updateReady: ready })).map((i) => i.command).filter(Boolean);
    expect(cmds(false)).toContain('check-updates');
    expect(cmds(true)).toContain('restart-to-update');
    expect(cmds(true)).not.toContain('check-updates');
  });
});

describe('tray', () => {
  it.each([
    ['ru', 1, 'Kense Office — 1 изменение ждёт отправки'],
    ['ru', 3, 'Kense Office — 3 изменения ждут отправки'],
    ['ru', 5, 'Kense Office — 5 изменений ждут отправки'],
    ['ru', 21, 'Kense Office — 21 изменение ждёт отправки'],
    ['kk', 3, 'Kense Office — 3 өзгеріс жіберуді күтуде'],
    ['en', 1, 'Kense Office — 1 change waiting to be sent'],
    ['en', 2, 'Kense Office — 2 changes waiting to be sent'],
    ['ru', 0, 'Kense Office — Все изменения отправлены'],
  ] as const)('%s %i: %s', (locale, pending, tooltip) => expect(trayTooltip({ locale, pending, online: true, updateReady: false })).toBe(tooltip));

  it('says offline, and the count beside the icon', () => {
    expect(trayTooltip({ locale: 'en', pending: 0, online: false, updateReady: false })).toBe('Kense Office — Offline');
    expect(trayTooltip({ locale: 'en', pending: 2, online: false, updateReady: false })).toBe('Kense Office — 2 changes waiting to be sent (Offline)');
    expect(trayTitle({ locale: 'en', pending: 0, online: true, updateReady: false })).toBe('');
    expect(trayTitle({ locale: 'en', pending: 12, online: true, updateReady: false })).toBe('12');
    expect(trayTitle({ locale: 'en', pending: 5000, online: true, updateReady: false })).toBe('999+');
  });

  it('menu: open, count, sync (off while offline), restart when ready, quit', () => {
    const m = trayMenu({ locale: 'ru', pending: 2, online: false, updateReady: true });
    expect(m.map((i) => i.command ?? i.role ?? i.type ?? 'label')).toEqual(['show-window', 'label', 'sync-now', 'separator', 'restart-to-update', 'separator', 'quit']);
    expect(m[2].enabled).toBe(false);
  });
});

describe('shell texts', () => {
  it('every text exists in ru, kk and en with the same placeholders', () => {
    for (const [key, spec] of Object.entries(SHELL_TEXTS)) {
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const l of LOCALES) {
        expect(spec[l].trim(), `${key}.${l}`).not.toBe('');
        expect(ph(spec[l]), `${key}.${l}`).toEqual(ph(spec.ru));
      }
    }
  });
  it('fills placeholders; dates read dd.MM.yyyy', () => {
    expect(text('deadlineBody', 'en', { date: displayDate('2026-05-07') })).toBe('The nearest answer deadline: 07.05.2026.');
    expect(pendingText(11, 'ru')).toBe('11 изменений ждут отправки');
  });
});
