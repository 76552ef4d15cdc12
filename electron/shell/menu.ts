// The application menu and the tray, as data in the UI language; main turns them into Electron menus (role items get
// our labels too — Electron would otherwise label them in the OS language, not the app's).
import type { Locale } from '../../contract/errors';
import { pendingText, text } from './texts';

export type MenuCommand = 'about' | 'check-updates' | 'restart-to-update' | 'sync-now' | 'open-logs' | 'help' | 'show-window';
export type MenuRole =
  | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen'
  | 'minimize' | 'close' | 'zoom' | 'front' | 'services' | 'hide' | 'hideOthers' | 'unhide' | 'quit';

export interface MenuItemSpec {
  label?: string;
  role?: MenuRole;
  command?: MenuCommand;
  type?: 'separator';
  enabled?: boolean;
  submenu?: MenuItemSpec[];
}

const SEP: MenuItemSpec = { type: 'separator' };

export interface MenuState {
  locale: Locale;
  platform: NodeJS.Platform;
  /** An update is downloaded: offer "Restart to update". */
  updateReady: boolean;
}

export function applicationMenu(s: MenuState): MenuItemSpec[] {
  const l = s.locale;
  const mac = s.platform === 'darwin';
  const updates: MenuItemSpec[] = s.updateReady ? [{ label: text('restartToUpdate', l), command: 'restart-to-update' }] : [{ label: text('checkUpdates', l), command: 'check-updates' }];
  const appMenu: MenuItemSpec[] = mac
    ? [
        {
          label: text('appName', l),
          submenu: [
            { label: text('about', l), command: 'about' },
            ...updates,
            SEP,
            { label: text('services', l), role: 'services' },
            SEP,
            { label: text('hide', l), role: 'hide' },
            { label: text('hideOthers', l), role: 'hideOthers' },
            { label: text('showAll', l), role: 'unhide' },
            SEP,
            { label: text('quit', l), role: 'quit' },
          ],
        },
      ]
    : [];
  const file: MenuItemSpec = {
    label: text('menuFile', l),
    submenu: [{ label: text('syncNow', l), command: 'sync-now' }, SEP, mac ? { label: text('close', l), role: 'close' } : { label: text('quit', l), role: 'quit' }],
  };
  const edit: MenuItemSpec = {
    label: text('menuEdit', l),
    submenu: [
      { label: text('undo', l), role: 'undo' },
      { label: text('redo', l), role: 'redo' },
      SEP,
      { label: text('cut', l), role: 'cut' },
      { label: text('copy', l), role: 'copy' },
      { label: text('paste', l), role: 'paste' },
      { label: text('selectAll', l), role: 'selectAll' },
    ],
  };
  // No reload and no developer tools: the office is not a web page to poke at in production.
  const view: MenuItemSpec = {
    label: text('menuView', l),
    submenu: [
      { label: text('resetZoom', l), role: 'resetZoom' },
      { label: text('zoomIn', l), role: 'zoomIn' },
      { label: text('zoomOut', l), role: 'zoomOut' },
      SEP,
      { label: text('fullScreen', l), role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemSpec = {
    label: text('menuWindow', l),
    submenu: mac
      ? [{ label: text('minimize', l), role: 'minimize' }, { label: text('zoom', l), role: 'zoom' }, SEP, { label: text('front', l), role: 'front' }]
      : [{ label: text('minimize', l), role: 'minimize' }, { label: text('close', l), role: 'close' }],
  };
  const help: MenuItemSpec = {
    label: text('menuHelp', l),
    submenu: [
      { label: text('help', l), command: 'help' },
      { label: text('openLogs', l), command: 'open-logs' },
      ...(mac ? [] : ([SEP, ...updates, { label: text('about', l), command: 'about' }] satisfies MenuItemSpec[])),
    ],
  };
  return [...appMenu, file, edit, view, windowMenu, help];
}

export interface TrayState {
  locale: Locale;
  pending: number;
  online: boolean;
  updateReady: boolean;
}

/** The tray's tooltip: the app, then what waits to be sent (or that all is sent / offline). */
export function trayTooltip(s: TrayState): string {
  const status = s.pending > 0 ? pendingText(s.pending, s.locale) : s.online ? text('allSynced', s.locale) : text('offline', s.locale);
  return `${text('appName', s.locale)} — ${status}${s.pending > 0 && !s.online ? ` (${text('offline', s.locale)})` : ''}`;
}

/** macOS shows a title next to the tray icon: the pending count, nothing when zero. */
export function trayTitle(s: TrayState): string {
  return s.pending > 0 ? String(s.pending > 999 ? '999+' : s.pending) : '';
}

export function trayMenu(s: TrayState): MenuItemSpec[] {
  const l = s.locale;
  return [
    { label: text('showWindow', l), command: 'show-window' },
    { label: s.pending > 0 ? pendingText(s.pending, l) : text('allSynced', l), enabled: false },
    { label: text('syncNow', l), command: 'sync-now', enabled: s.online },
    SEP,
    ...(s.updateReady ? [{ label: text('restartToUpdate', l), command: 'restart-to-update' } as MenuItemSpec, SEP] : []),
    { label: text('quit', l), role: 'quit' },
  ];
}
